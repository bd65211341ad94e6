// UI automation of issue 19's app-only parts with two app instances against a child ternd:
// the composer's emoji picker (keyboard only, recently used first after a restart), selecting
// part of a bubble's text to copy, and who has read a group message ("Read by N of M", live).

#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/client/Inbox.h"
#include "app/client/Outbox.h"
#include "app/models/MessageListModel.h"
#include "app/session/AppSettings.h"
#include "app/ui/AppController.h"
#include "app/ui/BubbleTextSelector.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/EmojiCatalog.h"
#include "app/ui/EmojiPicker.h"
#include "app/ui/MainWindow.h"
#include "app/ui/MessageInfoDialog.h"
#include "app/ui/MessageView.h"
#include "shared/crypto/Crypto.h"
#include "tests/app/AppInstance.h"
#include "tests/app/AppPair.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUtil.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace tern;
using namespace tern::app;
using tern::test::spinUntil;

namespace {

// The texts of the messages a client receives.
struct ReceivedTexts
{
    explicit ReceivedTexts(client::ChatClient *client)
    {
        m_connection = QObject::connect(
            client->inbox(), &client::Inbox::messageReceived,
            [this](const protocol::MessageEvent &message) { texts << message.content; });
    }
    ~ReceivedTexts() { QObject::disconnect(m_connection); }
    QStringList texts;
    QMetaObject::Connection m_connection;
};

//! Opens the context menu at `at` in `view` and triggers its action `name`; false when the menu
//! had no such action.
bool triggerMenuAction(ui::MessageView *view, const QPoint &at, const QString &name)
{
    bool found = false;
    QTimer::singleShot(0, view, [&found, name] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu)
            return;
        // As QMenu does: the menu goes away, then the action runs.
        QAction *action = menu->findChild<QAction *>(name);
        menu->close();
        if (action) {
            found = true;
            action->trigger();
        }
    });
    QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
    QApplication::sendEvent(view->viewport(), &event);
    return found;
}

QModelIndex lastRow(ui::MessageView *view)
{
    const int rows = view->model()->rowCount();
    return rows > 0 ? view->model()->index(rows - 1, 0) : QModelIndex();
}

} // namespace

class TestAppExtras : public QObject, private test::AppPair
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void emojiPickedWithKeyboardIsSentAndRemembered();
    void partOfABubbleIsSelectedAndCopied();
    void readByInAGroupUpdatesLive();

private:
    QString openChatFromAToB(const QString &text);
};

void TestAppExtras::initTestCase()
{
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    ui::AppController::installTranslations(QStringLiteral("en"));
}

void TestAppExtras::init()
{
    startServer();
}

void TestAppExtras::cleanup()
{
    closeAll();
}

