// Durability of the real ternd binary: SIGKILL in the middle of a pipelined stream loses no
// acked message and, after clients re-send their outbox with the same ids, leaves every message
// stored exactly once in gap-free seq order. SIGTERM closes sessions with 1001 and exits within
// 10 s without losing anything acked.

#include "tests/support/ChildServer.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QtTest>

using namespace tern::test;

namespace {

struct Outbox
{
    QStringList ids; // in send order
    QHash<QString, QString> content;
    QString to;
};

struct Stored
{
    qint64 seq = 0;
    QString content;
};

//! Every message of a conversation, paged backwards with before_seq; empty on error.
QList<QJsonObject> fullHistory(TestClient *client, const QString &conversation, QString *problem)
{
    QList<QJsonObject> all;
    qint64 before = -1;
    for (int page = 0; page < 1000; ++page) {
        QJsonObject request{{"type", "history"}, {"conversation", conversation}, {"limit", 200}};
        if (before > 0)
            request.insert(QStringLiteral("before_seq"), before);
        const QJsonObject reply = client->request(request, 30'000);
        if (!isAck(reply)) {
            *problem = QStringLiteral("history failed: ") + toJson(reply);
            return {};
        }
        const QJsonArray messages = reply.value(QStringLiteral("messages")).toArray();
        if (messages.isEmpty())
            break;
        QList<QJsonObject> chunk;
        for (const QJsonValue &m : messages)
            chunk << m.toObject();
        all = chunk + all;
        before = intField(chunk.first(), QStringLiteral("seq"));
        if (before <= 1)
            break;
    }
    return all;
}

QString describeProcess(const ChildServer &server)
{
    return QStringLiteral("ternd log %1:\n%2").arg(server.logPath(), server.logTail(3000));
}

} // namespace

class TestCrash : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void killMidStream();
    void sigtermIsGraceful();

private:
    //! Re-sends every id of `outbox` that has no ack in `acked` plus every `resendEvery`-th acked
    //! one, on `client`; merges the new acks into `acked`. Returns a problem text or "".
    QString resend(TestClient *client, const Outbox &outbox, QHash<QString, QJsonObject> &acked,
                   int resendEvery);
    //! Checks history against the acks: exactly once each, acked seqs, gap-free 1..last.
    QString verifyHistory(TestClient *client, const QString &conversation,
                          const QList<const Outbox *> &outboxes,
                          const QHash<QString, QJsonObject> &acked, int expectedTotal);
};

void TestCrash::initTestCase()
{
    if (ChildServer::binaryPath().isEmpty())
        QSKIP("TERND_BINARY not set (run through ctest)");
}

