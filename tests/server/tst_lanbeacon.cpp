// LAN discovery: ternd's UDP beacon (server/net/LanBeacon) heard by the app's ServerDiscovery,
// the --announce* options, and strict parsing of whatever else arrives on the port. Every
// datagram here goes to 127.0.0.1: nothing is ever broadcast.

#include "tests/support/ServerFixture.h"

#include "app/client/ServerDiscovery.h"
#include "server/config/ConfigLoader.h"
#include "server/net/LanBeacon.h"
#include "server/tls/ServerCertificate.h"
#include "shared/model/CertificateFingerprint.h"
#include "shared/protocol/Beacon.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QUdpSocket>
#include <QtTest>

using namespace tern;
using namespace tern::test;
using tern::app::client::ServerDiscovery;

class TestLanBeacon : public QObject
{
    Q_OBJECT

private:
    // A UDP port free right now on 127.0.0.1 (the kernel picks it; we let it go again).
    static quint16 freeUdpPort()
    {
        QUdpSocket probe;
        if (!probe.bind(QHostAddress::LocalHost, 0))
            return 0;
        const quint16 port = probe.localPort();
        probe.close();
        return port;
    }

    static Result<server::ServerConfig> parse(const QStringList &args)
    {
        QCommandLineParser parser;
        server::ConfigLoader::addOptions(parser);
        parser.process(QStringList{"ternd"} + args);
        return server::ConfigLoader::load(parser);
    }

private slots:
    void announceIsOffByDefault()
    {
        QVERIFY(!server::ServerConfig{}.announce);
        QTemporaryDir dir;
        auto config = parse({"--data-dir", dir.path()});
        QVERIFY(config.ok());
        QVERIFY(!config->announce);
        QCOMPARE(config->announceAddress, QHostAddress(QHostAddress::Broadcast));
        QCOMPARE(config->announcePort, quint16(7071));
        QCOMPARE(config->announceIntervalMs, protocol::kBeaconIntervalMs);
        QCOMPARE(server::ServerConfig{}.announceIntervalMs, protocol::kBeaconIntervalMs);
        QVERIFY(config->serverName.isEmpty());
    }

