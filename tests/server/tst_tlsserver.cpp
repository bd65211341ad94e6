// ternd's own TLS certificate against the real binary: made on the first start (files, modes,
// contents), served over wss:// to a client that trusts exactly it, kept across restarts, printed
// by `ternd fingerprint` as OpenSSL prints it, never silently replaced (a wrong key stops ternd),
// replaced only by `ternd tls regenerate` while no server runs; --no-tls serves ws:// and warns.

#include "tests/support/ChildServer.h"
#include "tests/support/RawWsClient.h"
#include "tests/support/TestCertificate.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUtil.h"

#include "shared/model/CertificateFingerprint.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSslCertificateExtension>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>
#include <QWebSocket>
#include <QtTest>

#include <sys/stat.h>

using namespace tern;
using namespace tern::test;

namespace {
struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runTernd(const QStringList &args)
{
    Run run;
    QProcess p;
    p.start(ChildServer::binaryPath(), args);
    if (!p.waitForStarted(10'000) || !p.waitForFinished(30'000))
        return run;
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = QString::fromUtf8(p.readAllStandardOutput());
    run.err = QString::fromUtf8(p.readAllStandardError());
    return run;
}

int mode(const QString &path)
{
    struct stat st = {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

QByteArray digestOf(const QString &path)
{
    return fingerprint::sha256(readCertificate(path).toDer());
}

//! A client that trusts exactly `certificate` (as a CA: its SAN names 127.0.0.1).
std::unique_ptr<TestClient> trustingClient(const QUrl &url, const QSslCertificate &certificate)
{
    auto client = std::make_unique<TestClient>();
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates({certificate});
    client->socket()->setSslConfiguration(ssl);
    if (!client->open(url))
        return nullptr;
    return client;
}
} // namespace

class TestTlsServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        QVERIFY2(!ChildServer::binaryPath().isEmpty(), "TERND_BINARY is not set");
    }

