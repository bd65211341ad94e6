// One-to-one conversations over the wire: delivery to every device, seq order under concurrent
// senders, idempotent re-sends, history paging, the conversation list, receipts and the privacy
// of conversations towards non-members. One in-process server for the whole test; every test
// function uses fresh users.

#include "shared/core/Clock.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSet>
#include <QThread>
#include <QtTest>

using namespace tern::test;

namespace {

const QString kMessage = QStringLiteral("message");
const QString kReceipt = QStringLiteral("receipt");

//! Everything a delivered message must carry, compared with what was sent and acked.
QString checkMessageEvent(const QJsonObject &event, const QJsonObject &sent, const QJsonObject &ack,
                          const QString &from, const QString &fromDevice)
{
    QStringList problems;
    auto expect = [&](const QString &key, const QJsonValue &value) {
        if (event.value(key) != value)
            problems << QStringLiteral("%1: expected %2, got %3")
                            .arg(key, toJson(QJsonObject{{key, value}}),
                                 toJson(QJsonObject{{key, event.value(key)}}));
    };
    expect(QStringLiteral("type"), kMessage);
    expect(QStringLiteral("id"), sent.value(QStringLiteral("id")));
    expect(QStringLiteral("conversation"), ack.value(QStringLiteral("conversation")));
    expect(QStringLiteral("seq"), ack.value(QStringLiteral("seq")));
    expect(QStringLiteral("from"), from);
    expect(QStringLiteral("from_device"), fromDevice);
    expect(QStringLiteral("to"), sent.value(QStringLiteral("to")));
    expect(QStringLiteral("kind"), sent.value(QStringLiteral("kind")));
    expect(QStringLiteral("content"), sent.value(QStringLiteral("content")));
    expect(QStringLiteral("server_ts"), ack.value(QStringLiteral("server_ts")));
    if (sent.contains(QStringLiteral("ts")))
        expect(QStringLiteral("ts"), sent.value(QStringLiteral("ts")));
    else if (intField(event, QStringLiteral("ts")) <= 0)
        problems << QStringLiteral("ts missing");
    if (!problems.isEmpty())
        problems << QStringLiteral("event: ") + toJson(event);
    return problems.join(QStringLiteral("; "));
}

QString checkSentAck(const QJsonObject &ack, qint64 seq = -1)
{
    if (!isAck(ack))
        return QStringLiteral("not an ack: ") + toJson(ack);
    if (ack.value(QStringLiteral("status")).toString() != QStringLiteral("sent") ||
        ack.value(QStringLiteral("conversation")).toString().isEmpty() ||
        intField(ack, QStringLiteral("seq")) < 1 ||
        (seq >= 0 && intField(ack, QStringLiteral("seq")) != seq))
        return QStringLiteral("bad message ack (seq %1 expected): %2").arg(seq).arg(toJson(ack));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 serverTs = intField(ack, QStringLiteral("server_ts"));
    if (serverTs < now - 60'000 || serverTs > now + 60'000)
        return QStringLiteral("server_ts not near now (%1): %2").arg(now).arg(toJson(ack));
    return {};
}

QJsonObject findConversation(const QJsonObject &conversationsAck, const QString &id)
{
    const QJsonArray list = conversationsAck.value(QStringLiteral("conversations")).toArray();
    for (const QJsonValue &value : list)
        if (value.toObject().value(QStringLiteral("conversation")).toString() == id)
            return value.toObject();
    return {};
}

QList<qint64> seqsOf(const QJsonArray &messages)
{
    QList<qint64> seqs;
    for (const QJsonValue &value : messages)
        seqs << intField(value.toObject(), QStringLiteral("seq"));
    return seqs;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> values;
    for (qint64 v = first; v <= last; ++v)
        values << v;
    return values;
}

//! An id of the same shape as `id` that names nothing (last character changed).
QString siblingId(const QString &id)
{
    QString other = id;
    const QChar last = other.back();
    other.back() = last == QLatin1Char('a') ? QLatin1Char('b') : QLatin1Char('a');
    return other;
}

} // namespace

class TestDirect : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void deliveryToAllDevices();
    void savedMessages();
    void sendToUnknown_data();
    void sendToUnknown();
    void sendInvalid_data();
    void sendInvalid();
    void concurrentSendersGapFree();
    void liveEventsInSeqOrderUnderCpuContention();
    void idempotentResend();
    void historyPaging();
    void historyLimits();
    void conversationsList();
    void receiptWatermarks();
    void receiptsRequest();
    void receiptsPerId();
    void nonMemberSeesNothing();

private:
    QUrl url() const { return m_server.url(); }
    TestUser user(const QString &prefix);
    Device device(const TestUser &user, const QString &name);
    //! Posts `count` messages from `from` to `to` (pipelined) and waits for all acks.
    QList<QJsonObject> sendMany(TestClient *from, const QString &to, int count,
                                const QString &prefix = QStringLiteral("m"));
    QJsonObject history(TestClient *client, const QString &conversation, qint64 beforeSeq = -1,
                        int limit = -1);

    ServerFixture m_server;
};

void TestDirect::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void TestDirect::cleanupTestCase()
{
    m_server.stop();
}

TestUser TestDirect::user(const QString &prefix)
{
    return createUser(url(), prefix);
}

Device TestDirect::device(const TestUser &user, const QString &name)
{
    return loginDevice(url(), user, name);
}