QString TestCrash::resend(TestClient *client, const Outbox &outbox,
                          QHash<QString, QJsonObject> &acked, int resendEvery)
{
    QStringList ids;
    QHash<QString, QJsonObject> before;
    int ackedSeen = 0;
    for (const QString &id : outbox.ids) {
        const bool wasAcked = acked.contains(id);
        if (wasAcked && (resendEvery <= 0 || ++ackedSeen % resendEvery != 0))
            continue;
        if (wasAcked)
            before.insert(id, acked.value(id));
        ids << client->post(TestClient::messageObject(outbox.to, outbox.content.value(id), id));
    }
    if (!client->waitForReplies(ids, 60'000))
        return QStringLiteral("re-sent %1, replies %2").arg(ids.size()).arg(client->totalReplies());
    for (const QString &id : std::as_const(ids)) {
        const QJsonObject ack = *client->reply(id);
        if (!isAck(ack) || ack.value(QStringLiteral("status")).toString() != QStringLiteral("sent"))
            return QStringLiteral("re-send not acked: ") + toJson(ack);
        if (before.contains(id)) {
            const QJsonObject &original = before[id];
            if (intField(ack, QStringLiteral("seq")) != intField(original, QStringLiteral("seq")) ||
                ack.value(QStringLiteral("conversation")) !=
                    original.value(QStringLiteral("conversation")))
                return QStringLiteral("re-send of an acked message got a different ack: %1 vs %2")
                    .arg(toJson(ack), toJson(original));
        }
        acked.insert(id, ack);
    }
    return {};
}

QString TestCrash::verifyHistory(TestClient *client, const QString &conversation,
                                 const QList<const Outbox *> &outboxes,
                                 const QHash<QString, QJsonObject> &acked, int expectedTotal)
{
    QString problem;
    const QList<QJsonObject> messages = fullHistory(client, conversation, &problem);
    if (!problem.isEmpty())
        return problem;
    QHash<QString, Stored> stored;
    qint64 expectedSeq = 1;
    for (const QJsonObject &m : messages) {
        const qint64 seq = intField(m, QStringLiteral("seq"));
        const QString id = m.value(QStringLiteral("id")).toString();
        if (seq != expectedSeq)
            return QStringLiteral("history seq %1 where %2 was expected").arg(seq).arg(expectedSeq);
        ++expectedSeq;
        if (stored.contains(id))
            return QStringLiteral("message id %1 stored twice (seq %2 and %3)")
                .arg(id)
                .arg(stored.value(id).seq)
                .arg(seq);
        stored.insert(id, {seq, m.value(QStringLiteral("content")).toString()});
    }
    if (messages.size() != expectedTotal)
        return QStringLiteral("history has %1 messages, expected %2")
            .arg(messages.size())
            .arg(expectedTotal);
    for (const Outbox *outbox : outboxes) {
        for (const QString &id : outbox->ids) {
            if (!stored.contains(id))
                return QStringLiteral("message %1 missing from history").arg(id);
            if (stored.value(id).content != outbox->content.value(id))
                return QStringLiteral("message %1 has content %2")
                    .arg(id, stored.value(id).content);
            const auto ack = acked.constFind(id);
            if (ack != acked.cend() &&
                intField(*ack, QStringLiteral("seq")) != stored.value(id).seq)
                return QStringLiteral("message %1 acked with seq %2 but stored at %3")
                    .arg(id)
                    .arg(intField(*ack, QStringLiteral("seq")))
                    .arg(stored.value(id).seq);
        }
    }
    return {};
}

void TestCrash::killMidStream()
{
    constexpr int kPerSender = 1'000;
    ChildServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TestUser a = createUser(server.url(), QStringLiteral("a"));
    const TestUser b = createUser(server.url(), QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = loginDevice(server.url(), a, QStringLiteral("a1"));
    Device b1 = loginDevice(server.url(), b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    const LoginInfo a1Login = a1.login, b1Login = b1.login;

    // Both write into the same direct conversation, pipelined, never waiting.
    Outbox fromA, fromB;
    fromA.to = b.userId;
    fromB.to = a.userId;
    const QString padding(400, QLatin1Char('.'));
    for (int i = 0; i < kPerSender; ++i) {
        for (auto [outbox, device] : {std::pair{&fromA, &a1}, std::pair{&fromB, &b1}}) {
            const QString id = TestClient::newId();
            const QString content = QStringLiteral("%1 %2 %3").arg(id).arg(i).arg(padding);
            outbox->ids << id;
            outbox->content.insert(id, content);
            (*device)->post(TestClient::messageObject(outbox->to, content, id));
        }
    }
    // Kill as soon as a few acks are in: mid-stream.
    const bool someAcked = spinUntil(
        [&] {
            if (a1->totalReplies() + b1->totalReplies() >= 100)
                server.kill();
            return !server.isRunning() || a1->wasDisconnected() || b1->wasDisconnected();
        },
        60'000);
    QVERIFY2(someAcked, qPrintable(QStringLiteral("acks: %1 + %2; %3")
                                       .arg(a1->totalReplies())
                                       .arg(b1->totalReplies())
                                       .arg(describeProcess(server))));
    server.kill();
    QVERIFY(a1->waitForDisconnected(10'000));
    QVERIFY(b1->waitForDisconnected(10'000));

    QHash<QString, QJsonObject> acked;
    for (auto [outbox, device] : {std::pair{&fromA, &a1}, std::pair{&fromB, &b1}}) {
        qint64 previous = 0;
        for (const QString &id : std::as_const(outbox->ids)) {
            const auto reply = (*device)->reply(id);
            if (!reply)
                continue;
            TERN_VERIFY_ACK(*reply);
            // Seqs of one connection follow its send order.
            QVERIFY(intField(*reply, QStringLiteral("seq")) > previous);
            previous = intField(*reply, QStringLiteral("seq"));
            acked.insert(id, *reply);
        }
    }
    qInfo("acked before SIGKILL: %lld of %d", qint64(acked.size()), 2 * kPerSender);
    if (acked.size() == 2 * kPerSender)
        qWarning("everything was acked before the kill; the crash was not mid-stream");
    a1.client.reset();
    b1.client.reset();

    // Restart on the same data dir; the devices reconnect with their tokens and re-send their
    // outbox (every unacked message, and some acked ones) with the same ids.
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    Device a1Again = reconnectDevice(server.url(), a1Login);
    Device b1Again = reconnectDevice(server.url(), b1Login);
    QVERIFY2(a1Again.ok() && b1Again.ok(), qPrintable(describeProcess(server)));
    const QHash<QString, QJsonObject> ackedBeforeKill = acked;
    QString problem = resend(a1Again.client.get(), fromA, acked, 10);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = resend(b1Again.client.get(), fromB, acked, 10);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(acked.size(), 2 * kPerSender);
    const QString conversation =
        acked.value(fromA.ids.first()).value(QStringLiteral("conversation")).toString();

    problem =
        verifyHistory(a1Again.client.get(), conversation, {&fromA, &fromB}, acked, 2 * kPerSender);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // The acks from before the crash still hold.
    for (auto it = ackedBeforeKill.cbegin(); it != ackedBeforeKill.cend(); ++it)
        QCOMPARE(intField(acked.value(it.key()), QStringLiteral("seq")),
                 intField(it.value(), QStringLiteral("seq")));
}

void TestCrash::sigtermIsGraceful()
{
    constexpr int kCount = 2'000;
    ChildServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TestUser a = createUser(server.url(), QStringLiteral("a"));
    const TestUser b = createUser(server.url(), QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = loginDevice(server.url(), a, QStringLiteral("a1"));
    Device b1 = loginDevice(server.url(), b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    const LoginInfo a1Login = a1.login;

    Outbox fromA;
    fromA.to = b.userId;
    for (int i = 0; i < kCount; ++i) {
        const QString id = TestClient::newId();
        const QString content = QStringLiteral("graceful %1").arg(i);
        fromA.ids << id;
        fromA.content.insert(id, content);
        a1->post(TestClient::messageObject(fromA.to, content, id));
    }
    // SIGTERM as soon as the first acks are in, with most of the stream still in flight.
    QVERIFY(spinUntil([&] { return a1->totalReplies() >= 20; }, 30'000));
    QElapsedTimer timer;
    timer.start();
    server.sendTerminate();
    QVERIFY2(a1->waitForDisconnected(10'000), "a1 not disconnected within 10 s of SIGTERM");
    QVERIFY2(b1->waitForDisconnected(10'000), "b1 not disconnected within 10 s of SIGTERM");
    QCOMPARE(a1->closeCode(), 1001);
    QCOMPARE(b1->closeCode(), 1001);
    QVERIFY2(server.waitForExit(int(qMax<qint64>(1, 10'000 - timer.elapsed()))),
             qPrintable(QStringLiteral("ternd still running %1 ms after SIGTERM; %2")
                            .arg(timer.elapsed())
                            .arg(describeProcess(server))));
    qInfo("ternd exited %lld ms after SIGTERM", timer.elapsed());
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);

    QHash<QString, QJsonObject> acked;
    for (const QString &id : std::as_const(fromA.ids))
        if (const auto reply = a1->reply(id)) {
            TERN_VERIFY_ACK(*reply);
            acked.insert(id, *reply);
        }
    qInfo("acked before SIGTERM: %lld of %d", qint64(acked.size()), kCount);

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    Device again = reconnectDevice(server.url(), a1Login);
    QVERIFY(again.ok());
    const QString conversation =
        acked.value(fromA.ids.first()).value(QStringLiteral("conversation")).toString();
    // Everything acked is there (before any re-send).
    {
        QString problem;
        const QList<QJsonObject> stored = fullHistory(again.client.get(), conversation, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QHash<QString, qint64> seqOf;
        for (const QJsonObject &m : stored)
            seqOf.insert(m.value(QStringLiteral("id")).toString(),
                         intField(m, QStringLiteral("seq")));
        for (auto it = acked.cbegin(); it != acked.cend(); ++it)
            QVERIFY2(seqOf.value(it.key(), -1) == intField(it.value(), QStringLiteral("seq")),
                     qPrintable(QStringLiteral("acked message %1 lost or moved").arg(it.key())));
    }
    const QString problem = resend(again.client.get(), fromA, acked, 0);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString historyProblem =
        verifyHistory(again.client.get(), conversation, {&fromA}, acked, kCount);
    QVERIFY2(historyProblem.isEmpty(), qPrintable(historyProblem));
}

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
