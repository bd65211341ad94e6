// ServerHost runs the real ternd binary as a child process: the port parsed from its stdout,
// a ChatClient that registers and logs in through url(), a clean SIGTERM stop (exit code 0),
// and failures that carry ternd's reason (bad data dir, port in use, missing binary).
// A TLS host reports its certificate with started(), and a client pinned to it logs in.
// Every host here binds 127.0.0.1 with announcing off: tests must not broadcast on the LAN.

#include "app/client/TrustedServers.h"
#include "app/session/ServerHost.h"
#include "tests/app/AppTestAccount.h"
#include "tests/support/TestCertificate.h"
#include "tests/support/TestUtil.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace tern;
using namespace tern::test;
using tern::app::session::ServerHost;
using HostState = ServerHost::State;

namespace {

constexpr int kStartWaitMs = 30'000;
// stop() kills after 10 s; ternd's graceful shutdown must come well before that.
constexpr int kStopWaitMs = 10'000;

void configureForTest(ServerHost &host, const QString &dataDir)
{
    host.setDataDir(dataDir);
    host.setPort(0);
    host.setAnnounce(false);
    // Plain ws://: this test signs in with a client that pins nothing (the app's pinning of its
    // hosted server is tested on the app side; ternd's TLS in tst_tlsserver).
    host.setExtraArguments({QStringLiteral("--password-cost"), QStringLiteral("min"),
                            QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                            QStringLiteral("--no-tls")});
}

} // namespace

class TestServerHost : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void parseListeningLine_data();
    void parseListeningLine();
    void hostLoginAndStop();
    void badDataDirFails();
    void portInUseFails();
    void missingBinaryFails();
    void stopWhileStarting();
    void tlsHostHasItsCertificate();

private:
    QTemporaryDir m_dir;
};

void TestServerHost::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(!ServerHost::findBinary().isEmpty(), "ternd not found: is TERND_BINARY set?");
}

void TestServerHost::parseListeningLine_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("tls");

    QTest::newRow("ws") << "ternd listening on ws://0.0.0.0:7070/ws (data: /x)" << 7070 << false;
    QTest::newRow("wss") << "ternd listening on wss://127.0.0.1:443/ws (data: /x y)" << 443 << true;
    QTest::newRow("ipv6") << "ternd listening on ws://[::]:40001/ws (data: d)" << 40001 << false;
    QTest::newRow("other line") << "tern.store: schema migrated to version 1" << 0 << false;
    QTest::newRow("port 0") << "ternd listening on ws://0.0.0.0:0/ws (data: d)" << 0 << false;
    QTest::newRow("port too big") << "ternd listening on ws://h:70000/ws (data: d)" << 0 << false;
    QTest::newRow("not at start") << "x ternd listening on ws://h:1/ws" << 0 << false;
}

void TestServerHost::parseListeningLine()
{
    QFETCH(QString, line);
    QFETCH(int, port);
    QFETCH(bool, tls);
    bool parsedTls = !tls;
    QCOMPARE(int(ServerHost::parseListeningPort(line, &parsedTls)), port);
    if (port != 0)
        QCOMPARE(parsedTls, tls);
}

void TestServerHost::hostLoginAndStop()
{
    ServerHost host;
    configureForTest(host, m_dir.filePath(QStringLiteral("server")));
    QSignalSpy started(&host, &ServerHost::started);
    QSignalSpy failed(&host, &ServerHost::failed);
    QSignalSpy stopped(&host, &ServerHost::stopped);

    host.start();
    QCOMPARE(host.state(), HostState::Starting);
    QVERIFY2(started.wait(kStartWaitMs) || started.count() == 1,
             qPrintable(failed.isEmpty() ? host.errorTail() : failed.first().first().toString()));
    QCOMPARE(host.state(), HostState::Running);
    QVERIFY(host.listeningPort() != 0);
    const QUrl url = host.url();
    QCOMPARE(url.scheme(), QStringLiteral("ws"));
    QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(url.port(), int(host.listeningPort()));
    QCOMPARE(url.path(), QStringLiteral("/ws"));
    QCOMPARE(started.first().first().toUrl(), url);

    {
        AppTestAccount account;
        QVERIFY(account.login(m_dir.path(), url, uniqueName(QStringLiteral("host"))));
        QVERIFY(!account.client->connection()->connectionSecurity().encrypted); // a --no-tls host
        QVERIFY(host.certificate().isNull());
        QVERIFY(!account.userId.isEmpty());
        account.destroy();
    }

    const qint64 pid = host.processId();
    QVERIFY(pid > 0);
    QElapsedTimer clock;
    clock.start();
    host.stop();
    QCOMPARE(host.state(), HostState::Stopping);
    QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, kStopWaitMs);
    QVERIFY2(clock.elapsed() < kStopWaitMs, "ternd needed the kill timer");
    QCOMPARE(host.state(), HostState::Stopped);
    QCOMPARE(host.exitStatus(), QProcess::NormalExit);
    QCOMPARE(host.exitCode(), 0);
    QVERIFY(host.url().isEmpty());
    QCOMPARE(failed.count(), 0);
}

