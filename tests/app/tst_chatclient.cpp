// ChatClient against an in-process ternd: send/receive with both caches updated, the durable
// outbox across a server outage and across an "app restart", idempotent re-sends, refused
// messages, offline reads from the cache, state transitions, and the pure backoff policy.

#include "app/cache/LocalStore.h"
#include "app/client/BackoffPolicy.h"
#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/client/Inbox.h"
#include "app/client/Outbox.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestUtil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <qcoro/qcorotask.h>

#include <memory>

using namespace tern;
using namespace tern::test;
using tern::app::cache::LocalStore;
using tern::app::cache::OutboxItem;
using tern::app::client::BackoffPolicy;
using tern::app::client::ChatClient;
using tern::app::client::ChatConnection;
using tern::app::client::Inbox;
using tern::app::client::Outbox;
using State = ChatConnection::State;

namespace {

const QString kPassword = QStringLiteral("password-123");
constexpr int kWaitMs = 20'000;

template <typename T> T take(QFuture<T> future)
{
    future.waitForFinished();
    return future.result();
}

//! One user's app: its cache file and client.
struct Account
{
    QString name;
    QString path;
    QString userId;
    std::unique_ptr<LocalStore> store;
    std::unique_ptr<ChatClient> client;

    bool build(const QUrl &url)
    {
        store = std::make_unique<LocalStore>(path);
        if (!store->open().ok())
            return false;
        client = std::make_unique<ChatClient>(store.get());
        client->connection()->setServerUrl(url);
        // Short delays keep the test fast; the product defaults are tested in backoffPolicy().
        client->connection()->setBackoffPolicy(BackoffPolicy(100, 800, 0.3));
        return true;
    }
    //! The client before its store: the client uses the store.
    void destroy()
    {
        client.reset();
        store.reset();
    }
    QList<OutboxItem> outbox() const { return take(store->outbox()).value(); }
};

QStringList idsOf(const QSignalSpy &spy, int argument)
{
    QStringList ids;
    for (const QList<QVariant> &args : spy)
        ids << args.at(argument).toString();
    return ids;
}

//! A barrier: returns once the server has answered a request `account` sent after everything it
//! sent before, and `account` has stored (and reported) every message that came before that
//! answer. Proves an absence without waiting for time to pass.
QCoro::Task<bool> settle(ChatClient *client, LocalStore *store)
{
    QCoro::Task<Result<QList<protocol::UserInfo>>> asking =
        client->inbox()->users({client->connection()->userId()});
    const Result<QList<protocol::UserInfo>> answer = co_await asking;
    // The cache works in order: incoming messages queued before this read are saved before it.
    QFuture<Result<QList<OutboxItem>>> reading = store->outbox();
    co_await reading;
    co_return answer.ok();
}

//! Lets the coroutines resumed by a teardown (failed requests, lost connections) finish: a few
//! rounds of posted events, no waiting for time.
void drainEvents()
{
    for (int round = 0; round < 20; ++round)
        QCoreApplication::processEvents(QEventLoop::AllEvents);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

QList<protocol::MessageEvent> messagesOf(const QSignalSpy &spy)
{
    QList<protocol::MessageEvent> list;
    for (const QList<QVariant> &args : spy)
        list << args.at(0).value<protocol::MessageEvent>();
    return list;
}

} // namespace

class TestChatClient : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void backoffPolicy();
    void sendAndReceive();
    void refusedMessageFails();
    void offlineSendThenReconnect();
    void appRestartKeepsOutbox();
    void resentIdIsNotDuplicated();
    void groupRequests();
    void receiptsRequest();
    void presenceAndUsersRequests();
    void presenceAfterSync();
    void followsPagingCursors();

private:
    bool makeAccount(Account &account, const QString &prefix);
    void restartServer(std::initializer_list<Account *> accounts);

