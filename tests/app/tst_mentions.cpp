// Mentions below the UI: MessageText::renderMentions with hostile markup and names, the ids a
// text mentions, search snippets with markup (markers moved off it, cut markup made whole), and
// the cache's count of unread mentions on a real SQLite file (received, after the read position,
// of someone else, mentioning us; cleared by reading to the end; kept by a list refresh).

#include "app/cache/LocalStore.h"
#include "app/models/MessageSearchModel.h"
#include "app/models/MessageText.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace tern;
using tern::app::models::MessageSearchModel;
using tern::app::models::MessageText;

namespace {

template <typename T> T take(QFuture<T> future)
{
    future.waitForFinished(); // the store's own thread; blocking the test thread is harmless
    return future.result();
}

const QHash<QString, QString> kNames{{QStringLiteral("u1"), QStringLiteral("Alice")},
                                     {QStringLiteral("u2"), QStringLiteral("Bob Lee")}};

protocol::MessageEvent message(qint64 seq, const QString &from, const QStringList &mentions)
{
    protocol::MessageEvent m;
    m.id = QStringLiteral("m%1").arg(seq);
    m.conversation = QStringLiteral("c1");
    m.seq = seq;
    m.from = from;
    m.fromDevice = QStringLiteral("d");
    m.to = QStringLiteral("c1");
    m.kind = protocol::MessageKind::Text;
    m.content = QStringLiteral("hi <@u2>");
    m.mentions = mentions;
    m.ts = 1000 + seq;
    m.serverTs = 2000 + seq;
    return m;
}

} // namespace

class TestMentions : public QObject
{
    Q_OBJECT
private slots:
    void renderMentions_data();
    void renderMentions();
    void renderSpans();
    void hostileNames();
    void longContentStaysLinear();
    void mentionedIds();
    void summaryRendersNames();
    void snippets_data();
    void snippets();
    void unreadMentionsCounted();
    void unreadMentionsCleared();

private:
    QTemporaryDir m_dir;
};

void TestMentions::renderMentions_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("shown");
    QTest::newRow("plain") << "no mention"
                           << "no mention";
    QTest::newRow("one") << "hi <@u1>!"
                         << "hi @Alice!";
    QTest::newRow("two") << "<@u1><@u2>"
                         << "@Alice@Bob Lee";
    QTest::newRow("unknown") << "hi <@u9>"
                             << "hi @unknown user";
    QTest::newRow("empty id") << "a <@> b"
                              << "a <@> b";
    QTest::newRow("unclosed") << "a <@u1 b"
                              << "a <@u1 b";
    QTest::newRow("unclosed end") << "a <@u1"
                                  << "a <@u1";
    QTest::newRow("nested") << "<@<@u1>>"
                            << "<@@Alice>";
    QTest::newRow("space in id") << "<@u 1>"
                                 << "<@u 1>";
    QTest::newRow("newline in id") << "<@u\n1>"
                                   << "<@u\n1>";
    QTest::newRow("control in id")
        << QStringLiteral("<@u\x01") + "1>" << QStringLiteral("<@u\x01") + "1>";
    QTest::newRow("bidi in id") << QString::fromUtf8("<@u\u202e1>")
                                << QString::fromUtf8("<@u\u202e1>");
    QTest::newRow("64 chars") << "<@" + QString(64, QLatin1Char('x')) + ">"
                              << "@unknown user";
    QTest::newRow("65 chars") << "<@" + QString(65, QLatin1Char('x')) + ">"
                              << "<@" + QString(65, QLatin1Char('x')) + ">";
    QTest::newRow("html stays text") << "<b><@u1></b>"
                                     << "<b>@Alice</b>";
    QTest::newRow("lone marker") << "<@"
                                 << "<@";
    QTest::newRow("at end") << "x<"
                            << "x<";
}

void TestMentions::renderMentions()
{
    QFETCH(QString, content);
    QFETCH(QString, shown);
    QCOMPARE(MessageText::renderMentions(content, kNames), shown);
}