QList<QJsonObject> TestDirect::sendMany(TestClient *from, const QString &to, int count,
                                        const QString &prefix)
{
    QStringList ids;
    for (int i = 0; i < count; ++i)
        ids << from->post(TestClient::messageObject(to, prefix + QString::number(i + 1)));
    QList<QJsonObject> acks;
    if (!from->waitForReplies(ids, 60'000))
        return acks;
    for (const QString &id : ids)
        acks << *from->reply(id);
    return acks;
}

QJsonObject TestDirect::history(TestClient *client, const QString &conversation, qint64 beforeSeq,
                                int limit)
{
    QJsonObject request{{"type", "history"}, {"conversation", conversation}};
    if (beforeSeq >= 0)
        request.insert(QStringLiteral("before_seq"), beforeSeq);
    if (limit >= 0)
        request.insert(QStringLiteral("limit"), limit);
    return client->request(request);
}

void TestDirect::deliveryToAllDevices()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1")), a2 = device(a, QStringLiteral("a2"));
    Device b1 = device(b, QStringLiteral("b1")), b2 = device(b, QStringLiteral("b2"));
    QVERIFY(a1.ok() && a2.ok() && b1.ok() && b2.ok());

    QJsonObject sent = TestClient::messageObject(b.userId, QStringLiteral("Hello!"));
    sent.insert(QStringLiteral("ts"), qint64(1705312200000));
    const QJsonObject ack = a1->request(sent);
    const QString ackProblem = checkSentAck(ack, 1);
    QVERIFY2(ackProblem.isEmpty(), qPrintable(ackProblem));
    QCOMPARE(ack.value(QStringLiteral("id")), sent.value(QStringLiteral("id")));

    for (Device *receiver : {&a2, &b1, &b2}) {
        const std::optional<QJsonObject> event = (*receiver)->waitForEvent(kMessage);
        QVERIFY2(event,
                 qPrintable(QStringLiteral("no message event on ") + receiver->login.deviceId));
        const QString problem = checkMessageEvent(*event, sent, ack, a.userId, a1.deviceId());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // The next message in the conversation is seq 2; B's answer (to A's user id) lands in the
    // same direct conversation as seq 3.
    const QJsonObject second = TestClient::messageObject(b.userId, QStringLiteral("second"));
    const QJsonObject ack2 = a1->request(second);
    QVERIFY2(checkSentAck(ack2, 2).isEmpty(), qPrintable(checkSentAck(ack2, 2)));
    QCOMPARE(ack2.value(QStringLiteral("conversation")), ack.value(QStringLiteral("conversation")));
    const QJsonObject answer = TestClient::messageObject(a.userId, QStringLiteral("answer"));
    const QJsonObject ack3 = b2->request(answer);
    QVERIFY2(checkSentAck(ack3, 3).isEmpty(), qPrintable(checkSentAck(ack3, 3)));
    QCOMPARE(ack3.value(QStringLiteral("conversation")), ack.value(QStringLiteral("conversation")));

    // Without ts the server fills one in.
    for (Device *receiver : {&a1, &a2, &b1}) {
        const auto event = (*receiver)->waitForEvent(
            kMessage, 10'000, [](const QJsonObject &e) { return intField(e, "seq") == 3; });
        QVERIFY(event);
        const QString problem = checkMessageEvent(*event, answer, ack3, b.userId, b2.deviceId());
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    // The sending device gets the ack only. Events reach a link in the order they were queued:
    // an echo of seq 1 or 2 would be on a1 before seq 3, and one of seq 3 on b2 before seq 4.
    QVERIFY(a1->expectNoEvent(kMessage));
    TERN_VERIFY_ACK(a1->sendMessage(b.userId, QStringLiteral("later")));
    QVERIFY(b2->waitForEvent(kMessage, 10'000,
                             [](const QJsonObject &e) { return intField(e, "seq") == 4; }));
    QVERIFY(b2->expectNoEvent(kMessage,
                              [](const QJsonObject &e) { return intField(e, "seq") == 3; }));
}

void TestDirect::savedMessages()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1")), a2 = device(a, QStringLiteral("a2"));
    Device b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && a2.ok() && b1.ok());

    const QJsonObject toB = a1->sendMessage(b.userId, QStringLiteral("to b"));
    QVERIFY2(checkSentAck(toB, 1).isEmpty(), qPrintable(checkSentAck(toB, 1)));

    const QJsonObject note = TestClient::messageObject(a.userId, QStringLiteral("note to self"));
    const QJsonObject ack = a1->request(note);
    QVERIFY2(checkSentAck(ack, 1).isEmpty(), qPrintable(checkSentAck(ack, 1)));
    const QString saved = ack.value(QStringLiteral("conversation")).toString();
    QVERIFY(saved != toB.value(QStringLiteral("conversation")).toString());

    const auto event = a2->waitForEvent(kMessage, 10'000, [&](const QJsonObject &e) {
        return e.value("conversation").toString() == saved;
    });
    QVERIFY(event);
    const QString problem = checkMessageEvent(*event, note, ack, a.userId, a1.deviceId());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // Saved messages is the same conversation every time; it is listed as a direct one.
    const QJsonObject again = a2->sendMessage(a.userId, QStringLiteral("again"));
    QVERIFY2(checkSentAck(again, 2).isEmpty(), qPrintable(checkSentAck(again, 2)));
    QCOMPARE(again.value(QStringLiteral("conversation")).toString(), saved);
    // a1 gets a2's note; an echo of its own two messages would have come before it (events
    // reach a link in the order they were queued).
    QVERIFY(a1->waitForEvent(kMessage, 10'000, [&](const QJsonObject &e) {
        return e.value("conversation").toString() == saved && intField(e, "seq") == 2;
    }));
    QVERIFY(a1->expectNoEvent(kMessage));
    const QJsonObject list = a1->request({{"type", "conversations"}});
    TERN_VERIFY_ACK(list);
    const QJsonObject entry = findConversation(list, saved);
    QVERIFY2(!entry.isEmpty(), qPrintable(toJson(list)));
    QCOMPARE(entry.value(QStringLiteral("kind")).toString(), QStringLiteral("direct"));
    QCOMPARE(intField(entry, QStringLiteral("last_seq")), 2);
    // B cannot see it, and got none of it: a later message to B comes after anything queued.
    TERN_VERIFY_ERROR(history(b1.client.get(), saved), "not_found");
    TERN_VERIFY_ACK(a2->sendMessage(b.userId, QStringLiteral("to b again")));
    QVERIFY(b1->waitForEvent(kMessage, 10'000, [](const QJsonObject &e) {
        return e.value("content").toString() == QStringLiteral("to b again");
    }));
    QVERIFY(b1->expectNoEvent(kMessage, [&](const QJsonObject &e) {
        return e.value("conversation").toString() == saved;
    }));
}

