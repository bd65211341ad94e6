// ConversationListModel (and its filter proxy) against real ChatClients and an in-process
// ternd: order by last activity, unread badges, previews, typing, presence, mute, filter, and
// the cached list at startup. QAbstractItemModelTester watches every model.

#include "app/client/GroupRequests.h"
#include "app/client/Inbox.h"
#include "app/client/Outbox.h"
#include "app/models/ConversationFilterModel.h"
#include "app/models/ConversationListModel.h"
#include "app/models/UserDirectory.h"
#include "shared/core/Clock.h"
#include "tests/app/AppTestAccount.h"
#include "tests/app/EventBarrier.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestUtil.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace tern;
using namespace tern::test;
using tern::app::models::ConversationFilterModel;
using tern::app::models::ConversationListModel;
using Role = ConversationListModel::Role;

namespace {

constexpr int kWaitMs = 20'000;
using Tester = QAbstractItemModelTester;

QVariant roleOf(const ConversationListModel &model, const QString &conversation, int role)
{
    const int row = model.rowOf(conversation);
    return row < 0 ? QVariant() : model.index(row).data(role);
}

qint64 summaryLastSeq(const ConversationListModel &model, const QString &conversation)
{
    return model.summary(model.rowOf(conversation)).lastSeq;
}

} // namespace

class TestConversationModel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void orderUnreadAndPreviews();
    void typingAndPresence();
    void filterByName();
    void markReadUpToSeqAndAccessibleText();
    void destroyedBeforeTheCacheAnswers();
    void previewFollowsEditsAndDeletions();
    void previewSkipsWhatWasDeletedForMe();

private:
    //! Sends `text` from `from` to `to` and returns the conversation id.
    QString send(AppTestAccount &from, const QString &to, const QString &text);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerFixture> m_server;
};

void TestConversationModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<ServerFixture>();
    m_server->config().presenceMinIntervalMs = 0; // every change announced at once
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestConversationModel::cleanup()
{
    m_server.reset();
    QVERIFY(runQueuedWork()); // what the teardown resumed, before the directory goes
    m_dir.reset();
}

QString TestConversationModel::send(AppTestAccount &from, const QString &to, const QString &text)
{
    QSignalSpy sent(from.client->outbox(), &app::client::Outbox::messageSent);
    from.client->outbox()->sendText(to, text);
    if (!spinUntil([&] { return !sent.isEmpty(); }, kWaitMs))
        return {};
    return sent.first().at(1).toString();
}

