// Certificate pinning in the app below the UI, against a real ternd serving wss:// with a test
// certificate: the verdicts (PinVerifier) and the errors Qt really reports for our certificates;
// a pinned server reconnects silently after a restart; a TLS interceptor with another certificate
// in front of the real server is refused before anything, not even the upgrade request or the
// token, reaches it (WebSocket, media download, media upload; the same interceptor relays
// everything once its certificate is pinned: the positive control); first use (Untrusted, then
// trusted); a certificate from a CA the app trusts needs no pin; ServerProbe's outcomes;
// TrustedServers' persistence; the beacon's fingerprint.

#include "app/client/CertificateProblem.h"
#include "app/client/Inbox.h"
#include "app/client/MediaDownload.h"
#include "app/client/MediaTransfers.h"
#include "app/client/Outbox.h"
#include "app/client/ServerDiscovery.h"
#include "app/client/ServerProbe.h"
#include "app/client/TrustedServers.h"
#include "shared/model/CertificateFingerprint.h"
#include "shared/transport/PinVerifier.h"
#include "tests/app/AppTestAccount.h"
#include "tests/app/EventBarrier.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestCertificate.h"
#include "tests/support/TlsInterceptor.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QUdpSocket>
#include <QtTest>

using namespace tern;
using namespace tern::test;
using app::client::CertificateProblem;
using app::client::ChatClient;
using app::client::ChatConnection;
using app::client::Inbox;
using app::client::Outbox;
using app::client::ServerDiscovery;
using app::client::ServerProbe;
using app::client::TrustedServers;
using transport::PinVerifier;
using Verdict = PinVerifier::Verdict;

namespace {
constexpr int kWaitMs = 20'000;
const QString kPassword = QStringLiteral("password-123");

QSslCertificate loadCertificate(const QString &path)
{
    return readCertificate(path);
}

QUrl wss(quint16 port)
{
    return QUrl(QStringLiteral("wss://127.0.0.1:%1/ws").arg(port));
}

//! Certificates made with the openssl CLI: one like ternd's own (self-signed, CA:FALSE, only
//! digitalSignature), a test CA and a leaf it signed.
struct Certificates
{
    QTemporaryDir dir;
    QString error;

