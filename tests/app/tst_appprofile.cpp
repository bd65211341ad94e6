// The profile card and the first-run screen (issue 16, "A look of its own"), driven through real
// app windows (AppControllers with their own profiles) against a real ternd child process under
// QT_QPA_PLATFORM=offscreen: the welcome page on a profile's first launch only; the card opened
// by MainWindow::profileRequested and by our own avatar, showing our names and status; renaming
// (Enter saves, Esc cancels) reaching the other user's window live (chat title, list row, group
// sender names) and after a restart; a refused name leaving the old one.

#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageListModel.h"
#include "app/models/UserDirectory.h"
#include "app/session/AppSettings.h"
#include "app/ui/AppController.h"
#include "app/ui/ChatHeader.h"
#include "app/ui/ChatPane.h"
#include "app/ui/ConnectWidget.h"
#include "app/ui/ConversationPane.h"
#include "app/ui/MainWindow.h"
#include "app/ui/MessageView.h"
#include "app/ui/OwnAvatarButton.h"
#include "app/ui/ProfileDialog.h"
#include "shared/crypto/Crypto.h"
#include "tests/app/AppInstance.h"
#include "tests/app/AppPair.h"
#include "tests/support/TestUtil.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

#include <qcoro/qcorotask.h>

using namespace tern;
using namespace tern::app;
using tern::test::AppInstance;
using tern::test::spinUntil;
using ListRole = models::ConversationListModel::Role;
using MessageRole = models::MessageListModel::Role;

namespace {

constexpr int kWaitMs = 15'000;

template <typename T> T *child(QObject *parent, const char *name)
{
    return parent ? parent->findChild<T *>(QLatin1String(name)) : nullptr;
}

QString labelText(QObject *parent, const char *name)
{
    auto *label = child<QLabel>(parent, name);
    return label && !label->isHidden() ? label->text() : QString();
}

QString rowName(const AppInstance &app, const QString &conversation)
{
    const int row = app.list()->rowOf(conversation);
    return row < 0 ? QString() : app.list()->index(row).data(ListRole::NameRole).toString();
}

//! The sender name shown on the first message of `from` in the model ("" when none).
QString senderName(models::MessageListModel *model, const QString &from)
{
    for (int row = 0; model && row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row);
        if (index.data(MessageRole::SenderRole).toString() == from)
            return index.data(MessageRole::SenderNameRole).toString();
    }
    return {};
}

} // namespace

class TestAppProfile : public QObject, private test::AppPair
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void firstLaunchShowsWelcome();
    void laterLaunchesSkipWelcome();
    void profileCardRenamesLive();
    void refusedNameKeepsTheOldOne();
    void offlineDeviceSeesNewNameAfterRestart();

private:
    //! A direct chat Alice → Bob and a group of both with a message from Alice in each, open
    //! in Bob's window (the group).
    void chatAndGroup();
    ui::ProfileDialog *openCard(AppInstance &app);
    //! Edits the name in an open card and presses Enter.
    static void typeName(ui::ProfileDialog *card, const QString &name);

    QString m_chat;
    QString m_group;
};