void TestConversationModel::orderUnreadAndPreviews()
{
    AppTestAccount a, b, c;
    QVERIFY(a.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("alice"))));
    QVERIFY(b.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("bob"))));
    QVERIFY(c.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("carol"))));

    ConversationListModel model(b.client.get(), b.store.get());
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    QTRY_VERIFY(model.isLoaded());
    QCOMPARE(model.rowCount(), 0);
    model.setDisplayNames({{a.userId, QStringLiteral("Alice")}});
    QSignalSpy unreadSpy(&model, &ConversationListModel::totalUnreadChanged);

    const QString withA = send(a, b.userId, QStringLiteral("one"));
    tern::advanceClockForTesting(1); // distinct server timestamps, without sleeping
    const QString withC = send(c, b.userId, QStringLiteral("two"));
    QVERIFY(!withA.isEmpty() && !withC.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, withC, Role::LastMessagePreviewRole).toString(),
                              QStringLiteral("two"), kWaitMs);
    QCOMPARE(model.rowOf(withC), 0); // newest first
    QCOMPARE(model.rowOf(withA), 1);
    QCOMPARE(roleOf(model, withA, Role::NameRole).toString(), a.name.toUpper());
    QCOMPARE(roleOf(model, withA, Role::KindRole).toString(), QStringLiteral("direct"));
    QCOMPARE(roleOf(model, withA, Role::MemberCountRole).toInt(), 2);
    QCOMPARE(roleOf(model, withA, Role::AvatarInitialsRole).toString(), a.name.left(1).toUpper());
    const int hue = roleOf(model, withA, Role::AvatarHueRole).toInt();
    QVERIFY(hue >= 0 && hue < 360);

    // A message in the older conversation moves it to the top and counts as unread.
    QSignalSpy moved(&model, &QAbstractItemModel::rowsMoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    tern::advanceClockForTesting(1);
    send(a, b.userId, QStringLiteral("three\nlines"));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowOf(withA), 0, kWaitMs);
    QVERIFY(!moved.isEmpty());
    QVERIFY(reset.isEmpty()); // a move, not a reset
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, withA, Role::UnreadCountRole).toInt(), 2, kWaitMs);
    QCOMPARE(roleOf(model, withA, Role::LastMessagePreviewRole).toString(),
             QStringLiteral("three lines"));
    QCOMPARE(roleOf(model, withC, Role::UnreadCountRole).toInt(), 1);
    QCOMPARE(model.totalUnread(), 3);
    QVERIFY(!unreadSpy.isEmpty());
    QVERIFY(roleOf(model, withA, Role::LastActivityRole).toLongLong() >
            roleOf(model, withC, Role::LastActivityRole).toLongLong());

    // Own messages: "You: " at once (queued), the row moves to the top. A reply marks the chat
    // read (badge and server) once the server took it.
    b.client->outbox()->sendText(c.userId, QStringLiteral("mine"));
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, withC, Role::LastMessagePreviewRole).toString(),
                              QStringLiteral("You: mine"), kWaitMs);
    QCOMPARE(model.rowOf(withC), 0);
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, withC, Role::UnreadCountRole).toInt(), 0, kWaitMs);

    // Groups: "Alice: " prefix; the created system message first becomes a short sentence.
    const auto group = QCoro::waitFor(
        a.client->groups()->createGroup(QStringLiteral("Team Rocket"), {b.userId, c.userId}));
    QVERIFY(group.ok());
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(roleOf(model, *group, Role::LastMessagePreviewRole)
                                 .toString()
                                 .contains(QStringLiteral("Alice")),
                             kWaitMs);
    QCOMPARE(roleOf(model, *group, Role::AvatarInitialsRole).toString(), QStringLiteral("TR"));
    QCOMPARE(roleOf(model, *group, Role::MemberCountRole).toInt(), 3);
    send(a, *group, QStringLiteral("hey team"));
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, *group, Role::LastMessagePreviewRole).toString(),
                              QStringLiteral("Alice: hey team"), kWaitMs);
    QCOMPARE(model.rowOf(*group), 0);
    QCOMPARE(model.totalUnread(), 3); // system messages do not count

    // Reading and muting change the badge.
    model.markRead(withA);
    QCOMPARE(roleOf(model, withA, Role::UnreadCountRole).toInt(), 0);
    QCOMPARE(model.totalUnread(), 1);
    model.setMuted(*group, true);
    QVERIFY(roleOf(model, *group, Role::IsMutedRole).toBool());
    QCOMPARE(model.totalUnread(), 0);

    // A new model on the same cache shows the list at once (mute flag included).
    QTRY_COMPARE_WITH_TIMEOUT(take(b.store->conversations())->size(), 3, kWaitMs);
    ConversationListModel cached(b.client.get(), b.store.get());
    Tester cachedTester(&cached, Tester::FailureReportingMode::QtTest);
    QTRY_VERIFY(cached.isLoaded());
    QCOMPARE(cached.rowCount(), 3);
    QTRY_VERIFY(roleOf(cached, *group, Role::IsMutedRole).toBool());
    QCOMPARE(cached.rowOf(*group), 0);

    // A server list reload merges without a reset.
    reset.clear();
    // The model merged the list once the client has announced it (slots run in connection
    // order, and the model connected first).
    QSignalSpy updated(b.client->inbox(), &app::client::Inbox::conversationsUpdated);
    model.reload();
    QTRY_VERIFY_WITH_TIMEOUT(!updated.isEmpty(), kWaitMs);
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(reset.isEmpty());
    a.destroy();
    b.destroy();
    c.destroy();
}

