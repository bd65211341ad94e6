// Server-side message search (`search`) over the wire against an in-process ternd: ranking and
// snippets, paging by next_cursor (a forged one refused), only conversations and membership
// windows the asker may read, the asker's hidden messages left out, hostile query syntax taken
// as plain words, the codec's limits, the per-user rate limit, and an upgraded database whose
// stored messages get indexed (and whose UPDATEs keep the index right).

#include "shared/core/Clock.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QJsonArray>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtTest>

using namespace tern::test;
using namespace Qt::StringLiterals;

namespace {

const QChar kOpen(0x02);
const QChar kClose(0x03);

QJsonArray hitsOf(const QJsonObject &reply)
{
    return reply.value("hits"_L1).toArray();
}

QList<qint64> seqsOf(const QJsonObject &reply)
{
    QList<qint64> seqs;
    for (const QJsonValue &hit : hitsOf(reply))
        seqs << hit.toObject().value("seq"_L1).toInteger();
    return seqs;
}

QStringList snippetsOf(const QJsonObject &reply)
{
    QStringList out;
    for (const QJsonValue &hit : hitsOf(reply))
        out << hit.toObject().value("snippet"_L1).toString();
    return out;
}

} // namespace

class TestSearch : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void rankingAndSnippets();
    void longMessageSnippetIsBounded();
    void pagingAndForgedCursors();
    void onlyReadableConversations();
    void membershipWindows();
    void hiddenMessagesAreLeftOut();
    void hostileQuerySyntax();
    void limitsPushedPast();
    void rateLimited();
    void upgradedDatabaseIsIndexed();
    void deletionIsPurgedFromTheIndexWhileRunning();
    void indexedAfterTheAckAsTheMessageIsThen();
    void indexerCatchesUpOnItsOwn();
    void deletingTheNewestRowKeepsNewRowsIndexed();

private:
    QJsonObject search(TestClient *client, const QString &query, const QString &conversation = {},
                       int limit = 20, const QString &cursor = {});
    //! Sends and returns the stored seq (-1 on failure).
    qint64 send(TestClient *client, const QString &to, const QString &text,
                QString *conversation = nullptr);
    QString createGroup(TestClient *client, const QStringList &members);

    ServerFixture m_server;
};

void TestSearch::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void TestSearch::cleanupTestCase()
{
    m_server.stop();
}

QJsonObject TestSearch::search(TestClient *client, const QString &query,
                               const QString &conversation, int limit, const QString &cursor)
{
    QJsonObject r{{"type", "search"}, {"query", query}, {"limit", limit}};
    if (!conversation.isEmpty())
        r.insert("conversation"_L1, conversation);
    if (!cursor.isEmpty())
        r.insert("cursor"_L1, cursor);
    return client->request(r);
}

qint64 TestSearch::send(TestClient *client, const QString &to, const QString &text,
                        QString *conversation)
{
    const QJsonObject r = client->sendMessage(to, text);
    if (!isAck(r)) {
        qWarning("send failed: %s", qPrintable(toJson(r)));
        return -1;
    }
    if (conversation)
        *conversation = r.value("conversation"_L1).toString();
    return intField(r, u"seq"_s);
}

QString TestSearch::createGroup(TestClient *client, const QStringList &members)
{
    const QJsonObject r = client->request({{"type", "create_group"},
                                           {"name", "Search group"},
                                           {"members", QJsonArray::fromStringList(members)}});
    return r.value("conversation"_L1).toString();
}