void TestDirect::sendToUnknown_data()
{
    QTest::addColumn<QString>("to");
    QTest::newRow("unknown user id") << QStringLiteral("u%1").arg(QString(20, QLatin1Char('q')));
    QTest::newRow("unknown conversation id")
        << QStringLiteral("c%1").arg(QString(20, QLatin1Char('q')));
    QTest::newRow("not an id") << QStringLiteral("nobody-at-all");
}

void TestDirect::sendToUnknown()
{
    QFETCH(QString, to);
    const TestUser a = user(QStringLiteral("a"));
    QVERIFY(a.ok());
    Device a1 = device(a, QStringLiteral("a1"));
    QVERIFY(a1.ok());
    TERN_VERIFY_ERROR(a1->sendMessage(to, QStringLiteral("hello?")), "not_found");
    // Nothing was created.
    const QJsonObject list = a1->request({{"type", "conversations"}});
    TERN_VERIFY_ACK(list);
    QCOMPARE(list.value(QStringLiteral("conversations")).toArray().size(), 0);
}

void TestDirect::sendInvalid_data()
{
    QTest::addColumn<QJsonObject>("fields");
    QTest::addColumn<QString>("code");
    QTest::newRow("kind system") << QJsonObject{{"kind", "system"}, {"content", "{}"}}
                                 << QStringLiteral("bad_request");
    QTest::newRow("kind unknown") << QJsonObject{{"kind", "sticker"}, {"content", "x"}}
                                  << QStringLiteral("bad_request");
    QTest::newRow("kind missing") << QJsonObject{{"content", "x"}} << QStringLiteral("bad_request");
    QTest::newRow("content missing")
        << QJsonObject{{"kind", "text"}} << QStringLiteral("bad_request");
    QTest::newRow("content empty text")
        << QJsonObject{{"kind", "text"}, {"content", ""}} << QStringLiteral("bad_request");
    QTest::newRow("content number")
        << QJsonObject{{"kind", "text"}, {"content", 5}} << QStringLiteral("bad_request");
    QTest::newRow("to missing") << QJsonObject{{"kind", "text"},
                                               {"content", "x"},
                                               {"to", QJsonValue()}}
                                << QStringLiteral("bad_request");
    QTest::newRow("image without media")
        << QJsonObject{{"kind", "image"}, {"content", ""}} << QStringLiteral("bad_request");
    QTest::newRow("ts negative") << QJsonObject{{"kind", "text"}, {"content", "x"}, {"ts", -1}}
                                 << QStringLiteral("bad_request");
    QTest::newRow("ts string") << QJsonObject{{"kind", "text"}, {"content", "x"}, {"ts", "now"}}
                               << QStringLiteral("bad_request");
}

void TestDirect::sendInvalid()
{
    QFETCH(QJsonObject, fields);
    QFETCH(QString, code);
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1"));
    Device b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    QJsonObject frame{{"type", "message"}, {"to", b.userId}};
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (it.value().isNull())
            frame.remove(it.key());
        else
            frame.insert(it.key(), it.value());
    }
    TERN_VERIFY_ERROR(a1->request(frame), code);
    // The conversation (if any) has no message: the next one is seq 1, and it is the first
    // event B gets (a rejected one would have been queued before it).
    const QJsonObject ok = a1->sendMessage(b.userId, QStringLiteral("fine"));
    QVERIFY2(checkSentAck(ok, 1).isEmpty(), qPrintable(checkSentAck(ok, 1)));
    const auto first = b1->waitForEvent(kMessage);
    QVERIFY(first);
    QCOMPARE(first->value(QStringLiteral("content")).toString(), QStringLiteral("fine"));
    QVERIFY(b1->expectNoEvent(kMessage));
}