    void firstStartMakesThePairAndServesWss()
    {
        ChildServer server;
        server.setTls(ChildServer::Tls::Auto);
        QVERIFY(!QFileInfo::exists(server.certificatePath()));
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QVERIFY(server.secure());
        QCOMPARE(server.url().scheme(), QStringLiteral("wss"));

        const QString dir = QDir(server.dataDir()).filePath(QStringLiteral("tls"));
        const QString keyPath = QDir(dir).filePath(QStringLiteral("key.pem"));
        QCOMPARE(mode(dir), 0700);
        QCOMPARE(mode(keyPath), 0600);
        QCOMPARE(mode(server.certificatePath()), 0644);
        QVERIFY(!QFileInfo::exists(keyPath + QStringLiteral(".tmp")));

        const QSslCertificate cert = readCertificate(server.certificatePath());
        QVERIFY(!cert.isNull());
        // Self-issued (QSslCertificate::isSelfSigned() says false: OpenSSL's X509_check_issued
        // wants keyCertSign, which a CA:FALSE certificate must not have).
        QCOMPARE(cert.issuerInfo(QSslCertificate::CommonName),
                 cert.subjectInfo(QSslCertificate::CommonName));
        QCOMPARE(cert.publicKey().algorithm(), QSsl::Ec);
        QCOMPARE(cert.publicKey().length(), 256);
        QVERIFY(cert.subjectInfo(QSslCertificate::CommonName).value(0).startsWith("ternd "));
        const auto now = QDateTime::currentDateTimeUtc();
        QVERIFY(cert.effectiveDate() <= now.addSecs(-3500));
        QVERIFY(cert.expiryDate() > now.addYears(19));
        const auto san = cert.subjectAlternativeNames();
        QVERIFY(san.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
        QVERIFY(san.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
        bool sawBasicConstraints = false;
        for (const QSslCertificateExtension &e : cert.extensions()) {
            if (e.name() == QLatin1String("basicConstraints")) {
                sawBasicConstraints = true;
                QVERIFY(e.isCritical());
                QCOMPARE(e.value().toMap().value(QStringLiteral("ca")).toBool(), false);
            }
        }
        QVERIFY(sawBasicConstraints);
        QFile keyFile(keyPath);
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        const QSslKey key(keyFile.readAll(), QSsl::Ec);
        QVERIFY(!key.isNull());
        QCOMPARE(key.length(), 256);

        // The same fingerprint is in the log for the admin to hand out.
        const QString hex = fingerprint::hex(fingerprint::sha256(cert.toDer()));
        QVERIFY(spinUntil([&] { return server.logTail().contains(hex); }, 10'000));

        // A client that trusts exactly this certificate registers, logs in and sends.
        auto alice = trustingClient(server.url(), cert);
        QVERIFY(alice);
        QCOMPARE(alice->socket()->sslConfiguration().peerCertificate(), cert);
        const QJsonObject bobReg = alice->registerUser("tlsbob", "password-123");
        QCOMPARE(bobReg.value("type").toString(), QStringLiteral("ack"));
        QCOMPARE(alice->registerUser("tlsalice", "password-123").value("type").toString(),
                 QStringLiteral("ack"));
        QVERIFY(alice->login("tlsalice", "password-123").ok());
        QCOMPARE(alice->sendMessage(bobReg.value("user_id").toString(), "over TLS")
                     .value("type")
                     .toString(),
                 QStringLiteral("ack"));

        // A client that trusts nothing in particular (the system's CAs) is refused, with exactly
        // the error an app pins against (tls-pinning.md): SelfSignedCertificate for this cert.
        TestClient stranger;
        QList<QSslError> errors;
        connect(stranger.socket(), &QWebSocket::sslErrors, this,
                [&](const QList<QSslError> &e) { errors += e; });
        QVERIFY(!stranger.open(server.url(), 5000));
        QVERIFY2(errors == QList<QSslError>{QSslError(QSslError::SelfSignedCertificate, cert)},
                 qPrintable(errors.value(0).errorString()));

        // Restart: the same certificate, served again.
        QVERIFY(server.terminate());
        QVERIFY2(server.restart(), qPrintable(server.errorString()));
        QCOMPARE(readCertificate(server.certificatePath()), cert);
        auto again = trustingClient(server.url(), cert);
        QVERIFY(again);
        QCOMPARE(again->socket()->sslConfiguration().peerCertificate(), cert);
    }

    void fingerprintCommandMatchesOpenSsl()
    {
        ChildServer server;
        // No certificate yet: a clear message, non-zero.
        Run none = runTernd({"fingerprint", "--data-dir", server.dataDir()});
        QVERIFY(none.exitCode != 0);
        QVERIFY2(none.err.contains("no TLS certificate"), qPrintable(none.err));

        server.setTls(ChildServer::Tls::Auto);
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QVERIFY(server.terminate());

        const Run run = runTernd({"fingerprint", "--data-dir", server.dataDir()});
        QCOMPARE(run.exitCode, 0);
        const QStringList lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines[0].startsWith("SHA-256 fingerprint: "));
        QVERIFY(lines[1].startsWith("SHA-256 (OpenSSL form): "));
        const QString grouped = lines[0].mid(QStringLiteral("SHA-256 fingerprint: ").size());
        const QString hex = lines[1].mid(QStringLiteral("SHA-256 (OpenSSL form): ").size());

        QProcess openssl;
        openssl.start("openssl", {"x509", "-noout", "-fingerprint", "-sha256", "-in",
                                  server.certificatePath()});
        QVERIFY(openssl.waitForFinished(30'000));
        const QString expected = QString::fromUtf8(openssl.readAllStandardOutput()).trimmed();
        QVERIFY2(expected.endsWith(u'=' + hex), qPrintable(expected + " vs " + hex));

        const QByteArray digest = digestOf(server.certificatePath());
        QCOMPARE(fingerprint::parse(grouped), std::optional<QByteArray>(digest));
        QCOMPARE(fingerprint::parse(hex), std::optional<QByteArray>(digest));

        // --tls-cert FILE reads that file, no key needed.
        const Run byFile = runTernd({"fingerprint", "--tls-cert", server.certificatePath()});
        QCOMPARE(byFile.exitCode, 0);
        QCOMPARE(byFile.out, run.out);
    }

    void wrongOrBrokenFilesRefuseToStart()
    {
        ChildServer server;
        server.setTls(ChildServer::Tls::Auto);
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QVERIFY(server.terminate());
        const QByteArray digest = digestOf(server.certificatePath());
        const QString keyPath = QDir(server.dataDir()).filePath("tls/key.pem");

        // Another key in place of ours: refuse, name the files, replace nothing.
        const TestCertificate other;
        QVERIFY2(other.ok(), qPrintable(other.error));
        QFile::remove(keyPath);
        QVERIFY(QFile::copy(other.keyFile, keyPath));
        QVERIFY(!server.start());
        QVERIFY2(server.errorString().contains("does not belong") &&
                     server.errorString().contains(keyPath),
                 qPrintable(server.errorString()));
        QVERIFY(server.exitCode() != 0);
        QCOMPARE(digestOf(server.certificatePath()), digest);

        // A corrupt certificate: refuse, naming it.
        QFile cert(server.certificatePath());
        QVERIFY(cert.open(QIODevice::WriteOnly | QIODevice::Truncate));
        cert.write("-----BEGIN CERTIFICATE-----\nnot base64\n");
        cert.close();
        QVERIFY(!server.start());
        QVERIFY2(server.errorString().contains(server.certificatePath()),
                 qPrintable(server.errorString()));

        // Only one of the two files: refuse rather than make a new identity.
        QVERIFY(QFile::remove(server.certificatePath()));
        QVERIFY(!server.start());
        QVERIFY2(server.errorString().contains("is missing"), qPrintable(server.errorString()));
        QVERIFY(!QFileInfo::exists(server.certificatePath()));
    }

    void keyIsPrivateWhateverTheUmask()
    {
        ChildServer server;
        server.setTls(ChildServer::Tls::Auto);
        const mode_t saved = ::umask(0);
        const bool started = server.start();
        ::umask(saved);
        QVERIFY2(started, qPrintable(server.errorString()));
        QCOMPARE(mode(QDir(server.dataDir()).filePath("tls/key.pem")), 0600);
        QCOMPARE(mode(QDir(server.dataDir()).filePath("tls")), 0700);
        QCOMPARE(mode(server.certificatePath()), 0644);
    }

    void noTlsServesPlainAndWarns()
    {
        ChildServer server; // --no-tls by default
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QVERIFY(!server.secure());
        QCOMPARE(server.url().scheme(), QStringLiteral("ws"));
        TestClient client;
        QVERIFY(client.open(server.url()));
        QVERIFY(spinUntil([&] { return server.logTail().contains("unencrypted"); }, 10'000));
        QVERIFY(!QFileInfo::exists(QDir(server.dataDir()).filePath("tls")));

        // no_tls in the config file does the same.
        QVERIFY(server.terminate());
        QFile conf(QDir(server.dataDir()).filePath("ternd.conf"));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("no_tls = true\n");
        conf.close();
        server.setTls(ChildServer::Tls::Auto); // no --no-tls flag: the file decides
        QVERIFY2(server.restart(), qPrintable(server.errorString()));
        QVERIFY(!server.secure());

        // --no-tls with a certificate is a contradiction, refused before anything starts.
        const TestCertificate certificate;
        QVERIFY2(certificate.ok(), qPrintable(certificate.error));
        const Run both =
            runTernd({"--no-tls", "--tls-cert", certificate.certFile, "--tls-key",
                      certificate.keyFile, "--port", "0", "--data-dir", server.dataDir()});
        QCOMPARE(both.exitCode, 2);
        QVERIFY2(both.err.contains("--no-tls"), qPrintable(both.err));
    }

    void plainClientsGetNothingAndOthersAreServed()
    {
        ChildServer server;
        server.setTls(ChildServer::Tls::Auto);
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const QSslCertificate cert = readCertificate(server.certificatePath());

        // A plain WebSocket upgrade on the TLS port: no upgrade.
        RawWsClient raw;
        QVERIFY(!raw.open(server.port(), QStringLiteral("/ws"), 0, 5000));

        // Plain HTTP: the connection closes without a byte of HTTP.
        QTcpSocket http;
        http.connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(http.waitForConnected(5000));
        http.write("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray answer;
        QVERIFY(spinUntil(
            [&] {
                answer += http.readAll();
                return http.state() == QAbstractSocket::UnconnectedState;
            },
            10'000));
        QVERIFY2(!answer.contains("HTTP/1.1"), answer.constData());

        // Meanwhile a TLS client is served as ever.
        auto client = trustingClient(server.url(), cert);
        QVERIFY(client);
        QCOMPARE(client->registerUser("tlscarol", "password-123").value("type").toString(),
                 QStringLiteral("ack"));
        QVERIFY(server.isRunning());
    }

    void givenCertificateIsServedAndNothingIsMade()
    {
        const TestCertificate certificate;
        QVERIFY2(certificate.ok(), qPrintable(certificate.error));
        ChildServer server; // Tls::Off, but --tls-cert wins: no --no-tls is added
        server.setExtraArgs(
            {"--tls-cert=" + certificate.certFile, "--tls-key", certificate.keyFile});
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QVERIFY(server.secure());
        QVERIFY(!QFileInfo::exists(QDir(server.dataDir()).filePath("tls")));
        auto client = trustingClient(server.url(), readCertificate(certificate.certFile));
        QVERIFY(client);
        const Run run = runTernd({"fingerprint", "--tls-cert", certificate.certFile});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains(fingerprint::hex(digestOf(certificate.certFile))));
    }

    void regenerateChangesTheIdentityOnlyWhenStopped()
    {
        ChildServer server;
        server.setTls(ChildServer::Tls::Auto);
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const QByteArray before = digestOf(server.certificatePath());

        const Run refused = runTernd({"tls", "regenerate", "--data-dir", server.dataDir()});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("stop it first"), qPrintable(refused.err));
        QCOMPARE(digestOf(server.certificatePath()), before);

        QVERIFY(server.terminate());
        const Run done = runTernd({"tls", "regenerate", "--data-dir", server.dataDir()});
        QCOMPARE(done.exitCode, 0);
        QVERIFY2(done.err.contains("identity changed"), qPrintable(done.err));
        const QByteArray after = digestOf(server.certificatePath());
        QVERIFY(after != before);
        QVERIFY2(done.out.contains(fingerprint::grouped(after)), qPrintable(done.out));
        QCOMPARE(mode(QDir(server.dataDir()).filePath("tls/key.pem")), 0600);

        // The server serves the new pair.
        QVERIFY2(server.restart(), qPrintable(server.errorString()));
        const QSslCertificate cert = readCertificate(server.certificatePath());
        auto client = trustingClient(server.url(), cert);
        QVERIFY(client);
        QCOMPARE(
            fingerprint::sha256(client->socket()->sslConfiguration().peerCertificate().toDer()),
            after);
    }
};

QTEST_GUILESS_MAIN(TestTlsServer)
#include "tst_tlsserver.moc"