void TestSearch::rankingAndSnippets()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    const TestUser bob = createUser(m_server.url(), u"bob"_s);
    Device a = loginDevice(m_server.url(), alice, u"a"_s);
    Device b = loginDevice(m_server.url(), bob, u"b"_s);
    QVERIFY(a.ok() && b.ok());
    QString conv;
    const qint64 once = send(a.client.get(), bob.userId, u"the quick brown zorilla jumps"_s, &conv);
    const qint64 thrice = send(a.client.get(), bob.userId, u"zorilla zorilla zorilla den"_s);
    const qint64 other = send(a.client.get(), bob.userId, u"nothing to see here"_s);
    QVERIFY(once > 0 && thrice > 0 && other > 0);

    // Both parties find it; the message with the word three times ranks first.
    for (TestClient *client : {a.client.get(), b.client.get()}) {
        const QJsonObject r = search(client, u"zorilla"_s);
        QVERIFY2(isAck(r), qPrintable(toJson(r)));
        QCOMPARE(seqsOf(r), (QList<qint64>{thrice, once}));
        QVERIFY(!r.contains("next_cursor"_L1));
        const QJsonObject hit = hitsOf(r).at(1).toObject();
        QCOMPARE(hit.value("conversation"_L1).toString(), conv);
        QCOMPARE(hit.value("from"_L1).toString(), alice.userId);
        QVERIFY(!hit.value("id"_L1).toString().isEmpty());
        QVERIFY(intField(hit, u"server_ts"_s) > 0);
        QCOMPARE(hit.value("snippet"_L1).toString(),
                 u"the quick brown "_s + kOpen + u"zorilla"_s + kClose + u" jumps"_s);
    }
    // Words are prefixes and all are required; case and accents do not matter.
    QCOMPARE(seqsOf(search(b.client.get(), u"QUI zor"_s)), QList<qint64>{once});
    QCOMPARE(seqsOf(search(b.client.get(), u"zorilla nothing"_s)), QList<qint64>{});
    send(a.client.get(), bob.userId, u"Café crème"_s);
    QCOMPARE(hitsOf(search(b.client.get(), u"cafe creme"_s)).size(), 1);
    // Restricted to one conversation.
    QCOMPARE(seqsOf(search(b.client.get(), u"zorilla"_s, conv)).size(), 2);
}

void TestSearch::longMessageSnippetIsBounded()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    Device a = loginDevice(m_server.url(), alice, u"a"_s);
    QVERIFY(a.ok());
    QString text;
    for (int i = 0; i < 300; ++i)
        text += u"wordy%1 "_s.arg(i);
    text += u"needlework "_s;
    for (int i = 0; i < 300; ++i)
        text += u"ẞ😀longer%1 "_s.arg(i);
    QVERIFY(send(a.client.get(), alice.userId, text) > 0);
    const QJsonObject r = search(a.client.get(), u"needle"_s);
    QCOMPARE(hitsOf(r).size(), 1);
    const QString snippet = snippetsOf(r).constFirst();
    QVERIFY2(snippet.size() <= 200, qPrintable(QString::number(snippet.size())));
    QVERIFY(snippet.contains(kOpen + u"needlework"_s + kClose));
    QCOMPARE(snippet.count(kOpen), snippet.count(kClose));
    QVERIFY(!snippet.back().isHighSurrogate());
    // A match near the end of a long text, with emoji around it, is bounded the same way.
    const QJsonObject late = search(a.client.get(), u"longer299"_s);
    QCOMPARE(hitsOf(late).size(), 1);
    QVERIFY(snippetsOf(late).constFirst().size() <= 200);
}

