// The pure parsers behind ternd's HTTP side: request heads (limits, smuggling guards, keep-alive,
// WebSocket upgrade detection), Range headers, and the media name/type/id sanitisers.

#include "server/http/ByteRange.h"
#include "server/http/HttpRequestHead.h"
#include "server/media/MediaName.h"

#include <QtTest>

using namespace tern::server;
using http::ByteRange;
using http::HttpRequestHead;

class TestHttpParsing : public QObject
{
    Q_OBJECT
private slots:
    void parsesAHead();
    void refusesBadHeads_data();
    void refusesBadHeads();
    void keepAliveRules();
    void detectsWebSocketUpgrade();
    void ranges_data();
    void ranges();
    void fileNames_data();
    void fileNames();
    void mimeAndIds();
};

void TestHttpParsing::parsesAHead()
{
    HttpRequestHead::Failure failure;
    const QByteArray raw = "PUT /api/v1/media/ab%20c?offset=42&x=1 HTTP/1.1\r\n"
                           "Host: h\r\nContent-Length: 10\r\nAuthorization:  Bearer t \r\n\r\n";
    QCOMPARE(HttpRequestHead::headEnd(raw + "body"), raw.size());
    const auto head = HttpRequestHead::parse(raw, &failure);
    QVERIFY(head);
    QCOMPARE(head->method, QByteArray("PUT"));
    QCOMPARE(head->path, QStringLiteral("/api/v1/media/ab c"));
    QCOMPARE(head->query.queryItemValue(QStringLiteral("offset")), QStringLiteral("42"));
    QCOMPARE(head->contentLength, 10);
    QCOMPARE(head->header("authorization"), QByteArray("Bearer t"));
    QVERIFY(head->header("missing").isNull());
    QVERIFY(head->keepAlive);
}

void TestHttpParsing::refusesBadHeads_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");
    QTest::newRow("garbage") << QByteArray("GARBAGE\r\n\r\n") << 400;
    QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: x\n\n") << 400;
    QTest::newRow("http2") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
    QTest::newRow("absolute target") << QByteArray("GET http://x/ HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost x\r\n\r\n") << 400;
    QTest::newRow("space in name") << QByteArray("GET / HTTP/1.1\r\nHo st: x\r\n\r\n") << 400;
    QTest::newRow("negative length")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
    QTest::newRow("plus length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n")
                                 << 400;
    QTest::newRow("two lengths")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n") << 400;
    QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                             << 411;
    QTest::newRow("control in value") << QByteArray("GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n") << 400;
    QByteArray many = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < 101; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("101 headers") << many + "\r\n" << 431;
    QTest::newRow("huge") << "GET / HTTP/1.1\r\nX: " + QByteArray(17000, 'a') + "\r\n\r\n" << 431;
}

void TestHttpParsing::refusesBadHeads()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, status);
    HttpRequestHead::Failure failure;
    QVERIFY(!HttpRequestHead::parse(raw, &failure));
    QCOMPARE(failure.status, status);
    QVERIFY(!failure.message.isEmpty());
}

