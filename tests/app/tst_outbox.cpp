// Outbox alone (over a real ChatConnection, against a child ternd): a text is durable before it
// is sent; messages queued while the server is away go out after the reconnect with the ids they
// got when queued, once each on the server; a re-sent id is acked again and not stored twice; a
// refused message is dropped and reported.

#include "app/client/ChatConnection.h"
#include "app/client/Outbox.h"
#include "shared/protocol/Replies.h"
#include "tests/app/PartAccount.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestUtil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace tern;
using namespace tern::test;
using tern::app::cache::OutboxItem;
using tern::app::client::ChatConnection;
using tern::app::client::Outbox;
using State = ChatConnection::State;

namespace {

//! An account with its outbox (destroyed before the connection).
struct Sender : PartAccount
{
    std::unique_ptr<Outbox> outbox;

    bool make(const QString &path, const QUrl &url, const QString &prefix)
    {
        if (!build(path, url))
            return false;
        outbox = std::make_unique<Outbox>(connection.get());
        return signUp(prefix);
    }
    QList<OutboxItem> queued() const { return take(store->outbox()).value(); }
    ~Sender()
    {
        outbox.reset();
        reset();
    }
};

QStringList idsOf(const QSignalSpy &spy)
{
    QStringList ids;
    for (const QList<QVariant> &args : spy)
        ids << args.at(0).toString();
    return ids;
}

//! The conversation as the server has it (a request answered after everything sent before it
//! on `reader`'s connection; the sender's acks came before, so it is a barrier for them too).
QList<protocol::MessageEvent> onServer(PartAccount &reader, const QString &conversation)
{
    const auto page =
        QCoro::waitFor(reader.connection->call(protocol::HistoryRequest{conversation, {}, 200}));
    if (!page) {
        qWarning("history failed: %s", qPrintable(page.error().message));
        return {};
    }
    return page->messages;
}

} // namespace

class TestOutbox : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void sendsWhenOnline();
    void queuedOfflineSentAfterReconnect();
    void resentIdIsNotDuplicated();
    void refusedMessageIsDropped();
    void changesAndForwardsResentWithTheirIds();

private:
    QString cachePath(const QString &name) const { return m_dir->filePath(name + ".sqlite"); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ChildServer> m_server;
};

void TestOutbox::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<ChildServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestOutbox::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

void TestOutbox::sendsWhenOnline()
{
    Sender a;
    PartAccount b;
    QVERIFY(a.make(cachePath("a"), m_server->url(), QStringLiteral("alice")));
    QVERIFY(b.build(cachePath("b"), m_server->url()));
    QVERIFY(b.signUp(QStringLiteral("bob")));
    QSignalSpy queued(a.outbox.get(), &Outbox::messageQueued);
    QSignalSpy sent(a.outbox.get(), &Outbox::messageSent);
    QSignalSpy arrived(b.connection.get(), &ChatConnection::messageEvent);

    const QString id = a.outbox->sendText(b.userId, QStringLiteral("hello"));
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kPartWaitMs);
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued.first().at(0).value<OutboxItem>().id, id);
    QCOMPARE(sent.first().at(0).toString(), id);
    const QString conversation = sent.first().at(1).toString();
    QVERIFY(a.queued().isEmpty());
    // The acked message is in the sender's cache with the server's seq.
    const auto mine = take(a.store->messages(conversation, 0, 10)).value();
    QCOMPARE(mine.size(), 1);
    QCOMPARE(mine.first().id, id);
    QCOMPARE(mine.first().seq, sent.first().at(2).toLongLong());
    QTRY_COMPARE_WITH_TIMEOUT(arrived.size(), 1, kPartWaitMs);
    QCOMPARE(arrived.first().at(0).value<protocol::MessageEvent>().id, id);
}

