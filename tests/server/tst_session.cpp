// Session lifecycle details of docs/protocol.md: idle sessions are closed (1000), heartbeats and
// unsolicited pongs keep a session alive, and an upgrade on a path other than /ws is refused.

#include "tests/support/RawWsClient.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace tern::test;

class TestSession : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void idleSessionIsClosed();
    void heartbeatKeepsSessionAlive();
    void pongKeepsSessionAlive();
    void unknownPathIsClosed();

private:
    ServerFixture m_server;
    TestUser m_user;
};

void TestSession::initTestCase()
{
    m_server.config().idleTimeoutMs = 1'500;
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_user = createUser(m_server.url(), QStringLiteral("idle"));
    QVERIFY(m_user.ok());
}

void TestSession::cleanupTestCase()
{
    m_server.stop();
}

void TestSession::idleSessionIsClosed()
{
    Device device = loginDevice(m_server.url(), m_user, QStringLiteral("idle"));
    QVERIFY(device.ok());
    device->setAutoHeartbeat(false);
    auto anonymous = connectClient(m_server.url());
    QVERIFY(anonymous);
    anonymous->setAutoHeartbeat(false);
    QElapsedTimer timer;
    timer.start();
    QVERIFY2(device->waitForDisconnected(10'000), "idle session not closed");
    qInfo("closed after %lld ms", timer.elapsed());
    QVERIFY(timer.elapsed() >= 1'000);
    QCOMPARE(device->closeCode(), 1000);
    QVERIFY2(anonymous->waitForDisconnected(10'000), "idle unauthenticated session not closed");
}

void TestSession::heartbeatKeepsSessionAlive()
{
    Device device = loginDevice(m_server.url(), m_user, QStringLiteral("busy"));
    QVERIFY(device.ok());
    device->setAutoHeartbeat(false);
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 4'000) {
        device->send({{"type", "heartbeat"}});
        QVERIFY2(!device->waitForDisconnected(500),
                 qPrintable(QStringLiteral("closed after %1 ms despite a heartbeat every 500 ms: "
                                           "code %2, \"%3\"")
                                .arg(timer.elapsed())
                                .arg(device->closeCode())
                                .arg(device->closeReason())));
    }
    QVERIFY(device->isConnected());
    // Heartbeats without an id got no reply, and no error.
    QCOMPARE(device->totalReplies(), 1); // the login
    QCOMPARE(device->eventCount(QStringLiteral("error")), 0);
    TERN_VERIFY_ACK(device->request({{"type", "conversations"}}));
}

void TestSession::pongKeepsSessionAlive()
{
    // RFC 6455 allows an unsolicited pong as a one-way heartbeat; the contract counts pongs.
    RawWsClient raw;
    QVERIFY(raw.open(m_server.port()));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 4'000) {
        raw.sendFrame(10, "still here");
        QVERIFY2(!raw.waitForDisconnected(500),
                 qPrintable(QStringLiteral("closed after %1 ms despite a pong every 500 ms "
                                           "(idle timeout 1500 ms)")
                                .arg(timer.elapsed())));
    }
    QVERIFY(raw.isConnected());
}

void TestSession::unknownPathIsClosed()
{
    TestClient client;
    QUrl url = m_server.url();
    url.setPath(QStringLiteral("/chat"));
    client.setAutoHeartbeat(false);
    const bool opened = client.open(url, 5'000);
    if (opened)
        QVERIFY(client.waitForDisconnected(5'000));
    QVERIFY(!client.isConnected());
    if (opened)
        QCOMPARE(client.closeCode(), 1008);
}

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