void TestDirect::concurrentSendersGapFree()
{
    constexpr int kPerSender = 200;
    constexpr int kSenders = 4;
    constexpr int kTotal = kPerSender * kSenders;
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1")), a2 = device(a, QStringLiteral("a2"));
    Device b1 = device(b, QStringLiteral("b1")), b2 = device(b, QStringLiteral("b2"));
    Device watcher = device(b, QStringLiteral("watcher"));
    QVERIFY(a1.ok() && a2.ok() && b1.ok() && b2.ok() && watcher.ok());

    Device *senders[kSenders] = {&a1, &a2, &b1, &b2};
    const QString targets[kSenders] = {b.userId, b.userId, a.userId, a.userId};
    QList<QStringList> ids(kSenders);
    QHash<QString, QPair<int, int>> origin; // message id -> (sender, index)
    // Interleaved and pipelined: nobody waits for an ack. The very first messages race to
    // create the one direct conversation.
    for (int i = 0; i < kPerSender; ++i) {
        for (int s = 0; s < kSenders; ++s) {
            const QString id = (*senders[s])
                                   ->post(TestClient::messageObject(
                                       targets[s], QStringLiteral("s%1-%2").arg(s).arg(i)));
            ids[s] << id;
            origin.insert(id, {s, i});
        }
    }
    for (int s = 0; s < kSenders; ++s)
        QVERIFY2((*senders[s])->waitForReplies(ids[s], 60'000),
                 qPrintable(QStringLiteral("sender %1: %2 of %3 replies")
                                .arg(s)
                                .arg((*senders[s])->totalReplies())
                                .arg(kPerSender)));

    QString conversation;
    QHash<QString, qint64> seqOf;
    QSet<qint64> seqs;
    for (int s = 0; s < kSenders; ++s) {
        qint64 previous = 0;
        for (const QString &id : std::as_const(ids[s])) {
            const QJsonObject ack = *(*senders[s])->reply(id);
            const QString problem = checkSentAck(ack);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            QCOMPARE((*senders[s])->replyCount(id), 1);
            if (conversation.isEmpty())
                conversation = ack.value(QStringLiteral("conversation")).toString();
            QCOMPARE(ack.value(QStringLiteral("conversation")).toString(), conversation);
            const qint64 seq = intField(ack, QStringLiteral("seq"));
            QVERIFY2(
                seq > previous,
                qPrintable(
                    QStringLiteral("sender %1: seq %2 after %3").arg(s).arg(seq).arg(previous)));
            previous = seq;
            QVERIFY2(!seqs.contains(seq), qPrintable(QStringLiteral("seq %1 twice").arg(seq)));
            seqs.insert(seq);
            seqOf.insert(id, seq);
        }
    }
    QCOMPARE(seqs.size(), kTotal);
    QCOMPARE(*std::min_element(seqs.cbegin(), seqs.cend()), 1);
    QCOMPARE(*std::max_element(seqs.cbegin(), seqs.cend()), kTotal);

    // The watcher sees all 800, in seq order; every sender sees the other 600, in seq order.
    auto verifyStream = [&](TestClient *client, int expected, int skipSender) -> QString {
        if (!client->waitForEventCount(kMessage, expected, 60'000))
            return QStringLiteral("%1 of %2 events")
                .arg(client->eventCount(kMessage))
                .arg(expected);
        if (!client->barrier()) // every send was acked: an extra event would be in by now
            return QStringLiteral("no answer to the barrier");
        if (client->eventCount(kMessage) > expected)
            return QStringLiteral("more events than expected: %1")
                .arg(client->eventCount(kMessage));
        const QList<QJsonObject> events = client->takeEvents(kMessage);
        qint64 previous = 0;
        for (const QJsonObject &event : events) {
            const QString id = event.value(QStringLiteral("id")).toString();
            const qint64 seq = intField(event, QStringLiteral("seq"));
            if (!seqOf.contains(id) || seqOf.value(id) != seq)
                return QStringLiteral("event does not match its ack: ") + toJson(event);
            if (origin.value(id).first == skipSender)
                return QStringLiteral("own message echoed: ") + toJson(event);
            if (seq <= previous)
                return QStringLiteral("seq %1 after %2").arg(seq).arg(previous);
            previous = seq;
        }
        return {};
    };
    QString problem = verifyStream(watcher.client.get(), kTotal, -1);
    QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("watcher: ") + problem));
    for (int s = 0; s < kSenders; ++s) {
        problem = verifyStream(senders[s]->client.get(), kTotal - kPerSender, s);
        QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("sender %1: ").arg(s) + problem));
    }

    // History agrees: 1..800 without gaps.
    QList<qint64> all;
    qint64 before = kTotal + 1;
    for (int page = 0; page < 10 && before > 1; ++page) {
        const QJsonObject reply = history(a1.client.get(), conversation, before, 200);
        TERN_VERIFY_ACK(reply);
        const QList<qint64> seqsPage = seqsOf(reply.value(QStringLiteral("messages")).toArray());
        QVERIFY(!seqsPage.isEmpty());
        all = seqsPage + all;
        before = seqsPage.first();
    }
    QCOMPARE(all, range(1, kTotal));
}

