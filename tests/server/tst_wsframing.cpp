// ternd's own WebSocket layer, byte by byte: the frame parser (masking, lengths, fragmentation,
// control frames, limits, UTF-8), server frame encoding, and the upgrade handshake.

#include "server/http/WsHandshake.h"
#include "server/net/WsFrame.h"
#include "server/net/WsFrameParser.h"

#include <QtEndian>
#include <QtTest>

using namespace tern::server;
using namespace tern::server::net::ws;

namespace {
constexpr qsizetype kMax = 1000;

//! A client frame as RFC 6455 wants it: masked, with the shortest length encoding.
QByteArray clientFrame(int opcode, const QByteArray &payload, bool fin = true, bool mask = true,
                       quint8 extraBits = 0)
{
    QByteArray frame;
    frame.append(char((fin ? 0x80 : 0) | extraBits | (opcode & 0x0F)));
    const char maskBit = mask ? char(0x80) : char(0);
    if (payload.size() < 126) {
        frame.append(char(maskBit | char(payload.size())));
    } else if (payload.size() <= 0xFFFF) {
        frame.append(char(maskBit | 126));
        char length[2];
        qToBigEndian(quint16(payload.size()), length);
        frame.append(length, 2);
    } else {
        frame.append(char(maskBit | 127));
        char length[8];
        qToBigEndian(quint64(payload.size()), length);
        frame.append(length, 8);
    }
    if (!mask)
        return frame + payload;
    const QByteArray key("\x12\x34\xAB\xCD", 4);
    frame += key;
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload.at(i) ^ key.at(i % 4)));
    return frame;
}

QByteArray closePayload(quint16 code, const QByteArray &reason = {})
{
    char bytes[2];
    qToBigEndian(code, bytes);
    return QByteArray(bytes, 2) + reason;
}

QList<WsEvent> drain(WsFrameParser &parser)
{
    QList<WsEvent> events;
    while (std::optional<WsEvent> event = parser.next())
        events.append(std::move(*event));
    return events;
}

QList<WsEvent> parseAll(const QByteArray &bytes, qsizetype max = kMax)
{
    WsFrameParser parser(max);
    parser.append(bytes);
    return drain(parser);
}
} // namespace

class TestWsFraming : public QObject
{
    Q_OBJECT

private slots:
    void textFrame();
    void byteAtATime();
    void severalFramesInOneRead();
    void lengthEncodings_data();
    void lengthEncodings();
    void fragmentedMessageWithPingBetween();
    void closeFrames();
    void violations_data();
    void violations();
    void limitIsInclusive();
    void tooLargeIsDroppedButCloseStillSeen();
    void loweredLimitAppliesToAMessageInProgress();
    void handshakeOrigins();
    void invalidUtf8ThenClose();
    void idleParserHoldsNothing();
    void serverFrameHeaders_data();
    void serverFrameHeaders();
    void closeReasonCutOnCharacterBoundary();
    void handshakeAcceptKey();
    void handshakeRefusals();
};

void TestWsFraming::textFrame()
{
    const QList<WsEvent> events = parseAll(clientFrame(Text, "{\"type\":\"heartbeat\"}"));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].kind, WsEvent::Text);
    QCOMPARE(events[0].payload, QByteArray("{\"type\":\"heartbeat\"}"));
}

void TestWsFraming::byteAtATime()
{
    const QByteArray frame = clientFrame(Text, QByteArray(300, 'a'));
    WsFrameParser parser(kMax);
    for (qsizetype i = 0; i + 1 < frame.size(); ++i) {
        parser.append(frame.mid(i, 1));
        QVERIFY2(!parser.next(), qPrintable(QString::number(i)));
    }
    parser.append(frame.right(1));
    const std::optional<WsEvent> event = parser.next();
    QVERIFY(event);
    QCOMPARE(event->kind, WsEvent::Text);
    QCOMPARE(event->payload, QByteArray(300, 'a'));
    QVERIFY(!parser.next());
}

void TestWsFraming::severalFramesInOneRead()
{
    const QList<WsEvent> events =
        parseAll(clientFrame(Text, "one") + clientFrame(Ping, "p") + clientFrame(Binary, "\x01") +
                 clientFrame(Text, "two") + clientFrame(Pong, ""));
    QCOMPARE(events.size(), 5);
    QCOMPARE(events[0].payload, QByteArray("one"));
    QCOMPARE(events[1].kind, WsEvent::Ping);
    QCOMPARE(events[1].payload, QByteArray("p"));
    QCOMPARE(events[2].kind, WsEvent::Binary);
    QCOMPARE(events[3].payload, QByteArray("two"));
    QCOMPARE(events[4].kind, WsEvent::Pong);
}

