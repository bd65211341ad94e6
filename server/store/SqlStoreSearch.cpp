// SqlStore: server-side message search (FTS5, migration 005) and "delete for me" (hides).

#include "SqlStore.h"

#include "server/store/FtsQuery.h"
#include "server/store/SearchIndexer.h"
#include "server/store/SqlHelpers.h"
#include "shared/core/Clock.h"
#include "shared/model/Limits.h"

#include <QCryptographicHash>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace tern::server::store {

using namespace ops;

namespace {

constexpr qsizetype kMaxSnippetChars = 200;
//! Deeper pages are not offered (a search that needs them needs better words).
constexpr qint64 kMaxSearchOffset = 10'000;
//! Above this many matches (server-wide), bm25 over all of them costs more than a search may
//! (a few µs each): such searches list the newest matches first instead, which the index
//! yields in rowid order without ranking anything (docs/protocol.md, "Search").
constexpr int kMaxRankedMatches = 20'000;
//! Hide rows replayed in one sync round at most; the rest come with the next sync.
constexpr int kMaxReplayedHides = 10'000;
//! A search's catch-up of the index: at most this many steps of SearchIndexer::kRowsPerStep.
constexpr int kSearchCatchUpSteps = 25;
const QChar kMarkOpen(0x02);
const QChar kMarkClose(0x03);

//! The same test as the other reads: an expired, once-set interest means the link closed.
bool abandoned(const Interest &interest)
{
    return interest.expired() &&
           (interest.owner_before(Interest{}) || Interest{}.owner_before(interest));
}

Error badCursor()
{
    return Error{ErrorCode::BadRequest,
                 QStringLiteral("field 'cursor' is not a next_cursor of this search")};
}

//! The check part of a cursor: binds the offset to the user and the search it came from, so
//! a cursor is only accepted back for the same search (cursors are opaque to clients).
QString cursorCheck(const SearchQuery &query, QChar order, qint64 offset)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString &part : {query.userId, query.conversation, query.text.simplified(),
                                QString(order), QString::number(offset)}) {
        hash.addData(part.toUtf8());
        hash.addData(QByteArrayView("\n"));
    }
    return QString::fromLatin1(hash.result().toHex().left(16));
}

//! "<order><offset>.<check>": order 'r' (ranked) or 'n' (newest first), kept for every page.
QString cursorAt(const SearchQuery &query, QChar order, qint64 offset)
{
    return order + QString::number(offset) + QLatin1Char('.') + cursorCheck(query, order, offset);
}

struct Position
{
    QChar order; // null: the first page (the order is chosen then)
    qint64 offset = 0;
};

Result<Position> positionOf(const SearchQuery &query)
{
    if (query.cursor.isEmpty())
        return Position{};
    const QChar order = query.cursor.at(0);
    const qsizetype dot = query.cursor.indexOf(QLatin1Char('.'));
    bool ok = false;
    const qint64 offset = dot > 1 ? query.cursor.mid(1, dot - 1).toLongLong(&ok) : 0;
    if (!ok || (order != u'r' && order != u'n') || offset <= 0 || offset > kMaxSearchOffset ||
        query.cursor != cursorAt(query, order, offset))
        return badCursor();
    return Position{order, offset};
}

//! At most kMaxSnippetChars, not cut inside a surrogate pair, every opened mark closed.
QString boundedSnippet(QString text)
{
    if (text.size() <= kMaxSnippetChars)
        return text;
    qsizetype keep = kMaxSnippetChars - 2; // room for a closing mark and the ellipsis
    if (text.at(keep - 1).isHighSurrogate())
        --keep;
    text.truncate(keep);
    if (text.lastIndexOf(kMarkOpen) > text.lastIndexOf(kMarkClose))
        text += kMarkClose;
    return text + QChar(0x2026);
}

struct Found
{
    qint64 rowid = 0;
    protocol::SearchHit hit;
};

} // namespace