void TestDirect::liveEventsInSeqOrderUnderCpuContention()
{
    // Busy threads make the socket thread lose the CPU at arbitrary points, e.g. between
    // queuing a message for storage and awaiting its commit. Receivers must still see the
    // conversation in seq order.
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1"));
    Device b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());

    constexpr int kBursts = 120;
    constexpr int kTotal = kBursts * 5;
    std::atomic<bool> stop{false};
    std::vector<std::unique_ptr<QThread>> burners;
    for (int i = 0; i < 2 * qMax(2, QThread::idealThreadCount()); ++i) {
        burners.emplace_back(QThread::create([&stop] {
            volatile quint64 x = 0;
            while (!stop.load(std::memory_order_relaxed))
                x = x + 1;
        }));
        burners.back()->start();
    }
    QList<QJsonObject> acks;
    for (int burst = 0; burst < kBursts; ++burst) {
        QStringList ids;
        for (int i = 0; i < 5; ++i)
            ids << a1->post(
                TestClient::messageObject(b.userId, QStringLiteral("%1").arg(burst * 5 + i)));
        if (!a1->waitForReplies(ids, 30'000))
            break;
        for (const QString &id : std::as_const(ids))
            acks << *a1->reply(id);
    }
    const bool allEvents = b1->waitForEventCount(kMessage, kTotal, 30'000);
    stop = true;
    for (auto &burner : burners)
        burner->wait();
    QCOMPARE(acks.size(), kTotal);
    QVERIFY(allEvents);
    QList<qint64> seqs;
    for (const QJsonObject &event : b1->takeEvents(kMessage))
        seqs << intField(event, QStringLiteral("seq"));
    const auto inversion = std::is_sorted_until(seqs.cbegin(), seqs.cend());
    if (inversion != seqs.cend()) {
        const qsizetype at = inversion - seqs.cbegin();
        QStringList around;
        for (qsizetype i = qMax<qsizetype>(0, at - 6); i < qMin(seqs.size(), at + 6); ++i)
            around << QString::number(seqs.at(i));
        QFAIL(qPrintable(QStringLiteral("receiver saw seq %1 after %2 (event #%3; around: %4)")
                             .arg(seqs.at(at))
                             .arg(seqs.at(at - 1))
                             .arg(at + 1)
                             .arg(around.join(QLatin1Char(' ')))));
    }
}

void TestDirect::idempotentResend()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1")), a2 = device(a, QStringLiteral("a2"));
    Device b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && a2.ok() && b1.ok());

    QVERIFY(isAck(a1->sendMessage(b.userId, QStringLiteral("before"))));
    const QString id = TestClient::newId();
    const QJsonObject ack = a1->sendMessage(b.userId, QStringLiteral("first"), id);
    QVERIFY2(checkSentAck(ack, 2).isEmpty(), qPrintable(checkSentAck(ack, 2)));
    const QString conversation = ack.value(QStringLiteral("conversation")).toString();
    QVERIFY(b1->waitForEventCount(kMessage, 2, 10'000));
    QVERIFY(a2->waitForEventCount(kMessage, 2, 10'000));
    b1->clearEvents();
    a2->clearEvents();

    auto verifySameAck = [&](const QJsonObject &again) -> QString {
        for (const char *key : {"type", "id", "status", "conversation", "seq", "server_ts"})
            if (again.value(QLatin1String(key)) != ack.value(QLatin1String(key)))
                return QStringLiteral("%1 differs: %2 vs original %3")
                    .arg(QLatin1String(key), toJson(again), toJson(ack));
        return {};
    };
    // Same id, same content; then same id, different content.
    QString problem = verifySameAck(a1->sendMessage(b.userId, QStringLiteral("first"), id));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = verifySameAck(a1->sendMessage(b.userId, QStringLiteral("second"), id));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // Also from a new connection of the same device (the outbox retry after a reconnect).
    Device a1again = reconnectDevice(url(), a1.login);
    QVERIFY(a1again.ok());
    problem = verifySameAck(a1again->sendMessage(b.userId, QStringLiteral("third"), id));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    const QJsonObject list = b1->request({{"type", "conversations"}});
    TERN_VERIFY_ACK(list);
    QCOMPARE(intField(findConversation(list, conversation), QStringLiteral("last_seq")), 2);
    const QJsonObject page = history(b1.client.get(), conversation);
    TERN_VERIFY_ACK(page);
    const QJsonArray messages = page.value(QStringLiteral("messages")).toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(1).toObject().value(QStringLiteral("id")).toString(), id);
    QCOMPARE(messages.at(1).toObject().value(QStringLiteral("content")).toString(),
             QStringLiteral("first"));

    // No gap was made: the next new message is seq 3.
    const QJsonObject next = a1->sendMessage(b.userId, QStringLiteral("next"));
    QVERIFY2(checkSentAck(next, 3).isEmpty(), qPrintable(checkSentAck(next, 3)));
    // No re-send was delivered: events reach a link in the order they were queued, so a copy
    // would be there before seq 3.
    for (Device *d : {&b1, &a2}) {
        QVERIFY((*d)->waitForEvent(kMessage, 10'000,
                                   [](const QJsonObject &e) { return intField(e, "seq") == 3; }));
        QVERIFY((*d)->expectNoEvent(kMessage));
    }
    QVERIFY(a1->expectNoEvent(kMessage));
}

void TestDirect::historyPaging()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1"));
    Device b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    const QList<QJsonObject> acks = sendMany(a1.client.get(), b.userId, 25);
    QCOMPARE(acks.size(), 25);
    const QString conversation = acks.first().value(QStringLiteral("conversation")).toString();

    for (TestClient *client : {a1.client.get(), b1.client.get()}) {
        QJsonObject page = history(client, conversation, -1, 10);
        TERN_VERIFY_ACK(page);
        QCOMPARE(seqsOf(page.value(QStringLiteral("messages")).toArray()), range(16, 25));
        page = history(client, conversation, 16, 10);
        TERN_VERIFY_ACK(page);
        QCOMPARE(seqsOf(page.value(QStringLiteral("messages")).toArray()), range(6, 15));
        page = history(client, conversation, 6, 10);
        TERN_VERIFY_ACK(page);
        QCOMPARE(seqsOf(page.value(QStringLiteral("messages")).toArray()), range(1, 5));
        page = history(client, conversation, 1, 10);
        TERN_VERIFY_ACK(page);
        QCOMPARE(page.value(QStringLiteral("messages")).toArray().size(), 0);
    }

    // History entries have the fields of a message event.
    const QJsonObject page = history(b1.client.get(), conversation, 3, 1);
    TERN_VERIFY_ACK(page);
    const QJsonArray messages = page.value(QStringLiteral("messages")).toArray();
    QCOMPARE(messages.size(), 1);
    QJsonObject sent = TestClient::messageObject(b.userId, QStringLiteral("m2"),
                                                 acks.at(1).value(QStringLiteral("id")).toString());
    const QString problem =
        checkMessageEvent(messages.at(0).toObject(), sent, acks.at(1), a.userId, a1.deviceId());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestDirect::historyLimits()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1"));
    QVERIFY(a1.ok());
    const QList<QJsonObject> acks = sendMany(a1.client.get(), b.userId, 210);
    QCOMPARE(acks.size(), 210);
    const QString conversation = acks.first().value(QStringLiteral("conversation")).toString();

    QJsonObject page = history(a1.client.get(), conversation, -1, 500);
    TERN_VERIFY_ACK(page);
    QCOMPARE(seqsOf(page.value(QStringLiteral("messages")).toArray()), range(11, 210));
    page = history(a1.client.get(), conversation, -1, 200);
    TERN_VERIFY_ACK(page);
    QCOMPARE(seqsOf(page.value(QStringLiteral("messages")).toArray()), range(11, 210));
    page = history(a1.client.get(), conversation);
    TERN_VERIFY_ACK(page);
    QCOMPARE(seqsOf(page.value(QStringLiteral("messages")).toArray()), range(161, 210));
    page = history(a1.client.get(), conversation, 1000, 5);
    TERN_VERIFY_ACK(page);
    QCOMPARE(seqsOf(page.value(QStringLiteral("messages")).toArray()), range(206, 210));
    TERN_VERIFY_ERROR(history(a1.client.get(), conversation, -1, 0), "bad_request");
    QJsonObject negative{{"type", "history"}, {"conversation", conversation}, {"limit", -5}};
    TERN_VERIFY_ERROR(a1->request(negative), "bad_request");
}

void TestDirect::conversationsList()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   c = user(QStringLiteral("c"));
    QVERIFY(a.ok() && b.ok() && c.ok());
    Device a1 = device(a, QStringLiteral("a1"));
    Device b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());

    const QList<QJsonObject> acks = sendMany(a1.client.get(), b.userId, 3);
    QCOMPARE(acks.size(), 3);
    const QString ab = acks.first().value(QStringLiteral("conversation")).toString();

    QJsonObject list = b1->request({{"type", "conversations"}});
    TERN_VERIFY_ACK(list);
    QJsonObject entry = findConversation(list, ab);
    QVERIFY2(!entry.isEmpty(), qPrintable(toJson(list)));
    QCOMPARE(entry.value(QStringLiteral("kind")).toString(), QStringLiteral("direct"));
    QCOMPARE(entry.value(QStringLiteral("name")).toString(), a.displayName);
    QCOMPARE(intField(entry, QStringLiteral("last_seq")), 3);
    QCOMPARE(intField(entry, QStringLiteral("unread")), 3);
    QCOMPARE(intField(entry, QStringLiteral("read_seq")), 0);
    QSet<QString> members;
    for (const QJsonValue &m : entry.value(QStringLiteral("members")).toArray()) {
        members.insert(m.toObject().value(QStringLiteral("user_id")).toString());
        QVERIFY2(!m.toObject().value(QStringLiteral("role")).toString().isEmpty(),
                 qPrintable(toJson(entry)));
    }
    QCOMPARE(members, (QSet<QString>{a.userId, b.userId}));
    const QJsonObject last = entry.value(QStringLiteral("last_message")).toObject();
    const QJsonObject sent3 = TestClient::messageObject(
        b.userId, QStringLiteral("m3"), acks.at(2).value(QStringLiteral("id")).toString());
    QString problem = checkMessageEvent(last, sent3, acks.at(2), a.userId, a1.deviceId());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // The sender's view: named after B, nothing unread (own messages never count).
    list = a1->request({{"type", "conversations"}});
    TERN_VERIFY_ACK(list);
    entry = findConversation(list, ab);
    QCOMPARE(entry.value(QStringLiteral("name")).toString(), b.displayName);
    QCOMPARE(intField(entry, QStringLiteral("unread")), 0);

    // B reads up to 2: one unread left; B's own message does not add to it.
    TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"conversation", ab}, {"seq", 2}}));
    TERN_VERIFY_ACK(b1->sendMessage(a.userId, QStringLiteral("reply")));
    list = b1->request({{"type", "conversations"}});
    entry = findConversation(list, ab);
    QCOMPARE(intField(entry, QStringLiteral("read_seq")), 2);
    QCOMPARE(intField(entry, QStringLiteral("unread")), 1);
    QCOMPARE(intField(entry, QStringLiteral("last_seq")), 4);

    // Sorted by last activity, newest first (timestamps are in ms: the clock moves on between
    // sends instead of the test sleeping, so they are distinct on any machine).
    tern::advanceClockForTesting(1);
    const QJsonObject toC = a1->sendMessage(c.userId, QStringLiteral("hi c"));
    TERN_VERIFY_ACK(toC);
    const QString ac = toC.value(QStringLiteral("conversation")).toString();
    auto order = [&]() {
        QStringList ids;
        const QJsonObject reply = a1->request({{"type", "conversations"}});
        for (const QJsonValue &v : reply.value(QStringLiteral("conversations")).toArray())
            ids << v.toObject().value(QStringLiteral("conversation")).toString();
        return ids;
    };
    QCOMPARE(order(), (QStringList{ac, ab}));
    tern::advanceClockForTesting(1); // distinct timestamps
    TERN_VERIFY_ACK(b1->sendMessage(a.userId, QStringLiteral("bump")));
    QCOMPARE(order(), (QStringList{ab, ac}));
}

