// Presence and typing over the wire: online while any device is connected and active, offline at
// once on a clean disconnect of the last device or ~presenceExpiryMs after the last activity,
// last_seen kept across a restart, announcements only on change, only to users who share a
// conversation, coalesced (flapping sends a bounded number), the `presence` request, and the
// typing relay (other members' devices only, throttled, never stored). One in-process server with
// short presence timings; every test function uses fresh users.
//
// Nothing here sleeps. Time that must pass (expiry, the minimum interval, the typing throttle)
// passes on the process clock (tern::advanceClockForTesting), which the server's presence and
// typing code read. An absence is proven by a barrier: TestClient::barrier() for what an action
// sends with its reply, and a Sentinel (below) for what a presence tick would announce.

#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include "shared/core/Clock.h"

#include <QJsonArray>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QtTest>

using namespace tern::test;

namespace {

constexpr int kExpiryMs = 1000;
constexpr int kMinIntervalMs = 300;
constexpr int kPulseMs = 200; // well inside the expiry

const QString kPresence = QStringLiteral("presence");
const QString kTyping = QStringLiteral("typing");
const QString kMessage = QStringLiteral("message");

//! The server's clock (moved forward by the tests; last_seen is on it).
qint64 now()
{
    return tern::nowMs();
}

TestClient::Predicate presenceOf(const QString &userId, const QString &status = {})
{
    return [=](const QJsonObject &e) {
        return e.value(QStringLiteral("user_id")).toString() == userId &&
               (status.isEmpty() || e.value(QStringLiteral("status")).toString() == status);
    };
}

//! Keeps devices active with a `heartbeat` every kPulseMs (the client's own heartbeat is too
//! slow for a 1 s expiry and is turned off on every device these tests drive).
class Pulse : public QObject
{
public:
    Pulse()
    {
        m_timer.setInterval(kPulseMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            for (const QPointer<TestClient> &client : std::as_const(m_clients))
                if (client && client->isConnected())
                    client->send({{"type", "heartbeat"}});
        });
        m_timer.start();
    }
    void add(TestClient *client) { m_clients << client; }
    void remove(TestClient *client) { m_clients.removeAll(client); }

private:
    QTimer m_timer;
    QList<QPointer<TestClient>> m_clients;
};

//! Records every presence event a client receives, with its arrival time, as it arrives.
class PresenceLog : public QObject
{
public:
    explicit PresenceLog(TestClient *client) : m_client(client)
    {
        connect(client, &TestClient::frameReceived, this, [this] {
            for (const QJsonObject &e : m_client->takeEvents(kPresence))
                m_entries.append({now(), e});
        });
    }
    QList<QPair<qint64, QJsonObject>> about(const QString &userId) const
    {
        QList<QPair<qint64, QJsonObject>> out;
        for (const auto &entry : m_entries)
            if (entry.second.value(QStringLiteral("user_id")).toString() == userId)
                out << entry;
        return out;
    }

private:
    TestClient *m_client;
    QList<QPair<qint64, QJsonObject>> m_entries;
};

//! A tick barrier. The server judges expiry on its clock but only in a tick (every 250 ms of real
//! time), and a tick evaluates every user. The sentinel is a silent device whose user shares a
//! group only with `watcher`'s user: once the watcher hears it go offline, a tick has run since
//! the clock passed the sentinel's expiry, and every announcement that tick started has had its
//! contacts read queued; a `presence` request on the test's own watcher (a store round trip
//! queued after them) then lets those announcements arrive before its reply.
struct Sentinel
{
    Device device;
    Device watcher;
    QString userId;
    bool online = false;
};

} // namespace

class TestPresence : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void multiDevice();
    void silentDeviceExpires();
    void logoutGoesOffline();
    void lastSeenSurvivesRestart();
    void notLeakedToStrangers();
    void presenceRequestLimits_data();
    void presenceRequestLimits();
    void flipBackBeforeDueSendsNothing();
    void flappingIsBounded();
    void typingRelay();
    void typingNotForNonMembers();

private:
    QUrl url() const { return m_server.url(); }
    TestUser user(const QString &prefix) { return createUser(url(), prefix); }
    //! A logged-in device whose automatic heartbeat is off (so only the test decides activity).
    Device device(const TestUser &user, const QString &name)
    {
        Device d = loginDevice(url(), user, name);
        if (d.client)
            d->setAutoHeartbeat(false);
        return d;
    }
    static QString createGroup(TestClient *client, const QStringList &members);
    //! Moves the clock `ms` forward in steps of half the expiry; each `active` device (and an
    //! online sentinel's) makes a round trip before each step, so it never looks silent for
    //! longer than a step. Every other device ages by `ms`.
    static bool passTime(qint64 ms, const QList<TestClient *> &active, Sentinel *sentinel);
    bool makeSentinel(Sentinel &sentinel);
    //! Starts a tick barrier: the sentinel's last sign of life, a round trip of each `keepAlive`
    //! device, then half an expiry on the clock. Frames sent between startTick() and
    //! finishTick() are younger than the expiry at that tick, older ones are past it.
    static bool startTick(Sentinel &sentinel, const QList<TestClient *> &keepAlive = {});
    //! Ends it: the clock passes the sentinel's expiry, the sentinel's offline announcement is
    //! awaited, then a `presence` round trip on `barrierOn` (see Sentinel).
    static bool finishTick(Sentinel &sentinel, TestClient *barrierOn);
    //! The `presence` answer as user id -> entry (a failed request gives an empty map).
    static QHash<QString, QJsonObject> ask(TestClient *client, const QStringList &users,
                                           QJsonObject *reply = nullptr);

    ServerFixture m_server;
};