QFuture<Result<SearchPage>> SqlStore::searchMessages(SearchQuery query, Interest interest)
{
    // What was acked before the search is found by it: the messages the indexer has not reached
    // yet are indexed first (the read below runs after this write commits). Bounded: an indexer
    // far behind (it never is by more than a few steps) leaves the rest to itself.
    m_worker->write<bool>([](SqlDb &db) -> Result<bool> {
        for (int step = 0; step < kSearchCatchUpSteps; ++step) {
            const Result<bool> more = indexSearch(db, SearchIndexer::kRowsPerStep);
            if (!more.ok() || !*more)
                return more;
        }
        return true;
    });
    return m_worker->read<SearchPage>([query, interest](SqlDb &db) -> Result<SearchPage> {
        if (abandoned(interest))
            return Error{ErrorCode::Internal,
                         QStringLiteral("the connection that asked has closed")};
        Result<Position> position = positionOf(query);
        if (!position)
            return position.error();
        const QString match = ftsMatchExpression(query.text);
        if (match.isEmpty())
            return SearchPage{};
        if (position->order.isNull()) {
            // Cheap: stops at the first match past the bound, ranks nothing.
            QSqlQuery *many = db.prepared(QStringLiteral(
                "SELECT 1 FROM messages_fts WHERE messages_fts MATCH ? LIMIT 1 OFFSET ?"));
            if (!db.run(many, {match, kMaxRankedMatches}))
                return db.failure();
            position->order = many->next() ? u'n' : u'r';
            many->finish();
        }
        const bool ranked = position->order == u'r';
        const qint64 offset = position->offset;
        // The FTS index drives: each match is joined to its message and to the asker's
        // membership (its window, like history's), then the asker's hides are left out.
        // bm25() is lower for better matches; ties go to the newest.
        static const QString head = QStringLiteral(
            "SELECT m.rowid, m.conversation_id, m.seq, m.client_id, m.from_user, m.server_ts "
            "FROM messages_fts f JOIN messages m ON m.rowid = f.rowid "
            "JOIN members mb ON mb.conversation_id = m.conversation_id AND mb.user_id = ? "
            "WHERE messages_fts MATCH ? AND m.seq >= mb.joined_seq "
            "AND (mb.left_seq IS NULL OR m.seq <= mb.left_seq) "
            "AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = mb.user_id "
            "AND h.conversation_id = m.conversation_id AND h.seq = m.seq) ");
        static const QString byRank =
            QStringLiteral("ORDER BY bm25(messages_fts), m.server_ts DESC, m.seq DESC "
                           "LIMIT ? OFFSET ?");
        // rowid order is insertion order: the index walks it backwards and stops at the page.
        static const QString byAge = QStringLiteral("ORDER BY f.rowid DESC LIMIT ? OFFSET ?");
        static const QString oneConversation = QStringLiteral("AND m.conversation_id = ? ");
        const QString &tail = ranked ? byRank : byAge;
        const QString everywhere = head + tail;
        const QString inOne = head + oneConversation + tail;
        const int limit = std::clamp(query.limit, 1, limits::kMaxSearchLimit);
        QSqlQuery *q = nullptr;
        bool ran = false;
        // One row more than the page tells whether another page exists.
        if (query.conversation.isEmpty()) {
            q = db.prepared(everywhere);
            ran = db.run(q, {query.userId, match, limit + 1, offset});
        } else {
            q = db.prepared(inOne);
            ran = db.run(q, {query.userId, match, query.conversation, limit + 1, offset});
        }
        if (!ran)
            return db.failure();
        QList<Found> found;
        bool more = false;
        while (q->next()) {
            if (found.size() >= limit) {
                more = true;
                break;
            }
            Found f;
            f.rowid = q->value(0).toLongLong();
            f.hit.conversation = q->value(1).toString();
            f.hit.seq = q->value(2).toLongLong();
            f.hit.id = q->value(3).toString();
            f.hit.from = q->value(4).toString();
            f.hit.serverTs = q->value(5).toLongLong();
            found << std::move(f);
        }
        q->finish();
        // Snippets only for the page (snippet() in the ranking query would run for every match).
        // Each MATCH evaluation walks the terms' whole doclists, so a page gets its snippets
        // from one evaluation: over the page's rowid range when newest first (its hits are the
        // newest matches), filtered to the page's rowids when ranked (spread anywhere).
        QHash<qint64, QString> snippets;
        static const QString snippetSql = QStringLiteral(
            "SELECT rowid, snippet(messages_fts, -1, char(2), char(3), char(8230), 24) "
            "FROM messages_fts WHERE messages_fts MATCH ? ");
        if (!found.isEmpty() && !ranked) {
            QSqlQuery *range =
                db.prepared(snippetSql + QStringLiteral("AND rowid BETWEEN ? AND ? "
                                                        "ORDER BY rowid DESC LIMIT 200"));
            if (!db.run(range, {match, found.constLast().rowid, found.constFirst().rowid}))
                return db.failure();
            while (range->next())
                snippets.insert(range->value(0).toLongLong(), range->value(1).toString());
            range->finish();
        }
        if (!found.isEmpty() && ranked) {
            // One evaluation for the page: `+rowid` keeps the list a filter, not 20 lookups
            // that would each walk the doclists again. The ids are integers from the database.
            QStringList ids;
            for (const Found &f : std::as_const(found))
                ids << QString::number(f.rowid);
            QSqlQuery page(db.database());
            page.setForwardOnly(true);
            if (!page.prepare(snippetSql + QStringLiteral("AND +rowid IN (") +
                              ids.join(QLatin1Char(',')) + QLatin1Char(')')))
                return Error{ErrorCode::Internal, page.lastError().text()};
            page.addBindValue(match);
            if (!page.exec())
                return Error{ErrorCode::Internal, page.lastError().text()};
            while (page.next())
                snippets.insert(page.value(0).toLongLong(), page.value(1).toString());
        }
        // Hits the range did not reach (other users' matches in between).
        QSqlQuery *one = db.prepared(snippetSql + QStringLiteral("AND rowid = ?"));
        for (const Found &f : std::as_const(found)) {
            if (!snippets.contains(f.rowid)) {
                if (!db.run(one, {match, f.rowid}))
                    return db.failure();
                if (one->next())
                    snippets.insert(f.rowid, one->value(1).toString());
                one->finish();
            }
        }
        SearchPage page;
        for (Found &f : found) {
            f.hit.snippet = boundedSnippet(snippets.value(f.rowid));
            page.hits << std::move(f.hit);
        }
        const qint64 next = offset + limit;
        if (more && next <= kMaxSearchOffset)
            page.nextCursor = cursorAt(query, position->order, next);
        return page;
    });
}