void TestDirect::receiptWatermarks()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1")), a2 = device(a, QStringLiteral("a2"));
    Device b1 = device(b, QStringLiteral("b1")), b2 = device(b, QStringLiteral("b2"));
    QVERIFY(a1.ok() && a2.ok() && b1.ok() && b2.ok());
    const QList<QJsonObject> acks = sendMany(a1.client.get(), b.userId, 3);
    QCOMPARE(acks.size(), 3);
    const QString conv = acks.first().value(QStringLiteral("conversation")).toString();

    auto isReceipt = [&](const QString &status, qint64 seq) {
        return [=](const QJsonObject &e) {
            return e.value("conversation").toString() == conv &&
                   e.value("user").toString() == b.userId &&
                   e.value("status").toString() == status && intField(e, "seq") == seq;
        };
    };

    // Delivery watermark as a notification (no id, no reply).
    b1->send({{"type", "delivery"}, {"conversation", conv}, {"seq", 2}});
    for (Device *d : {&a1, &a2, &b2}) {
        const auto receipt = (*d)->waitForEvent(kReceipt, 10'000, isReceipt("delivered", 2));
        QVERIFY2(receipt, qPrintable(QStringLiteral("no delivered receipt on ") + d->deviceId()));
        QVERIFY(intField(*receipt, QStringLiteral("ts")) > 0);
    }
    QVERIFY(b1->expectNoEvent(QStringLiteral("error")));

    // Read watermark.
    b1->send({{"type", "read"}, {"conversation", conv}, {"seq", 3}});
    for (Device *d : {&a1, &a2, &b2})
        QVERIFY2((*d)->waitForEvent(kReceipt, 10'000, isReceipt("read", 3)),
                 qPrintable(QStringLiteral("no read receipt on ") + d->deviceId()));

    // Backwards and repeated watermarks are accepted and change nothing.
    TERN_VERIFY_ACK(b1->request({{"type", "delivery"}, {"conversation", conv}, {"seq", 1}}));
    TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"conversation", conv}, {"seq", 2}}));
    TERN_VERIFY_ACK(b2->request({{"type", "read"}, {"conversation", conv}, {"seq", 3}}));
    const QJsonObject receipts =
        a1->request({{"type", "receipts"}, {"conversation", conv}, {"seq", 3}});
    TERN_VERIFY_ACK(receipts);
    const QJsonArray members = receipts.value(QStringLiteral("members")).toArray();
    QCOMPARE(members.size(), 1);
    QCOMPARE(intField(members.at(0).toObject(), QStringLiteral("delivered_seq")), 3);
    QCOMPARE(intField(members.at(0).toObject(), QStringLiteral("read_seq")), 3);

    // A watermark beyond last_seq is clamped.
    TERN_VERIFY_ACK(a1->sendMessage(b.userId, QStringLiteral("m4")));
    TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"conversation", conv}, {"seq", 1000}}));
    QVERIFY(a1->waitForEvent(kReceipt, 10'000, isReceipt("read", 4)));
    QVERIFY(a2->waitForEvent(kReceipt, 10'000, isReceipt("read", 4)));
    QVERIFY(b2->waitForEvent(kReceipt, 10'000, isReceipt("read", 4)));
    // The backwards and repeated watermarks above sent nothing (and a read move is sent as
    // "read" alone): a receipt of theirs would have reached these devices before this one
    // (events reach a link in the order they were queued).
    for (Device *d : {&a1, &a2, &b2})
        QVERIFY((*d)->expectNoEvent(kReceipt));
    const QJsonObject after =
        a1->request({{"type", "receipts"}, {"conversation", conv}, {"seq", 4}});
    TERN_VERIFY_ACK(after);
    const QJsonObject member = after.value(QStringLiteral("members")).toArray().at(0).toObject();
    QCOMPARE(intField(member, QStringLiteral("read_seq")), 4);
    QCOMPARE(member.value(QStringLiteral("read")).toBool(), true);
}

void TestDirect::receiptsRequest()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1"));
    Device b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    const QList<QJsonObject> acks = sendMany(a1.client.get(), b.userId, 3);
    QCOMPARE(acks.size(), 3);
    const QString conv = acks.first().value(QStringLiteral("conversation")).toString();

    auto memberFor = [&](qint64 seq) {
        const QJsonObject reply =
            a1->request({{"type", "receipts"}, {"conversation", conv}, {"seq", seq}});
        const QJsonArray members = reply.value(QStringLiteral("members")).toArray();
        if (!isAck(reply) || members.size() != 1)
            qWarning("receipts: %s", qPrintable(toJson(reply)));
        return members.size() == 1 ? members.at(0).toObject() : QJsonObject{};
    };
    QJsonObject m = memberFor(2);
    QCOMPARE(m.value(QStringLiteral("user_id")).toString(), b.userId);
    QCOMPARE(m.value(QStringLiteral("delivered")).toBool(true), false);
    QCOMPARE(m.value(QStringLiteral("read")).toBool(true), false);

    TERN_VERIFY_ACK(b1->request({{"type", "delivery"}, {"conversation", conv}, {"seq", 2}}));
    m = memberFor(2);
    QCOMPARE(m.value(QStringLiteral("delivered")).toBool(), true);
    QCOMPARE(m.value(QStringLiteral("read")).toBool(true), false);
    QCOMPARE(intField(m, QStringLiteral("delivered_seq")), 2);
    m = memberFor(3);
    QCOMPARE(m.value(QStringLiteral("delivered")).toBool(true), false);

    // read implies delivered.
    TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"conversation", conv}, {"seq", 3}}));
    m = memberFor(3);
    QCOMPARE(m.value(QStringLiteral("delivered")).toBool(), true);
    QCOMPARE(m.value(QStringLiteral("read")).toBool(), true);
    QCOMPARE(intField(m, QStringLiteral("read_seq")), 3);
    QVERIFY(intField(m, QStringLiteral("delivered_seq")) >= 3);

    // B may ask too: it lists A, the only other member.
    const QJsonObject fromB =
        b1->request({{"type", "receipts"}, {"conversation", conv}, {"seq", 1}});
    TERN_VERIFY_ACK(fromB);
    const QJsonArray bMembers = fromB.value(QStringLiteral("members")).toArray();
    QCOMPARE(bMembers.size(), 1);
    QCOMPARE(bMembers.at(0).toObject().value(QStringLiteral("user_id")).toString(), a.userId);
}

