// Hostile request flow against a real ternd child process (issue 15, items 1 and 3): pipelined
// `history` from a socket that never reads must not grow memory or slow other users; a victim
// put into hundreds of groups with large messages pages through `conversations` and stays
// connected; group creation and adds are rate-limited per user; work queued for a link that
// has closed is skipped.

#include "tests/support/ChildServer.h"
#include "tests/support/RawWsClient.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QtTest>

using namespace tern::test;

namespace {

constexpr int kBigContentChars = 32'000;

QString bigContent(int i)
{
    return QStringLiteral("%1 ").arg(i, 8, 10, QLatin1Char('0')) +
           QString(kBigContentChars - 9, QLatin1Char('x'));
}

//! Posts every object, `batch` at a time, waiting for acks; the replies in order, or an empty
//! list (with a warning) on any error or timeout.
QList<QJsonObject> postAll(TestClient *client, const QList<QJsonObject> &objects, int batch = 50)
{
    QList<QJsonObject> replies;
    for (qsizetype start = 0; start < objects.size(); start += batch) {
        QStringList ids;
        for (qsizetype i = start; i < qMin(objects.size(), start + batch); ++i)
            ids << client->post(objects.at(i));
        if (!client->waitForReplies(ids, 60'000)) {
            qWarning("replies missing in the batch at %lld", qint64(start));
            return {};
        }
        for (const QString &id : std::as_const(ids)) {
            const QJsonObject reply = *client->reply(id);
            if (!isAck(reply)) {
                qWarning("not acked: %s", qPrintable(toJson(reply)));
                return {};
            }
            replies << reply;
        }
    }
    return replies;
}

//! `count` messages of 32,000 characters from `sender` to `to`; the conversation id, or empty.
QString fillChat(TestClient *sender, const QString &to, int count)
{
    QList<QJsonObject> messages;
    for (int i = 0; i < count; ++i)
        messages << TestClient::messageObject(to, bigContent(i));
    const QList<QJsonObject> acks = postAll(sender, messages);
    return acks.size() == count ? acks.last().value(QStringLiteral("conversation")).toString()
                                : QString();
}

//! A chat of 200 messages of 32,000 characters (a history page of 200 is 6.4 MB of JSON) from
//! `a`'s device "a1" to `b`, and a second device of `a`, "raw", for raw connections.
struct FullChat
{
    Device a1;
    Device raw;
    QString conversation;

    bool ok() const { return a1.ok() && raw.ok() && !conversation.isEmpty(); }
};

FullChat fullChat(const QUrl &url, const TestUser &a, const TestUser &b)
{
    FullChat chat{
        loginDevice(url, a, QStringLiteral("a1")), loginDevice(url, a, QStringLiteral("raw")), {}};
    if (chat.a1.ok() && chat.raw.ok())
        chat.conversation = fillChat(chat.a1.client.get(), b.userId, 200);
    return chat;
}

//! An authenticated raw connection for `token`; nullptr on failure.
std::unique_ptr<RawWsClient> openRaw(quint16 port, const QString &token)
{
    auto raw = std::make_unique<RawWsClient>();
    if (!raw->open(port, QStringLiteral("/ws"), 64 * 1024))
        return nullptr;
    raw->sendJson({{"type", "auth"}, {"id", "raw-auth"}, {"token", token}});
    const auto reply = raw->readReply(QStringLiteral("raw-auth"));
    if (!reply || !isAck(*reply))
        return nullptr;
    return raw;
}

//! Waits (up to `timeoutMs`) for `text` in the server's log.
bool logSays(const ChildServer &server, const QString &text, int timeoutMs)
{
    return spinUntil(
        [&] {
            QFile file(server.logPath());
            return file.open(QIODevice::ReadOnly) &&
                   QString::fromUtf8(file.readAll()).contains(text);
        },
        timeoutMs);
}

//! Starts `server` with `args` and creates a user per name prefix, in order; the users, or
//! fewer (with a warning) on failure.
QList<TestUser> startWithUsers(ChildServer &server, const QStringList &args,
                               const QStringList &names)
{
    server.setExtraArgs(args);
    QList<TestUser> users;
    if (!server.start()) {
        qWarning("%s", qPrintable(server.errorString()));
        return users;
    }
    for (const QString &name : names) {
        users << createUser(server.url(), name);
        if (!users.last().ok())
            return users.mid(0, users.size() - 1);
    }
    return users;
}

//! Flow bounds wide enough that one link has many 6.4 MB pages queued for storage at once.
QStringList wideFlowArgs(int heavyReads)
{
    return {QStringLiteral("--send-queue-limit"), QStringLiteral("1073741824"),
            QStringLiteral("--read-pause-bytes"), QStringLiteral("536870912"),
            QStringLiteral("--reply-page-bytes"), QStringLiteral("8388608"),
            QStringLiteral("--heavy-reads"),      QString::number(heavyReads)};
}

//! `count` history requests (ids h0, h1, ...) for `limit` messages of `conversation`.
void pipelineHistory(RawWsClient &raw, const QString &conversation, int count, int limit)
{
    for (int i = 0; i < count; ++i)
        raw.sendJson({{"type", "history"},
                      {"id", QStringLiteral("h%1").arg(i)},
                      {"conversation", conversation},
                      {"limit", limit}});
}

} // namespace

class TestHostileFlow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void pipelinedHistoryFromANonReader();
    void requestsHeldBehindAuthKeepBackpressure();
    void heldRequestsKeepTheirOrder();
    void victimInManyGroupsPagesConversations();
    void groupChangesAreRateLimited();
    void closedLinksQueuedReadsAreSkipped();
    void closedLinksSyncReadsAreSkipped();
    void syncReadsWaitTheirTurnAtTheGate();
    void fullStorageQueueRefusesWithoutLoss();
};