    QString path(const QString &name) const { return dir.filePath(name); }
    bool run(const QStringList &args)
    {
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"), args);
        if (!openssl.waitForFinished(30'000) || openssl.exitCode() != 0) {
            error = QString::fromUtf8(openssl.readAllStandardError());
            return false;
        }
        return true;
    }
    bool make()
    {
        QFile config(path(QStringLiteral("openssl.cnf")));
        if (!config.open(QIODevice::WriteOnly))
            return false;
        config.write("[req]\ndistinguished_name=dn\n[dn]\n"
                     "[leaf]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=digitalSignature\n"
                     "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\n"
                     "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                     "[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n"
                     "subjectKeyIdentifier=hash\n");
        config.close();
        const QString cnf = config.fileName();
        const QStringList ec{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
        return run(QStringList{"req", "-x509"} + ec +
                   QStringList{"-days", "7300", "-subj", "/CN=ternd test", "-config", cnf,
                               "-extensions", "leaf", "-keyout", path("ternd.key"), "-out",
                               path("ternd.pem")}) &&
               run(QStringList{"req", "-x509"} + ec +
                   QStringList{"-days", "2", "-subj", "/CN=Tern Test CA", "-config", cnf,
                               "-extensions", "ca", "-keyout", path("ca.key"), "-out",
                               path("ca.pem")}) &&
               run(QStringList{"req", "-new"} + ec +
                   QStringList{"-subj", "/CN=localhost", "-config", cnf, "-keyout",
                               path("leaf.key"), "-out", path("leaf.csr")}) &&
               run({"x509", "-req", "-in", path("leaf.csr"), "-CA", path("ca.pem"), "-CAkey",
                    path("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", cnf, "-extensions",
                    "leaf", "-out", path("leaf.pem")});
    }
};

//! The errors a plain QSslSocket reports for the certificate `server` presents, reached as
//! `peerName`.
QList<QSslError> reportedErrors(quint16 port, const QString &peerName)
{
    QSslSocket socket;
    QList<QSslError> errors;
    QObject::connect(&socket, &QSslSocket::sslErrors,
                     [&](const QList<QSslError> &list) { errors = list; });
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port, peerName);
    spinUntil(
        [&] { return !errors.isEmpty() || socket.state() == QAbstractSocket::UnconnectedState; },
        kWaitMs);
    socket.abort();
    return errors;
}
} // namespace

class TestTlsPinning : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void verdicts();
    void qtReportsOnlyPinnableErrors_data();
    void qtReportsOnlyPinnableErrors();
    void pinnedServerReconnectsSilently();
    void interceptorIsRefusedBeforeAnythingIsSent();
    void mediaGoesThroughThePinOnly();
    void firstUseIsUntrustedThenTrusted();
    void caTrustedCertificateNeedsNoPin();
    void pinIsExactEvenAgainstCaTrusted();
    void probeOutcomes();
    void trustedServersPersist();
    void beaconFingerprint();
    void terndsOwnCertificate();

private:
    bool startServer(const QString &certFile, const QString &keyFile);
    //! Registers and logs in `user` on `url` with the profile's pins.
    bool login(AppTestAccount &account, const QUrl &url, const QString &user);

    std::unique_ptr<TestCertificate> m_serverCert; // the real server's
    std::unique_ptr<TestCertificate> m_otherCert;  // the interceptor's
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ChildServer> m_server;
    std::unique_ptr<TrustedServers> m_trusted;
    QSslCertificate m_pinA; // the real server's certificate
    QSslCertificate m_pinB; // the interceptor's
    int m_round = 0;
};

void TestTlsPinning::initTestCase()
{
    m_serverCert = std::make_unique<TestCertificate>();
    m_otherCert = std::make_unique<TestCertificate>();
    QVERIFY2(m_serverCert->ok(), qPrintable(m_serverCert->error));
    QVERIFY2(m_otherCert->ok(), qPrintable(m_otherCert->error));
    m_pinA = loadCertificate(m_serverCert->certFile);
    m_pinB = loadCertificate(m_otherCert->certFile);
    QVERIFY(!m_pinA.isNull() && !m_pinB.isNull() && m_pinA != m_pinB);
}

void TestTlsPinning::init()
{
    ++m_round;
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_trusted = std::make_unique<TrustedServers>(m_dir->path());
}

void TestTlsPinning::cleanup()
{
    m_server.reset();
    // The clients the test destroyed completed their pending requests: the coroutines awaiting
    // them resume from posted events, before the pins and the directory go.
    QVERIFY(runQueuedWork());
    m_trusted.reset();
    m_dir.reset();
}

bool TestTlsPinning::startServer(const QString &certFile, const QString &keyFile)
{
    m_server = std::make_unique<ChildServer>();
    m_server->setExtraArgs({"--tls-cert", certFile, "--tls-key", keyFile});
    if (!m_server->start()) {
        qWarning("%s", qPrintable(m_server->errorString()));
        return false;
    }
    return true;
}

bool TestTlsPinning::login(AppTestAccount &account, const QUrl &url, const QString &user)
{
    account.name = user;
    account.path = m_dir->filePath(user + QStringLiteral(".sqlite"));
    if (!account.build(url))
        return false;
    account.client->connection()->setTrustedServers(m_trusted.get());
    const Result<QString> created = QCoro::waitFor(
        account.client->connection()->registerAccount(user, kPassword, user.toUpper()));
    if (!created) {
        qWarning("register: %s", qPrintable(created.error().message));
        return false;
    }
    const auto session = QCoro::waitFor(account.client->connection()->login(user, kPassword, "pc"));
    if (!session) {
        qWarning("login: %s", qPrintable(session.error().message));
        return false;
    }
    account.userId = session->userId;
    return spinUntil(
        [&] { return account.client->connection()->state() == ChatConnection::State::Online; },
        kWaitMs);
}

void TestTlsPinning::verdicts()
{
    const QList<QSslError> selfSigned{QSslError(QSslError::SelfSignedCertificate, m_pinA),
                                      QSslError(QSslError::HostNameMismatch, m_pinA)};
    QCOMPARE(PinVerifier::judge({}, m_pinA, QSslCertificate()), Verdict::Accept); // CA-trusted
    QCOMPARE(PinVerifier::judge(selfSigned, m_pinA, QSslCertificate()), Verdict::Untrusted);
    QCOMPARE(PinVerifier::judge(selfSigned, m_pinA, m_pinA), Verdict::Accept);
    const QList<QSslError> other{QSslError(QSslError::SelfSignedCertificate, m_pinB)};
    QCOMPARE(PinVerifier::judge(other, m_pinB, m_pinA), Verdict::Changed);
    // The pinned certificate presented, but an error about another one, or of another kind.
    QCOMPARE(PinVerifier::judge(other, m_pinA, m_pinA), Verdict::Untrusted);
    QCOMPARE(PinVerifier::judge({QSslError(QSslError::CertificateRevoked, m_pinA)}, m_pinA, m_pinA),
             Verdict::Untrusted);
    QVERIFY(PinVerifier::expectedErrors(QSslCertificate()).isEmpty());
    for (const QSslError &expected : PinVerifier::expectedErrors(m_pinA)) {
        QCOMPARE(expected.certificate(), m_pinA);
        QVERIFY(PinVerifier::isPinnable(expected.error()));
    }
}

void TestTlsPinning::qtReportsOnlyPinnableErrors_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("peerName");
    QTest::newRow("openssl req, by address") << "req"
                                             << "127.0.0.1";
    QTest::newRow("openssl req, other name") << "req"
                                             << "tern.example";
    QTest::newRow("like ternd's, by address") << "ternd"
                                              << "127.0.0.1";
    QTest::newRow("like ternd's, other name") << "ternd"
                                              << "tern.example";
}

void TestTlsPinning::qtReportsOnlyPinnableErrors()
{
    // What Qt 6 / OpenSSL 3 really say about a self-signed server certificate: every error must
    // be one PinVerifier ignores for the pinned certificate, or a pinned server never connects.
    QFETCH(QString, kind);
    QFETCH(QString, peerName);
    Certificates made;
    QVERIFY2(kind == "req" || made.make(), qPrintable(made.error));
    const QString cert = kind == "req" ? m_serverCert->certFile : made.path("ternd.pem");
    const QString key = kind == "req" ? m_serverCert->keyFile : made.path("ternd.key");
    TlsInterceptor endpoint(0, cert, key); // a TLS endpoint only
    QVERIFY(endpoint.start());
    const QList<QSslError> errors = reportedErrors(endpoint.serverPort(), peerName);
    qInfo() << kind << peerName << errors;
    QVERIFY(!errors.isEmpty());
    const QSslCertificate presented = loadCertificate(cert);
    for (const QSslError &error : errors)
        QVERIFY2(PinVerifier::isPinnable(error.error()), qPrintable(error.errorString()));
    QCOMPARE(PinVerifier::judge(errors, presented, presented), Verdict::Accept);
    QCOMPARE(PinVerifier::judge(errors, presented, m_pinB), Verdict::Changed);
}

void TestTlsPinning::pinnedServerReconnectsSilently()
{
    QVERIFY(startServer(m_serverCert->certFile, m_serverCert->keyFile));
    const QUrl url = wss(m_server->port());
    m_trusted->setPin(url, m_pinA);
    AppTestAccount alice, bob;
    QVERIFY(login(alice, url, QStringLiteral("alice%1").arg(m_round)));
    QVERIFY(login(bob, url, QStringLiteral("bob%1").arg(m_round)));
    QSignalSpy refusedA(alice.client->connection(), &ChatConnection::certificateRefused);
    QSignalSpy refusedB(bob.client->connection(), &ChatConnection::certificateRefused);
    const app::client::ConnectionSecurity security =
        alice.client->connection()->connectionSecurity();
    QVERIFY(security.encrypted);
    QVERIFY(security.pinned);
    QCOMPARE(security.certificate, m_pinA);
    QVERIFY2(security.protocol.startsWith(QLatin1String("TLS")), qPrintable(security.protocol));

    // Same port after the restart: the pin is per host and port.
    m_server->setExtraArgs({"--tls-cert", m_serverCert->certFile, "--tls-key",
                            m_serverCert->keyFile, "--port", QString::number(url.port())});
    m_server->kill();
    QTRY_VERIFY_WITH_TIMEOUT(alice.client->connection()->state() != ChatConnection::State::Online,
                             kWaitMs);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(alice.client->connection()->state(), ChatConnection::State::Online,
                              kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(bob.client->connection()->state(), ChatConnection::State::Online,
                              kWaitMs);
    QSignalSpy received(bob.client->inbox(), &Inbox::messageReceived);
    alice.client->outbox()->sendText(bob.userId, QStringLiteral("after the restart"));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, kWaitMs);
    QCOMPARE(received.first().at(0).value<protocol::MessageEvent>().content,
             QStringLiteral("after the restart"));
    QCOMPARE(refusedA.size(), 0);
    QCOMPARE(refusedB.size(), 0);
    QVERIFY(alice.client->connection()->connectionSecurity().pinned);
}

void TestTlsPinning::interceptorIsRefusedBeforeAnythingIsSent()
{
    QVERIFY(startServer(m_serverCert->certFile, m_serverCert->keyFile));
    TlsInterceptor interceptor(m_server->port(), m_otherCert->certFile, m_otherCert->keyFile);
    QVERIFY(interceptor.start());
    const QUrl real = wss(m_server->port());
    m_trusted->setPin(real, m_pinA);
    AppTestAccount alice;
    QVERIFY(login(alice, real, QStringLiteral("amy%1").arg(m_round)));
    QVERIFY(!alice.client->connection()->token().isEmpty());
    alice.destroy();

    // The app comes back and finds the interceptor at the address it pinned (as after ARP or
    // DNS spoofing): same address and port, so the same pin.
    const QUrl spoofed = interceptor.url();
    m_trusted->setPin(spoofed, m_pinA);
    QVERIFY(alice.build(spoofed));
    alice.client->connection()->setTrustedServers(m_trusted.get());
    QSignalSpy refused(alice.client->connection(), &ChatConnection::certificateRefused);
    QVERIFY(QCoro::waitFor(alice.client->connection()->resume()).ok());
    QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, kWaitMs);
    const auto problem = refused.first().at(0).value<CertificateProblem>();
    QCOMPARE(problem.kind, CertificateProblem::Kind::Changed);
    QCOMPARE(problem.server, spoofed);
    QCOMPARE(problem.presented, m_pinB);
    QCOMPARE(problem.pinned, m_pinA);
    QVERIFY(problem.pinnedSince.isValid());
    QTRY_COMPARE_WITH_TIMEOUT(alice.client->connection()->state(), ChatConnection::State::Offline,
                              kWaitMs);
    QCOMPARE(alice.client->connection()->nextRetryMs(), -1); // no retry on its own
    QVERIFY(alice.client->connection()->certificateProblem().has_value());
    QCOMPARE(interceptor.connections(), 1);
    QCOMPARE(interceptor.decryptedBytes(), 0);

