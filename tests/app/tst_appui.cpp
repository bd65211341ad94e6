// UI automation of the whole app: two app instances (two AppControllers with separate profiles,
// each with its own cache file, window and client) against a real ternd child process, driven
// through their widgets under QT_QPA_PLATFORM=offscreen. Saves screenshots of the main screens
// to $TERN_TEST_OUTDIR.

#include "app/client/ChatClient.h"
#include "app/client/Inbox.h"
#include "app/client/MediaDownloads.h"
#include "app/client/MediaTransfers.h"
#include "app/client/Outbox.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageListModel.h"
#include "app/session/AccountSession.h"
#include "app/session/AppSettings.h"
#include "app/session/ServerHost.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatHeader.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/ConnectWidget.h"
#include "app/ui/ConnectionBanner.h"
#include "app/ui/ConversationPane.h"
#include "app/ui/ImageViewer.h"
#include "app/ui/MainWindow.h"
#include "app/ui/MessageView.h"
#include "app/ui/NewGroupDialog.h"
#include "app/ui/TrayNotifier.h"
#include "shared/crypto/Crypto.h"
#include "tests/app/AppInstance.h"
#include "tests/app/AppPair.h"
#include "tests/app/AppTestAccount.h"
#include "tests/support/ChildServer.h"
#include "tests/support/DesktopFont.h"
#include "tests/support/TestUtil.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDir>
#include <QDirIterator>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QImageReader>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <qcoro/qcorotask.h>

#include <memory>

using namespace tern;
using namespace tern::app;
using tern::test::AppInstance;
using tern::test::saveShot;
using tern::test::signIn;
using tern::test::spinUntil;

namespace {

const QString &kPassword = test::kAppPassword;

int rowOf(const AppInstance &app, const QString &conversation)
{
    return app.list()->rowOf(conversation);
}

QVariant listData(const AppInstance &app, const QString &conversation, int role)
{
    const int row = rowOf(app, conversation);
    return row < 0 ? QVariant() : app.list()->index(row).data(role);
}

// The texts of the messages a client passes on. Slots run in connection order: once a text is
// here, everything connected before (the tray notifier, the models) has handled that message.
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

// Runs what is posted (layouts, repaints) before a screenshot; no fixed wait.
void flushUi()
{
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
}

} // namespace

class TestAppUi : public QObject, private test::AppPair
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void sendUnreadBadgeReadTickAndTyping();
    void groupCreatedFromDialog();
    void outboxSurvivesAppRestart();
    void draftsFollowTheirChatAndSurviveRestart();
    void reconnectsAfterServerRestart();
    void firstRunShowsConnectScreenThenResumes();
    void hostServerFromConnectScreen();
    void notificationOpensChatAndMutedChatIsSilent();
    void notificationBodyIsPlainText();
    void notificationsWaitBoundedForUnknownNames();
    void imageAttachedShowsThumbnailAndOpens();
    void pictureThatCannotLoadSaysWhy();
    void fileSavedAsAndMarkedDownloaded();

private:
    void loginPair();
    QString openChatFromAToB(const QString &text);
};

void TestAppUi::initTestCase()
{
    test::useDesktopFont(); // its screenshots are in the README
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    ui::AppController::installTranslations(QStringLiteral("en"));
}

void TestAppUi::init()
{
    startServer();
}

void TestAppUi::cleanup()
{
    closeAll();
}

void TestAppUi::loginPair()
{
    signInPair();
    QVERIFY(m_a.window()->isShowingMain());
}