void TestConversationModel::typingAndPresence()
{
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("alice"))));
    QVERIFY(b.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("bob"))));
    ConversationListModel model(b.client.get(), b.store.get());
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    model.setTypingTimeoutMs(600);
    const QString conversation = send(a, b.userId, QStringLiteral("hi"));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, kWaitMs);
    QVERIFY(!roleOf(model, conversation, Role::IsTypingRole).toBool());

    a.client->inbox()->sendTyping(conversation);
    QTRY_VERIFY_WITH_TIMEOUT(roleOf(model, conversation, Role::IsTypingRole).toBool(), kWaitMs);
    QCOMPARE(roleOf(model, conversation, Role::TypingUsersRole).toStringList(),
             QStringList{a.userId});
    QTRY_VERIFY_WITH_TIMEOUT(!roleOf(model, conversation, Role::IsTypingRole).toBool(), 3000);

    // Presence: Alice's app closes (offline), then comes back (online).
    QTRY_VERIFY_WITH_TIMEOUT(roleOf(model, conversation, Role::OtherUserOnlineRole).toBool(),
                             kWaitMs);
    a.client.reset();
    QTRY_VERIFY_WITH_TIMEOUT(!roleOf(model, conversation, Role::OtherUserOnlineRole).toBool(),
                             kWaitMs);
    a.client = std::make_unique<app::client::ChatClient>(a.store.get());
    QVERIFY(QCoro::waitFor(a.client->connection()->resume()).ok());
    QTRY_VERIFY_WITH_TIMEOUT(roleOf(model, conversation, Role::OtherUserOnlineRole).toBool(),
                             kWaitMs);
    a.client.reset();
    QTRY_VERIFY_WITH_TIMEOUT(!roleOf(model, conversation, Role::OtherUserOnlineRole).toBool(),
                             kWaitMs);
    // Offline events carry the last-seen time.
    QTRY_VERIFY_WITH_TIMEOUT(roleOf(model, conversation, Role::LastSeenRole).toLongLong() > 0,
                             kWaitMs);
    QVERIFY(roleOf(model, conversation, Role::LastSeenRole).toLongLong() <=
            tern::nowMs()); // the server's clock (a test before this one may have moved it)
    a.destroy();
    b.destroy();
}

void TestConversationModel::filterByName()
{
    AppTestAccount a, b, c;
    QVERIFY(a.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("alice"))));
    QVERIFY(b.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("bob"))));
    QVERIFY(c.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("carol"))));
    ConversationListModel model(b.client.get(), b.store.get());
    ConversationFilterModel filter;
    filter.setSourceModel(&model);
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    Tester filterTester(&filter, Tester::FailureReportingMode::QtTest);
    send(a, b.userId, QStringLiteral("from a"));
    send(c, b.userId, QStringLiteral("from c"));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, kWaitMs);
    QCOMPARE(filter.rowCount(), 2);
    filter.setFilter(QStringLiteral("aLiCe"));
    QCOMPARE(filter.rowCount(), 1);
    QCOMPARE(filter.index(0, 0).data(Role::NameRole).toString(), a.name.toUpper());
    filter.setFilter(QStringLiteral("nobody"));
    QCOMPARE(filter.rowCount(), 0);
    // Live updates pass through the filter.
    filter.setFilter(QStringLiteral("CAROL"));
    send(c, b.userId, QStringLiteral("again"));
    QTRY_COMPARE_WITH_TIMEOUT(filter.index(0, 0).data(Role::LastMessagePreviewRole).toString(),
                              QStringLiteral("again"), kWaitMs);
    filter.setFilter(QString());
    QCOMPARE(filter.rowCount(), 2);
    a.destroy();
    b.destroy();
    c.destroy();
}