    // A login through it is refused the same way: no password leaves either.
    const auto login = QCoro::waitFor(alice.client->connection()->login("amy", kPassword, "pc"));
    QVERIFY(!login);
    QVERIFY2(login.error().message.contains(QLatin1String("certificate has changed")),
             qPrintable(login.error().message));
    QCOMPARE(refused.size(), 2);
    QCOMPARE(interceptor.decryptedBytes(), 0);
    // retryNow() tries again at once, and is refused again.
    alice.client->connection()->retryNow();
    QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 3, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(alice.client->connection()->state(), ChatConnection::State::Offline,
                              kWaitMs);
    QCOMPARE(alice.client->connection()->nextRetryMs(), -1);
    QCOMPARE(interceptor.decryptedBytes(), 0);

    // Positive control: once its certificate is pinned (the user replaced the pin), the same
    // interceptor relays the session at once (the token goes in a masked frame, so only the
    // upgrade request is readable as such; mediaGoesThroughThePinOnly sees a bearer token).
    m_trusted->setPin(spoofed, m_pinB);
    QTRY_COMPARE_WITH_TIMEOUT(alice.client->connection()->state(), ChatConnection::State::Online,
                              kWaitMs);
    QVERIFY(interceptor.decryptedBytes() > 0);
    QVERIFY(interceptor.decrypted().startsWith("GET /ws"));
    QVERIFY(!alice.client->connection()->certificateProblem().has_value());
}