void TestMentions::renderSpans()
{
    QList<MessageText::MentionSpan> spans;
    const QString out =
        MessageText::renderMentions(QStringLiteral("ab <@u2> c <@u1>"), kNames, &spans);
    QCOMPARE(out, QStringLiteral("ab @Bob Lee c @Alice"));
    QCOMPARE(spans.size(), 2);
    QCOMPARE(out.mid(spans[0].start, spans[0].length), QStringLiteral("@Bob Lee"));
    QCOMPARE(spans[0].userId, QStringLiteral("u2"));
    QCOMPARE(spans[0].sourceStart, 3);
    QCOMPARE(spans[0].sourceLength, 5);
    QCOMPARE(out.mid(spans[1].start, spans[1].length), QStringLiteral("@Alice"));
    QCOMPARE(spans[1].userId, QStringLiteral("u1"));
}

void TestMentions::hostileNames()
{
    // A name that looks like markup is shown as it is, never read as markup again; line breaks
    // and direction overrides from another user's name do not reach the text.
    const QHash<QString, QString> names{
        {QStringLiteral("u1"), QStringLiteral("<@u2>")},
        {QStringLiteral("u2"), QString::fromUtf8("Eve\n\u202eevil")},
        {QStringLiteral("u3"), QStringLiteral("   ")}};
    QCOMPARE(MessageText::renderMentions(QStringLiteral("<@u1>"), names), QStringLiteral("@<@u2>"));
    QCOMPARE(MessageText::renderMentions(QStringLiteral("<@u2>"), names),
             QStringLiteral("@Eve evil"));
    QCOMPARE(MessageText::renderMentions(QStringLiteral("<@u3>"), names),
             QStringLiteral("@unknown user"));
}

void TestMentions::longContentStaysLinear()
{
    // 32 KB of almost-markup (the server's content limit): one pass, same text back.
    const QString hostile = QStringLiteral("<@").repeated(16 * 1024);
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(MessageText::renderMentions(hostile, kNames), hostile);
    QString many;
    for (int i = 0; i < 4000; ++i)
        many += QStringLiteral("<@u1>");
    QList<MessageText::MentionSpan> spans;
    QCOMPARE(MessageText::renderMentions(many, kNames, &spans).size(), 6 * 4000);
    QCOMPARE(spans.size(), 4000);
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
}

void TestMentions::mentionedIds()
{
    QCOMPARE(MessageText::mentionedIds(QStringLiteral("<@u2> <@u1> <@u2> <@bad id>")),
             QStringList({QStringLiteral("u2"), QStringLiteral("u1")}));
    QString many;
    for (int i = 0; i < 60; ++i)
        many += MessageText::mentionMarkup(QStringLiteral("u%1").arg(i));
    QCOMPARE(MessageText::mentionedIds(many).size(), 50); // the server's limit
    QCOMPARE(MessageText::mentionMarkup(QStringLiteral("u7")), QStringLiteral("<@u7>"));
}

void TestMentions::summaryRendersNames()
{
    protocol::MessageEvent m = message(1, QStringLiteral("u1"), {QStringLiteral("u2")});
    QCOMPARE(MessageText::summary(m, kNames), QStringLiteral("hi @Bob Lee"));
    m.kind = protocol::MessageKind::Image;
    QCOMPARE(MessageText::summary(m, kNames), QStringLiteral("📷 Photo: hi @Bob Lee"));
}

void TestMentions::snippets_data()
{
    const QString stx(QChar(0x02));
    const QString etx(QChar(0x03));
    const QString dots(QChar(0x2026));
    QTest::addColumn<QString>("snippet");
    QTest::addColumn<QString>("shown");
    QTest::newRow("plain") << "a " + stx + "word" + etx << "a " + stx + "word" + etx;
    QTest::newRow("mention before match")
        << "<@u1> said " + stx + "hello" + etx << "@Alice said " + stx + "hello" + etx;
    QTest::newRow("match inside markup") << "hi <@" + stx + "u2" + etx + "> x"
                                         << "hi " + stx + "@Bob Lee" + etx + " x";
    QTest::newRow("cut at start") << dots + "u1> " + stx + "hey" + etx
                                  << dots + "@Alice " + stx + "hey" + etx;
    QTest::newRow("cut at end") << stx + "hey" + etx + " <@u2" + dots
                                << stx + "hey" + etx + " @Bob Lee" + dots;
    QTest::newRow("unknown") << "<@zz> " + stx + "x" + etx << "@unknown user " + stx + "x" + etx;
}

