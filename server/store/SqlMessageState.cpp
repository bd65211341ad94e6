#include "SqlMessageState.h"

#include "server/store/SqlRows.h"
#include "shared/sql/MessageRow.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace tern::server::store::ops {

protocol::MessageEvent messageFromFullRow(const QSqlQuery &q)
{
    protocol::MessageEvent m = sql::messageFromRow(q);
    if (!q.value(11).isNull())
        m.replyTo = q.value(11).toLongLong();
    m.forwarded = q.value(12).toInt() != 0;
    if (!q.value(13).isNull()) {
        const QJsonArray ids = QJsonDocument::fromJson(q.value(13).toString().toUtf8()).array();
        for (const QJsonValue &id : ids)
            m.mentions << id.toString();
    }
    if (!q.value(14).isNull())
        m.editedTs = q.value(14).toLongLong();
    m.deleted = q.value(15).toInt() != 0;
    if (!q.value(16).isNull())
        m.ref = q.value(16).toLongLong();
    m.on = q.value(17).isNull() || q.value(17).toInt() != 0;
    return m;
}

bool hasStoredExtras(const protocol::MessageEvent &m)
{
    return m.replyTo || m.forwarded || !m.mentions.isEmpty() || m.ref || m.editedTs || m.deleted ||
           m.kind == protocol::MessageKind::Reaction;
}

Status attachReactions(SqlDb &db, const QString &conversation,
                       QList<protocol::MessageEvent> &messages)
{
    if (messages.isEmpty())
        return Ok{};
    QSqlQuery *q = db.prepared(QStringLiteral(
        "SELECT seq, emoji, user_id FROM reactions WHERE conversation_id = ? AND seq >= ? AND "
        "seq <= ? ORDER BY seq, pos"));
    if (!db.run(q, {conversation, messages.constFirst().seq, messages.constLast().seq}))
        return db.failure();
    qsizetype at = 0;
    while (q->next()) {
        const qint64 seq = q->value(0).toLongLong();
        while (at < messages.size() && messages.at(at).seq < seq)
            ++at;
        if (at == messages.size())
            break;
        if (messages.at(at).seq != seq)
            continue;
        QList<protocol::Reaction> &list = messages[at].reactions;
        const QString emoji = q->value(1).toString();
        auto it = std::find_if(list.begin(), list.end(),
                               [&emoji](const protocol::Reaction &r) { return r.emoji == emoji; });
        if (it == list.end())
            list.append({emoji, {q->value(2).toString()}});
        else
            it->users.append(q->value(2).toString());
    }
    return Ok{};
}

Result<std::optional<protocol::MessageEvent>> lastShownMessage(SqlDb &db, const QString &userId,
                                                               const QString &conversation,
                                                               qint64 lastSeq, qint64 joinedSeq)
{
    QSqlQuery *q = db.prepared(
        QStringLiteral("SELECT ") + rows::kMessageSelectColumns +
        QStringLiteral(" FROM messages WHERE conversation_id = ? AND seq <= ? AND seq >= ? AND "
                       "kind NOT IN ('edit', 'delete', 'reaction') AND NOT EXISTS (SELECT 1 FROM "
                       "hidden_messages h WHERE h.user_id = ? AND h.conversation_id = "
                       "messages.conversation_id AND h.seq = messages.seq) ORDER BY seq DESC "
                       "LIMIT 1"));
    if (!db.run(q, {conversation, lastSeq, joinedSeq, userId}))
        return db.failure();
    if (!q->next())
        return std::optional<protocol::MessageEvent>();
    QList<protocol::MessageEvent> one{messageFromFullRow(*q)};
    q->finish();
    if (Status attached = attachReactions(db, conversation, one); !attached)
        return attached.error();
    return std::optional<protocol::MessageEvent>(one.takeFirst());
}

void blindChangesBefore(QList<protocol::MessageEvent> &messages, qint64 joinedSeq)
{
    for (protocol::MessageEvent &message : messages) {
        if (protocol::isChangeKind(message.kind) && message.ref && *message.ref < joinedSeq)
            message.content.clear();
    }
}

Result<QStringList> membersJoinedAfter(SqlDb &db, const QString &conversation, qint64 seq)
{
    QSqlQuery *q = db.prepared(
        QStringLiteral("SELECT user_id FROM members WHERE conversation_id = ? AND joined_seq > ? "
                       "AND left_seq IS NULL"));
    if (!db.run(q, {conversation, seq}))
        return db.failure();
    QStringList out;
    while (q->next())
        out << q->value(0).toString();
    q->finish();
    return out;
}

} // namespace tern::server::store::ops