void TestSearch::pagingAndForgedCursors()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    Device a = loginDevice(m_server.url(), alice, u"a"_s);
    QVERIFY(a.ok());
    QSet<qint64> sent;
    for (int i = 0; i < 7; ++i)
        sent << send(a.client.get(), alice.userId, u"pagination item %1"_s.arg(i));
    QSet<qint64> seen;
    QString cursor;
    QList<int> sizes;
    for (int page = 0; page < 5; ++page) {
        const QJsonObject r = search(a.client.get(), u"pagination"_s, {}, 3, cursor);
        QVERIFY2(isAck(r), qPrintable(toJson(r)));
        sizes << int(hitsOf(r).size());
        for (const qint64 seq : seqsOf(r))
            QVERIFY2(!seen.contains(seq), "a hit came twice");
        const QList<qint64> seqs = seqsOf(r);
        seen.unite(QSet<qint64>(seqs.begin(), seqs.end()));
        cursor = r.value("next_cursor"_L1).toString();
        if (cursor.isEmpty())
            break;
    }
    QCOMPARE(sizes, (QList<int>{3, 3, 1}));
    QCOMPARE(seen, sent);
    // Equal ranks: newest first.
    const QList<qint64> first = seqsOf(search(a.client.get(), u"pagination"_s, {}, 7));
    QVERIFY(std::is_sorted(first.rbegin(), first.rend()));

    const QString real =
        search(a.client.get(), u"pagination"_s, {}, 3).value("next_cursor"_L1).toString();
    QVERIFY(!real.isEmpty());
    for (const QString &forged :
         {u"3"_s, u"abc"_s, u"-3.0"_s, u"999999999.deadbeefdeadbeef"_s, u"6."_s + real.mid(3),
          u"r6."_s + real.mid(3), u"n3."_s + real.mid(3), real + u"0"_s, u"3.' OR 1=1 --"_s}) {
        const QJsonObject r = search(a.client.get(), u"pagination"_s, {}, 3, forged);
        QVERIFY2(isError(r, u"bad_request"_s), qPrintable(forged + u" -> "_s + toJson(r)));
    }
    // A cursor only works for the search that gave it (another query, user or conversation).
    QVERIFY(isError(search(a.client.get(), u"item"_s, {}, 3, real), u"bad_request"_s));
    const TestUser mallory = createUser(m_server.url(), u"mallory"_s);
    Device m = loginDevice(m_server.url(), mallory, u"m"_s);
    QVERIFY(isError(search(m.client.get(), u"pagination"_s, {}, 3, real), u"bad_request"_s));
    QVERIFY(isAck(search(a.client.get(), u"pagination"_s, {}, 3, real)));
}

void TestSearch::onlyReadableConversations()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    const TestUser bob = createUser(m_server.url(), u"bob"_s);
    const TestUser eve = createUser(m_server.url(), u"eve"_s);
    Device a = loginDevice(m_server.url(), alice, u"a"_s);
    Device e = loginDevice(m_server.url(), eve, u"e"_s);
    QVERIFY(a.ok() && e.ok());
    QString conv;
    QVERIFY(send(a.client.get(), bob.userId, u"quartermaster private"_s, &conv) > 0);
    QVERIFY(send(e.client.get(), eve.userId, u"eve's own note"_s) > 0);
    QCOMPARE(hitsOf(search(a.client.get(), u"quartermaster"_s)).size(), 1);
    const QJsonObject r = search(e.client.get(), u"quartermaster"_s);
    QVERIFY(isAck(r));
    QCOMPARE(hitsOf(r).size(), 0);
    // Naming someone else's conversation finds nothing either (and tells nothing).
    const QJsonObject scoped = search(e.client.get(), u"quartermaster"_s, conv);
    QVERIFY(isAck(scoped));
    QCOMPARE(hitsOf(scoped).size(), 0);
}