void TestServerHost::badDataDirFails()
{
    // A data dir below a regular file can never be created.
    const QString file = m_dir.filePath(QStringLiteral("plain-file"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();

    ServerHost host;
    configureForTest(host, file + QStringLiteral("/data"));
    QSignalSpy started(&host, &ServerHost::started);
    QSignalSpy failed(&host, &ServerHost::failed);
    host.start();
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kStartWaitMs);
    const QString reason = failed.first().first().toString();
    QVERIFY2(reason.contains(QStringLiteral("data dir")), qPrintable(reason));
    QCOMPARE(started.count(), 0);
    QCOMPARE(host.state(), HostState::Stopped);
    QVERIFY(host.exitCode() != 0);
}

void TestServerHost::portInUseFails()
{
    ServerHost first;
    configureForTest(first, m_dir.filePath(QStringLiteral("first")));
    QSignalSpy firstStarted(&first, &ServerHost::started);
    first.start();
    QTRY_COMPARE_WITH_TIMEOUT(firstStarted.count(), 1, kStartWaitMs);

    ServerHost second;
    configureForTest(second, m_dir.filePath(QStringLiteral("second")));
    second.setPort(first.listeningPort());
    QSignalSpy secondFailed(&second, &ServerHost::failed);
    QSignalSpy secondStarted(&second, &ServerHost::started);
    second.start();
    QTRY_COMPARE_WITH_TIMEOUT(secondFailed.count(), 1, kStartWaitMs);
    const QString reason = secondFailed.first().first().toString();
    QVERIFY2(reason.contains(QStringLiteral("in use")), qPrintable(reason));
    QCOMPARE(secondStarted.count(), 0);
    QCOMPARE(second.state(), HostState::Stopped);

    // The first server is unaffected and still stops cleanly.
    QCOMPARE(first.state(), HostState::Running);
    QSignalSpy firstStopped(&first, &ServerHost::stopped);
    first.stop();
    QTRY_COMPARE_WITH_TIMEOUT(firstStopped.count(), 1, kStopWaitMs);
    QCOMPARE(first.exitCode(), 0);
}

void TestServerHost::missingBinaryFails()
{
    ServerHost host;
    configureForTest(host, m_dir.filePath(QStringLiteral("missing")));
    host.setBinaryPath(m_dir.filePath(QStringLiteral("no-such-ternd")));
    QSignalSpy failed(&host, &ServerHost::failed);
    host.start();
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("ternd")));
    QCOMPARE(host.state(), HostState::Stopped);
}

void TestServerHost::stopWhileStarting()
{
    ServerHost host;
    configureForTest(host, m_dir.filePath(QStringLiteral("early")));
    QSignalSpy stopped(&host, &ServerHost::stopped);
    QSignalSpy failed(&host, &ServerHost::failed);
    host.start();
    host.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, kStopWaitMs);
    QCOMPARE(host.state(), HostState::Stopped);
    QCOMPARE(failed.count(), 0);
    // A stopped host can start again.
    QSignalSpy started(&host, &ServerHost::started);
    host.start();
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, kStartWaitMs);
    host.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 2, kStopWaitMs);
}

void TestServerHost::tlsHostHasItsCertificate()
{
    const TestCertificate certificate;
    QVERIFY2(certificate.ok(), qPrintable(certificate.error));
    const QSslCertificate expected = certificate.certificate();
    QVERIFY(!expected.isNull());
    ServerHost host;
    const QString dataDir = m_dir.filePath(QStringLiteral("tls"));
    configureForTest(host, dataDir);
    QCOMPARE(host.certificateFile(), QDir(dataDir).filePath(QStringLiteral("tls/cert.pem")));
    host.setExtraArguments({"--password-cost", "min", "--bind", "127.0.0.1", "--tls-cert",
                            certificate.certFile, "--tls-key", certificate.keyFile});
    QCOMPARE(host.certificateFile(), certificate.certFile);
    QSslCertificate atStart;
    connect(&host, &ServerHost::started, this, [&] { atStart = host.certificate(); });
    QSignalSpy started(&host, &ServerHost::started);
    host.start();
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, kStartWaitMs);
    QCOMPARE(atStart, expected); // already there when started() is emitted
    QCOMPARE(host.url().scheme(), QStringLiteral("wss"));

    // What the app does with its own server: pin it without asking, then log in.
    app::client::TrustedServers trusted(m_dir.filePath(QStringLiteral("profile")));
    trusted.setPin(host.url(), host.certificate());
    AppTestAccount account;
    account.path = m_dir.filePath(QStringLiteral("tlshost.sqlite"));
    QVERIFY(account.build(host.url()));
    account.client->connection()->setTrustedServers(&trusted);
    const QString user = uniqueName(QStringLiteral("tls"));
    QVERIFY(
        QCoro::waitFor(account.client->connection()->registerAccount(user, "password-123", "T")));
    QVERIFY(QCoro::waitFor(account.client->connection()->login(user, "password-123", "pc")));
    QTRY_COMPARE_WITH_TIMEOUT(account.client->connection()->state(),
                              app::client::ChatConnection::State::Online, kStartWaitMs);
    QVERIFY(account.client->connection()->connectionSecurity().pinned);
    account.destroy();

    QSignalSpy stopped(&host, &ServerHost::stopped);
    host.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 1, kStopWaitMs);
    QVERIFY(host.url().isEmpty());
    QVERIFY(host.certificate().isNull());

    // ternd's default: its own certificate, read from the data dir.
    host.setExtraArguments({"--password-cost", "min", "--bind", "127.0.0.1"});
    host.start();
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 2, kStartWaitMs);
    QCOMPARE(host.certificate(), readCertificate(host.certificateFile()));
    QVERIFY(!host.certificate().isNull());
    QVERIFY(host.certificate() != expected);
    host.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 2, kStopWaitMs);
}

QTEST_GUILESS_MAIN(TestServerHost)
#include "tst_serverhost.moc"