void TestAppProfile::initTestCase()
{
    qputenv("TERN_NO_KEYCHAIN", "1");
    QVERIFY(crypto::initialize());
    ui::AppController::installTranslations(QStringLiteral("en"));
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestAppProfile::init()
{
    startServer();
}

void TestAppProfile::cleanup()
{
    closeAll();
}

void TestAppProfile::firstLaunchShowsWelcome()
{
    m_a.launch(m_dir->filePath(QStringLiteral("profile-new")));
    ui::ConnectWidget *connect = m_a.window()->connectWidget();
    QVERIFY(spinUntil([&] { return connect->isVisible(); }, kWaitMs));
    QCOMPARE(connect->page(), ui::ConnectWidget::Page::Welcome);
    auto *logo = child<QLabel>(connect, "welcomeLogo");
    QVERIFY(logo && logo->isVisible());
    QVERIFY(!logo->pixmap().isNull());
    QCOMPARE(labelText(connect, "welcomeTitle"), QStringLiteral("Welcome to Tern"));
    QVERIFY(!labelText(connect, "welcomeText").isEmpty());
    auto *address = child<QLineEdit>(connect, "addressEdit");
    QVERIFY(address && !address->isVisible());
    test::saveShot(m_a.window(), QStringLiteral("first-run-welcome.png"));

    // On to the address step.
    auto *go = child<QPushButton>(connect, "welcomeContinueButton");
    QVERIFY(go && go->isVisible());
    QVERIFY(!go->accessibleName().isEmpty());
    QTest::mouseClick(go, Qt::LeftButton);
    QCOMPARE(connect->page(), ui::ConnectWidget::Page::ChooseServer);
    QVERIFY(address->isVisible());
    QVERIFY(!logo->isVisible());
}

void TestAppProfile::laterLaunchesSkipWelcome()
{
    const QString profile = m_dir->filePath(QStringLiteral("profile-used"));
    m_a.launch(profile);
    QCOMPARE(m_a.window()->connectWidget()->page(), ui::ConnectWidget::Page::Welcome);
    QVERIFY(test::signIn(m_a, m_server->url(), QStringLiteral("wel%1").arg(m_round),
                         QStringLiteral("Wendy")));
    m_a.close();

    // Signed in: the next launch goes straight to the chats.
    m_a.launch(profile);
    QVERIFY(m_a.window()->isShowingMain());
    m_a.close();

    // Signed out (no account any more): the server step, never the welcome again.
    {
        session::AppSettings settings(profile);
        settings.setLastAccount(QString());
    }
    m_a.launch(profile);
    QVERIFY(!m_a.window()->isShowingMain());
    QCOMPARE(m_a.window()->connectWidget()->page(), ui::ConnectWidget::Page::ChooseServer);
}

void TestAppProfile::chatAndGroup()
{
    signInPair();
    m_a.activate();
    m_a.window()->openDirectChat(m_bobId, QStringLiteral("Bob"));
    m_a.send(QStringLiteral("hi Bob"));
    QVERIFY(spinUntil([&] { return !m_a.chat()->currentConversation().isEmpty(); }, kWaitMs));
    m_chat = m_a.chat()->currentConversation();
    const Result<QString> created =
        QCoro::waitFor(m_a.client()->groups()->createGroup(QStringLiteral("Team"), {m_bobId}));
    QVERIFY(created);
    m_group = *created;
    QVERIFY(spinUntil([&] { return m_a.list()->rowOf(m_group) >= 0; }, kWaitMs));
    QVERIFY(m_a.window()->openConversation(m_group));
    m_a.send(QStringLiteral("hi team"));

    QVERIFY(
        spinUntil([&] { return m_b.list()->rowOf(m_chat) >= 0 && m_b.list()->rowOf(m_group) >= 0; },
                  kWaitMs));
    QCOMPARE(rowName(m_b, m_chat), QStringLiteral("Alice"));
    m_b.activate();
    QVERIFY(m_b.window()->openConversation(m_group));
    const QString alice = m_a.client()->connection()->userId();
    QVERIFY(spinUntil(
        [&] {
            return senderName(m_b.chat()->messageView()->messageModel(), alice) ==
                   QStringLiteral("Alice");
        },
        kWaitMs));
}

ui::ProfileDialog *TestAppProfile::openCard(AppInstance &app)
{
    emit app.window()->profileRequested();
    ui::ProfileDialog *card = app.window()->findChild<ui::ProfileDialog *>();
    return card && spinUntil([&] { return card->isVisible(); }, kWaitMs) ? card : nullptr;
}

void TestAppProfile::typeName(ui::ProfileDialog *card, const QString &name)
{
    auto *edit = child<QLineEdit>(card, "profileNameEdit");
    QVERIFY(edit && edit->isVisible());
    edit->setFocus();
    edit->selectAll();
    edit->setText(name);
    QTest::keyClick(edit, Qt::Key_Return);
}

void TestAppProfile::profileCardRenamesLive()
{
    chatAndGroup();
    const QString alice = m_a.client()->connection()->userId();
    m_a.activate();
    ui::ProfileDialog *card = openCard(m_a);
    QVERIFY(card);
    QVERIFY(!card->windowTitle().isEmpty());
    QCOMPARE(labelText(card, "profileDisplayName"), QStringLiteral("Alice"));
    QVERIFY(spinUntil(
        [&] {
            return labelText(card, "profileUserName") == QStringLiteral("@alice%1").arg(m_round);
        },
        kWaitMs));
    QCOMPARE(labelText(card, "profileStatus"), QStringLiteral("Online"));
    test::saveShot(card, QStringLiteral("profile-card.png"));

    // Esc cancels an edit and keeps the card open with the old name.
    auto *editButton = child<QPushButton>(card, "profileEditButton");
    QVERIFY(editButton && editButton->isVisible());
    QTest::mouseClick(editButton, Qt::LeftButton);
    QVERIFY(card->isEditing());
    auto *edit = child<QLineEdit>(card, "profileNameEdit");
    QCOMPARE(edit->text(), QStringLiteral("Alice"));
    edit->setText(QStringLiteral("Not saved"));
    QTest::keyClick(edit, Qt::Key_Escape);
    QVERIFY(!card->isEditing());
    QVERIFY(card->isVisible());
    QCOMPARE(labelText(card, "profileDisplayName"), QStringLiteral("Alice"));

    // Enter saves.
    QTest::mouseClick(editButton, Qt::LeftButton);
    typeName(card, QStringLiteral("Alice Smith"));
    QVERIFY(spinUntil([&] { return !card->isEditing(); }, kWaitMs));
    QCOMPARE(card->errorText(), QString());
    QCOMPARE(labelText(card, "profileDisplayName"), QStringLiteral("Alice Smith"));
    QVERIFY(card->isVisible());
    auto *own = child<ui::OwnAvatarButton>(m_a.window(), "ownAvatarButton");
    QVERIFY(own);
    QCOMPARE(own->displayName(), QStringLiteral("Alice Smith"));
    QVERIFY(own->toolTip().contains(QStringLiteral("Alice Smith")));
    QCOMPARE(m_a.session()->users()->displayName(alice), QStringLiteral("Alice Smith"));

    // Bob's window follows at once: the group's sender names, the direct chat's list row and,
    // once open, its title.
    QVERIFY(spinUntil(
        [&] {
            return senderName(m_b.chat()->messageView()->messageModel(), alice) ==
                   QStringLiteral("Alice Smith");
        },
        kWaitMs));
    QVERIFY(
        spinUntil([&] { return rowName(m_b, m_chat) == QStringLiteral("Alice Smith"); }, kWaitMs));
    QVERIFY(m_b.window()->openConversation(m_chat));
    QCOMPARE(m_b.chat()->header()->title(), QStringLiteral("Alice Smith"));
    const int row = m_b.list()->rowOf(m_chat);
    QCOMPARE(m_b.list()->index(row).data(ListRole::AvatarInitialsRole).toString(),
             QStringLiteral("AS"));

    // The card also opens from our own avatar at the top of the list.
    card->close();
    QVERIFY(spinUntil([&] { return !m_a.window()->findChild<ui::ProfileDialog *>(); }, kWaitMs));
    QVERIFY(own->isVisible());
    QVERIFY(!own->accessibleName().isEmpty());
    QTest::mouseClick(own, Qt::LeftButton);
    card = m_a.window()->findChild<ui::ProfileDialog *>();
    QVERIFY(card && spinUntil([&] { return card->isVisible(); }, kWaitMs));
    QCOMPARE(labelText(card, "profileDisplayName"), QStringLiteral("Alice Smith"));
}

void TestAppProfile::refusedNameKeepsTheOldOne()
{
    chatAndGroup();
    m_a.activate();
    ui::ProfileDialog *card = openCard(m_a);
    QVERIFY(card);
    QTest::mouseClick(child<QPushButton>(card, "profileEditButton"), Qt::LeftButton);
    // A right-to-left override would make the name pose as another: the server refuses it.
    typeName(card, QStringLiteral("\u202Eecila"));
    QVERIFY(spinUntil([&] { return !card->errorText().isEmpty(); }, kWaitMs));
    QVERIFY2(card->errorText().contains(QStringLiteral("cannot be used")),
             qPrintable(card->errorText()));
    QVERIFY(card->isEditing()); // the typed name stays to be fixed
    QCOMPARE(labelText(card, "profileDisplayName"), QStringLiteral("Alice"));
    QCOMPARE(m_a.session()->users()->displayName(m_a.client()->connection()->userId()),
             QStringLiteral("Alice"));
    test::saveShot(card, QStringLiteral("profile-card-refused.png"));

    // A blank name too.
    typeName(card, QStringLiteral("   "));
    QVERIFY(card->isSaving());
    QCOMPARE(card->errorText(), QString());
    QVERIFY(spinUntil([&] { return !card->isSaving(); }, kWaitMs));
    QVERIFY(!card->errorText().isEmpty());
    QCOMPARE(labelText(card, "profileDisplayName"), QStringLiteral("Alice"));

    // Bob still sees the old name, and a good name after the refusal goes through.
    QCOMPARE(rowName(m_b, m_chat), QStringLiteral("Alice"));
    typeName(card, QStringLiteral("Ali"));
    QVERIFY(spinUntil([&] { return !card->isEditing(); }, kWaitMs));
    QCOMPARE(card->errorText(), QString());
    QVERIFY(spinUntil([&] { return rowName(m_b, m_chat) == QStringLiteral("Ali"); }, kWaitMs));
}

void TestAppProfile::offlineDeviceSeesNewNameAfterRestart()
{
    chatAndGroup();
    const QString alice = m_a.client()->connection()->userId();
    const QString bobProfile = m_b.profile;
    m_b.close();

    m_a.activate();
    ui::ProfileDialog *card = openCard(m_a);
    QVERIFY(card);
    QTest::mouseClick(child<QPushButton>(card, "profileEditButton"), Qt::LeftButton);
    typeName(card, QStringLiteral("Alice Away"));
    QVERIFY(spinUntil([&] { return !card->isEditing(); }, kWaitMs));
    QCOMPARE(card->errorText(), QString());

    // Bob's app starts from its cache (the old name), then syncs and reads the new one.
    m_b.launch(bobProfile);
    QVERIFY(spinUntil([&] { return m_b.online(); }, kWaitMs));
    QVERIFY(
        spinUntil([&] { return rowName(m_b, m_chat) == QStringLiteral("Alice Away"); }, kWaitMs));
    QVERIFY(spinUntil(
        [&] { return m_b.session()->users()->displayName(alice) == QStringLiteral("Alice Away"); },
        kWaitMs));
    m_b.activate();
    QVERIFY(m_b.window()->openConversation(m_group));
    QVERIFY(spinUntil(
        [&] {
            return senderName(m_b.chat()->messageView()->messageModel(), alice) ==
                   QStringLiteral("Alice Away");
        },
        kWaitMs));
}

QTEST_MAIN(TestAppProfile)
#include "tst_appprofile.moc"
