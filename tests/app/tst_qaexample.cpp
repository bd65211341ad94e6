// The example of docs/testing.md: a UI test written only through AppDriver and ChildServer, as a
// QA engineer would write one. A real ternd, two real app windows (offscreen): Alice opens a
// chat with Bob, sends, Bob sees it in his list and in the chat, and Alice sees the read tick.

#include "tests/support/AppDriver.h"
#include "tests/support/ChildServer.h"

#include <QTemporaryDir>
#include <QTest>

using tern::test::AppDriver;
using tern::test::ChildServer;
using tern::test::Tick;

class TestQaExample : public QObject
{
    Q_OBJECT
private slots:
    void aliceWritesBobReads();
};

void TestQaExample::aliceWritesBobReads()
{
    QTemporaryDir dir;
    ChildServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));

    AppDriver alice, bob;
    QVERIFY2(alice.launch(dir.filePath("alice")), alice.error());
    QVERIFY2(alice.signUp(server.url(), "alice", "Alice"), alice.error());
    QVERIFY2(bob.launch(dir.filePath("bob")), bob.error());
    QVERIFY2(bob.signUp(server.url(), "bob", "Bob"), bob.error());

    QVERIFY2(alice.openChat("Bob"), alice.error());
    QVERIFY2(alice.send("Hello Bob"), alice.error());
    QVERIFY2(alice.waitForTick("Hello Bob", Tick::Sent), alice.error());

    QVERIFY2(bob.waitForConversation("Alice", 1), bob.error());
    QCOMPARE(bob.conversations().first().preview, QStringLiteral("Hello Bob"));
    QVERIFY2(bob.openChat("Alice"), bob.error());
    QVERIFY2(bob.waitForMessage("Hello Bob"), bob.error());
    QCOMPARE(bob.messages().last().sender, QStringLiteral("Alice"));

    QVERIFY2(alice.waitForTick("Hello Bob", Tick::Read), alice.error());
    QVERIFY2(bob.waitForConversation("Alice", 0), bob.error());
    QVERIFY2(alice.screenshot("qaexample-alice.png"), alice.error());
}

QTEST_MAIN(TestQaExample)
#include "tst_qaexample.moc"
