#include "SqlMessageChanges.h"

#include "shared/model/Limits.h"
#include "shared/sql/MessageRow.h"

#include <QSet>
#include <QSqlQuery>

namespace tern::server::store::ops {

using protocol::MessageKind;

namespace {

Error messageNotFound()
{
    return Error{ErrorCode::NotFound, QStringLiteral("no such message")};
}

struct Target
{
    MessageKind kind = MessageKind::Unknown;
    QString from;
    bool deleted = false;
    qint64 serverTs = 0;
    QString mediaId;
};

//! The target at `seq` as the member sees it: visible (joined by then), not system, not a change.
Result<Target> visibleTarget(SqlDb &db, const QString &conversation, const Membership &membership,
                             qint64 seq)
{
    QSqlQuery *q = db.prepared(
        QStringLiteral("SELECT kind, from_user, deleted, server_ts, media FROM messages WHERE "
                       "conversation_id = ? AND seq = ?"));
    if (!db.run(q, {conversation, seq}))
        return db.failure();
    if (!q->next() || seq < membership.joinedSeq)
        return messageNotFound();
    Target t;
    t.kind =
        protocol::fromWireName<MessageKind>(q->value(0).toString()).value_or(MessageKind::Unknown);
    t.from = q->value(1).toString();
    t.deleted = q->value(2).toInt() != 0;
    t.serverTs = q->value(3).toLongLong();
    if (const std::optional<protocol::Media> media = sql::mediaFromColumn(q->value(4)))
        t.mediaId = media->mediaId;
    q->finish();
    if (t.kind != MessageKind::Text && t.kind != MessageKind::Image && t.kind != MessageKind::File)
        return messageNotFound();
    return t;
}

Error forbidden(const char *why)
{
    return Error{ErrorCode::Forbidden, QString::fromLatin1(why)};
}

//! The delete event that deleted the target (answered again to a repeated delete).
Result<std::optional<protocol::MessageEvent>> deleteEvent(SqlDb &db, const QString &conversation,
                                                          qint64 target)
{
    QSqlQuery *q = db.prepared(QStringLiteral(
        "SELECT seq FROM messages WHERE conversation_id = ? AND ref_seq = ? AND kind = 'delete' "
        "ORDER BY seq LIMIT 1"));
    if (!db.run(q, {conversation, target}))
        return db.failure();
    const qint64 seq = q->next() ? q->value(0).toLongLong() : 0;
    q->finish();
    if (seq == 0)
        return std::optional<protocol::MessageEvent>();
    return messageAtSeq(db, conversation, seq);
}

} // namespace

Result<ChangeCheck> checkChange(SqlDb &db, const QString &conversation,
                                const Membership &membership, const NewMessage &m)
{
    Result<Target> target = visibleTarget(db, conversation, membership, m.ref.value_or(0));
    if (!target)
        return target.error();
    ChangeCheck check;
    check.target = *m.ref;
    check.mediaId = target->mediaId;
    const bool own = target->from == m.senderUser;
    switch (m.kind) {
    case MessageKind::Edit:
        if (target->deleted)
            return Error{ErrorCode::Conflict, QStringLiteral("message was deleted")};
        if (!own)
            return forbidden("only the sender can edit");
        if (m.editWindowMs > 0 && m.serverTs - target->serverTs > m.editWindowMs)
            return forbidden("edit window is over");
        if (target->kind == MessageKind::Text && m.content.isEmpty())
            return Error{ErrorCode::BadRequest,
                         QStringLiteral("field 'content' must not be empty in a text message")};
        break;
    case MessageKind::Delete: {
        if (!own) {
            const bool admin = membership.role == protocol::Role::Owner ||
                               membership.role == protocol::Role::Admin;
            QSqlQuery *kind =
                db.prepared(QStringLiteral("SELECT kind FROM conversations WHERE id = ?"));
            if (!db.run(kind, {conversation}) || !kind->next())
                return db.failure();
            const bool group = kind->value(0).toString() == QLatin1String("group");
            kind->finish();
            if (!admin || !group)
                return forbidden("only the sender or a group admin can delete");
        }
        if (target->deleted) {
            Result<std::optional<protocol::MessageEvent>> earlier =
                deleteEvent(db, conversation, check.target);
            if (!earlier)
                return earlier.error();
            if (*earlier)
                check.earlier = **earlier;
        }
        break;
    }
    case MessageKind::Reaction: {
        if (target->deleted)
            return Error{ErrorCode::Conflict, QStringLiteral("message was deleted")};
        if (!m.on)
            break;
        QSqlQuery *count = db.prepared(
            QStringLiteral("SELECT COUNT(*), COALESCE(SUM(emoji = ?), 0) FROM reactions WHERE "
                           "conversation_id = ? AND seq = ? AND user_id = ?"));
        if (!db.run(count, {m.content, conversation, check.target, m.senderUser}) || !count->next())
            return db.failure();
        const bool present = count->value(1).toLongLong() > 0;
        const qint64 distinct = count->value(0).toLongLong();
        count->finish();
        if (!present && distinct >= limits::kMaxReactionsPerUser)
            return Error{ErrorCode::LimitExceeded,
                         QStringLiteral("at most %1 different reactions per message")
                             .arg(limits::kMaxReactionsPerUser)};
        if (present)
            break;
        QSqlQuery *onMessage = db.prepared(QStringLiteral(
            "SELECT COUNT(DISTINCT emoji), COALESCE(MAX(emoji = ?), 0) FROM reactions WHERE "
            "conversation_id = ? AND seq = ?"));
        if (!db.run(onMessage, {m.content, conversation, check.target}) || !onMessage->next())
            return db.failure();
        const bool known = onMessage->value(1).toLongLong() > 0;
        const qint64 emoji = onMessage->value(0).toLongLong();
        onMessage->finish();
        if (!known && emoji >= limits::kMaxReactionEmojiPerMessage)
            return Error{ErrorCode::LimitExceeded,
                         QStringLiteral("this message has %1 different reactions already")
                             .arg(limits::kMaxReactionEmojiPerMessage)};
        break;
    }
    default:
        return Error{ErrorCode::BadRequest, QStringLiteral("not a change")};
    }
    return check;
}

Result<QStringList> applyChange(SqlDb &db, const QString &conversation, const NewMessage &m,
                                const ChangeCheck &check, qint64 eventSeq)
{
    QStringList forgotten;
    if (m.kind == MessageKind::Edit) {
        QSqlQuery *q = db.prepared(QStringLiteral("UPDATE messages SET content = ?, edited_ms = ? "
                                                  "WHERE conversation_id = ? AND seq = ?"));
        if (!db.run(q, {m.content, m.serverTs, conversation, check.target}))
            return db.failure();
    } else if (m.kind == MessageKind::Reaction) {
        QSqlQuery *q =
            m.on ? db.prepared(QStringLiteral(
                       "INSERT INTO reactions (conversation_id, seq, user_id, emoji, pos) VALUES "
                       "(?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"))
                 : db.prepared(QStringLiteral("DELETE FROM reactions WHERE conversation_id = ? AND "
                                              "seq = ? AND user_id = ? AND emoji = ?"));
        const bool ran =
            m.on ? db.run(q, {conversation, check.target, m.senderUser, m.content, eventSeq})
                 : db.run(q, {conversation, check.target, m.senderUser, m.content});
        if (!ran)
            return db.failure();
    } else if (m.kind == MessageKind::Delete) {
        // Forget the content: the target keeps only who sent it when, its edits their seqs.
        QSqlQuery *target = db.prepared(QStringLiteral(
            "UPDATE messages SET content = '', media = NULL, media_id = NULL, mentions = NULL, "
            "reply_to = NULL, forwarded = 0, deleted = 1 WHERE conversation_id = ? AND seq = ?"));
        QSqlQuery *edits = db.prepared(
            QStringLiteral("UPDATE messages SET content = '' WHERE conversation_id = ? AND "
                           "ref_seq = ? AND kind = 'edit'"));
        QSqlQuery *reactions = db.prepared(
            QStringLiteral("DELETE FROM reactions WHERE conversation_id = ? AND seq = ?"));
        if (!db.run(target, {conversation, check.target}) ||
            !db.run(edits, {conversation, check.target}) ||
            !db.run(reactions, {conversation, check.target}))
            return db.failure();
        if (!check.mediaId.isEmpty()) {
            // A forward elsewhere (or an earlier message here) may still show the media.
            QSqlQuery *used =
                db.prepared(QStringLiteral("SELECT 1 FROM messages WHERE media_id = ? LIMIT 1"));
            if (!db.run(used, {check.mediaId}))
                return db.failure();
            const bool stillUsed = used->next();
            used->finish();
            if (stillUsed) {
                // Shown elsewhere: this conversation's members keep it only through a message
                // here that still shows it (media_refs keeps the latest such seq).
                QSqlQuery *here = db.prepared(QStringLiteral(
                    "SELECT MAX(seq) FROM messages WHERE conversation_id = ? AND media_id = ?"));
                if (!db.run(here, {conversation, check.mediaId}) || !here->next())
                    return db.failure();
                const QVariant latest = here->value(0);
                here->finish();
                QSqlQuery *ref =
                    latest.isNull()
                        ? db.prepared(QStringLiteral("DELETE FROM media_refs WHERE media_id = ? "
                                                     "AND conversation_id = ?"))
                        : db.prepared(QStringLiteral("UPDATE media_refs SET seq = ? WHERE "
                                                     "media_id = ? AND conversation_id = ?"));
                const bool ran = latest.isNull()
                                     ? db.run(ref, {check.mediaId, conversation})
                                     : db.run(ref, {latest, check.mediaId, conversation});
                if (!ran)
                    return db.failure();
            } else {
                QSqlQuery *refs =
                    db.prepared(QStringLiteral("DELETE FROM media_refs WHERE media_id = ?"));
                QSqlQuery *media = db.prepared(QStringLiteral("DELETE FROM media WHERE id = ?"));
                if (!db.run(refs, {check.mediaId}) || !db.run(media, {check.mediaId}))
                    return db.failure();
                forgotten << check.mediaId;
            }
        }
    }
    return forgotten;
}

Status checkReplyTarget(SqlDb &db, const QString &conversation, const Membership &membership,
                        qint64 replyTo)
{
    QSqlQuery *q = db.prepared(
        QStringLiteral("SELECT kind FROM messages WHERE conversation_id = ? AND seq = ?"));
    if (!db.run(q, {conversation, replyTo}))
        return db.failure();
    const bool found = q->next();
    const auto kind =
        found ? protocol::fromWireName<MessageKind>(q->value(0).toString()) : std::nullopt;
    q->finish();
    if (!found || replyTo < membership.joinedSeq || !kind || protocol::isChangeKind(*kind))
        return Error{ErrorCode::NotFound, QStringLiteral("no such message to reply to")};
    return Ok{};
}

QStringList keptMentions(const QStringList &mentions, const QStringList &members)
{
    const QSet<QString> current(members.cbegin(), members.cend());
    QSet<QString> seen;
    QStringList kept;
    for (const QString &id : mentions) {
        if (current.contains(id) && !seen.contains(id)) {
            seen.insert(id);
            kept << id;
        }
    }
    return kept;
}

} // namespace tern::server::store::ops