void TestSearch::membershipWindows()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    const TestUser bob = createUser(m_server.url(), u"bob"_s);
    const TestUser carol = createUser(m_server.url(), u"carol"_s);
    Device a = loginDevice(m_server.url(), alice, u"a"_s);
    Device b = loginDevice(m_server.url(), bob, u"b"_s);
    Device c = loginDevice(m_server.url(), carol, u"c"_s);
    QVERIFY(a.ok() && b.ok() && c.ok());
    const QString group = createGroup(a.client.get(), {bob.userId});
    QVERIFY(!group.isEmpty());
    const qint64 early = send(a.client.get(), group, u"marmalade early"_s);
    QVERIFY(isAck(a->request({{"type", "add_members"},
                              {"conversation", group},
                              {"members", QJsonArray{carol.userId}}})));
    const qint64 later = send(a.client.get(), group, u"marmalade later"_s);
    QVERIFY(isAck(
        a->request({{"type", "remove_member"}, {"conversation", group}, {"user", bob.userId}})));
    const qint64 after = send(a.client.get(), group, u"marmalade after bob left"_s);
    QVERIFY(early > 0 && later > 0 && after > 0);

    QCOMPARE(seqsOf(search(a.client.get(), u"marmalade"_s)).size(), 3);
    // Carol joined later: nothing from before.
    QList<qint64> carols = seqsOf(search(c.client.get(), u"marmalade"_s));
    std::sort(carols.begin(), carols.end());
    QCOMPARE(carols, (QList<qint64>{later, after}));
    // Bob was removed: what he saw, nothing after.
    QList<qint64> bobs = seqsOf(search(b.client.get(), u"marmalade"_s));
    std::sort(bobs.begin(), bobs.end());
    QCOMPARE(bobs, (QList<qint64>{early, later}));
    QCOMPARE(seqsOf(search(b.client.get(), u"marmalade after"_s)), QList<qint64>{});
}

void TestSearch::hiddenMessagesAreLeftOut()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    const TestUser bob = createUser(m_server.url(), u"bob"_s);
    Device a = loginDevice(m_server.url(), alice, u"a"_s);
    Device b = loginDevice(m_server.url(), bob, u"b"_s);
    QVERIFY(a.ok() && b.ok());
    QString conv;
    const qint64 keep = send(a.client.get(), bob.userId, u"periwinkle kept"_s, &conv);
    const qint64 hide = send(a.client.get(), bob.userId, u"periwinkle hidden"_s);
    QVERIFY(
        isAck(a->request({{"type", "hide"}, {"conversation", conv}, {"seqs", QJsonArray{hide}}})));
    QCOMPARE(seqsOf(search(a.client.get(), u"periwinkle"_s)), QList<qint64>{keep});
    QCOMPARE(seqsOf(search(b.client.get(), u"periwinkle"_s)).size(), 2); // only alice hid it
}

void TestSearch::hostileQuerySyntax()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    Device a = loginDevice(m_server.url(), alice, u"a"_s);
    QVERIFY(a.ok());
    const qint64 plain = send(a.client.get(), alice.userId, u"xylophone recital tonight"_s);
    const qint64 words = send(a.client.get(), alice.userId, u"xylophone or content near"_s);
    QVERIFY(plain > 0 && words > 0);
    // Each is FTS5 syntax if passed through: here every query is an ack, never an error, and
    // the words are searched for as words.
    const QList<std::pair<QString, int>> cases = {
        {u"\""_s, 0},
        {u"*"_s, 0},
        {u"xylophone*"_s, 2},
        {u"\"xylophone"_s, 2},
        {u"xylophone\""_s, 2},
        {u"xylo\"phone"_s, 0},
        {u"-xylophone"_s, 2},
        {u"(xylophone)"_s, 2},
        {u"^xylophone"_s, 2},
        {u"xylophone OR zebra"_s, 0},
        {u"xylophone OR"_s, 1},
        {u"xylophone AND recital"_s, 0},
        {u"xylophone NOT recital"_s, 0},
        {u"NEAR(xylophone recital)"_s, 0},
        {u"NEAR"_s, 1},
        {u"content:xylophone"_s, 0}, // a phrase "content xylophone", not a column filter
        {u"file_name:xylophone"_s, 0},
        {u"{content}: xylophone"_s, 1},
        {u"xylophone + recital"_s, 1},
        {u"') OR 1=1 --"_s, 0},
        {u"\\ \" ' ; ( ) * : ^ - +"_s, 0},
    };
    for (const auto &[query, count] : cases) {
        const QJsonObject r = search(a.client.get(), query);
        QVERIFY2(isAck(r), qPrintable(query + u" -> "_s + toJson(r)));
        QVERIFY2(hitsOf(r).size() == count,
                 qPrintable(query + u" -> "_s + QString::number(hitsOf(r).size())));
    }
}