void TestOutbox::queuedOfflineSentAfterReconnect()
{
    Sender a;
    PartAccount b;
    QVERIFY(a.make(cachePath("a"), m_server->url(), QStringLiteral("alice")));
    QVERIFY(b.build(cachePath("b"), m_server->url()));
    QVERIFY(b.signUp(QStringLiteral("bob")));
    QSignalSpy queued(a.outbox.get(), &Outbox::messageQueued);
    QSignalSpy sent(a.outbox.get(), &Outbox::messageSent);
    QSignalSpy failed(a.outbox.get(), &Outbox::messageFailed);

    m_server->kill();
    QTRY_COMPARE_WITH_TIMEOUT(a.connection->state(), State::Offline, kPartWaitMs);
    const QStringList ids{a.outbox->sendText(b.userId, QStringLiteral("m1")),
                          a.outbox->sendText(b.userId, QStringLiteral("m2")),
                          a.outbox->sendText(b.userId, QStringLiteral("m3"))};
    QTRY_COMPARE_WITH_TIMEOUT(queued.size(), 3, kPartWaitMs); // durable now
    QStringList queuedIds;
    for (const OutboxItem &item : a.queued())
        queuedIds << item.id;
    QCOMPARE(queuedIds, ids);
    QCOMPARE(sent.size(), 0);

    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    a.connection->setServerUrl(m_server->url());
    b.connection->setServerUrl(m_server->url());
    // The flush after the reconnect's authentication sends them, in order, with their ids.
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 3, kPartWaitMs);
    QCOMPARE(idsOf(sent), ids);
    QTRY_VERIFY_WITH_TIMEOUT(a.queued().isEmpty(), kPartWaitMs);
    QCOMPARE(failed.size(), 0);
    const QString conversation = sent.first().at(1).toString();
    QTRY_COMPARE_WITH_TIMEOUT(b.connection->state(), State::Online, kPartWaitMs);
    const QList<protocol::MessageEvent> stored = onServer(b, conversation);
    QCOMPARE(stored.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(stored.at(i).id, ids.at(i));
        QCOMPARE(stored.at(i).content, QStringLiteral("m%1").arg(i + 1));
        QCOMPARE(stored.at(i).seq, sent.at(i).at(2).toLongLong());
    }
}

void TestOutbox::resentIdIsNotDuplicated()
{
    Sender a;
    PartAccount b;
    QVERIFY(a.make(cachePath("a"), m_server->url(), QStringLiteral("alice")));
    QVERIFY(b.build(cachePath("b"), m_server->url()));
    QVERIFY(b.signUp(QStringLiteral("bob")));
    QSignalSpy queued(a.outbox.get(), &Outbox::messageQueued);
    QSignalSpy sent(a.outbox.get(), &Outbox::messageSent);
    a.outbox->sendText(b.userId, QStringLiteral("once"));
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kPartWaitMs);
    const QString conversation = sent.first().at(1).toString();
    const qint64 seq = sent.first().at(2).toLongLong();

    // As if the app died after the server stored it but before the ack was processed: the
    // item is queued again, and a reconnect (here: a flush) sends it with the same id.
    QVERIFY(take(a.store->addToOutbox(queued.first().at(0).value<OutboxItem>())).ok());
    a.outbox->flush();
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 2, kPartWaitMs);
    QCOMPARE(sent.at(1).at(0).toString(), sent.at(0).at(0).toString());
    QCOMPARE(sent.at(1).at(2).toLongLong(), seq); // the original ack
    QTRY_VERIFY_WITH_TIMEOUT(a.queued().isEmpty(), kPartWaitMs);
    QCOMPARE(onServer(b, conversation).size(), 1);
    QCOMPARE(take(a.store->messages(conversation, 0, 10))->size(), 1);
}

void TestOutbox::refusedMessageIsDropped()
{
    Sender a;
    QVERIFY(a.make(cachePath("a"), m_server->url(), QStringLiteral("alice")));
    QSignalSpy failed(a.outbox.get(), &Outbox::messageFailed);
    QSignalSpy sent(a.outbox.get(), &Outbox::messageSent);
    const QString id = a.outbox->sendText(QStringLiteral("u-nobody"), QStringLiteral("hi?"));
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kPartWaitMs);
    QCOMPARE(failed.first().at(0).toString(), id);
    QCOMPARE(failed.first().at(1).toString(), QStringLiteral("not_found"));
    QVERIFY(a.queued().isEmpty()); // refused for good: not retried
    QCOMPARE(sent.size(), 0);
}

