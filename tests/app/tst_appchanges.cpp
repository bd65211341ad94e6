// UI automation of issue 19's message changes with two app instances against a child ternd:
// reply (quote, jump to an original not loaded), edit (live on the other app, "edited"),
// delete for everyone (tombstone, gone from search), delete for me (gone on one's own second
// device), reactions (chips toggle, counts, tooltip names, keyboard) and forward (a picture
// forwarded without a new upload).

#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/client/Inbox.h"
#include "app/client/Outbox.h"
#include "app/models/MessageListModel.h"
#include "app/session/AccountSession.h"
#include "app/ui/AppController.h"
#include "app/ui/BubbleExtras.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/ComposerBar.h"
#include "app/ui/ElidedLabel.h"
#include "app/ui/EmojiPicker.h"
#include "app/ui/ForwardDialog.h"
#include "app/ui/MainWindow.h"
#include "app/ui/MessageDelegate.h"
#include "app/ui/MessageView.h"
#include "shared/crypto/Crypto.h"
#include "tests/app/AppInstance.h"
#include "tests/app/AppPair.h"
#include "tests/app/WidgetNameAudit.h"
#include "tests/support/TestUtil.h"

#include <QAbstractButton>
#include <QApplication>
#include <QContextMenuEvent>
#include <QDialog>
#include <QDirIterator>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>
#include <QTimer>

using namespace tern;
using namespace tern::app;
using tern::test::spinUntil;
using Model = models::MessageListModel;

namespace {

// Checks the names of every menu, dialog and bar these tests open (docs/widget-names.md).
test::WidgetNameAudit *g_names = nullptr;
QStringList g_nameProblems;

//! Opens the message menu of `index` (by mouse at its bubble, or by the keyboard's menu key on
//! the current row) and triggers the action `name` (submenus included); false when the menu
//! had no such action.
bool triggerMenuAction(ui::MessageView *view, const QModelIndex &index, const QString &name,
                       bool keyboard = false)
{
    bool found = false;
    QTimer::singleShot(0, view, [&found, name] {
        auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget());
        if (!menu)
            return;
        QAction *action = menu->findChild<QAction *>(name);
        if (g_names)
            g_nameProblems << g_names->auditMenu(menu, QStringLiteral("message menu")).values();
        menu->close();
        if (action && action->isEnabled()) {
            found = true;
            action->trigger();
        }
    });
    QPoint at = view->visualRect(index).center();
    if (keyboard) {
        view->setFocus();
        view->setCurrentIndex(index);
        at = QPoint(0, 0); // the view must use the current row, not the position
    } else {
        at = view->bubbleRectAt(index).center();
    }
    QContextMenuEvent event(keyboard ? QContextMenuEvent::Keyboard : QContextMenuEvent::Mouse, at,
                            view->viewport()->mapToGlobal(at));
    QApplication::sendEvent(view->viewport(), &event);
    return found;
}

//! The newest row whose text is `text`, invalid when none.
QModelIndex rowWithText(ui::MessageView *view, const QString &text)
{
    const QAbstractItemModel *model = view->model();
    for (int row = model ? model->rowCount() - 1 : -1; row >= 0; --row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(Model::TextRole).toString() == text)
            return index;
    }
    return {};
}

//! The newest picture, invalid when none.
QModelIndex pictureRow(ui::MessageView *view)
{
    const QAbstractItemModel *model = view->model();
    for (int row = model ? model->rowCount() - 1 : -1; row >= 0; --row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(Model::KindRole).toString() == QStringLiteral("image"))
            return index;
    }
    return {};
}

QModelIndex lastRow(ui::MessageView *view)
{
    const int rows = view->model() ? view->model()->rowCount() : 0;
    return rows > 0 ? view->model()->index(rows - 1, 0) : QModelIndex();
}

//! The reactions of a row as "emoji count mine" strings, in order.
QStringList chipsOf(const QModelIndex &index)
{
    QStringList out;
    for (const ui::BubbleExtras::Chip &chip :
         ui::BubbleExtras::chips(index.data(Model::ReactionsRole)))
        out.append(QStringLiteral("%1 %2%3")
                       .arg(chip.emoji)
                       .arg(chip.count)
                       .arg(chip.mine ? QStringLiteral(" mine") : QString()));
    return out;
}

//! Waits until the row `text` shows the chips `expected`; false (with what it showed) if not.
bool waitForChips(ui::MessageView *view, const QString &text, const QStringList &expected)
{
    QStringList seen;
    if (spinUntil(
            [&] {
                seen = chipsOf(rowWithText(view, text));
                return seen == expected;
            },
            10'000))
        return true;
    qWarning() << "chips of" << text << "are" << seen << "not" << expected;
    return false;
}

int mediaFiles(const QString &dataDir)
{
    QDirIterator it(QDir(dataDir).filePath(QStringLiteral("media")), QDir::Files,
                    QDirIterator::Subdirectories);
    int count = 0;
    while (it.hasNext()) {
        it.next();
        ++count;
    }
    return count;
}

} // namespace

class TestAppChanges : public QObject, private test::AppPair
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void replyQuotesAndJumpsToAnUnloadedOriginal();
    void editIsLiveOnTheOtherAppAndMarked();
    void deleteForEveryoneLeavesATombstoneAndLeavesSearch();
    void deleteForMeHidesOnOwnSecondDevice();
    void reactionsToggleWithCountsAndNames();
    void forwardedPictureIsNotUploadedAgain();
    void hostileReactionsAndQuotesStayBounded();
    void bubbleExtrasLayOutAroundTheBody();

private:
    //! Alice opens the direct chat with Bob with `text`; Bob opens it too. The chat's id.
    QString openChatBothSides(const QString &text);
    bool waitForRow(test::AppInstance &app, const QString &text);
};