    std::unique_ptr<ServerFixture> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestChatClient::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<ServerFixture>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestChatClient::cleanup()
{
    m_server.reset();
    // Coroutines resumed by the teardown (failed requests, lost connections) finish here.
    drainEvents();
    m_dir.reset();
}

bool TestChatClient::makeAccount(Account &account, const QString &prefix)
{
    account.name = uniqueName(prefix);
    account.path = m_dir->filePath(account.name + QStringLiteral(".sqlite"));
    if (!account.build(m_server->url()))
        return false;
    const Result<QString> registered = QCoro::waitFor(account.client->connection()->registerAccount(
        account.name, kPassword, account.name.toUpper()));
    if (!registered) {
        qWarning("register failed: %s", qPrintable(registered.error().message));
        return false;
    }
    QSignalSpy states(account.client->connection(), &ChatConnection::stateChanged);
    const Result<app::client::Session> session = QCoro::waitFor(
        account.client->connection()->login(account.name, kPassword, QStringLiteral("laptop")));
    if (!session) {
        qWarning("login failed: %s", qPrintable(session.error().message));
        return false;
    }
    account.userId = session->userId;
    if (!spinUntil([&] { return account.client->connection()->state() == State::Online; }, kWaitMs))
        return false;
    // login: the connection opens, authenticates, syncs, then is online.
    QList<State> seen;
    for (const QList<QVariant> &args : states)
        seen << args.at(0).value<State>();
    const QList<State> expected{State::Connecting, State::Authenticating, State::Syncing,
                                State::Online};
    if (seen != expected) {
        qWarning() << "unexpected state sequence" << seen;
        return false;
    }
    return account.client->connection()->userId() == account.userId &&
           !account.client->connection()->deviceId().isEmpty();
}

void TestChatClient::restartServer(std::initializer_list<Account *> accounts)
{
    QVERIFY(m_server->start());
    // ServerFixture restarts on a new port: tell the clients (their retries use it).
    for (Account *account : accounts)
        account->client->connection()->setServerUrl(m_server->url());
}

void TestChatClient::backoffPolicy()
{
    BackoffPolicy policy; // the product's: 0.5 s doubling, 30 s cap, ±30 %
    QCOMPARE(policy.baseDelayMs(0), 500);
    QCOMPARE(policy.baseDelayMs(1), 1000);
    QCOMPARE(policy.baseDelayMs(2), 2000);
    QCOMPARE(policy.baseDelayMs(5), 16000);
    QCOMPARE(policy.baseDelayMs(6), 30000);
    QCOMPARE(policy.baseDelayMs(1000), 30000);

    QRandomGenerator random(7);
    QSet<int> distinct;
    for (int round = 0; round < 3; ++round) {
        policy.reset();
        for (int attempt = 0; attempt < 12; ++attempt) {
            const int base = policy.baseDelayMs(attempt);
            const int delay = policy.nextDelayMs(&random);
            QVERIFY2(delay >= base * 0.7 - 1 && delay <= base * 1.3 + 1,
                     qPrintable(QStringLiteral("attempt %1: %2 ms vs base %3")
                                    .arg(attempt)
                                    .arg(delay)
                                    .arg(base)));
            QVERIFY(delay <= 39'000);
            if (attempt == 0)
                distinct.insert(delay);
        }
        QCOMPARE(policy.attempts(), 12);
    }
    QVERIFY(distinct.size() > 1); // jitter actually spreads clients
}

void TestChatClient::sendAndReceive()
{
    Account a, b;
    QVERIFY(makeAccount(a, QStringLiteral("alice")));
    QVERIFY(makeAccount(b, QStringLiteral("bob")));
    QSignalSpy queued(a.client->outbox(), &Outbox::messageQueued);
    QSignalSpy sent(a.client->outbox(), &Outbox::messageSent);
    QSignalSpy receipts(a.client->inbox(), &Inbox::receiptReceived);
    QSignalSpy received(b.client->inbox(), &Inbox::messageReceived);

    const QString id = a.client->outbox()->sendText(b.userId, QStringLiteral("hello bob"));
    QVERIFY(!id.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kWaitMs);
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued.first().at(0).value<OutboxItem>().id, id);
    QCOMPARE(sent.first().at(0).toString(), id);
    const QString conversation = sent.first().at(1).toString();
    const qint64 seq = sent.first().at(2).toLongLong();
    QVERIFY(!conversation.isEmpty());
    QVERIFY(seq >= 1);
    QVERIFY(a.outbox().isEmpty());
    const auto mine = take(a.store->messages(conversation, 0, 10)).value();
    QCOMPARE(mine.size(), 1);
    QCOMPARE(mine.first().id, id);
    QCOMPARE(mine.first().seq, seq);
    QCOMPARE(mine.first().from, a.userId);

    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, kWaitMs);
    const protocol::MessageEvent got = received.first().at(0).value<protocol::MessageEvent>();
    QCOMPARE(got.id, id);
    QCOMPARE(got.seq, seq);
    QCOMPARE(got.from, a.userId);
    QCOMPARE(got.content, QStringLiteral("hello bob"));
    const auto cached = take(b.store->messages(conversation, 0, 10)).value();
    QCOMPARE(cached.size(), 1);
    QCOMPARE(cached.first().id, id);

