// tern-bench search: server-side `search` latency over a big store. Seeds `--backlog` messages
// (1,000,000 for issue 19's target) straight into ternd's SQLite in one transaction while ternd
// is stopped, so migration 005's triggers index them as a send would, then restarts ternd and
// times searches (request to ack, one at a time) for words of every frequency: planted markers
// in 0.01 %, 1 %, 10 % and 50 % of the messages, a two-word AND, a prefix, and a second page.

#include "tests/bench/BenchClient.h"
#include "tests/bench/Scenarios.h"
#include "tests/bench/Stats.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>

#include <cmath>

namespace tern::bench {

namespace {

constexpr int kRounds = 20;

//! A vocabulary of made-up words; picked with a Zipf-like (1/rank) distribution.
QStringList vocabulary(int size)
{
    static const char *const syllables[] = {"ka", "lo", "mi", "ren", "tu",  "sa",  "vel", "do",
                                            "ri", "an", "pe", "zor", "qui", "bel", "no",  "ta"};
    QStringList words;
    for (int i = 0; i < size; ++i) {
        QString word;
        int n = i + 7;
        for (int k = 0; k < 2 + i % 3; ++k) {
            word += QLatin1String(syllables[n % 16]);
            n /= 3;
            n += k * 5;
        }
        words << word + QString::number(i % 97);
    }
    return words;
}

bool seed(const QString &dataDir, const QString &conversation, const QString &from,
          const QString &to, qint64 firstSeq, int count, QTextStream &out)
{
    const QString name = QStringLiteral("bench-seed");
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(dataDir + QStringLiteral("/ternd.sqlite"));
        if (!db.open())
            return false;
        QSqlQuery q(db);
        q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        q.exec(QStringLiteral("PRAGMA synchronous=OFF"));
        db.transaction();
        q.prepare(QStringLiteral(
            "INSERT INTO messages (conversation_id, seq, client_id, from_user, from_device, "
            "to_id, kind, content, media, ts, server_ts) VALUES (?, ?, ?, ?, 'seed', ?, 'text', "
            "?, NULL, ?, ?)"));
        const QStringList words = vocabulary(5000);
        QRandomGenerator random(19);
        const qint64 baseMs = 1'700'000'000'000;
        const qint64 start = nowNs();
        for (int i = 0; i < count; ++i) {
            QStringList text;
            const int length = 6 + int(random.bounded(9));
            for (int w = 0; w < length; ++w) {
                const double u = random.generateDouble();
                text << words.at(std::min<int>(int(std::pow(5000.0, u)) - 1, 4999));
            }
            if (i % 10'000 == 0)
                text << QStringLiteral("raremarker");
            if (i % 100 == 0)
                text << QStringLiteral("mediummarker");
            if (i % 10 == 0)
                text << QStringLiteral("commonmarker");
            if (i % 2 == 0)
                text << QStringLiteral("hugemarker");
            q.addBindValue(conversation);
            q.addBindValue(firstSeq + i);
            q.addBindValue(QStringLiteral("seed-%1").arg(i));
            q.addBindValue(i % 2 ? from : to);
            q.addBindValue(conversation);
            q.addBindValue(text.join(QLatin1Char(' ')));
            q.addBindValue(baseMs + i);
            q.addBindValue(baseMs + i);
            if (!q.exec()) {
                out << "seed: " << q.lastError().text() << "\n";
                return false;
            }
            if ((i + 1) % 200'000 == 0)
                out << "  seeded " << i + 1 << " in "
                    << QString::number(double(nowNs() - start) / 1e9, 'f', 1) << " s\n"
                    << Qt::flush;
        }
        q.finish();
        QSqlQuery last(db);
        // Indexed as ternd's SearchIndexer would, in one batch (the index is written after the
        // acks since schema 6, not by an insert trigger).
        ok =
            last.exec(QStringLiteral(
                "INSERT INTO messages_fts (rowid, content, file_name) SELECT message_rowid, "
                "content, file_name FROM messages_fts_source WHERE message_rowid > "
                "(SELECT upto FROM search_indexed WHERE id = 1)")) &&
            last.exec(QStringLiteral(
                "UPDATE search_indexed SET upto = (SELECT MAX(rowid) FROM messages) WHERE id = 1"));
        ok = ok &&
             last.exec(QStringLiteral("UPDATE conversations SET last_seq = %1 WHERE id = '%2'")
                           .arg(firstSeq + count - 1)
                           .arg(conversation)) &&
             db.commit();
        out << "  seeded and indexed " << count << " messages in "
            << QString::number(double(nowNs() - start) / 1e9, 'f', 1) << " s\n";
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

int runSearch(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result)
{
    QTextStream out(stdout);
    const int count = args.value("backlog").toInt();
    auto users = env.makeUsers(2, QStringLiteral("q%1-").arg(nowNs() % 100000));
    if (users.empty())
        return 1;
    QString conversation;
    bool sent = false;
    users[0]->request(
        QJsonObject{
            {"type", "message"}, {"to", users[1]->userId}, {"kind", "text"}, {"content", "first"}},
        [&](const QJsonObject &r) {
            conversation = r.value("conversation").toString();
            sent = true;
        });
    if (!spinUntil([&] { return sent; }, 30'000) || conversation.isEmpty())
        return 1;
    const QString token = users[0]->token;
    const QString from = users[0]->userId;
    const QString to = users[1]->userId;
    users.clear();
    if (!env.terminateServer(30'000))
        return 1;
    out << "search: seeding " << count << " messages into one conversation\n" << Qt::flush;
    if (!seed(env.dataDir(), conversation, from, to, 2, count, out))
        return 1;
    if (!env.restartServer())
        return 1;
    auto clients = env.connect(1);
    if (clients.empty())
        return 1;
    BenchClient *client = clients.front().get();
    bool authed = false;
    client->request(QJsonObject{{"type", "auth"}, {"token", token}}, [&](const QJsonObject &r) {
        authed = r.value("type") == QLatin1String("ack");
    });
    if (!spinUntil([&] { return authed; }, 30'000))
        return 1;

    struct Case
    {
        const char *label;
        QString query;
        bool secondPage = false;
    };
    const QList<Case> cases = {
        {"rare (0.01 %)", QStringLiteral("raremarker")},
        {"prefix of rare", QStringLiteral("raremark")},
        {"1 %", QStringLiteral("mediummarker")},
        {"10 %", QStringLiteral("commonmarker")},
        {"50 %", QStringLiteral("hugemarker")},
        {"10 % AND 1 %", QStringLiteral("commonmarker mediummarker")},
        {"10 %, page 2", QStringLiteral("commonmarker"), true},
        {"no match", QStringLiteral("zzzznothing")},
    };
    out << "  query              hits  p50 ms   p99 ms   max ms\n";
    QJsonArray rows;
    bool allOk = true;
    for (const Case &c : cases) {
        QString cursor;
        if (c.secondPage) {
            bool done = false;
            client->request(QJsonObject{{"type", "search"}, {"query", c.query}},
                            [&](const QJsonObject &r) {
                                cursor = r.value("next_cursor").toString();
                                done = true;
                            });
            spinUntil([&] { return done; }, 60'000);
        }
        Stats latency;
        int hits = -1;
        for (int round = 0; round < kRounds; ++round) {
            QJsonObject request{{"type", "search"}, {"query", c.query}};
            if (!cursor.isEmpty())
                request.insert("cursor", cursor);
            bool done = false;
            const qint64 start = nowNs();
            client->request(request, [&](const QJsonObject &r) {
                latency.add(double(nowNs() - start) / 1000.0);
                allOk = allOk && r.value("type") == QLatin1String("ack");
                hits = int(r.value("hits").toArray().size());
                done = true;
            });
            if (!spinUntil([&] { return done; }, 60'000))
                return 1;
        }
        out << "  " << QString::fromLatin1(c.label).leftJustified(18) << " "
            << QString::number(hits).rightJustified(4) << "  "
            << QString::number(latency.percentile(50) / 1000, 'f', 1).rightJustified(7) << "  "
            << QString::number(latency.percentile(99) / 1000, 'f', 1).rightJustified(7) << "  "
            << QString::number(latency.max() / 1000, 'f', 1).rightJustified(7) << "\n";
        QJsonObject row = latency.json();
        row.insert("query", QString::fromLatin1(c.label));
        row.insert("hits", hits);
        rows.append(row);
    }
    out << "  server RSS " << env.serverRssKiB() / 1024.0 << " MiB\n";
    *result = QJsonObject{{"scenario", "search"},
                          {"messages", count},
                          {"rounds", kRounds},
                          {"cases", rows},
                          {"server_rss_kib", double(env.serverRssKiB())}};
    return allOk ? 0 : 1;
}

} // namespace tern::bench
