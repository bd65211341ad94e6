// tern-appbench --search N: local full-text search (issue 19) over N cached messages.
//
// Fills one LocalStore file with N text messages in 100 chats (the cache's triggers index them
// as they do for the app), then times LocalStore::search from the call until its
// future has the answer: the first query on the freshly opened file, then the median of 5 runs,
// for a rare word (100 messages), a word in every message, two word starts, and one chat.

#include "app/cache/LocalStore.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace tern;
using namespace tern::app::cache;

namespace {

template <typename T> T take(QFuture<T> future)
{
    future.waitForFinished();
    return future.result();
}
//! N text messages in 100 chats, written by one INSERT … SELECT so the cache's own triggers
//! index them (a million saveMessages calls took over 15 minutes on the shared bench machine).
//! Every message has "quick"; one in 10,000 has "zeppelin"; two of twelve topic words each.
bool fillSearchCache(const QString &path, int total)
{
    {
        LocalStore store(path); // creates the schema: messages, index, triggers
        if (!store.open().ok())
            return false;
    }
    const QString name = QStringLiteral("search-bench-fill");
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            ok = q.exec(QStringLiteral("PRAGMA synchronous=OFF")) && db.transaction();
            ok = ok && q.prepare(QStringLiteral(
                           "INSERT INTO messages (conversation, seq, id, sender, from_device, "
                           "recipient, kind, content, media, ts, server_ts) "
                           "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                           "WHERE i < ? - 1) "
                           "SELECT printf('c%03d', i % 100), i / 100 + 1, 'm' || i, "
                           "'u' || (i % 100), 'd', 'u-me', 'text', "
                           "printf('Message %d about the %s and the %s: the quick brown fox%s', i, "
                           "json_extract(?, '$[' || (i % 12) || ']'), "
                           "json_extract(?, '$[' || (i / 12 % 12) || ']'), "
                           "CASE WHEN i % 10000 = 0 THEN ' zeppelin' ELSE '' END), NULL, "
                           "1700000000000 + i * 1000, 1700000000000 + i * 1000 FROM n"));
            const QString words = QStringLiteral(
                "[\"meeting\",\"budget\",\"deploy\",\"coffee\",\"review\",\"lunch\","
                "\"server\",\"ticket\",\"design\",\"friday\",\"report\",\"invoice\"]");
            q.addBindValue(total);
            q.addBindValue(words);
            q.addBindValue(words);
            ok = ok && q.exec() && db.commit();
            if (!ok)
                std::fprintf(stderr, "fill: %s\n", qPrintable(q.lastError().text()));
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

int runSearchBench(int total)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("search.sqlite"));
    QElapsedTimer clock;
    clock.start();
    if (!fillSearchCache(path, total)) {
        std::fprintf(stderr, "could not fill the cache\n");
        return 1;
    }
    std::printf("search cache filled: %d messages in 100 chats (%lld ms)\n", total,
                clock.elapsed());
    LocalStore store(path);
    if (!store.open().ok())
        return 1;
    const struct
    {
        const char *label;
        SearchQuery query;
    } cases[] = {
        {"rare word (zeppelin)", {QStringLiteral("zeppelin"), {}, 20}},
        {"word in every message (quick)", {QStringLiteral("quick"), {}, 20}},
        {"two word starts (budg revi)", {QStringLiteral("budg revi"), {}, 20}},
        {"one chat (invoice in c042)", {QStringLiteral("invoice"), QStringLiteral("c042"), 50}},
    };
    bool first = true;
    for (const auto &c : cases) {
        QList<double> runs;
        int hits = 0;
        for (int run = 0; run < (first ? 6 : 5); ++run) {
            QElapsedTimer one;
            one.start();
            const Result<QList<LocalSearchHit>> result = take(store.search(c.query));
            runs.append(double(one.nsecsElapsed()) / 1e6);
            if (!result.ok())
                return 1;
            hits = int(result->size());
        }
        if (first)
            std::printf("search first query on the opened file: %.2f ms\n", runs.takeFirst());
        first = false;
        std::sort(runs.begin(), runs.end());
        std::printf("search %s: %d hits, median %.2f ms, max %.2f ms\n", c.label, hits,
                    runs.at(runs.size() / 2), runs.last());
    }
    return 0;
}