    // Bob's client reported a delivery watermark: Alice hears it as a receipt.
    QTRY_VERIFY_WITH_TIMEOUT(!receipts.isEmpty(), kWaitMs);
    const auto receipt = receipts.last().at(0).value<protocol::ReceiptEvent>();
    QCOMPARE(receipt.conversation, conversation);
    QCOMPARE(receipt.seq, seq);
    b.client->inbox()->markRead(conversation, seq);
    QTRY_VERIFY_WITH_TIMEOUT(receipts.last().at(0).value<protocol::ReceiptEvent>().status ==
                                 protocol::ReceiptStatus::Read,
                             kWaitMs);

    // Requests: the conversation list (also cached) and history.
    const auto list = QCoro::waitFor(b.client->inbox()->conversations());
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 1);
    QCOMPARE(list->first().conversation, conversation);
    QCOMPARE(take(b.store->conversations())->size(), 1);
    const auto history = QCoro::waitFor(a.client->inbox()->history(conversation, 0, 50));
    QVERIFY(history.ok());
    QCOMPARE(history->size(), 1);
    const auto users = QCoro::waitFor(a.client->inbox()->searchUsers(b.name));
    QVERIFY(users.ok());
    QCOMPARE(users->size(), 1);
    QCOMPARE(users->first().userId, b.userId);
    const auto group =
        QCoro::waitFor(a.client->groups()->createGroup(QStringLiteral("team"), {b.userId}));
    QVERIFY(group.ok());
    QVERIFY(!group->isEmpty());

    // Typing reaches Bob, at most once a second.
    QSignalSpy typing(b.client->inbox(), &Inbox::typingReceived);
    a.client->inbox()->sendTyping(conversation);
    a.client->inbox()->sendTyping(conversation);
    QTRY_COMPARE_WITH_TIMEOUT(typing.size(), 1, kWaitMs);
    // Whatever a sent is at b once a's and then b's round trip are answered.
    QVERIFY(QCoro::waitFor(settle(a.client.get(), a.store.get())));
    QVERIFY(QCoro::waitFor(settle(b.client.get(), b.store.get())));
    QCOMPARE(typing.size(), 1);
}

