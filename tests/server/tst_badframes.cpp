// Hostile and malformed frames: every bad frame gets the contract's error code, the connection
// survives what it should survive, 20 bad frames in a row close it with 1008, a frame over
// 2 MiB closes it with 1009, invalid UTF-8 with 1007, WebSocket protocol violations with 1002,
// and other users never notice. Also: session sockets send without Nagle's delay.

#include "tests/support/RawWsClient.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QDir>
#include <QJsonArray>
#include <QTcpSocket>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using namespace tern::test;

namespace {

enum class Frame { Text, Binary };

QByteArray nested(int depth)
{
    return "{\"type\":\"conversations\",\"id\":\"deep\",\"x\":" + QByteArray(depth, '[') +
           QByteArray(depth, ']') + "}";
}

//! The next error `client` gets: an id-less error event, or else the first reply after the
//! first `repliesBefore` ones. Empty on timeout.
QJsonObject nextError(TestClient *client, int repliesBefore, int timeoutMs = 10'000)
{
    spinUntil(
        [&] {
            return client->eventCount(QStringLiteral("error")) > 0 ||
                   client->totalReplies() > repliesBefore || client->wasDisconnected();
        },
        timeoutMs);
    if (const auto event = client->waitForEvent(QStringLiteral("error"), 0))
        return *event;
    return client->allReplies().value(repliesBefore);
}

} // namespace

class TestBadFrames : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void badFrame_data();
    void badFrame();
    void oversizeFrameKeepsConnection();
    void limitsAreInclusive();
    void badFramesInARowClose();
    void goodRequestResetsBadFrameCount();
    void acceptedMessageResetsBadFrameCount();
    void hugeFrameCloses1009();
    void invalidUtf8Closes1007();
    void otherClientsUnaffected();
    void pingIsAnsweredWithPong();
    void sessionsSendWithoutNagle();
    void protocolViolationsClose1002_data();
    void protocolViolationsClose1002();
    void upgradeWithWrongVersionGets426();
    void frameInTheUpgradeWriteIsServed();

private:
    //! A new connection authenticated as m_user, with auto-heartbeat off.
    std::unique_ptr<TestClient> authenticated();

    ServerFixture m_server;
    TestUser m_user;
    TestUser m_peer;
    QString m_token;
    QString m_conversation; // m_user's saved-messages conversation
};

void TestBadFrames::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_user = createUser(m_server.url(), QStringLiteral("frames"));
    m_peer = createUser(m_server.url(), QStringLiteral("peer"));
    QVERIFY(m_user.ok() && m_peer.ok());
    Device device = loginDevice(m_server.url(), m_user, QStringLiteral("main"));
    QVERIFY(device.ok());
    m_token = device.token();
    const QJsonObject ack = device->sendMessage(m_user.userId, QStringLiteral("note"));
    TERN_VERIFY_ACK(ack);
    m_conversation = ack.value(QStringLiteral("conversation")).toString();
}

void TestBadFrames::cleanupTestCase()
{
    m_server.stop();
}

std::unique_ptr<TestClient> TestBadFrames::authenticated()
{
    auto client = connectClient(m_server.url());
    if (!client)
        return nullptr;
    client->setAutoHeartbeat(false);
    const QJsonObject reply = client->auth(m_token);
    if (!isAck(reply)) {
        qWarning("auth failed: %s", qPrintable(toJson(reply)));
        return nullptr;
    }
    return client;
}

