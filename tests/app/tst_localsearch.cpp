// The app cache's full-text search (issue 19) on real SQLite files: words found as word starts,
// ranked by bm25 then newest, snippets with STX/ETX around the matches, one chat or all, only
// text/image/file messages (caption and file name), the index following edits and deletions made
// to the rows (the triggers), user text never taken as FTS5 syntax, and a cache from before the
// index getting its messages indexed by the migration.

#include "app/cache/LocalStore.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace tern;
using namespace tern::app::cache;

namespace {

template <typename T> T take(QFuture<T> future)
{
    future.waitForFinished(); // the store works on its own thread
    return future.result();
}

protocol::MessageEvent message(const QString &conversation, qint64 seq, const QString &content,
                               protocol::MessageKind kind = protocol::MessageKind::Text)
{
    protocol::MessageEvent m;
    m.id = QStringLiteral("m-%1-%2").arg(conversation).arg(seq);
    m.conversation = conversation;
    m.seq = seq;
    m.from = QStringLiteral("u1");
    m.fromDevice = QStringLiteral("d1");
    m.to = QStringLiteral("u2");
    m.kind = kind;
    m.content = content;
    m.ts = 1000 + seq;
    m.serverTs = 2000 + seq;
    return m;
}

QList<LocalSearchHit> find(LocalStore &store, const QString &text, const QString &conversation = {},
                           int limit = 20)
{
    const Result<QList<LocalSearchHit>> hits = take(store.search({text, conversation, limit}));
    if (!hits.ok()) {
        qWarning() << "search failed:" << hits.error().message;
        return {};
    }
    return *hits;
}

QStringList where(const QList<LocalSearchHit> &hits)
{
    QStringList out;
    for (const LocalSearchHit &hit : hits)
        out << QStringLiteral("%1/%2").arg(hit.conversation).arg(hit.seq);
    return out;
}

//! A second connection to the cache file, as the next session's edits and deletes will change rows.
class RawDb
{
public:
    explicit RawDb(const QString &path) : m_name(QStringLiteral("raw-%1").arg(++s_count))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~RawDb()
    {
        QSqlDatabase::database(m_name).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    bool exec(const QString &sql)
    {
        QSqlQuery q(QSqlDatabase::database(m_name));
        if (q.exec(sql))
            return true;
        qWarning() << sql << q.lastError().text();
        return false;
    }

private:
    static inline int s_count = 0;
    QString m_name;
};

} // namespace

class TestLocalSearch : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void findsWordStartsRankedWithSnippets();
    void oneChatAndLimit();
    void onlyTextImageAndFile();
    void followsChangedAndRemovedRows();
    void userTextIsNeverQuerySyntax_data();
    void userTextIsNeverQuerySyntax();
    void matchExpressionQuotesEveryWord();
    void migrationIndexesAnExistingCache();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path() const { return m_dir->filePath(QStringLiteral("account.sqlite")); }
};