void TestOutbox::changesAndForwardsResentWithTheirIds()
{
    // Issue 19: edits, deletions, reactions, replies and forwards are durable outbox items like
    // texts, carry their wire fields, and a re-send (same id) is acked again, stored once.
    Sender a;
    PartAccount b;
    QVERIFY(a.make(cachePath("a"), m_server->url(), QStringLiteral("alice")));
    QVERIFY(b.build(cachePath("b"), m_server->url()));
    QVERIFY(b.signUp(QStringLiteral("bob")));
    QSignalSpy queued(a.outbox.get(), &Outbox::messageQueued);
    QSignalSpy sent(a.outbox.get(), &Outbox::messageSent);
    QSignalSpy failed(a.outbox.get(), &Outbox::messageFailed);
    a.outbox->sendText(b.userId, QStringLiteral("original"));
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kPartWaitMs);
    const QString conversation = sent.first().at(1).toString();
    tern::app::cache::MessageOptions reply;
    reply.replyTo = 1;
    a.outbox->sendText(b.userId, QStringLiteral("a reply"), reply);
    a.outbox->sendEdit(b.userId, 1, QStringLiteral("edited"));
    a.outbox->sendReaction(b.userId, 1, QStringLiteral("👍"), true);
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 4, kPartWaitMs); // the cache has the edit now
    protocol::MessageEvent original = take(a.store->messagesBySeq(conversation, {1}))->first();
    a.outbox->forward(conversation, original);
    a.outbox->sendDelete(b.userId, 2);
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 6, kPartWaitMs);
    QCOMPARE(failed.size(), 0);
    QVERIFY(a.queued().isEmpty());
    const QList<protocol::MessageEvent> stored = onServer(b, conversation);
    QCOMPARE(stored.size(), 6);
    QCOMPARE(stored.at(0).content, QStringLiteral("edited"));
    QVERIFY(stored.at(0).editedTs.has_value());
    QCOMPARE(stored.at(0).reactions.size(), 1);
    QVERIFY(stored.at(1).deleted); // the reply, deleted: its reply_to is gone with it
    QCOMPARE(stored.at(2).kind, protocol::MessageKind::Edit);
    QCOMPARE(stored.at(2).ref, std::optional<qint64>(1));
    QCOMPARE(stored.at(3).kind, protocol::MessageKind::Reaction);
    QCOMPARE(stored.at(3).content, QStringLiteral("👍"));
    QVERIFY(stored.at(4).forwarded);
    QCOMPARE(stored.at(4).content, QStringLiteral("edited"));
    QCOMPARE(stored.at(5).kind, protocol::MessageKind::Delete);
    QCOMPARE(stored.at(5).ref, std::optional<qint64>(2));

    // The sender's cache applied its own changes when they were acked.
    const auto mine = take(a.store->messagesBySeq(conversation, {1, 2, 5}));
    QCOMPARE(mine->size(), 3);
    QCOMPARE(mine->at(0).content, QStringLiteral("edited"));
    QCOMPARE(mine->at(0).reactions.size(), 1);
    QVERIFY(mine->at(1).deleted);
    QVERIFY(mine->at(2).forwarded);

    // As if the app died before the acks were processed: queued again, sent again with the
    // same ids, acked with the original seqs, nothing new on the server.
    QList<qint64> firstSeqs;
    for (int i = 1; i < 6; ++i) {
        QVERIFY(take(a.store->addToOutbox(queued.at(i).at(0).value<OutboxItem>())).ok());
        firstSeqs << sent.at(i).at(2).toLongLong();
    }
    a.outbox->flush();
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 11, kPartWaitMs);
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(sent.at(6 + i).at(0).toString(), sent.at(1 + i).at(0).toString());
        QCOMPARE(sent.at(6 + i).at(2).toLongLong(), firstSeqs.at(i));
    }
    QCOMPARE(onServer(b, conversation).size(), 6);
    QCOMPARE(take(a.store->messages(conversation, 0, 20))->size(), 6);
    QCOMPARE(take(a.store->messagesBySeq(conversation, {1}))->first().reactions.size(), 1);
}

QTEST_GUILESS_MAIN(TestOutbox)
#include "tst_outbox.moc"
