// Hostile clients against login and register (issue 15, items 4 and 5), with real sockets
// against a child ternd: concurrent wrong logins, a pipelined register flood, the bounded
// password hashing queue, and hashing of links that closed being skipped.

#include "tests/support/ChildServer.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUtil.h"

#include <QJsonArray>
#include <QtTest>

#include <memory>
#include <vector>

using namespace tern;
using namespace tern::test;

namespace {
constexpr int kWaitMs = 60'000;

QString code(const QJsonObject &reply)
{
    return reply.value(QStringLiteral("type")).toString() == QLatin1String("ack")
               ? QStringLiteral("ack")
               : reply.value(QStringLiteral("code")).toString();
}

//! `count` open clients (auto-heartbeat on, so slow phases are not idle-closed).
std::vector<std::unique_ptr<TestClient>> openClients(const QUrl &url, int count)
{
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < count; ++i) {
        auto c = connectClient(url);
        if (!c)
            return {};
        clients.push_back(std::move(c));
    }
    return clients;
}

//! Posts `request(i)` on client i, waits for every reply and counts them by code.
QHash<QString, int> requestAll(std::vector<std::unique_ptr<TestClient>> &clients,
                               const std::function<QJsonObject(int)> &request)
{
    std::vector<QString> ids;
    for (std::size_t i = 0; i < clients.size(); ++i)
        ids.push_back(clients[i]->post(request(int(i))));
    QHash<QString, int> codes;
    for (std::size_t i = 0; i < clients.size(); ++i) {
        const std::optional<QJsonObject> reply = clients[i]->waitForReply(ids[i], kWaitMs);
        ++codes[reply ? code(*reply) : QStringLiteral("(none)")];
    }
    return codes;
}

QString describe(const QHash<QString, int> &codes)
{
    QStringList parts;
    for (auto it = codes.begin(); it != codes.end(); ++it)
        parts << QStringLiteral("%1=%2").arg(it.key()).arg(it.value());
    return parts.join(u' ');
}
} // namespace

class TestHostileAuth : public QObject
{
    Q_OBJECT

private slots:
    void concurrentWrongLoginsAreLimited();
    void correctLoginsDoNotUseUpTheLimit();
    void pipelinedRegisterFloodIsLimited();
    void hashQueueIsBounded();
    void concurrentLoginsReserveTheirPlace();
    void oneHashAtATimePerConnection();
    void hashingOfClosedLinksIsSkipped();
};

void TestHostileAuth::concurrentWrongLoginsAreLimited()
{
    ChildServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    auto owner = connectClient(server.url());
    QVERIFY(owner);
    TERN_VERIFY_ACK(owner->registerUser(QStringLiteral("victim"), QStringLiteral("password-123")));

    // 60 wrong logins at once, each on its own connection (one login per link at a time).
    auto clients = openClients(server.url(), 60);
    QCOMPARE(clients.size(), std::size_t(60));
    const QHash<QString, int> codes = requestAll(clients, [](int i) {
        return QJsonObject{{"type", "login"},
                           {"user", "victim"},
                           {"password", QStringLiteral("wrong-%1").arg(i)},
                           {"device", "d"}};
    });
    // Limit: 5 failed logins per account per minute; every attempt counts from its start.
    QVERIFY2(codes.value(QStringLiteral("unauthenticated")) <= 5, qPrintable(describe(codes)));
    QCOMPARE(codes.value(QStringLiteral("unauthenticated")) +
                 codes.value(QStringLiteral("rate_limited")),
             60);
    // The account stays limited, for the right password too.
    TERN_VERIFY_ERROR(
        owner->request(
            {{"type", "login"}, {"user", "victim"}, {"password", "password-123"}, {"device", "d"}}),
        "rate_limited");
}

