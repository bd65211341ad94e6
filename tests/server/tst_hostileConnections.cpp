// Hostile connections (issue 15, items 6, 8, 9 and 16), with real sockets against a child
// ternd: strangers that never log in, buffer fragments or hold TLS handshakes open, too many
// connections from one address, and WebSocket upgrades from foreign browser origins.
// 127.0.0.2 is used as a second client address (all of 127/8 is loopback on Linux).

#include "server/auth/ClientAddress.h"
#include "server/net/TcpListener.h"
#include "tests/support/ChildServer.h"
#include "tests/support/RawWsClient.h"
#include "tests/support/TestCertificate.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUtil.h"

#include <QProcess>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <memory>
#include <vector>

using namespace tern;
using namespace tern::test;

namespace {
const QHostAddress kOtherAddress(QStringLiteral("127.0.0.2"));

//! A TCP connection from `from` to the server, connected (or nullptr).
std::unique_ptr<QTcpSocket> tcpFrom(const QHostAddress &from, quint16 port)
{
    auto socket = std::make_unique<QTcpSocket>();
    if (!socket->bind(from, 0))
        return nullptr;
    socket->connectToHost(QHostAddress::LocalHost, port);
    if (!socket->waitForConnected(5000))
        return nullptr;
    return socket;
}

//! An HTTP/1.1 request on a fresh connection from `from`; the raw response ("" on timeout).
QByteArray httpFrom(const QHostAddress &from, quint16 port, const QByteArray &head,
                    int timeoutMs = 5000)
{
    auto socket = tcpFrom(from, port);
    if (!socket)
        return {};
    socket->write(head);
    QByteArray response;
    spinUntil(
        [&] {
            response += socket->readAll();
            const qsizetype end = response.indexOf("\r\n\r\n");
            return (end >= 0 && (response.startsWith("HTTP/1.1 101") || response.endsWith("}"))) ||
                   socket->state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
    return response;
}

QByteArray healthRequest()
{
    return "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
}

QByteArray upgradeRequest(quint16 port, const QByteArray &origin,
                          const QByteArray &host = "127.0.0.1")
{
    QByteArray head = "GET /ws HTTP/1.1\r\nHost: " + host + ':' + QByteArray::number(port) +
                      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n";
    if (!origin.isEmpty())
        head += "Origin: " + origin + "\r\n";
    return head + "\r\n";
}

//! Opens `client` on the server's wss:// URL, trusting the test certificate.
bool openWss(TestClient &client, const ChildServer &server, const TestCertificate &certificate,
             int timeoutMs)
{
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.addCaCertificate(QSslCertificate::fromPath(certificate.certFile).value(0));
    client.socket()->setSslConfiguration(ssl);
    QUrl url = server.url();
    url.setScheme(QStringLiteral("wss"));
    return client.open(url, timeoutMs);
}

bool allDisconnected(const std::vector<std::unique_ptr<RawWsClient>> &clients)
{
    for (const auto &c : clients) {
        if (c->isConnected())
            return false;
    }
    return true;
}
} // namespace

class TestHostileConnections : public QObject
{
    Q_OBJECT

private slots:
    void unauthenticatedFragmentsAreRefused();
    void strangersMustLogInSoon();
    void healthAnswersWhenSlotsAreFull();
    void connectionsPerAddressAreCapped();
    void silentTlsConnectionsDoNotLockOthersOut();
    void tlsHandshakesCountAgainstTheConnectionLimit();
    void foreignOriginsAreRefused();
    void ipv6PeersCountByTheirSlash64();
};

void TestHostileConnections::unauthenticatedFragmentsAreRefused()
{
    ChildServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const qint64 rssBefore = server.rssKiB();
    std::vector<std::unique_ptr<RawWsClient>> clients;
    const QByteArray fragment(512 * 1024, 'x');
    for (int i = 0; i < 40; ++i) {
        auto c = std::make_unique<RawWsClient>();
        QVERIFY(c->open(server.port()));
        // 3 x 512 KiB of one text message, never finished.
        c->sendFrame(1, fragment, false);
        c->sendFrame(0, fragment, false);
        c->sendFrame(0, fragment, false);
        clients.push_back(std::move(c));
    }
    QVERIFY2(spinUntil([&] { return allDisconnected(clients); }, 20'000),
             "strangers sending big fragments were not closed");
    for (const auto &c : clients) {
        QVERIFY(c->closeCode().has_value());
        QCOMPARE(*c->closeCode(), 1009);
    }
    // Nothing of the 60 MiB sent was kept.
    const qint64 grownKiB = server.rssKiB() - rssBefore;
    if (kRssIsMeaningful)
        QVERIFY2(grownKiB < 16 * 1024, qPrintable(QStringLiteral("RSS grew %1 KiB").arg(grownKiB)));

    // A logged-in session still takes messages up to the contract's limits.
    auto client = connectClient(server.url());
    QVERIFY(client);
    TERN_VERIFY_ACK(client->registerUser(QStringLiteral("bigsender"), QStringLiteral("password1")));
    const LoginInfo login = client->login(QStringLiteral("bigsender"), QStringLiteral("password1"));
    QVERIFY(login.ok());
    TERN_VERIFY_ACK(client->sendMessage(login.userId, QString(30 * 1024, QLatin1Char('y'))));
}

void TestHostileConnections::strangersMustLogInSoon()
{
    ChildServer server;
    server.setExtraArgs({"--auth-timeout", "3"});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    // Strangers that send heartbeats (and pings) but never log in.
    std::vector<std::unique_ptr<RawWsClient>> strangers;
    for (int i = 0; i < 5; ++i) {
        auto c = std::make_unique<RawWsClient>();
        QVERIFY(c->open(server.port()));
        strangers.push_back(std::move(c));
    }
    QTimer beat;
    connect(&beat, &QTimer::timeout, this, [&] {
        for (auto &c : strangers) {
            if (c->isConnected()) {
                c->sendJson({{"type", "heartbeat"}});
                c->sendFrame(9, "ping");
            }
        }
    });
    beat.start(300);
    // A user who logs in in time stays.
    auto user = connectClient(server.url());
    QVERIFY(user);
    TERN_VERIFY_ACK(user->registerUser(QStringLiteral("intime"), QStringLiteral("password1")));
    QVERIFY(user->login(QStringLiteral("intime"), QStringLiteral("password1")).ok());

    QVERIFY2(spinUntil([&] { return allDisconnected(strangers); }, 15'000),
             "strangers were not closed");
    for (const auto &c : strangers) {
        QVERIFY(c->closeCode().has_value());
        QCOMPARE(*c->closeCode(), 1008);
    }
    QVERIFY(user->isConnected());
    TERN_VERIFY_ACK(user->request({{"type", "conversations"}}));
}

void TestHostileConnections::healthAnswersWhenSlotsAreFull()
{
    ChildServer server;
    server.setExtraArgs({"--max-connections", "10", "--auth-timeout", "5"});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    std::vector<std::unique_ptr<RawWsClient>> squatters;
    for (int i = 0; i < 10; ++i) {
        auto c = std::make_unique<RawWsClient>();
        QVERIFY(c->open(server.port()));
        squatters.push_back(std::move(c));
    }
    // Every WebSocket slot is taken: health still answers, a new WebSocket is told so.
    const QByteArray health = httpFrom(QHostAddress::LocalHost, server.port(), healthRequest());
    QVERIFY2(health.startsWith("HTTP/1.1 200 ") && health.contains("\"ok\""), health.constData());
    const QByteArray refused =
        httpFrom(QHostAddress::LocalHost, server.port(), upgradeRequest(server.port(), {}));
    QVERIFY2(refused.startsWith("HTTP/1.1 503 "), refused.constData());

    // The squatters are closed soon (they never logged in); then a real user gets in.
    QVERIFY2(spinUntil([&] { return allDisconnected(squatters); }, 15'000),
             "squatters were not closed");
    std::unique_ptr<TestClient> user;
    QVERIFY(spinUntil(
        [&] {
            user = connectClient(server.url());
            return user != nullptr;
        },
        10'000));
    TERN_VERIFY_ACK(user->registerUser(QStringLiteral("newcomer"), QStringLiteral("password1")));
}

void TestHostileConnections::connectionsPerAddressAreCapped()
{
    ChildServer server;
    server.setExtraArgs({"--limit-loopback", "--max-connections-per-address", "5"});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < 8; ++i) {
        auto s = tcpFrom(QHostAddress::LocalHost, server.port());
        QVERIFY(s);
        sockets.push_back(std::move(s));
    }
    auto stillOpen = [&] {
        int open = 0;
        for (auto &s : sockets) {
            s->readAll();
            open += s->state() == QAbstractSocket::ConnectedState ? 1 : 0;
        }
        return open;
    };
    // The three over the cap are dropped at once (well before any timeout).
    QVERIFY2(spinUntil([&] { return stillOpen() == 5; }, 3000),
             qPrintable(QString::number(stillOpen())));
    // Another address is not affected: health and a WebSocket session work from it.
    const QByteArray health = httpFrom(kOtherAddress, server.port(), healthRequest());
    QVERIFY2(health.startsWith("HTTP/1.1 200 "), health.constData());
    RawWsClient other;
    QVERIFY(other.socket()->bind(kOtherAddress, 0));
    QVERIFY(other.open(server.port()));
    // Slots come back when connections close.
    sockets.clear();
    std::unique_ptr<TestClient> again;
    QVERIFY(spinUntil(
        [&] {
            again = connectClient(server.url());
            return again != nullptr;
        },
        5000));
}

void TestHostileConnections::silentTlsConnectionsDoNotLockOthersOut()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    const TestCertificate certificate;
    QVERIFY2(certificate.ok(), qPrintable(certificate.error));
    const QString cert = certificate.certFile;
    const QString key = certificate.keyFile;

    ChildServer server;
    server.setExtraArgs({"--tls-cert", cert, "--tls-key", key, "--tls-handshake-timeout", "2",
                         "--max-connections-per-address", "300", "--limit-loopback"});
    QVERIFY2(server.start(), qPrintable(server.errorString()));

    // 1,030 TCP connections that never start TLS, from four addresses (300 allowed each):
    // more than the 1,024 pending connections the listener allows.
    std::vector<std::unique_ptr<QTcpSocket>> silent;
    for (int i = 0; i < 1030; ++i) {
        auto s = std::make_unique<QTcpSocket>();
        QVERIFY(s->bind(QHostAddress(QStringLiteral("127.0.1.%1").arg(1 + i % 4)), 0));
        s->connectToHost(QHostAddress::LocalHost, server.port());
        silent.push_back(std::move(s));
    }
    QVERIFY(spinUntil(
        [&] {
            for (auto &s : silent) {
                if (s->state() == QAbstractSocket::ConnectingState ||
                    s->state() == QAbstractSocket::HostLookupState)
                    return false;
            }
            return true;
        },
        20'000));
    // wss:// is still reachable from elsewhere, at once.
    TestClient client;
    QVERIFY2(openWss(client, server, certificate, 3000),
             "wss:// unreachable behind silent connections");
    TERN_VERIFY_ACK(client.registerUser(QStringLiteral("tlsuser"), QStringLiteral("password1")));

    // The silent ones are dropped after the handshake deadline; over the cap, at once.
    QVERIFY2(spinUntil(
                 [&] {
                     for (auto &s : silent) {
                         if (s->state() == QAbstractSocket::ConnectedState)
                             return false;
                     }
                     return true;
                 },
                 15'000),
             "silent TLS connections were kept");
    QVERIFY(client.isConnected());
}

void TestHostileConnections::tlsHandshakesCountAgainstTheConnectionLimit()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    const TestCertificate certificate;
    QVERIFY2(certificate.ok(), qPrintable(certificate.error));
    ChildServer server;
    server.setExtraArgs({"--tls-cert", certificate.certFile, "--tls-key", certificate.keyFile,
                         "--max-connections", "2"});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    // Two sessions and the 32 connections kept for plain HTTP: 34 in all, each counted from
    // accept. These never start TLS (loopback has no per-address cap without --limit-loopback).
    constexpr int kAll = 2 + 32;
    std::vector<std::unique_ptr<QTcpSocket>> silent;
    for (int i = 0; i < kAll; ++i) {
        silent.push_back(tcpFrom(QHostAddress::LocalHost, server.port()));
        QVERIFY(silent.back());
    }
    // One more is closed at once, well before the 10 s handshake deadline.
    std::unique_ptr<QTcpSocket> extra = tcpFrom(QHostAddress::LocalHost, server.port());
    QVERIFY(extra);
    QVERIFY2(spinUntil([&] { return extra->state() == QAbstractSocket::UnconnectedState; }, 5000),
             "a connection past the limit was kept while TLS handshakes held every place");
    for (const auto &s : silent)
        QCOMPARE(s->state(), QAbstractSocket::ConnectedState);
    TestClient refused;
    QVERIFY(!openWss(refused, server, certificate, 5000));

    // Once they go, a real client gets in.
    silent.clear();
    TestClient client;
    QVERIFY(spinUntil([&] { return openWss(client, server, certificate, 3000); }, 15'000));
    TERN_VERIFY_ACK(client.registerUser(QStringLiteral("patient"), QStringLiteral("password1")));
    QVERIFY(server.logTail().contains("connection limit reached"));
}

void TestHostileConnections::foreignOriginsAreRefused()
{
    ChildServer server;
    server.setExtraArgs({"--allowed-origins", "https://web.example:8443"});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const quint16 port = server.port();
    const QByteArray portText = QByteArray::number(port);
    auto status = [&](const QByteArray &origin, const QByteArray &host = "127.0.0.1") {
        return httpFrom(QHostAddress::LocalHost, port, upgradeRequest(port, origin, host)).left(12);
    };
    // The app sends no Origin (QWebSocket, as the app and the tests build it); one is listed.
    QCOMPARE(status({}), QByteArray("HTTP/1.1 101"));
    QVERIFY(connectClient(server.url()));
    QCOMPARE(status("https://web.example:8443"), QByteArray("HTTP/1.1 101"));
    // Any other web page is refused, even one whose Origin names the Host it asked for: after
    // DNS rebinding a hostile page's name points at this server and its requests say so in
    // both headers.
    QCOMPARE(status("https://evil.example"), QByteArray("HTTP/1.1 403"));
    QCOMPARE(status("http://127.0.0.1:" + portText), QByteArray("HTTP/1.1 403"));
    QCOMPARE(status("http://rebind.example:" + portText, "rebind.example"),
             QByteArray("HTTP/1.1 403"));
    QCOMPARE(status("http://127.0.0.1:1"), QByteArray("HTTP/1.1 403"));
    QCOMPARE(status("null"), QByteArray("HTTP/1.1 403"));
}

void TestHostileConnections::ipv6PeersCountByTheirSlash64()
{
    // One IPv6 host has a /64 to pick addresses from: counted per address, it had no limit.
    using tern::server::net::TcpListener;
    const QHostAddress a(QStringLiteral("2001:db8:1:2::1"));
    const QHostAddress b(QStringLiteral("2001:db8:1:2:ffff:ffff:ffff:fffe"));
    const QHostAddress other(QStringLiteral("2001:db8:1:3::1"));
    QCOMPARE(TcpListener::normalized(a), TcpListener::normalized(b));
    QVERIFY(TcpListener::normalized(a) != TcpListener::normalized(other));
    QCOMPARE(tern::server::auth::limitedAddressKey(a.toString()),
             tern::server::auth::limitedAddressKey(b.toString()));
    // IPv4, IPv4-mapped and loopback stay as they are.
    QCOMPARE(TcpListener::normalized(QHostAddress(QStringLiteral("::ffff:192.0.2.7"))),
             QHostAddress(QStringLiteral("192.0.2.7")));
    QCOMPARE(TcpListener::normalized(QHostAddress(QStringLiteral("192.0.2.8"))),
             QHostAddress(QStringLiteral("192.0.2.8")));
    QCOMPARE(TcpListener::normalized(QHostAddress::LocalHostIPv6),
             QHostAddress(QHostAddress::LocalHostIPv6));
}

QTEST_GUILESS_MAIN(TestHostileConnections)
#include "tst_hostileConnections.moc"
