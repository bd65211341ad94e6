#include "SqlRows.h"

#include "shared/protocol/MediaFields.h"

#include <QJsonDocument>
#include <QVariant>

namespace tern::server::store::rows {

protocol::MessageEvent messageAt(const QSqlQuery &query)
{
    protocol::MessageEvent m;
    m.conversation = query.value(0).toString();
    m.seq = query.value(1).toLongLong();
    m.id = query.value(2).toString();
    m.from = query.value(3).toString();
    m.fromDevice = query.value(4).toString();
    m.to = query.value(5).toString();
    m.kind = query.value(6).toString();
    m.content = query.value(7).toString();
    const QVariant media = query.value(8);
    if (!media.isNull()) {
        const QJsonDocument doc = QJsonDocument::fromJson(media.toString().toUtf8());
        // Rows stored before issue 15 may hold a client's device fields (a local path): they
        // are never sent on.
        if (doc.isObject())
            m.media = protocol::documentedMediaFields(doc.object());
    }
    m.ts = query.value(9).toLongLong();
    m.serverTs = query.value(10).toLongLong();
    return m;
}

QVariant mediaToText(const std::optional<QJsonObject> &media)
{
    if (!media)
        return QVariant(QMetaType::fromType<QString>()); // SQL NULL
    return QString::fromUtf8(QJsonDocument(*media).toJson(QJsonDocument::Compact));
}

} // namespace tern::server::store::rows