void TestSearch::limitsPushedPast()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    Device a = loginDevice(m_server.url(), alice, u"a"_s);
    QVERIFY(a.ok());
    for (int i = 0; i < 55; ++i)
        QVERIFY(send(a.client.get(), alice.userId, u"abundance %1"_s.arg(i)) > 0);
    QCOMPARE(hitsOf(search(a.client.get(), u"abundance"_s, {}, 50)).size(), 50);
    QCOMPARE(hitsOf(search(a.client.get(), u"abundance"_s, {}, 1)).size(), 1);
    QCOMPARE(hitsOf(a->request({{"type", "search"}, {"query", "abundance"}})).size(), 20);
    const QString bad = u"bad_request"_s;
    QVERIFY(isError(search(a.client.get(), u"abundance"_s, {}, 51), bad));
    QVERIFY(isError(search(a.client.get(), u"abundance"_s, {}, 0), bad));
    QVERIFY(isError(search(a.client.get(), u"abundance"_s, {}, -1), bad));
    QVERIFY(isError(search(a.client.get(), QString(65, u'a')), bad));
    QVERIFY(isAck(search(a.client.get(), QString(64, u'a'))));
    QVERIFY(isError(search(a.client.get(), u"   "_s), bad));
    QVERIFY(isError(search(a.client.get(), u""_s), bad));
    QVERIFY(isError(a->request({{"type", "search"}, {"query", 5}}), bad));
    QVERIFY(isError(a->request({{"type", "search"}}), bad));
    QVERIFY(isError(search(a.client.get(), u"abundance"_s, {}, 20, QString(129, u'c')), bad));
    // Deep pages end: past 10,000 hits no further cursor is offered.
}

