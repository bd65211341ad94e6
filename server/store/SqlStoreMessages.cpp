// SqlStore: messages, receipts and sync (accounts live in SqlStore.cpp).

#include "SqlStore.h"

#include "server/store/SqlHelpers.h"
#include "server/store/SqlMessageChanges.h"
#include "server/store/SqlMessageState.h"
#include "server/store/SqlReceiptTimes.h"
#include "server/store/SqlRows.h"
#include "shared/core/Clock.h"
#include "shared/core/Log.h"
#include "shared/crypto/Crypto.h"
#include "shared/model/Limits.h"
#include "shared/protocol/JsonSize.h"
#include "shared/sql/MessageRow.h"

#include <QSet>
#include <QSqlQuery>

#include <algorithm>
#include <atomic>
#include <limits>

namespace tern::server::store {

using namespace ops;

namespace {
constexpr qint64 kUnbounded = std::numeric_limits<qint64>::max();

std::atomic<quint64> g_abandonedReads{0};

//! True when the link that asked is gone (an empty interest is always wanted). Skips are
//! counted in the log at 1, 10, 100, ... so a flood of them stays visible but short.
bool abandoned(const Interest &interest)
{
    if (!interest.expired() ||
        !(interest.owner_before(Interest{}) || Interest{}.owner_before(interest)))
        return false;
    const quint64 n = ++g_abandonedReads;
    quint64 power = 1;
    while (power < n && power <= std::numeric_limits<quint64>::max() / 10)
        power *= 10;
    if (power == n)
        qCInfo(lcStore) << "skipped" << n << "store reads for closed connections so far";
    return true;
}

Error abandonedError()
{
    return Error{ErrorCode::Internal, QStringLiteral("the connection that asked has closed")};
}

//! Cursor "<last_activity_ms>:<conversation id>" of the last conversation of a page.
QString cursorAfter(qint64 activityMs, const QString &conversation)
{
    return QString::number(activityMs) + QLatin1Char(':') + conversation;
}

Result<ConversationPage> conversationPage(SqlDb &db, const QString &userId, const QString &cursor,
                                          PageBudget budget)
{
    bool fromStart = cursor.isEmpty();
    qint64 afterMs = 0;
    QString afterId;
    if (!fromStart) {
        const qsizetype colon = cursor.indexOf(QLatin1Char(':'));
        bool ok = colon > 0;
        if (ok)
            afterMs = cursor.left(colon).toLongLong(&ok);
        afterId = cursor.mid(colon + 1);
        if (!ok || afterId.isEmpty())
            return Error{ErrorCode::BadRequest,
                         QStringLiteral("field 'cursor' must be a next_cursor from this server")};
    }
    // Keyset paging on the list's own order: a page never repeats or skips a conversation
    // whose activity did not change meanwhile (one that did is announced by its message).
    QSqlQuery *list = db.prepared(QStringLiteral(
        "SELECT c.id, c.kind, c.name, c.last_seq, m.read_seq, m.joined_seq, c.last_activity_ms "
        "FROM members m JOIN conversations c ON c.id = m.conversation_id WHERE m.user_id = ? AND "
        "m.left_seq IS NULL AND (? OR c.last_activity_ms < ? OR (c.last_activity_ms = ? AND "
        "c.id > ?)) ORDER BY c.last_activity_ms DESC, c.id LIMIT ?"));
    if (!db.run(list, {userId, fromStart, afterMs, afterMs, afterId, budget.rows + 1}))
        return db.failure();
    ConversationPage out;
    QList<qint64> joined;
    QList<qint64> activity;
    while (list->next()) {
        protocol::ConversationSummary s;
        s.conversation = list->value(0).toString();
        s.kind = protocol::fromWireName<protocol::ConversationKind>(list->value(1).toString())
                     .value_or(protocol::ConversationKind::Group);
        s.name = list->value(2).toString();
        s.lastSeq = list->value(3).toLongLong();
        s.readSeq = list->value(4).toLongLong();
        joined << list->value(5).toLongLong();
        activity << list->value(6).toLongLong();
        out.conversations << s;
    }
    list->finish();
    bool more = out.conversations.size() > budget.rows;
    if (more) {
        out.conversations.removeLast();
        joined.removeLast();
    }
    QSqlQuery *members = db.prepared(
        QStringLiteral("SELECT m.user_id, m.role, u.display_name FROM members m JOIN users u ON "
                       "u.id = m.user_id WHERE m.conversation_id = ? AND m.left_seq IS NULL "
                       "ORDER BY m.joined_seq, m.user_id"));
    QSqlQuery *unread = db.prepared(
        QStringLiteral("SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND seq > ? AND "
                       "from_user <> ? AND kind NOT IN ('system', 'edit', 'delete', 'reaction') "
                       "AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = ? AND "
                       "h.conversation_id = messages.conversation_id AND h.seq = messages.seq)"));
    qint64 bytes = 0;
    for (int i = 0; i < out.conversations.size(); ++i) {
        protocol::ConversationSummary &s = out.conversations[i];
        if (!db.run(members, {s.conversation}))
            return db.failure();
        QString otherName;
        QString ownName;
        while (members->next()) {
            const QString member = members->value(0).toString();
            s.members.append(
                {member, protocol::fromWireName<protocol::Role>(members->value(1).toString())
                             .value_or(protocol::Role::Member)});
            (member == userId ? ownName : otherName) = members->value(2).toString();
        }
        if (s.kind == protocol::ConversationKind::Direct)
            s.name = otherName.isEmpty() ? ownName : otherName;
        if (s.lastSeq >= joined[i]) {
            auto last = lastShownMessage(db, userId, s.conversation, s.lastSeq, joined[i]);
            if (!last)
                return last.error();
            s.lastMessage = *last;
        }
        if (!db.run(unread, {s.conversation, std::max(s.readSeq, joined[i] - 1), userId, userId}) ||
            !unread->next())
            return db.failure();
        s.unread = unread->value(0).toLongLong();
        unread->finish();
        bytes += protocol::jsonSizeBound(s);
        if (i > 0 && bytes > budget.bytes) { // the page is full without this one
            out.conversations.resize(i);
            more = true;
            break;
        }
    }
    if (more && !out.conversations.isEmpty())
        out.nextCursor = cursorAfter(activity.at(out.conversations.size() - 1),
                                     out.conversations.constLast().conversation);
    return out;
}

Result<HistoryPage> historyPageOf(SqlDb &db, const QString &userId, const QString &conversation,
                                  std::optional<qint64> beforeSeq, PageBudget budget)
{
    Result<Membership> membership = currentMembership(db, conversation, userId);
    if (!membership)
        return membership.error();
    QSqlQuery *q = db.prepared(
        QStringLiteral("SELECT ") + rows::kMessageSelectColumns +
        QStringLiteral(" FROM messages WHERE conversation_id = ? AND seq >= ? AND seq < ? "
                       "AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = ? AND "
                       "h.conversation_id = messages.conversation_id AND h.seq = messages.seq) "
                       "ORDER BY seq DESC LIMIT ?"));
    // One row more than the page tells whether older messages remain. The user's hidden
    // messages ("delete for me") are left out.
    if (!db.run(q, {conversation, membership->joinedSeq,
                    beforeSeq.value_or(limits::kMaxSafeInteger), userId, budget.rows + 1}))
        return db.failure();
    // Read first, then cut: the reactions count towards a message's size.
    QList<protocol::MessageEvent> rows;
    while (q->next())
        rows.prepend(messageFromFullRow(*q));
    q->finish();
    blindChangesBefore(rows, membership->joinedSeq);
    if (Status attached = attachReactions(db, conversation, rows); !attached)
        return attached.error();
    HistoryPage page;
    qint64 bytes = 0;
    bool more = false;
    for (qsizetype i = rows.size() - 1; i >= 0; --i) {
        if (page.messages.size() >= budget.rows) {
            more = true;
            break;
        }
        bytes += protocol::jsonSizeBound(rows.at(i));
        if (!page.messages.isEmpty() && bytes > budget.bytes) {
            more = true;
            break;
        }
        page.messages.prepend(std::move(rows[i]));
    }
    if (more)
        page.nextBeforeSeq = page.messages.constFirst().seq;
    return page;
}
} // namespace

QFuture<Result<AppendOutcome>> SqlStore::appendMessage(NewMessage m)
{
    return m_worker->write<AppendOutcome>([m, cache = m_directCache](
                                              SqlDb &db) mutable -> Result<AppendOutcome> {
        AppendOutcome out;
        // Idempotency: the same device re-sending the same id gets the original back.
        static const QString priorSql = QStringLiteral("SELECT ") + rows::kMessageColumns +
                                        QStringLiteral(" FROM messages WHERE client_id = ? AND "
                                                       "from_device = ?");
        QSqlQuery *prior = db.prepared(priorSql);
        if (!db.run(prior, {m.clientId, m.senderDevice}))
            return db.failure();
        if (prior->next()) {
            out.message = sql::messageFromRow(*prior);
            out.duplicate = true;
            return out;
        }

        QString conversation;
        std::optional<Membership> sender; // read only when needed
        QString pairKey; // set for a direct message whose conversation is not cached yet
        if (m.to.startsWith(QLatin1Char('u'))) {
            const QString key = directKey(m.senderUser, m.to);
            if (const DirectCache::Entry *known = cache->find(key, db.rollbackCount())) {
                conversation = known->conversation;
                out.memberUserIds = known->members;
            } else {
                Result<QString> direct = directConversation(db, m.senderUser, m.to);
                if (!direct)
                    return direct.error();
                conversation = *direct;
                pairKey = key;
            }
        } else {
            Result<Membership> membership = currentMembership(db, m.to, m.senderUser);
            if (!membership)
                return membership.error();
            conversation = m.to;
            sender = *membership;
        }

        // Changes, replies and mentions need more checks; plain messages skip them all.
        const bool change = protocol::isChangeKind(m.kind);
        ChangeCheck check;
        if (change || m.replyTo || !m.mentions.isEmpty()) {
            if (!sender) {
                Result<Membership> membership = currentMembership(db, conversation, m.senderUser);
                if (!membership)
                    return membership.error();
                sender = *membership;
            }
            if (change) {
                Result<ChangeCheck> checked = checkChange(db, conversation, *sender, m);
                if (!checked)
                    return checked.error();
                check = std::move(*checked);
                if (check.earlier) { // a delete of a deleted message: answered, not repeated
                    out.message = *check.earlier;
                    out.duplicate = true;
                    return out;
                }
                m.media.reset(); // a change carries no media, reply, forward or mentions
                m.replyTo.reset();
                m.forwarded = false;
                m.mentions.clear();
                if (m.kind == protocol::MessageKind::Delete)
                    m.content.clear();
            } else {
                if (m.replyTo) {
                    if (Status ok = checkReplyTarget(db, conversation, *sender, *m.replyTo); !ok)
                        return ok.error();
                }
                if (!m.mentions.isEmpty()) {
                    Result<QStringList> members = currentMembers(db, conversation);
                    if (!members)
                        return members.error();
                    m.mentions = keptMentions(m.mentions, *members);
                }
            }
        }

        // Media messages point at finished media the sender may fetch; the stored declaration
        // (not the client's copy) describes it to every receiver.
        if (m.media) {
            Result<MediaRecord> media = ops::downloadableMedia(db, m.senderUser, m.media->mediaId);
            if (!media)
                return media.error();
            m.media->name = media->name;
            m.media->mime = media->mime;
            m.media->size = media->size;
            m.media->sha256 = media->sha256;
        }

        Result<qint64> seq = nextSeq(db, conversation, m.serverTs, !change);
        if (!seq)
            return seq.error();
        if (change) {
            Result<QStringList> forgotten = applyChange(db, conversation, m, check, *seq);
            if (!forgotten)
                return forgotten.error();
            out.forgottenMedia = std::move(*forgotten);
        }
        if (m.media) {
            if (Status referenced = ops::referenceMedia(db, m.media->mediaId, conversation, *seq);
                !referenced)
                return referenced.error();
        }
        out.message.id = m.clientId;
        out.message.conversation = conversation;
        out.message.seq = *seq;
        out.message.from = m.senderUser;
        out.message.fromDevice = m.senderDevice;
        out.message.to = m.to;
        out.message.kind = m.kind;
        out.message.content = m.content;
        out.message.media = m.media;
        out.message.ts = m.ts;
        out.message.serverTs = m.serverTs;
        out.message.replyTo = m.replyTo;
        out.message.forwarded = m.forwarded;
        out.message.mentions = m.mentions;
        if (change) {
            out.message.ref = m.ref;
            out.message.on = m.on;
            if (m.kind == protocol::MessageKind::Edit)
                out.message.editedTs = m.serverTs;
        }
        if (Status inserted = insertMessage(db, out.message); !inserted)
            return inserted.error();

        if (out.memberUserIds.isEmpty()) {
            Result<QStringList> members = currentMembers(db, conversation);
            if (!members)
                return members.error();
            out.memberUserIds = *members;
            if (!pairKey.isEmpty())
                cache->insert(pairKey, {conversation, out.memberUserIds}, db.rollbackCount());
        }
        if (change) {
            Result<QStringList> blind = membersJoinedAfter(db, conversation, check.target);
            if (!blind)
                return blind.error();
            out.blindUserIds = std::move(*blind);
        }
        return out;
    });
}

QFuture<Result<QList<protocol::ConversationSummary>>> SqlStore::conversations(QString userId)
{
    return m_worker->read<QList<protocol::ConversationSummary>>(
        [userId](SqlDb &db) -> Result<QList<protocol::ConversationSummary>> {
            Result<ConversationPage> page = conversationPage(
                db, userId, QString(), {std::numeric_limits<int>::max() - 1, kUnbounded});
            if (!page)
                return page.error();
            return page->conversations;
        });
}

QFuture<Result<ConversationPage>> SqlStore::conversationsPage(QString userId, QString cursor,
                                                              PageBudget budget, Interest interest)
{
    return m_worker->read<ConversationPage>([=](SqlDb &db) -> Result<ConversationPage> {
        if (abandoned(interest))
            return abandonedError();
        return conversationPage(db, userId, cursor, budget);
    });
}

QFuture<Result<QList<protocol::MessageEvent>>>
SqlStore::history(QString userId, QString conversation, std::optional<qint64> beforeSeq, int limit)
{
    return m_worker->read<QList<protocol::MessageEvent>>(
        [=](SqlDb &db) -> Result<QList<protocol::MessageEvent>> {
            Result<HistoryPage> page =
                historyPageOf(db, userId, conversation, beforeSeq, {limit, kUnbounded});
            if (!page)
                return page.error();
            return page->messages;
        });
}

QFuture<Result<HistoryPage>> SqlStore::historyPage(QString userId, QString conversation,
                                                   std::optional<qint64> beforeSeq,
                                                   PageBudget budget, Interest interest)
{
    return m_worker->read<HistoryPage>([=](SqlDb &db) -> Result<HistoryPage> {
        if (abandoned(interest))
            return abandonedError();
        return historyPageOf(db, userId, conversation, beforeSeq, budget);
    });
}

QFuture<Result<WatermarkOutcome>> SqlStore::moveWatermark(QString userId, QString deviceId,
                                                          QString conversation, qint64 seq,
                                                          bool read)
{
    return m_worker->write<WatermarkOutcome>([=](SqlDb &db) -> Result<WatermarkOutcome> {
        Result<Membership> membership = currentMembership(db, conversation, userId);
        if (!membership)
            return membership.error();
        QSqlQuery *last =
            db.prepared(QStringLiteral("SELECT last_seq, kind FROM conversations WHERE id = ?"));
        if (!db.run(last, {conversation}) || !last->next())
            return db.failure();
        const qint64 target = std::min(seq, last->value(0).toLongLong());
        const bool group = last->value(1).toString() == QLatin1String("group");
        last->finish();

        WatermarkOutcome out;
        out.conversation = conversation;
        out.userId = userId;
        const qint64 oldDelivered = membership->deliveredSeq;
        const qint64 oldRead = membership->readSeq;
        out.readSeq = read ? std::max(oldRead, target) : oldRead;
        out.deliveredSeq = std::max({oldDelivered, target, out.readSeq});
        out.readMoved = out.readSeq > oldRead;
        out.deliveredMoved = out.deliveredSeq > oldDelivered;

        if (out.readMoved || out.deliveredMoved) {
            QSqlQuery *update = db.prepared(
                QStringLiteral("UPDATE members SET delivered_seq = ?, read_seq = ? WHERE "
                               "conversation_id = ? AND user_id = ?"));
            if (!db.run(update, {out.deliveredSeq, out.readSeq, conversation, userId}))
                return db.failure();
            // "Message info" of group messages shows when each member got and read them.
            if (group) {
                if (Status recorded =
                        recordWatermarkMove(db, conversation, userId, oldDelivered, oldRead,
                                            out.deliveredSeq, out.readSeq, nowMs());
                    !recorded)
                    return recorded.error();
            }
            // Whose messages did this move newly pass? Those senders get a receipt event.
            const qint64 from = out.readMoved ? oldRead : oldDelivered;
            const qint64 to = out.readMoved ? out.readSeq : out.deliveredSeq;
            QSqlQuery *senders = db.prepared(QStringLiteral(
                "SELECT DISTINCT from_user FROM messages WHERE conversation_id = ? AND seq > ? "
                "AND seq <= ? AND from_user <> ? AND kind NOT IN ('system', 'edit', 'delete', "
                "'reaction') AND from_user IN "
                "(SELECT user_id FROM members WHERE conversation_id = ? AND left_seq IS NULL)"));
            // Former members hear nothing more of the conversation, receipts included.
            if (!db.run(senders, {conversation, from, to, userId, conversation}))
                return db.failure();
            while (senders->next())
                out.notifyUserIds << senders->value(0).toString();
        }
        // The device's sync position follows its own watermarks.
        QSqlQuery *position = db.prepared(QStringLiteral(
            "INSERT INTO device_positions (device_id, conversation_id, seq) VALUES (?, ?, ?) "
            "ON CONFLICT (device_id, conversation_id) DO UPDATE SET seq = excluded.seq "
            "WHERE excluded.seq > device_positions.seq"));
        if (!db.run(position, {deviceId, conversation, target}))
            return db.failure();
        return out;
    });
}

QFuture<Result<QList<QPair<QString, qint64>>>> SqlStore::resolveMessageIds(QString userId,
                                                                           QStringList ids)
{
    return m_worker->read<QList<QPair<QString, qint64>>>(
        [=](SqlDb &db) -> Result<QList<QPair<QString, qint64>>> {
            QSqlQuery *q = db.prepared(QStringLiteral(
                "SELECT m.conversation_id, m.seq FROM messages m JOIN members mb ON "
                "mb.conversation_id = m.conversation_id AND mb.user_id = ? AND "
                "mb.left_seq IS NULL WHERE m.client_id = ? AND m.seq >= mb.joined_seq"));
            QList<QPair<QString, qint64>> out;
            for (const QString &id : ids) {
                if (!db.run(q, {userId, id}))
                    return db.failure();
                bool found = false;
                while (q->next()) {
                    out.append({q->value(0).toString(), q->value(1).toLongLong()});
                    found = true;
                }
                if (!found)
                    return Error{ErrorCode::NotFound, QStringLiteral("no such message: ") + id};
            }
            return out;
        });
}

QFuture<Result<QList<protocol::MemberReceipt>>> SqlStore::receipts(QString userId,
                                                                   QString conversation, qint64 seq)
{
    return m_worker->read<QList<protocol::MemberReceipt>>(
        [=](SqlDb &db) -> Result<QList<protocol::MemberReceipt>> {
            Result<Membership> membership = currentMembership(db, conversation, userId);
            if (!membership)
                return membership.error();
            // Members who joined after the message never receive it; they are left out.
            QSqlQuery *q = db.prepared(QStringLiteral(
                "SELECT user_id, delivered_seq, read_seq FROM members WHERE conversation_id = ? "
                "AND left_seq IS NULL AND user_id <> ? AND joined_seq <= ? ORDER BY user_id"));
            if (!db.run(q, {conversation, userId, seq}))
                return db.failure();
            QList<protocol::MemberReceipt> out;
            while (q->next()) {
                protocol::MemberReceipt r;
                r.userId = q->value(0).toString();
                r.deliveredSeq = q->value(1).toLongLong();
                r.readSeq = q->value(2).toLongLong();
                r.delivered = r.deliveredSeq >= seq;
                r.read = r.readSeq >= seq;
                out << r;
            }
            q->finish();
            for (protocol::MemberReceipt &r : out) {
                if (r.delivered) {
                    Result<std::optional<qint64>> at =
                        watermarkTime(db, conversation, r.userId, seq, false);
                    if (!at)
                        return at.error();
                    r.deliveredTs = *at;
                }
                if (r.read) {
                    Result<std::optional<qint64>> at =
                        watermarkTime(db, conversation, r.userId, seq, true);
                    if (!at)
                        return at.error();
                    r.readTs = *at;
                }
            }
            return out;
        });
}

QFuture<Result<QList<SyncRange>>> SqlStore::syncRanges(QString userId, QString deviceId,
                                                       Interest interest)
{
    return m_worker->read<QList<SyncRange>>([=](SqlDb &db) -> Result<QList<SyncRange>> {
        if (abandoned(interest))
            return abandonedError();
        QSqlQuery *q = db.prepared(QStringLiteral(
            "SELECT m.conversation_id, m.joined_seq, m.left_seq, c.last_seq, p.seq FROM members m "
            "JOIN conversations c ON c.id = m.conversation_id LEFT JOIN device_positions p ON "
            "p.device_id = ? AND p.conversation_id = m.conversation_id WHERE m.user_id = ? "
            "ORDER BY c.last_activity_ms, c.id"));
        if (!db.run(q, {deviceId, userId}))
            return db.failure();
        QList<SyncRange> out;
        while (q->next()) {
            SyncRange r;
            r.conversation = q->value(0).toString();
            r.joinedSeq = q->value(1).toLongLong();
            const qint64 joinedBefore = q->value(1).toLongLong() - 1;
            r.after = q->value(4).isNull() ? joinedBefore
                                           : std::max(joinedBefore, q->value(4).toLongLong());
            // A removed member's backlog ends with the message that removed them.
            r.upTo = q->value(2).isNull() ? q->value(3).toLongLong() : q->value(2).toLongLong();
            if (r.upTo > r.after)
                out << r;
        }
        return out;
    });
}

QFuture<Result<QList<protocol::MessageEvent>>>
SqlStore::syncPage(QString deviceId, SyncRange range, int limit, qint64 maxBytes, Interest interest)
{
    return m_worker->read<QList<protocol::MessageEvent>>(
        [=](SqlDb &db) -> Result<QList<protocol::MessageEvent>> {
            if (abandoned(interest))
                return abandonedError();
            QSqlQuery *q = db.prepared(
                QStringLiteral("SELECT ") + rows::kMessageSelectColumns +
                QStringLiteral(" FROM messages WHERE conversation_id = ? AND seq > ? AND seq <= ? "
                               "AND from_device <> ? ORDER BY seq LIMIT ?"));
            if (!db.run(q, {range.conversation, range.after, range.upTo, deviceId, limit}))
                return db.failure();
            QList<protocol::MessageEvent> rows;
            while (q->next())
                rows << messageFromFullRow(*q);
            q->finish();
            blindChangesBefore(rows, range.joinedSeq);
            // Reactions first: they count towards a message's size.
            if (Status attached = attachReactions(db, range.conversation, rows); !attached)
                return attached.error();
            QList<protocol::MessageEvent> out;
            qint64 bytes = 0;
            for (protocol::MessageEvent &message : rows) {
                bytes += protocol::jsonSizeBound(message);
                if (!out.isEmpty() && bytes > maxBytes)
                    break;
                out << std::move(message);
            }
            return out;
        });
}

} // namespace tern::server::store