void TestPresence::initTestCase()
{
    m_server.config().presenceExpiryMs = kExpiryMs;
    m_server.config().presenceMinIntervalMs = kMinIntervalMs;
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void TestPresence::cleanupTestCase()
{
    m_server.stop();
}

QString TestPresence::createGroup(TestClient *client, const QStringList &members)
{
    const QJsonObject reply = client->request({{"type", "create_group"},
                                               {"name", "Watchers"},
                                               {"members", QJsonArray::fromStringList(members)}});
    if (!isAck(reply))
        qWarning("create_group failed: %s", qPrintable(toJson(reply)));
    return reply.value(QStringLiteral("conversation")).toString();
}

bool TestPresence::passTime(qint64 ms, const QList<TestClient *> &active, Sentinel *sentinel)
{
    QList<TestClient *> refreshed = active;
    if (sentinel && sentinel->online)
        refreshed << sentinel->device.client.get();
    while (ms > 0) {
        for (TestClient *client : std::as_const(refreshed)) {
            if (!client->barrier())
                return false;
        }
        const qint64 step = std::min<qint64>(ms, kExpiryMs / 2);
        tern::advanceClockForTesting(step);
        ms -= step;
    }
    return true;
}

bool TestPresence::makeSentinel(Sentinel &sentinel)
{
    const TestUser s = user(QStringLiteral("sentinel")), v = user(QStringLiteral("v"));
    if (!s.ok() || !v.ok())
        return false;
    sentinel.userId = s.userId;
    sentinel.watcher = device(v, QStringLiteral("v1"));
    if (!sentinel.watcher.ok() || createGroup(sentinel.watcher.client.get(), {s.userId}).isEmpty())
        return false;
    sentinel.device = device(s, QStringLiteral("s1"));
    if (!sentinel.device.ok())
        return false;
    const auto online = sentinel.watcher->waitForEvent(
        kPresence, TestClient::kTimeoutMs, presenceOf(s.userId, QStringLiteral("online")));
    sentinel.online = online.has_value();
    return sentinel.online;
}

bool TestPresence::startTick(Sentinel &sentinel, const QList<TestClient *> &keepAlive)
{
    if (sentinel.online) {
        if (!sentinel.device->barrier())
            return false;
    } else {
        // Back online, announced at once: the minimum interval since "offline" has passed.
        tern::advanceClockForTesting(kMinIntervalMs);
        if (!sentinel.device->barrier() ||
            !sentinel.watcher->waitForEvent(kPresence, TestClient::kTimeoutMs,
                                            presenceOf(sentinel.userId, QStringLiteral("online"))))
            return false;
        sentinel.online = true;
    }
    for (TestClient *client : keepAlive) {
        if (!client->barrier())
            return false;
    }
    tern::advanceClockForTesting(kExpiryMs / 2);
    return true;
}

bool TestPresence::finishTick(Sentinel &sentinel, TestClient *barrierOn)
{
    tern::advanceClockForTesting(kExpiryMs / 2 + 100);
    if (!sentinel.watcher->waitForEvent(kPresence, TestClient::kTimeoutMs,
                                        presenceOf(sentinel.userId, QStringLiteral("offline")))) {
        qWarning("the sentinel did not go offline: no presence tick?");
        return false;
    }
    sentinel.online = false;
    QJsonObject reply;
    ask(barrierOn, {}, &reply);
    return isAck(reply);
}

QHash<QString, QJsonObject> TestPresence::ask(TestClient *client, const QStringList &users,
                                              QJsonObject *reply)
{
    const QJsonObject r =
        client->request({{"type", "presence"}, {"users", QJsonArray::fromStringList(users)}});
    if (reply)
        *reply = r;
    QHash<QString, QJsonObject> out;
    if (!isAck(r)) {
        qWarning("presence failed: %s", qPrintable(toJson(r)));
        return out;
    }
    for (const QJsonValue &v : r.value(QStringLiteral("users")).toArray())
        out.insert(v.toObject().value(QStringLiteral("user_id")).toString(), v.toObject());
    return out;
}

void TestPresence::multiDevice()
{
    const TestUser a = user(QStringLiteral("a")), w = user(QStringLiteral("w"));
    QVERIFY(a.ok() && w.ok());
    Device w1 = device(w, QStringLiteral("w1"));
    QVERIFY(w1.ok());
    QVERIFY(!createGroup(w1.client.get(), {a.userId}).isEmpty());

    // Never seen: offline, no last_seen.
    QJsonObject status = ask(w1.client.get(), {a.userId}).value(a.userId);
    QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("offline"));
    QVERIFY2(!status.contains(QStringLiteral("last_seen")), qPrintable(toJson(status)));

    Pulse pulse;
    Device a1 = device(a, QStringLiteral("a1"));
    QVERIFY(a1.ok());
    pulse.add(a1.client.get());
    const auto online = w1->waitForEvent(kPresence, 5'000, presenceOf(a.userId));
    QVERIFY2(online, "no presence event when the first device connected");
    QCOMPARE(online->value(QStringLiteral("status")).toString(), QStringLiteral("online"));
    QCOMPARE(online->value(QStringLiteral("type")).toString(), kPresence);

    Sentinel sentinel;
    QVERIFY(makeSentinel(sentinel));

    // A second device: already online, nothing to announce (an announcement its login started
    // would come before the answer to this `presence`: both read the store, in order).
    Device a2 = device(a, QStringLiteral("a2"));
    QVERIFY(a2.ok());
    pulse.add(a2.client.get());
    status = ask(w1.client.get(), {a.userId}).value(a.userId);
    QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("online"));
    QVERIFY(w1->expectNoEvent(kPresence, presenceOf(a.userId)));

    // One device goes: still online through the other (for longer than the expiry, and nothing
    // deferred comes due either: the barrier's tick runs well past the minimum interval).
    a1->close();
    QVERIFY(a1->waitForDisconnected());
    QVERIFY(passTime(kExpiryMs, {a2.client.get()}, &sentinel));
    QVERIFY(startTick(sentinel, {a2.client.get()}));
    QVERIFY(a2->barrier());
    QVERIFY(finishTick(sentinel, w1.client.get()));
    QVERIFY(w1->expectNoEvent(kPresence, presenceOf(a.userId)));
    status = ask(w1.client.get(), {a.userId}).value(a.userId);
    QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("online"));

    // The last one goes cleanly: offline at once (well before the expiry), with last_seen.
    const qint64 before = now();
    a2->close();
    const auto offline = w1->waitForEvent(kPresence, 5'000, presenceOf(a.userId));
    const qint64 after = now();
    QVERIFY2(offline, "no presence event when the last device disconnected");
    QCOMPARE(offline->value(QStringLiteral("status")).toString(), QStringLiteral("offline"));
    QVERIFY2(after - before < kExpiryMs - 100,
             qPrintable(QStringLiteral("offline announced only after %1 ms").arg(after - before)));
    const qint64 lastSeen = intField(*offline, QStringLiteral("last_seen"));
    QVERIFY2(lastSeen >= before - kPulseMs - 50 && lastSeen <= after,
             qPrintable(QStringLiteral("last_seen %1 not in [%2, %3]")
                            .arg(lastSeen)
                            .arg(before - kPulseMs - 50)
                            .arg(after)));

    status = ask(w1.client.get(), {a.userId}).value(a.userId);
    QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("offline"));
    QCOMPARE(intField(status, QStringLiteral("last_seen")), lastSeen);
    // Announced once: nothing more at a later tick.
    QVERIFY(startTick(sentinel));
    QVERIFY(finishTick(sentinel, w1.client.get()));
    QVERIFY(w1->expectNoEvent(kPresence, presenceOf(a.userId)));
}

