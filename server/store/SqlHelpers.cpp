#include "SqlHelpers.h"

#include "server/store/SqlMessageState.h"
#include "server/store/SqlRows.h"
#include "shared/core/Clock.h"
#include "shared/crypto/Crypto.h"
#include "shared/sql/MessageRow.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlQuery>

namespace tern::server::store::ops {

Error conversationNotFound()
{
    return Error{ErrorCode::NotFound, QStringLiteral("no such conversation")};
}

Result<Membership> currentMembership(SqlDb &db, const QString &conversation, const QString &user)
{
    QSqlQuery *q = db.prepared(
        QStringLiteral("SELECT role, joined_seq, delivered_seq, read_seq FROM members WHERE "
                       "conversation_id = ? AND user_id = ? AND left_seq IS NULL"));
    if (!db.run(q, {conversation, user}))
        return db.failure();
    if (!q->next())
        return conversationNotFound();
    return Membership{protocol::fromWireName<protocol::Role>(q->value(0).toString())
                          .value_or(protocol::Role::Member),
                      q->value(1).toLongLong(), q->value(2).toLongLong(), q->value(3).toLongLong()};
}

Result<QStringList> currentMembers(SqlDb &db, const QString &conversation)
{
    QSqlQuery *q = db.prepared(QStringLiteral(
        "SELECT user_id FROM members WHERE conversation_id = ? AND left_seq IS NULL"));
    if (!db.run(q, {conversation}))
        return db.failure();
    QStringList users;
    while (q->next())
        users << q->value(0).toString();
    return users;
}

QString directKey(const QString &a, const QString &b)
{
    return a < b ? a + QLatin1Char('|') + b : b + QLatin1Char('|') + a;
}

Result<QString> directConversation(SqlDb &db, const QString &from, const QString &to)
{
    QSqlQuery *user = db.prepared(QStringLiteral("SELECT 1 FROM users WHERE id = ?"));
    if (!db.run(user, {to}))
        return db.failure();
    if (!user->next())
        return Error{ErrorCode::NotFound, QStringLiteral("no such user")};
    user->finish();
    const QString key = directKey(from, to);
    QSqlQuery *find =
        db.prepared(QStringLiteral("SELECT id FROM conversations WHERE direct_key = ?"));
    if (!db.run(find, {key}))
        return db.failure();
    if (find->next())
        return find->value(0).toString();

    const QString id = crypto::randomId(QStringLiteral("c"));
    const qint64 now = tern::nowMs();
    QSqlQuery *create = db.prepared(QStringLiteral(
        "INSERT INTO conversations (id, kind, direct_key, last_activity_ms, created_ms) "
        "VALUES (?, 'direct', ?, ?, ?)"));
    if (!db.run(create, {id, key, now, now}))
        return db.failure();
    QSqlQuery *member = db.prepared(QStringLiteral(
        "INSERT INTO members (conversation_id, user_id, role, joined_seq, joined_ms) "
        "VALUES (?, ?, 'member', 1, ?)"));
    for (const QString &u : QSet<QString>{from, to}) {
        if (!db.run(member, {id, u, now}))
            return db.failure();
    }
    return id;
}

Result<std::optional<protocol::MessageEvent>> messageAtSeq(SqlDb &db, const QString &conversation,
                                                           qint64 seq)
{
    QSqlQuery *q =
        db.prepared(QStringLiteral("SELECT ") + rows::kMessageColumns +
                    QStringLiteral(" FROM messages WHERE conversation_id = ? AND seq = ?"));
    if (!db.run(q, {conversation, seq}))
        return db.failure();
    if (!q->next())
        return std::optional<protocol::MessageEvent>();
    return std::optional<protocol::MessageEvent>(sql::messageFromRow(*q));
}

Result<qint64> nextSeq(SqlDb &db, const QString &conversation, qint64 nowMs, bool activity)
{
    QSqlQuery *bump =
        activity ? db.prepared(QStringLiteral("UPDATE conversations SET last_seq = last_seq + 1, "
                                              "last_activity_ms = ? WHERE id = ? RETURNING "
                                              "last_seq"))
                 : db.prepared(QStringLiteral("UPDATE conversations SET last_seq = last_seq + 1 "
                                              "WHERE id = ? RETURNING last_seq"));
    if (!(activity ? db.run(bump, {nowMs, conversation}) : db.run(bump, {conversation})))
        return db.failure();
    if (!bump->next()) // not an SQL error: lastError() would name an older one
        return conversationNotFound();
    const qint64 seq = bump->value(0).toLongLong();
    bump->finish();
    return seq;
}

Status insertMessage(SqlDb &db, const protocol::MessageEvent &m)
{
    // Rarer: media, a reply, a forward, mentions or a change event.
    if (m.media || hasStoredExtras(m)) {
        QSqlQuery *full = db.prepared(
            QStringLiteral("INSERT INTO messages (") + rows::kMessageSelectColumns +
            QStringLiteral(", media_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?, ?)"));
        const auto text = [](const QString &v) { return v.isNull() ? QStringLiteral("") : v; };
        const auto optional = [](const std::optional<qint64> &v) {
            return v ? QVariant(*v) : QVariant(QMetaType::fromType<qint64>());
        };
        const QVariant mentions =
            m.mentions.isEmpty()
                ? QVariant(QMetaType::fromType<QString>())
                : QVariant(QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(m.mentions))
                                                 .toJson(QJsonDocument::Compact)));
        const QVariant on = m.kind == protocol::MessageKind::Reaction
                                ? QVariant(int(m.on))
                                : QVariant(QMetaType::fromType<int>());
        if (!db.run(
                full,
                {text(m.conversation), m.seq, text(m.id), text(m.from), text(m.fromDevice),
                 text(m.to), text(m.kindWireName()), text(m.content), sql::mediaToColumn(m.media),
                 m.ts, m.serverTs, optional(m.replyTo), int(m.forwarded), mentions,
                 optional(m.editedTs), int(m.deleted), optional(m.ref), on,
                 m.media ? QVariant(m.media->mediaId) : QVariant(QMetaType::fromType<QString>())}))
            return db.failure();
        return Ok{};
    }
    QSqlQuery *insert =
        db.prepared(QStringLiteral("INSERT INTO messages (") + rows::kMessageColumns +
                    QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    if (!sql::runMessageInsert(db, insert, m))
        return db.failure();
    return Ok{};
}