void TestTlsPinning::mediaGoesThroughThePinOnly()
{
    QVERIFY(startServer(m_serverCert->certFile, m_serverCert->keyFile));
    TlsInterceptor interceptor(m_server->port(), m_otherCert->certFile, m_otherCert->keyFile);
    QVERIFY(interceptor.start());
    const QUrl real = wss(m_server->port());
    m_trusted->setPin(real, m_pinA);
    AppTestAccount alice, bob;
    QVERIFY(login(alice, real, QStringLiteral("ann%1").arg(m_round)));
    QVERIFY(login(bob, real, QStringLiteral("ben%1").arg(m_round)));

    // Upload and download through the pin, against the real server.
    const QByteArray data(300 * 1024, 'x');
    const QString path = m_dir->filePath(QStringLiteral("report.bin"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(data) == data.size());
    file.close();
    QSignalSpy received(bob.client->inbox(), &Inbox::messageReceived);
    alice.client->media()->sendFile(bob.userId, path);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, kWaitMs);
    const protocol::Media media =
        received.first().at(0).value<protocol::MessageEvent>().media.value_or(protocol::Media{});
    QVERIFY(!media.mediaId.isEmpty());
    const auto fetch = [&](AppTestAccount &account, const QString &cache) {
        auto *download = account.client->media()->download(media, m_dir->filePath(cache));
        QSignalSpy finished(download, &app::client::MediaDownload::finished);
        QSignalSpy failed(download, &app::client::MediaDownload::failed);
        download->start();
        spinUntil([&] { return !finished.isEmpty() || !failed.isEmpty(); }, kWaitMs);
        return std::make_pair(finished.isEmpty() ? QString() : finished.first().at(0).toString(),
                              failed.isEmpty() ? QString()
                                               : failed.first().at(0).value<Error>().message);
    };
    const auto [downloaded, noError] = fetch(bob, QStringLiteral("cache-ok"));
    QVERIFY2(!downloaded.isEmpty(), qPrintable(noError));
    QFile copy(downloaded);
    QVERIFY(copy.open(QIODevice::ReadOnly));
    QVERIFY(copy.readAll() == data);

    // Bob's media requests now meet the interceptor at the pinned address: refused, nothing
    // decrypted, the bearer token never seen.
    const QUrl spoofed = interceptor.url();
    m_trusted->setPin(spoofed, m_pinA);
    bob.client->connection()->setServerUrl(spoofed); // the open WebSocket stays on the real server
    QSignalSpy refused(bob.client->connection(), &ChatConnection::certificateRefused);
    const auto [none, error] = fetch(bob, QStringLiteral("cache-refused"));
    QVERIFY(none.isEmpty());
    QVERIFY2(error.contains(QLatin1String("certificate")), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, kWaitMs);
    QCOMPARE(refused.first().at(0).value<CertificateProblem>().kind,
             CertificateProblem::Kind::Changed);
    QCOMPARE(refused.first().at(0).value<CertificateProblem>().presented, m_pinB);

    // An upload the same way: refused, the message stays queued, nothing sent.
    QSignalSpy sent(bob.client->outbox(), &Outbox::messageSent);
    QSignalSpy failedMessages(bob.client->outbox(), &Outbox::messageFailed);
    bob.client->media()->sendFile(alice.userId, path);
    QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 2, kWaitMs);
    QCOMPARE(sent.size(), 0);
    QCOMPARE(failedMessages.size(), 0);
    QCOMPARE(take(bob.store->outbox()).value().size(), 1);
    QVERIFY(interceptor.connections() >= 2);
    QCOMPARE(interceptor.decryptedBytes(), 0);

    // Positive control: the interceptor's certificate pinned, the queued upload goes through it
    // at once (the pin change restarts it) and it sees the token.
    m_trusted->setPin(spoofed, m_pinB);
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kWaitMs);
    QVERIFY(
        interceptor.decrypted().contains("Bearer " + bob.client->connection()->token().toUtf8()));
}