void TestLocalSearch::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestLocalSearch::findsWordStartsRankedWithSnippets()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    QVERIFY(take(store.saveMessages({
                     message(QStringLiteral("c1"), 1, QStringLiteral("the quick brown fox")),
                     message(QStringLiteral("c1"), 2, QStringLiteral("nothing to see")),
                     message(QStringLiteral("c2"), 1, QStringLiteral("Brownies brown brown!")),
                     message(QStringLiteral("c2"), 2, QStringLiteral("a quick brown cat")),
                     message(QStringLiteral("c1"), 3, QStringLiteral("Café au lait")),
                 }))
                .ok());
    // "brown" three times wins; then the two single "brown"s of equal rank, newest (server_ts)
    // first.
    const QList<LocalSearchHit> hits = find(store, QStringLiteral("BROWN"));
    QCOMPARE(where(hits),
             (QStringList{QStringLiteral("c2/1"), QStringLiteral("c2/2"), QStringLiteral("c1/1")}));
    QVERIFY(hits.at(0).rank < hits.at(1).rank);
    QCOMPARE(hits.at(1).rank, hits.at(2).rank);
    const LocalSearchHit &cat = hits.at(1);
    QCOMPARE(cat.id, QStringLiteral("m-c2-2"));
    QCOMPARE(cat.sender, QStringLiteral("u1"));
    QCOMPARE(cat.serverTs, qint64(2002));
    QCOMPARE(cat.snippet, QStringLiteral("a quick \x02"
                                         "brown\x03 cat"));
    // Every word is required, each as a word start; case and accents do not matter.
    QCOMPARE(where(find(store, QStringLiteral("qui bro"))),
             (QStringList{QStringLiteral("c2/2"), QStringLiteral("c1/1")}));
    QCOMPARE(where(find(store, QStringLiteral("quick nothing"))), QStringList());
    QCOMPARE(find(store, QStringLiteral("cafe")).value(0).snippet,
             QStringLiteral("\x02"
                            "Café\x03 au lait"));
    QVERIFY(find(store, QStringLiteral("   ")).isEmpty());
    // A long message is cut around the match, at most 200 characters.
    QString longText;
    for (int i = 0; i < 100; ++i)
        longText += QStringLiteral("filler%1 ").arg(i);
    longText += QStringLiteral("needle");
    QVERIFY(take(store.saveMessages({message(QStringLiteral("c3"), 1, longText)})).ok());
    const QString snippet = find(store, QStringLiteral("needle")).value(0).snippet;
    QVERIFY2(snippet.endsWith(QStringLiteral("\x02"
                                             "needle\x03")),
             qPrintable(snippet));
    QVERIFY(snippet.size() <= 200);
    // Words long enough to pass 200 characters: cut around the match.
    QVERIFY(
        take(store.saveMessages({message(QStringLiteral("c3"), 2,
                                         QString(150, QLatin1Char('x')) + QStringLiteral(" pin ") +
                                             QString(150, QLatin1Char('y')))}))
            .ok());
    const QString cut = find(store, QStringLiteral("pin")).value(0).snippet;
    QCOMPARE(cut.size(), 200);
    QVERIFY2(cut.contains(QStringLiteral("\x02pin\x03")), qPrintable(cut));
}

void TestLocalSearch::oneChatAndLimit()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    QList<protocol::MessageEvent> batch;
    for (int seq = 1; seq <= 30; ++seq) {
        batch << message(QStringLiteral("c1"), seq, QStringLiteral("report %1").arg(seq));
        batch << message(QStringLiteral("c2"), seq, QStringLiteral("report %1").arg(seq));
    }
    QVERIFY(take(store.saveMessages(batch)).ok());
    const QList<LocalSearchHit> mine =
        find(store, QStringLiteral("report"), QStringLiteral("c2"), 50);
    QCOMPARE(mine.size(), 30);
    for (const LocalSearchHit &hit : mine)
        QCOMPARE(hit.conversation, QStringLiteral("c2"));
    QCOMPARE(mine.first().seq, qint64(30)); // equal rank: newest first
    QCOMPARE(find(store, QStringLiteral("report"), {}, 5).size(), 5);
    QCOMPARE(find(store, QStringLiteral("report"), QStringLiteral("nope")).size(), 0);
}

void TestLocalSearch::onlyTextImageAndFile()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    protocol::MessageEvent file =
        message(QStringLiteral("c1"), 1, QStringLiteral("the budget"), protocol::MessageKind::File);
    file.media = protocol::Media{QStringLiteral("md1"),
                                 QStringLiteral("Quarterly-plan.xlsx"),
                                 QStringLiteral("application/octet-stream"),
                                 10,
                                 QString(),
                                 QString(),
                                 std::nullopt,
                                 std::nullopt};
    protocol::MessageEvent image =
        message(QStringLiteral("c1"), 2, QString(), protocol::MessageKind::Image);
    image.media = protocol::Media{QStringLiteral("md2"),
                                  QStringLiteral("rack.jpg"),
                                  QStringLiteral("image/jpeg"),
                                  10,
                                  QString(),
                                  QString(),
                                  std::nullopt,
                                  std::nullopt};
    QVERIFY(take(store.saveMessages(
                     {file, image,
                      message(QStringLiteral("c1"), 3, QStringLiteral("{\"event\":\"budget\"}"),
                              protocol::MessageKind::System)}))
                .ok());
    QCOMPARE(where(find(store, QStringLiteral("quarterly"))), QStringList{QStringLiteral("c1/1")});
    QCOMPARE(where(find(store, QStringLiteral("rack"))), QStringList{QStringLiteral("c1/2")});
    // The system message's text is not indexed.
    QCOMPARE(where(find(store, QStringLiteral("budget"))), QStringList{QStringLiteral("c1/1")});
}