QFuture<Result<QList<qint64>>> SqlStore::hideMessages(QString userId, QString conversation,
                                                      QList<qint64> seqs)
{
    return m_worker->write<QList<qint64>>([=](SqlDb &db) -> Result<QList<qint64>> {
        // Any membership, current or past: a removed member may still hide what they saw.
        QSqlQuery *member = db.prepared(
            QStringLiteral("SELECT m.joined_seq, COALESCE(m.left_seq, c.last_seq) FROM members m "
                           "JOIN conversations c ON c.id = m.conversation_id "
                           "WHERE m.conversation_id = ? AND m.user_id = ?"));
        if (!db.run(member, {conversation, userId}))
            return db.failure();
        if (!member->next())
            return conversationNotFound();
        const qint64 first = member->value(0).toLongLong();
        const qint64 last = member->value(1).toLongLong();
        member->finish();

        QSqlQuery *position = db.prepared(QStringLiteral(
            "SELECT COALESCE(MAX(pos), 0) + 1 FROM hidden_messages WHERE user_id = ?"));
        if (!db.run(position, {userId}) || !position->next())
            return db.failure();
        const qint64 pos = position->value(0).toLongLong();
        position->finish();

        QList<qint64> unique = seqs;
        std::sort(unique.begin(), unique.end());
        unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
        QSqlQuery *insert = db.prepared(QStringLiteral(
            "INSERT INTO hidden_messages (user_id, conversation_id, seq, hidden_ms, pos) "
            "SELECT ?, conversation_id, seq, ?, ? FROM messages "
            "WHERE conversation_id = ? AND seq = ? ON CONFLICT DO NOTHING"));
        const qint64 now = nowMs();
        QList<qint64> hidden;
        for (const qint64 seq : std::as_const(unique)) {
            if (seq < first || seq > last)
                continue; // not visible to the asker: ignored
            if (!db.run(insert, {userId, now, pos, conversation, seq}))
                return db.failure();
            if (insert->numRowsAffected() > 0)
                hidden << seq;
        }
        return hidden;
    });
}