void TestChatClient::refusedMessageFails()
{
    Account a;
    QVERIFY(makeAccount(a, QStringLiteral("alice")));
    QSignalSpy failed(a.client->outbox(), &Outbox::messageFailed);
    const QString id =
        a.client->outbox()->sendText(QStringLiteral("u-nobody"), QStringLiteral("hi?"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kWaitMs);
    QCOMPARE(failed.first().at(0).toString(), id);
    QCOMPARE(failed.first().at(1).toString(), QStringLiteral("not_found"));
    QVERIFY(a.outbox().isEmpty()); // refused for good: not retried
}

void TestChatClient::offlineSendThenReconnect()
{
    Account a, b;
    QVERIFY(makeAccount(a, QStringLiteral("alice")));
    QVERIFY(makeAccount(b, QStringLiteral("bob")));
    QSignalSpy sent(a.client->outbox(), &Outbox::messageSent);
    QSignalSpy received(b.client->inbox(), &Inbox::messageReceived);
    const QString first = a.client->outbox()->sendText(b.userId, QStringLiteral("before"));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, kWaitMs);
    // b can have it before a has stored the ack (messageSent comes after the cache write).
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kWaitMs);
    const QString conversation = sent.first().at(1).toString();
    // A message in a new conversation makes both clients refresh (and cache) their lists.
    QTRY_COMPARE_WITH_TIMEOUT(take(b.store->conversations())->size(), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(take(a.store->conversations())->size(), 1, kWaitMs);

    QSignalSpy states(a.client->connection(), &ChatConnection::stateChanged);
    m_server->stop();
    QTRY_COMPARE_WITH_TIMEOUT(a.client->connection()->state(), State::Offline, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(a.client->connection()->nextRetryMs() >= 0,
                             kWaitMs); // a retry is scheduled

    // Offline: reads come from the cache.
    const auto history = QCoro::waitFor(a.client->inbox()->history(conversation, 0, 50));
    QVERIFY(history.ok());
    QCOMPARE(history->size(), 1);
    QCOMPARE(history->first().id, first);
    const auto list = QCoro::waitFor(b.client->inbox()->conversations());
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 1);

    QSignalSpy queued(a.client->outbox(), &Outbox::messageQueued);
    const QStringList ids{a.client->outbox()->sendText(b.userId, QStringLiteral("m1")),
                          a.client->outbox()->sendText(b.userId, QStringLiteral("m2")),
                          a.client->outbox()->sendText(b.userId, QStringLiteral("m3"))};
    QTRY_COMPARE_WITH_TIMEOUT(queued.size(), 3, kWaitMs);
    QCOMPARE(a.outbox().size(), 3);
    QVERIFY(a.client->connection()->state() != State::Online);
    // A few failed retries while the server is away: each one goes through Connecting.
    const auto attempts = [&] {
        int connecting = 0;
        for (const QList<QVariant> &args : states)
            connecting += args.at(0).value<State>() == State::Connecting ? 1 : 0;
        return connecting;
    };
    const int attemptsBefore = attempts();
    QTRY_VERIFY_WITH_TIMEOUT(attempts() >= attemptsBefore + 2 &&
                                 a.client->connection()->state() == State::Offline,
                             kWaitMs);
    QCOMPARE(a.outbox().size(), 3);

    restartServer({&a, &b});
    // Nobody calls retryNow(): the clients come back on their own.
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 4, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(a.client->connection()->state(), State::Online, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(a.outbox().isEmpty(), kWaitMs);
    // Nothing more arrives: barriers on a's connection, then on b's.
    QVERIFY(QCoro::waitFor(settle(a.client.get(), a.store.get())));
    QVERIFY(QCoro::waitFor(settle(b.client.get(), b.store.get())));
    const QList<protocol::MessageEvent> got = messagesOf(received);
    QCOMPARE(got.size(), 4);
    QCOMPARE(got.at(0).id, first);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(got.at(i + 1).id, ids.at(i));
        QCOMPARE(got.at(i + 1).content, QStringLiteral("m%1").arg(i + 1));
        QCOMPARE(got.at(i + 1).seq, got.at(i).seq + 1);
    }
    QCOMPARE(idsOf(sent, 0).mid(1), ids);
    // The reconnect went through every stage again.
    QList<State> seen;
    for (const QList<QVariant> &args : states)
        seen << args.at(0).value<State>();
    QVERIFY(seen.contains(State::Offline));
    QVERIFY(seen.contains(State::Connecting));
    QCOMPARE(seen.mid(seen.size() - 3),
             (QList<State>{State::Authenticating, State::Syncing, State::Online}));
}

void TestChatClient::appRestartKeepsOutbox()
{
    Account a, b;
    QVERIFY(makeAccount(a, QStringLiteral("alice")));
    QVERIFY(makeAccount(b, QStringLiteral("bob")));
    QSignalSpy received(b.client->inbox(), &Inbox::messageReceived);

    m_server->stop();
    QTRY_VERIFY_WITH_TIMEOUT(a.client->connection()->state() != State::Online, kWaitMs);
    QSignalSpy queued(a.client->outbox(), &Outbox::messageQueued);
    const QString id = a.client->outbox()->sendText(b.userId, QStringLiteral("survives"));
    QTRY_COMPARE_WITH_TIMEOUT(queued.size(), 1, kWaitMs); // durable now
    a.destroy();                                          // the app is killed

    restartServer({&b});
    QVERIFY(a.build(QUrl())); // a new app on the same file; the url comes from its settings...
    a.client->connection()->setServerUrl(m_server->url()); // ...but the fixture's port changed
    QSignalSpy sent(a.client->outbox(), &Outbox::messageSent);
    const Status resumed = QCoro::waitFor(a.client->connection()->resume());
    QVERIFY2(resumed.ok(), qPrintable(resumed.ok() ? QString() : resumed.error().message));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kWaitMs);
    QVERIFY(QCoro::waitFor(settle(a.client.get(), a.store.get())));
    QVERIFY(QCoro::waitFor(settle(b.client.get(), b.store.get())));
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.first().at(0).value<protocol::MessageEvent>().id, id);
    QCOMPARE(sent.first().at(0).toString(), id);
    QCOMPARE(a.client->connection()->userId(), a.userId);
    QVERIFY(a.outbox().isEmpty());
}