void TestWsFraming::lengthEncodings_data()
{
    QTest::addColumn<int>("size");
    for (int size : {0, 1, 125, 126, 127, 65535, 65536, 70000})
        QTest::addRow("%d", size) << size;
}

void TestWsFraming::lengthEncodings()
{
    QFETCH(int, size);
    QByteArray payload(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        payload[i] = char('a' + i % 26);
    const QList<WsEvent> events = parseAll(clientFrame(Text, payload), 100'000);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].kind, WsEvent::Text);
    QCOMPARE(events[0].payload, payload);
}

void TestWsFraming::fragmentedMessageWithPingBetween()
{
    const QList<WsEvent> events =
        parseAll(clientFrame(Text, "ab", false) + clientFrame(Ping, "p") +
                 clientFrame(Continuation, "", false) + clientFrame(Continuation, "cd"));
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[0].kind, WsEvent::Ping);
    QCOMPARE(events[1].kind, WsEvent::Text);
    QCOMPARE(events[1].payload, QByteArray("abcd"));
}

void TestWsFraming::closeFrames()
{
    QList<WsEvent> events = parseAll(clientFrame(Close, closePayload(1000, "bye")));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].kind, WsEvent::Close);
    QCOMPARE(events[0].closeCode, quint16(1000));
    QCOMPARE(events[0].payload, QByteArray("bye"));

    events = parseAll(clientFrame(Close, {}));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].closeCode, quint16(CloseNoStatus));

    events = parseAll(clientFrame(Close, closePayload(4000)));
    QCOMPARE(events[0].closeCode, quint16(4000));
}

void TestWsFraming::violations_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("code");
    QTest::newRow("unmasked") << clientFrame(Text, "x", true, false) << 1002;
    QTest::newRow("reserved bit") << clientFrame(Text, "x", true, true, 0x40) << 1002;
    QTest::newRow("opcode 3") << clientFrame(3, "x") << 1002;
    QTest::newRow("opcode 11") << clientFrame(11, "x") << 1002;
    QTest::newRow("fragmented ping") << clientFrame(Ping, "x", false) << 1002;
    QTest::newRow("long ping") << clientFrame(Ping, QByteArray(126, 'x')) << 1002;
    QTest::newRow("lone continuation") << clientFrame(Continuation, "x") << 1002;
    QTest::newRow("text inside fragmented text")
        << clientFrame(Text, "a", false) + clientFrame(Text, "b") << 1002;
    QTest::newRow("close of one byte") << clientFrame(Close, "\x03") << 1002;
    QTest::newRow("close code 1005") << clientFrame(Close, closePayload(1005)) << 1002;
    QTest::newRow("close code 999") << clientFrame(Close, closePayload(999)) << 1002;
    QTest::newRow("close reason not UTF-8")
        << clientFrame(Close, closePayload(1000, "\xff")) << 1007;
    QTest::newRow("invalid UTF-8") << clientFrame(Text, "a\xc3(") << 1007;
    QTest::newRow("UTF-8 split over fragments stays valid only whole")
        << clientFrame(Text, "\xc3", false) + clientFrame(Continuation, "x") << 1007;
    QTest::newRow("too large") << clientFrame(Text, QByteArray(kMax + 1, 'x')) << 1009;
    QTest::newRow("too large in fragments") << clientFrame(Binary, QByteArray(600, 'x'), false) +
                                                   clientFrame(Continuation, QByteArray(401, 'x'))
                                            << 1009;
    QByteArray hugeLength("\x81\xFF\x80\0\0\0\0\0\0\0", 10);
    QTest::newRow("64-bit length with the top bit") << hugeLength + "abcd" << 1002;
}

void TestWsFraming::violations()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, code);
    // Whatever precedes the violation is still delivered; nothing after it is.
    const QList<WsEvent> events =
        parseAll(clientFrame(Text, "ok") + bytes + clientFrame(Text, "x"));
    QVERIFY(events.size() >= 2);
    QCOMPARE(events[0].payload, QByteArray("ok"));
    QCOMPARE(events[1].kind, WsEvent::Failure);
    QCOMPARE(int(events[1].closeCode), code);
    QVERIFY(!events[1].failure.isEmpty());
    for (qsizetype i = 2; i < events.size(); ++i)
        QVERIFY(events[i].kind != WsEvent::Text && events[i].kind != WsEvent::Binary);
}