QFuture<Result<HiddenReplay>> SqlStore::hiddenSince(QString userId, QString deviceId,
                                                    Interest interest)
{
    return m_worker->read<HiddenReplay>([=](SqlDb &db) -> Result<HiddenReplay> {
        if (abandoned(interest))
            return Error{ErrorCode::Internal,
                         QStringLiteral("the connection that asked has closed")};
        QSqlQuery *q = db.prepared(QStringLiteral(
            "SELECT h.pos, h.conversation_id, h.seq FROM devices d JOIN hidden_messages h "
            "ON h.user_id = ? AND h.pos > d.hidden_pos WHERE d.id = ? "
            "ORDER BY h.pos, h.conversation_id, h.seq LIMIT ?"));
        if (!db.run(q, {userId, deviceId, kMaxReplayedHides + 1}))
            return db.failure();
        struct Row
        {
            qint64 pos;
            QString conversation;
            qint64 seq;
        };
        QList<Row> rows;
        while (q->next())
            rows << Row{q->value(0).toLongLong(), q->value(1).toString(), q->value(2).toLongLong()};
        q->finish();
        if (rows.size() > kMaxReplayedHides) {
            // Cut at a whole hide request: its last one may be partly read.
            const qint64 partial = rows.constLast().pos;
            while (!rows.isEmpty() && rows.constLast().pos == partial)
                rows.removeLast();
        }
        HiddenReplay replay;
        qint64 eventPos = -1;
        for (const Row &row : std::as_const(rows)) {
            if (replay.events.isEmpty() || eventPos != row.pos ||
                replay.events.constLast().conversation != row.conversation ||
                replay.events.constLast().seqs.size() >= limits::kMaxHideSeqs) {
                replay.events << protocol::HiddenEvent{row.conversation, {}};
                eventPos = row.pos;
            }
            replay.events.last().seqs << row.seq;
            replay.upToPos = row.pos;
        }
        return replay;
    });
}

QFuture<Status> SqlStore::setHiddenPosition(QString deviceId, qint64 pos)
{
    return m_worker->write<Ok>([=](SqlDb &db) -> Status {
        QSqlQuery *q = db.prepared(
            QStringLiteral("UPDATE devices SET hidden_pos = MAX(hidden_pos, ?) WHERE id = ?"));
        if (!db.run(q, {pos, deviceId}))
            return db.failure();
        return Ok{};
    });
}

QFuture<Result<bool>> SqlStore::indexSearchStep(int rows)
{
    return m_worker->write<bool>(
        [rows](SqlDb &db) -> Result<bool> { return indexSearch(db, rows); });
}

QFuture<Result<bool>> SqlStore::purgeSearchIndexStep(int pages)
{
    return m_worker->write<bool>(
        [pages](SqlDb &db) -> Result<bool> { return purgeSearchIndex(db, pages); });
}

} // namespace tern::server::store