void TestHostileFlow::initTestCase()
{
    if (ChildServer::binaryPath().isEmpty())
        QSKIP("TERND_BINARY not set (run through ctest)");
}

void TestHostileFlow::pipelinedHistoryFromANonReader()
{
    ChildServer server;
    const QList<TestUser> users =
        startWithUsers(server, {}, {"flooder", "partner", "bystander", "friend"});
    QCOMPARE(users.size(), 4);
    const TestUser &a = users[0], &b = users[1], &c = users[2], &d = users[3];
    const QUrl url = server.url();
    FullChat chat = fullChat(url, a, b);
    Device c1 = loginDevice(url, c, QStringLiteral("c1"));
    Device d1 = loginDevice(url, d, QStringLiteral("d1"));
    QVERIFY(chat.ok() && c1.ok() && d1.ok());
    d1->setStripContent(true);
    Device &a1 = chat.a1;
    const QString &conversation = chat.conversation;
    TERN_VERIFY_ACK(c1->sendMessage(d.userId, QStringLiteral("warm up")));
    QVERIFY(d1->waitForEvent(QStringLiteral("message")));
    const qint64 baseline = server.rssKiB();
    QVERIFY(baseline > 0);

    std::unique_ptr<RawWsClient> raw = openRaw(server.port(), chat.raw.token());
    QVERIFY(raw);
    raw->stopReading(1024);
    pipelineHistory(*raw, conversation, 200, 200);

    // Meanwhile another user's sends round-trip promptly, and ternd's memory stays flat.
    qint64 peak = server.rssKiB();
    qint64 slowest = 0;
    // Round trips one after another for a second of the hostile load (at least 20): the span is
    // the measurement, nothing waits for it.
    QElapsedTimer span;
    span.start();
    for (int i = 0; i < 20 || span.elapsed() < 1'000; ++i) {
        QElapsedTimer timer;
        timer.start();
        const QString id =
            c1->post(TestClient::messageObject(d.userId, QStringLiteral("hi %1").arg(i)));
        const auto ack = c1->waitForReply(id, 2'000);
        QVERIFY2(ack && isAck(*ack),
                 qPrintable(QStringLiteral("send %1 of a bystander not acked within 2 s").arg(i)));
        QVERIFY2(d1->waitForEvent(QStringLiteral("message"), 2'000),
                 qPrintable(QStringLiteral("send %1 not delivered within 2 s").arg(i)));
        slowest = qMax(slowest, timer.elapsed());
        peak = qMax(peak, server.rssKiB());
    }
    peak = qMax(peak, server.rssKiB());
    qInfo("bystander's slowest round trip %lld ms; ternd RSS baseline %lld KiB, peak %lld KiB",
          slowest, baseline, peak);
    if (kRssIsMeaningful)
        QVERIFY2(peak - baseline < 64 * 1024,
                 qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(peak - baseline)));

    // A normal reader's page is cut by bytes and says where the next one starts.
    const QJsonObject page =
        a1->request({{"type", "history"}, {"conversation", conversation}, {"limit", 200}});
    TERN_VERIFY_ACK(page);
    const QJsonArray messages = page.value(QStringLiteral("messages")).toArray();
    QVERIFY(!messages.isEmpty());
    QVERIFY2(messages.size() < 200, qPrintable(QString::number(messages.size())));
    QCOMPARE(intField(page, QStringLiteral("next_before_seq")),
             intField(messages.first().toObject(), QStringLiteral("seq")));
    QVERIFY(server.isRunning());
}

void TestHostileFlow::requestsHeldBehindAuthKeepBackpressure()
{
    // `auth` and 100 `history` back to back: the history requests are held while auth runs,
    // and must then start one by one under the link's bounds, not all at once.
    constexpr int kSockets = 20;
    ChildServer server;
    const QList<TestUser> users =
        startWithUsers(server, {}, {"holder", "peer", "bystander", "friend"});
    QCOMPARE(users.size(), 4);
    const TestUser &a = users[0], &b = users[1], &c = users[2], &d = users[3];
    const QUrl url = server.url();
    Device a1 = loginDevice(url, a, QStringLiteral("a1"));
    Device c1 = loginDevice(url, c, QStringLiteral("c1"));
    Device d1 = loginDevice(url, d, QStringLiteral("d1"));
    QVERIFY(a1.ok() && c1.ok() && d1.ok());
    const QString conversation = fillChat(a1.client.get(), b.userId, 200);
    QVERIFY(!conversation.isEmpty());
    const qint64 baseline = server.rssKiB();
    std::vector<std::unique_ptr<RawWsClient>> raws;
    for (int s = 0; s < kSockets; ++s) {
        auto raw = std::make_unique<RawWsClient>();
        QVERIFY(raw->open(server.port(), QStringLiteral("/ws"), 64 * 1024));
        raw->stopReading(1024);
        raw->sendJson({{"type", "auth"}, {"id", "auth"}, {"token", a1.token()}});
        pipelineHistory(*raw, conversation, 100, 200);
        raws.push_back(std::move(raw));
    }
    qint64 peak = server.rssKiB();
    // Round trips one after another for a second of the held requests' replay (at least 20):
    // the span is the measurement, nothing waits for it.
    QElapsedTimer span;
    span.start();
    for (int i = 0; i < 20 || span.elapsed() < 1'000; ++i) {
        TERN_VERIFY_ACK(c1->sendMessage(d.userId, QStringLiteral("still here %1").arg(i)));
        QVERIFY(d1->waitForEvent(QStringLiteral("message"), 5'000));
        peak = qMax(peak, server.rssKiB());
    }
    qInfo("ternd RSS baseline %lld KiB, peak %lld KiB", baseline, peak);
    // Replaying 64 held pages of 128 KB at once would hold about 8 MB per socket.
    if (kRssIsMeaningful)
        QVERIFY2(peak - baseline < 48 * 1024,
                 qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(peak - baseline)));
}

void TestHostileFlow::heldRequestsKeepTheirOrder()
{
    // `auth` and 63 messages in one go fill the link's 64 requests in flight, so reading
    // pauses. When auth ends, the held messages are replayed one by one; the first one ending
    // the pause must not start a second, nested replay that sends the rest ahead of it.
    ChildServer server;
    const QList<TestUser> users = startWithUsers(server, {}, {"orderly", "reader"});
    QCOMPARE(users.size(), 2);
    const TestUser &a = users[0], &b = users[1];
    const QUrl url = server.url();
    Device first = loginDevice(url, a, QStringLiteral("a1"));
    QVERIFY(first.ok());
    TestClient again;
    QVERIFY(again.open(url));
    again.setAutoHeartbeat(false);
    again.post({{"type", "auth"}, {"id", "auth"}, {"token", first.token()}});
    QStringList ids;
    for (int i = 0; i < 63; ++i)
        ids << again.post(
            TestClient::messageObject(b.userId, QStringLiteral("in order %1").arg(i)));
    QVERIFY(again.waitForReplies(ids + QStringList{QStringLiteral("auth")}, 30'000));
    qint64 previous = 0;
    for (const QString &id : std::as_const(ids)) {
        const QJsonObject reply = *again.reply(id);
        TERN_VERIFY_ACK(reply);
        const qint64 seq = intField(reply, QStringLiteral("seq"));
        QVERIFY2(seq > previous, qPrintable(QStringLiteral("message %1 got seq %2 after %3")
                                                .arg(ids.indexOf(id))
                                                .arg(seq)
                                                .arg(previous)));
        previous = seq;
    }
}

void TestHostileFlow::victimInManyGroupsPagesConversations()
{
    constexpr int kGroups = 300;
    ChildServer server;
    const QList<TestUser> users =
        startWithUsers(server, {"--group-changes-per-minute", "1000"}, {"inviter", "victim"});
    QCOMPARE(users.size(), 2);
    const TestUser &attacker = users[0], &victim = users[1];
    const QUrl url = server.url();
    Device a1 = loginDevice(url, attacker, QStringLiteral("a1"));
    QVERIFY(a1.ok());

    QList<QJsonObject> creates;
    for (int i = 0; i < kGroups; ++i)
        creates << QJsonObject{{"type", "create_group"},
                               {"name", QStringLiteral("g%1").arg(i)},
                               {"members", QJsonArray{victim.userId}}};
    const QList<QJsonObject> created = postAll(a1.client.get(), creates);
    QCOMPARE(created.size(), kGroups);
    QList<QJsonObject> messages;
    for (int i = 0; i < kGroups; ++i)
        messages << TestClient::messageObject(
            created.at(i).value(QStringLiteral("conversation")).toString(), bigContent(i));
    QCOMPARE(postAll(a1.client.get(), messages).size(), kGroups);

    // The app asks for the list on every connect: the whole list arrives, page by page.
    Device v1 = loginDevice(url, victim, QStringLiteral("v1"));
    QVERIFY(v1.ok());
    QSet<QString> seen;
    QString cursor;
    int pages = 0;
    for (; pages < 2 * kGroups; ++pages) {
        QJsonObject request{{"type", "conversations"}};
        if (!cursor.isEmpty())
            request.insert(QStringLiteral("cursor"), cursor);
        const QJsonObject reply = v1->request(request);
        QVERIFY2(isAck(reply), qPrintable(QStringLiteral("page %1: %2 (connected: %3, close %4)")
                                              .arg(pages)
                                              .arg(toJson(reply))
                                              .arg(v1->isConnected())
                                              .arg(v1->closeCode())));
        const QJsonArray list = reply.value(QStringLiteral("conversations")).toArray();
        QVERIFY(!list.isEmpty());
        for (const QJsonValue &entry : list) {
            const QString id = entry.toObject().value(QStringLiteral("conversation")).toString();
            QVERIFY2(!seen.contains(id), qPrintable(id));
            seen.insert(id);
        }
        cursor = reply.value(QStringLiteral("next_cursor")).toString();
        if (cursor.isEmpty())
            break;
    }
    qInfo("%d conversations in %d pages", int(seen.size()), pages + 1);
    QCOMPARE(seen.size(), kGroups);
    QVERIFY(pages > 0);
    QVERIFY(v1->isConnected());
    TERN_VERIFY_ERROR(v1->request({{"type", "conversations"}, {"cursor", "nonsense"}}),
                      QStringLiteral("bad_request"));
}

void TestHostileFlow::groupChangesAreRateLimited()
{
    ChildServer server;
    const QList<TestUser> users =
        startWithUsers(server, {"--group-changes-per-minute", "5"}, {"spammer", "target", "other"});
    QCOMPARE(users.size(), 3);
    const TestUser &a = users[0], &b = users[1], &c = users[2];
    const QUrl url = server.url();
    Device a1 = loginDevice(url, a, QStringLiteral("a1"));
    Device c1 = loginDevice(url, c, QStringLiteral("c1"));
    QVERIFY(a1.ok() && c1.ok());

    QString first;
    for (int i = 0; i < 5; ++i) {
        const QJsonObject reply = a1->request(
            {{"type", "create_group"}, {"name", "g"}, {"members", QJsonArray{b.userId}}});
        TERN_VERIFY_ACK(reply);
        if (first.isEmpty())
            first = reply.value(QStringLiteral("conversation")).toString();
    }
    TERN_VERIFY_ERROR(
        a1->request({{"type", "create_group"}, {"name", "g"}, {"members", QJsonArray{b.userId}}}),
        QStringLiteral("rate_limited"));
    TERN_VERIFY_ERROR(
        a1->request(
            {{"type", "add_members"}, {"conversation", first}, {"members", QJsonArray{c.userId}}}),
        QStringLiteral("rate_limited"));
    // Other group requests and other users are not limited.
    TERN_VERIFY_ACK(
        a1->request({{"type", "rename"}, {"conversation", first}, {"name", "renamed"}}));
    TERN_VERIFY_ACK(c1->request(
        {{"type", "create_group"}, {"name", "mine"}, {"members", QJsonArray{b.userId}}}));
}

void TestHostileFlow::closedLinksQueuedReadsAreSkipped()
{
    // Bounds wide enough that 60 large history reads are queued for storage at once for one
    // link (with the default --heavy-reads most would wait, and be dropped, before the store).
    ChildServer server;
    const QList<TestUser> users = startWithUsers(server, wideFlowArgs(100), {"leaver", "peer"});
    QCOMPARE(users.size(), 2);
    FullChat chat = fullChat(server.url(), users[0], users[1]);
    QVERIFY(chat.ok());
    const QString &conversation = chat.conversation;

    std::unique_ptr<RawWsClient> raw = openRaw(server.port(), chat.raw.token());
    QVERIFY(raw);
    // 60 reads of 6.4 MB each, then the close frame, all in one write: the link is gone long
    // before the storage thread gets to most of them.
    pipelineHistory(*raw, conversation, 60, 200);
    raw->sendFrame(8, QByteArray("\x03\xe8", 2));
    QVERIFY(raw->waitForDisconnected(30'000));
    QVERIFY2(
        logSays(server, QStringLiteral("skipped 10 store reads for closed connections"), 30'000),
        qPrintable(server.logTail()));
    // The server still answers.
    TERN_VERIFY_ACK(
        chat.a1->request({{"type", "history"}, {"conversation", conversation}, {"limit", 1}}));
}

void TestHostileFlow::closedLinksSyncReadsAreSkipped()
{
    // Links that ask for a sync and close at once: their sync's store reads are skipped like a
    // closed link's history pages, rather than run for nobody. (With the default
    // --heavy-reads, most would wait at the gate instead, and be dropped there.)
    ChildServer server;
    const QList<TestUser> users = startWithUsers(server, wideFlowArgs(100), {"writer", "syncer"});
    QCOMPARE(users.size(), 2);
    FullChat chat = fullChat(server.url(), users[0], users[1]);
    Device braw = loginDevice(server.url(), users[1], QStringLiteral("raw"));
    QVERIFY(chat.ok() && braw.ok());
    std::vector<std::unique_ptr<RawWsClient>> syncers;
    for (int i = 0; i < 12; ++i) {
        syncers.push_back(openRaw(server.port(), braw.token()));
        QVERIFY(syncers.back());
    }
    // Ten pages of 6.4 MB keep the storage thread busy while the syncers come and go. The
    // heartbeat behind them is answered once all ten are queued for storage, long before
    // they are read.
    std::unique_ptr<RawWsClient> busy = openRaw(server.port(), chat.raw.token());
    QVERIFY(busy);
    pipelineHistory(*busy, chat.conversation, 10, 200);
    busy->sendJson({{"type", "heartbeat"}, {"id", "queued"}});
    QVERIFY(busy->readReply(QStringLiteral("queued"), 30'000));
    for (auto &syncer : syncers) {
        syncer->sendJson({{"type", "sync"}, {"id", "sync"}});
        syncer->sendFrame(8, QByteArray("\x03\xe8", 2));
    }
    for (auto &syncer : syncers)
        QVERIFY(syncer->waitForDisconnected(30'000));
    QVERIFY(busy->readReply(QStringLiteral("h9"), 60'000));
    QVERIFY2(
        logSays(server, QStringLiteral("skipped 10 store reads for closed connections"), 10'000),
        qPrintable(server.logTail()));
}

void TestHostileFlow::syncReadsWaitTheirTurnAtTheGate()
{
    // One heavy read at a time: three links each pipeline 20 history pages and then a sync.
    // The sync's reads queue at the gate behind the pages asked for before it (on every
    // link), so each link's sync ends after its own pages; run beside the gate, it would end
    // after a page or two.
    constexpr int kPages = 20;
    ChildServer server;
    const QList<TestUser> users = startWithUsers(
        server,
        {"--heavy-reads", "1", "--send-queue-limit", "67108864", "--read-pause-bytes", "16777216"},
        {"writer", "syncer"});
    QCOMPARE(users.size(), 2);
    // Five messages wait for the syncing device.
    Device a1 = loginDevice(server.url(), users[0], QStringLiteral("a1"));
    Device braw = loginDevice(server.url(), users[1], QStringLiteral("raw"));
    QVERIFY(a1.ok() && braw.ok());
    QString conversation;
    for (int i = 0; i < 5; ++i) {
        const QJsonObject ack =
            a1->sendMessage(users[1].userId, QStringLiteral("backlog %1").arg(i));
        TERN_VERIFY_ACK(ack);
        conversation = ack.value(QStringLiteral("conversation")).toString();
    }
    std::vector<std::unique_ptr<RawWsClient>> links;
    for (int l = 0; l < 3; ++l) {
        links.push_back(openRaw(server.port(), braw.token()));
        QVERIFY(links.back());
    }
    for (auto &link : links) {
        pipelineHistory(*link, conversation, kPages, 1);
        link->sendJson({{"type", "sync"}, {"id", "sync"}});
    }
    for (auto &link : links) {
        int pagesBeforeSync = 0;
        for (;;) {
            const std::optional<QJsonObject> frame = link->readJson(30'000);
            QVERIFY(frame);
            const QString id = frame->value(QStringLiteral("id")).toString();
            if (frame->value(QStringLiteral("type")).toString() != QStringLiteral("ack"))
                continue; // the synced messages
            if (id == QStringLiteral("sync"))
                break;
            ++pagesBeforeSync;
        }
        QCOMPARE(pagesBeforeSync, kPages);
    }
}

void TestHostileFlow::fullStorageQueueRefusesWithoutLoss()
{
    // A storage queue of two jobs: a burst of sends finds it full at once.
    ChildServer server;
    const QList<TestUser> users =
        startWithUsers(server, {"--store-queue-limit", "2"}, {"burster", "reader"});
    QCOMPARE(users.size(), 2);
    const TestUser &a = users[0], &b = users[1];
    const QUrl url = server.url();
    Device a1 = loginDevice(url, a, QStringLiteral("a1"));
    QVERIFY(a1.ok());

    constexpr int kBurst = 200;
    QStringList ids;
    for (int i = 0; i < kBurst; ++i)
        ids << a1->post(TestClient::messageObject(b.userId, QStringLiteral("m%1").arg(i)));
    QVERIFY(a1->waitForReplies(ids, 60'000));
    QStringList refused;
    QString conversation;
    for (const QString &id : std::as_const(ids)) {
        const QJsonObject reply = *a1->reply(id);
        if (isError(reply, QStringLiteral("rate_limited")))
            refused << id;
        else if (isAck(reply))
            conversation = reply.value(QStringLiteral("conversation")).toString();
        else
            QFAIL(qPrintable(toJson(reply)));
    }
    qInfo("%lld of %d sends refused while the storage queue was full", qint64(refused.size()),
          kBurst);
    QVERIFY2(!refused.isEmpty(), "the storage queue bound never refused a send");
    QVERIFY(!conversation.isEmpty());
    // Refused sends were not stored; sent again one by one (as a client retries), each is
    // stored exactly once.
    for (const QString &id : std::as_const(refused)) {
        const int i = int(ids.indexOf(id));
        QJsonObject reply;
        // Background writes (last seen) may fill so small a queue: retry, each time as soon as
        // the refusal is in, until the storage thread has room (bounded by the deadline).
        const QDeadlineTimer deadline(30'000);
        while (!deadline.hasExpired()) {
            // The same id again: wait for its next reply (the first is the refusal).
            const int seen = a1->replyCount(id);
            a1->send(TestClient::messageObject(b.userId, QStringLiteral("m%1").arg(i), id));
            QVERIFY(spinUntil([&] { return a1->replyCount(id) > seen; }, 10'000));
            for (const QJsonObject &r : a1->allReplies()) {
                if (r.value(QStringLiteral("id")).toString() == id)
                    reply = r; // the last one wins
            }
            if (!isError(reply, QStringLiteral("rate_limited")))
                break;
        }
        TERN_VERIFY_ACK(reply);
    }
    QSet<QString> stored;
    std::optional<qint64> before;
    for (int page = 0; page < 50; ++page) {
        QJsonObject request{{"type", "history"}, {"conversation", conversation}, {"limit", 200}};
        if (before)
            request.insert(QStringLiteral("before_seq"), *before);
        const QJsonObject reply = a1->request(request);
        TERN_VERIFY_ACK(reply);
        for (const QJsonValue &m : reply.value(QStringLiteral("messages")).toArray()) {
            const QString id = m.toObject().value(QStringLiteral("id")).toString();
            QVERIFY2(!stored.contains(id), qPrintable(id));
            stored.insert(id);
        }
        if (!reply.contains(QStringLiteral("next_before_seq")))
            break;
        before = intField(reply, QStringLiteral("next_before_seq"));
    }
    QCOMPARE(stored.size(), kBurst);
}

QTEST_GUILESS_MAIN(TestHostileFlow)
#include "tst_hostileFlow.moc"