void TestConversationModel::markReadUpToSeqAndAccessibleText()
{
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("alice"))));
    QVERIFY(b.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("bob"))));
    ConversationListModel model(b.client.get(), b.store.get());
    Tester tester(&model, Tester::FailureReportingMode::QtTest);
    QTRY_VERIFY(model.isLoaded());
    const QString conversation = send(a, b.userId, QStringLiteral("one"));
    QVERIFY(!conversation.isEmpty());
    send(a, b.userId, QStringLiteral("two"));
    send(a, b.userId, QStringLiteral("three"));
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(model, conversation, Role::UnreadCountRole).toInt(), 3,
                              kWaitMs);
    // Presence comes and goes by itself: checked once, then left out of the comparisons.
    const auto withoutPresence = [](const QString &text) {
        QStringList parts = text.split(QStringLiteral(", "));
        if (parts.size() > 1 && (parts.at(1) == QLatin1String("online") ||
                                 parts.at(1).startsWith(QLatin1String("last seen "))))
            parts.removeAt(1);
        return parts.join(QStringLiteral(", "));
    };
    const auto lastWhen = [&] {
        return ConversationListModel::spokenWhen(
            roleOf(model, conversation, Role::LastActivityRole).toLongLong(),
            QDateTime::currentDateTime());
    };
    QVERIFY(!lastWhen().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(roleOf(model, conversation, Role::OtherUserOnlineRole).toBool(),
                             kWaitMs);
    QVERIFY2(roleOf(model, conversation, Qt::AccessibleTextRole)
                 .toString()
                 .startsWith(a.name.toUpper() + QStringLiteral(", online, 3 unread messages, ")),
             qPrintable(roleOf(model, conversation, Qt::AccessibleTextRole).toString()));
    QCOMPARE(withoutPresence(roleOf(model, conversation, Qt::AccessibleTextRole).toString()),
             a.name.toUpper() + QStringLiteral(", 3 unread messages, last message, ") + lastWhen() +
                 QStringLiteral(": three"));
    const qint64 last = summaryLastSeq(model, conversation);
    QVERIFY(last >= 3);

    // Seen up to the second: one left.
    QSignalSpy receipts(a.client->inbox(), &app::client::Inbox::receiptReceived);
    model.markRead(conversation, last - 1, 1);
    QCOMPARE(roleOf(model, conversation, Role::UnreadCountRole).toInt(), 1);
    QCOMPARE(model.totalUnread(), 1);
    QCOMPARE(withoutPresence(roleOf(model, conversation, Qt::AccessibleTextRole).toString()),
             a.name.toUpper() + QStringLiteral(", 1 unread message, last message, ") + lastWhen() +
                 QStringLiteral(": three"));
    QCOMPARE(model.summary(model.rowOf(conversation)).readSeq, last - 1);
    // The server got the watermark: Alice's client hears of the read.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QList<QVariant> &args : receipts) {
                const auto r = args.at(0).value<protocol::ReceiptEvent>();
                if (r.status == protocol::ReceiptStatus::Read && r.seq == last - 1)
                    return true;
            }
            return false;
        }(),
        kWaitMs);

    // Never backwards: a lower seq changes nothing, the badge included.
    model.markRead(conversation, last - 2, 5);
    QCOMPARE(roleOf(model, conversation, Role::UnreadCountRole).toInt(), 1);
    QCOMPARE(model.summary(model.rowOf(conversation)).readSeq, last - 1);

    model.markRead(conversation, last, 0);
    QCOMPARE(roleOf(model, conversation, Role::UnreadCountRole).toInt(), 0);
    QCOMPARE(model.totalUnread(), 0);
    QCOMPARE(withoutPresence(roleOf(model, conversation, Qt::AccessibleTextRole).toString()),
             a.name.toUpper() + QStringLiteral(", last message, ") + lastWhen() +
                 QStringLiteral(": three"));
    QTRY_COMPARE_WITH_TIMEOUT(take(b.store->conversations())->first().readSeq, last, kWaitMs);
    a.destroy();
    b.destroy();
}

// Regression: the models read the cache with QFuture::then(this, …). In Qt 6.4 a continuation
// whose context died before the future finished asserts (Debug) — which is what happens when the
// app closes while the cache is still answering. The answers must now simply be dropped.
void TestConversationModel::destroyedBeforeTheCacheAnswers()
{
    AppTestAccount account;
    account.path = m_dir->filePath(QStringLiteral("gone.sqlite"));
    QVERIFY(account.build(QUrl()));
    for (int i = 0; i < 20; ++i) {
        auto model =
            std::make_unique<ConversationListModel>(account.client.get(), account.store.get());
        auto directory =
            std::make_unique<app::models::UserDirectory>(account.client.get(), account.store.get());
        // Gone before the store's thread has even run the reads.
    }
    // The store runs its jobs in order: once a later read is back, theirs are done too, and
    // their answers (for models that are gone) are posted here.
    QVERIFY(take(account.store->conversations()).ok());
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    account.destroy();
}