void TestPresence::silentDeviceExpires()
{
    const TestUser a = user(QStringLiteral("a")), w = user(QStringLiteral("w"));
    QVERIFY(a.ok() && w.ok());
    Device w1 = device(w, QStringLiteral("w1"));
    QVERIFY(w1.ok());
    QVERIFY(!createGroup(w1.client.get(), {a.userId}).isEmpty());
    Sentinel sentinel;
    QVERIFY(makeSentinel(sentinel));

    // a1 logs in and then says nothing at all: still online at a tick just short of the expiry...
    QVERIFY(startTick(sentinel));
    const qint64 loginStart = now();
    Device a1 = device(a, QStringLiteral("a1"));
    QVERIFY(a1.ok());
    const qint64 lastFrame = now();
    QVERIFY(w1->waitForEvent(kPresence, 5'000, presenceOf(a.userId, QStringLiteral("online"))));
    QVERIFY(finishTick(sentinel, w1.client.get()));
    QVERIFY(w1->expectNoEvent(kPresence, presenceOf(a.userId)));

    // ...offline at the next tick once the clock is past it.
    tern::advanceClockForTesting(kExpiryMs / 2);
    const auto expired = w1->waitForEvent(kPresence, TestClient::kTimeoutMs,
                                          presenceOf(a.userId, QStringLiteral("offline")));
    QVERIFY2(expired, "a silent device did not expire");
    QVERIFY(a1->isConnected());
    // last_seen is the last sign of life, not the moment the server noticed.
    const qint64 lastSeen = intField(*expired, QStringLiteral("last_seen"));
    QVERIFY2(lastSeen >= loginStart && lastSeen <= lastFrame,
             qPrintable(QStringLiteral("last_seen %1 not in [%2, %3]")
                            .arg(lastSeen)
                            .arg(loginStart)
                            .arg(lastFrame)));
    QCOMPARE(ask(w1.client.get(), {a.userId}).value(a.userId).value(QStringLiteral("status")),
             QJsonValue(QStringLiteral("offline")));

    // Any frame brings it back (at once: the minimum interval since "offline" has passed).
    tern::advanceClockForTesting(kMinIntervalMs);
    a1->send({{"type", "heartbeat"}});
    QVERIFY2(w1->waitForEvent(kPresence, 2'000, presenceOf(a.userId, QStringLiteral("online"))),
             "a heartbeat after expiry did not bring the user back online");

    // A second, active device keeps the user online while the first stays silent...
    Pulse pulse;
    Device a2 = device(a, QStringLiteral("a2"));
    QVERIFY(a2.ok());
    pulse.add(a2.client.get());
    QVERIFY(passTime(2 * kExpiryMs, {a2.client.get()}, &sentinel));
    QVERIFY(startTick(sentinel, {a2.client.get()}));
    QVERIFY(a2->barrier());
    QVERIFY(finishTick(sentinel, w1.client.get()));
    QVERIFY(w1->expectNoEvent(kPresence, presenceOf(a.userId)));
    QCOMPARE(ask(w1.client.get(), {a.userId}).value(a.userId).value(QStringLiteral("status")),
             QJsonValue(QStringLiteral("online")));
    // ...until it falls silent too: not before its expiry, at the first tick after it.
    pulse.remove(a2.client.get());
    QVERIFY(startTick(sentinel, {a2.client.get()}));
    const qint64 before = now();
    QVERIFY(a2->barrier()); // its last frame
    const qint64 stopped = now();
    QVERIFY(finishTick(sentinel, w1.client.get()));
    QVERIFY(w1->expectNoEvent(kPresence, presenceOf(a.userId)));
    tern::advanceClockForTesting(kExpiryMs / 2);
    const auto offline = w1->waitForEvent(kPresence, TestClient::kTimeoutMs,
                                          presenceOf(a.userId, QStringLiteral("offline")));
    QVERIFY(offline);
    const qint64 seen = intField(*offline, QStringLiteral("last_seen"));
    QVERIFY2(seen >= before && seen <= stopped,
             qPrintable(QStringLiteral("last_seen %1, last frame in [%2, %3]")
                            .arg(seen)
                            .arg(before)
                            .arg(stopped)));
    QVERIFY(a1->isConnected() && a2->isConnected());
}

void TestPresence::logoutGoesOffline()
{
    const TestUser a = user(QStringLiteral("a")), w = user(QStringLiteral("w"));
    QVERIFY(a.ok() && w.ok());
    Device w1 = device(w, QStringLiteral("w1"));
    QVERIFY(w1.ok());
    QVERIFY(!createGroup(w1.client.get(), {a.userId}).isEmpty());
    Sentinel sentinel;
    QVERIFY(makeSentinel(sentinel));
    Pulse pulse;
    Device a1 = device(a, QStringLiteral("a1"));
    QVERIFY(a1.ok());
    pulse.add(a1.client.get());
    QVERIFY(w1->waitForEvent(kPresence, 5'000, presenceOf(a.userId, QStringLiteral("online"))));
    QVERIFY(a1->barrier());
    tern::advanceClockForTesting(kMinIntervalMs); // the offline is due at once
    // Logged out, the connection stays open (and keeps sending heartbeats) but is nobody's.
    const qint64 before = now();
    TERN_VERIFY_ACK(a1->request({{"type", "logout"}}));
    const auto offline =
        w1->waitForEvent(kPresence, 5'000, presenceOf(a.userId, QStringLiteral("offline")));
    QVERIFY(offline);
    QVERIFY2(now() - before < kExpiryMs - 100, "offline only after the expiry");
    QVERIFY(intField(*offline, QStringLiteral("last_seen")) >= before - kPulseMs - 50);
    QVERIFY(a1->isConnected());
    // Its frames are nobody's activity: no "online" however long it keeps talking.
    QVERIFY(passTime(kExpiryMs, {a1.client.get()}, &sentinel));
    QVERIFY(startTick(sentinel, {a1.client.get()}));
    QVERIFY(a1->barrier());
    QVERIFY(finishTick(sentinel, w1.client.get()));
    QVERIFY(w1->expectNoEvent(kPresence, presenceOf(a.userId)));
}

void TestPresence::lastSeenSurvivesRestart()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   w = user(QStringLiteral("w"));
    QVERIFY(a.ok() && b.ok() && w.ok());
    Device w1 = device(w, QStringLiteral("w1"));
    QVERIFY(w1.ok());
    QVERIFY(!createGroup(w1.client.get(), {a.userId, b.userId}).isEmpty());
    Pulse pulse;
    pulse.add(w1.client.get());
    Device a1 = device(a, QStringLiteral("a1")), b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    pulse.add(a1.client.get());
    pulse.add(b1.client.get());
    QVERIFY(w1->waitForEvent(kPresence, 5'000, presenceOf(a.userId, QStringLiteral("online"))));
    QVERIFY(w1->waitForEvent(kPresence, 5'000, presenceOf(b.userId, QStringLiteral("online"))));

    a1->close();
    const auto offline =
        w1->waitForEvent(kPresence, 5'000, presenceOf(a.userId, QStringLiteral("offline")));
    QVERIFY(offline);
    const qint64 aLastSeen = intField(*offline, QStringLiteral("last_seen"));
    QVERIFY(aLastSeen > 0);

    // B is still online when the server stops.
    const qint64 stopping = now();
    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    const qint64 restarted = now();
    Device w2 = reconnectDevice(url(), w1.login);
    QVERIFY(w2.ok());
    w2->setAutoHeartbeat(false);
    const QHash<QString, QJsonObject> answer = ask(w2.client.get(), {a.userId, b.userId});
    QCOMPARE(answer.value(a.userId).value(QStringLiteral("status")).toString(),
             QStringLiteral("offline"));
    QCOMPARE(intField(answer.value(a.userId), QStringLiteral("last_seen")), aLastSeen);
    QCOMPARE(answer.value(b.userId).value(QStringLiteral("status")).toString(),
             QStringLiteral("offline"));
    const qint64 bLastSeen = intField(answer.value(b.userId), QStringLiteral("last_seen"));
    QVERIFY2(bLastSeen >= stopping - kPulseMs - 100 && bLastSeen <= restarted,
             qPrintable(QStringLiteral("B was online until the restart at %1..%2; last_seen: %3")
                            .arg(stopping)
                            .arg(restarted)
                            .arg(toJson(answer.value(b.userId)))));
}

void TestPresence::notLeakedToStrangers()
{
    const TestUser a = user(QStringLiteral("a")), w = user(QStringLiteral("w")),
                   s = user(QStringLiteral("s")), x = user(QStringLiteral("x")),
                   d = user(QStringLiteral("d"));
    QVERIFY(a.ok() && w.ok() && s.ok() && x.ok() && d.ok());
    Device w1 = device(w, QStringLiteral("w1")), s1 = device(s, QStringLiteral("s1"));
    Device x1 = device(x, QStringLiteral("x1")), d1 = device(d, QStringLiteral("d1"));
    QVERIFY(w1.ok() && s1.ok() && x1.ok() && d1.ok());
    Pulse pulse;
    for (Device *dv : {&w1, &s1, &x1, &d1})
        pulse.add(dv->client.get());
    // D shares a direct conversation with A.
    TERN_VERIFY_ACK(d1->sendMessage(a.userId, QStringLiteral("hi a")));
    // W shares a group with A; X was in it and left; S never shared anything with A.
    const QString conv = createGroup(w1.client.get(), {a.userId, x.userId});
    QVERIFY(!conv.isEmpty());
    TERN_VERIFY_ACK(x1->request({{"type", "leave"}, {"conversation", conv}}));
    QVERIFY(s1->barrier() && x1->barrier()); // whatever the group changes sent them is in
    s1->clearEvents();
    x1->clearEvents();

    Device a1 = device(a, QStringLiteral("a1"));
    QVERIFY(a1.ok());
    pulse.add(a1.client.get());
    QVERIFY(w1->waitForEvent(kPresence, 5'000, presenceOf(a.userId, QStringLiteral("online"))));
    QVERIFY(d1->waitForEvent(kPresence, 5'000, presenceOf(a.userId, QStringLiteral("online"))));
    tern::advanceClockForTesting(kMinIntervalMs); // the offline is due at once
    a1->close();
    QVERIFY(w1->waitForEvent(kPresence, 5'000, presenceOf(a.userId, QStringLiteral("offline"))));
    QVERIFY(d1->waitForEvent(kPresence, 5'000, presenceOf(a.userId, QStringLiteral("offline"))));
    // Each announcement went to all its recipients at once: a copy for S or X is in by now.
    for (Device *dv : {&s1, &x1}) {
        QVERIFY((*dv)->barrier());
        const QList<QJsonObject> presence = (*dv)->takeEvents(kPresence);
        QVERIFY2(presence.isEmpty(), qPrintable(toJson(presence.value(0))));
    }

    // The request answers only about users who share a conversation with the asker.
    const QString unknown = QStringLiteral("u") + QString(20, QLatin1Char('q'));
    QJsonObject reply;
    QHash<QString, QJsonObject> answer =
        ask(s1.client.get(), {a.userId, w.userId, x.userId, unknown}, &reply);
    TERN_VERIFY_ACK(reply);
    QVERIFY2(answer.isEmpty(), qPrintable(toJson(reply)));
    answer = ask(x1.client.get(), {a.userId, w.userId}, &reply);
    TERN_VERIFY_ACK(reply);
    QVERIFY2(answer.isEmpty(), qPrintable(toJson(reply)));
    answer = ask(d1.client.get(), {a.userId, w.userId}, &reply);
    TERN_VERIFY_ACK(reply);
    QCOMPARE(answer.keys(), QStringList{a.userId});
    answer = ask(w1.client.get(), {a.userId, s.userId, x.userId, d.userId, unknown}, &reply);
    TERN_VERIFY_ACK(reply);
    QCOMPARE(reply.value(QStringLiteral("users")).toArray().size(), 1);
    QCOMPARE(answer.keys(), QStringList{a.userId});
    QCOMPARE(answer.value(a.userId).value(QStringLiteral("status")).toString(),
             QStringLiteral("offline"));
    QVERIFY(intField(answer.value(a.userId), QStringLiteral("last_seen")) > 0);
}

void TestPresence::presenceRequestLimits_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("code"); // empty: ack
    QTest::newRow("none") << 0 << QString();
    QTest::newRow("500 users") << 500 << QString();
    QTest::newRow("501 users") << 501 << QStringLiteral("limit_exceeded");
    QTest::newRow("1001 entries") << 1001 << QStringLiteral("bad_request");
}

void TestPresence::presenceRequestLimits()
{
    QFETCH(int, count);
    QFETCH(QString, code);
    const TestUser a = user(QStringLiteral("a")), w = user(QStringLiteral("w"));
    QVERIFY(a.ok() && w.ok());
    Device w1 = device(w, QStringLiteral("w1"));
    QVERIFY(w1.ok());
    QVERIFY(!createGroup(w1.client.get(), {a.userId}).isEmpty());
    QStringList users;
    if (count > 0)
        users << a.userId;
    for (int i = 1; i < count; ++i)
        users << QStringLiteral("u%1").arg(i, 20, 10, QLatin1Char('0'));
    QJsonObject reply;
    const QHash<QString, QJsonObject> answer = ask(w1.client.get(), users, &reply);
    if (!code.isEmpty()) {
        TERN_VERIFY_ERROR(reply, code);
        return;
    }
    TERN_VERIFY_ACK(reply);
    QCOMPARE(answer.size(), count > 0 ? 1 : 0);
    if (count > 0)
        QCOMPARE(answer.value(a.userId).value(QStringLiteral("status")).toString(),
                 QStringLiteral("offline"));
}

void TestPresence::flipBackBeforeDueSendsNothing()
{
    const TestUser a = user(QStringLiteral("a")), w = user(QStringLiteral("w"));
    QVERIFY(a.ok() && w.ok());
    Device w1 = device(w, QStringLiteral("w1"));
    QVERIFY(w1.ok());
    QVERIFY(!createGroup(w1.client.get(), {a.userId}).isEmpty());
    Pulse pulse;
    pulse.add(w1.client.get());
    Sentinel sentinel;
    QVERIFY(makeSentinel(sentinel));

    const qint64 start = now();
    Device a1 = device(a, QStringLiteral("a1"));
    QVERIFY(a1.ok());
    QVERIFY(w1->waitForEvent(kPresence, 5'000, presenceOf(a.userId, QStringLiteral("online"))));
    // Drop and come straight back, well within the minimum interval since "online".
    a1->close();
    QVERIFY(a1->waitForDisconnected());
    Device back = reconnectDevice(url(), a1.login);
    QVERIFY(back.ok());
    back->setAutoHeartbeat(false);
    pulse.add(back.client.get());
    const qint64 flipped = now() - start;
    if (flipped >= kMinIntervalMs - 50)
        QSKIP(qPrintable(
            QStringLiteral("reconnecting took %1 ms; the flip was not quick enough").arg(flipped)));
    // Nothing at a tick long after the flip would have been due.
    QVERIFY(passTime(kExpiryMs, {back.client.get()}, &sentinel));
    QVERIFY(startTick(sentinel, {back.client.get()}));
    QVERIFY(back->barrier());
    QVERIFY(finishTick(sentinel, w1.client.get()));
    QVERIFY(w1->expectNoEvent(kPresence, presenceOf(a.userId)));
    QCOMPARE(ask(w1.client.get(), {a.userId}).value(a.userId).value(QStringLiteral("status")),
             QJsonValue(QStringLiteral("online")));
}

void TestPresence::flappingIsBounded()
{
    constexpr int kFlaps = 15;
    const TestUser a = user(QStringLiteral("a")), w = user(QStringLiteral("w"));
    QVERIFY(a.ok() && w.ok());
    Device w1 = device(w, QStringLiteral("w1"));
    QVERIFY(w1.ok());
    QVERIFY(!createGroup(w1.client.get(), {a.userId}).isEmpty());
    Pulse pulse;
    pulse.add(w1.client.get());
    Sentinel sentinel; // watched by its own user: the log takes every presence event of w1
    QVERIFY(makeSentinel(sentinel));
    PresenceLog log(w1.client.get());

    const qint64 t0 = now();
    LoginInfo login;
    {
        Device first = device(a, QStringLiteral("a1"));
        QVERIFY(first.ok());
        login = first.login;
        first->close();
        QVERIFY(first->waitForDisconnected());
    }
    // Connected ~40 ms, gone ~40 ms on the clock, over and over: several minimum intervals'
    // worth.
    const qint64 start = now();
    for (int i = 0; i < kFlaps; ++i) {
        Device again = reconnectDevice(url(), login);
        QVERIFY(again.ok());
        again->setAutoHeartbeat(false);
        tern::advanceClockForTesting(40);
        again->close();
        QVERIFY(again->waitForDisconnected());
        tern::advanceClockForTesting(40);
    }
    const qint64 flapping = now() - start;
    // Whatever is still due goes out at the next tick past the minimum interval: the true
    // state, offline, comes last...
    tern::advanceClockForTesting(kMinIntervalMs);
    QVERIFY(spinUntil(
        [&] {
            const auto events = log.about(a.userId);
            return !events.isEmpty() && events.last().second.value(QStringLiteral("status")) ==
                                            QStringLiteral("offline");
        },
        TestClient::kTimeoutMs));
    // ...and nothing after it (the barrier's tick also sends whatever was still due).
    QVERIFY(startTick(sentinel));
    QVERIFY(finishTick(sentinel, w1.client.get()));

    const QList<QPair<qint64, QJsonObject>> events = log.about(a.userId);
    const qint64 window = events.isEmpty() ? 0 : events.last().first - t0;
    QStringList trace;
    for (const auto &e : events)
        trace << QStringLiteral("%1@+%2")
                     .arg(e.second.value(QStringLiteral("status")).toString())
                     .arg(e.first - t0);
    const QString what = QStringLiteral("1 + %1 flaps in %2 ms gave: %3")
                             .arg(kFlaps)
                             .arg(flapping)
                             .arg(trace.join(QLatin1Char(' ')));
    qInfo("%s", qPrintable(what));
    // At most one announcement per interval, alternating, ending with the true state.
    QVERIFY2(!events.isEmpty(), qPrintable(what));
    QVERIFY2(events.size() <= 2 + window / kMinIntervalMs, qPrintable(what));
    QVERIFY2(events.size() < 2 * (kFlaps + 1), qPrintable(what));
    for (qsizetype i = 1; i < events.size(); ++i) {
        QVERIFY2(events[i].second.value(QStringLiteral("status")) !=
                     events[i - 1].second.value(QStringLiteral("status")),
                 qPrintable(what));
        QVERIFY2(events[i].first - events[i - 1].first >= kMinIntervalMs - 60, qPrintable(what));
    }
    QCOMPARE(events.last().second.value(QStringLiteral("status")).toString(),
             QStringLiteral("offline"));
    QVERIFY(intField(events.last().second, QStringLiteral("last_seen")) >= start);
    QCOMPARE(ask(w1.client.get(), {a.userId}).value(a.userId).value(QStringLiteral("status")),
             QJsonValue(QStringLiteral("offline")));
}

void TestPresence::typingRelay()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   c = user(QStringLiteral("c")), x = user(QStringLiteral("x"));
    QVERIFY(a.ok() && b.ok() && c.ok() && x.ok());
    Device a1 = device(a, QStringLiteral("a1")), a2 = device(a, QStringLiteral("a2"));
    Device b1 = device(b, QStringLiteral("b1")), b2 = device(b, QStringLiteral("b2"));
    Device c1 = device(c, QStringLiteral("c1")), x1 = device(x, QStringLiteral("x1"));
    QVERIFY(a1.ok() && a2.ok() && b1.ok() && b2.ok() && c1.ok() && x1.ok());
    const QString conv = createGroup(a1.client.get(), {b.userId, c.userId});
    QVERIFY(!conv.isEmpty());
    const QJsonObject direct = a1->sendMessage(b.userId, QStringLiteral("hi b"));
    TERN_VERIFY_ACK(direct);
    const QString ab = direct.value(QStringLiteral("conversation")).toString();
    for (Device *d : {&a1, &a2, &b1, &b2, &c1, &x1}) {
        QVERIFY((*d)->barrier()); // the group's and the message's events are in
        (*d)->clearEvents();
    }
    const int aReplies = a1->totalReplies();

    auto typingBy = [](const QString &userId, const QString &conversation) {
        return [=](const QJsonObject &e) {
            return e.value(QStringLiteral("user_id")).toString() == userId &&
                   e.value(QStringLiteral("conversation")).toString() == conversation;
        };
    };

    // A types (a notification: no id, no reply): every other member's devices hear it.
    const qint64 first = now();
    a1->send({{"type", "typing"}, {"conversation", conv}});
    for (Device *d : {&b1, &b2, &c1}) {
        const auto event = (*d)->waitForEvent(kTyping, 5'000, typingBy(a.userId, conv));
        QVERIFY2(event, qPrintable(QStringLiteral("no typing on ") + d->deviceId()));
        QCOMPARE(*event,
                 (QJsonObject{{"type", "typing"}, {"conversation", conv}, {"user_id", a.userId}}));
    }
    QVERIFY(a1->barrier());
    QVERIFY(a1->expectNoEvent(QStringLiteral("error")));
    QCOMPARE(a1->totalReplies(), aReplies + 1); // the barrier's: typing got none
    // Within the second: A again, from either device, is not relayed (but is acked when asked);
    // B typing in the same conversation and A in another conversation are.
    a1->send({{"type", "typing"}, {"conversation", conv}});
    const QJsonObject ack = a2->request({{"type", "typing"}, {"conversation", conv}});
    TERN_VERIFY_ACK(ack);
    QCOMPARE(ack.keys(), (QStringList{"id", "type"}));
    b1->send({{"type", "typing"}, {"conversation", conv}});
    a2->send({{"type", "typing"}, {"conversation", ab}});
    for (Device *d : {&a1, &a2, &c1})
        QVERIFY2((*d)->waitForEvent(kTyping, 5'000, typingBy(b.userId, conv)),
                 qPrintable(QStringLiteral("B's typing missing on ") + d->deviceId()));
    for (Device *d : {&b1, &b2})
        QVERIFY2((*d)->waitForEvent(kTyping, 5'000, typingBy(a.userId, ab)),
                 qPrintable(QStringLiteral("typing in the direct conversation missing on ") +
                            d->deviceId()));
    const qint64 settled = now();
    QVERIFY2(settled - first < 900, "too slow to check the throttle");
    for (Device *d : {&b1, &b2, &c1}) {
        QVERIFY((*d)->barrier());
        QVERIFY((*d)->expectNoEvent(kTyping, typingBy(a.userId, conv)));
    }
    // Still throttled near the end of the second (on the clock).
    tern::advanceClockForTesting(std::max<qint64>(0, first + 700 - now()));
    TERN_VERIFY_ACK(a1->request({{"type", "typing"}, {"conversation", conv}}));
    for (Device *d : {&b1, &b2, &c1}) {
        QVERIFY((*d)->barrier());
        QVERIFY((*d)->expectNoEvent(kTyping, typingBy(a.userId, conv)));
    }
    // Never echoed to any of the typist's devices, never seen by a non-member.
    auto byUser = [](const QString &userId) {
        return [=](const QJsonObject &e) {
            return e.value(QStringLiteral("user_id")).toString() == userId;
        };
    };
    for (Device *d : {&a1, &a2}) {
        QVERIFY((*d)->barrier());
        QVERIFY((*d)->expectNoEvent(kTyping, byUser(a.userId)));
    }
    for (Device *d : {&b1, &b2})
        QVERIFY((*d)->expectNoEvent(kTyping, byUser(b.userId)));
    QVERIFY(x1->barrier());
    QVERIFY(x1->expectNoEvent(kTyping));

    // A second later (on the clock), A's typing is relayed again, once.
    tern::advanceClockForTesting(std::max<qint64>(0, first + 1'100 - now()));
    a1->send({{"type", "typing"}, {"conversation", conv}});
    for (Device *d : {&b1, &b2, &c1})
        QVERIFY((*d)->waitForEvent(kTyping, 5'000, typingBy(a.userId, conv)));
    QVERIFY(b1->barrier());
    QVERIFY(b1->expectNoEvent(kTyping, typingBy(a.userId, conv)));
    for (Device *d : {&a1, &a2}) {
        QVERIFY((*d)->barrier());
        QVERIFY((*d)->expectNoEvent(kTyping, byUser(a.userId)));
    }

    // Never stored: no message in either conversation, nothing in history, no message events.
    const QJsonObject h =
        a1->request({{"type", "history"}, {"conversation", conv}, {"limit", 200}});
    TERN_VERIFY_ACK(h);
    QCOMPARE(h.value(QStringLiteral("messages")).toArray().size(), 1); // "created"
    const QJsonObject hab = b1->request({{"type", "history"}, {"conversation", ab}});
    QCOMPARE(hab.value(QStringLiteral("messages")).toArray().size(), 1); // "hi b"
    for (Device *d : {&a1, &a2, &b1, &b2, &c1}) {
        QVERIFY((*d)->barrier());
        QVERIFY((*d)->expectNoEvent(kMessage));
    }
    QVERIFY(x1->barrier());
    QVERIFY(x1->takeEvents().isEmpty());
}

void TestPresence::typingNotForNonMembers()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   x = user(QStringLiteral("x"));
    QVERIFY(a.ok() && b.ok() && x.ok());
    Device a1 = device(a, QStringLiteral("a1")), b1 = device(b, QStringLiteral("b1"));
    Device x1 = device(x, QStringLiteral("x1"));
    QVERIFY(a1.ok() && b1.ok() && x1.ok());
    const QString conv = createGroup(a1.client.get(), {b.userId});
    QVERIFY(!conv.isEmpty());
    QString missing = conv;
    missing.back() = missing.back() == QLatin1Char('a') ? QLatin1Char('b') : QLatin1Char('a');

    const QJsonObject real = x1->request({{"type", "typing"}, {"conversation", conv}});
    const QJsonObject fake = x1->request({{"type", "typing"}, {"conversation", missing}});
    TERN_VERIFY_ERROR(real, "not_found");
    TERN_VERIFY_ERROR(fake, "not_found");
    QCOMPARE(
        real.value(QStringLiteral("message")).toString().replace(conv, QStringLiteral("<id>")),
        fake.value(QStringLiteral("message")).toString().replace(missing, QStringLiteral("<id>")));
    // As a notification: an error without id.
    x1->send({{"type", "typing"}, {"conversation", conv}});
    const auto error = x1->waitForEvent(QStringLiteral("error"), 5'000);
    QVERIFY(error);
    QCOMPARE(error->value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
    QVERIFY(!error->contains(QStringLiteral("id")));
    for (Device *d : {&a1, &b1}) {
        QVERIFY((*d)->barrier()); // a relay would have gone out with the error
        QVERIFY((*d)->expectNoEvent(kTyping));
    }

    // A removed member's typing is refused the same way and reaches nobody.
    const TestUser c = user(QStringLiteral("c"));
    QVERIFY(c.ok());
    Device c1 = device(c, QStringLiteral("c1"));
    QVERIFY(c1.ok());
    TERN_VERIFY_ACK(a1->request(
        {{"type", "add_members"}, {"conversation", conv}, {"members", QJsonArray{c.userId}}}));
    TERN_VERIFY_ACK(
        a1->request({{"type", "remove_member"}, {"conversation", conv}, {"user", c.userId}}));
    TERN_VERIFY_ERROR(c1->request({{"type", "typing"}, {"conversation", conv}}), "not_found");
    for (Device *d : {&a1, &b1}) {
        QVERIFY((*d)->barrier());
        QVERIFY((*d)->expectNoEvent(kTyping));
    }
}

QTEST_GUILESS_MAIN(TestPresence)
#include "tst_presence.moc"