void TestDirect::receiptsPerId()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1"));
    Device b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    const QList<QJsonObject> acks = sendMany(a1.client.get(), b.userId, 3);
    QCOMPARE(acks.size(), 3);
    const QString conv = acks.first().value(QStringLiteral("conversation")).toString();
    const QString id1 = acks.at(0).value(QStringLiteral("id")).toString();
    const QString id2 = acks.at(1).value(QStringLiteral("id")).toString();
    const QString id3 = acks.at(2).value(QStringLiteral("id")).toString();

    TERN_VERIFY_ACK(b1->request({{"type", "delivery"}, {"message_id", id2}}));
    auto delivered = a1->waitForEvent(kReceipt, 10'000, [&](const QJsonObject &e) {
        return e.value("status").toString() == QStringLiteral("delivered");
    });
    QVERIFY(delivered);
    QCOMPARE(delivered->value(QStringLiteral("conversation")).toString(), conv);
    QCOMPARE(delivered->value(QStringLiteral("user")).toString(), b.userId);
    QCOMPARE(intField(*delivered, QStringLiteral("seq")), 2);

    TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"message_ids", QJsonArray{id1, id3}}}));
    auto read = a1->waitForEvent(kReceipt, 10'000, [&](const QJsonObject &e) {
        return e.value("status").toString() == QStringLiteral("read");
    });
    QVERIFY(read);
    QCOMPARE(intField(*read, QStringLiteral("seq")), 3);

    // Without an id the per-id form is a notification too.
    const QList<QJsonObject> more = sendMany(a1.client.get(), b.userId, 1);
    QCOMPARE(more.size(), 1);
    b1->send(
        {{"type", "delivery"}, {"message_id", more.at(0).value(QStringLiteral("id")).toString()}});
    QVERIFY(a1->waitForEvent(kReceipt, 10'000, [&](const QJsonObject &e) {
        return e.value("status").toString() == QStringLiteral("delivered") &&
               intField(e, "seq") == 4;
    }));

    TERN_VERIFY_ERROR(b1->request({{"type", "delivery"}, {"message_id", TestClient::newId()}}),
                      "not_found");
    TERN_VERIFY_ERROR(
        b1->request({{"type", "read"}, {"message_ids", QJsonArray{TestClient::newId()}}}),
        "not_found");
    // Another user's message id that B is not party to is just as unknown.
    const TestUser c = user(QStringLiteral("c"));
    QVERIFY(c.ok());
    Device c1 = device(c, QStringLiteral("c1"));
    QVERIFY(c1.ok());
    TERN_VERIFY_ERROR(c1->request({{"type", "delivery"}, {"message_id", id1}}), "not_found");
}