void TestChatClient::resentIdIsNotDuplicated()
{
    Account a, b;
    QVERIFY(makeAccount(a, QStringLiteral("alice")));
    QVERIFY(makeAccount(b, QStringLiteral("bob")));
    QSignalSpy queued(a.client->outbox(), &Outbox::messageQueued);
    QSignalSpy sent(a.client->outbox(), &Outbox::messageSent);
    QSignalSpy received(b.client->inbox(), &Inbox::messageReceived);
    a.client->outbox()->sendText(b.userId, QStringLiteral("once"));
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, kWaitMs);
    const QString conversation = sent.first().at(1).toString();
    const qint64 seq = sent.first().at(2).toLongLong();

    // As if the app died after the server stored it but before the ack was processed.
    QVERIFY(take(a.store->addToOutbox(queued.first().at(0).value<OutboxItem>())).ok());
    a.client->outbox()->flush();
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 2, kWaitMs);
    QCOMPARE(sent.at(1).at(2).toLongLong(), seq); // the original ack
    QTRY_VERIFY_WITH_TIMEOUT(a.outbox().isEmpty(), kWaitMs);
    QVERIFY(QCoro::waitFor(settle(a.client.get(), a.store.get())));
    QVERIFY(QCoro::waitFor(settle(b.client.get(), b.store.get())));
    QCOMPARE(received.size(), 1);
    QCOMPARE(*take(b.store->maxSeq(conversation)), seq);
    QCOMPARE(take(a.store->messages(conversation, 0, 10))->size(), 1);
}

namespace {

QStringList memberIds(const protocol::ConversationSummary &summary)
{
    QStringList ids;
    for (const protocol::MemberInfo &member : summary.members)
        ids << member.userId;
    ids.sort();
    return ids;
}

QString roleIn(const protocol::ConversationSummary &summary, const QString &user)
{
    for (const protocol::MemberInfo &member : summary.members) {
        if (member.userId == user)
            return protocol::wireName(member.role);
    }
    return {};
}

std::optional<protocol::ConversationSummary> findConversation(ChatClient *client,
                                                              const QString &conversation)
{
    const auto list = QCoro::waitFor(client->inbox()->conversations());
    if (!list)
        return std::nullopt;
    for (const protocol::ConversationSummary &summary : *list) {
        if (summary.conversation == conversation)
            return summary;
    }
    return std::nullopt;
}

} // namespace