void TestHostileAuth::correctLoginsDoNotUseUpTheLimit()
{
    ChildServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    auto owner = connectClient(server.url());
    QVERIFY(owner);
    TERN_VERIFY_ACK(owner->registerUser(QStringLiteral("busy"), QStringLiteral("password-123")));
    // Counted at the start, taken back when the password was right: 12 devices logging in one
    // after another (more than the limit of 5) all get in.
    for (int i = 0; i < 12; ++i) {
        auto device = connectClient(server.url());
        QVERIFY(device);
        QVERIFY2(device->login(QStringLiteral("busy"), QStringLiteral("password-123")).ok(),
                 qPrintable(QString::number(i)));
    }
}

void TestHostileAuth::pipelinedRegisterFloodIsLimited()
{
    ChildServer server;
    server.setExtraArgs({"--limit-loopback", "--registrations-per-address", "5"});
    QVERIFY2(server.start(), qPrintable(server.errorString()));

    auto flooder = connectClient(server.url());
    QVERIFY(flooder);
    QStringList ids;
    for (int i = 0; i < 300; ++i)
        ids << flooder->post({{"type", "register"},
                              {"user", QStringLiteral("flood%1").arg(i)},
                              {"password", "password-123"}});
    // Meanwhile someone else logs in without trouble (a login is not a registration).
    auto other = connectClient(server.url());
    QVERIFY(other);
    QVERIFY2(flooder->waitForReplies(ids, kWaitMs), "the flood was not answered");
    QHash<QString, int> codes;
    for (const QString &id : ids)
        ++codes[code(*flooder->reply(id))];
    QVERIFY2(codes.value(QStringLiteral("ack")) <= 5, qPrintable(describe(codes)));
    QCOMPARE(codes.value(QStringLiteral("ack")) + codes.value(QStringLiteral("rate_limited")), 300);
    // The flooder's own account works; the next registration from here has to wait.
    QVERIFY(other->login(QStringLiteral("flood0"), QStringLiteral("password-123")).ok());
    auto late = connectClient(server.url());
    QVERIFY(late);
    TERN_VERIFY_ERROR(late->registerUser(QStringLiteral("late"), QStringLiteral("password-123")),
                      "rate_limited");
}

void TestHostileAuth::hashQueueIsBounded()
{
    ChildServer server;
    // Real Argon2id cost (64 MiB: never under 25 ms a hash); at most 1 s of expected queueing
    // on two threads, so 80 at once cannot all be taken.
    server.setExtraArgs({"--password-cost", "interactive", "--max-hash-wait", "1"});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    auto clients = openClients(server.url(), 80);
    QCOMPARE(clients.size(), std::size_t(80));
    const QHash<QString, int> codes = requestAll(clients, [](int i) {
        return QJsonObject{{"type", "register"},
                           {"user", QStringLiteral("queued%1").arg(i)},
                           {"password", "password-123"}};
    });
    QVERIFY2(codes.value(QStringLiteral("ack")) >= 1, qPrintable(describe(codes)));
    QVERIFY2(codes.value(QStringLiteral("rate_limited")) >= 1, qPrintable(describe(codes)));
    QCOMPARE(codes.value(QStringLiteral("ack")) + codes.value(QStringLiteral("rate_limited")), 80);
}

void TestHostileAuth::concurrentLoginsReserveTheirPlace()
{
    // Room for one hash. Four logins arrive together: each looks its user up before hashing,
    // and a login that only checked for room (queueing after that lookup) let all four past
    // the bound. The first takes the place; the others are told the server is busy.
    ChildServer server;
    server.setExtraArgs({"--password-cost", "interactive", "--max-queued-hashes", "1"});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    auto owner = connectClient(server.url());
    QVERIFY(owner);
    TERN_VERIFY_ACK(owner->registerUser(QStringLiteral("racer"), QStringLiteral("password-123")));
    auto clients = openClients(server.url(), 4);
    QCOMPARE(clients.size(), std::size_t(4));
    std::vector<QString> ids;
    for (auto &c : clients)
        ids.push_back(c->post(QJsonObject{
            {"type", "login"}, {"user", "racer"}, {"password", "password-123"}, {"device", "d"}}));
    int busy = 0;
    int acked = 0;
    for (std::size_t i = 0; i < clients.size(); ++i) {
        const std::optional<QJsonObject> reply = clients[i]->waitForReply(ids[i], kWaitMs);
        QVERIFY(reply);
        if (code(*reply) == QLatin1String("ack"))
            ++acked;
        else if (reply->value(QStringLiteral("message")).toString().contains(u"busy"))
            ++busy;
    }
    QVERIFY2(acked >= 1 && busy >= 1,
             qPrintable(QStringLiteral("%1 acked, %2 busy").arg(acked).arg(busy)));
    QCOMPARE(acked + busy, 4);
}

