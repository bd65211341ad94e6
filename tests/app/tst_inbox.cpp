// Inbox alone (over real ChatConnections, against a child ternd, no ChatClient): the backlog
// synced when a device comes back, stored in its cache in order and told once; its delivery
// watermark reaching the sender; a live message told once even when a later sync repeats it;
// conversations and history answered from the cache while the server is away.

#include "app/cache/LocalStore.h"
#include "app/client/ChatConnection.h"
#include "app/client/Inbox.h"
#include "shared/protocol/Replies.h"
#include "tests/app/PartAccount.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestUtil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

using namespace tern;
using namespace tern::test;
using tern::app::client::ChatConnection;
using tern::app::client::Inbox;
using State = ChatConnection::State;

namespace {

//! An account with its inbox (destroyed before the connection).
struct Reader : PartAccount
{
    std::unique_ptr<Inbox> inbox;

    bool make(const QString &path, const QUrl &url, const QString &prefix)
    {
        if (!build(path, url))
            return false;
        inbox = std::make_unique<Inbox>(connection.get());
        return signUp(prefix);
    }
    //! The app quits: the inbox, then the connection and the cache.
    void quit()
    {
        inbox.reset();
        reset();
    }
    ~Reader() { quit(); }
};

//! A message the server acked: its id (ours: the request id) and where it was stored.
struct Sent
{
    QString id;
    QString conversation;
    qint64 seq = 0;
};

//! Sends a text from `from` to `to` and returns it once acked (stored on the server).
std::optional<Sent> sendText(PartAccount &from, const QString &to, const QString &text)
{
    protocol::SendMessageRequest request;
    request.to = to;
    request.content = text;
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const auto ack = QCoro::waitFor(from.connection->call(request, true, id));
    if (!ack) {
        qWarning("send failed: %s", qPrintable(ack.error().message));
        return std::nullopt;
    }
    return Sent{id, ack->conversation, ack->seq};
}

QList<protocol::MessageEvent> received(const QSignalSpy &spy)
{
    QList<protocol::MessageEvent> messages;
    for (const QList<QVariant> &args : spy)
        messages << args.at(0).value<protocol::MessageEvent>();
    return messages;
}

} // namespace

class TestInbox : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void backlogSyncedWhenBack();
    void liveMessageToldOnce();
    void readsFromTheCacheWhileAway();

private:
    QString cachePath(const QString &name) const { return m_dir->filePath(name + ".sqlite"); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ChildServer> m_server;
};

void TestInbox::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<ChildServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestInbox::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

void TestInbox::backlogSyncedWhenBack()
{
    Reader alice, bob;
    QVERIFY(alice.make(cachePath("alice"), m_server->url(), QStringLiteral("alice")));
    QVERIFY(bob.make(cachePath("bob"), m_server->url(), QStringLiteral("bob")));
    const QString bobId = bob.userId;
    bob.quit(); // Bob's app is closed while Alice writes

    QStringList ids;
    QString conversation;
    for (int i = 1; i <= 3; ++i) {
        const auto ack = sendText(alice, bobId, QStringLiteral("while away %1").arg(i));
        QVERIFY(ack);
        ids << ack->id;
        conversation = ack->conversation;
    }

    QSignalSpy delivered(alice.inbox.get(), &Inbox::receiptReceived);
    QVERIFY(bob.build(cachePath("bob"), QUrl())); // the url and token come from the cache
    bob.inbox = std::make_unique<Inbox>(bob.connection.get());
    QSignalSpy told(bob.inbox.get(), &Inbox::messageReceived);
    QVERIFY(QCoro::waitFor(bob.connection->resume()).ok());
    QTRY_COMPARE_WITH_TIMEOUT(bob.connection->state(), State::Online, kPartWaitMs);
    // The backlog is in, told once each, in order.
    QTRY_COMPARE_WITH_TIMEOUT(told.size(), 3, kPartWaitMs);
    QStringList toldIds;
    for (const protocol::MessageEvent &message : received(told))
        toldIds << message.id;
    QCOMPARE(toldIds, ids);
    const auto cached = take(bob.store->messages(conversation, 0, 50)).value();
    QCOMPARE(cached.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(cached.at(i).id, ids.at(i));
    // The conversation list came with the sync (before Online) and is cached with the new chat.
    const auto list = take(bob.store->conversations()).value();
    bool listedChat = false;
    for (const protocol::ConversationSummary &summary : list)
        listedChat = listedChat || summary.conversation == conversation;
    QVERIFY(listedChat);
    // Bob's device tells the server what it has; Alice's inbox hears the delivery of all three.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QList<QVariant> &args : delivered) {
                const auto receipt = args.at(0).value<protocol::ReceiptEvent>();
                if (receipt.user == bobId && receipt.seq >= 3)
                    return true;
            }
            return false;
        }(),
        kPartWaitMs);
}

