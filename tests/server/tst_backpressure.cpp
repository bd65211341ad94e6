// Flow control: a client that authenticates and then never reads must not make the server
// buffer without bound. The server closes that connection once its send queue passes the limit,
// its memory stays bounded, other clients are unaffected, and the slow device catches up with
// `sync` afterwards.

#include "tests/support/ChildServer.h"
#include "tests/support/RawWsClient.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace tern::test;

namespace {

constexpr int kContentBytes = 30 * 1024;

//! Fails the calling test when RSS grew by `limitKiB` or more (normal builds only).
#define TERN_VERIFY_RSS_GROWTH(growthKiB, limitKiB, what)                                          \
    do {                                                                                           \
        if (!kRssIsMeaningful) {                                                                   \
            qInfo("sanitizer build: RSS growth of %lld KiB not checked", qint64(growthKiB));       \
            break;                                                                                 \
        }                                                                                          \
        QVERIFY2((growthKiB) < (limitKiB),                                                         \
                 qPrintable(QStringLiteral("%1 RSS grew by %2 KiB (limit %3 KiB)")                 \
                                .arg(QStringLiteral(what))                                         \
                                .arg(qint64(growthKiB))                                            \
                                .arg(qint64(limitKiB))));                                          \
    } while (false)

//! Authenticates a raw connection with `token` and stops reading; nullptr on failure.
std::unique_ptr<RawWsClient> openSlowReader(quint16 port, const QString &token)
{
    auto raw = std::make_unique<RawWsClient>();
    if (!raw->open(port, QStringLiteral("/ws"), 64 * 1024))
        return nullptr;
    raw->sendJson({{"type", "auth"}, {"id", "raw-auth"}, {"token", token}});
    const auto reply = raw->readReply(QStringLiteral("raw-auth"));
    if (!reply || !isAck(*reply)) {
        qWarning("raw auth failed: %s", qPrintable(reply ? toJson(*reply) : QStringLiteral("-")));
        return nullptr;
    }
    raw->stopReading(1024);
    return raw;
}

struct Storm
{
    int acked = 0;
    int delivered = 0; // to the normal receiving device
    qint64 peakRssKiB = 0;
    QString problem;
};

//! Sends `count` messages of 30 KiB from `sender` to `to` in acked batches; `receiver` (another
//! device of the recipient, reading normally) is drained as it goes; `rss` is sampled per batch.
//! `bystanders` exchange a message per batch to show they are unaffected.
Storm runStorm(TestClient *sender, const QString &to, TestClient *receiver, int count, int batch,
               const std::function<qint64()> &rss, TestClient *bystanderA, TestClient *bystanderB,
               const QString &bystanderBUser)
{
    Storm storm;
    const QString filler(kContentBytes - 16, QLatin1Char('z'));
    for (int start = 0; start < count; start += batch) {
        QStringList ids;
        for (int i = start; i < qMin(count, start + batch); ++i)
            ids << sender->post(TestClient::messageObject(
                to, QStringLiteral("%1 ").arg(i, 10, 10, QLatin1Char('0')) + filler));
        const QString chat = bystanderA->post(
            TestClient::messageObject(bystanderBUser, QStringLiteral("still here %1").arg(start)));
        if (!sender->waitForReplies(ids, 60'000)) {
            storm.problem = QStringLiteral("acks missing in batch at %1").arg(start);
            return storm;
        }
        for (const QString &id : std::as_const(ids)) {
            if (!isAck(*sender->reply(id))) {
                storm.problem = QStringLiteral("not acked: ") + toJson(*sender->reply(id));
                return storm;
            }
            ++storm.acked;
        }
        const int expected = storm.acked;
        if (!spinUntil(
                [&] { return storm.delivered + receiver->eventCount("message") >= expected; },
                30'000)) {
            storm.problem = QStringLiteral("normal receiver got %1 of %2 (disconnected: %3, "
                                           "close code %4, %5)")
                                .arg(storm.delivered + receiver->eventCount("message"))
                                .arg(expected)
                                .arg(receiver->wasDisconnected())
                                .arg(receiver->closeCode())
                                .arg(receiver->closeReason());
            return storm;
        }
        storm.delivered += int(receiver->takeEvents(QStringLiteral("message")).size());
        const auto chatAck = bystanderA->waitForReply(chat, 10'000);
        const auto chatEvent = bystanderB->waitForEvent(QStringLiteral("message"), 10'000);
        if (!chatAck || !isAck(*chatAck) || !chatEvent) {
            storm.problem = QStringLiteral("bystanders disturbed at batch %1").arg(start);
            return storm;
        }
        storm.peakRssKiB = qMax(storm.peakRssKiB, rss());
    }
    return storm;
}

} // namespace

class TestBackpressure : public QObject
{
    Q_OBJECT

private slots:
    void slowReaderInProcess();
    void syncRespectsSendQueueLimit();
    void slowReaderChildProcess();
    void unreadRepliesAreBounded();
};

void TestBackpressure::unreadRepliesAreBounded()
{
    // A client that pipelines requests but never reads the replies: without a bound on replies
    // the server would queue them forever.
    ServerFixture server;
    server.config().sendQueueLimitBytes = 256 * 1024;
    // Since reads pause behind unsent replies, the queue stays under its bound and the send
    // stall rule is what closes this client: at the default 10 s, an ASan build beside another
    // test run did not get there within the 15 s below.
    server.config().sendStallMs = 2'000;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TestUser u = createUser(server.url(), QStringLiteral("pipeliner"));
    QVERIFY(u.ok());
    Device device = loginDevice(server.url(), u, QStringLiteral("raw"));
    QVERIFY(device.ok());
    auto reader = openSlowReader(server.port(), device.token());
    QVERIFY(reader);
    const int before = server.app()->connectionCount();
    // Each ack is ~40 bytes: 200,000 of them (8 MB) pass the bound plus the kernel's buffers.
    bool closed = false;
    for (int i = 0; i < 200'000 && !closed; ++i) {
        reader->sendJson({{"type", "heartbeat"}, {"id", QStringLiteral("h%1").arg(i)}});
        if (i % 2'000 == 0) {
            // One turn of the event loop: the in-process server reads and answers meanwhile.
            QCoreApplication::processEvents();
            closed = server.app()->connectionCount() < before;
        }
    }
    QVERIFY2(spinUntil([&] { return server.app()->connectionCount() < before; }, 15'000),
             "a client that never reads its replies was not closed");
}

void TestBackpressure::slowReaderInProcess()
{
    constexpr int kMessages = 1'000; // 30 MiB in total
    ServerFixture server;
    server.config().sendQueueLimitBytes = 1024 * 1024;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QUrl url = server.url();

    const TestUser a = createUser(url, QStringLiteral("a")),
                   b = createUser(url, QStringLiteral("b")),
                   c = createUser(url, QStringLiteral("c")),
                   d = createUser(url, QStringLiteral("d"));
    QVERIFY(a.ok() && b.ok() && c.ok() && d.ok());
    Device a1 = loginDevice(url, a, QStringLiteral("a1"));
    Device b2 = loginDevice(url, b, QStringLiteral("b2"));
    Device c1 = loginDevice(url, c, QStringLiteral("c1"));
    Device d1 = loginDevice(url, d, QStringLiteral("d1"));
    QVERIFY(a1.ok() && b2.ok() && c1.ok() && d1.ok());
    b2->setStripContent(true);
    QString rawToken;
    {
        Device rawDevice = loginDevice(url, b, QStringLiteral("raw"));
        QVERIFY(rawDevice.ok());
        rawToken = rawDevice.token();
    }
    std::unique_ptr<RawWsClient> raw = openSlowReader(server.port(), rawToken);
    QVERIFY(raw);
    QVERIFY2(spinUntil([&] { return server.app()->connectionCount() == 5; }, 10'000),
             qPrintable(QStringLiteral("connections: %1").arg(server.app()->connectionCount())));

    // Warm up allocators and caches with one batch to a bystander before the baseline.
    TERN_VERIFY_ACK(a1->sendMessage(d.userId, QString(kContentBytes, QLatin1Char('w'))));
    QVERIFY(d1->waitForEvent(QStringLiteral("message")));
    const qint64 baseline = rssKiB();
    QVERIFY(baseline > 0);

    QElapsedTimer timer;
    timer.start();
    const Storm storm = runStorm(
        // Batches of 20 (600 KiB) stay under the 1 MiB queue of the normal receiver, which
        // reads only when the event loop gets to it.
        a1.client.get(), b.userId, b2.client.get(), kMessages, 20, [] { return rssKiB(); },
        c1.client.get(), d1.client.get(), d.userId);
    QVERIFY2(storm.problem.isEmpty(), qPrintable(storm.problem));
    QCOMPARE(storm.acked, kMessages);
    QCOMPARE(storm.delivered, kMessages);
    qInfo("storm of %d x 30 KiB took %lld ms; RSS baseline %lld KiB, peak %lld KiB (+%lld KiB)",
          kMessages, timer.elapsed(), baseline, storm.peakRssKiB, storm.peakRssKiB - baseline);

    // The server dropped the slow reader (and only it).
    QVERIFY2(spinUntil([&] { return server.app()->connectionCount() == 4; }, 15'000),
             qPrintable(QStringLiteral("connections: %1 (the slow reader was not closed)")
                            .arg(server.app()->connectionCount())));
    // A correct server grows by ~5 MiB here; an unbounded queue by ~35 MiB.
    TERN_VERIFY_RSS_GROWTH(storm.peakRssKiB - baseline, 24 * 1024, "test process");
    raw->resumeReading();
    QVERIFY2(raw->waitForDisconnected(30'000), "slow reader's TCP connection not closed");
    qInfo("slow reader received %lld bytes, %d frames before the close", raw->bytesReceived(),
          raw->framesReceived());
    if (raw->closeCode())
        QCOMPARE(*raw->closeCode(), 1008);
    else
        qInfo("no close frame reached the slow reader (connection aborted)");
    QVERIFY(a1->isConnected() && b2->isConnected() && c1->isConnected() && d1->isConnected());
}

void TestBackpressure::syncRespectsSendQueueLimit()
{
    // A device that was dropped (or offline) catches up with sync even when its backlog is
    // several times the send queue limit: sync pauses instead of overflowing the queue.
    constexpr int kMessages = 150; // 4.5 MiB against a 1 MiB queue
    ServerFixture server;
    server.config().sendQueueLimitBytes = 1024 * 1024;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QUrl url = server.url();
    const TestUser a = createUser(url, QStringLiteral("a")),
                   b = createUser(url, QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = loginDevice(url, a, QStringLiteral("a1"));
    QVERIFY(a1.ok());
    LoginInfo b1Login;
    {
        Device b1 = loginDevice(url, b, QStringLiteral("b1"));
        QVERIFY(b1.ok());
        b1Login = b1.login;
    }
    const QString filler(kContentBytes - 16, QLatin1Char('s'));
    QStringList ids;
    for (int i = 0; i < kMessages; ++i)
        ids << a1->post(TestClient::messageObject(
            b.userId, QStringLiteral("%1 ").arg(i, 10, 10, QLatin1Char('0')) + filler));
    QVERIFY(a1->waitForReplies(ids, 60'000));

    Device b1 = reconnectDevice(url, b1Login);
    QVERIFY(b1.ok());
    b1->setStripContent(true);
    int received = 0;
    for (int round = 0; round < 100; ++round) {
        const QJsonObject ack = b1->request({{"type", "sync"}}, 60'000);
        QVERIFY2(isAck(ack), qPrintable(QStringLiteral("sync round %1: %2; %3 messages so far; "
                                                       "connection closed: %4 (code %5, %6)")
                                            .arg(round + 1)
                                            .arg(toJson(ack))
                                            .arg(received + b1->eventCount("message"))
                                            .arg(b1->wasDisconnected())
                                            .arg(b1->closeCode())
                                            .arg(b1->closeReason())));
        received += int(b1->takeEvents(QStringLiteral("message")).size());
        if (ack.value(QStringLiteral("complete")).toBool())
            break;
    }
    QCOMPARE(received, kMessages);
    QVERIFY(b1->isConnected());
}

void TestBackpressure::slowReaderChildProcess()
{
    if (ChildServer::binaryPath().isEmpty())
        QSKIP("TERND_BINARY not set (run through ctest)");
    constexpr int kMessages = 1'500; // 45 MiB against the default 8 MiB send queue
    ChildServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QUrl url = server.url();
    const TestUser a = createUser(url, QStringLiteral("a")),
                   b = createUser(url, QStringLiteral("b")),
                   c = createUser(url, QStringLiteral("c")),
                   d = createUser(url, QStringLiteral("d"));
    QVERIFY(a.ok() && b.ok() && c.ok() && d.ok());
    Device a1 = loginDevice(url, a, QStringLiteral("a1"));
    Device b2 = loginDevice(url, b, QStringLiteral("b2"));
    Device c1 = loginDevice(url, c, QStringLiteral("c1"));
    Device d1 = loginDevice(url, d, QStringLiteral("d1"));
    QVERIFY(a1.ok() && b2.ok() && c1.ok() && d1.ok());
    b2->setStripContent(true);
    QString rawToken;
    {
        Device rawDevice = loginDevice(url, b, QStringLiteral("raw"));
        QVERIFY(rawDevice.ok());
        rawToken = rawDevice.token();
    }
    std::unique_ptr<RawWsClient> raw = openSlowReader(server.port(), rawToken);
    QVERIFY(raw);

    TERN_VERIFY_ACK(a1->sendMessage(d.userId, QString(kContentBytes, QLatin1Char('w'))));
    QVERIFY(d1->waitForEvent(QStringLiteral("message")));
    const qint64 baseline = server.rssKiB();
    QVERIFY(baseline > 0);
    const Storm storm = runStorm(
        a1.client.get(), b.userId, b2.client.get(), kMessages, 50, [&] { return server.rssKiB(); },
        c1.client.get(), d1.client.get(), d.userId);
    QVERIFY2(storm.problem.isEmpty(), qPrintable(storm.problem));
    qInfo("ternd RSS baseline %lld KiB, peak %lld KiB (+%lld KiB)", baseline, storm.peakRssKiB,
          storm.peakRssKiB - baseline);
    // A correct server grows by ~16 MiB here; an unbounded queue would hold most of the 45 MiB.
    TERN_VERIFY_RSS_GROWTH(storm.peakRssKiB - baseline, 32 * 1024, "ternd");
    raw->resumeReading();
    QVERIFY2(raw->waitForDisconnected(30'000), "slow reader was not disconnected");
    QVERIFY2(
        raw->framesReceived() < kMessages,
        qPrintable(QStringLiteral("slow reader got all %1 frames").arg(raw->framesReceived())));
    if (raw->closeCode())
        QCOMPARE(*raw->closeCode(), 1008);
    QVERIFY(server.isRunning());
}

QTEST_GUILESS_MAIN(TestBackpressure)
#include "tst_backpressure.moc"