//! The list's preview is the last message as it is now: an edit shows its new text, a deletion
//! leaves no word of what was said (live, for the other user and for the one who did it), and
//! a reaction is never a preview of its own.
void TestConversationModel::previewFollowsEditsAndDeletions()
{
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("alice"))));
    QVERIFY(b.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("bob"))));
    ConversationListModel bobs(b.client.get(), b.store.get());
    ConversationListModel alices(a.client.get(), a.store.get());
    QTRY_VERIFY(bobs.isLoaded() && alices.isLoaded());
    QSignalSpy sent(a.client->outbox(), &app::client::Outbox::messageSent);
    a.client->outbox()->sendText(b.userId, QStringLiteral("secret zebra plans"));
    QTRY_VERIFY_WITH_TIMEOUT(!sent.isEmpty(), kWaitMs);
    const QString conv = sent.first().at(1).toString();
    const qint64 seq = sent.first().at(2).toLongLong();
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(bobs, conv, Role::LastMessagePreviewRole).toString(),
                              QStringLiteral("secret zebra plans"), kWaitMs);

    b.client->outbox()->sendReaction(a.userId, seq, QStringLiteral("👍"), true);
    a.client->outbox()->sendEdit(b.userId, seq, QStringLiteral("public zebra plans"));
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(bobs, conv, Role::LastMessagePreviewRole).toString(),
                              QStringLiteral("public zebra plans"), kWaitMs);
    QCOMPARE(roleOf(alices, conv, Role::LastMessagePreviewRole).toString(),
             QStringLiteral("You: public zebra plans"));

    a.client->outbox()->sendDelete(b.userId, seq);
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(bobs, conv, Role::LastMessagePreviewRole).toString(),
                              QStringLiteral("This message was deleted"), kWaitMs);
    QVERIFY(!roleOf(alices, conv, Role::LastMessagePreviewRole)
                 .toString()
                 .contains(QStringLiteral("zebra")));
    QVERIFY(
        !roleOf(bobs, conv, Qt::AccessibleTextRole).toString().contains(QStringLiteral("zebra")));
}

//! "Delete for me" of the newest message: the list shows the one before it, live and from the
//! cache after a restart; the hidden text is nowhere in the list (review of session 15).
void TestConversationModel::previewSkipsWhatWasDeletedForMe()
{
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("alice"))));
    QVERIFY(b.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("bob"))));
    ConversationListModel bobs(b.client.get(), b.store.get());
    QTRY_VERIFY(bobs.isLoaded());
    const QString conv = send(a, b.userId, QStringLiteral("harmless hello"));
    QVERIFY(!conv.isEmpty());
    QSignalSpy sent(a.client->outbox(), &app::client::Outbox::messageSent);
    a.client->outbox()->sendText(b.userId, QStringLiteral("regrettable remark"));
    QTRY_VERIFY_WITH_TIMEOUT(!sent.isEmpty(), kWaitMs);
    const qint64 seq = sent.first().at(2).toLongLong();
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(bobs, conv, Role::LastMessagePreviewRole).toString(),
                              QStringLiteral("regrettable remark"), kWaitMs);

    const Status hidden = QCoro::waitFor(b.client->inbox()->hideMessages(conv, {seq}));
    QVERIFY2(hidden.ok(), qPrintable(hidden.ok() ? QString() : hidden.error().message));
    QTRY_COMPARE_WITH_TIMEOUT(roleOf(bobs, conv, Role::LastMessagePreviewRole).toString(),
                              QStringLiteral("harmless hello"), kWaitMs);
    QVERIFY(!roleOf(bobs, conv, Qt::AccessibleTextRole).toString().contains(u"regrettable"));
    // The cache's list says the same (what the window shows at the next start).
    ConversationListModel again(b.client.get(), b.store.get());
    QTRY_VERIFY(again.isLoaded());
    QCOMPARE(roleOf(again, conv, Role::LastMessagePreviewRole).toString(),
             QStringLiteral("harmless hello"));
}

QTEST_GUILESS_MAIN(TestConversationModel)
#include "tst_conversationmodel.moc"