void TestWsFraming::limitIsInclusive()
{
    QList<WsEvent> events = parseAll(clientFrame(Text, QByteArray(kMax, 'x')));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].kind, WsEvent::Text);
    events = parseAll(clientFrame(Text, QByteArray(500, 'x'), false) +
                      clientFrame(Continuation, QByteArray(500, 'y')));
    QCOMPARE(events.size(), 1);
    QCOMPARE(events[0].payload.size(), kMax);
}

void TestWsFraming::tooLargeIsDroppedButCloseStillSeen()
{
    // The refusal comes from the header alone; the payload is skipped, not buffered, and the
    // peer's close handshake after it is still understood.
    WsFrameParser parser(kMax);
    const QByteArray big = clientFrame(Text, QByteArray(50'000, 'x'));
    parser.append(big.left(20));
    std::optional<WsEvent> event = parser.next();
    QVERIFY(event);
    QCOMPARE(event->kind, WsEvent::Failure);
    QCOMPARE(event->closeCode, quint16(CloseTooMuchData));
    QVERIFY(!parser.next());
    parser.append(big.mid(20));
    QVERIFY(!parser.next());
    QVERIFY(parser.bufferedBytes() < 100);
    parser.append(clientFrame(Text, "ignored") + clientFrame(Close, closePayload(1009)));
    event = parser.next();
    QVERIFY(event);
    QCOMPARE(event->kind, WsEvent::Close);
    QCOMPARE(event->closeCode, quint16(1009));
}

void TestWsFraming::loweredLimitAppliesToAMessageInProgress()
{
    // The server lowers the bound for strangers; a fragmented message already past the new
    // bound must fail at its next fragment, not slip through an unsigned wrap-around.
    WsFrameParser parser(kMax);
    parser.append(clientFrame(Text, QByteArray(800, 'x'), false));
    QVERIFY(!parser.next());
    parser.setMaxMessageBytes(100);
    parser.append(clientFrame(Continuation, QByteArray(10, 'y'), false));
    std::optional<WsEvent> event = parser.next();
    QVERIFY(event);
    QCOMPARE(event->kind, WsEvent::Failure);
    QCOMPARE(event->closeCode, quint16(CloseTooMuchData));
    QVERIFY(parser.bufferedBytes() < 100);
    // Raised again, whole messages up to the bound pass.
    WsFrameParser raised(100);
    raised.setMaxMessageBytes(kMax);
    const QList<WsEvent> events = drain(raised);
    QVERIFY(events.isEmpty());
    raised.append(clientFrame(Text, QByteArray(kMax, 'z')));
    event = raised.next();
    QVERIFY(event);
    QCOMPARE(event->kind, WsEvent::Text);
}

void TestWsFraming::invalidUtf8ThenClose()
{
    const QList<WsEvent> events = parseAll(clientFrame(Text, "\xff") + clientFrame(Text, "later") +
                                           clientFrame(Close, closePayload(1007)));
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[0].closeCode, quint16(CloseWrongDatatype));
    QCOMPARE(events[1].kind, WsEvent::Close);
}

void TestWsFraming::idleParserHoldsNothing()
{
    WsFrameParser parser(kMax);
    const QByteArray two = clientFrame(Text, "a") + clientFrame(Text, "bcd");
    parser.append(two.left(two.size() - 2));
    QCOMPARE(drain(parser).size(), 1);
    QVERIFY(parser.bufferedBytes() > 0);
    parser.append(two.right(2));
    QCOMPARE(drain(parser).size(), 1);
    QCOMPARE(parser.bufferedBytes(), 0);
}

void TestWsFraming::serverFrameHeaders_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("headerBytes");
    QTest::newRow("0") << 0 << 2;
    QTest::newRow("125") << 125 << 2;
    QTest::newRow("126") << 126 << 4;
    QTest::newRow("65535") << 65535 << 4;
    QTest::newRow("65536") << 65536 << 10;
}

