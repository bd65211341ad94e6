#include "MessageRow.h"

#include "shared/protocol/Codec.h"
#include "shared/sql/SqlDb.h"

#include <QJsonDocument>
#include <QSqlQuery>

namespace tern::sql {

namespace {

// A null QString binds as SQL NULL: the NOT NULL text columns get "" instead.
QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

} // namespace

protocol::MessageEvent messageFromRow(const QSqlQuery &query)
{
    protocol::MessageEvent m;
    m.conversation = query.value(0).toString();
    m.seq = query.value(1).toLongLong();
    m.id = query.value(2).toString();
    m.from = query.value(3).toString();
    m.fromDevice = query.value(4).toString();
    m.to = query.value(5).toString();
    const QString kind = query.value(6).toString();
    m.kind = protocol::fromWireName<protocol::MessageKind>(kind).value_or(
        protocol::MessageKind::Unknown);
    if (m.kind == protocol::MessageKind::Unknown)
        m.kindName = kind;
    m.content = query.value(7).toString();
    m.media = mediaFromColumn(query.value(8));
    m.ts = query.value(9).toLongLong();
    m.serverTs = query.value(10).toLongLong();
    return m;
}

bool runMessageInsert(SqlDb &db, QSqlQuery *insert, const protocol::MessageEvent &m)
{
    return db.run(insert, {text(m.conversation), m.seq, text(m.id), text(m.from),
                           text(m.fromDevice), text(m.to), text(m.kindWireName()), text(m.content),
                           mediaToColumn(m.media), m.ts, m.serverTs});
}

QVariant mediaToColumn(const std::optional<protocol::Media> &media)
{
    if (!media)
        return QVariant(QMetaType::fromType<QString>()); // SQL NULL
    return QString::fromUtf8(
        QJsonDocument(protocol::toJson(*media)).toJson(QJsonDocument::Compact));
}

std::optional<protocol::Media> mediaFromColumn(const QVariant &column)
{
    if (column.isNull())
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(column.toString().toUtf8());
    if (!doc.isObject())
        return std::nullopt;
    return protocol::fromJson<protocol::Media>(doc.object()).value();
}

} // namespace tern::sql