void TestHttpParsing::keepAliveRules()
{
    auto parse = [](const QByteArray &raw) { return HttpRequestHead::parse(raw, nullptr); };
    QVERIFY(!parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")->keepAlive);
    QVERIFY(!parse("GET / HTTP/1.0\r\n\r\n")->keepAlive);
    QVERIFY(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")->keepAlive);
    QCOMPARE(
        parse("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n")->contentLength,
        5);
}

void TestHttpParsing::detectsWebSocketUpgrade()
{
    auto head = HttpRequestHead::parse("GET /ws HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\n"
                                       "Upgrade: WebSocket\r\n\r\n",
                                       nullptr);
    QVERIFY(head && head->isWebSocketUpgrade());
    head = HttpRequestHead::parse("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", nullptr);
    QVERIFY(head && !head->isWebSocketUpgrade());
    head = HttpRequestHead::parse(
        "POST /ws HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n", nullptr);
    QVERIFY(head && !head->isWebSocketUpgrade());
}

void TestHttpParsing::ranges_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("last");
    const int whole = int(ByteRange::Kind::Whole);
    const int partial = int(ByteRange::Kind::Partial);
    const int unsatisfiable = int(ByteRange::Kind::Unsatisfiable);
    QTest::newRow("none") << QByteArray() << whole << 0LL << 99LL;
    QTest::newRow("first ten") << QByteArray("bytes=0-9") << partial << 0LL << 9LL;
    QTest::newRow("open end") << QByteArray("bytes=90-") << partial << 90LL << 99LL;
    QTest::newRow("past end clipped") << QByteArray("bytes=90-500") << partial << 90LL << 99LL;
    QTest::newRow("suffix") << QByteArray("bytes=-10") << partial << 90LL << 99LL;
    QTest::newRow("suffix longer") << QByteArray("bytes=-1000") << partial << 0LL << 99LL;
    QTest::newRow("start past end") << QByteArray("bytes=100-") << unsatisfiable << 0LL << 0LL;
    QTest::newRow("zero suffix") << QByteArray("bytes=-0") << unsatisfiable << 0LL << 0LL;
    QTest::newRow("several") << QByteArray("bytes=0-1,3-4") << whole << 0LL << 99LL;
    QTest::newRow("backwards") << QByteArray("bytes=9-0") << whole << 0LL << 99LL;
    QTest::newRow("other unit") << QByteArray("items=0-1") << whole << 0LL << 99LL;
    QTest::newRow("junk") << QByteArray("bytes=a-b") << whole << 0LL << 99LL;
    QTest::newRow("overflow") << QByteArray("bytes=99999999999999999999-") << whole << 0LL << 99LL;
}

void TestHttpParsing::ranges()
{
    QFETCH(QByteArray, header);
    QFETCH(int, kind);
    QFETCH(qint64, first);
    QFETCH(qint64, last);
    const ByteRange range = ByteRange::parse(header, 100);
    QCOMPARE(int(range.kind), kind);
    if (range.kind != ByteRange::Kind::Unsatisfiable) {
        QCOMPARE(range.first, first);
        QCOMPARE(range.last, last);
    }
}

void TestHttpParsing::fileNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("Report 2026.pdf")
                           << QStringLiteral("Report 2026.pdf");
    QTest::newRow("traversal") << QStringLiteral("../../x") << QStringLiteral("_.._x");
    QTest::newRow("backslash") << QStringLiteral("..\\..\\win.ini")
                               << QStringLiteral("_.._win.ini");
    QTest::newRow("nul") << (QStringLiteral("a") + QChar(0) + QStringLiteral("b"))
                         << QStringLiteral("ab");
    QTest::newRow("rtl override") << (QStringLiteral("x") + QChar(0x202E) +
                                      QStringLiteral("gpj.exe"))
                                  << QStringLiteral("xgpj.exe");
    QTest::newRow("isolate") << (QStringLiteral("a") + QChar(0x2066) + QStringLiteral("b"))
                             << QStringLiteral("ab");
    QTest::newRow("hidden") << QStringLiteral(".bashrc") << QStringLiteral("bashrc");
    QTest::newRow("only dots") << QStringLiteral("...") << QStringLiteral("file");
    QTest::newRow("empty") << QString() << QStringLiteral("file");
    QTest::newRow("umlauts") << QStringLiteral("Übersicht.txt") << QStringLiteral("Übersicht.txt");
    QTest::newRow("long") << (QString(400, u'x') + QStringLiteral(".jpeg"))
                          << (QString(250, u'x') + QStringLiteral(".jpeg"));
    // Found by fuzz_http: the names must come out trimmed (and sanitizing again changes nothing).
    QTest::newRow("long, cut after a space")
        << (QString(254, u'x') + QStringLiteral(" ") + QString(20, u'y')) << QString(254, u'x');
    QTest::newRow("long, cut after a space, extension")
        << (QString(250, u'x') + QStringLiteral(" ") + QString(20, u'y') + QStringLiteral(".png"))
        << (QString(250, u'x') + QStringLiteral(".png"));
    QTest::newRow("space behind a leading dot")
        << (QStringLiteral(".") + QChar(0x3000) + QStringLiteral("x.txt"))
        << QStringLiteral("x.txt");
    QTest::newRow("no-break space behind leading dots")
        << (QStringLiteral("..") + QChar(0xa0) + QStringLiteral(".x")) << QStringLiteral("x");
}

void TestHttpParsing::fileNames()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QCOMPARE(media::sanitizeFileName(name), expected);
}

void TestHttpParsing::mimeAndIds()
{
    QCOMPARE(media::normalizeMime(QStringLiteral(" Image/JPEG ")), QStringLiteral("image/jpeg"));
    QCOMPARE(media::normalizeMime(QStringLiteral("text/html\r\nX-Evil: 1")), QString());
    QCOMPARE(media::normalizeMime(QStringLiteral("nonsense")), QString());
    QVERIFY(media::isMediaId(QString(32, u'a')));
    QVERIFY(!media::isMediaId(QString(32, u'A')));
    QVERIFY(!media::isMediaId(QStringLiteral("../../") + QString(26, u'a')));
    QVERIFY(!media::isMediaId(QString(33, u'a')));
    // Found by fuzz_http: '$' matched before a final newline, so "/api/v1/media/<id>%0A" passed.
    QVERIFY(!media::isMediaId(QString(32, u'a') + u'\n'));
}

QTEST_GUILESS_MAIN(TestHttpParsing)
#include "tst_httpparsing.moc"