void TestTlsPinning::firstUseIsUntrustedThenTrusted()
{
    QVERIFY(startServer(m_serverCert->certFile, m_serverCert->keyFile));
    // Through an interceptor first, so "nothing sent" can be counted; then the real server.
    TlsInterceptor interceptor(m_server->port(), m_otherCert->certFile, m_otherCert->keyFile);
    QVERIFY(interceptor.start());
    for (const QUrl &url : {interceptor.url(), wss(m_server->port())}) {
        const QSslCertificate expected = url == interceptor.url() ? m_pinB : m_pinA;
        AppTestAccount account;
        account.path = m_dir->filePath(QStringLiteral("first%1.sqlite").arg(url.port()));
        QVERIFY(account.build(url));
        account.client->connection()->setTrustedServers(m_trusted.get());
        QSignalSpy refused(account.client->connection(), &ChatConnection::certificateRefused);
        const qint64 decryptedBefore = interceptor.decryptedBytes();
        const QString user = QStringLiteral("fay%1x%2").arg(m_round).arg(url.port());
        const auto registered =
            QCoro::waitFor(account.client->connection()->registerAccount(user, kPassword, "Fay"));
        QVERIFY(!registered);
        QVERIFY(registered.error().message.contains(QLatin1String("not trusted")));
        QVERIFY(account.client->connection()->certificateProblem().has_value());
        QCOMPARE(refused.size(), 1);
        const auto problem = refused.first().at(0).value<CertificateProblem>();
        QCOMPARE(problem.kind, CertificateProblem::Kind::Untrusted);
        QCOMPARE(problem.presented, expected);
        QVERIFY(problem.pinned.isNull());
        QCOMPARE(interceptor.decryptedBytes(), decryptedBefore);

        // The user compared the fingerprint and trusts it.
        m_trusted->setPin(url, problem.presented);
        QVERIFY(
            QCoro::waitFor(account.client->connection()->registerAccount(user, kPassword, "Fay")));
        const auto session =
            QCoro::waitFor(account.client->connection()->login(user, kPassword, "pc"));
        QVERIFY(session);
        QTRY_COMPARE_WITH_TIMEOUT(account.client->connection()->state(),
                                  ChatConnection::State::Online, kWaitMs);
        QVERIFY(account.client->connection()->connectionSecurity().pinned);
        QCOMPARE(account.client->connection()->connectionSecurity().certificate, expected);
        account.destroy();
    }
    QVERIFY(interceptor.decryptedBytes() > 0); // the trusted session did go through it
}