QString TestAppUi::openChatFromAToB(const QString &text)
{
    m_a.activate();
    m_a.window()->openDirectChat(m_bobId, QStringLiteral("Bob"));
    m_a.send(text);
    // The first message creates the chat; the pane switches to it once the list has it.
    if (!spinUntil([&] { return !m_a.chat()->currentConversation().isEmpty(); }, 10'000))
        return QString();
    return m_a.chat()->currentConversation();
}

void TestAppUi::sendUnreadBadgeReadTickAndTyping()
{
    loginPair();
    QSignalSpy notified(m_b.controller->tray(), &ui::TrayNotifier::notified);
    const QString chat = openChatFromAToB(QStringLiteral("Hello Bob"));
    QVERIFY(!chat.isEmpty());

    // B's list shows the chat with an unread badge, and a notification (B's window inactive).
    QVERIFY(spinUntil(
        [&] {
            return listData(m_b, chat, models::ConversationListModel::UnreadCountRole).toInt() == 1;
        },
        10'000));
    QVERIFY(spinUntil([&] { return !notified.isEmpty(); }, 5'000));
    QCOMPARE(notified.first().at(0).toString(), chat);
    // A first message from someone new names them, not their user id.
    QCOMPARE(notified.first().at(1).toString(), QStringLiteral("Alice"));
    QCOMPARE(notified.first().at(2).toString(), QStringLiteral("Hello Bob"));
    QVERIFY(m_b.window()->windowTitle().contains(QStringLiteral("(1)")));

    // A's own message is stored: one tick, not read.
    models::MessageListModel *aMessages = m_a.chat()->messageView()->messageModel();
    QVERIFY(aMessages);
    auto lastStatus = [&] {
        const int rows = aMessages->rowCount();
        return rows == 0
                   ? -1
                   : aMessages->index(rows - 1).data(models::MessageListModel::StatusRole).toInt();
    };
    QVERIFY(spinUntil([&] { return lastStatus() >= int(models::MessageListModel::Status::Sent); },
                      5'000));
    QVERIFY(lastStatus() != int(models::MessageListModel::Status::Read));
    saveShot(m_b.window(), QStringLiteral("list-unread.png"));

    // B opens the chat by clicking its row in an active window: A's tick turns to read.
    m_b.activate();
    QListView *list = m_b.window()->conversationPane()->listView();
    QModelIndex row;
    for (int i = 0; i < list->model()->rowCount(); ++i) {
        if (list->model()->index(i, 0).data(models::ConversationListModel::ConversationIdRole) ==
            chat)
            row = list->model()->index(i, 0);
    }
    QVERIFY(row.isValid());
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(row).center());
    QCOMPARE(m_b.chat()->currentConversation(), chat);
    QVERIFY(spinUntil([&] { return lastStatus() == int(models::MessageListModel::Status::Read); },
                      10'000));
    QVERIFY(spinUntil(
        [&] {
            return listData(m_b, chat, models::ConversationListModel::UnreadCountRole).toInt() == 0;
        },
        5'000));
    QCOMPARE(m_b.chat()->header()->title(), QStringLiteral("Alice"));
    QCOMPARE(m_b.chat()->header()->subtitle(), QStringLiteral("online"));

    // Typing in A's composer shows in B's open chat and in the header.
    m_a.activate();
    m_a.type(QStringLiteral("so"));
    QVERIFY(spinUntil([&] { return !m_b.chat()->typingText().isEmpty(); }, 5'000));
    QVERIFY(m_b.chat()->header()->subtitle().contains(QStringLiteral("typing")));
    m_a.send(QStringLiteral(" what is new?"));
    m_b.activate();
    QVERIFY(spinUntil(
        [&] {
            auto *model = m_b.chat()->messageView()->messageModel();
            return model && model->rowCount() >= 2 &&
                   model->index(model->rowCount() - 1)
                           .data(models::MessageListModel::TextRole)
                           .toString() == QStringLiteral("so what is new?");
        },
        10'000));
    // Nothing notified for the chat B is reading in its active window.
    const int before = int(notified.size());
    const ReceivedTexts received(m_b.client());
    m_a.send(QStringLiteral("Lunch at noon?"));
    QVERIFY(spinUntil(
        [&] {
            return received.texts.contains(QStringLiteral("Lunch at noon?")) &&
                   m_b.chat()->messageView()->messageModel()->rowCount() >= 3; // for the picture
        },
        10'000));
    QCOMPARE(int(notified.size()), before);
    saveShot(m_b.window(), QStringLiteral("main-chat.png"));
    saveShot(m_a.window(), QStringLiteral("chat-own.png"));
}

void TestAppUi::groupCreatedFromDialog()
{
    loginPair();
    m_a.activate();
    emit m_a.window()->newGroupRequested();
    ui::NewGroupDialog *dialog = nullptr;
    QVERIFY(spinUntil(
        [&] {
            dialog = m_a.window()->findChild<ui::NewGroupDialog *>();
            return dialog && dialog->isVisible();
        },
        5'000));
    QLineEdit *name = dialog->findChild<QLineEdit *>(QStringLiteral("groupNameEdit"));
    QLineEdit *search = dialog->findChild<QLineEdit *>(QStringLiteral("userSearchField"));
    QListWidget *results = dialog->findChild<QListWidget *>(QStringLiteral("userSearchResults"));
    QPushButton *create = dialog->findChild<QPushButton *>(QStringLiteral("createGroupButton"));
    QVERIFY(name && search && results && create);
    QTest::keyClicks(name, QStringLiteral("Lunch crew"));
    QTest::keyClicks(search, QStringLiteral("bob%1").arg(m_round));
    QVERIFY(spinUntil([&] { return results->count() > 0; }, 5'000));
    // Keyboard only: arrow to the result, Enter picks it.
    QTest::keyClick(search, Qt::Key_Down);
    QTest::keyClick(search, Qt::Key_Return);
    QVERIFY(spinUntil([&] { return create->isEnabled(); }, 2'000));
    saveShot(dialog, QStringLiteral("new-group.png"));
    QTest::mouseClick(create, Qt::LeftButton);

    // A's window opens the new group; B's list has it, with A's system message.
    QVERIFY(spinUntil(
        [&] {
            return !m_a.chat()->currentConversation().isEmpty() &&
                   m_a.chat()->header()->title() == QStringLiteral("Lunch crew");
        },
        10'000));
    const QString group = m_a.chat()->currentConversation();
    QVERIFY(spinUntil([&] { return rowOf(m_b, group) >= 0; }, 10'000));
    QCOMPARE(listData(m_b, group, models::ConversationListModel::NameRole).toString(),
             QStringLiteral("Lunch crew"));
    // English plurals in the real header (was "2 member(s), 2 online").
    QVERIFY(spinUntil(
        [&] { return m_a.chat()->header()->subtitle() == QStringLiteral("2 members, 2 online"); },
        5'000));
    m_a.send(QStringLiteral("Pizza?"));
    QVERIFY(spinUntil(
        [&] {
            return listData(m_b, group, models::ConversationListModel::UnreadCountRole).toInt() ==
                   1;
        },
        10'000));
    QVERIFY2(m_a.waitForTick(QStringLiteral("Pizza?"), test::Tick::Sent), m_a.error());
    saveShot(m_a.window(), QStringLiteral("group.png"));

    // Esc in the chat filter clears the filter (the window's own Esc shortcut must not eat it).
    m_a.activate();
    QLineEdit *filter = m_a.window()->conversationPane()->filterEdit();
    filter->setFocus();
    QTest::keyClicks(filter, QStringLiteral("Lunch"));
    QCOMPARE(filter->text(), QStringLiteral("Lunch"));
    QTest::keyClick(filter, Qt::Key_Escape);
    QCOMPARE(filter->text(), QString());
}

void TestAppUi::outboxSurvivesAppRestart()
{
    loginPair();
    const QString chat = openChatFromAToB(QStringLiteral("first"));
    QVERIFY(!chat.isEmpty());
    QVERIFY(spinUntil([&] { return rowOf(m_b, chat) >= 0; }, 10'000));

    // The server goes away; A writes while offline: the message waits in the outbox (clock).
    m_server->kill();
    QVERIFY(spinUntil(
        [&] {
            return m_a.client()->connection()->state() != client::ChatConnection::State::Online;
        },
        10'000));
    m_a.send(QStringLiteral("written offline"));
    models::MessageListModel *aMessages = m_a.chat()->messageView()->messageModel();
    QVERIFY(spinUntil(
        [&] {
            const int n = aMessages->rowCount();
            return n > 0 &&
                   aMessages->index(n - 1).data(models::MessageListModel::StatusRole).toInt() ==
                       int(models::MessageListModel::Status::Pending);
        },
        5'000));
    QVERIFY(m_a.chat()->banner()->isVisible());
    QVERIFY2(m_a.waitForMessage(QStringLiteral("first")), m_a.error());
    QVERIFY2(m_a.waitForMessage(QStringLiteral("written offline")), m_a.error());
    saveShot(m_a.window(), QStringLiteral("offline.png"));

    // A half-written reply stays in the composer: the draft must survive the restart too.
    m_a.type(QStringLiteral("half a thought"));

    // The app quits and starts again on the same profile; the server comes back.
    m_a.close();
    m_a.launch(m_dir->filePath(QStringLiteral("profile-a")));
    QVERIFY(m_a.session());
    QVERIFY(spinUntil([&] { return rowOf(m_a, chat) >= 0; }, 5'000)); // from the cache
    QVERIFY(m_a.window()->openConversation(chat));
    QVERIFY(spinUntil(
        [&] { return m_a.chat()->composer()->draft() == QStringLiteral("half a thought"); },
        5'000));
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    m_b.client()->connection()->retryNow();
    m_a.client()->connection()->retryNow();
    QVERIFY(spinUntil(
        [&] {
            return m_a.client()->connection()->state() == client::ChatConnection::State::Online;
        },
        15'000));

    // B gets the message exactly once.
    QVERIFY(spinUntil(
        [&] {
            return listData(m_b, chat, models::ConversationListModel::UnreadCountRole).toInt() == 2;
        },
        15'000));
    m_b.activate();
    QVERIFY(m_b.window()->openConversation(chat));
    models::MessageListModel *bMessages = m_b.chat()->messageView()->messageModel();
    QVERIFY(spinUntil([&] { return bMessages->rowCount() >= 2; }, 10'000));
    // A sends once more: a second copy would come (from A's outbox, then in seq order from the
    // server) before this one reaches B.
    m_a.client()->outbox()->sendText(chat, QStringLiteral("after the restart"));
    QVERIFY(spinUntil(
        [&] {
            const int n = bMessages->rowCount();
            return n > 0 && bMessages->index(n - 1).data(models::MessageListModel::TextRole) ==
                                QStringLiteral("after the restart");
        },
        10'000));
    int copies = 0;
    for (int i = 0; i < bMessages->rowCount(); ++i)
        copies += bMessages->index(i).data(models::MessageListModel::TextRole).toString() ==
                  QStringLiteral("written offline");
    QCOMPARE(copies, 1);
}

void TestAppUi::draftsFollowTheirChatAndSurviveRestart()
{
    loginPair();
    const QString withBob = openChatFromAToB(QStringLiteral("hello"));
    QVERIFY(!withBob.isEmpty());
    // A second chat: A's saved messages.
    QSignalSpy sent(m_a.client()->outbox(), &client::Outbox::messageSent);
    m_a.client()->outbox()->sendText(m_a.client()->connection()->userId(),
                                     QStringLiteral("note to self"));
    QVERIFY(spinUntil([&] { return !sent.isEmpty(); }, 10'000));
    const QString saved = sent.first().at(1).toString();
    QVERIFY(spinUntil([&] { return rowOf(m_a, saved) >= 0; }, 10'000));
    auto draftShown = [&](const QString &text) {
        return spinUntil([&] { return m_a.chat()->composer()->draft() == text; }, 5'000);
    };

    // Each chat keeps its own half-written text while A switches between them.
    QVERIFY(m_a.window()->openConversation(withBob));
    QVERIFY2(m_a.type(QStringLiteral("for Bob")), m_a.error());
    QVERIFY(m_a.window()->openConversation(saved));
    QCOMPARE(m_a.chat()->composer()->draft(), QString());
    QVERIFY2(m_a.type(QStringLiteral("for me")), m_a.error());
    QVERIFY(m_a.window()->openConversation(withBob));
    QVERIFY(draftShown(QStringLiteral("for Bob")));
    // The session keeps them (switching saved the one left at once, no debounce).
    QCOMPARE(test::take(m_a.session()->draft(saved)).value(), QStringLiteral("for me"));
    QCOMPARE(test::take(m_a.session()->draft(withBob)).value(), QStringLiteral("for Bob"));

    // And after the app quits and starts again on the same profile.
    m_a.close();
    QVERIFY2(m_a.launch(m_dir->filePath(QStringLiteral("profile-a"))), m_a.error());
    QVERIFY(spinUntil([&] { return rowOf(m_a, saved) >= 0 && rowOf(m_a, withBob) >= 0; }, 10'000));
    QVERIFY(m_a.window()->openConversation(saved));
    QVERIFY(draftShown(QStringLiteral("for me")));
    QVERIFY(m_a.window()->openConversation(withBob));
    QVERIFY(draftShown(QStringLiteral("for Bob")));
}

void TestAppUi::reconnectsAfterServerRestart()
{
    loginPair();
    const QString chat = openChatFromAToB(QStringLiteral("before"));
    QVERIFY(!chat.isEmpty());
    m_server->kill();
    QVERIFY(spinUntil([&] { return m_a.chat()->banner()->isVisible(); }, 10'000));
    QVERIFY(!m_a.chat()->banner()->text().isEmpty());
    QVERIFY(!m_a.window()->conversationPane()->statusText().isEmpty());
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    // The client's own backoff brings it back (at most 30 s; the first retries are sooner).
    QVERIFY(spinUntil(
        [&] {
            return m_a.client()->connection()->state() == client::ChatConnection::State::Online &&
                   m_b.client()->connection()->state() == client::ChatConnection::State::Online;
        },
        40'000));
    QVERIFY(spinUntil([&] { return !m_a.chat()->banner()->isVisible(); }, 2'000));
    m_a.send(QStringLiteral("after"));
    QVERIFY(spinUntil(
        [&] {
            return listData(m_b, chat, models::ConversationListModel::UnreadCountRole).toInt() == 2;
        },
        10'000));
}

void TestAppUi::firstRunShowsConnectScreenThenResumes()
{
    m_a.launch(m_dir->filePath(QStringLiteral("profile-first")));
    QVERIFY(!m_a.window()->isShowingMain());
    saveShot(m_a.window(), QStringLiteral("connect.png"));
    QVERIFY(signIn(m_a, m_server->url(), QStringLiteral("carol%1").arg(m_round),
                   QStringLiteral("Carol")));
    saveShot(m_a.window(), QStringLiteral("empty-list.png"));
    // Next start: straight to the main window with the stored session, online.
    m_a.close();
    m_a.launch(m_dir->filePath(QStringLiteral("profile-first")));
    QVERIFY(m_a.window()->isShowingMain());
    QVERIFY(spinUntil(
        [&] {
            return m_a.client()->connection()->state() == client::ChatConnection::State::Online;
        },
        15'000));
}

void TestAppUi::notificationOpensChatAndMutedChatIsSilent()
{
    loginPair();
    QSignalSpy notified(m_b.controller->tray(), &ui::TrayNotifier::notified);
    const QString chat = openChatFromAToB(QStringLiteral("ping"));
    QVERIFY(!chat.isEmpty());
    QVERIFY(spinUntil([&] { return !notified.isEmpty() && rowOf(m_b, chat) >= 0; }, 10'000));
    // What a click on the notification does: the window shows and opens that chat.
    emit m_b.controller->tray()->openConversationRequested(chat);
    QCOMPARE(m_b.chat()->currentConversation(), chat);
    QVERIFY(m_b.window()->isVisible());

    // Muted: no notification, and the chat does not count toward the total.
    m_b.list()->setMuted(chat, true);
    m_a.activate(); // B's window is not active: only the mute keeps it silent
    const int before = int(notified.size());
    const ReceivedTexts received(m_b.client());
    m_a.send(QStringLiteral("muted one"));
    QVERIFY(spinUntil(
        [&] {
            return listData(m_b, chat, models::ConversationListModel::LastMessagePreviewRole)
                .toString()
                .contains(QStringLiteral("muted one"));
        },
        10'000));
    QVERIFY(
        spinUntil([&] { return received.texts.contains(QStringLiteral("muted one")); }, 10'000));
    QCOMPARE(int(notified.size()), before);
    QCOMPARE(m_b.controller->tray()->unreadTotal(), 0);
    QVERIFY(!m_b.window()->windowTitle().contains(QLatin1Char('(')));
}

void TestAppUi::notificationsWaitBoundedForUnknownNames()
{
    // A stranger's first message arrives before their name: its notification waits for the
    // name, at most 20 messages and 3 s, then says "Someone new", never a user id. Offline, the
    // name cannot come, so both bounds are reached.
    loginPair();
    m_server.reset();
    QVERIFY(spinUntil([&] { return !m_b.online(); }, 10'000));
    QSignalSpy notified(m_b.controller->tray(), &ui::TrayNotifier::notified);
    for (int i = 0; i < 21; ++i) {
        protocol::MessageEvent event;
        event.id = QStringLiteral("m-stranger-%1").arg(i);
        event.conversation = QStringLiteral("c-stranger-%1").arg(i);
        event.seq = 1;
        event.from = QStringLiteral("u-stranger-%1").arg(i);
        event.kind = protocol::MessageKind::Text;
        event.content = QStringLiteral("hi %1").arg(i);
        emit m_b.client()->inbox()->messageReceived(event);
    }
    // The 21st pushed the oldest out at once.
    QCOMPARE(int(notified.size()), 1);
    QCOMPARE(notified.first().at(1).toString(), QStringLiteral("Someone new"));
    QCOMPARE(notified.first().at(2).toString(), QStringLiteral("hi 0"));
    QVERIFY(spinUntil([&] { return notified.size() == 21; }, 10'000));
    for (const QList<QVariant> &shown : std::as_const(notified))
        QVERIFY(!shown.at(1).toString().contains(QLatin1String("u-stranger")));
    QCOMPARE(notified.last().at(2).toString(), QStringLiteral("hi 20"));
}

void TestAppUi::notificationBodyIsPlainText()
{
    // Issue 15: freedesktop notification daemons render the body as markup, so a message's
    // <a>/<img> became a link or loaded a remote image. The body goes out escaped.
    loginPair();
    QSignalSpy notified(m_b.controller->tray(), &ui::TrayNotifier::notified);
    const QString text =
        QStringLiteral("<img src=\"http://example.invalid/t.png\"> & <a href=\"x\">go</a>");
    QVERIFY(!openChatFromAToB(text).isEmpty());
    QVERIFY(spinUntil([&] { return !notified.isEmpty(); }, 10'000));
    const QString body = notified.first().at(2).toString();
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    QCOMPARE(body, text.toHtmlEscaped());
    QVERIFY(!body.contains(QLatin1Char('<')));
#else
    QCOMPARE(body, text);
#endif
}

void TestAppUi::hostServerFromConnectScreen()
{
    m_a.launch(m_dir->filePath(QStringLiteral("profile-host")));
    ui::ConnectWidget *connect = m_a.window()->connectWidget();
    auto *host = connect->findChild<QPushButton *>(QStringLiteral("hostButton"));
    QVERIFY(host);
    QTest::mouseClick(host, Qt::LeftButton);
    // The bundled ternd starts; the screen moves on to creating the first account.
    QVERIFY(spinUntil([&] { return m_a.controller->host()->isRunning(); }, 30'000));
    QVERIFY(spinUntil([&] { return connect->isCreateAccountMode(); }, 5'000));
    QCOMPARE(connect->serverUrl(), m_a.controller->host()->url());
    const qint64 pid = m_a.controller->host()->processId();
    QVERIFY(pid > 0);
    auto fill = [&](const char *name, const QString &text) {
        auto *edit = connect->findChild<QLineEdit *>(QLatin1String(name));
        QVERIFY(edit);
        edit->clear();
        QTest::keyClicks(edit, text);
    };
    fill("userEdit", QStringLiteral("hana"));
    fill("displayNameEdit", QStringLiteral("Hana"));
    fill("passwordEdit", kPassword);
    fill("confirmEdit", kPassword);
    QTest::mouseClick(connect->findChild<QPushButton *>(QStringLiteral("submitButton")),
                      Qt::LeftButton);
    QVERIFY(spinUntil(
        [&] {
            return m_a.session() &&
                   m_a.client()->connection()->state() == client::ChatConnection::State::Online;
        },
        15'000));
    QVERIFY(m_a.window()->isShowingMain());
    QVERIFY(m_a.controller->settings()->hostingServer());

    // Quitting stops the hosted server cleanly (SIGTERM, exit code 0).
    QSignalSpy stopped(m_a.controller->host(), &session::ServerHost::stopped);
    m_a.controller->quit();
    QVERIFY(spinUntil([&] { return !stopped.isEmpty(); }, 15'000));
    QCOMPARE(m_a.controller->host()->exitCode(), 0);
    QCOMPARE(m_a.controller->host()->exitStatus(), QProcess::NormalExit);
}

void TestAppUi::pictureThatCannotLoadSaysWhy()
{
    // The viewer said "The picture could not be loaded: " and the network layer's English
    // text. It says why in the user's language; the technical text is only its tooltip.
    loginPair();
    const QString chat = openChatFromAToB(QStringLiteral("A picture follows"));
    QVERIFY(!chat.isEmpty());
    QImage picture(640, 480, QImage::Format_RGB32);
    picture.fill(QColor(40, 120, 200));
    const QString path = m_dir->filePath(QStringLiteral("dock.png"));
    QVERIFY(picture.save(path));
    m_a.chat()->attachFiles({path});
    m_b.activate();
    QVERIFY(spinUntil([&] { return m_b.window()->openConversation(chat); }, 10'000));
    models::MessageListModel *model = nullptr;
    QVERIFY(spinUntil(
        [&] {
            model = m_b.chat()->messageView()->messageModel();
            return model && model->rowCount() >= 2 &&
                   model->index(model->rowCount() - 1)
                           .data(models::MessageListModel::KindRole)
                           .toString() == QStringLiteral("image");
        },
        20'000));
    // The server lost the file (as after a retention sweep): it answers 404, a final failure.
    QDirIterator stored(QDir(m_server->dataDir()).filePath(QStringLiteral("media")), QDir::Files,
                        QDirIterator::Subdirectories);
    int removed = 0;
    while (stored.hasNext())
        removed += QFile::remove(stored.next()) ? 1 : 0;
    QVERIFY(removed > 0);
    ui::MessageView *view = m_b.chat()->messageView();
    view->setFocus();
    view->setCurrentIndex(view->model()->index(view->model()->rowCount() - 1, 0));
    QTest::keyClick(view, Qt::Key_Return);
    ui::ImageViewer *viewer = nullptr;
    QVERIFY(spinUntil(
        [&] {
            viewer = m_b.chat()->findChild<ui::ImageViewer *>();
            return viewer && viewer->statusText().startsWith(
                                 QStringLiteral("The picture could not be loaded."));
        },
        20'000));
    QCOMPARE(viewer->statusText(),
             QStringLiteral("The picture could not be loaded. It is no longer on the server."));
    QCOMPARE(viewer->findChild<QLabel *>()->toolTip(), QStringLiteral("HTTP 404"));
    viewer->close();
}

void TestAppUi::imageAttachedShowsThumbnailAndOpens()
{
    loginPair();
    const QString chat = openChatFromAToB(QStringLiteral("Look at this"));
    QVERIFY(!chat.isEmpty());
    // A picture with some structure, so the thumbnail and the full image can be told apart.
    QImage picture(1200, 800, QImage::Format_RGB32);
    picture.fill(QColor(40, 120, 200));
    {
        QPainter painter(&picture);
        painter.fillRect(QRect(100, 100, 500, 300), QColor(250, 200, 40));
        painter.setPen(Qt::white);
        painter.drawEllipse(QRect(700, 300, 300, 300));
    }
    const QString path = m_dir->filePath(QStringLiteral("harbour.png"));
    QVERIFY(picture.save(path));
    // The attach button, a drop and a paste all end here.
    m_a.chat()->attachFiles({path});

    m_b.activate();
    QVERIFY(spinUntil([&] { return m_b.window()->openConversation(chat); }, 10'000));
    models::MessageListModel *model = nullptr;
    QModelIndex last;
    QVERIFY(spinUntil(
        [&] {
            model = m_b.chat()->messageView()->messageModel();
            if (!model || model->rowCount() < 2)
                return false;
            last = model->index(model->rowCount() - 1);
            return last.data(models::MessageListModel::KindRole).toString() ==
                   QStringLiteral("image");
        },
        20'000));
    const QImage thumbnail = last.data(models::MessageListModel::ThumbnailRole).value<QImage>();
    QVERIFY(!thumbnail.isNull());
    QVERIFY(thumbnail.width() <= 320 && thumbnail.width() > thumbnail.height());
    flushUi();
    saveShot(m_b.window(), QStringLiteral("image-message.png"));

    // Keyboard: the message is current, Enter opens the picture at full size.
    QSignalSpy opened(m_b.chat(), &ui::ChatPane::imageViewerOpened);
    ui::MessageView *view = m_b.chat()->messageView();
    view->setFocus();
    view->setCurrentIndex(view->model()->index(view->model()->rowCount() - 1, 0));
    QTest::keyClick(view, Qt::Key_Return);
    QVERIFY(spinUntil([&] { return !opened.isEmpty(); }, 5'000));
    auto *viewer = m_b.chat()->findChild<ui::ImageViewer *>();
    QVERIFY(viewer && viewer->isVisible());
    QVERIFY(spinUntil([&] { return !viewer->image().isNull(); }, 20'000));
    QCOMPARE(viewer->image().size(), QSize(1200, 800));
    QCOMPARE(viewer->image().pixelColor(300, 200), QColor(250, 200, 40));
    saveShot(viewer, QStringLiteral("image-viewer.png"));
    viewer->close();

    // A picture pasted into A's composer and a file dropped on A's chat are sent as well.
    m_a.activate();
    QImage pasted(300, 200, QImage::Format_RGB32);
    pasted.fill(QColor(200, 30, 30));
    QGuiApplication::clipboard()->setImage(pasted);
    auto *edit = m_a.chat()->composer()->findChild<QPlainTextEdit *>();
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_V, Qt::ControlModifier);
    QVERIFY(edit->toPlainText().isEmpty()); // attached, not pasted as text
    const QString notes = m_dir->filePath(QStringLiteral("notes.txt"));
    {
        QFile file(notes);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("minutes of the meeting\n");
    }
    auto *mime = new QMimeData;
    mime->setUrls({QUrl::fromLocalFile(notes)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_a.chat(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(m_a.chat(), &drop);
    delete mime;
    auto kindsOfLast = [&](int count) {
        QStringList kinds;
        models::MessageListModel *bModel = m_b.chat()->messageView()->messageModel();
        for (int row = bModel->rowCount() - count; row >= 0 && row < bModel->rowCount(); ++row)
            kinds << bModel->index(row).data(models::MessageListModel::KindRole).toString();
        return kinds;
    };
    QVERIFY(spinUntil(
        [&] {
            const QStringList kinds = kindsOfLast(2);
            return kinds.contains(QStringLiteral("file")) &&
                   kinds.contains(QStringLiteral("image")) &&
                   m_b.chat()->messageView()->messageModel()->rowCount() >= 4;
        },
        20'000));
    models::MessageListModel *bModel = m_b.chat()->messageView()->messageModel();
    for (int row = bModel->rowCount() - 2; row < bModel->rowCount(); ++row) {
        const QModelIndex at = bModel->index(row);
        const QJsonObject media = at.data(models::MessageListModel::MediaRole).toJsonObject();
        if (at.data(models::MessageListModel::KindRole).toString() == QStringLiteral("file")) {
            QCOMPARE(media.value(QStringLiteral("name")).toString(), QStringLiteral("notes.txt"));
        } else {
            QCOMPARE(media.value(QStringLiteral("width")).toInt(), 300);
            QVERIFY(!at.data(models::MessageListModel::ThumbnailRole).value<QImage>().isNull());
        }
    }
    m_b.activate();
    // Without a tray the arrivals were announced in the window: close that before the picture.
    if (auto *closeToast = m_b.find<QAbstractButton>(QStringLiteral("closeToastButton")))
        QTest::mouseClick(closeToast, Qt::LeftButton);
    flushUi();
    saveShot(m_b.window(), QStringLiteral("media-messages.png"));
}

void TestAppUi::fileSavedAsAndMarkedDownloaded()
{
    loginPair();
    const QString chat = openChatFromAToB(QStringLiteral("The report"));
    QVERIFY(!chat.isEmpty());
    QByteArray data(3 * 1024 * 1024 + 17, Qt::Uninitialized);
    for (qsizetype i = 0; i < data.size(); ++i)
        data[i] = char((i * 7919) >> 3);
    const QString path = m_dir->filePath(QStringLiteral("report.pdf"));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(data) == data.size());
    }
    m_a.chat()->attachFiles({path});

    // A's own row learns its media id as soon as the upload is done, without a reload.
    models::MessageListModel *aModel = m_a.chat()->messageView()->messageModel();
    auto lastMedia = [](models::MessageListModel *model) {
        const int rows = model ? model->rowCount() : 0;
        return rows == 0 ? QJsonObject()
                         : model->index(rows - 1)
                               .data(models::MessageListModel::MediaRole)
                               .toJsonObject();
    };
    QVERIFY(spinUntil(
        [&] { return !lastMedia(aModel).value(QStringLiteral("media_id")).toString().isEmpty(); },
        20'000));
    QVERIFY(aModel->index(aModel->rowCount() - 1)
                .data(models::MessageListModel::DownloadedRole)
                .toBool()); // the original is on A's device

    // B sees a file that is not on this device yet.
    m_b.activate();
    QVERIFY(spinUntil([&] { return m_b.window()->openConversation(chat); }, 10'000));
    models::MessageListModel *model = nullptr;
    QVERIFY(spinUntil(
        [&] {
            model = m_b.chat()->messageView()->messageModel();
            return model && lastMedia(model).value(QStringLiteral("name")).toString() ==
                                QStringLiteral("report.pdf");
        },
        20'000));
    QModelIndex last = model->index(model->rowCount() - 1);
    QVERIFY(!last.data(models::MessageListModel::DownloadedRole).toBool());
    QVERIFY(!last.data(models::MessageListModel::DownloadingRole).toBool());
    QCOMPARE(last.data(models::MessageListModel::ProgressRole).toDouble(), -1.0);
    flushUi();
    saveShot(m_b.window(), QStringLiteral("file-not-downloaded.png"));

    // Enter starts the download and shows its progress; Enter again while it runs cancels it
    // and leaves nothing behind.
    client::MediaDownloads *downloads = m_b.client()->media()->downloads();
    QSignalSpy cancelled(downloads, &client::MediaDownloads::cancelled);
    ui::MessageView *view = m_b.chat()->messageView();
    view->setFocus();
    view->setCurrentIndex(last);
    QTest::keyClick(view, Qt::Key_Return);
    last = model->index(model->rowCount() - 1);
    QVERIFY(last.data(models::MessageListModel::DownloadingRole).toBool());
    QTest::keyClick(view, Qt::Key_Return);
    QVERIFY(!cancelled.isEmpty() || cancelled.wait(5'000));
    last = model->index(model->rowCount() - 1);
    QVERIFY(!last.data(models::MessageListModel::DownloadingRole).toBool());
    QVERIFY(!last.data(models::MessageListModel::DownloadedRole).toBool());
    QVERIFY(downloads->cachedPath(lastMedia(model).value(QStringLiteral("media_id")).toString())
                .isEmpty());

    // "Save as…" downloads into the cache, then copies to the chosen place.
    QSignalSpy saved(m_b.chat(), &ui::ChatPane::mediaSaved);
    const QString target = m_dir->filePath(QStringLiteral("saved/report copy.pdf"));
    QVERIFY(QDir().mkpath(QFileInfo(target).path()));
    m_b.chat()->saveMediaTo(last, target);
    QVERIFY(spinUntil([&] { return !saved.isEmpty(); }, 20'000));
    QCOMPARE(saved.first().at(0).toString(), target);
    QVERIFY(saved.first().at(1).toBool());
    QFile copy(target);
    QVERIFY(copy.open(QIODevice::ReadOnly));
    QVERIFY(copy.readAll() == data);
    last = model->index(model->rowCount() - 1);
    QVERIFY(last.data(models::MessageListModel::DownloadedRole).toBool());
    QCOMPARE(last.data(models::MessageListModel::ProgressRole).toDouble(), -1.0);

    // A place that cannot be written is reported, not silently ignored.
    saved.clear();
    m_b.chat()->saveMediaTo(last, m_dir->filePath(QStringLiteral("no/such/folder/x.pdf")));
    QVERIFY(spinUntil([&] { return !saved.isEmpty(); }, 20'000));
    QVERIFY(!saved.first().at(1).toBool());
    QVERIFY(spinUntil([&] { return m_b.chat()->findChild<QMessageBox *>() != nullptr; }, 5'000));
    m_b.chat()->findChild<QMessageBox *>()->close();
}

QTEST_MAIN(TestAppUi)
#include "tst_appui.moc"