void TestChatClient::groupRequests()
{
    Account a, b, c, d;
    QVERIFY(makeAccount(a, QStringLiteral("owner")));
    QVERIFY(makeAccount(b, QStringLiteral("bea")));
    QVERIFY(makeAccount(c, QStringLiteral("cem")));
    QVERIFY(makeAccount(d, QStringLiteral("dan")));
    const Result<QString> group = QCoro::waitFor(
        a.client->groups()->createGroup(QStringLiteral("Crew"), {b.userId, c.userId}));
    QVERIFY(group);

    QVERIFY(QCoro::waitFor(a.client->groups()->addMembers(*group, {d.userId})).ok());
    const Status again = QCoro::waitFor(a.client->groups()->addMembers(*group, {d.userId}));
    QVERIFY(!again.ok());
    QCOMPARE(again.error().code, ErrorCode::Conflict);
    QVERIFY(QCoro::waitFor(a.client->groups()->renameGroup(*group, QStringLiteral("Crew 2"))).ok());
    QVERIFY(
        QCoro::waitFor(a.client->groups()->setRole(*group, b.userId, protocol::Role::Admin)).ok());
    // A plain member may not remove anyone.
    const Status refused = QCoro::waitFor(c.client->groups()->removeMember(*group, b.userId));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::Forbidden);
    QVERIFY(
        QCoro::waitFor(b.client->groups()->removeMember(*group, c.userId)).ok()); // admin removes
    QVERIFY(QCoro::waitFor(d.client->groups()->leaveConversation(*group)).ok());

    const auto summary = findConversation(a.client.get(), *group);
    QVERIFY(summary);
    QCOMPARE(summary->name, QStringLiteral("Crew 2"));
    QStringList expected{a.userId, b.userId};
    expected.sort();
    QCOMPARE(memberIds(*summary), expected);
    QCOMPARE(roleIn(*summary, a.userId), QStringLiteral("owner"));
    QCOMPARE(roleIn(*summary, b.userId), QStringLiteral("admin"));

    // Unknown conversation: the server's answer is passed on, not hidden.
    const Status missing = QCoro::waitFor(
        a.client->groups()->renameGroup(QStringLiteral("c-none"), QStringLiteral("x")));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::NotFound);
    QVERIFY(!missing.error().isTransport());

    // Offline: a transport error, no hang.
    a.client->connection()->setRequestTimeoutMs(2000);
    m_server->stop();
    QTRY_VERIFY_WITH_TIMEOUT(a.client->connection()->state() != State::Online, kWaitMs);
    const Status offline = QCoro::waitFor(a.client->groups()->leaveConversation(*group));
    QVERIFY(!offline.ok());
    QCOMPARE(offline.error().code, ErrorCode::Internal);
    QCOMPARE(offline.error().transport, std::optional(TransportFailure::Offline));
}

void TestChatClient::receiptsRequest()
{
    Account a, b;
    QVERIFY(makeAccount(a, QStringLiteral("alice")));
    QVERIFY(makeAccount(b, QStringLiteral("bob")));
    QSignalSpy sent(a.client->outbox(), &Outbox::messageSent);
    QSignalSpy received(b.client->inbox(), &Inbox::messageReceived);
    a.client->outbox()->sendText(b.userId, QStringLiteral("did you read this?"));
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, kWaitMs);
    const QString conversation = sent.first().at(1).toString();
    const qint64 seq = sent.first().at(2).toLongLong();

    b.client->inbox()->markRead(conversation, seq);
    QList<protocol::MemberReceipt> receipts;
    QVERIFY(spinUntil(
        [&] {
            const auto answer = QCoro::waitFor(a.client->groups()->receipts(conversation, seq));
            if (!answer)
                return false;
            receipts = *answer;
            return receipts.size() == 1 && receipts.first().read;
        },
        kWaitMs));
    QCOMPARE(receipts.first().userId, b.userId);
    QVERIFY(receipts.first().delivered);
    QCOMPARE(receipts.first().readSeq, seq);
    QVERIFY(receipts.first().deliveredSeq >= seq);

    const auto stranger = QCoro::waitFor(b.client->groups()->receipts(QStringLiteral("c-none"), 1));
    QVERIFY(!stranger);
    QCOMPARE(stranger.error().code, ErrorCode::NotFound);
}

void TestChatClient::presenceAndUsersRequests()
{
    Account a, b, s;
    QVERIFY(makeAccount(a, QStringLiteral("alice")));
    QVERIFY(makeAccount(b, QStringLiteral("bob")));
    QVERIFY(makeAccount(s, QStringLiteral("stranger")));
    QVERIFY(QCoro::waitFor(a.client->groups()->createGroup(QStringLiteral("Pair"), {b.userId})));

    const auto presence = QCoro::waitFor(a.client->inbox()->presence({b.userId, s.userId}));
    QVERIFY(presence);
    QCOMPARE(presence->size(), 1);
    QCOMPARE(presence->first().userId, b.userId);
    QVERIFY(presence->first().status == protocol::PresenceStatus::Online);

    // More ids than one request may carry: sent in chunks of 500, answers joined.
    QStringList ids;
    for (int i = 0; i < 1200; ++i)
        ids << QStringLiteral("u%1").arg(i, 20, 10, QLatin1Char('0'));
    ids.insert(700, b.userId);
    ids.insert(1100, a.userId);
    ids << s.userId;
    const auto users = QCoro::waitFor(a.client->inbox()->users(ids));
    QVERIFY2(users, users ? "" : qPrintable(users.error().message));
    QCOMPARE(users->size(), 2);
    QHash<QString, protocol::UserInfo> byId;
    for (const protocol::UserInfo &user : *users)
        byId.insert(user.userId, user);
    QCOMPARE(byId.value(b.userId).displayName, b.name.toUpper());
    QCOMPARE(byId.value(b.userId).user, b.name);
    QCOMPARE(byId.value(a.userId).displayName, a.name.toUpper());
    const auto many = QCoro::waitFor(a.client->inbox()->presence(ids));
    QVERIFY(many);
    QCOMPARE(many->size(), 1); // only b: we are not our own contact

    const auto none = QCoro::waitFor(s.client->inbox()->users({a.userId, b.userId}));
    QVERIFY(none);
    QVERIFY(none->isEmpty());
}