void TestHostileAuth::oneHashAtATimePerConnection()
{
    ChildServer server;
    // Room for one hash in the whole queue.
    server.setExtraArgs({"--password-cost", "interactive", "--max-queued-hashes", "1"});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    // Registers pipelined on one connection wait for each other instead of filling the
    // hashing queue, so none of them finds it full; they are answered in order.
    auto client = connectClient(server.url());
    QVERIFY(client);
    QStringList ids;
    for (int i = 0; i < 8; ++i)
        ids << client->post({{"type", "register"},
                             {"user", QStringLiteral("inline%1").arg(i)},
                             {"password", "password-123"}});
    QVERIFY(client->waitForReplies(ids, kWaitMs));
    for (const QString &id : ids)
        TERN_VERIFY_ACK(*client->reply(id));
    QStringList order;
    for (const QJsonObject &reply : client->allReplies())
        order << reply.value(QStringLiteral("id")).toString();
    QCOMPARE(order, ids);
}

void TestHostileAuth::hashingOfClosedLinksIsSkipped()
{
    ChildServer server;
    server.setExtraArgs({"--password-cost", "interactive"});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    auto clients = openClients(server.url(), 16);
    QCOMPARE(clients.size(), std::size_t(16));
    QStringList ids;
    for (std::size_t i = 0; i < clients.size(); ++i)
        ids << clients[i]->post({{"type", "register"},
                                 {"user", QStringLiteral("gone%1").arg(i)},
                                 {"password", "password-123"}});
    // Once the first hash is done every request has been queued; then everyone leaves.
    QVERIFY(spinUntil(
        [&] {
            for (std::size_t i = 0; i < clients.size(); ++i) {
                if (clients[i]->reply(ids[int(i)]))
                    return true;
            }
            return false;
        },
        kWaitMs));
    int answeredBeforeLeaving = 0;
    for (std::size_t i = 0; i < clients.size(); ++i)
        answeredBeforeLeaving += clients[i]->reply(ids[int(i)]) ? 1 : 0;
    for (auto &c : clients)
        c->abort();
    clients.clear();

    // A login queued now runs after everything queued before it (the pool is first in, first
    // out), so when it is answered the leavers' work has been done or skipped.
    auto watcher = connectClient(server.url());
    QVERIFY(watcher);
    TERN_VERIFY_ACK(watcher->registerUser(QStringLiteral("watcher"), QStringLiteral("password-1")));
    QVERIFY(watcher->login(QStringLiteral("watcher"), QStringLiteral("password-1")).ok());
    const QJsonObject found = watcher->request({{"type", "user_search"}, {"query", "gone"}});
    TERN_VERIFY_ACK(found);
    const int created = int(found.value(QStringLiteral("users")).toArray().size());
    // Done before leaving, plus the two running on the pool and replies still on their way.
    QVERIFY2(created <= answeredBeforeLeaving + 4,
             qPrintable(QStringLiteral("%1 accounts created, %2 answered before leaving")
                            .arg(created)
                            .arg(answeredBeforeLeaving)));
}

QTEST_GUILESS_MAIN(TestHostileAuth)
#include "tst_hostileAuth.moc"