void TestSearch::rateLimited()
{
    ServerFixture limited;
    limited.config().searchesPerMinute = 3;
    QVERIFY2(limited.start(), qPrintable(limited.errorString()));
    const TestUser alice = createUser(limited.url(), u"alice"_s);
    const TestUser bob = createUser(limited.url(), u"bob"_s);
    Device a = loginDevice(limited.url(), alice, u"a"_s);
    Device b = loginDevice(limited.url(), bob, u"b"_s);
    QVERIFY(a.ok() && b.ok());
    for (int i = 0; i < 3; ++i)
        QVERIFY(isAck(search(a.client.get(), u"anything"_s)));
    QVERIFY(isError(search(a.client.get(), u"anything"_s), u"rate_limited"_s));
    // Per user: bob still may, and alice's other requests still work.
    QVERIFY(isAck(search(b.client.get(), u"anything"_s)));
    QVERIFY(send(a.client.get(), alice.userId, u"still sending"_s) > 0);
    // The window passes (the server's test clock).
    tern::advanceClockForTesting(61'000);
    QVERIFY(isAck(search(a.client.get(), u"anything"_s)));
    limited.stop();
}

void TestSearch::upgradedDatabaseIsIndexed()
{
    ServerFixture server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TestUser alice = createUser(server.url(), u"alice"_s);
    QString conv;
    {
        Device a = loginDevice(server.url(), alice, u"a"_s);
        QVERIFY(a.ok());
        QVERIFY(send(a.client.get(), alice.userId, u"stored before the upgrade"_s, &conv) > 0);
        QVERIFY(send(a.client.get(), alice.userId, u"to be edited by hand"_s) > 0);
    }
    server.stop();
    {
        // Back to the schema before 005 (and what came after it), as a database written before
        // search existed looks.
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"downgrade"_s);
        db.setDatabaseName(server.dataDir() + u"/ternd.sqlite"_s);
        QVERIFY(db.open());
        QSqlQuery q(db);
        for (const QString &sql :
             {u"DROP TABLE search_indexed"_s, u"DROP TRIGGER messages_fts_update"_s,
              u"DROP TRIGGER messages_fts_delete"_s, u"DROP TABLE messages_fts"_s,
              u"DROP VIEW messages_fts_source"_s, u"DROP TABLE hidden_messages"_s,
              u"DROP TRIGGER messages_deleted_purge"_s, u"DROP TABLE search_purge"_s,
              u"ALTER TABLE devices DROP COLUMN hidden_pos"_s, u"DROP TABLE watermark_moves"_s,
              u"DELETE FROM schema_version WHERE version >= 5"_s,
              // A file message written by the old server (its name is indexed too).
              u"INSERT INTO messages (conversation_id, seq, client_id, from_user, from_device, "
              "to_id, kind, content, media, ts, server_ts) SELECT conversation_id, seq + 100, "
              "'file-1', from_user, "
              "from_device, to_id, 'file', 'quarterly caption', "
              "'{\"media_id\":\"m1\",\"name\":\"budget-overview.xlsx\"}', ts, server_ts "
              "FROM messages WHERE seq = 1 AND conversation_id = '"_s +
                  conv + u"'"_s}) {
            QVERIFY2(q.exec(sql), qPrintable(sql + u": "_s + q.lastError().text()));
        }
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"downgrade"_s);
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Device a = loginDevice(server.url(), alice, u"a2"_s);
    QVERIFY(a.ok());
    QCOMPARE(hitsOf(search(a.client.get(), u"upgrade"_s)).size(), 1);
    QCOMPARE(hitsOf(search(a.client.get(), u"budget"_s)).size(), 1);
    QVERIFY(snippetsOf(search(a.client.get(), u"budget"_s))
                .constFirst()
                .contains(kOpen + u"budget"_s + kClose));
    QCOMPARE(hitsOf(search(a.client.get(), u"quarterly"_s)).size(), 1);
    server.stop();
    {
        // An UPDATE of content (as an edit or a deletion does) moves the index with it.
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"edit"_s);
        db.setDatabaseName(server.dataDir() + u"/ternd.sqlite"_s);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"UPDATE messages SET content = 'rewritten wording' WHERE content = "
                       "'to be edited by hand'"_s));
        QVERIFY(q.exec(u"UPDATE messages SET content = '', media = NULL WHERE kind = 'file'"_s));
        QVERIFY(q.exec(u"INSERT INTO messages_fts(messages_fts) VALUES('integrity-check')"_s));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"edit"_s);
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Device again = loginDevice(server.url(), alice, u"a3"_s);
    QVERIFY(again.ok());
    QCOMPARE(hitsOf(search(again.client.get(), u"edited"_s)).size(), 0);
    QCOMPARE(hitsOf(search(again.client.get(), u"rewritten"_s)).size(), 1);
    QCOMPARE(hitsOf(search(again.client.get(), u"budget"_s)).size(), 0);
    QCOMPARE(hitsOf(search(again.client.get(), u"quarterly"_s)).size(), 0);
    server.stop();
}