void TestDirect::nonMemberSeesNothing()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   c = user(QStringLiteral("c"));
    QVERIFY(a.ok() && b.ok() && c.ok());
    Device a1 = device(a, QStringLiteral("a1"));
    Device b1 = device(b, QStringLiteral("b1"));
    Device c1 = device(c, QStringLiteral("c1"));
    QVERIFY(a1.ok() && b1.ok() && c1.ok());
    const QJsonObject first = a1->sendMessage(b.userId, QStringLiteral("private"));
    TERN_VERIFY_ACK(first);
    const QString conv = first.value(QStringLiteral("conversation")).toString();
    const QString missing = siblingId(conv);

    auto attempts = [&](const QString &target) {
        QList<QJsonObject> replies;
        replies << c1->request({{"type", "history"}, {"conversation", target}});
        replies << c1->request({{"type", "receipts"}, {"conversation", target}, {"seq", 1}});
        replies << c1->sendMessage(target, QStringLiteral("let me in"));
        replies << c1->request({{"type", "delivery"}, {"conversation", target}, {"seq", 1}});
        replies << c1->request({{"type", "read"}, {"conversation", target}, {"seq", 1}});
        replies << c1->request({{"type", "typing"}, {"conversation", target}});
        return replies;
    };
    const QList<QJsonObject> real = attempts(conv);
    const QList<QJsonObject> fake = attempts(missing);
    QCOMPARE(real.size(), fake.size());
    for (int i = 0; i < real.size(); ++i) {
        TERN_VERIFY_ERROR(real[i], "not_found");
        TERN_VERIFY_ERROR(fake[i], "not_found");
        QString realText = real[i].value(QStringLiteral("message")).toString();
        QString fakeText = fake[i].value(QStringLiteral("message")).toString();
        realText.replace(conv, QStringLiteral("<id>"));
        fakeText.replace(missing, QStringLiteral("<id>"));
        QCOMPARE(realText, fakeText);
    }
    const QJsonObject list = c1->request({{"type", "conversations"}});
    TERN_VERIFY_ACK(list);
    QVERIFY(findConversation(list, conv).isEmpty());

    // Activity in the conversation reaches its members only.
    TERN_VERIFY_ACK(a1->sendMessage(b.userId, QStringLiteral("still private")));
    TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"conversation", conv}, {"seq", 2}}));
    b1->send({{"type", "typing"}, {"conversation", conv}});
    QVERIFY(a1->waitForEvent(QStringLiteral("typing"), 10'000));
    // A message to C comes after anything the above queued for C's link.
    TERN_VERIFY_ACK(a1->sendMessage(c.userId, QStringLiteral("to c")));
    QVERIFY(c1->waitForEvent(kMessage, 10'000, [](const QJsonObject &e) {
        return e.value("content").toString() == QStringLiteral("to c");
    }));
    for (const char *type : {"message", "receipt", "typing", "presence"})
        QVERIFY(c1->expectNoEvent(QLatin1String(type)));
    const QList<QJsonObject> leftovers = c1->takeEvents();
    QVERIFY2(leftovers.isEmpty(), qPrintable(toJson(leftovers.value(0))));
}

QTEST_GUILESS_MAIN(TestDirect)
#include "tst_direct.moc"
