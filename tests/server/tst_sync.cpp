// Sync after being offline: a device that was away while 10,000 messages arrived gets all of
// them via `sync`, per conversation in seq order, without duplicates; never its own messages;
// a device that logs in later starts at its login; delivery watermarks move the position.

#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QtTest>

using namespace tern::test;

namespace {

const QString kMessage = QStringLiteral("message");

struct SyncResult
{
    QList<QJsonObject> events; // message events, in arrival order
    QJsonObject lastAck;
    int rounds = 0;
    QString problem;
};

//! Sends `sync` (again while the ack says complete:false) and collects the message events.
SyncResult runSync(TestClient *client, int timeoutMs = 120'000)
{
    SyncResult result;
    QElapsedTimer timer;
    timer.start();
    for (result.rounds = 1; result.rounds <= 200; ++result.rounds) {
        const int remaining = int(qMax<qint64>(1, timeoutMs - timer.elapsed()));
        result.lastAck = client->request({{"type", "sync"}}, remaining);
        if (!isAck(result.lastAck)) {
            result.problem = QStringLiteral("sync round %1: %2 (events so far %3)")
                                 .arg(result.rounds)
                                 .arg(toJson(result.lastAck))
                                 .arg(client->eventCount(kMessage) + result.events.size());
            return result;
        }
        // Events of a round arrive before its ack on the same socket.
        result.events += client->takeEvents(kMessage);
        const QJsonValue complete = result.lastAck.value(QStringLiteral("complete"));
        if (!complete.isBool()) {
            result.problem = QStringLiteral("sync ack without complete: ") + toJson(result.lastAck);
            return result;
        }
        if (complete.toBool())
            return result;
    }
    result.problem = QStringLiteral("sync not complete after 200 rounds");
    return result;
}

//! Checks per-conversation seq order and duplicates; returns seqs by conversation.
QString checkOrder(const QList<QJsonObject> &events, QHash<QString, QList<qint64>> *byConversation)
{
    QSet<QPair<QString, qint64>> seen;
    for (const QJsonObject &event : events) {
        const QString conversation = event.value(QStringLiteral("conversation")).toString();
        const qint64 seq = intField(event, QStringLiteral("seq"));
        if (seen.contains({conversation, seq}))
            return QStringLiteral("duplicate %1/%2").arg(conversation).arg(seq);
        seen.insert({conversation, seq});
        QList<qint64> &seqs = (*byConversation)[conversation];
        if (!seqs.isEmpty() && seqs.last() >= seq)
            return QStringLiteral("%1: seq %2 after %3")
                .arg(conversation)
                .arg(seq)
                .arg(seqs.last());
        seqs << seq;
    }
    return {};
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> values;
    for (qint64 v = first; v <= last; ++v)
        values << v;
    return values;
}

} // namespace

class TestSync : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void offlineBacklog();
    void syncSkipsOwnMessages();
    void newDeviceStartsAtLogin();
    void watermarksMovePosition();

private:
    QUrl url() const { return m_server.url(); }
    //! Posts `count` messages in pipelined batches and waits for every ack; returns the acks.
    QList<QJsonObject> sendBatched(TestClient *from, const QString &to, int count, int batch,
                                   const QString &prefix);

    ServerFixture m_server;
};

void TestSync::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void TestSync::cleanupTestCase()
{
    m_server.stop();
}

