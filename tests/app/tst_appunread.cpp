// Unread messages in the real app (issue 16, item 3): a chat with unread messages opens at the
// first of them under the "New messages" divider, only what was shown is reported read (checked
// in what the server recorded), scrolling down reads the rest, the jump button counts what is
// left, and a chat already read has no divider. Alice is a whole app (AppController with its
// window and cache) against a real ternd child under QT_QPA_PLATFORM=offscreen; Bob and Carol
// are bare ChatClients.

#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/client/Outbox.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageListModel.h"
#include "app/session/AccountSession.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatPane.h"
#include "app/ui/JumpToLatestButton.h"
#include "app/ui/MainWindow.h"
#include "app/ui/MessageDelegate.h"
#include "app/ui/MessageView.h"
#include "shared/crypto/Crypto.h"
#include "tests/app/AppTestAccount.h"
#include "tests/support/AppDriver.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestUtil.h"

#include <QApplication>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace tern;
using namespace tern::app;
using tern::test::AppTestAccount;
using tern::test::spinUntil;
using Role = models::MessageListModel::Role;

namespace {

constexpr int kWaitMs = 15'000;

} // namespace

class TestAppUnread : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void opensAtFirstUnreadAndReadsOnlyWhatWasShown();
    void firstUnreadOlderThanTheNewestPage();
    void arrivalsInAnInactiveWindowStayUnread();

private:
    ui::MainWindow *window() const { return m_app.window(); }
    ui::MessageView *view() const { return window()->chatPane()->messageView(); }
    models::ConversationListModel *list() const { return m_app.list(); }
    void activate() const;
    //! Sends `count` texts from `from` to `to`; the conversation they went to ("" on failure).
    QString send(AppTestAccount &from, const QString &to, int count, const QString &prefix);
    //! Waits until Alice's list has `conversation` with `unread` unread messages.
    bool listed(const QString &conversation, int unread) const;
    //! Alice's read watermark in `conversation` as the server has it (asked by Bob).
    qint64 serverReadSeq(const QString &conversation, qint64 lastSeq);
    //! The newest message fully inside Alice's message view.
    qint64 lastShownSeq() const;
    //! The divider and the row of `seq` are at the top of the view, the view is not at the
    //! bottom, and the server heard a read position exactly at the last message shown.
    void checkOpenedAtUnread(const QString &conversation, qint64 firstUnread, qint64 lastSeq);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<test::ChildServer> m_server;
    test::AppDriver m_app;
    AppTestAccount m_bob;
    AppTestAccount m_carol;
    QString m_alice;
};

void TestAppUnread::initTestCase()
{
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    ui::AppController::installTranslations(QStringLiteral("en"));
}

void TestAppUnread::init()
{
    // A fresh server per test: the same names every time.
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<test::ChildServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    QVERIFY2(m_app.launch(m_dir->filePath(QStringLiteral("alice"))), m_app.error());
    // Tall enough for a few messages, short enough that 35 do not fit.
    window()->resize(900, 560);
    QVERIFY2(m_app.signUp(m_server->url(), QStringLiteral("alice"), QStringLiteral("Alice")),
             m_app.error());
    m_alice = m_app.client()->connection()->userId();
    QVERIFY(m_bob.login(m_dir->path(), m_server->url(), QStringLiteral("bob")));
    QVERIFY(m_carol.login(m_dir->path(), m_server->url(), QStringLiteral("carol")));
    activate();
}

void TestAppUnread::cleanup()
{
    m_app.close();
    m_bob.destroy();
    m_carol.destroy();
    m_server.reset();
    m_dir.reset();
}

void TestAppUnread::activate() const
{
    window()->show();
    window()->raise();
    window()->activateWindow();
    QApplication::setActiveWindow(window());
}

QString TestAppUnread::send(AppTestAccount &from, const QString &to, int count,
                            const QString &prefix)
{
    QSignalSpy sent(from.client->outbox(), &client::Outbox::messageSent);
    for (int i = 1; i <= count; ++i)
        from.client->outbox()->sendText(to, QStringLiteral("%1 %2").arg(prefix).arg(i));
    if (!spinUntil([&] { return sent.size() >= count; }, kWaitMs))
        return QString();
    return sent.last().at(1).toString();
}

bool TestAppUnread::listed(const QString &conversation, int unread) const
{
    return spinUntil(
        [&] {
            const int row = list()->rowOf(conversation);
            return row >= 0 && list()->index(row)
                                       .data(models::ConversationListModel::UnreadCountRole)
                                       .toInt() == unread;
        },
        kWaitMs);
}

qint64 TestAppUnread::serverReadSeq(const QString &conversation, qint64 lastSeq)
{
    const auto members = QCoro::waitFor(m_bob.client->groups()->receipts(conversation, lastSeq));
    if (!members)
        return -1;
    for (const protocol::MemberReceipt &member : *members) {
        if (member.userId == m_alice)
            return member.readSeq;
    }
    return -1;
}

qint64 TestAppUnread::lastShownSeq() const
{
    qint64 last = -1;
    const int height = view()->viewport()->height();
    for (int row = 0; row < view()->model()->rowCount(); ++row) {
        const QModelIndex index = view()->model()->index(row, 0);
        const QRect rect = view()->visualRect(index);
        if (rect.top() >= 0 && rect.bottom() < height)
            last = std::max(last, index.data(Role::SeqRole).toLongLong());
    }
    return last;
}