void TestTlsPinning::caTrustedCertificateNeedsNoPin()
{
    Certificates made;
    QVERIFY2(made.make(), qPrintable(made.error));
    QVERIFY(startServer(made.path("leaf.pem"), made.path("leaf.key")));
    const QSslConfiguration original = QSslConfiguration::defaultConfiguration();
    QSslConfiguration withCa = original;
    withCa.addCaCertificates({loadCertificate(made.path("ca.pem"))});
    QSslConfiguration::setDefaultConfiguration(withCa);
    const auto restore = qScopeGuard([&] { QSslConfiguration::setDefaultConfiguration(original); });

    const QUrl url = wss(m_server->port());
    AppTestAccount account;
    QSignalSpy pinsChanged(m_trusted.get(), &TrustedServers::changed); // nothing gets pinned
    QVERIFY(login(account, url, QStringLiteral("cat%1").arg(m_round)));
    QVERIFY(!account.client->connection()->certificateProblem().has_value());
    const app::client::ConnectionSecurity security =
        account.client->connection()->connectionSecurity();
    QVERIFY(security.encrypted);
    QVERIFY(!security.pinned);
    QCOMPARE(security.certificate, loadCertificate(made.path("leaf.pem")));
    QCOMPARE(pinsChanged.size(), 0);

    ServerProbe probe;
    probe.setTrustedServers(m_trusted.get());
    QSignalSpy finished(&probe, &ServerProbe::finished);
    probe.check(url);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QCOMPARE(finished.first().at(1).value<ServerProbe::Outcome>(), ServerProbe::Outcome::Ok);
}

// A pin is exact (issue 17: "later connections accept exactly that certificate"): an impostor
// whose certificate a trusted CA signed, for the very address, is refused like any other.
void TestTlsPinning::pinIsExactEvenAgainstCaTrusted()
{
    Certificates made;
    QVERIFY2(made.make(), qPrintable(made.error));
    QVERIFY(startServer(m_serverCert->certFile, m_serverCert->keyFile));
    TlsInterceptor interceptor(m_server->port(), made.path("leaf.pem"), made.path("leaf.key"));
    QVERIFY(interceptor.start());
    const QSslConfiguration original = QSslConfiguration::defaultConfiguration();
    QSslConfiguration withCa = original;
    withCa.addCaCertificates({loadCertificate(made.path("ca.pem"))});
    QSslConfiguration::setDefaultConfiguration(withCa);
    const auto restore = qScopeGuard([&] { QSslConfiguration::setDefaultConfiguration(original); });

    const QUrl spoofed = interceptor.url();
    m_trusted->setPin(spoofed, m_pinA);
    AppTestAccount account;
    account.name = QStringLiteral("eve%1").arg(m_round);
    account.path = m_dir->filePath(account.name + QStringLiteral(".sqlite"));
    QVERIFY(account.build(spoofed));
    account.client->connection()->setTrustedServers(m_trusted.get());
    QSignalSpy refused(account.client->connection(), &ChatConnection::certificateRefused);
    const auto login =
        QCoro::waitFor(account.client->connection()->login(account.name, kPassword, "pc"));
    QVERIFY(!login);
    QCOMPARE(refused.size(), 1);
    const auto problem = refused.first().at(0).value<CertificateProblem>();
    QCOMPARE(problem.kind, CertificateProblem::Kind::Changed);
    QCOMPARE(problem.presented, loadCertificate(made.path("leaf.pem")));
    QCOMPARE(interceptor.decryptedBytes(), 0);

    // The media API and the connect screen's probe go through the same pin.
    ServerProbe probe;
    probe.setTrustedServers(m_trusted.get());
    QSignalSpy finished(&probe, &ServerProbe::finished);
    probe.check(spoofed);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QCOMPARE(finished.first().at(1).value<ServerProbe::Outcome>(), ServerProbe::Outcome::Changed);
    QCOMPARE(interceptor.decryptedBytes(), 0);

    // Without a pin the same CA-signed certificate is trusted (caTrustedCertificateNeedsNoPin),
    // so the refusal above is the pin's doing.
    m_trusted->removePin(spoofed);
    probe.check(spoofed);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, kWaitMs);
    QCOMPARE(finished.at(1).at(1).value<ServerProbe::Outcome>(), ServerProbe::Outcome::Ok);
}