void TestLocalSearch::followsChangedAndRemovedRows()
{
    LocalStore store(path());
    QVERIFY(store.open().ok());
    QVERIFY(
        take(store.saveMessages({message(QStringLiteral("c1"), 1, QStringLiteral("teh typo")),
                                 message(QStringLiteral("c1"), 2, QStringLiteral("gone soon"))}))
            .ok());
    QCOMPARE(find(store, QStringLiteral("teh")).size(), 1);
    {
        RawDb raw(path());
        // An edit rewrites the content, a deletion empties it, a removal drops the row.
        QVERIFY(raw.exec(QStringLiteral(
            "UPDATE messages SET content = 'the fix' WHERE conversation = 'c1' AND seq = 1")));
        QVERIFY(raw.exec(QStringLiteral(
            "UPDATE messages SET content = '' WHERE conversation = 'c1' AND seq = 2")));
    }
    QVERIFY(find(store, QStringLiteral("teh")).isEmpty());
    QCOMPARE(find(store, QStringLiteral("fix")).value(0).snippet, QStringLiteral("the \x02"
                                                                                 "fix\x03"));
    QVERIFY(find(store, QStringLiteral("gone")).isEmpty());
    {
        RawDb raw(path());
        QVERIFY(raw.exec(QStringLiteral("DELETE FROM messages WHERE conversation = 'c1'")));
    }
    QVERIFY(find(store, QStringLiteral("fix")).isEmpty());
    // The row can come again (history) and is found again, once.
    QVERIFY(take(store.saveMessages({message(QStringLiteral("c1"), 1, QStringLiteral("the fix"))}))
                .ok());
    QCOMPARE(find(store, QStringLiteral("fix")).size(), 1);
}

void TestLocalSearch::userTextIsNeverQuerySyntax_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("expected");
    const QStringList none;
    const QStringList quote{QStringLiteral("c1/1")};
    // c1/1: say "hi" (or not) — c1/2: alpha beta gamma — c1/3: body secret — c1/4: minus-sign
    QTest::newRow("lone quote") << QStringLiteral("\"") << none;
    QTest::newRow("open quote") << QStringLiteral("\"hi") << quote;
    QTest::newRow("quoted") << QStringLiteral("say \"hi\"") << quote;
    QTest::newRow("star") << QStringLiteral("*") << none;
    QTest::newRow("star word") << QStringLiteral("alp*") << QStringList{QStringLiteral("c1/2")};
    QTest::newRow("NEAR") << QStringLiteral("NEAR(alpha gamma)") << none;
    QTest::newRow("OR") << QStringLiteral("alpha OR secret") << none;
    QTest::newRow("AND NOT") << QStringLiteral("alpha NOT beta") << none;
    QTest::newRow("minus") << QStringLiteral("-secret") << QStringList{QStringLiteral("c1/3")};
    QTest::newRow("minus inside") << QStringLiteral("minus-sign")
                                  << QStringList{QStringLiteral("c1/4")};
    QTest::newRow("parentheses") << QStringLiteral("(alpha") << QStringList{QStringLiteral("c1/2")};
    QTest::newRow("unbalanced") << QStringLiteral("alpha) (")
                                << QStringList{QStringLiteral("c1/2")};
    QTest::newRow("column filter")
        << QStringLiteral("body:secret") << QStringList{QStringLiteral("c1/3")};
    QTest::newRow("column filter other") << QStringLiteral("body:alpha") << none;
    QTest::newRow("braces") << QStringLiteral("{body}: secret")
                            << QStringList{QStringLiteral("c1/3")};
    QTest::newRow("caret") << QStringLiteral("^beta") << QStringList{QStringLiteral("c1/2")};
    QTest::newRow("plus") << QStringLiteral("alpha + gamma") << QStringList{QStringLiteral("c1/2")};
    QTest::newRow("rank") << QStringLiteral("rank:1") << none;
    QTest::newRow("chat column") << QStringLiteral("chat:c1") << none;
    QTest::newRow("chat id") << QStringLiteral("c1") << none;
}