//! A deletion marks the index for a purge in its own commit; the running server's purger merges
//! the index in small steps until the deleted words are gone from every segment, then clears the
//! mark (the file's bytes are checked after a stop in tst_messagechanges).
void TestSearch::deletionIsPurgedFromTheIndexWhileRunning()
{
    ServerFixture server;
    server.config().searchPurgeIntervalMs = 20;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TestUser alice = createUser(server.url(), u"alice"_s);
    Device a = loginDevice(server.url(), alice, u"a"_s);
    QVERIFY(a.ok());
    for (int i = 0; i < 50; ++i) // several index segments to merge
        QVERIFY(send(a.client.get(), alice.userId, u"filler words number %1"_s.arg(i)) > 0);
    QString conv;
    const qint64 seq = send(a.client.get(), alice.userId, u"purgeable secret"_s, &conv);
    QVERIFY(seq > 0);
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"purge"_s);
    db.setDatabaseName(server.dataDir() + u"/ternd.sqlite"_s);
    QVERIFY(db.open());
    const auto pending = [&db] {
        QSqlQuery q(db);
        return q.exec(u"SELECT pending FROM search_purge"_s) && q.next() ? q.value(0).toInt() : -1;
    };
    QCOMPARE(pending(), 0);
    const QJsonObject deleted = a.client->request({{"type", "message"},
                                                   {"id", TestClient::newId()},
                                                   {"to", conv},
                                                   {"kind", "delete"},
                                                   {"ref", seq}});
    QVERIFY2(isAck(deleted), qPrintable(toJson(deleted)));
    QCOMPARE(hitsOf(search(a.client.get(), u"purgeable"_s)).size(), 0);
    // Set by the deletion's commit, which came before its ack; cleared only by a finished purge.
    QTRY_COMPARE_WITH_TIMEOUT(pending(), 0, 10'000);
    QSqlQuery check(db);
    QVERIFY(check.exec(u"INSERT INTO messages_fts(messages_fts) VALUES('integrity-check')"_s));
    check.finish();
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(u"purge"_s);
    QCOMPARE(hitsOf(search(a.client.get(), u"filler"_s)).size(), 20);
    server.stop();
}

namespace {

//! The search index's state in the server's file, read by a second connection (WAL).
struct IndexState
{
    qint64 watermark = -1; // search_indexed.upto
    qint64 newest = -1;    // the highest rowid of messages
    int matches = -1;      // index rows matching `word`
};

IndexState indexState(const QString &dataDir, const QString &word)
{
    IndexState state;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"index-state"_s);
        db.setDatabaseName(dataDir + u"/ternd.sqlite"_s);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"SELECT upto FROM search_indexed"_s) && q.next())
                state.watermark = q.value(0).toLongLong();
            if (q.exec(u"SELECT MAX(rowid) FROM messages"_s) && q.next())
                state.newest = q.value(0).toLongLong();
            q.prepare(u"SELECT COUNT(*) FROM messages_fts WHERE messages_fts MATCH ?"_s);
            q.addBindValue(word);
            if (q.exec() && q.next())
                state.matches = q.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(u"index-state"_s);
    return state;
}

} // namespace

//! Sends are acked before their text is indexed (the index work is not in the send's
//! transaction); a search indexes what waits first, so it finds what was acked before it, and
//! finds it as it is then: a message edited or deleted before the indexer got to it.
void TestSearch::indexedAfterTheAckAsTheMessageIsThen()
{
    ServerFixture server;
    server.config().searchIndexIntervalMs = 3'600'000; // only a search indexes here
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TestUser alice = createUser(server.url(), u"alice"_s);
    Device a = loginDevice(server.url(), alice, u"a"_s);
    QVERIFY(a.ok());
    QString conv;
    const qint64 first = send(a.client.get(), alice.userId, u"freshly written words"_s, &conv);
    const qint64 doomed = send(a.client.get(), alice.userId, u"doomed sentence"_s);
    QVERIFY(first > 0 && doomed > 0);
    IndexState state = indexState(server.dataDir(), u"freshly"_s);
    QCOMPARE(state.matches, 0); // acked, committed, not indexed yet
    QVERIFY2(state.watermark < state.newest,
             qPrintable(u"%1 %2"_s.arg(state.watermark).arg(state.newest)));
    const QJsonObject edited = a.client->request({{"type", "message"},
                                                  {"id", TestClient::newId()},
                                                  {"to", conv},
                                                  {"kind", "edit"},
                                                  {"ref", first},
                                                  {"content", "corrected phrasing"}});
    QVERIFY2(isAck(edited), qPrintable(toJson(edited)));
    const QJsonObject deleted = a.client->request({{"type", "message"},
                                                   {"id", TestClient::newId()},
                                                   {"to", conv},
                                                   {"kind", "delete"},
                                                   {"ref", doomed}});
    QVERIFY2(isAck(deleted), qPrintable(toJson(deleted)));
    QCOMPARE(seqsOf(search(a.client.get(), u"corrected"_s)), QList<qint64>{first});
    QCOMPARE(hitsOf(search(a.client.get(), u"freshly"_s)).size(), 0);
    QCOMPARE(hitsOf(search(a.client.get(), u"doomed"_s)).size(), 0);
    state = indexState(server.dataDir(), u"corrected"_s);
    QCOMPARE(state.matches, 1);
    QCOMPARE(state.watermark, state.newest);
    QCOMPARE(indexState(server.dataDir(), u"doomed"_s).matches, 0);
    // Indexed now: an edit rewrites the index entry through the update trigger.
    const QJsonObject again = a.client->request({{"type", "message"},
                                                 {"id", TestClient::newId()},
                                                 {"to", conv},
                                                 {"kind", "edit"},
                                                 {"ref", first},
                                                 {"content", "final version"}});
    QVERIFY2(isAck(again), qPrintable(toJson(again)));
    QCOMPARE(indexState(server.dataDir(), u"corrected"_s).matches, 0);
    QCOMPARE(seqsOf(search(a.client.get(), u"final"_s)), QList<qint64>{first});
    server.stop();
}