void TestMentions::snippets()
{
    QFETCH(QString, snippet);
    QFETCH(QString, shown);
    QCOMPARE(MessageSearchModel::renderSnippet(snippet, kNames), shown);
    QList<QPair<int, int>> marks;
    const QString plain = MessageSearchModel::plainSnippet(shown, &marks);
    QVERIFY(!plain.contains(QStringLiteral("<@")));
}

void TestMentions::unreadMentionsCounted()
{
    QVERIFY(m_dir.isValid());
    app::cache::LocalStore store(m_dir.filePath(QStringLiteral("count.sqlite")));
    QVERIFY(store.open().ok());
    QVERIFY(take(store.setSetting(QStringLiteral("user_id"), QStringLiteral("u2"))).ok());
    protocol::ConversationSummary c;
    c.conversation = QStringLiteral("c1");
    c.kind = protocol::ConversationKind::Group;
    c.name = QStringLiteral("Team");
    c.readSeq = 2;
    c.lastSeq = 2;
    QVERIFY(take(store.saveConversations({c})).ok());

    const QString alice = QStringLiteral("u1");
    const QStringList me{QStringLiteral("u2")};
    QVERIFY(take(store.saveMessages({message(1, alice, me)}, true)).ok()); // before read_seq
    QVERIFY(take(store.saveMessages({message(3, alice, me)}, true)).ok()); // counts
    QVERIFY(take(store.saveMessages({message(3, alice, me)}, true)).ok()); // duplicate
    QVERIFY(take(store.saveMessages({message(4, alice, {QStringLiteral("u3")})}, true)).ok());
    QVERIFY(take(store.saveMessages({message(5, QStringLiteral("u2"), me)}, true)).ok()); // own
    QVERIFY(take(store.saveMessages({message(6, alice, me)}, false)).ok()); // history page
    QVERIFY(take(store.saveMessages({message(7, alice, me), message(8, alice, me)}, true)).ok());
    Result<QHash<QString, int>> counts = take(store.unreadMentions());
    QVERIFY(counts.ok());
    QCOMPARE(counts->value(QStringLiteral("c1")), 3);

    // A list from the server (same read position) keeps the count.
    c.lastSeq = 8;
    QVERIFY(take(store.saveConversations({c})).ok());
    counts = take(store.unreadMentions());
    QCOMPARE(counts->value(QStringLiteral("c1")), 3);

    // Reopening the file keeps it.
}

void TestMentions::unreadMentionsCleared()
{
    const QString path = m_dir.filePath(QStringLiteral("count.sqlite"));
    app::cache::LocalStore store(path);
    QVERIFY(store.open().ok());
    QCOMPARE(take(store.unreadMentions())->value(QStringLiteral("c1")), 3);
    QVERIFY(take(store.clearUnreadMentions(QStringLiteral("c1"))).ok());
    QCOMPARE(take(store.unreadMentions())->value(QStringLiteral("c1")), 0);
    QVERIFY(
        take(store.saveMessages({message(9, QStringLiteral("u1"), {QStringLiteral("u2")})}, true))
            .ok());
    QCOMPARE(take(store.unreadMentions())->value(QStringLiteral("c1")), 1);
    // Reading to the end clears it too.
    QVERIFY(take(store.setReadSeq(QStringLiteral("c1"), 9)).ok());
    QCOMPARE(take(store.unreadMentions())->value(QStringLiteral("c1")), 0);
}

QTEST_GUILESS_MAIN(TestMentions)
#include "tst_mentions.moc"