QList<QJsonObject> TestSync::sendBatched(TestClient *from, const QString &to, int count, int batch,
                                         const QString &prefix)
{
    QList<QJsonObject> acks;
    for (int start = 0; start < count; start += batch) {
        QStringList ids;
        for (int i = start; i < qMin(count, start + batch); ++i)
            ids << from->post(TestClient::messageObject(to, prefix + QString::number(i + 1)));
        if (!from->waitForReplies(ids, 60'000)) {
            qWarning("sendBatched: acks missing after message %d", start);
            return acks;
        }
        for (const QString &id : std::as_const(ids))
            acks << *from->reply(id);
    }
    return acks;
}

void TestSync::offlineBacklog()
{
    constexpr int kPerSender = 5'000;
    constexpr int kBatch = 500;
    const TestUser a = createUser(url(), QStringLiteral("a"));
    const TestUser c = createUser(url(), QStringLiteral("c"));
    const TestUser b = createUser(url(), QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok() && c.ok());
    LoginInfo b1Login;
    {
        Device b1 = loginDevice(url(), b, QStringLiteral("b1"));
        QVERIFY(b1.ok());
        b1Login = b1.login;
    } // b1 goes offline
    Device a1 = loginDevice(url(), a, QStringLiteral("a1"));
    Device c1 = loginDevice(url(), c, QStringLiteral("c1"));
    QVERIFY(a1.ok() && c1.ok());

    // Two senders, two conversations, batches interleaved.
    QHash<QString, QString> idToContent;
    QString convA, convC;
    QElapsedTimer sending;
    sending.start();
    for (int start = 0; start < kPerSender; start += kBatch) {
        QStringList aIds, cIds;
        for (int i = start; i < start + kBatch; ++i) {
            aIds << a1->post(TestClient::messageObject(b.userId, QStringLiteral("a-%1").arg(i)));
            cIds << c1->post(TestClient::messageObject(b.userId, QStringLiteral("c-%1").arg(i)));
        }
        QVERIFY2(a1->waitForReplies(aIds, 60'000), "acks for A's batch missing");
        QVERIFY2(c1->waitForReplies(cIds, 60'000), "acks for C's batch missing");
        for (const QString &id : std::as_const(aIds)) {
            const QJsonObject ack = *a1->reply(id);
            TERN_VERIFY_ACK(ack);
            convA = ack.value(QStringLiteral("conversation")).toString();
        }
        for (const QString &id : std::as_const(cIds)) {
            const QJsonObject ack = *c1->reply(id);
            TERN_VERIFY_ACK(ack);
            convC = ack.value(QStringLiteral("conversation")).toString();
        }
    }
    qInfo("sent %d messages in %lld ms", 2 * kPerSender, sending.elapsed());
    QVERIFY(convA != convC);

    Device b1 = reconnectDevice(url(), b1Login);
    QVERIFY(b1.ok());
    b1->setStripContent(true);
    QElapsedTimer syncing;
    syncing.start();
    const SyncResult sync = runSync(b1.client.get());
    QVERIFY2(sync.problem.isEmpty(), qPrintable(sync.problem));
    qInfo("synced %lld messages in %lld ms, %d round(s)", qint64(sync.events.size()),
          syncing.elapsed(), sync.rounds);

    QHash<QString, QList<qint64>> byConversation;
    const QString problem = checkOrder(sync.events, &byConversation);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(sync.events.size(), 2 * kPerSender);
    QCOMPARE(byConversation.size(), 2);
    QCOMPARE(byConversation.value(convA), range(1, kPerSender));
    QCOMPARE(byConversation.value(convC), range(1, kPerSender));
    for (const QJsonObject &event : sync.events) {
        const QString from = event.value(QStringLiteral("from")).toString();
        const QString conversation = event.value(QStringLiteral("conversation")).toString();
        QVERIFY2((conversation == convA && from == a.userId) ||
                     (conversation == convC && from == c.userId),
                 qPrintable(toJson(event)));
    }
    // Once everything is acknowledged, a reconnect syncs nothing.
    TERN_VERIFY_ACK(
        b1->request({{"type", "delivery"}, {"conversation", convA}, {"seq", kPerSender}}));
    TERN_VERIFY_ACK(
        b1->request({{"type", "delivery"}, {"conversation", convC}, {"seq", kPerSender}}));
    // Nothing trailed the sync's ack: those two store round trips on the link came after it.
    QVERIFY(b1->expectNoEvent(kMessage));
    b1.client.reset();
    Device again = reconnectDevice(url(), b1Login);
    QVERIFY(again.ok());
    const SyncResult empty = runSync(again.client.get());
    QVERIFY2(empty.problem.isEmpty(), qPrintable(empty.problem));
    QCOMPARE(empty.events.size(), 0);
}

void TestSync::syncSkipsOwnMessages()
{
    const TestUser a = createUser(url(), QStringLiteral("a"));
    const TestUser b = createUser(url(), QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = loginDevice(url(), a, QStringLiteral("a1"));
    Device b2 = loginDevice(url(), b, QStringLiteral("b2"));
    QVERIFY(a1.ok() && b2.ok());
    LoginInfo b1Login;
    {
        Device b1 = loginDevice(url(), b, QStringLiteral("b1"));
        QVERIFY(b1.ok());
        b1Login = b1.login;
        TERN_VERIFY_ACK(b1->sendMessage(a.userId, QStringLiteral("mine 1")));
        TERN_VERIFY_ACK(b1->sendMessage(a.userId, QStringLiteral("mine 2")));
    }
    const QList<QJsonObject> acks =
        sendBatched(a1.client.get(), b.userId, 3, 3, QStringLiteral("from a "));
    QCOMPARE(acks.size(), 3);
    // b2 was online: it got all five live (its own user's other device included).
    QVERIFY(b2->waitForEventCount(kMessage, 5, 10'000));

    Device b1 = reconnectDevice(url(), b1Login);
    QVERIFY(b1.ok());
    const SyncResult sync = runSync(b1.client.get());
    QVERIFY2(sync.problem.isEmpty(), qPrintable(sync.problem));
    QCOMPARE(sync.events.size(), 3);
    QList<qint64> seqs;
    for (const QJsonObject &event : sync.events) {
        QCOMPARE(event.value(QStringLiteral("from")).toString(), a.userId);
        QVERIFY(event.value(QStringLiteral("from_device")).toString() != b1Login.deviceId);
        seqs << intField(event, QStringLiteral("seq"));
    }
    QCOMPARE(seqs, range(3, 5));
}

void TestSync::newDeviceStartsAtLogin()
{
    const TestUser a = createUser(url(), QStringLiteral("a"));
    const TestUser b = createUser(url(), QStringLiteral("b"));
    const TestUser c = createUser(url(), QStringLiteral("c"));
    QVERIFY(a.ok() && b.ok() && c.ok());
    Device a1 = loginDevice(url(), a, QStringLiteral("a1"));
    Device c1 = loginDevice(url(), c, QStringLiteral("c1"));
    Device b1 = loginDevice(url(), b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok() && c1.ok());
    const QList<QJsonObject> acks =
        sendBatched(a1.client.get(), b.userId, 5, 5, QStringLiteral("old "));
    QCOMPARE(acks.size(), 5);
    const QString convA = acks.first().value(QStringLiteral("conversation")).toString();

    // A device logging in for the first time now starts at the current position.
    LoginInfo b3Login;
    {
        Device b3 = loginDevice(url(), b, QStringLiteral("b3"));
        QVERIFY(b3.ok());
        b3Login = b3.login;
        const SyncResult first = runSync(b3.client.get());
        QVERIFY2(first.problem.isEmpty(), qPrintable(first.problem));
        QCOMPARE(first.events.size(), 0);
        // Older messages come through history.
        const QJsonObject history = b3->request({{"type", "history"}, {"conversation", convA}});
        TERN_VERIFY_ACK(history);
        QCOMPARE(history.value(QStringLiteral("messages")).toArray().size(), 5);
    }
    // Offline again: two more in the old conversation, one in a brand-new conversation.
    QCOMPARE(sendBatched(a1.client.get(), b.userId, 2, 2, QStringLiteral("new ")).size(), 2);
    const QJsonObject fromC = c1->sendMessage(b.userId, QStringLiteral("hello from c"));
    TERN_VERIFY_ACK(fromC);
    const QString convC = fromC.value(QStringLiteral("conversation")).toString();

    Device b3 = reconnectDevice(url(), b3Login);
    QVERIFY(b3.ok());
    const SyncResult sync = runSync(b3.client.get());
    QVERIFY2(sync.problem.isEmpty(), qPrintable(sync.problem));
    QHash<QString, QList<qint64>> byConversation;
    const QString problem = checkOrder(sync.events, &byConversation);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(byConversation.value(convA), range(6, 7));
    QCOMPARE(byConversation.value(convC), range(1, 1));
    QCOMPARE(sync.events.size(), 3);
}

void TestSync::watermarksMovePosition()
{
    const TestUser a = createUser(url(), QStringLiteral("a"));
    const TestUser b = createUser(url(), QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = loginDevice(url(), a, QStringLiteral("a1"));
    QVERIFY(a1.ok());
    LoginInfo b1Login;
    {
        Device b1 = loginDevice(url(), b, QStringLiteral("b1"));
        QVERIFY(b1.ok());
        b1Login = b1.login;
    }
    const QList<QJsonObject> acks =
        sendBatched(a1.client.get(), b.userId, 30, 30, QStringLiteral("m"));
    QCOMPARE(acks.size(), 30);
    const QString conv = acks.first().value(QStringLiteral("conversation")).toString();

    {
        Device b1 = reconnectDevice(url(), b1Login);
        QVERIFY(b1.ok());
        const SyncResult sync = runSync(b1.client.get());
        QVERIFY2(sync.problem.isEmpty(), qPrintable(sync.problem));
        QCOMPARE(sync.events.size(), 30);
        // A second sync on the same connection resumes after what this connection was sent.
        const SyncResult again = runSync(b1.client.get());
        QVERIFY2(again.problem.isEmpty(), qPrintable(again.problem));
        QCOMPARE(again.events.size(), 0);
        TERN_VERIFY_ACK(b1->request({{"type", "delivery"}, {"conversation", conv}, {"seq", 20}}));
    }
    {
        // Without a watermark past 20, the tail is sent again after a reconnect.
        Device b1 = reconnectDevice(url(), b1Login);
        QVERIFY(b1.ok());
        const SyncResult sync = runSync(b1.client.get());
        QVERIFY2(sync.problem.isEmpty(), qPrintable(sync.problem));
        QHash<QString, QList<qint64>> byConversation;
        const QString problem = checkOrder(sync.events, &byConversation);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(byConversation.value(conv), range(21, 30));
        // read implies delivered.
        TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"conversation", conv}, {"seq", 30}}));
    }
    {
        Device b1 = reconnectDevice(url(), b1Login);
        QVERIFY(b1.ok());
        const SyncResult sync = runSync(b1.client.get());
        QVERIFY2(sync.problem.isEmpty(), qPrintable(sync.problem));
        QCOMPARE(sync.events.size(), 0);
        // New live traffic still arrives.
        TERN_VERIFY_ACK(a1->sendMessage(b.userId, QStringLiteral("live")));
        const auto live = b1->waitForEvent(kMessage);
        QVERIFY(live);
        QCOMPARE(intField(*live, QStringLiteral("seq")), 31);
    }
}

QTEST_GUILESS_MAIN(TestSync)
#include "tst_sync.moc"