//! Without any search the indexer reaches every committed message within its interval.
void TestSearch::indexerCatchesUpOnItsOwn()
{
    ServerFixture server;
    server.config().searchIndexIntervalMs = 20;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TestUser alice = createUser(server.url(), u"alice"_s);
    Device a = loginDevice(server.url(), alice, u"a"_s);
    QVERIFY(a.ok());
    for (int i = 0; i < 30; ++i)
        QVERIFY(send(a.client.get(), alice.userId, u"background entry %1"_s.arg(i)) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(indexState(server.dataDir(), u"background"_s).matches, 30, 10'000);
    const IndexState state = indexState(server.dataDir(), u"background"_s);
    QCOMPARE(state.watermark, state.newest);
    server.stop();
}

//! SQLite gives a new row the highest rowid + 1: with the highest row deleted (by hand here; a
//! retention policy would), a new row could land at or below the watermark and never be
//! indexed. The delete trigger lowers the watermark to the highest remaining row.
void TestSearch::deletingTheNewestRowKeepsNewRowsIndexed()
{
    ServerFixture server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TestUser alice = createUser(server.url(), u"alice"_s);
    QString conv;
    {
        Device a = loginDevice(server.url(), alice, u"a"_s);
        QVERIFY(a.ok());
        QVERIFY(send(a.client.get(), alice.userId, u"older kept"_s, &conv) > 0);
        QVERIFY(send(a.client.get(), alice.userId, u"newest removed"_s) > 0);
        QCOMPARE(hitsOf(search(a.client.get(), u"removed"_s)).size(), 1); // all indexed
    }
    server.stop();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"trim"_s);
        db.setDatabaseName(server.dataDir() + u"/ternd.sqlite"_s);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"DELETE FROM messages WHERE rowid = (SELECT MAX(rowid) FROM messages)"_s));
        QVERIFY(q.exec(u"UPDATE conversations SET last_seq = last_seq - 1 WHERE id = '"_s + conv +
                       u"'"_s));
        QVERIFY(q.exec(u"INSERT INTO messages_fts(messages_fts) VALUES('integrity-check')"_s));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(u"trim"_s);
    const IndexState trimmed = indexState(server.dataDir(), u"removed"_s);
    QCOMPARE(trimmed.matches, 0);
    QCOMPARE(trimmed.watermark, trimmed.newest);
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Device a = loginDevice(server.url(), alice, u"a2"_s);
    QVERIFY(a.ok());
    QVERIFY(send(a.client.get(), alice.userId, u"arrived later"_s) > 0);
    QCOMPARE(hitsOf(search(a.client.get(), u"arrived"_s)).size(), 1);
    server.stop();
}

QTEST_GUILESS_MAIN(TestSearch)
#include "tst_search.moc"