void TestChatClient::presenceAfterSync()
{
    Account a, b;
    QVERIFY(makeAccount(a, QStringLiteral("alice")));
    QVERIFY(makeAccount(b, QStringLiteral("bob")));
    QSignalSpy sent(a.client->outbox(), &Outbox::messageSent);
    a.client->outbox()->sendText(b.userId, QStringLiteral("hi"));
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kWaitMs);

    // An app restart of a: b stays online all along, so the server announces nothing about b;
    // only the request after sync can tell a that b is online.
    a.destroy();
    QVERIFY(a.build(m_server->url()));
    QSignalSpy presence(a.client->inbox(), &Inbox::presenceChanged);
    QSignalSpy synced(a.client->connection(), &ChatConnection::synced);
    QVERIFY(QCoro::waitFor(a.client->connection()->resume()).ok());
    QTRY_COMPARE_WITH_TIMEOUT(synced.size(), 1, kWaitMs);
    const auto aboutB = [&] {
        for (const QList<QVariant> &args : presence) {
            const auto event = args.at(0).value<protocol::PresenceEvent>();
            if (event.userId == b.userId && event.status == protocol::PresenceStatus::Online)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(aboutB(), kWaitMs);
}

void TestChatClient::followsPagingCursors()
{
    // Small reply pages: the client must follow next_cursor / next_before_seq to see it all.
    m_server->stop();
    m_server->config().replyPageBytes = 4096;
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    Account a, b;
    QVERIFY(makeAccount(a, QStringLiteral("alice")));
    QVERIFY(makeAccount(b, QStringLiteral("bob")));
    const QString text(1500, QLatin1Char('p'));
    QSignalSpy sent(a.client->outbox(), &Outbox::messageSent);
    constexpr int kGroups = 8;
    QStringList groups;
    for (int i = 0; i < kGroups; ++i) {
        const auto group = QCoro::waitFor(
            a.client->groups()->createGroup(QStringLiteral("g%1").arg(i), {b.userId}));
        QVERIFY(group.ok());
        groups << *group;
        a.client->outbox()->sendText(*group, text);
    }
    constexpr int kDirect = 20;
    for (int i = 0; i < kDirect; ++i)
        a.client->outbox()->sendText(b.userId, QStringLiteral("%1 ").arg(i) + text);
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), kGroups + kDirect, kWaitMs);
    const QString direct = sent.last().at(1).toString();

    const auto list = QCoro::waitFor(b.client->inbox()->conversations());
    QVERIFY(list.ok());
    QCOMPARE(list->size(), kGroups + 1);
    QCOMPARE(take(b.store->conversations())->size(), kGroups + 1);

    const auto history = QCoro::waitFor(b.client->inbox()->history(direct, 0, kDirect));
    QVERIFY(history.ok());
    QCOMPARE(history->size(), kDirect);
    QVERIFY(history->first().content.startsWith(QStringLiteral("0 ")));
    const auto older = QCoro::waitFor(b.client->inbox()->history(direct, history->at(10).seq, 50));
    QVERIFY(older.ok());
    QCOMPARE(older->size(), 10);
    QCOMPARE(older->last().seq, history->at(9).seq);
}

QTEST_GUILESS_MAIN(TestChatClient)
#include "tst_chatclient.moc"
