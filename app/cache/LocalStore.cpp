#include "LocalStore.h"

#include "app/cache/MessageRows.h"

#include "shared/protocol/Codec.h"
#include "shared/sql/MessageRow.h"
#include "shared/sql/Migrations.h"
#include "shared/sql/SqlWorker.h"

#include <QAtomicInt>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QSqlQuery>

#include <algorithm>

namespace tern::app::cache {

using sql::Migrations;
using sql::SqlDb;
using sql::SqlWorker;

const QString LocalStore::kMigrations = QStringLiteral(":/tern/app-migrations");

namespace {

QString nextConnectionName()
{
    static QAtomicInt counter;
    return QStringLiteral("tern-cache-%1").arg(counter.fetchAndAddRelaxed(1));
}

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString compact(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

// A null QString binds as SQL NULL: text columns get "" instead (e.g. empty media captions).
QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

std::optional<QJsonObject> parseObject(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    const QJsonDocument doc = QJsonDocument::fromJson(value.toString().toUtf8());
    return doc.isObject() ? std::optional<QJsonObject>(doc.object()) : std::nullopt;
}

QVariant optionalColumn(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant();
}

std::optional<qint64> optionalFromColumn(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional<qint64>(value.toLongLong());
}

// What the contract allows a snippet (features-s14.md): at most 200 characters.
constexpr int kMaxSnippetChars = 200;

//! Cuts a snippet of long words to kMaxSnippetChars around its first match, "…" at the cuts.
QString fitSnippet(const QString &snippet)
{
    if (snippet.size() <= kMaxSnippetChars)
        return snippet;
    const qsizetype match = std::max<qsizetype>(snippet.indexOf(QChar(2)), 0);
    const qsizetype start =
        std::clamp<qsizetype>(match - kMaxSnippetChars / 3, 0, snippet.size() - kMaxSnippetChars);
    QString out = snippet.mid(start, kMaxSnippetChars);
    if (start > 0)
        out[0] = QChar(0x2026);
    if (start + kMaxSnippetChars < snippet.size())
        out[out.size() - 1] = QChar(0x2026);
    return out;
}

//! Advances a conversation's delivery watermark over every stored contiguous seq. A
//! conversation seen for the first time starts just below `firstReceived`: a device receives a
//! conversation from the point where it joined, not from seq 1.
Result<qint64> advanceDelivery(SqlDb &db, const QString &conversation, qint64 firstReceived)
{
    QSqlQuery *get = db.prepared(QStringLiteral("SELECT seq FROM delivery WHERE conversation = ?"));
    if (!db.run(get, {conversation}))
        return db.failure();
    qint64 mark = get->next() ? get->value(0).toLongLong() : firstReceived - 1;
    get->finish();
    QSqlQuery *next = db.prepared(QStringLiteral(
        "SELECT seq FROM messages WHERE conversation = ? AND seq > ? ORDER BY seq LIMIT 256"));
    for (bool more = true; more;) {
        if (!db.run(next, {conversation, mark}))
            return db.failure();
        int rows = 0;
        more = false;
        while (next->next()) {
            ++rows;
            if (next->value(0).toLongLong() != mark + 1)
                break;
            ++mark;
            more = rows == 256; // a full page without a gap: look further
        }
        next->finish();
    }
    QSqlQuery *put = db.prepared(
        QStringLiteral("INSERT OR REPLACE INTO delivery (conversation, seq) VALUES (?, ?)"));
    if (!db.run(put, {conversation, mark}))
        return db.failure();
    return mark;
}

//! Our own user id, as the client keeps it in the settings (ChatConnection::kUserIdKey; the
//! cache cannot include the client); "" before the first sign-in.
Result<QString> ownUserId(SqlDb &db)
{
    QSqlQuery *q = db.prepared(QStringLiteral("SELECT value FROM settings WHERE key = 'user_id'"));
    if (!db.run(q))
        return db.failure();
    const QString id = q->next() ? q->value(0).toString() : QString();
    q->finish();
    return id;
}

//! A newly stored, received message of someone else that mentions us and lies after our read
//! position counts toward the chat's unread mentions (the "@" badge; docs/protocol.md).
Status countMention(SqlDb &db, const protocol::MessageEvent &m, const QString &me)
{
    const bool counts =
        !me.isEmpty() && m.from != me && m.mentions.contains(me) && !m.deleted &&
        (m.kind == protocol::MessageKind::Text || m.kind == protocol::MessageKind::Image ||
         m.kind == protocol::MessageKind::File);
    if (!counts)
        return Ok{};
    QSqlQuery *q =
        db.prepared(QStringLiteral("UPDATE conversations SET unread_mentions = unread_mentions + 1 "
                                   "WHERE conversation = ? AND read_seq < ?"));
    if (!db.run(q, {m.conversation, m.seq}))
        return db.failure();
    return Ok{};
}

} // namespace

LocalStore::LocalStore(QString path)
    : m_path(std::move(path)),
      m_worker(std::make_unique<SqlWorker>(QStringLiteral("QSQLITE"), nextConnectionName()))
{}

LocalStore::~LocalStore() = default;

int LocalStore::latestSchemaVersion()
{
    return Migrations::latestVersion(kMigrations);
}

Status LocalStore::open()
{
    const QString path = m_path;
    return m_worker->start([path](SqlDb &db) -> Status {
        db.database().setDatabaseName(path);
        db.database().setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.database().open())
            return Error{ErrorCode::Internal, QStringLiteral("cannot open database ") + path};
        // FULL: an outbox row is on disk before the UI shows the message as queued.
        for (const char *pragma :
             {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA temp_store=MEMORY",
              // Deleted and hidden text is overwritten in the file, not just unlinked (issue 19).
              "PRAGMA secure_delete=ON"}) {
            if (!db.execDirect(QString::fromLatin1(pragma)))
                return db.failure();
        }
        return Migrations::migrate(db, kMigrations);
    });
}

QFuture<Result<int>> LocalStore::schemaVersion()
{
    return m_worker->read<int>([](SqlDb &db) { return Migrations::currentVersion(db); });
}

// ---- conversations -------------------------------------------------------------------------

QFuture<Status> LocalStore::saveConversations(QList<protocol::ConversationSummary> conversations)
{
    return m_worker->write<Ok>([conversations](SqlDb &db) -> Status {
        // An upsert, not INSERT OR REPLACE: the row's unread mentions are counted here, not
        // sent by the server, and stay unless the list says the chat was read to its end.
        QSqlQuery *q = db.prepared(QStringLiteral(
            "INSERT INTO conversations (conversation, kind, name, members, last_seq, "
            "last_message, unread, read_seq, last_activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (conversation) DO UPDATE SET kind = excluded.kind, "
            "name = excluded.name, members = excluded.members, last_seq = excluded.last_seq, "
            "last_message = excluded.last_message, unread = excluded.unread, "
            "read_seq = excluded.read_seq, last_activity = excluded.last_activity, "
            "unread_mentions = CASE WHEN excluded.read_seq >= excluded.last_seq THEN 0 "
            "ELSE unread_mentions END"));
        for (const protocol::ConversationSummary &c : conversations) {
            QJsonArray members;
            for (const protocol::MemberInfo &member : c.members)
                members.append(protocol::toJson(member));
            const QVariant last =
                c.lastMessage ? QVariant(compact(protocol::toJson(*c.lastMessage))) : QVariant();
            const qint64 activity = c.lastMessage ? c.lastMessage->serverTs : 0;
            if (!db.run(q, {c.conversation, protocol::wireName(c.kind), c.name, compact(members),
                            c.lastSeq, last, c.unread, c.readSeq, activity}))
                return db.failure();
        }
        return Ok{};
    });
}

QFuture<Result<QList<protocol::ConversationSummary>>> LocalStore::conversations()
{
    using List = QList<protocol::ConversationSummary>;
    return m_worker->read<List>([](SqlDb &db) -> Result<List> {
        QSqlQuery *q = db.prepared(
            QStringLiteral("SELECT conversation, kind, name, members, last_seq, last_message, "
                           "unread, read_seq FROM conversations "
                           "ORDER BY last_activity DESC, conversation"));
        if (!db.run(q))
            return db.failure();
        List list;
        while (q->next()) {
            protocol::ConversationSummary c;
            c.conversation = q->value(0).toString();
            c.kind = protocol::fromWireName<protocol::ConversationKind>(q->value(1).toString())
                         .value_or(protocol::ConversationKind::Direct);
            c.name = q->value(2).toString();
            const QJsonArray members =
                QJsonDocument::fromJson(q->value(3).toString().toUtf8()).array();
            for (const QJsonValue &member : members) {
                Result<protocol::MemberInfo> info =
                    protocol::fromJson<protocol::MemberInfo>(member.toObject());
                if (info)
                    c.members.append(*info);
            }
            c.lastSeq = q->value(4).toLongLong();
            if (const auto last = parseObject(q->value(5))) {
                Result<protocol::MessageEvent> m =
                    protocol::fromJson<protocol::MessageEvent>(*last);
                if (m)
                    c.lastMessage = *m;
            }
            c.unread = q->value(6).toLongLong();
            c.readSeq = q->value(7).toLongLong();
            list.append(c);
        }
        return list;
    });
}

QFuture<Status> LocalStore::setReadSeq(QString conversation, qint64 seq)
{
    return m_worker->write<Ok>([conversation, seq](SqlDb &db) -> Status {
        QSqlQuery *q = db.prepared(
            QStringLiteral("UPDATE conversations SET read_seq = MAX(read_seq, ?), unread = 0, "
                           "unread_mentions = CASE WHEN ? >= last_seq THEN 0 "
                           "ELSE unread_mentions END WHERE conversation = ?"));
        if (!db.run(q, {seq, seq, conversation}))
            return db.failure();
        return Ok{};
    });
}

QFuture<Status> LocalStore::clearUnreadMentions(QString conversation)
{
    return m_worker->write<Ok>([conversation](SqlDb &db) -> Status {
        QSqlQuery *q = db.prepared(
            QStringLiteral("UPDATE conversations SET unread_mentions = 0 WHERE conversation = ?"));
        if (!db.run(q, {conversation}))
            return db.failure();
        return Ok{};
    });
}

QFuture<Result<QHash<QString, int>>> LocalStore::unreadMentions()
{
    using Map = QHash<QString, int>;
    return m_worker->read<Map>([](SqlDb &db) -> Result<Map> {
        QSqlQuery *q = db.prepared(QStringLiteral(
            "SELECT conversation, unread_mentions FROM conversations WHERE unread_mentions > 0"));
        if (!db.run(q))
            return db.failure();
        Map map;
        while (q->next())
            map.insert(q->value(0).toString(), q->value(1).toInt());
        return map;
    });
}

// ---- messages ------------------------------------------------------------------------------

QFuture<Result<SaveOutcome>> LocalStore::saveMessages(QList<protocol::MessageEvent> messages,
                                                      bool received)
{
    return m_worker->write<SaveOutcome>([messages, received](SqlDb &db) -> Result<SaveOutcome> {
        SaveOutcome outcome;
        QHash<QString, qint64> firstReceived;
        bool textRemoved = false;
        Result<QString> me = received ? ownUserId(db) : Result<QString>(QString());
        if (!me)
            return me.error();
        for (const protocol::MessageEvent &m : messages) {
            Result<rows::Stored> stored = rows::store(db, m);
            if (!stored)
                return stored.error();
            outcome.inserted.append(stored->inserted);
            textRemoved = textRemoved || stored->textRemoved;
            if (stored->inserted && received) {
                if (const Status counted = countMention(db, m, *me); !counted)
                    return counted.error();
            }
            auto it = firstReceived.find(m.conversation);
            if (it == firstReceived.end())
                firstReceived.insert(m.conversation, m.seq);
            else
                *it = std::min(*it, m.seq);
        }
        if (received) {
            for (auto it = firstReceived.cbegin(); it != firstReceived.cend(); ++it) {
                Result<qint64> mark = advanceDelivery(db, it.key(), it.value());
                if (!mark)
                    return mark.error();
                outcome.delivered.insert(it.key(), *mark);
            }
        }
        if (textRemoved) {
            const Status purged = rows::purgeSearchIndex(db);
            if (!purged)
                return purged.error();
        }
        return outcome;
    });
}

QFuture<Result<QList<protocol::MessageEvent>>> LocalStore::messages(QString conversation,
                                                                    qint64 beforeSeq, int limit)
{
    using List = QList<protocol::MessageEvent>;
    return m_worker->read<List>([conversation, beforeSeq, limit](SqlDb &db) -> Result<List> {
        QSqlQuery *q = db.prepared(QStringLiteral("SELECT ") + rows::kColumns +
                                   QStringLiteral(" FROM messages WHERE conversation = ? AND "
                                                  "seq < ? AND hidden = 0 ORDER BY seq DESC "
                                                  "LIMIT ?"));
        const qint64 before = beforeSeq > 0 ? beforeSeq : std::numeric_limits<qint64>::max();
        if (!db.run(q, {conversation, before, std::max(0, limit)}))
            return db.failure();
        List list;
        while (q->next())
            list.append(rows::fromRow(*q));
        std::reverse(list.begin(), list.end()); // newest-first query, oldest-first answer
        return list;
    });
}

QFuture<Result<QList<protocol::MessageEvent>>> LocalStore::messagesBySeq(QString conversation,
                                                                         QList<qint64> seqs)
{
    using List = QList<protocol::MessageEvent>;
    return m_worker->read<List>([conversation, seqs](SqlDb &db) -> Result<List> {
        QSqlQuery *q = db.prepared(QStringLiteral("SELECT ") + rows::kColumns +
                                   QStringLiteral(" FROM messages WHERE conversation = ? AND "
                                                  "seq = ? AND hidden = 0"));
        QList<qint64> sorted = seqs;
        std::sort(sorted.begin(), sorted.end());
        sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
        List list;
        for (const qint64 seq : std::as_const(sorted)) {
            if (!db.run(q, {conversation, seq}))
                return db.failure();
            if (q->next())
                list.append(rows::fromRow(*q));
            q->finish();
        }
        return list;
    });
}

QFuture<Status> LocalStore::hideMessages(QString conversation, QList<qint64> seqs)
{
    return m_worker->write<Ok>([conversation, seqs](SqlDb &db) -> Status {
        Result<bool> hidden = rows::hide(db, conversation, seqs);
        if (!hidden)
            return hidden.error();
        if (*hidden)
            return rows::purgeSearchIndex(db);
        return Ok{};
    });
}

QFuture<Result<qint64>> LocalStore::maxSeq(QString conversation)
{
    return m_worker->read<qint64>([conversation](SqlDb &db) -> Result<qint64> {
        QSqlQuery *q = db.prepared(
            QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE conversation = ?"));
        if (!db.run(q, {conversation}))
            return db.failure();
        return q->next() ? q->value(0).toLongLong() : qint64(0);
    });
}

QString LocalStore::matchExpression(const QString &text)
{
    QStringList terms;
    for (const QString &word :
         text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
        // A word without a letter or digit ("*", "-", "(") has no token: leave it out rather
        // than ask for an empty phrase.
        if (std::none_of(word.cbegin(), word.cend(), [](QChar c) { return c.isLetterOrNumber(); }))
            continue;
        // Quoted, any '"' doubled: the word is a string to FTS5, never an operator, column
        // filter or NEAR. A one-letter word is asked exactly (a prefix of one letter would
        // merge the lists of every word starting with it).
        QString quoted = QStringLiteral("body : \"") +
                         QString(word).replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
                         QLatin1Char('"');
        if (word.size() > 1)
            quoted += QLatin1Char('*');
        terms << quoted;
    }
    return terms.join(QLatin1Char(' '));
}

QFuture<Result<QList<LocalSearchHit>>> LocalStore::search(SearchQuery query)
{
    using List = QList<LocalSearchHit>;
    return m_worker->read<List>([query](SqlDb &db) -> Result<List> {
        const QString match = matchExpression(query.text);
        if (match.isEmpty())
            return List{};
        const int limit = std::clamp(query.limit, 1, kMaxSearchHits);
        // One chat: its id in the `chat` column, intersected with the words by the index
        // (quoted like a word: ids are the server's, never FTS5 syntax either).
        const QString expression =
            query.conversation.isEmpty()
                ? match
                : QStringLiteral("chat : \"%1\" ")
                          .arg(QString(query.conversation)
                                   .replace(QLatin1Char('"'), QStringLiteral("\"\""))) +
                      match;
        // The newest candidates by rowid (FTS5 walks its rowids backwards and stops), ranked
        // afterwards (bm25 of the text only): bm25 over a million matches of a common word took
        // seconds.
        QSqlQuery *q = db.prepared(QStringLiteral(
            "SELECT r.conversation, r.seq, m.id, m.sender, m.server_ts, c.score, c.fid FROM "
            "(SELECT rowid AS fid, bm25(messages_fts, 1.0, 0.0) AS score FROM messages_fts "
            "WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?) c "
            "JOIN search_rows r ON r.id = c.fid "
            "JOIN messages m ON m.conversation = r.conversation AND m.seq = r.seq "
            "WHERE (? = '' OR r.conversation = ?) AND m.hidden = 0 AND m.deleted = 0 "
            "ORDER BY c.score, m.server_ts DESC, r.seq DESC LIMIT ?"));
        if (!db.run(q, {expression, kSearchCandidates, text(query.conversation),
                        text(query.conversation), limit}))
            return db.failure();
        List hits;
        QList<qint64> rowids;
        while (q->next()) {
            hits.append(LocalSearchHit{q->value(0).toString(), q->value(1).toLongLong(),
                                       q->value(2).toString(), q->value(3).toString(),
                                       q->value(4).toLongLong(), QString(),
                                       q->value(5).toDouble()});
            rowids.append(q->value(6).toLongLong());
        }
        q->finish();
        // Snippets only for what is returned: a rowid lookup each.
        QSqlQuery *snip = db.prepared(QStringLiteral(
            "SELECT snippet(messages_fts, 0, char(2), char(3), '…', 16) FROM messages_fts "
            "WHERE messages_fts MATCH ? AND rowid = ?"));
        for (qsizetype i = 0; i < hits.size(); ++i) {
            if (!db.run(snip, {match, rowids.at(i)}))
                return db.failure();
            if (snip->next())
                hits[i].snippet = fitSnippet(snip->value(0).toString());
            snip->finish();
        }
        return hits;
    });
}

// ---- outbox --------------------------------------------------------------------------------

QFuture<Status> LocalStore::addToOutbox(OutboxItem item)
{
    return m_worker->write<Ok>([item](SqlDb &db) -> Status {
        QSqlQuery *exists = db.prepared(QStringLiteral("SELECT 1 FROM outbox WHERE id = ?"));
        if (!db.run(exists, {item.id}))
            return db.failure();
        const bool taken = exists->next();
        exists->finish();
        if (taken)
            return Error{ErrorCode::Conflict, QStringLiteral("id already queued")};
        QSqlQuery *q = db.prepared(QStringLiteral(
            "INSERT INTO outbox (id, recipient, kind, content, media, ts, created, attempts, "
            "local_path, upload_id, ref_seq, reaction_on, reply_to, forwarded, mentions) "
            "VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(created), 0) + 1 FROM outbox), 0, "
            "?, ?, ?, ?, ?, ?, ?)"));
        if (!db.run(q, {text(item.id), text(item.to), protocol::wireName(item.kind),
                        text(item.content), sql::mediaToColumn(item.media), item.ts,
                        text(item.localPath), text(item.uploadId), optionalColumn(item.ref),
                        item.ref ? QVariant(item.on ? 1 : 0) : QVariant(),
                        optionalColumn(item.replyTo), item.forwarded ? 1 : 0,
                        rows::mentionsColumn(item.mentions)}))
            return db.failure();
        return Ok{};
    });
}

QFuture<Result<QList<OutboxItem>>> LocalStore::outbox()
{
    using List = QList<OutboxItem>;
    return m_worker->read<List>([](SqlDb &db) -> Result<List> {
        QSqlQuery *q = db.prepared(QStringLiteral(
            "SELECT id, recipient, kind, content, media, ts, created, attempts, local_path, "
            "upload_id, ref_seq, reaction_on, reply_to, forwarded, mentions FROM outbox "
            "ORDER BY created"));
        if (!db.run(q))
            return db.failure();
        List list;
        while (q->next()) {
            // Only what we queue ourselves (text, image, file and changes) is in the outbox.
            const std::optional<protocol::MessageKind> kind =
                protocol::fromWireName<protocol::MessageKind>(q->value(2).toString());
            OutboxItem item;
            item.id = q->value(0).toString();
            item.to = q->value(1).toString();
            item.kind = kind.value_or(protocol::MessageKind::Text);
            item.content = q->value(3).toString();
            item.media = sql::mediaFromColumn(q->value(4));
            item.ts = q->value(5).toLongLong();
            item.created = q->value(6).toLongLong();
            item.attempts = q->value(7).toInt();
            item.localPath = q->value(8).toString();
            item.uploadId = q->value(9).toString();
            item.ref = optionalFromColumn(q->value(10));
            item.on = q->value(11).isNull() || q->value(11).toInt() != 0;
            item.replyTo = optionalFromColumn(q->value(12));
            item.forwarded = q->value(13).toInt() != 0;
            item.mentions = rows::mentionsFrom(q->value(14));
            list.append(item);
        }
        return list;
    });
}

QFuture<Status> LocalStore::noteAttempt(QStringList ids)
{
    return m_worker->write<Ok>([ids](SqlDb &db) -> Status {
        QSqlQuery *q =
            db.prepared(QStringLiteral("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?"));
        for (const QString &id : ids) {
            if (!db.run(q, {id}))
                return db.failure();
        }
        return Ok{};
    });
}

QFuture<Result<bool>> LocalStore::removeFromOutbox(QString id)
{
    return m_worker->write<bool>([id](SqlDb &db) -> Result<bool> {
        QSqlQuery *q = db.prepared(QStringLiteral("DELETE FROM outbox WHERE id = ?"));
        if (!db.run(q, {id}))
            return db.failure();
        return q->numRowsAffected() > 0;
    });
}

QFuture<Result<bool>> LocalStore::updateOutboxMedia(QString id, protocol::Media media)
{
    return m_worker->write<bool>([id, media](SqlDb &db) -> Result<bool> {
        QSqlQuery *q = db.prepared(QStringLiteral("UPDATE outbox SET media = ? WHERE id = ?"));
        if (!db.run(q, {sql::mediaToColumn(media), id}))
            return db.failure();
        return q->numRowsAffected() > 0;
    });
}

QFuture<Result<bool>> LocalStore::updateOutboxUpload(QString id, QString uploadId)
{
    return m_worker->write<bool>([id, uploadId](SqlDb &db) -> Result<bool> {
        QSqlQuery *q = db.prepared(QStringLiteral("UPDATE outbox SET upload_id = ? WHERE id = ?"));
        if (!db.run(q, {text(uploadId), id}))
            return db.failure();
        return q->numRowsAffected() > 0;
    });
}

QFuture<Result<bool>> LocalStore::completeOutboxItem(QString id, protocol::MessageEvent stored)
{
    return m_worker->write<bool>([id, stored](SqlDb &db) -> Result<bool> {
        QSqlQuery *q = db.prepared(QStringLiteral("DELETE FROM outbox WHERE id = ?"));
        if (!db.run(q, {id}))
            return db.failure();
        const bool removed = q->numRowsAffected() > 0;
        Result<rows::Stored> inserted = rows::store(db, stored);
        if (!inserted)
            return inserted.error(); // the savepoint rolls the delete back too
        if (inserted->textRemoved) {
            const Status purged = rows::purgeSearchIndex(db);
            if (!purged)
                return purged.error();
        }
        return removed;
    });
}

// ---- users ---------------------------------------------------------------------------------

QFuture<Status> LocalStore::saveUsers(QList<protocol::UserInfo> users)
{
    return m_worker->write<Ok>([users](SqlDb &db) -> Status {
        QSqlQuery *q = db.prepared(QStringLiteral(
            "INSERT OR REPLACE INTO users (user_id, user, display_name) VALUES (?, ?, ?)"));
        for (const protocol::UserInfo &user : users) {
            if (user.userId.isEmpty())
                continue;
            if (!db.run(q, {user.userId, text(user.user), text(user.displayName)}))
                return db.failure();
        }
        return Ok{};
    });
}

QFuture<Result<QList<protocol::UserInfo>>> LocalStore::users()
{
    using List = QList<protocol::UserInfo>;
    return m_worker->read<List>([](SqlDb &db) -> Result<List> {
        QSqlQuery *q = db.prepared(
            QStringLiteral("SELECT user_id, user, display_name FROM users ORDER BY user_id"));
        if (!db.run(q))
            return db.failure();
        List list;
        while (q->next())
            list.append(protocol::UserInfo{q->value(0).toString(), q->value(1).toString(),
                                           q->value(2).toString()});
        return list;
    });
}

// ---- drafts and settings -------------------------------------------------------------------

QFuture<Status> LocalStore::setDraft(QString conversation, QString text)
{
    return m_worker->write<Ok>([conversation, text](SqlDb &db) -> Status {
        QSqlQuery *q =
            text.isEmpty()
                ? db.prepared(QStringLiteral("DELETE FROM drafts WHERE conversation = ?"))
                : db.prepared(QStringLiteral(
                      "INSERT OR REPLACE INTO drafts (conversation, text) VALUES (?, ?)"));
        const bool ok =
            text.isEmpty() ? db.run(q, {conversation}) : db.run(q, {conversation, text});
        if (!ok)
            return db.failure();
        return Ok{};
    });
}

QFuture<Result<QString>> LocalStore::draft(QString conversation)
{
    return m_worker->read<QString>([conversation](SqlDb &db) -> Result<QString> {
        QSqlQuery *q =
            db.prepared(QStringLiteral("SELECT text FROM drafts WHERE conversation = ?"));
        if (!db.run(q, {conversation}))
            return db.failure();
        return q->next() ? q->value(0).toString() : QString();
    });
}

QFuture<Status> LocalStore::setSetting(QString key, QString value)
{
    return setSettings({{key, value}});
}

QFuture<Status> LocalStore::setSettings(QHash<QString, QString> values)
{
    return m_worker->write<Ok>([values](SqlDb &db) -> Status {
        QSqlQuery *q = db.prepared(
            QStringLiteral("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)"));
        // An empty value clears the setting (a null QString would bind as NULL, which the
        // column refuses: clearing the session token used to fail and leave it on disk).
        QSqlQuery *clear = db.prepared(QStringLiteral("DELETE FROM settings WHERE key = ?"));
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
            const bool ran = it.value().isEmpty() ? db.run(clear, {it.key()})
                                                  : db.run(q, {it.key(), it.value()});
            if (!ran)
                return db.failure();
        }
        return Ok{};
    });
}

QFuture<Result<QString>> LocalStore::setting(QString key)
{
    return m_worker->read<QString>([key](SqlDb &db) -> Result<QString> {
        QSqlQuery *q = db.prepared(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
        if (!db.run(q, {key}))
            return db.failure();
        return q->next() ? q->value(0).toString() : QString();
    });
}

QFuture<Result<QHash<QString, QString>>> LocalStore::settings()
{
    using Map = QHash<QString, QString>;
    return m_worker->read<Map>([](SqlDb &db) -> Result<Map> {
        QSqlQuery *q = db.prepared(QStringLiteral("SELECT key, value FROM settings"));
        if (!db.run(q))
            return db.failure();
        Map map;
        while (q->next())
            map.insert(q->value(0).toString(), q->value(1).toString());
        return map;
    });
}

} // namespace tern::app::cache