void TestAppChanges::initTestCase()
{
    static test::WidgetNameAudit names;
    QString error;
    QVERIFY2(names.readDocument(qEnvironmentVariable("TERN_WIDGET_NAMES_DOC"), &error),
             qPrintable(error));
    g_names = &names;
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    ui::AppController::installTranslations(QStringLiteral("en"));
}

void TestAppChanges::init()
{
    g_nameProblems.clear();
    startServer();
}

void TestAppChanges::cleanup()
{
    if (g_names)
        g_nameProblems << g_names->auditAll(QString::fromLatin1(QTest::currentTestFunction()));
    g_nameProblems.removeDuplicates();
    QVERIFY2(g_nameProblems.isEmpty(), qPrintable(g_nameProblems.join(QLatin1Char('\n'))));
    closeAll();
}

bool TestAppChanges::waitForRow(test::AppInstance &app, const QString &text)
{
    return spinUntil([&] { return rowWithText(app.chat()->messageView(), text).isValid(); },
                     15'000);
}

QString TestAppChanges::openChatBothSides(const QString &text)
{
    m_a.activate();
    m_a.window()->openDirectChat(m_bobId, QStringLiteral("Bob"));
    if (!m_a.send(text) ||
        !spinUntil([&] { return !m_a.chat()->currentConversation().isEmpty(); }, 10'000))
        return QString();
    const QString chat = m_a.chat()->currentConversation();
    if (!spinUntil([&] { return m_b.window()->openConversation(chat); }, 10'000) ||
        !waitForRow(m_b, text))
        return QString();
    // Both chats have their first pages in: a change made while a page is on its way could be
    // undone by it (reported to appcore), and these tests are about the UI.
    if (!spinUntil(
            [&] {
                return !m_a.chat()->messageView()->messageModel()->isFetching() &&
                       !m_b.chat()->messageView()->messageModel()->isFetching();
            },
            10'000))
        return QString();
    return chat;
}

void TestAppChanges::replyQuotesAndJumpsToAnUnloadedOriginal()
{
    signInPair();
    const QString chat = openChatBothSides(QStringLiteral("hi Bob"));
    QVERIFY(!chat.isEmpty());
    const QString alice = m_a.client()->connection()->userId();
    // Bob writes the original, then enough to push it out of a fresh chat's first page.
    QVERIFY(!m_b.client()->outbox()->sendText(alice, QStringLiteral("The original")).isEmpty());
    for (int i = 0; i < 80; ++i)
        m_b.client()->outbox()->sendText(alice, QStringLiteral("filler %1").arg(i));
    QVERIFY(waitForRow(m_a, QStringLiteral("filler 79")));
    ui::MessageView *view = m_a.chat()->messageView();
    const QModelIndex original = rowWithText(view, QStringLiteral("The original"));
    QVERIFY(original.isValid());
    const qint64 originalSeq = original.data(Model::SeqRole).toLongLong();
    QVERIFY(originalSeq > 0);

    // Alice: Reply from the menu; the bar names Bob and quotes the text; Esc cancels it.
    m_a.activate();
    view->showRow(original.row());
    ui::Composer *composer = m_a.chat()->composer();
    QVERIFY(triggerMenuAction(view, original, QStringLiteral("replyAction")));
    QCOMPARE(composer->replyTo(), originalSeq);
    QVERIFY(composer->bar()->isVisible());
    g_nameProblems << g_names->auditAll(QStringLiteral("reply bar"));
    test::saveShot(m_a.window(), QStringLiteral("reply-bar.png"));
    QCOMPARE(composer->bar()->title(), QStringLiteral("Reply to Bob"));
    QCOMPARE(composer->bar()->excerpt(), QStringLiteral("The original"));
    m_a.activate(); // the offscreen platform does not give the window back after a popup
    QVERIFY(spinUntil([&] { return composer->editor()->hasFocus(); }, 5'000));
    QTest::keyClick(composer->editor(), Qt::Key_Escape);
    QCOMPARE(composer->replyTo(), 0);
    QVERIFY(!composer->bar()->isVisible());
    // Again, by the keyboard's menu key on the selected message, and this time sent.
    QVERIFY(triggerMenuAction(view, rowWithText(view, QStringLiteral("The original")),
                              QStringLiteral("replyAction"), true));
    QCOMPARE(composer->replyTo(), originalSeq);
    composer->focusEditor();
    QTest::keyClicks(composer->editor(), QStringLiteral("My answer"));
    QTest::keyClick(composer->editor(), Qt::Key_Return);
    QVERIFY(!composer->bar()->isVisible());
    QCOMPARE(composer->replyTo(), 0);
    QVERIFY(waitForRow(m_a, QStringLiteral("My answer")));
    const QModelIndex mine = rowWithText(view, QStringLiteral("My answer"));
    QCOMPARE(mine.data(Model::ReplyToRole).toLongLong(), originalSeq);
    QVERIFY(!view->quoteRectAt(mine).isEmpty());
    QVERIFY(spinUntil(
        [&] {
            return rowWithText(view, QStringLiteral("My answer"))
                .data(Qt::AccessibleTextRole)
                .toString()
                .contains(QStringLiteral("Reply to Bob: The original"));
        },
        10'000));

    // The keyboard way: Enter on the reply shows the original.
    {
        QSignalSpy aliceShown(m_a.chat(), &ui::ChatPane::messageShown);
        view->setFocus();
        view->setCurrentIndex(rowWithText(view, QStringLiteral("My answer")));
        QTest::keyClick(view, Qt::Key_Return);
        QVERIFY(spinUntil([&] { return !aliceShown.isEmpty(); }, 10'000));
        QCOMPARE(aliceShown.first().at(1).toLongLong(), originalSeq);
        QCOMPARE(view->currentIndex().data(Model::TextRole).toString(),
                 QStringLiteral("The original"));
    }

    // Bob's app, restarted, opens the chat at its newest page: the original is not loaded,
    // the quote still shows its sender and text, and a click on it loads and shows it.
    QVERIFY(waitForRow(m_b, QStringLiteral("My answer")));
    // Bob reads it all, so his next start opens the chat at its newest page.
    m_b.activate();
    m_b.chat()->messageView()->scrollToLatest();
    QVERIFY(spinUntil(
        [&] {
            return m_b.list()
                       ->index(m_b.list()->rowOf(chat))
                       .data(models::ConversationListModel::UnreadCountRole)
                       .toInt() == 0;
        },
        10'000));
    m_b.close();
    QVERIFY2(m_b.launch(m_dir->filePath(QStringLiteral("profile-b"))), m_b.error());
    QVERIFY(spinUntil([&] { return m_b.online(); }, 15'000));
    m_b.activate();
    QVERIFY(spinUntil([&] { return m_b.window()->openConversation(chat); }, 10'000));
    QVERIFY(waitForRow(m_b, QStringLiteral("My answer")));
    ui::MessageView *bobView = m_b.chat()->messageView();
    Model *bobModel = bobView->messageModel();
    QVERIFY(bobModel);
    QVERIFY(spinUntil([&] { return !bobModel->isFetching(); }, 10'000));
    QCOMPARE(bobModel->rowOfSeq(originalSeq), -1);
    QModelIndex reply = rowWithText(bobView, QStringLiteral("My answer"));
    QCOMPARE(reply.data(Model::ReplyToRole).toLongLong(), originalSeq);
    QVERIFY(spinUntil(
        [&] {
            const QVariantMap preview = rowWithText(bobView, QStringLiteral("My answer"))
                                            .data(Model::ReplyPreviewRole)
                                            .toMap();
            return preview.value(QStringLiteral("text")).toString() ==
                       QStringLiteral("The original") &&
                   preview.value(QStringLiteral("senderName")).toString() == QStringLiteral("You");
        },
        10'000));
    test::saveShot(m_b.window(), QStringLiteral("reply-quote.png"));
    QSignalSpy shown(m_b.chat(), &ui::ChatPane::messageShown);
    reply = rowWithText(bobView, QStringLiteral("My answer"));
    bobView->scrollTo(reply);
    const QRect quote = bobView->quoteRectAt(reply);
    QVERIFY(!quote.isEmpty());
    QTest::mouseClick(bobView->viewport(), Qt::LeftButton, {}, quote.center());
    QVERIFY(spinUntil([&] { return !shown.isEmpty(); }, 15'000));
    QCOMPARE(shown.first().at(1).toLongLong(), originalSeq);
    QVERIFY(shown.first().at(2).toBool());
    const int row = bobModel->rowOfSeq(originalSeq);
    QVERIFY(row >= 0);
    QCOMPARE(bobView->currentIndex().row(), row);
    QCOMPARE(bobView->currentIndex().data(Model::TextRole).toString(),
             QStringLiteral("The original"));
}

void TestAppChanges::editIsLiveOnTheOtherAppAndMarked()
{
    signInPair();
    const QString chat = openChatBothSides(QStringLiteral("Helo Bob"));
    QVERIFY(!chat.isEmpty());
    QVERIFY2(m_a.waitForTick(QStringLiteral("Helo Bob"), test::Tick::Sent), m_a.error());
    ui::MessageView *view = m_a.chat()->messageView();
    QVERIFY(spinUntil(
        [&] {
            return rowWithText(view, QStringLiteral("Helo Bob")).data(Model::CanEditRole).toBool();
        },
        10'000));
    ui::Composer *composer = m_a.chat()->composer();
    QPlainTextEdit *edit = composer->editor();
    m_a.activate();
    composer->focusEditor();
    QTest::keyClicks(edit, QStringLiteral("half a draft"));

    // The draft is kept aside while editing; Esc brings it back.
    QVERIFY(triggerMenuAction(view, rowWithText(view, QStringLiteral("Helo Bob")),
                              QStringLiteral("editAction")));
    QVERIFY(composer->editingSeq() > 0);
    QCOMPARE(composer->bar()->title(), QStringLiteral("Editing message"));
    QCOMPARE(edit->toPlainText(), QStringLiteral("Helo Bob"));
    QCOMPARE(composer->draft(), QStringLiteral("half a draft"));
    m_a.activate();
    QVERIFY(spinUntil([&] { return edit->hasFocus(); }, 5'000));
    QTest::keyClick(edit, Qt::Key_Escape);
    QCOMPARE(composer->editingSeq(), 0);
    QCOMPARE(edit->toPlainText(), QStringLiteral("half a draft"));

    // Up in the empty box edits the last own message; Enter saves.
    composer->setDraft(QString());
    QTest::keyClick(edit, Qt::Key_Up);
    QCOMPARE(composer->editingSeq(),
             rowWithText(view, QStringLiteral("Helo Bob")).data(Model::SeqRole).toLongLong());
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("Hello Bob"));
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(composer->editingSeq(), 0);
    QVERIFY(edit->toPlainText().isEmpty());

    // Live on Bob's app, marked edited, in place (no new row).
    ui::MessageView *bobView = m_b.chat()->messageView();
    const int rows = bobView->model()->rowCount();
    QVERIFY(spinUntil(
        [&] {
            const QModelIndex row = rowWithText(bobView, QStringLiteral("Hello Bob"));
            return row.isValid() && row.data(Model::EditedRole).toBool();
        },
        10'000));
    QCOMPARE(bobView->model()->rowCount(), rows);
    QVERIFY(!rowWithText(bobView, QStringLiteral("Helo Bob")).isValid());
    // Screen readers hear it too.
    QVERIFY(rowWithText(bobView, QStringLiteral("Hello Bob"))
                .data(Qt::AccessibleTextRole)
                .toString()
                .endsWith(QStringLiteral(". edited")));
    QVERIFY(spinUntil(
        [&] {
            return rowWithText(view, QStringLiteral("Hello Bob")).data(Model::EditedRole).toBool();
        },
        10'000));
    test::saveShot(m_b.window(), QStringLiteral("edited-message.png"));
    // Bob cannot edit Alice's message: his menu has no Edit.
    m_b.activate();
    QVERIFY(!triggerMenuAction(bobView, rowWithText(bobView, QStringLiteral("Hello Bob")),
                               QStringLiteral("editAction")));
}

void TestAppChanges::deleteForEveryoneLeavesATombstoneAndLeavesSearch()
{
    signInPair();
    const QString chat = openChatBothSides(QStringLiteral("secret zebra plans"));
    QVERIFY(!chat.isEmpty());
    QVERIFY2(m_a.waitForTick(QStringLiteral("secret zebra plans"), test::Tick::Sent), m_a.error());
    const auto searchB = [&]() -> int {
        auto future = m_b.session()->searchMessages({QStringLiteral("zebra"), chat, 20});
        if (!spinUntil([&] { return future.isFinished(); }, 10'000))
            return -1;
        const auto hits = future.result();
        return hits.ok() ? int(hits->size()) : -1;
    };
    QCOMPARE(searchB(), 1);

    ui::MessageView *view = m_a.chat()->messageView();
    m_a.activate();
    QSignalSpy confirm(m_a.chat(), &ui::ChatPane::deleteConfirmationOpened);
    // Cancel first: nothing happens.
    QVERIFY(triggerMenuAction(view, rowWithText(view, QStringLiteral("secret zebra plans")),
                              QStringLiteral("deleteForEveryoneAction")));
    QCOMPARE(confirm.size(), 1);
    const auto openBox = [&] {
        return m_a.chat()->findChild<QDialog *>(QStringLiteral("deleteConfirmDialog"));
    };
    QDialog *box = openBox();
    QVERIFY(box);
    box->findChild<QAbstractButton *>(QStringLiteral("cancelButton"))->click();
    QVERIFY(rowWithText(view, QStringLiteral("secret zebra plans")).isValid());
    QVERIFY(spinUntil([&] { return !openBox(); }, 5'000)); // closed and deleted
    // Then delete.
    QVERIFY(triggerMenuAction(view, rowWithText(view, QStringLiteral("secret zebra plans")),
                              QStringLiteral("deleteForEveryoneAction")));
    QCOMPARE(confirm.size(), 2);
    box = openBox();
    QVERIFY(box);
    g_nameProblems << g_names->auditAll(QStringLiteral("delete confirmation"));
    box->findChild<QAbstractButton *>(QStringLiteral("deleteButton"))->click();

    // Bob: the row stays as a tombstone, the text is gone, and so is the search hit.
    ui::MessageView *bobView = m_b.chat()->messageView();
    QVERIFY(spinUntil([&] { return lastRow(bobView).data(Model::DeletedRole).toBool(); }, 10'000));
    QVERIFY(!rowWithText(bobView, QStringLiteral("secret zebra plans")).isValid());
    QVERIFY(bobView->textRectAt(lastRow(bobView)).isEmpty()); // nothing to select
    QVERIFY(spinUntil([&] { return searchB() == 0; }, 10'000));
    QVERIFY(spinUntil([&] { return lastRow(view).data(Model::DeletedRole).toBool(); }, 10'000));
    test::saveShot(m_b.window(), QStringLiteral("deleted-message.png"));
    // A tombstone has no reply, react, edit or forward, and no second delete for everyone.
    m_a.activate();
    for (const char *name : {"replyAction", "reactThumbsUpAction", "editAction", "forwardAction",
                             "deleteForEveryoneAction"})
        QVERIFY2(!triggerMenuAction(view, lastRow(view), QLatin1String(name)), name);
}

void TestAppChanges::deleteForMeHidesOnOwnSecondDevice()
{
    signInPair();
    const QString chat = openChatBothSides(QStringLiteral("keep this"));
    QVERIFY(!chat.isEmpty());
    QVERIFY2(m_a.send(QStringLiteral("forget me too")), m_a.error());
    QVERIFY2(m_a.send(QStringLiteral("only for me to forget")), m_a.error());
    QVERIFY(waitForRow(m_b, QStringLiteral("only for me to forget")));
    // Alice's second device.
    test::AppInstance second;
    QVERIFY2(second.launch(m_dir->filePath(QStringLiteral("profile-a2"))), second.error());
    QVERIFY2(second.signIn(m_server->url(), QStringLiteral("alice%1").arg(m_round)),
             second.error());
    second.activate();
    QVERIFY(spinUntil([&] { return second.window()->openConversation(chat); }, 15'000));
    QVERIFY(waitForRow(second, QStringLiteral("only for me to forget")));

    m_a.activate();
    ui::MessageView *view = m_a.chat()->messageView();
    QSignalSpy confirm(m_a.chat(), &ui::ChatPane::deleteConfirmationOpened);
    // Two messages selected (Ctrl+click): both go.
    QVERIFY(spinUntil(
        [&] {
            return rowWithText(view, QStringLiteral("forget me too"))
                           .data(Model::SeqRole)
                           .toLongLong() > 0 &&
                   rowWithText(view, QStringLiteral("only for me to forget"))
                           .data(Model::SeqRole)
                           .toLongLong() > 0;
        },
        10'000));
    view->selectionModel()->select(rowWithText(view, QStringLiteral("forget me too")),
                                   QItemSelectionModel::ClearAndSelect);
    view->selectionModel()->select(rowWithText(view, QStringLiteral("only for me to forget")),
                                   QItemSelectionModel::Select);
    QVERIFY(triggerMenuAction(view, rowWithText(view, QStringLiteral("only for me to forget")),
                              QStringLiteral("deleteForMeAction")));
    QCOMPARE(confirm.size(), 1);
    auto *box = m_a.chat()->findChild<QDialog *>(QStringLiteral("deleteConfirmDialog"));
    QVERIFY(box);
    QCOMPARE(qobject_cast<QMessageBox *>(box)->text(),
             QStringLiteral("Delete 2 messages from your devices? The others still see them."));
    box->findChild<QAbstractButton *>(QStringLiteral("deleteButton"))->click();

    // Gone on both of Alice's devices; Bob still has it.
    QVERIFY(spinUntil(
        [&] { return !rowWithText(view, QStringLiteral("only for me to forget")).isValid(); },
        10'000));
    QVERIFY(spinUntil(
        [&] {
            return !rowWithText(second.chat()->messageView(),
                                QStringLiteral("only for me to forget"))
                        .isValid();
        },
        10'000));
    QVERIFY(!rowWithText(view, QStringLiteral("forget me too")).isValid());
    QVERIFY(spinUntil(
        [&] {
            return !rowWithText(second.chat()->messageView(), QStringLiteral("forget me too"))
                        .isValid();
        },
        10'000));
    QVERIFY(rowWithText(view, QStringLiteral("keep this")).isValid());
    QVERIFY(
        rowWithText(m_b.chat()->messageView(), QStringLiteral("only for me to forget")).isValid());
    second.close();
}

void TestAppChanges::reactionsToggleWithCountsAndNames()
{
    signInPair();
    const QString chat = openChatBothSides(QStringLiteral("Lunch at noon?"));
    QVERIFY(!chat.isEmpty());
    ui::MessageView *bobView = m_b.chat()->messageView();
    ui::MessageView *view = m_a.chat()->messageView();
    const QString thumbs = QStringLiteral("👍");

    // Bob reacts from the menu's quick row (by the keyboard's menu key).
    m_b.activate();
    QVERIFY(triggerMenuAction(bobView, rowWithText(bobView, QStringLiteral("Lunch at noon?")),
                              QStringLiteral("reactThumbsUpAction"), true));
    QVERIFY(
        waitForChips(view, QStringLiteral("Lunch at noon?"), QStringList{QStringLiteral("👍 1")}));
    QVERIFY(waitForChips(bobView, QStringLiteral("Lunch at noon?"),
                         QStringList{QStringLiteral("👍 1 mine")}));
    QModelIndex row = rowWithText(view, QStringLiteral("Lunch at noon?"));
    QCOMPARE(view->messageDelegate()->reactionToolTip(row, thumbs), QStringLiteral("👍 Bob"));
    QVERIFY(row.data(Qt::AccessibleTextRole)
                .toString()
                .endsWith(QStringLiteral("Reactions: 👍\u2009"
                                         "1")));

    // Alice clicks the chip: it is hers too, highlighted, and the tooltip names both.
    m_a.activate();
    QRect chip = view->reactionRectAt(row, thumbs);
    QVERIFY(!chip.isEmpty());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, chip.center());
    QVERIFY(waitForChips(bobView, QStringLiteral("Lunch at noon?"),
                         QStringList{QStringLiteral("👍 2 mine")}));
    QVERIFY(waitForChips(view, QStringLiteral("Lunch at noon?"),
                         QStringList{QStringLiteral("👍 2 mine")}));
    row = rowWithText(bobView, QStringLiteral("Lunch at noon?"));
    const QString tip = bobView->messageDelegate()->reactionToolTip(row, thumbs);
    QCOMPARE(tip, QStringLiteral("👍 You and Alice")); // in the order they reacted
    test::saveShot(m_a.window(), QStringLiteral("reactions.png"));

    // "More…" picks any emoji by keyboard search.
    QVERIFY(triggerMenuAction(view, rowWithText(view, QStringLiteral("Lunch at noon?")),
                              QStringLiteral("reactMoreAction")));
    ui::EmojiPicker *picker = m_a.chat()->reactionPicker();
    QVERIFY(picker && picker->isVisible());
    g_nameProblems << g_names->auditAll(QStringLiteral("reaction picker"));
    QTest::keyClicks(picker->searchField(), QStringLiteral("party popper"));
    QCOMPARE(picker->shownEmoji().value(0), QStringLiteral("🎉"));
    QTest::keyClick(picker->searchField(), Qt::Key_Return);
    QVERIFY(waitForChips(bobView, QStringLiteral("Lunch at noon?"),
                         QStringList({QStringLiteral("👍 2 mine"), QStringLiteral("🎉 1")})));

    // A second click on her chip takes Alice's reaction off again; Bob's menu shows his
    // reaction checked, and choosing it takes his off.
    row = rowWithText(view, QStringLiteral("Lunch at noon?"));
    chip = view->reactionRectAt(row, thumbs);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, chip.center());
    QVERIFY(waitForChips(bobView, QStringLiteral("Lunch at noon?"),
                         QStringList({QStringLiteral("👍 1 mine"), QStringLiteral("🎉 1")})));
    m_b.activate();
    QVERIFY(triggerMenuAction(bobView, rowWithText(bobView, QStringLiteral("Lunch at noon?")),
                              QStringLiteral("reactThumbsUpAction")));
    QVERIFY(waitForChips(view, QStringLiteral("Lunch at noon?"),
                         QStringList{QStringLiteral("🎉 1 mine")}));
}

void TestAppChanges::forwardedPictureIsNotUploadedAgain()
{
    signInPair();
    const QString chat = openChatBothSides(QStringLiteral("A picture follows"));
    QVERIFY(!chat.isEmpty());
    const Result<QString> created = QCoro::waitFor(
        m_a.client()->groups()->createGroup(QStringLiteral("Harbour team"), {m_bobId}));
    QVERIFY(created);
    const QString group = *created;
    QVERIFY(spinUntil([&] { return m_a.list()->rowOf(group) >= 0; }, 10'000));
    QImage picture(320, 200, QImage::Format_RGB32);
    picture.fill(QColor(200, 120, 40));
    const QString path = m_dir->filePath(QStringLiteral("harbour.png"));
    QVERIFY(picture.save(path));
    m_a.activate();
    m_a.chat()->attachFiles({path});
    ui::MessageView *view = m_a.chat()->messageView();
    QVERIFY(spinUntil(
        [&] {
            const QModelIndex last = lastRow(view);
            return last.data(Model::KindRole).toString() == QStringLiteral("image") &&
                   last.data(Model::SeqRole).toLongLong() > 0;
        },
        20'000));
    const int stored = mediaFiles(m_server->dataDir());
    QVERIFY(stored > 0);

    // Forward… → filter by typing, Enter checks the match, Enter forwards.
    QSignalSpy opened(m_a.chat(), &ui::ChatPane::forwardDialogOpened);
    // The picture and the text before it, selected together, go together, in their order.
    view->selectionModel()->select(rowWithText(view, QStringLiteral("A picture follows")),
                                   QItemSelectionModel::ClearAndSelect);
    view->selectionModel()->select(lastRow(view), QItemSelectionModel::Select);
    QVERIFY(triggerMenuAction(view, lastRow(view), QStringLiteral("forwardAction")));
    QCOMPARE(opened.size(), 1);
    auto *dialog = m_a.chat()->findChild<ui::ForwardDialog *>();
    QVERIFY(dialog && dialog->isVisible());
    QVERIFY(!dialog->forwardButton()->isEnabled());
    g_nameProblems << g_names->auditAll(QStringLiteral("forward dialog"));
    QTest::keyClicks(dialog->filterEdit(), QStringLiteral("harb"));
    int shown = 0;
    for (int i = 0; i < dialog->chatList()->count(); ++i)
        shown += dialog->chatList()->item(i)->isHidden() ? 0 : 1;
    QCOMPARE(shown, 1);
    QTest::keyClick(dialog->filterEdit(), Qt::Key_Return);
    QCOMPARE(dialog->chosenConversations(), QStringList{group});
    // Space in the list and a click on the name toggle it too.
    QTest::keyClick(dialog->filterEdit(), Qt::Key_Down);
    QTest::keyClick(dialog->chatList(), Qt::Key_Space);
    QVERIFY(dialog->chosenConversations().isEmpty());
    QVERIFY(!dialog->forwardButton()->isEnabled());
    QListWidgetItem *current = dialog->chatList()->currentItem();
    QTest::mouseClick(dialog->chatList()->viewport(), Qt::LeftButton, {},
                      dialog->chatList()->visualItemRect(current).center());
    QCOMPARE(dialog->chosenConversations(), QStringList{group});
    dialog->filterEdit()->setFocus();
    QVERIFY(dialog->forwardButton()->isEnabled());
    QTest::keyClick(dialog->filterEdit(), Qt::Key_Return);
    // One chat: the app goes there, where the forward shows, marked.
    QVERIFY(spinUntil([&] { return m_a.chat()->currentConversation() == group; }, 10'000));
    QVERIFY(spinUntil(
        [&] {
            const QModelIndex picture = pictureRow(view);
            return picture.data(Model::ForwardedRole).toBool() &&
                   picture.data(Model::SeqRole).toLongLong() > 0;
        },
        20'000));
    // Bob gets it as a forward of the same media; the server stored no new file.
    QVERIFY(spinUntil([&] { return m_b.list()->rowOf(group) >= 0; }, 10'000));
    m_b.activate();
    QVERIFY(spinUntil([&] { return m_b.window()->openConversation(group); }, 10'000));
    ui::MessageView *bobView = m_b.chat()->messageView();
    QVERIFY(
        spinUntil([&] { return pictureRow(bobView).data(Model::ForwardedRole).toBool(); }, 15'000));
    QCOMPARE(Model::mediaAt(pictureRow(bobView))->mediaId,
             Model::mediaAt(pictureRow(view))->mediaId);
    // (Queued oldest first; the outbox does not promise the server gets them in that order.)
    QVERIFY(spinUntil(
        [&] {
            return rowWithText(bobView, QStringLiteral("A picture follows"))
                .data(Model::ForwardedRole)
                .toBool();
        },
        10'000));
    QCOMPARE(mediaFiles(m_server->dataDir()), stored);
    test::saveShot(m_b.window(), QStringLiteral("forwarded-picture.png"));
}

void TestAppChanges::hostileReactionsAndQuotesStayBounded()
{
    // What a hostile server could put in the model's roles: many emoji, huge names, markup and
    // line breaks. Chips are capped, texts cut to one bounded line, nothing counts as markup.
    QVariantList reactions;
    for (int i = 0; i < 60; ++i) {
        reactions.append(QVariantMap{
            {QStringLiteral("emoji"), QStringLiteral("<b>%1</b>").arg(i).repeated(20)},
            {QStringLiteral("count"), i == 0 ? 1'000'000'000 : 2},
            {QStringLiteral("names"),
             QStringList(40, QStringLiteral("<img src=x>") + QString(500, QLatin1Char('n')))},
            {QStringLiteral("mine"), i == 1}});
    }
    reactions.append(
        QVariantMap{{QStringLiteral("emoji"), QString()}, {QStringLiteral("count"), 3}});
    const QList<ui::BubbleExtras::Chip> chips = ui::BubbleExtras::chips(reactions);
    QCOMPARE(chips.size(), ui::BubbleExtras::kMaxChips);
    QVERIFY(chips.at(0).emoji.size() <= 16);
    QVERIFY(chips.at(0).count <= 99999);
    QVERIFY(chips.at(1).mine);
    const QString tip = ui::BubbleExtras::chipToolTip(chips.at(1));
    QVERIFY(tip.size() < 2000);
    QVERIFY(tip.contains(QStringLiteral("<img src=x>"))); // plain text: shown, never rendered

    const ui::BubbleExtras::Quote quote = ui::BubbleExtras::quote(
        7, QVariantMap{{QStringLiteral("senderName"),
                        QStringLiteral("Eve\nEve") + QString(5000, QLatin1Char('e'))},
                       {QStringLiteral("text"), QStringLiteral("line one\nline two\u2028three") +
                                                    QString(100'000, QLatin1Char('x'))}});
    QVERIFY(ui::BubbleExtras::quoteLine(quote).size() <= 300);
    QVERIFY(!ui::BubbleExtras::quoteLine(quote).contains(QLatin1Char('\n')));
    QVERIFY(!ui::BubbleExtras::quoteLine(quote).contains(QChar::LineSeparator));
    QVERIFY(ui::BubbleExtras::quoteTitle(quote).size() <= 64);
    QCOMPARE(ui::BubbleExtras::quoteLine(
                 ui::BubbleExtras::quote(7, QVariantMap{{QStringLiteral("deleted"), true}})),
             QStringLiteral("Original message was deleted"));

    // The composer's bar: one plain line, markup shown as written (its tooltip too).
    ui::ComposerBar bar;
    bar.resize(200, 60);
    bar.showFor(QStringLiteral("Reply to <i>Eve</i>"),
                QStringLiteral("<b>bold</b>\n<img src=x>") + QString(5000, QLatin1Char('x')));
    QVERIFY(bar.excerpt().size() <= 300);
    QVERIFY(!bar.excerpt().contains(QLatin1Char('\n')));
    auto *excerpt = bar.findChild<ui::ElidedLabel *>(QStringLiteral("composerBarText"));
    QVERIFY(excerpt);
    QCOMPARE(excerpt->textFormat(), Qt::PlainText);
    QVERIFY(excerpt->toolTip().contains(QStringLiteral("&lt;b&gt;bold&lt;/b&gt;")));
    QVERIFY(!excerpt->toolTip().contains(QStringLiteral("<b>")));

    // Laid out, the chips wrap inside the width given and never overlap.
    QList<ui::BubbleExtras::Chip> laid = chips;
    const QFont font = QApplication::font();
    const qreal height = ui::BubbleExtras::layoutChips(laid, QPointF(500, 10), 300, true, font, 4);
    QVERIFY(height > QFontMetricsF(font).height() * 2); // several rows
    for (int i = 0; i < laid.size(); ++i) {
        QVERIFY(laid.at(i).rect.right() <= 500.5);
        for (int j = i + 1; j < laid.size(); ++j)
            QVERIFY(!laid.at(i).rect.intersects(laid.at(j).rect));
    }
}

void TestAppChanges::bubbleExtrasLayOutAroundTheBody()
{
    // The delegate alone over the roles as the model gives them: each extra takes its own room
    // and can be hit, without touching the body's.
    QStandardItemModel model;
    const auto add = [&](const QString &id, const QMap<int, QVariant> &roles) {
        auto *item = new QStandardItem;
        item->setData(id, Model::MessageIdRole);
        item->setData(QStringLiteral("text"), Model::KindRole);
        item->setData(QStringLiteral("Hello there"), Model::TextRole);
        item->setData(qint64(10 + model.rowCount()), Model::SeqRole);
        item->setData(QStringLiteral("u-bob"), Model::SenderRole);
        item->setData(true, Model::GroupedWithPreviousRole);
        item->setData(QDateTime::currentMSecsSinceEpoch(), Model::TimestampRole);
        for (auto it = roles.cbegin(); it != roles.cend(); ++it)
            item->setData(it.value(), it.key());
        model.appendRow(item);
        return model.index(model.rowCount() - 1, 0);
    };
    const QModelIndex plain = add(QStringLiteral("plain"), {});
    const QModelIndex reply =
        add(QStringLiteral("reply"),
            {{Model::ReplyToRole, qint64(3)},
             {Model::ReplyPreviewRole,
              QVariantMap{{QStringLiteral("senderName"), QStringLiteral("Bob")},
                          {QStringLiteral("text"), QStringLiteral("Earlier words")}}}});
    const QModelIndex forwarded = add(QStringLiteral("fwd"), {{Model::ForwardedRole, true}});
    const QModelIndex edited = add(QStringLiteral("edited"), {{Model::EditedRole, true}});
    const QModelIndex deleted = add(QStringLiteral("deleted"), {{Model::DeletedRole, true}});
    QVariantList reactions{
        QVariantMap{
            {QStringLiteral("emoji"), QStringLiteral("👍")},
            {QStringLiteral("count"), 2},
            {QStringLiteral("names"), QStringList{QStringLiteral("Bob"), QStringLiteral("Carol")}},
            {QStringLiteral("mine"), false}},
        QVariantMap{{QStringLiteral("emoji"), QStringLiteral("❤️")},
                    {QStringLiteral("count"), 1},
                    {QStringLiteral("names"), QStringList{QStringLiteral("You")}},
                    {QStringLiteral("mine"), true}}};
    const QModelIndex reacted = add(QStringLiteral("reacted"), {{Model::ReactionsRole, reactions}});

    ui::MessageDelegate delegate;
    QStyleOptionViewItem option;
    option.font = QApplication::font();
    option.rect = QRect(0, 0, 640, 400);
    const auto at = [&](const QModelIndex &index) {
        QStyleOptionViewItem o = option;
        o.rect.setHeight(delegate.sizeHint(option, index).height());
        return o;
    };
    const int base = delegate.sizeHint(option, plain).height();
    const QRect plainBubble = delegate.bubbleRect(at(plain), plain);
    const QRect plainText = delegate.textRect(at(plain), plain);

    // The quote sits in the bubble above the text; a click on it asks for the original.
    const QRect quote = delegate.quoteRect(at(reply), reply);
    QVERIFY(!quote.isEmpty());
    QVERIFY(delegate.bubbleRect(at(reply), reply).contains(quote));
    QVERIFY(quote.bottom() < delegate.textRect(at(reply), reply).top());
    QVERIFY(delegate.sizeHint(option, reply).height() >= base + quote.height());
    QVERIFY(delegate.quoteRect(at(plain), plain).isEmpty());
    QSignalSpy replyClicked(&delegate, &ui::MessageDelegate::replyActivated);
    QMouseEvent release(QEvent::MouseButtonRelease, quote.center(), QPoint(), Qt::LeftButton,
                        Qt::NoButton, {});
    QVERIFY(delegate.editorEvent(&release, &model, at(reply), reply));
    QCOMPARE(replyClicked.size(), 1);

    // "Forwarded" takes a line above the text; "edited" widens the time, never narrows.
    QVERIFY(delegate.textRect(at(forwarded), forwarded).top() > plainText.top());
    QVERIFY(delegate.bubbleRect(at(edited), edited).width() > plainBubble.width());

    // A tombstone: no selectable text, no links, and it still paints.
    QVERIFY(delegate.textRect(at(deleted), deleted).isEmpty());
    QVERIFY(delegate.sizeHint(option, deleted).height() > 0);

    // Chips hang under the bubble, one per emoji, ours included; hits and tooltips by emoji.
    const QRect bubble = delegate.bubbleRect(at(reacted), reacted);
    const QRect thumbs = delegate.reactionRect(at(reacted), reacted, QStringLiteral("👍"));
    const QRect heart = delegate.reactionRect(at(reacted), reacted, QStringLiteral("❤️"));
    QVERIFY(!thumbs.isEmpty() && !heart.isEmpty());
    QVERIFY(thumbs.top() > bubble.bottom());
    QVERIFY(thumbs.left() < heart.left());
    QVERIFY(delegate.sizeHint(option, reacted).height() > base + thumbs.height());
    QCOMPARE(delegate.reactionAt(at(reacted), reacted, heart.center()), QStringLiteral("❤️"));
    QCOMPARE(delegate.reactionToolTip(reacted, QStringLiteral("👍")),
             QStringLiteral("👍 Bob and Carol"));
    QSignalSpy chipClicked(&delegate, &ui::MessageDelegate::reactionClicked);
    QMouseEvent onChip(QEvent::MouseButtonRelease, thumbs.center(), QPoint(), Qt::LeftButton,
                       Qt::NoButton, {});
    QVERIFY(delegate.editorEvent(&onChip, &model, at(reacted), reacted));
    QCOMPARE(chipClicked.size(), 1);
    QCOMPARE(chipClicked.first().at(1).toString(), QStringLiteral("👍"));

    // Everything paints (others' on the left, own on the right), stacked for a screenshot.
    QImage image(640, 1200, QImage::Format_ARGB32_Premultiplied);
    image.fill(QApplication::palette().color(QPalette::Base));
    QPainter painter(&image);
    int y = 0;
    for (bool own : {false, true}) {
        for (const QModelIndex &index : {plain, reply, forwarded, edited, deleted, reacted}) {
            model.setData(index, own, Model::IsOwnRole);
            QStyleOptionViewItem o = at(index);
            o.palette = QApplication::palette();
            o.rect.moveTop(y);
            delegate.paint(&painter, o, index);
            y += o.rect.height();
        }
    }
    painter.end();
    QVERIFY(y < image.height());
    const QString dir = qEnvironmentVariable("TERN_TEST_OUTDIR", QDir::tempPath());
    QDir().mkpath(dir);
    image.copy(0, 0, 640, y).save(QDir(dir).filePath(QStringLiteral("bubble-extras.png")));
}

QTEST_MAIN(TestAppChanges)
#include "tst_appchanges.moc"