    void configLoaderParsesAnnounceOptions()
    {
        QTemporaryDir dir;
        const QStringList base{"--data-dir", dir.path()};

        // Only parsed here, never started: --announce alone would broadcast.
        auto plain = parse(base + QStringList{"--announce"});
        QVERIFY(plain.ok());
        QVERIFY(plain->announce);
        QCOMPARE(plain->announceAddress, QHostAddress(QHostAddress::Broadcast));

        auto targeted =
            parse(base + QStringList{"--announce-address", "127.0.0.1", "--announce-port", "17071",
                                     "--server-name", "Kitchen"});
        QVERIFY(targeted.ok());
        QVERIFY(targeted->announce); // implied by the address
        QCOMPARE(targeted->announceAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(targeted->announcePort, quint16(17071));
        QCOMPARE(targeted->serverName, QStringLiteral("Kitchen"));

        // A port or name alone does not switch announcing on.
        auto portOnly = parse(base + QStringList{"--announce-port", "17072"});
        QVERIFY(portOnly.ok());
        QVERIFY(!portOnly->announce);

        for (const char *bad : {"0", "65536", "x", "-1"}) {
            auto r = parse(base + QStringList{"--announce-port", bad});
            QVERIFY2(!r.ok(), bad);
            QVERIFY(r.error().message.contains("--announce-port"));
        }
        QVERIFY(!parse(base + QStringList{"--announce-address", "not-an-address"}).ok());
        QVERIFY(!parse(base + QStringList{"--server-name", QString(65, QLatin1Char('n'))}).ok());
        auto interval = parse(base + QStringList{"--announce-interval", "250"});
        QVERIFY(interval.ok());
        QCOMPARE(interval->announceIntervalMs, 250);
        QVERIFY(!interval->announce); // an interval alone does not switch announcing on
        for (const char *bad : {"99", "60001", "x"}) {
            auto r = parse(base + QStringList{"--announce-interval", bad});
            QVERIFY2(!r.ok(), bad);
            QVERIFY(r.error().message.contains("--announce-interval"));
        }

        QFile conf(dir.filePath("ternd.conf"));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("announce=true\nannounce_port=17073\nserver_name=From File\n"
                   "announce_interval=500\n");
        conf.close();
        auto fromFile = parse(base);
        QVERIFY(fromFile.ok());
        QVERIFY(fromFile->announce);
        QCOMPARE(fromFile->announcePort, quint16(17073));
        QCOMPARE(fromFile->announceIntervalMs, 500);
        QCOMPARE(fromFile->serverName, QStringLiteral("From File"));
    }

    void datagramIsCompactAndParses()
    {
        server::net::LanBeacon::Announcement a;
        a.name = QStringLiteral("Büro \"3\"");
        a.port = 7070;
        a.tls = true;
        a.version = QStringLiteral("0.1.0");
        const QByteArray bytes = server::net::LanBeacon::datagram(a);
        QVERIFY(bytes.size() < 512);
        QVERIFY(!bytes.contains('\n'));
        const auto beacon = ServerDiscovery::parseBeacon(bytes);
        QVERIFY(beacon);
        QCOMPARE(beacon->name, a.name);
        QCOMPARE(beacon->port, quint16(7070));
        QVERIFY(beacon->tls);
        QCOMPARE(beacon->version, QStringLiteral("0.1.0"));

        // Over-long names (and control characters) are cut, never sent oversize.
        a.name = QString(500, QChar(0x2603)) + QChar(0x01);
        const QByteArray longOne = server::net::LanBeacon::datagram(a);
        QVERIFY(longOne.size() < 512);
        const auto cut = ServerDiscovery::parseBeacon(longOne);
        QVERIFY(cut);
        QCOMPARE(cut->name.size(), 64);

        // Bidi and zero-width characters (which the app refuses) are not sent.
        a.name = QStringLiteral("Kit") + QChar(0x200b) + QStringLiteral("chen ") + QChar(0x202e) +
                 QStringLiteral("x");
        const auto clean = ServerDiscovery::parseBeacon(server::net::LanBeacon::datagram(a));
        QVERIFY(clean);
        QCOMPARE(clean->name, QStringLiteral("Kitchen x"));
    }

    void datagramCarriesTheFingerprintWithinItsBound()
    {
        server::net::LanBeacon::Announcement a;
        a.port = 65535;
        a.tls = true;
        a.version = QString(32, u'9');
        a.fingerprint = fingerprint::hex(QByteArray(32, '\xab'));
        QCOMPARE(a.fingerprint.size(), 95);
        // 64 characters at their widest: three UTF-8 bytes each, or a JSON escape each.
        for (const QString &name :
             {QString(64, QChar(0x2603)), QString(64, u'"'), QString(64, u'\\')}) {
            a.name = name;
            const QByteArray bytes = server::net::LanBeacon::datagram(a);
            QVERIFY2(bytes.size() <= server::net::LanBeacon::kMaxDatagramBytes,
                     qPrintable(QString::number(bytes.size())));
            const QJsonObject o = QJsonDocument::fromJson(bytes).object();
            QCOMPARE(o.value("fp").toString(), a.fingerprint);
            QCOMPARE(o.value("name").toString(), name); // nothing cut
            QVERIFY(ServerDiscovery::parseBeacon(bytes));
        }
        // Without TLS there is no fingerprint to announce.
        a.tls = false;
        QVERIFY(
            !QJsonDocument::fromJson(server::net::LanBeacon::datagram(a)).object().contains("fp"));
    }

    void tlsServerAnnouncesItsCertificateFingerprint()
    {
        QUdpSocket listener;
        QVERIFY(listener.bind(QHostAddress::LocalHost, 0));
        ServerFixture server;
        server.config().tlsAutoCertificate = true; // ternd's default, in-process
        server.config().tlsCertFile = server::tls::ServerCertificate::certPath(server.dataDir());
        server.config().tlsKeyFile = server::tls::ServerCertificate::keyPath(server.dataDir());
        server.config().announceAddress = QHostAddress::LocalHost;
        server.config().announce = true;
        server.config().announcePort = listener.localPort();
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QVERIFY(server.app()->secure());
        QTRY_VERIFY_WITH_TIMEOUT(listener.hasPendingDatagrams(), 5000);
        QByteArray datagram(int(listener.pendingDatagramSize()), '\0');
        listener.readDatagram(datagram.data(), datagram.size());
        const QJsonObject o = QJsonDocument::fromJson(datagram).object();
        QVERIFY(o.value("tls").toBool());
        const auto certs =
            QSslCertificate::fromPath(server::tls::ServerCertificate::certPath(server.dataDir()));
        QCOMPARE(certs.size(), 1);
        QCOMPARE(o.value("fp").toString(),
                 fingerprint::hex(fingerprint::sha256(certs.first().toDer())));
    }

    void malformedBeaconsAreRejected_data()
    {
        QTest::addColumn<QByteArray>("datagram");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("garbage") << QByteArray("\xff\xfe hello", 9);
        QTest::newRow("array") << QByteArray(R"([1,2,3])");
        QTest::newRow("truncated") << QByteArray(R"({"tern":1,"name":"a","port":70)");
        QTest::newRow("no tern") << QByteArray(R"({"name":"a","port":7070,"tls":false})");
        QTest::newRow("tern 2") << QByteArray(R"({"tern":2,"name":"a","port":7070,"tls":false})");
        QTest::newRow("port 0") << QByteArray(R"({"tern":1,"name":"a","port":0,"tls":false})");
        QTest::newRow("port 65536")
            << QByteArray(R"({"tern":1,"name":"a","port":65536,"tls":false})");
        QTest::newRow("port -1") << QByteArray(R"({"tern":1,"name":"a","port":-1,"tls":false})");
        QTest::newRow("port 1.5") << QByteArray(R"({"tern":1,"name":"a","port":1.5,"tls":false})");
        QTest::newRow("port string")
            << QByteArray(R"({"tern":1,"name":"a","port":"7070","tls":false})");
        QTest::newRow("no port") << QByteArray(R"({"tern":1,"name":"a","tls":false})");
        QTest::newRow("name number")
            << QByteArray(R"({"tern":1,"name":5,"port":7070,"tls":false})");
        QTest::newRow("no name") << QByteArray(R"({"tern":1,"port":7070,"tls":false})");
        QTest::newRow("name too long")
            << (QByteArray(R"({"tern":1,"port":7070,"tls":false,"name":")") + QByteArray(65, 'n') +
                QByteArray(R"("})"));
        QTest::newRow("name control")
            << QByteArray(R"({"tern":1,"name":"a\u0007b","port":7070,"tls":false})");
        // Issue 15 item 13: names that pose as another server's are not listed.
        QTest::newRow("name bidi override")
            << QByteArray(R"({"tern":1,"name":"Office \u202egnp","port":7070,"tls":false})");
        QTest::newRow("name zero-width space")
            << QByteArray(R"({"tern":1,"name":"Off\u200bice","port":7070,"tls":false})");
        QTest::newRow("tls string")
            << QByteArray(R"({"tern":1,"name":"a","port":7070,"tls":"yes"})");
        QTest::newRow("no tls") << QByteArray(R"({"tern":1,"name":"a","port":7070})");
        QTest::newRow("oversize")
            << (QByteArray(R"({"tern":1,"name":"a","port":7070,"tls":false,"pad":")") +
                QByteArray(600, 'x') + QByteArray(R"("})"));
    }

    void malformedBeaconsAreRejected()
    {
        QFETCH(QByteArray, datagram);
        QVERIFY(!ServerDiscovery::parseBeacon(datagram));
    }

    void datagramBoundIsExact()
    {
        // One bound for both sides (protocol::kBeaconMaxDatagramBytes): 511 bytes are read,
        // 512 are not.
        const QByteArray head(R"({"tern":1,"name":"a","port":7070,"tls":false,"pad":")");
        const QByteArray tail(R"("})");
        const auto padded = [&](qsizetype total) {
            return head + QByteArray(total - head.size() - tail.size(), 'x') + tail;
        };
        QCOMPARE(padded(protocol::kBeaconMaxDatagramBytes).size(), 511);
        QVERIFY(ServerDiscovery::parseBeacon(padded(511)));
        QVERIFY(!ServerDiscovery::parseBeacon(padded(512)));
    }

