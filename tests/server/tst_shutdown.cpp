// ServerApp::shutdown(): sessions are closed with 1001, stopped() is emitted, no new connections
// are accepted, and every message acked before the shutdown is in history after a restart.

#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

using namespace tern::test;

class TestShutdown : public QObject
{
    Q_OBJECT

private slots:
    void idleServerStops();
    void shutdownClosesSessionsAndKeepsAcked();
};

void TestShutdown::idleServerStops()
{
    ServerFixture server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QSignalSpy stopped(server.app(), &tern::server::ServerApp::stopped);
    server.app()->shutdown();
    QVERIFY(stopped.count() == 1 || stopped.wait(10'000));
    QCOMPARE(stopped.count(), 1);
    QCOMPARE(server.app()->connectionCount(), 0);
    server.stop(false);
    // The data dir can be opened again right away.
    QVERIFY2(server.start(), qPrintable(server.errorString()));
}

void TestShutdown::shutdownClosesSessionsAndKeepsAcked()
{
    ServerFixture server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TestUser a = createUser(server.url(), QStringLiteral("a"));
    const TestUser b = createUser(server.url(), QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = loginDevice(server.url(), a, QStringLiteral("a1"));
    Device b1 = loginDevice(server.url(), b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    auto anonymous = connectClient(server.url()); // connected, never authenticated
    QVERIFY(anonymous);
    const LoginInfo a1Login = a1.login;

    QStringList ids;
    for (int i = 0; i < 20; ++i)
        ids << a1->post(TestClient::messageObject(b.userId, QStringLiteral("before %1").arg(i)));
    QVERIFY(a1->waitForReplies(ids, 30'000));
    // More in flight while the shutdown starts.
    for (int i = 0; i < 200; ++i)
        ids << a1->post(TestClient::messageObject(b.userId, QStringLiteral("during %1").arg(i)));
    QVERIFY(spinUntil([&] { return a1->totalReplies() >= 30; }, 30'000));

    QSignalSpy stopped(server.app(), &tern::server::ServerApp::stopped);
    QElapsedTimer timer;
    timer.start();
    server.app()->shutdown();
    QVERIFY2(stopped.count() == 1 || stopped.wait(10'000), "stopped() not emitted within 10 s");
    qInfo("stopped() after %lld ms", timer.elapsed());
    for (TestClient *client : {a1.client.get(), b1.client.get(), anonymous.get()}) {
        QVERIFY(client->waitForDisconnected(10'000));
        QCOMPARE(client->closeCode(), 1001);
    }
    QCOMPARE(server.app()->connectionCount(), 0);
    // No longer accepting.
    TestClient late;
    QVERIFY(!late.open(server.url(), 3'000));

    QHash<QString, qint64> ackedSeq;
    QString conversation;
    for (const QString &id : std::as_const(ids)) {
        if (const auto reply = a1->reply(id)) {
            TERN_VERIFY_ACK(*reply);
            ackedSeq.insert(id, intField(*reply, QStringLiteral("seq")));
            conversation = reply->value(QStringLiteral("conversation")).toString();
        }
    }
    QVERIFY(ackedSeq.size() >= 30);
    qInfo("acked before shutdown: %lld of %lld", qint64(ackedSeq.size()), qint64(ids.size()));

    server.stop(false);
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    Device again = reconnectDevice(server.url(), a1Login);
    QVERIFY(again.ok());
    QHash<QString, qint64> storedSeq;
    qint64 before = -1;
    qint64 expected = -1;
    for (int page = 0; page < 10; ++page) {
        QJsonObject request{{"type", "history"}, {"conversation", conversation}, {"limit", 200}};
        if (before > 0)
            request.insert(QStringLiteral("before_seq"), before);
        const QJsonObject reply = again->request(request);
        TERN_VERIFY_ACK(reply);
        const QJsonArray messages = reply.value(QStringLiteral("messages")).toArray();
        if (messages.isEmpty())
            break;
        for (const QJsonValue &m : messages)
            storedSeq.insert(m.toObject().value(QStringLiteral("id")).toString(),
                             intField(m.toObject(), QStringLiteral("seq")));
        if (expected < 0)
            expected = intField(messages.last().toObject(), QStringLiteral("seq"));
        before = intField(messages.first().toObject(), QStringLiteral("seq"));
        if (before <= 1)
            break;
    }
    QCOMPARE(qint64(storedSeq.size()), expected); // gap-free 1..last, no duplicates
    for (auto it = ackedSeq.cbegin(); it != ackedSeq.cend(); ++it)
        QVERIFY2(storedSeq.value(it.key(), -1) == it.value(),
                 qPrintable(QStringLiteral("acked message %1 (seq %2) lost after shutdown")
                                .arg(it.key())
                                .arg(it.value())));
}

QTEST_GUILESS_MAIN(TestShutdown)
#include "tst_shutdown.moc"