void TestTlsPinning::probeOutcomes()
{
    QVERIFY(startServer(m_serverCert->certFile, m_serverCert->keyFile));
    const QUrl url = wss(m_server->port());
    ServerProbe probe;
    probe.setTrustedServers(m_trusted.get());
    QSignalSpy finished(&probe, &ServerProbe::finished);
    const auto check = [&] {
        finished.clear();
        probe.check(url);
        spinUntil([&] { return !finished.isEmpty(); }, kWaitMs);
        return finished.isEmpty() ? ServerProbe::Outcome::NoAnswer
                                  : finished.first().at(1).value<ServerProbe::Outcome>();
    };
    QCOMPARE(check(), ServerProbe::Outcome::Untrusted);
    QCOMPARE(probe.problem().kind, CertificateProblem::Kind::Untrusted);
    QCOMPARE(probe.problem().presented, m_pinA);
    QCOMPARE(probe.problem().server, url);

    m_trusted->setPin(url, m_pinB);
    QCOMPARE(check(), ServerProbe::Outcome::Changed);
    QCOMPARE(probe.problem().kind, CertificateProblem::Kind::Changed);
    QCOMPARE(probe.problem().presented, m_pinA);
    QCOMPARE(probe.problem().pinned, m_pinB);

    m_trusted->setPin(url, m_pinA);
    QCOMPARE(check(), ServerProbe::Outcome::Ok);
    QCOMPARE(probe.certificate(), m_pinA);
}

void TestTlsPinning::trustedServersPersist()
{
    const QUrl one(QStringLiteral("wss://Server.example:7070/ws"));
    const QUrl six(QStringLiteral("wss://[fe80::1]:7070/ws"));
    const QUrl noPort(QStringLiteral("wss://server.example/ws"));
    QSignalSpy changed(m_trusted.get(), &TrustedServers::changed);
    m_trusted->setPin(one, m_pinA);
    m_trusted->setPin(six, m_pinB);
    m_trusted->setPin(noPort, m_pinB);
    QCOMPARE(changed.size(), 3);
    QVERIFY(m_trusted->isSaved());
    QVERIFY(QFile::exists(m_dir->filePath(QStringLiteral("trusted-servers.ini"))));
    {
        TrustedServers again(m_dir->path());
        const auto pin = again.pin(QStringLiteral("server.example"), 7070);
        QVERIFY(pin.has_value());
        QCOMPARE(pin->certificate, m_pinA);
        QCOMPARE(pin->host, QStringLiteral("server.example"));
        QVERIFY(pin->firstSeen.isValid());
        QCOMPARE(again.pin(six)->certificate, m_pinB);
        QCOMPARE(again.pin(QStringLiteral("server.example"), 443)->certificate, m_pinB);
        QVERIFY(!again.pin(QStringLiteral("server.example"), 7071));
        // A beacon's fingerprint finds the pin whatever address it now has.
        const auto found = again.findByDigest(fingerprint::sha256(m_pinA.toDer()));
        QVERIFY(found.has_value());
        QCOMPARE(found->port, quint16(7070));
        QVERIFY(!again.findByDigest(QByteArray(32, '\0')));
    }
    m_trusted->setPin(one, m_pinB); // replaced
    m_trusted->removePin(six);
    m_trusted->removePin(six); // nothing left to remove: no signal
    QCOMPARE(changed.size(), 5);
    TrustedServers later(m_dir->path());
    QCOMPARE(later.pin(one)->certificate, m_pinB);
    QVERIFY(!later.pin(six));
    QVERIFY(!later.findByDigest(fingerprint::sha256(m_pinA.toDer())));
}