QString TestAppExtras::openChatFromAToB(const QString &text)
{
    m_a.activate();
    m_a.window()->openDirectChat(m_bobId, QStringLiteral("Bob"));
    m_a.send(text);
    if (!spinUntil([&] { return !m_a.chat()->currentConversation().isEmpty(); }, 10'000))
        return QString();
    return m_a.chat()->currentConversation();
}

void TestAppExtras::emojiPickedWithKeyboardIsSentAndRemembered()
{
    signInPair();
    const QString chat = openChatFromAToB(QStringLiteral("hi"));
    QVERIFY(!chat.isEmpty());
    const ReceivedTexts received(m_b.client());

    ui::Composer *composer = m_a.chat()->composer();
    ui::EmojiPicker *picker = composer->emojiPicker();
    QPlainTextEdit *edit = composer->editor();
    QCOMPARE(composer->emojiButton()->objectName(), QStringLiteral("emojiButton"));
    QVERIFY(!composer->emojiButton()->accessibleName().isEmpty());
    composer->focusEditor();
    QTest::keyClicks(edit, QStringLiteral("Nice "));

    // Ctrl+E opens the picker on the smileys (nothing used yet), the search field focused.
    QTest::keyClick(edit, Qt::Key_E, Qt::ControlModifier);
    QVERIFY(picker->isVisible());
    QCOMPARE(picker->currentTab(), int(ui::EmojiCatalog::Category::Smileys));
    QVERIFY(picker->searchField()->hasFocus());
    QCOMPARE(picker->shownEmoji().mid(0, 2),
             (QStringList{QStringLiteral("😀"), QStringLiteral("😁")}));
    // Down into the grid, Right to the second, Enter inserts it at the cursor and closes.
    QTest::keyClick(picker->searchField(), Qt::Key_Down);
    QVERIFY(picker->grid()->hasFocus());
    QTest::keyClick(picker->grid(), Qt::Key_Right);
    QCOMPARE(picker->grid()->currentItem()->data(Qt::AccessibleTextRole).toString(),
             QStringLiteral("grinning face with smiling eyes"));
    QTest::keyClick(picker->grid(), Qt::Key_Return);
    QVERIFY(!picker->isVisible());
    QCOMPARE(composer->draft(), QStringLiteral("Nice 😁"));
    QVERIFY(spinUntil([&] { return edit->hasFocus(); }, 5'000)); // back to writing

    // Search by name: the first match, Enter.
    QTest::keyClick(edit, Qt::Key_E, Qt::ControlModifier);
    QVERIFY(picker->isVisible());
    QCOMPARE(picker->currentTab(), int(ui::EmojiPicker::kRecentTab)); // one used now
    QTest::keyClicks(picker->searchField(), QStringLiteral("thumbs up"));
    QCOMPARE(picker->shownEmoji().value(0), QStringLiteral("👍"));
    QTest::keyClick(picker->searchField(), Qt::Key_Return);
    QCOMPARE(composer->draft(), QStringLiteral("Nice 😁👍"));
    // Esc closes without inserting and gives the box its focus back.
    QTest::keyClick(edit, Qt::Key_E, Qt::ControlModifier);
    QVERIFY(picker->isVisible());
    QTest::keyClick(picker->searchField(), Qt::Key_Escape);
    QVERIFY(!picker->isVisible());
    QCOMPARE(composer->draft(), QStringLiteral("Nice 😁👍"));
    QVERIFY(spinUntil([&] { return edit->hasFocus(); }, 5'000));

    // Enter sends; Bob receives the emoji.
    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY(spinUntil([&] { return received.texts.contains(QStringLiteral("Nice 😁👍")); }, 10'000));

    // After a restart of the app the picker opens on the recently used, newest first, and
    // they lead the search results too.
    m_a.close();
    QVERIFY2(m_a.launch(m_dir->filePath(QStringLiteral("profile-a"))), m_a.error());
    picker = m_a.chat()->composer()->emojiPicker();
    m_a.activate();
    m_a.chat()->composer()->openEmojiPicker();
    QVERIFY(picker->isVisible());
    test::saveShot(picker, QStringLiteral("emoji-picker.png"));
    QCOMPARE(picker->currentTab(), int(ui::EmojiPicker::kRecentTab));
    QCOMPARE(picker->shownEmoji(), (QStringList{QStringLiteral("👍"), QStringLiteral("😁")}));
    QTest::keyClicks(picker->searchField(), QStringLiteral("grinning"));
    QCOMPARE(picker->shownEmoji().value(0), QStringLiteral("😁"));
    QVERIFY(picker->shownEmoji().contains(QStringLiteral("😀")));
    QTest::keyClick(picker->searchField(), Qt::Key_Escape);
    QVERIFY(!picker->isVisible());
}

void TestAppExtras::partOfABubbleIsSelectedAndCopied()
{
    signInPair();
    const QString chat = openChatFromAToB(QStringLiteral("hi"));
    QVERIFY(!chat.isEmpty());
    const QString text = QStringLiteral("The quick brown fox <b>jumps</b>");
    QVERIFY2(m_b.client()->outbox()->sendText(m_a.client()->connection()->userId(), text).size() >
                 0,
             "not queued");
    m_a.activate();
    ui::MessageView *view = m_a.chat()->messageView();
    QVERIFY(spinUntil(
        [&] {
            const QModelIndex last = lastRow(view);
            return last.isValid() &&
                   last.data(models::MessageListModel::TextRole).toString() == text;
        },
        10'000));
    const QModelIndex row = lastRow(view);
    const QRect textRect = view->textRectAt(row);
    QVERIFY(!textRect.isEmpty());
    ui::BubbleTextSelector *selector = view->textSelector();
    QVERIFY(!selector->isVisible());

    // Dragging across "quick" selects exactly it, in place.
    const QFontMetrics fm(view->font());
    const int y = textRect.top() + fm.height() / 2;
    const QPoint from(textRect.left() + fm.horizontalAdvance(QStringLiteral("The ")) + 1, y);
    const QPoint to(textRect.left() + fm.horizontalAdvance(QStringLiteral("The quick")) - 1, y);
    QTest::mousePress(view->viewport(), Qt::LeftButton, {}, from);
    QTest::mouseMove(view->viewport(), QPoint((from.x() + to.x()) / 2, y));
    QTest::mouseMove(view->viewport(), to);
    QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, to);
    QVERIFY(selector->isVisible());
    QCOMPARE(selector->geometry(), textRect);
    QCOMPARE(selector->selectedText(), QStringLiteral("quick"));
    test::saveShot(m_a.window(), QStringLiteral("bubble-text-selected.png"));
    // The sender's text stays plain text (no markup interpreted).
    QCOMPARE(selector->toPlainText(), text);
    QApplication::clipboard()->clear();
    QTest::keyClick(selector, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("quick"));

    // Esc closes it; a double click on a word selects that word.
    QTest::keyClick(selector, Qt::Key_Escape);
    QVERIFY(!selector->isVisible());
    const QPoint brown(textRect.left() + fm.horizontalAdvance(QStringLiteral("The quick b")), y);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, brown);
    QVERIFY(selector->isVisible());
    QCOMPARE(selector->selectedText(), QStringLiteral("brown"));
    QTest::keyClick(selector, Qt::Key_Escape);

    // "Select text" in the message's menu selects all of it, for the keyboard: Shift+Left
    // shrinks the selection, Ctrl+C copies it.
    QVERIFY(triggerMenuAction(view, textRect.center(), QStringLiteral("selectTextAction")));
    QVERIFY(selector->isVisible());
    QCOMPARE(selector->selectedText(), text);
    for (int i = 0; i < 4; ++i)
        QTest::keyClick(selector, Qt::Key_Left, Qt::ShiftModifier);
    QTest::keyClick(selector, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(), text.chopped(4));
    // Clicking elsewhere in the chat ends the selection.
    m_a.activate();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(2, 2));
    QVERIFY(spinUntil([&] { return !selector->isVisible(); }, 5'000));
}

void TestAppExtras::readByInAGroupUpdatesLive()
{
    signInPair();
    test::TestClient carol;
    QVERIFY(carol.open(m_server->url()));
    const QString carolId = carol
                                .registerUser(QStringLiteral("carol%1").arg(m_round),
                                              test::kAppPassword, QStringLiteral("Carol"))
                                .value(QStringLiteral("user_id"))
                                .toString();
    QVERIFY(!carolId.isEmpty());
    QVERIFY(carol.login(QStringLiteral("carol%1").arg(m_round), test::kAppPassword).ok());
    const Result<QString> created = QCoro::waitFor(
        m_a.client()->groups()->createGroup(QStringLiteral("Team"), {m_bobId, carolId}));
    QVERIFY(created);
    const QString group = *created;
    QVERIFY(spinUntil([&] { return m_a.list()->rowOf(group) >= 0; }, 10'000));
    m_a.activate();
    QVERIFY(m_a.window()->openConversation(group));
    QVERIFY2(m_a.send(QStringLiteral("Group hello")), m_a.error());
    QVERIFY2(m_a.waitForTick(QStringLiteral("Group hello"), test::Tick::Sent), m_a.error());
    ui::MessageView *view = m_a.chat()->messageView();
    const QModelIndex own = lastRow(view);
    QCOMPARE(own.data(models::MessageListModel::TextRole).toString(),
             QStringLiteral("Group hello"));
    const qint64 seq = own.data(models::MessageListModel::SeqRole).toLongLong();
    QVERIFY(seq > 0);

    // Bob reads it in his active window; Alice's app hears of it.
    QSignalSpy receipts(m_a.client()->inbox(), &client::Inbox::receiptReceived);
    QVERIFY(spinUntil([&] { return m_b.list()->rowOf(group) >= 0; }, 10'000));
    m_b.activate();
    QVERIFY(m_b.window()->openConversation(group));
    QVERIFY(spinUntil(
        [&] {
            for (const QList<QVariant> &args : std::as_const(receipts)) {
                const auto r = args.at(0).value<protocol::ReceiptEvent>();
                if (r.user == m_bobId && r.status == protocol::ReceiptStatus::Read && r.seq >= seq)
                    return true;
            }
            return false;
        },
        10'000));

    // Info from the menu of Alice's own message: read by Bob, not yet by Carol.
    m_a.activate();
    QVERIFY(triggerMenuAction(view, view->visualRect(own).center(),
                              QStringLiteral("messageInfoAction")));
    ui::MessageInfoDialog *info = m_a.window()->findChild<ui::MessageInfoDialog *>();
    QVERIFY(info);
    QVERIFY(spinUntil([&] { return info->isLoaded(); }, 10'000));
    QCOMPARE(info->summary(), QStringLiteral("Read by 1 of 2"));
    QCOMPARE(info->memberList()->count(), 2);
    QVERIFY(spinUntil(
        [&] {
            // With a time: the server's answer says when Bob read it (before the dialog opened).
            return info->memberList()->item(0)->text().startsWith(QStringLiteral("Bob — Read ")) &&
                   info->memberList()->item(1)->text() ==
                       QStringLiteral("Carol — Not delivered yet");
        },
        10'000));

    // Carol reads it: the open dialog follows at once.
    const QJsonObject read = carol.request({{QStringLiteral("type"), QStringLiteral("read")},
                                            {QStringLiteral("conversation"), group},
                                            {QStringLiteral("seq"), seq}});
    QCOMPARE(read.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
    QVERIFY(spinUntil([&] { return info->summary() == QStringLiteral("Read by 2 of 2"); }, 10'000));
    QVERIFY(info->memberList()->item(1)->text().startsWith(QStringLiteral("Carol — Read ")));
    test::saveShot(info, QStringLiteral("message-info.png"));

    info->close();

    // Bob's view of Alice's message has no "Info" (only one's own messages have it).
    ui::MessageView *bobView = m_b.chat()->messageView();
    QVERIFY(spinUntil(
        [&] {
            return lastRow(bobView).data(models::MessageListModel::TextRole).toString() ==
                   QStringLiteral("Group hello");
        },
        10'000));
    m_b.activate();
    QVERIFY(!triggerMenuAction(bobView, bobView->visualRect(lastRow(bobView)).center(),
                               QStringLiteral("messageInfoAction")));
}

QTEST_MAIN(TestAppExtras)
#include "tst_appextras.moc"