void TestLocalSearch::userTextIsNeverQuerySyntax()
{
    QFETCH(QString, query);
    QFETCH(QStringList, expected);
    LocalStore store(path());
    QVERIFY(store.open().ok());
    QVERIFY(take(store.saveMessages(
                     {message(QStringLiteral("c1"), 1, QStringLiteral("say \"hi\" (or not)")),
                      message(QStringLiteral("c1"), 2, QStringLiteral("alpha beta gamma")),
                      message(QStringLiteral("c1"), 3, QStringLiteral("body secret")),
                      message(QStringLiteral("c1"), 4, QStringLiteral("minus-sign"))}))
                .ok());
    const Result<QList<LocalSearchHit>> hits = take(store.search({query, {}, 20}));
    QVERIFY2(hits.ok(), qPrintable(hits.ok() ? QString() : hits.error().message));
    QCOMPARE(where(*hits), expected);
}

void TestLocalSearch::matchExpressionQuotesEveryWord()
{
    // Each word a quoted string in the text column: never an operator, column or NEAR.
    QCOMPARE(LocalStore::matchExpression(QStringLiteral("  say \"hi\"  x * -- ")),
             QStringLiteral("body : \"say\"* body : \"\"\"hi\"\"\"* body : \"x\""));
    QCOMPARE(LocalStore::matchExpression(QStringLiteral("chat:x OR")),
             QStringLiteral("body : \"chat:x\"* body : \"OR\"*"));
    QCOMPARE(LocalStore::matchExpression(QStringLiteral("* ( )")), QString());
}

void TestLocalSearch::migrationIndexesAnExistingCache()
{
    {
        LocalStore store(path());
        QVERIFY(store.open().ok());
    }
    {
        // Back to a cache from before 004_search, holding messages the index never saw (and so
        // without 005_changes' columns either).
        RawDb raw(path());
        for (const char *column : {"reply_to", "forwarded", "mentions", "ref_seq", "reaction_on",
                                   "edited_ts", "deleted", "reactions", "hidden"})
            QVERIFY(raw.exec(QStringLiteral("ALTER TABLE messages DROP COLUMN ") +
                             QString::fromLatin1(column)));
        for (const char *column : {"ref_seq", "reaction_on", "reply_to", "forwarded", "mentions"})
            QVERIFY(raw.exec(QStringLiteral("ALTER TABLE outbox DROP COLUMN ") +
                             QString::fromLatin1(column)));
        QVERIFY(raw.exec(QStringLiteral("ALTER TABLE conversations DROP COLUMN unread_mentions")));
        for (const char *sql :
             {"DROP TRIGGER messages_search_insert", "DROP TRIGGER messages_search_update",
              "DROP TRIGGER messages_search_delete", "DROP TABLE messages_fts",
              "DROP TABLE search_rows", "DELETE FROM schema_version WHERE version >= 4",
              "INSERT INTO messages (conversation, seq, id, sender, from_device, recipient, kind, "
              "content, media, ts, server_ts) VALUES "
              "('c1', 1, 'a', 'u1', 'd1', 'u2', 'text', 'old news', NULL, 1, 1), "
              "('c1', 2, 'b', 'u1', 'd1', 'u2', 'file', '', "
              "'{\"media_id\":\"m\",\"name\":\"minutes.pdf\",\"mime\":\"x\",\"size\":1}', 2, 2), "
              "('c1', 3, 'c', 'u1', 'd1', 'u2', 'system', 'old system', NULL, 3, 3)"})
            QVERIFY(raw.exec(QString::fromLatin1(sql)));
    }
    LocalStore store(path());
    QVERIFY(store.open().ok());
    QCOMPARE(*take(store.schemaVersion()), LocalStore::latestSchemaVersion());
    QCOMPARE(where(find(store, QStringLiteral("old"))), QStringList{QStringLiteral("c1/1")});
    QCOMPARE(where(find(store, QStringLiteral("minutes"))), QStringList{QStringLiteral("c1/2")});
    // And it keeps indexing from there.
    QVERIFY(take(store.saveMessages({message(QStringLiteral("c1"), 4, QStringLiteral("old too"))}))
                .ok());
    QCOMPARE(find(store, QStringLiteral("old")).size(), 2);
}

QTEST_GUILESS_MAIN(TestLocalSearch)
#include "tst_localsearch.moc"