void TestWsFraming::serverFrameHeaders()
{
    QFETCH(int, size);
    QFETCH(int, headerBytes);
    const QByteArray frame = encodeFrame(Text, QByteArray(size, 'z'));
    QCOMPARE(frame.size(), qsizetype(headerBytes + size));
    QCOMPARE(quint8(frame[0]), quint8(0x81)); // final text frame
    QCOMPARE(quint8(frame[1]) & 0x80, 0);     // servers never mask
    quint64 length = quint8(frame[1]) & 0x7F;
    if (headerBytes == 4)
        length = qFromBigEndian<quint16>(frame.constData() + 2);
    else if (headerBytes == 10)
        length = qFromBigEndian<quint64>(frame.constData() + 2);
    QCOMPARE(length, quint64(size));
}

void TestWsFraming::closeReasonCutOnCharacterBoundary()
{
    const QString reason = QString(200, QChar(0x00E9)); // two UTF-8 bytes each
    const QByteArray frame = encodeClose(1008, reason);
    QVERIFY(frame.size() <= 2 + 125);
    QCOMPARE(qFromBigEndian<quint16>(frame.constData() + 2), quint16(1008));
    const QByteArray text = frame.mid(4);
    QVERIFY(QByteArrayView(text).isValidUtf8());
    QCOMPARE(text.size() % 2, 0);
    QVERIFY(text.size() >= 120);
}

void TestWsFraming::handshakeAcceptKey()
{
    // The example of RFC 6455 section 1.3.
    QCOMPARE(http::WsHandshake::acceptKey("dGhlIHNhbXBsZSBub25jZQ=="),
             QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    http::HttpRequestHead::Failure failure;
    const auto head = http::HttpRequestHead::parse("GET /ws HTTP/1.1\r\nHost: x\r\n"
                                                   "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                   "Sec-WebSocket-Version: 13\r\n\r\n",
                                                   &failure);
    QVERIFY(head);
    const http::WsHandshake answer = http::WsHandshake::answer(*head);
    QVERIFY(answer.ok());
    QVERIFY(answer.response.startsWith("HTTP/1.1 101 "));
    QVERIFY(answer.response.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    QVERIFY(answer.response.endsWith("\r\n\r\n"));
}

void TestWsFraming::handshakeRefusals()
{
    const auto answerFor = [](const QByteArray &extraHeaders) {
        http::HttpRequestHead::Failure failure;
        const auto head = http::HttpRequestHead::parse(
            "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + extraHeaders +
                "\r\n",
            &failure);
        return head ? http::WsHandshake::answer(*head) : http::WsHandshake{0, {}, {}};
    };
    QCOMPARE(answerFor("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n").status, 426);
    QCOMPARE(answerFor("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       "Sec-WebSocket-Version: 8\r\n")
                 .status,
             426);
    QCOMPARE(answerFor("Sec-WebSocket-Version: 13\r\n").status, 400);
    QCOMPARE(answerFor("Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n").status, 400);
    QCOMPARE(answerFor("Sec-WebSocket-Key: !!!!notbase64!!!!!!!!!==\r\n"
                       "Sec-WebSocket-Version: 13\r\n")
                 .status,
             400);
    QVERIFY(!answerFor("Sec-WebSocket-Version: 13\r\n").message.isEmpty());
}

void TestWsFraming::handshakeOrigins()
{
    const auto status = [](const QByteArray &headers, const QStringList &allowed = {}) {
        http::HttpRequestHead::Failure failure;
        const auto head = http::HttpRequestHead::parse(
            "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
                headers + "\r\n",
            &failure);
        return head ? http::WsHandshake::answer(*head, allowed).status : 0;
    };
    const QByteArray host = "Host: Chat.Example:7070\r\n";
    QCOMPARE(status(host), 101); // the app: no Origin
    // An Origin equal to the Host header is refused too: after DNS rebinding a hostile page
    // sends its own name in both.
    QCOMPARE(status(host + "Origin: https://chat.example:7070\r\n"), 403);
    QCOMPARE(status(host + "Origin: http://chat.example:7070\r\n"), 403);
    QCOMPARE(status(host + "Origin: https://evil.example:7070\r\n"), 403);
    QCOMPARE(status(host + "Origin: null\r\n"), 403);
    QCOMPARE(status("Origin: https://chat.example:7070\r\n"), 403);
    // Only listed origins (compared without regard to case), or any with "*".
    QCOMPARE(status(host + "Origin: https://Web.Example\r\n", {"https://web.example"}), 101);
    QCOMPARE(status(host + "Origin: https://web.example:8443\r\n", {"https://web.example"}), 403);
    QCOMPARE(status(host + "Origin: https://evil.example\r\n", {"*"}), 101);
}

QTEST_GUILESS_MAIN(TestWsFraming)
#include "tst_wsframing.moc"