void TestBadFrames::badFrame_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("replyId"); // "" = the error must carry no id; "*" = don't care

    const int text = int(Frame::Text);
    auto row = [&](const char *name, const QByteArray &frame, const char *code, const char *id) {
        QTest::newRow(name) << text << frame << QString::fromLatin1(code)
                            << QString::fromLatin1(id);
    };
    QTest::newRow("binary frame") << int(Frame::Binary)
                                  << QByteArray("{\"type\":\"conversations\",\"id\":\"b1\"}")
                                  << QStringLiteral("bad_frame") << QStringLiteral("*");
    row("not json", "not json", "bad_frame", "");
    row("array", "[1,2]", "bad_frame", "");
    row("number", "42", "bad_frame", "");
    row("string", "\"s\"", "bad_frame", "");
    row("null", "null", "bad_frame", "");
    row("empty", "", "bad_frame", "");
    row("truncated", "{\"type\":\"conversations\",\"id\":\"t1\"", "bad_frame", "");
    row("trailing garbage", "{\"type\":\"conversations\",\"id\":\"t2\"} x", "bad_frame", "");
    row("nesting 10000", nested(10'000), "bad_frame", "*");
    row("nesting 20", nested(20), "bad_frame", "*");
    row("unclosed 10000", QByteArray(10'000, '['), "bad_frame", "");
    row("missing type", "{\"id\":\"m1\"}", "bad_request", "m1");
    row("type not a string", "{\"type\":7,\"id\":\"m2\"}", "bad_request", "m2");
    row("unknown type", "{\"type\":\"frobnicate\",\"id\":\"u1\"}", "unknown_type", "u1");
    row("missing id", "{\"type\":\"conversations\"}", "bad_request", "");
    row("empty id", "{\"type\":\"conversations\",\"id\":\"\"}", "bad_request", "");
    row("numeric id", "{\"type\":\"conversations\",\"id\":5}", "bad_request", "");
    row("id of 65 chars", "{\"type\":\"conversations\",\"id\":\"" + QByteArray(65, 'i') + "\"}",
        "bad_request", "");
    row("id with control char", "{\"type\":\"conversations\",\"id\":\"a\\u0001b\"}", "bad_request",
        "");

    // Numbers out of range (the conversation exists, so only the number is wrong).
    const QByteArray history = "{\"type\":\"history\",\"id\":\"h\",\"conversation\":\"CONV\",";
    row("before_seq 1e300", history + "\"before_seq\":1e300}", "bad_request", "h");
    row("before_seq -1", history + "\"before_seq\":-1}", "bad_request", "h");
    row("before_seq 1.5", history + "\"before_seq\":1.5}", "bad_request", "h");
    row("before_seq 2^53+2", history + "\"before_seq\":9007199254740994}", "bad_request", "h");
    row("before_seq string", history + "\"before_seq\":\"5\"}", "bad_request", "h");
    row("limit 1e300", history + "\"limit\":1e300}", "bad_request", "h");
    row("delivery seq -1",
        "{\"type\":\"delivery\",\"id\":\"d\",\"conversation\":\"CONV\",\"seq\":-1}", "bad_request",
        "d");
    row("delivery seq 1e300",
        "{\"type\":\"delivery\",\"id\":\"d\",\"conversation\":\"CONV\",\"seq\":1e300}",
        "bad_request", "d");
    row("read seq 1.5", "{\"type\":\"read\",\"id\":\"r\",\"conversation\":\"CONV\",\"seq\":1.5}",
        "bad_request", "r");
    row("message ts 1e300",
        "{\"type\":\"message\",\"id\":\"mt\",\"to\":\"CONV\",\"kind\":\"text\",\"content\":\"x\","
        "\"ts\":1e300}",
        "bad_request", "mt");
    QByteArray manyIds = "{\"type\":\"read\",\"id\":\"ids\",\"message_ids\":[";
    for (int i = 0; i < 1001; ++i)
        manyIds += (i ? ",\"" : "\"") + QByteArray::number(i) + "\"";
    row("1001 message ids", manyIds + "]}", "bad_request", "ids");
    row("content 33 KiB",
        "{\"type\":\"message\",\"id\":\"big\",\"to\":\"CONV\",\"kind\":\"text\",\"content\":\"" +
            QByteArray(33 * 1024, 'x') + "\"}",
        "too_large", "big");
    row("content 33 KiB multibyte",
        "{\"type\":\"message\",\"id\":\"big2\",\"to\":\"CONV\",\"kind\":\"text\",\"content\":\"" +
            QString(11 * 1024 + 1, QChar(0x20AC)).toUtf8() + "\"}",
        "too_large", "big2");
}

void TestBadFrames::badFrame()
{
    QFETCH(int, kind);
    QFETCH(QByteArray, frame);
    QFETCH(QString, code);
    QFETCH(QString, replyId);
    frame.replace("CONV", m_conversation.toUtf8());

    auto client = authenticated();
    QVERIFY(client);
    const int before = client->totalReplies();
    if (Frame(kind) == Frame::Binary)
        client->sendBinary(frame);
    else
        client->sendRaw(frame);

    const bool specificId = !replyId.isEmpty() && replyId != QStringLiteral("*");
    const QJsonObject error = nextError(client.get(), before);
    QVERIFY2(!error.isEmpty(), "no error within 10 s");
    TERN_VERIFY_ERROR(error, code);
    if (specificId)
        QCOMPARE(error.value(QStringLiteral("id")).toString(), replyId);
    QVERIFY(client->barrier()); // a second reply would be a bug: it would be in by now
    // Exactly one error: the one taken above (an id-less one was popped from the queue); the
    // barrier's ack is the other reply.
    QCOMPARE(client->totalReplies() - before - 1 + client->eventCount(QStringLiteral("error")),
             error.contains(QStringLiteral("id")) ? 1 : 0);
    if (replyId.isEmpty())
        QVERIFY2(!error.contains(QStringLiteral("id")), qPrintable(toJson(error)));
    QVERIFY(!error.value(QStringLiteral("message")).toString().isEmpty());

    // The connection stays open and usable.
    QVERIFY(client->isConnected());
    TERN_VERIFY_ACK(client->request({{"type", "conversations"}}));
}

void TestBadFrames::oversizeFrameKeepsConnection()
{
    auto client = authenticated();
    QVERIFY(client);
    // 70 KiB frame (over 64 KiB, under 2 MiB): too_large, and the connection stays open.
    const QByteArray frame = "{\"type\":\"message\",\"id\":\"huge\",\"to\":\"" +
                             m_conversation.toUtf8() + "\",\"kind\":\"text\",\"content\":\"" +
                             QByteArray(70 * 1024, 'x') + "\"}";
    const int before = client->totalReplies();
    client->sendRaw(frame);
    const QJsonObject error = nextError(client.get(), before);
    TERN_VERIFY_ERROR(error, "too_large");
    QVERIFY(client->isConnected());
    // The following valid request works; nothing was stored.
    const QJsonObject history =
        client->request({{"type", "history"}, {"conversation", m_conversation}});
    TERN_VERIFY_ACK(history);
    for (const QJsonValue &m : history.value(QStringLiteral("messages")).toArray())
        QVERIFY(m.toObject().value(QStringLiteral("id")).toString() != QStringLiteral("huge"));
    // 1 MiB is still answered, not closed.
    client->sendRaw(QByteArray(1024 * 1024, ' ') + "{}");
    const auto second = client->waitForEvent(QStringLiteral("error"));
    QVERIFY(second);
    TERN_VERIFY_ERROR(*second, "too_large");
    TERN_VERIFY_ACK(client->request({{"type", "conversations"}}));
}

void TestBadFrames::limitsAreInclusive()
{
    auto client = authenticated();
    QVERIFY(client);
    // Content of exactly 32 KiB is fine.
    const QJsonObject ack =
        client->sendMessage(m_conversation, QString(32 * 1024, QLatin1Char('y')));
    TERN_VERIFY_ACK(ack);

    // A frame of exactly 64 KiB (padded with an unknown field, which is ignored) is fine; one
    // byte more is too_large.
    auto frameOfSize = [&](qsizetype size, const QString &id) {
        const QByteArray head = "{\"type\":\"message\",\"id\":\"" + id.toUtf8() + "\",\"to\":\"" +
                                m_conversation.toUtf8() +
                                "\",\"kind\":\"text\",\"content\":\"pad\",\"padding\":\"";
        const QByteArray tail = "\"}";
        return head + QByteArray(size - head.size() - tail.size(), 'p') + tail;
    };
    const QByteArray exact = frameOfSize(64 * 1024, QStringLiteral("exact"));
    QCOMPARE(exact.size(), 64 * 1024);
    client->sendRaw(exact);
    const auto exactReply = client->waitForReply(QStringLiteral("exact"));
    QVERIFY2(exactReply, "no reply to a 64 KiB frame");
    TERN_VERIFY_ACK(*exactReply);

    const int before = client->totalReplies();
    client->sendRaw(frameOfSize(64 * 1024 + 1, QStringLiteral("over")));
    const QJsonObject error = nextError(client.get(), before);
    TERN_VERIFY_ERROR(error, "too_large");
}

void TestBadFrames::badFramesInARowClose()
{
    auto client = authenticated();
    QVERIFY(client);
    // A mix of every bad kind: bad_frame, bad_request, unknown_type, too_large.
    for (int i = 0; i < 20; ++i) {
        switch (i % 4) {
        case 0:
            client->sendRaw(QByteArrayLiteral("not json"));
            break;
        case 1:
            client->sendRaw(QByteArrayLiteral("{\"type\":\"conversations\"}"));
            break;
        case 2:
            client->sendRaw(QStringLiteral("{\"type\":\"nope\",\"id\":\"n%1\"}").arg(i));
            break;
        default:
            client->sendRaw(QByteArray(65 * 1024, ' ') + "{}");
            break;
        }
    }
    QVERIFY2(client->waitForDisconnected(10'000), "server did not close after 20 bad frames");
    QCOMPARE(client->closeCode(), 1008);
    // Errors were sent for the bad frames before the close (at least 19 of them).
    QVERIFY(client->eventCount(QStringLiteral("error")) + client->totalReplies() >= 19);
}

void TestBadFrames::goodRequestResetsBadFrameCount()
{
    auto client = authenticated();
    QVERIFY(client);
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 19; ++i)
            client->sendRaw(QByteArrayLiteral("[]"));
        TERN_VERIFY_ACK(client->request({{"type", "conversations"}}));
        QVERIFY(client->isConnected());
    }
    // Notifications without id count as accepted requests too (heartbeat).
    for (int i = 0; i < 19; ++i)
        client->sendRaw(QByteArrayLiteral("[]"));
    client->sendRaw(QByteArrayLiteral("{\"type\":\"heartbeat\"}"));
    for (int i = 0; i < 19; ++i)
        client->sendRaw(QByteArrayLiteral("[]"));
    TERN_VERIFY_ACK(client->request({{"type", "conversations"}}));
    QVERIFY(client->isConnected());
    QCOMPARE(client->eventCount(QStringLiteral("error")), 4 * 19 + 19);
}

void TestBadFrames::acceptedMessageResetsBadFrameCount()
{
    // A send's ack is written by its own encoder (encodeReply<SendAck>); it must reset the
    // count like every other successful reply.
    auto client = authenticated();
    QVERIFY(client);
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 19; ++i)
            client->sendRaw(QByteArrayLiteral("[]"));
        TERN_VERIFY_ACK(client->sendMessage(m_peer.userId, QStringLiteral("still here")));
        QVERIFY(client->isConnected());
    }
    QCOMPARE(client->eventCount(QStringLiteral("error")), 3 * 19);
}

void TestBadFrames::hugeFrameCloses1009()
{
    auto client = authenticated();
    QVERIFY(client);
    client->sendRaw(QByteArray(2 * 1024 * 1024 + 1024, 'x'));
    QVERIFY2(client->waitForDisconnected(15'000), "server did not close on a > 2 MiB frame");
    QCOMPARE(client->closeCode(), 1009);
    // The server is fine.
    auto next = authenticated();
    QVERIFY(next);
    TERN_VERIFY_ACK(next->request({{"type", "conversations"}}));
}

void TestBadFrames::invalidUtf8Closes1007()
{
    RawWsClient raw;
    QVERIFY(raw.open(m_server.port()));
    raw.sendText(QByteArray("{\"type\":\"heartbeat\",\"x\":\"\xff\xfe\"}"));
    QVERIFY2(raw.waitForDisconnected(10'000), "server did not close on invalid UTF-8");
    QVERIFY2(raw.closeCode().has_value(), "no close frame");
    QCOMPARE(*raw.closeCode(), 1007);
}

void TestBadFrames::otherClientsUnaffected()
{
    Device alice = loginDevice(m_server.url(), m_user, QStringLiteral("alice"));
    Device bob = loginDevice(m_server.url(), m_peer, QStringLiteral("bob"));
    QVERIFY(alice.ok() && bob.ok());

    const QList<QByteArray> garbage{
        "not json",
        "[[[[",
        "{\"type\":\"nope\",\"id\":\"g\"}",
        "{\"type\":\"history\",\"id\":\"g\",\"conversation\":\"c\",\"before_seq\":-1}",
        QByteArray(70 * 1024, '{'),
        nested(5000),
    };
    std::unique_ptr<TestClient> vandal = authenticated();
    QVERIFY(vandal);
    int reconnects = 0;
    int sentGarbage = 0;
    QStringList ids;
    for (int i = 0; i < 50; ++i) {
        // The vandal sends a handful of bad frames, reconnecting when thrown out.
        if (!vandal || vandal->wasDisconnected()) {
            vandal = authenticated();
            QVERIFY(vandal);
            ++reconnects;
        }
        for (int k = 0; k < 5; ++k, ++sentGarbage)
            vandal->sendRaw(garbage.at(sentGarbage % garbage.size()));
        if (i % 10 == 9)
            vandal->sendBinary(QByteArray(100, '\0'));
        // Meanwhile alice and bob chat.
        ids << alice->post(
            TestClient::messageObject(m_peer.userId, QStringLiteral("hi %1").arg(i)));
        if (i % 5 == 0)
            QVERIFY(alice->waitForReplies(ids, 10'000));
    }
    QVERIFY(alice->waitForReplies(ids, 30'000));
    qint64 previous = 0;
    for (const QString &id : std::as_const(ids)) {
        const QJsonObject ack = *alice->reply(id);
        TERN_VERIFY_ACK(ack);
        QVERIFY(intField(ack, QStringLiteral("seq")) > previous);
        previous = intField(ack, QStringLiteral("seq"));
    }
    QVERIFY(bob->waitForEventCount(QStringLiteral("message"), 50, 30'000));
    QVERIFY(bob->barrier()); // all 50 were acked: an extra event would be in by now
    const QList<QJsonObject> events = bob->takeEvents(QStringLiteral("message"));
    QStringList received;
    for (const QJsonObject &event : events)
        received << QStringLiteral("%1:%2")
                        .arg(intField(event, QStringLiteral("seq")))
                        .arg(event.value(QStringLiteral("content")).toString());
    QStringList expected;
    for (const QString &id : std::as_const(ids))
        expected << QStringLiteral("%1:hi %2")
                        .arg(intField(*alice->reply(id), QStringLiteral("seq")))
                        .arg(expected.size());
    QVERIFY2(received == expected, qPrintable(QStringLiteral("bob received %1 message events: %2")
                                                  .arg(received.size())
                                                  .arg(received.join(QStringLiteral(", ")))));
    TERN_VERIFY_ACK(bob->sendMessage(m_user.userId, QStringLiteral("all good")));
    QVERIFY(alice->waitForEvent(QStringLiteral("message")));
    qInfo("vandal sent %d bad frames over %d reconnects", sentGarbage, reconnects);
}

void TestBadFrames::pingIsAnsweredWithPong()
{
    RawWsClient raw;
    QVERIFY(raw.open(m_server.port()));
    raw.sendFrame(9, "are you there");
    const std::optional<RawWsClient::Frame> pong = raw.readFrame(10);
    QVERIFY2(pong, "no pong");
    QCOMPARE(pong->payload, QByteArray("are you there"));
    QVERIFY(raw.isConnected());
}

void TestBadFrames::sessionsSendWithoutNagle()
{
    // A receiver that only reads delays its ACKs (up to 40 ms on Linux); with Nagle on, each
    // small frame sent while an earlier one was unacknowledged waited for that ACK: the 1:1
    // bench's p99.9 was 35 ms even at 1,000 msg/s. The server runs in this process, so its
    // side of the connection is one of our descriptors.
    RawWsClient raw;
    QVERIFY(raw.open(m_server.port()));
    raw.sendFrame(9, "warm");
    QVERIFY(raw.readFrame(10)); // the server has taken the socket over by now
    int serverSides = 0;
    const QStringList fds = QDir(QStringLiteral("/proc/self/fd"))
                                .entryList(QDir::NoDotAndDotDot | QDir::System | QDir::Files);
    for (const QString &name : fds) {
        const int fd = name.toInt();
        sockaddr_in local{};
        sockaddr_in peer{};
        socklen_t localSize = sizeof local;
        socklen_t peerSize = sizeof peer;
        if (::getsockname(fd, reinterpret_cast<sockaddr *>(&local), &localSize) != 0 ||
            local.sin_family != AF_INET || ntohs(local.sin_port) != m_server.port() ||
            ::getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &peerSize) != 0)
            continue; // not a session socket of the server (listener, client side, files)
        int noDelay = 0;
        socklen_t size = sizeof noDelay;
        QVERIFY(::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &noDelay, &size) == 0);
        QVERIFY2(noDelay != 0, qPrintable(QStringLiteral("fd %1 has Nagle on").arg(fd)));
        ++serverSides;
    }
    QVERIFY(serverSides >= 1);
}

void TestBadFrames::protocolViolationsClose1002_data()
{
    QTest::addColumn<int>("opcode");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("fin");
    QTest::addColumn<QByteArray>("unmasked");
    QTest::newRow("opcode 3") << 3 << QByteArray("x") << true << QByteArray();
    QTest::newRow("fragmented ping") << 9 << QByteArray("x") << false << QByteArray();
    QTest::newRow("lone continuation") << 0 << QByteArray("x") << true << QByteArray();
    QTest::newRow("unmasked text") << 0 << QByteArray() << true << QByteArray("\x81\x02{}");
}

void TestBadFrames::protocolViolationsClose1002()
{
    QFETCH(int, opcode);
    QFETCH(QByteArray, payload);
    QFETCH(bool, fin);
    QFETCH(QByteArray, unmasked);
    RawWsClient raw;
    QVERIFY(raw.open(m_server.port()));
    if (unmasked.isEmpty())
        raw.sendFrame(opcode, payload, fin);
    else
        raw.socket()->write(unmasked);
    QVERIFY2(raw.waitForDisconnected(10'000), "server did not close on a protocol violation");
    QVERIFY2(raw.closeCode().has_value(), "no close frame");
    QCOMPARE(*raw.closeCode(), 1002);
    auto next = authenticated();
    QVERIFY(next);
    TERN_VERIFY_ACK(next->request({{"type", "conversations"}}));
}

void TestBadFrames::upgradeWithWrongVersionGets426()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 "Sec-WebSocket-Version: 8\r\n\r\n");
    QByteArray response;
    QVERIFY(spinUntil(
        [&] {
            response += socket.readAll();
            return response.contains("}") || socket.state() == QAbstractSocket::UnconnectedState;
        },
        10'000));
    QVERIFY2(response.startsWith("HTTP/1.1 426 "), response.constData());
    QVERIFY(response.contains("\r\nSec-WebSocket-Version: 13\r\n"));
    QVERIFY(response.contains("\"code\""));
}

void TestBadFrames::frameInTheUpgradeWriteIsServed()
{
    // A client may send its first frame right behind the upgrade request, in one TCP segment.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server.port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray json = "{\"type\":\"conversations\",\"id\":\"early-bird\"}";
    QByteArray frame;
    frame.append(char(0x81));
    frame.append(char(0x80 | json.size()));
    const QByteArray key("\x01\x02\x03\x04", 4);
    frame += key;
    for (qsizetype i = 0; i < json.size(); ++i)
        frame.append(char(json.at(i) ^ key.at(i % 4)));
    socket.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 "Sec-WebSocket-Version: 13\r\n\r\n" +
                 frame);
    QByteArray response;
    QVERIFY2(spinUntil(
                 [&] {
                     response += socket.readAll();
                     return response.contains("early-bird");
                 },
                 10'000),
             response.constData());
    QVERIFY(response.startsWith("HTTP/1.1 101 "));
    QVERIFY(response.contains("unauthenticated"));
}

QTEST_GUILESS_MAIN(TestBadFrames)
#include "tst_badframes.moc"