void TestTlsPinning::beaconFingerprint()
{
    const QByteArray digest = fingerprint::sha256(m_pinA.toDer());
    const auto beacon = [](const QJsonValue &fp, bool tls = true) {
        QJsonObject o{{"tern", 1}, {"port", 7070}, {"name", "office"}, {"tls", tls}};
        if (!fp.isUndefined())
            o.insert(QStringLiteral("fp"), fp);
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    };
    const auto parsed = [](const QByteArray &datagram) {
        // The decoded beacon carries the hex form; the listed server the digest.
        const auto b = ServerDiscovery::parseBeacon(datagram);
        return b ? fingerprint::parse(b->fingerprint).value_or(QByteArray())
                 : QByteArray("not listed");
    };
    QCOMPARE(parsed(beacon(fingerprint::hex(digest))), digest);
    QCOMPARE(parsed(beacon(QJsonValue())), QByteArray());
    // Malformed: still listed, without a fingerprint.
    QCOMPARE(parsed(beacon(fingerprint::hex(digest).left(50))), QByteArray());
    QCOMPARE(parsed(beacon(QStringLiteral("zz"))), QByteArray());
    QCOMPARE(parsed(beacon(42)), QByteArray());
    QCOMPARE(parsed(beacon(QString(200, QLatin1Char('A')))), QByteArray());
    QCOMPARE(parsed(beacon(fingerprint::hex(digest), false)), QByteArray()); // ws:// has none

    // And through a real socket, as ternd sends it.
    ServerDiscovery discovery;
    QVERIFY(discovery.start(0, QHostAddress::LocalHost));
    QUdpSocket sender;
    const QByteArray good = beacon(fingerprint::hex(digest));
    QCOMPARE(sender.writeDatagram(good, QHostAddress::LocalHost, discovery.localPort()),
             qint64(good.size()));
    QTRY_COMPARE_WITH_TIMEOUT(discovery.servers().size(), 1, kWaitMs);
    QCOMPARE(discovery.servers().first().fingerprint, digest);
    m_trusted->setPin(discovery.servers().first().url, m_pinA);
    QVERIFY(m_trusted->findByDigest(discovery.servers().first().fingerprint).has_value());
}

void TestTlsPinning::terndsOwnCertificate()
{
    // ternd's default: the certificate it made in its data dir. Its beacon carries the
    // fingerprint, which finds the pin; a client pinned to it logs in, and reconnects silently
    // after a restart that kept the certificate.
    ServerDiscovery discovery;
    QVERIFY(discovery.start(0, QHostAddress::LocalHost));
    m_server = std::make_unique<ChildServer>();
    m_server->setTls(ChildServer::Tls::Auto);
    m_server->setExtraArgs({"--announce-address", "127.0.0.1", "--announce-port",
                            QString::number(discovery.localPort()), "--server-name", "own"});
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    const QSslCertificate own = loadCertificate(m_server->certificatePath());
    QVERIFY(!own.isNull());
    QTRY_COMPARE_WITH_TIMEOUT(discovery.servers().size(), 1, kWaitMs);
    const ServerDiscovery::Server heard = discovery.servers().first();
    QCOMPARE(heard.url, wss(m_server->port()));
    QCOMPARE(heard.fingerprint, fingerprint::sha256(own.toDer()));
    m_trusted->setPin(QUrl(QStringLiteral("wss://tern-server.local:%1/ws").arg(m_server->port())),
                      own); // pinned under another name first
    const auto known = m_trusted->findByDigest(heard.fingerprint);
    QVERIFY(known.has_value());
    m_trusted->setPin(heard.url, known->certificate); // reused without a question

    AppTestAccount alice;
    QVERIFY(login(alice, heard.url, QStringLiteral("own%1").arg(m_round)));
    QSignalSpy refused(alice.client->connection(), &ChatConnection::certificateRefused);
    QCOMPARE(alice.client->connection()->connectionSecurity().certificate, own);
    QVERIFY(alice.client->connection()->connectionSecurity().pinned);
    m_server->setExtraArgs({"--port", QString::number(heard.url.port())});
    m_server->kill();
    QTRY_VERIFY_WITH_TIMEOUT(alice.client->connection()->state() != ChatConnection::State::Online,
                             kWaitMs);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(alice.client->connection()->state(), ChatConnection::State::Online,
                              kWaitMs);
    QCOMPARE(refused.size(), 0);
    QCOMPARE(loadCertificate(m_server->certificatePath()), own);
}

QTEST_MAIN(TestTlsPinning)
#include "tst_tlspinning.moc"
