// ternd's surroundings: wss:// with a real certificate, idle timeout and heartbeats, the /ws
// path, the admin CLI and the config file, against a real server (in-process or child).

#include "tests/support/ChildServer.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestCertificate.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUtil.h"

#include "server/config/ConfigLoader.h"

#include <QFileInfo>
#include <QProcess>
#include <QScopeGuard>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

using namespace tern;
using namespace tern::test;

class TestServerOptions : public QObject
{
    Q_OBJECT

private:
    static int runTernd(const QStringList &args, const QByteArray &input, QByteArray *out = nullptr)
    {
        QProcess p;
        p.start(ChildServer::binaryPath(), args);
        if (!p.waitForStarted(10'000))
            return -1;
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(30'000))
            return -1;
        if (out)
            *out = p.readAllStandardOutput();
        return p.exitCode();
    }

private slots:
    void wssWithCertificate()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        const TestCertificate certificate;
        QVERIFY2(certificate.ok(), qPrintable(certificate.error));
        const QString cert = certificate.certFile;
        const QString key = certificate.keyFile;

        ServerFixture server;
        server.config().tlsCertFile = cert;
        server.config().tlsKeyFile = key;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QVERIFY(server.app()->secure());

        TestClient client;
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        const auto certs = QSslCertificate::fromPath(cert);
        QCOMPARE(certs.size(), 1);
        ssl.addCaCertificate(certs.first());
        client.socket()->setSslConfiguration(ssl);
        QUrl url = server.url();
        url.setScheme("wss");
        QVERIFY(client.open(url));
        QCOMPARE(client.registerUser("tlsuser", "password123").value("type").toString(),
                 QStringLiteral("ack"));
        QVERIFY(client.login("tlsuser", "password123").ok());

        // A plain ws:// client cannot talk to a wss:// server.
        TestClient plain;
        QVERIFY(!plain.open(server.url(), 3000));
    }

    void idleSessionsAreClosedHeartbeatsKeepThemOpen()
    {
        ServerFixture server;
        server.config().idleTimeoutMs = 1500;
        QVERIFY(server.start());
        TestClient silent;
        silent.setAutoHeartbeat(false);
        QVERIFY(silent.open(server.url()));
        TestClient beating;
        beating.setAutoHeartbeat(false);
        QVERIFY(beating.open(server.url()));
        QElapsedTimer timer;
        timer.start();
        // One heartbeat every 300 ms while waiting for the silent one to be closed.
        do
            beating.send(QJsonObject{{"type", "heartbeat"}});
        while (!silent.waitForDisconnected(300) && timer.elapsed() < 4000);
        QVERIFY(silent.waitForDisconnected(5000));
        QCOMPARE(silent.closeCode(), int(QWebSocketProtocol::CloseCodeNormal));
        QVERIFY(timer.elapsed() >= 1400);
        QVERIFY(beating.isConnected());
        QVERIFY(!beating.wasDisconnected());
        // A heartbeat without id is answered by nothing; with an id by an ack. The server
        // answers a connection's frames in order: an answer to the id-less ones would be
        // queued before that ack.
        QCOMPARE(beating.request(QJsonObject{{"type", "heartbeat"}}).value("type").toString(),
                 QStringLiteral("ack"));
        const QList<QJsonObject> unasked = beating.takeEvents();
        QVERIFY2(unasked.isEmpty(),
                 qPrintable(unasked.isEmpty() ? QString() : toJson(unasked.first())));
        QCOMPARE(beating.totalReplies(), 1);
    }

    void otherPathsAreRefused()
    {
        ServerFixture server;
        QVERIFY(server.start());
        TestClient client;
        QUrl url = server.url();
        url.setPath("/elsewhere");
        if (client.open(url, 5000))
            QVERIFY(client.waitForDisconnected(5000));
        QCOMPARE(client.closeCode(), int(QWebSocketProtocol::CloseCodePolicyViolated));
    }

    void adminCliManagesAccounts()
    {
        QTemporaryDir dir;
        const QStringList common{"--data-dir", dir.path(), "--password-cost", "min"};
        QCOMPARE(runTernd(QStringList{"user", "add", "dora", "--display-name", "Dora D"} + common,
                          "password123\n"),
                 0);
        QCOMPARE(runTernd(QStringList{"user", "add", "dora"} + common, "password123\n"), 1);
        QCOMPARE(runTernd(QStringList{"user", "add", "Bad Name"} + common, "password123\n"), 2);
        QCOMPARE(runTernd(QStringList{"user", "add", "eve"} + common, "short\n"), 2);
        QByteArray listing;
        QCOMPARE(runTernd(QStringList{"user", "list"} + common, {}, &listing), 0);
        QVERIFY(listing.contains("dora"));
        QVERIFY(listing.contains("Dora D"));

        ServerFixture server;
        server.config().dataDir = dir.path();
        QVERIFY(server.start());
        {
            TestClient client;
            QVERIFY(client.open(server.url()));
            QVERIFY(client.login("dora", "password123").ok());
        }
        server.stop();
        QCOMPARE(runTernd(QStringList{"user", "passwd", "dora"} + common, "another-pass\n"), 0);
        QCOMPARE(runTernd(QStringList{"user", "disable", "dora"} + common, {}), 0);
        QCOMPARE(runTernd(QStringList{"user", "disable", "nobody"} + common, {}), 1);
        QVERIFY(server.start());
        TestClient client;
        QVERIFY(client.open(server.url()));
        const LoginInfo disabled = client.login("dora", "another-pass");
        QVERIFY(!disabled.ok());
        QCOMPARE(disabled.reply.value("code").toString(), QStringLiteral("forbidden"));
    }

    void configFileAndFlags()
    {
        QTemporaryDir dir;
        QFile conf(dir.filePath("ternd.conf"));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("registration=false\nport=7171\npassword_cost=min\nidle_timeout=45\n");
        conf.close();
        auto parse = [&](QStringList args) {
            QCommandLineParser parser;
            server::ConfigLoader::addOptions(parser);
            parser.process(QStringList{"ternd"} + args);
            return server::ConfigLoader::load(parser);
        };
        auto fromFile = parse({"--data-dir", dir.path()});
        QVERIFY(fromFile.ok());
        QCOMPARE(fromFile->port, quint16(7171));
        QVERIFY(!fromFile->registrationEnabled);
        QCOMPARE(fromFile->idleTimeoutMs, 45'000);
        QVERIFY(fromFile->passwordCost == crypto::PasswordCost::Min);
        auto flagsWin = parse({"--data-dir", dir.path(), "--port", "7272"});
        QCOMPARE(flagsWin->port, quint16(7272));
        auto bad = parse({"--data-dir", dir.path(), "--port", "99999"});
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.contains("--port"));
        QVERIFY(!parse({"--data-dir", dir.path(), "--password-cost", "huge"}).ok());
        QVERIFY(!parse({"--data-dir", dir.path(), "--tls-cert", "x.pem"}).ok());
        QVERIFY(!parse({"--config", dir.filePath("missing.conf")}).ok());

        // The abuse bounds (docs/architecture.md, "Limits and abuse"): defaults, file, flags.
        QCOMPARE(fromFile->authTimeoutMs, 15'000);
        QCOMPARE(fromFile->maxConnectionsPerAddress, 256);
        QVERIFY(!fromFile->limitLoopback);
        QVERIFY(fromFile->allowedOrigins.isEmpty());
        QCOMPARE(fromFile->tokenIdleExpiryMs, qint64(30) * 24 * 3600 * 1000);
        QCOMPARE(fromFile->displayNameChangesPerMinute, 10);
        QCOMPARE(fromFile->editWindowHours, 48);
        QFile abuse(dir.filePath("abuse.conf"));
        QVERIFY(abuse.open(QIODevice::WriteOnly));
        abuse.write("auth_timeout=5\nlimit_loopback=true\nmax_connections_per_address=3\n"
                    "allowed_origins=https://a.example, https://b.example:8443\n"
                    "token_idle_days=0\nregistrations_per_address=2\nmax_hash_wait=3\n"
                    "max_queued_hashes=50\ntls_handshake_timeout=4\n"
                    "display_name_changes_per_minute=4\nedit_window_hours=0\n");
        abuse.close();
        auto bounds = parse({"--config", abuse.fileName()});
        QVERIFY(bounds.ok());
        QCOMPARE(bounds->authTimeoutMs, 5000);
        QVERIFY(bounds->limitLoopback);
        QCOMPARE(bounds->maxConnectionsPerAddress, 3);
        QCOMPARE(bounds->allowedOrigins,
                 QStringList({"https://a.example", "https://b.example:8443"}));
        QCOMPARE(bounds->tokenIdleExpiryMs, qint64(0));
        QCOMPARE(bounds->registrationsPerAddressPerMinute, 2);
        QCOMPARE(bounds->maxHashWaitMs, 3000);
        QCOMPARE(bounds->maxQueuedHashes, 50);
        QCOMPARE(bounds->tlsHandshakeTimeoutMs, 4000);
        QCOMPARE(bounds->displayNameChangesPerMinute, 4);
        QCOMPARE(bounds->editWindowHours, 0);
        QCOMPARE(parse({"--data-dir", dir.path(), "--edit-window-hours", "2"})->editWindowHours, 2);
        QVERIFY(!parse({"--data-dir", dir.path(), "--edit-window-hours", "-1"}).ok());
        auto flags = parse({"--config", abuse.fileName(), "--auth-timeout", "7",
                            "--allowed-origins", "*", "--max-connections-per-address", "0"});
        QCOMPARE(flags->authTimeoutMs, 7000);
        QCOMPARE(flags->allowedOrigins, QStringList({"*"}));
        QCOMPARE(flags->maxConnectionsPerAddress, 0);
        QVERIFY(!parse({"--auth-timeout", "0"}).ok());
    }

    // The data dir holds every message and the password hashes: with umask 022 ternd made it
    // (and so the database) readable by every local user.
    void dataDirIsTheOwnersOnly()
    {
        constexpr QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup |
                                              QFile::ExeGroup | QFile::ReadOther |
                                              QFile::WriteOther | QFile::ExeOther;
        const mode_t saved = ::umask(022);
        const auto restore = qScopeGuard([saved] { ::umask(saved); });
        QTemporaryDir root;
        const QString dataDir = root.filePath(QStringLiteral("new/data"));
        ChildServer child;
        child.setExtraArgs({"--data-dir", dataDir}); // the last --data-dir counts
        QVERIFY2(child.start(), qPrintable(child.errorString()));
        QCOMPARE(QFile::permissions(dataDir) & others, QFile::Permissions());
        QVERIFY(QFileInfo::exists(dataDir + QStringLiteral("/ternd.db")) ||
                !QDir(dataDir).isEmpty());
        QVERIFY(!child.logTail().contains(QLatin1String("open to other users")));

        // One the admin made open is left so, and the log says what it holds.
        QVERIFY(child.terminate());
        QVERIFY(QFile::setPermissions(dataDir, QFile::Permissions(0x7755)));
        QVERIFY2(child.restart(), qPrintable(child.errorString()));
        QVERIFY(QFile::permissions(dataDir) & QFile::ReadOther);
        QTRY_VERIFY2(child.logTail().contains(QLatin1String("open to other users")),
                     qPrintable(child.logTail()));
    }

    void noRegistrationFlagOnTheRealBinary()
    {
        ChildServer child;
        child.setExtraArgs({"--no-registration"});
        QVERIFY2(child.start(), qPrintable(child.errorString()));
        TestClient client;
        QVERIFY(client.open(child.url()));
        QCOMPARE(client.registerUser("someone", "password123").value("code").toString(),
                 QStringLiteral("forbidden"));
    }
};

QTEST_GUILESS_MAIN(TestServerOptions)
#include "tst_serveroptions.moc"