    void fingerprintIsReadInEitherFormAndKeptAsHex()
    {
        const QByteArray digest(32, '\x5a');
        protocol::Beacon beacon;
        beacon.name = QStringLiteral("office");
        beacon.port = 7070;
        beacon.tls = true;
        beacon.version = QStringLiteral("0.1.0");
        for (const QString &fp : {fingerprint::hex(digest), fingerprint::hex(digest).toLower(),
                                  fingerprint::grouped(digest)}) {
            beacon.fingerprint = fp;
            const auto decoded = protocol::decodeBeacon(protocol::encodeBeacon(beacon));
            QVERIFY(decoded);
            QCOMPARE(decoded->fingerprint, fingerprint::hex(digest));
            QCOMPARE(decoded->name, beacon.name);
            QCOMPARE(decoded->port, beacon.port);
            QVERIFY(decoded->tls);
            QCOMPARE(decoded->version, beacon.version);
        }
    }

    void discoversInProcessServerAndExpiresIt()
    {
        const quint16 announcePort = freeUdpPort();
        QVERIFY(announcePort != 0);
        // Beacons every 100 ms (--announce-interval) instead of 2 s, so the test waits for
        // beacons, not for seconds. The expiry keeps the old test's 1 s of slack over the
        // interval: a busy machine may stall this thread (server and listener alike) that long.
        constexpr int kIntervalMs = 100;
        ServerDiscovery discovery;
        discovery.setExpiryMs(kIntervalMs + 1000);
        QVERIFY2(discovery.start(announcePort, QHostAddress::LocalHost),
                 qPrintable(discovery.errorString()));
        QSignalSpy changed(&discovery, &ServerDiscovery::serversChanged);

        ServerFixture server;
        server.config().announceAddress = QHostAddress::LocalHost;
        server.config().announce = true;
        server.config().announcePort = announcePort;
        server.config().announceIntervalMs = kIntervalMs;
        server.config().serverName = QStringLiteral("Test Server");
        QVERIFY2(server.start(), qPrintable(server.errorString()));

        QTRY_COMPARE_WITH_TIMEOUT(discovery.servers().size(), 1, 5000);
        const ServerDiscovery::Server found = discovery.servers().first();
        QCOMPARE(found.port, server.port());
        QCOMPARE(found.name, QStringLiteral("Test Server"));
        QCOMPARE(found.address, QHostAddress(QHostAddress::LocalHost));
        QVERIFY(!found.tls);
        QCOMPARE(found.url, server.url());
        QVERIFY(found.lastSeen.isValid());
        QCOMPARE(changed.size(), 1);

        // Still listed after longer than the expiry: the beacon repeats, and an unchanged
        // beacon does not signal again. Waits for a beacon heard more than the expiry after the
        // first; the entry never went away in between (that would have signalled).
        QTRY_VERIFY_WITH_TIMEOUT(!discovery.servers().isEmpty() &&
                                     found.lastSeen.msecsTo(discovery.servers().first().lastSeen) >
                                         discovery.expiryMs(),
                                 10'000);
        QCOMPARE(discovery.servers().size(), 1);
        QCOMPARE(changed.size(), 1);

        server.stop();
        QTRY_VERIFY_WITH_TIMEOUT(discovery.servers().isEmpty(), 10'000);
        QCOMPARE(changed.size(), 2);
    }

    void malformedDatagramsOnTheWireAreIgnored()
    {
        const quint16 port = freeUdpPort();
        QVERIFY(port != 0);
        ServerDiscovery discovery;
        QVERIFY(discovery.start(port, QHostAddress::LocalHost));
        // Another listener may share the port (two apps on one computer).
        ServerDiscovery second;
        QVERIFY2(second.start(port, QHostAddress::LocalHost), qPrintable(second.errorString()));
        second.stop();

        QUdpSocket sender;
        const QList<QByteArray> junk{
            QByteArray("not json"),
            QByteArray(2000, '{'),
            QByteArray(R"({"tern":1,"name":"zero","port":0,"tls":false})"),
            QByteArray(R"({"tern":1,"name":"big","port":99999,"tls":false})"),
            QByteArray(R"({"tern":1,"name":"neg","port":-5,"tls":false})"),
            QByteArray(R"({"tern":"1","name":"s","port":7070,"tls":false})"),
            QByteArray(1, '\0'),
            QByteArray(R"({"tern":1,"name":"pad","port":7070,"tls":false,"x":")") +
                QByteArray(700, 'x') + QByteArray(R"("})"),
        };
        for (const QByteArray &d : junk)
            QCOMPARE(sender.writeDatagram(d, QHostAddress::LocalHost, port), qint64(d.size()));
        // Loopback keeps order: once the good one is listed, the junk before it was read.
        const QByteArray good(R"({"tern":1,"name":"Good","port":4242,"tls":true,"extra":[1]})");
        QCOMPARE(sender.writeDatagram(good, QHostAddress::LocalHost, port), qint64(good.size()));
        QTRY_COMPARE_WITH_TIMEOUT(discovery.servers().size(), 1, 3000);
        const auto s = discovery.servers().first();
        QCOMPARE(s.name, QStringLiteral("Good"));
        QCOMPARE(s.port, quint16(4242));
        QCOMPARE(s.url, QUrl(QStringLiteral("wss://127.0.0.1:4242/ws")));
        QVERIFY(discovery.isListening());
    }
};

QTEST_GUILESS_MAIN(TestLanBeacon)
#include "tst_lanbeacon.moc"