void TestInbox::liveMessageToldOnce()
{
    Reader alice, bob;
    QVERIFY(alice.make(cachePath("alice"), m_server->url(), QStringLiteral("alice")));
    QVERIFY(bob.make(cachePath("bob"), m_server->url(), QStringLiteral("bob")));
    QSignalSpy told(bob.inbox.get(), &Inbox::messageReceived);
    const auto ack = sendText(alice, bob.userId, QStringLiteral("live"));
    QVERIFY(ack);
    QTRY_COMPARE_WITH_TIMEOUT(told.size(), 1, kPartWaitMs);
    QCOMPARE(received(told).first().id, ack->id);

    // The server goes and comes back: the reconnect's sync may repeat what the device has; the
    // inbox tells only what is new to it.
    m_server->kill();
    QTRY_VERIFY_WITH_TIMEOUT(bob.connection->state() != State::Online, kPartWaitMs);
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    alice.connection->setServerUrl(m_server->url());
    bob.connection->setServerUrl(m_server->url());
    QTRY_COMPARE_WITH_TIMEOUT(bob.connection->state(), State::Online, kPartWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(alice.connection->state(), State::Online, kPartWaitMs);
    const auto next = sendText(alice, bob.userId, QStringLiteral("after the restart"));
    QVERIFY(next);
    // The next message arrives after anything the reconnect could have repeated.
    QTRY_COMPARE_WITH_TIMEOUT(told.size(), 2, kPartWaitMs);
    QCOMPARE(received(told).at(1).id, next->id);
    const auto cached = take(bob.store->messages(ack->conversation, 0, 50)).value();
    QCOMPARE(cached.size(), 2);
}

void TestInbox::readsFromTheCacheWhileAway()
{
    Reader alice, bob;
    QVERIFY(alice.make(cachePath("alice"), m_server->url(), QStringLiteral("alice")));
    QVERIFY(bob.make(cachePath("bob"), m_server->url(), QStringLiteral("bob")));
    QSignalSpy told(bob.inbox.get(), &Inbox::messageReceived);
    QString conversation;
    for (int i = 1; i <= 2; ++i) {
        const auto ack = sendText(alice, bob.userId, QStringLiteral("kept %1").arg(i));
        QVERIFY(ack);
        conversation = ack->conversation;
    }
    QTRY_COMPARE_WITH_TIMEOUT(told.size(), 2, kPartWaitMs);
    // Online, history comes from the server (and is cached).
    const auto online = QCoro::waitFor(bob.inbox->history(conversation, 0, 50));
    QVERIFY(online.ok());
    QCOMPARE(online->size(), 2);
    const auto listOnline = QCoro::waitFor(bob.inbox->conversations());
    QVERIFY(listOnline.ok());

    m_server->kill();
    QTRY_VERIFY_WITH_TIMEOUT(bob.connection->state() != State::Online, kPartWaitMs);
    // Away, both answers come from the cache: the same messages, the same chat.
    const auto offline = QCoro::waitFor(bob.inbox->history(conversation, 0, 50));
    QVERIFY(offline.ok());
    QCOMPARE(offline->size(), 2);
    QCOMPARE(offline->at(0).content, QStringLiteral("kept 1"));
    QCOMPARE(offline->at(1).content, QStringLiteral("kept 2"));
    const auto listOffline = QCoro::waitFor(bob.inbox->conversations());
    QVERIFY(listOffline.ok());
    bool found = false;
    for (const protocol::ConversationSummary &summary : *listOffline)
        found = found || summary.conversation == conversation;
    QVERIFY(found);
}

QTEST_MAIN(TestInbox)
#include "tst_inbox.moc"