Result<bool> purgeSearchIndex(SqlDb &db, int pages)
{
    QSqlQuery *pending = db.prepared(QStringLiteral("SELECT pending FROM search_purge"));
    if (!db.run(pending))
        return db.failure();
    const bool marked = pending->next() && pending->value(0).toInt() != 0;
    pending->finish();
    if (!marked)
        return false;
    // A negative page count merges all segments into one, incrementally (FTS5's "merge"
    // command); fewer than two rows changed means nothing was left to merge.
    QSqlQuery *changes = db.prepared(QStringLiteral("SELECT total_changes()"));
    QSqlQuery *merge = db.prepared(
        QStringLiteral("INSERT INTO messages_fts (messages_fts, rank) VALUES ('merge', ?)"));
    if (!db.run(changes) || !changes->next())
        return db.failure();
    const qint64 before = changes->value(0).toLongLong();
    changes->finish();
    if (!db.run(merge, {-qMax(1, pages)}) || !db.run(changes) || !changes->next())
        return db.failure();
    const qint64 after = changes->value(0).toLongLong();
    changes->finish();
    if (after - before >= 2)
        return true;
    QSqlQuery *done = db.prepared(QStringLiteral("UPDATE search_purge SET pending = 0"));
    if (!db.run(done))
        return db.failure();
    return false;
}

Result<bool> indexSearch(SqlDb &db, int rows)
{
    QSqlQuery *mark = db.prepared(QStringLiteral("SELECT upto FROM search_indexed WHERE id = 1"));
    if (!db.run(mark) || !mark->next())
        return db.failure();
    const qint64 from = mark->value(0).toLongLong();
    mark->finish();
    // The rowid of the last row of this batch: rowids have gaps (deleted rows) and need not be
    // searchable, so count rows, not rowids.
    QSqlQuery *batch = db.prepared(
        QStringLiteral("SELECT MAX(rowid), COUNT(*) FROM "
                       "(SELECT rowid FROM messages WHERE rowid > ? ORDER BY rowid LIMIT ?)"));
    if (!db.run(batch, {from, qMax(1, rows)}) || !batch->next())
        return db.failure();
    const qint64 upto = batch->value(0).toLongLong();
    const int found = batch->value(1).toInt();
    batch->finish();
    if (found == 0)
        return false;
    // The view holds what the triggers index: searchable kinds, text or caption and file name.
    QSqlQuery *index = db.prepared(QStringLiteral(
        "INSERT INTO messages_fts (rowid, content, file_name) SELECT message_rowid, content, "
        "file_name FROM messages_fts_source WHERE message_rowid > ? AND message_rowid <= ?"));
    QSqlQuery *move =
        db.prepared(QStringLiteral("UPDATE search_indexed SET upto = ? WHERE id = 1"));
    if (!db.run(index, {from, upto}) || !db.run(move, {upto}))
        return db.failure();
    return found >= rows;
}

} // namespace tern::server::store::ops