void TestAppUnread::checkOpenedAtUnread(const QString &conversation, qint64 firstUnread,
                                        qint64 lastSeq)
{
    QTRY_COMPARE_WITH_TIMEOUT(view()->messageDelegate()->unreadDividerSeq(), firstUnread, kWaitMs);
    const int viewHeight = view()->viewport()->height();
    const auto rowRect = [&] {
        const int row = view()->messageModel()->rowOfSeq(firstUnread);
        return row < 0 ? QRect() : view()->visualRect(view()->model()->index(row, 0));
    };
    // The divider and the message under it are near the top; the rest stays below.
    QTRY_VERIFY_WITH_TIMEOUT(view()->unreadDividerRect().top() >= 0 &&
                                 view()->unreadDividerRect().top() < viewHeight / 4,
                             kWaitMs);
    QVERIFY(rowRect().top() < viewHeight / 4);
    QVERIFY(view()->unreadDividerRect().bottom() < rowRect().bottom());
    QVERIFY(!view()->isAtBottom());

    // Only what was shown counts as read: the server's watermark is the last message shown
    // (watermarks never go back, so one report of everything could not be undone).
    QVERIFY(
        spinUntil([&] { return serverReadSeq(conversation, lastSeq) == lastShownSeq(); }, kWaitMs));
    const qint64 shown = lastShownSeq();
    QVERIFY2(shown >= firstUnread && shown < lastSeq, qPrintable(QString::number(shown)));
    QVERIFY(listed(conversation, int(lastSeq - shown)));
    // The jump button counts the unread messages below.
    QTRY_VERIFY(view()->jumpButton()->isVisible());
    QTRY_COMPARE(view()->jumpButton()->count(), int(lastSeq - shown));

    // Scrolling to the bottom reads the rest; the divider stays while the chat is open.
    QScrollBar *bar = view()->verticalScrollBar();
    bar->setValue(bar->maximum());
    QVERIFY(spinUntil([&] { return serverReadSeq(conversation, lastSeq) == lastSeq; }, kWaitMs));
    QVERIFY(listed(conversation, 0));
    QTRY_VERIFY(!view()->jumpButton()->isVisible());
    QCOMPARE(view()->messageDelegate()->unreadDividerSeq(), firstUnread);
}

void TestAppUnread::opensAtFirstUnreadAndReadsOnlyWhatWasShown()
{
    // Bob writes first; Alice reads it in her active window.
    const QString withBob = send(m_bob, m_alice, 1, QStringLiteral("Are you there?"));
    QVERIFY(!withBob.isEmpty());
    QVERIFY(listed(withBob, 1));
    QVERIFY(window()->openConversation(withBob));
    QVERIFY(spinUntil([&] { return serverReadSeq(withBob, 1) == 1; }, kWaitMs));

    // Carol's chat is open while Bob writes 35 more.
    const QString withCarol = send(m_carol, m_alice, 1, QStringLiteral("Hi Alice"));
    QVERIFY(listed(withCarol, 1));
    QVERIFY(window()->openConversation(withCarol));
    QVERIFY(listed(withCarol, 0));
    QCOMPARE(send(m_bob, withBob, 35, QStringLiteral("Unread")), withBob);
    QVERIFY(listed(withBob, 35));

    QVERIFY(window()->openConversation(withBob));
    checkOpenedAtUnread(withBob, 2, 36);

    // Opened again once everything was read: no divider, at the bottom.
    QVERIFY(window()->openConversation(withCarol));
    QCOMPARE(view()->messageDelegate()->unreadDividerSeq(), -1);
    QVERIFY(window()->openConversation(withBob));
    QTRY_VERIFY(view()->isAtBottom());
    QCOMPARE(view()->messageDelegate()->unreadDividerSeq(), -1);
    QVERIFY(view()->unreadDividerRect().isNull());
}

void TestAppUnread::firstUnreadOlderThanTheNewestPage()
{
    // 80 unread in a chat Alice never opened: more than the first page (50) loads.
    const QString withCarol = send(m_carol, m_alice, 1, QStringLiteral("Hi Alice"));
    QVERIFY(listed(withCarol, 1));
    QVERIFY(window()->openConversation(withCarol));
    const QString withBob = send(m_bob, m_alice, 80, QStringLiteral("Unread"));
    QVERIFY(!withBob.isEmpty());
    QVERIFY(listed(withBob, 80));
    QVERIFY(window()->openConversation(withBob));
    checkOpenedAtUnread(withBob, 1, 80);
}

void TestAppUnread::arrivalsInAnInactiveWindowStayUnread()
{
    // Alice reads her chat with Bob to the bottom, then another window takes the focus.
    const QString withBob = send(m_bob, m_alice, 3, QStringLiteral("Earlier"));
    QVERIFY(listed(withBob, 3));
    QVERIFY(window()->openConversation(withBob));
    QVERIFY(spinUntil([&] { return serverReadSeq(withBob, 3) == 3; }, kWaitMs));
    QWidget other;
    other.resize(200, 200);
    other.show();
    other.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&other));
    QVERIFY(!window()->isActiveWindow());

    QCOMPARE(send(m_bob, withBob, 35, QStringLiteral("While away")), withBob);
    QVERIFY(listed(withBob, 35));
    QCOMPARE(serverReadSeq(withBob, 38), 3);
    activate();
    QVERIFY(QTest::qWaitForWindowActive(window()));
    checkOpenedAtUnread(withBob, 4, 38);
}

QTEST_MAIN(TestAppUnread)
#include "tst_appunread.moc"
