// The connect screen and the group/chat dialogs, driven with the keyboard under the offscreen
// platform: address normalising, validation before anything is sent, the sign-in intents,
// LAN servers in the list (a beacon sent to 127.0.0.1, never broadcast), and, against an
// in-process ternd, finding a user, creating a group, renaming and leaving it.

#include "app/client/GroupRequests.h"
#include "app/client/Inbox.h"
#include "app/client/ServerDiscovery.h"
#include "app/models/MemberListModel.h"
#include "app/models/UserDirectory.h"
#include "app/ui/AppController.h"
#include "app/ui/ConnectWidget.h"
#include "app/ui/GroupInfoPanel.h"
#include "app/ui/NewChatDialog.h"
#include "app/ui/NewGroupDialog.h"
#include "app/ui/UserSearchWidget.h"
#include "tests/app/AppTestAccount.h"
#include "tests/support/DesktopFont.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestUtil.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUdpSocket>
#include <QtTest>

#include <qcoro/qcorotask.h>

using namespace tern;
using namespace tern::test;
using tern::app::client::ServerDiscovery;
using tern::app::ui::ConnectWidget;
using tern::app::ui::GroupInfoPanel;
using tern::app::ui::NewChatDialog;
using tern::app::ui::NewGroupDialog;
using tern::app::ui::UserSearchWidget;

namespace {

constexpr int kWaitMs = 20'000;

template <typename T> T *child(QWidget *parent, const char *name)
{
    T *found = parent->findChild<T *>(QLatin1String(name));
    if (!found)
        qWarning("no child %s", name);
    return found;
}

void typeInto(QWidget *widget, const QString &text)
{
    widget->setFocus();
    QTest::keyClicks(widget, text);
}

void saveShot(QWidget *widget, const QString &fileName)
{
    const QString dir = qEnvironmentVariable("TERN_TEST_OUTDIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    const QString path = QDir(dir).filePath(fileName);
    if (!widget->grab().save(path))
        qWarning("could not save %s", qPrintable(path));
}

} // namespace

class TestConnectDialogs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void normalise_data();
    void normalise();
    void emptyStateAndLanServer();
    void invalidAddressShowsError();
    void validationErrorsEmitNothing();
    void signInEmitsNormalisedUrl();
    void registerEmitsDisplayName();
    void busyDisablesInputs();
    void hostButtonEmits();

    void newChatFindsUserWithKeyboard();
    void newChatReportsNoUsers();
    void newGroupCreatesRealGroup();
    void groupPanelRenamesAndLeaves();

private:
    QTemporaryDir m_dir;
    ServerFixture m_server;
    AppTestAccount m_alice;
    AppTestAccount m_bob;
    AppTestAccount m_carol;
};

void TestConnectDialogs::initTestCase()
{
    test::useDesktopFont(); // its screenshots are in the README
    // English plural forms ("2 members", not "2 member(s)") come from the English catalogue.
    app::ui::AppController::installTranslations(QStringLiteral("en"));
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(m_alice.login(m_dir.path(), m_server.url(), uniqueName(QStringLiteral("alice"))));
    QVERIFY(m_bob.login(m_dir.path(), m_server.url(), uniqueName(QStringLiteral("bob"))));
    QVERIFY(m_carol.login(m_dir.path(), m_server.url(), uniqueName(QStringLiteral("carol"))));
}

void TestConnectDialogs::cleanupTestCase()
{
    m_alice.destroy();
    m_bob.destroy();
    m_carol.destroy();
    m_server.stop();
}

// ---- ConnectWidget -------------------------------------------------------------------------

void TestConnectDialogs::normalise_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // "" = rejected

    QTest::newRow("host") << "chat.example.org"
                          << "ws://chat.example.org:7070/ws";
    QTest::newRow("host upper") << "Chat.Example.ORG"
                                << "ws://chat.example.org:7070/ws";
    QTest::newRow("spaces") << "  localhost  "
                            << "ws://localhost:7070/ws";
    QTest::newRow("host:port") << "192.168.1.20:8080"
                               << "ws://192.168.1.20:8080/ws";
    QTest::newRow("full") << "ws://host:9000/ws"
                          << "ws://host:9000/ws";
    QTest::newRow("no path") << "ws://host:9000"
                             << "ws://host:9000/ws";
    QTest::newRow("slash path") << "ws://host/"
                                << "ws://host:7070/ws";
    QTest::newRow("wss") << "wss://secure.example"
                         << "wss://secure.example:7070/ws";
    QTest::newRow("http") << "http://h:1234"
                          << "ws://h:1234/ws";
    QTest::newRow("https") << "https://h"
                           << "wss://h:7070/ws";
    QTest::newRow("other path") << "ws://h:1/tern/ws"
                                << "ws://h:1/tern/ws";
    QTest::newRow("ipv6 bracket") << "[::1]:7443"
                                  << "ws://[::1]:7443/ws";
    QTest::newRow("ipv6 bare") << "fe80::1"
                               << "ws://[fe80::1]:7070/ws";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("blank") << "   "
                           << "";
    QTest::newRow("inner space") << "my host"
                                 << "";
    QTest::newRow("bad port") << "host:abc"
                              << "";
    QTest::newRow("port 0") << "host:0"
                            << "";
    QTest::newRow("port too big") << "host:70000"
                                  << "";
    QTest::newRow("ftp") << "ftp://host"
                         << "";
    QTest::newRow("user info") << "ws://me@host"
                               << "";
    QTest::newRow("query") << "ws://host/ws?x=1"
                           << "";
    QTest::newRow("no host") << "ws://:7070/ws"
                             << "";
}

void TestConnectDialogs::normalise()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const QUrl url = ConnectWidget::normaliseServerAddress(input);
    if (expected.isEmpty())
        QVERIFY2(!url.isValid(), qPrintable(url.toString()));
    else
        QCOMPARE(url.toString(), expected);
}

void TestConnectDialogs::emptyStateAndLanServer()
{
    ServerDiscovery discovery;
    // Port 0 on loopback: the beacon below is unicast to it, nothing goes on the network.
    QVERIFY2(discovery.start(0, QHostAddress::LocalHost), qPrintable(discovery.errorString()));
    ConnectWidget widget(&discovery);
    widget.resize(720, 560);
    widget.show();
    QVERIFY(QTest::qWaitForWindowActive(&widget));
    auto *empty = child<QLabel>(&widget, "emptyServersLabel");
    auto *list = child<QListWidget>(&widget, "serverList");
    QVERIFY(empty && list);
    QVERIFY(empty->isVisible());
    QCOMPARE(
        empty->text(),
        QStringLiteral("No server found on this network yet — host one, or enter an address."));

    QUdpSocket sender;
    const QByteArray beacon =
        QJsonDocument(QJsonObject{{QStringLiteral("tern"), 1},
                                  {QStringLiteral("port"), 7070},
                                  {QStringLiteral("name"), QStringLiteral("Office <b>server</b>")},
                                  {QStringLiteral("tls"), false},
                                  {QStringLiteral("version"), QStringLiteral("0.1.0")}})
            .toJson(QJsonDocument::Compact);
    sender.writeDatagram(beacon, QHostAddress::LocalHost, discovery.localPort());
    QTRY_COMPARE_WITH_TIMEOUT(list->count(), 1, 5000);
    QVERIFY(list->isVisible());
    QVERIFY(!empty->isVisible());
    QVERIFY(list->item(0)->text().contains(QStringLiteral("Office <b>server</b>")));
    saveShot(&widget, QStringLiteral("connect.png"));

    // Enter on the listed server picks it.
    QSignalSpy chosen(&widget, &ConnectWidget::serverChosen);
    list->setFocus();
    list->setCurrentRow(0);
    QTest::keyClick(list, Qt::Key_Return);
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.first().first().toUrl(), QUrl(QStringLiteral("ws://127.0.0.1:7070/ws")));
    QCOMPARE(widget.page(), ConnectWidget::Page::SignIn);
    QCOMPARE(widget.serverUrl(), QUrl(QStringLiteral("ws://127.0.0.1:7070/ws")));
    saveShot(&widget, QStringLiteral("connect-signin.png"));
}

void TestConnectDialogs::invalidAddressShowsError()
{
    ConnectWidget widget(nullptr);
    widget.show();
    QVERIFY(QTest::qWaitForWindowActive(&widget));
    QSignalSpy chosen(&widget, &ConnectWidget::serverChosen);
    auto *address = child<QLineEdit>(&widget, "addressEdit");
    QVERIFY(address);
    typeInto(address, QStringLiteral("ftp://nowhere"));
    QTest::keyClick(address, Qt::Key_Return);
    QCOMPARE(chosen.count(), 0);
    QCOMPARE(widget.page(), ConnectWidget::Page::ChooseServer);
    QVERIFY(!widget.errorText().isEmpty());
    // Editing the address clears the error.
    QTest::keyClick(address, Qt::Key_Backspace);
    QVERIFY(widget.errorText().isEmpty());
}

void TestConnectDialogs::validationErrorsEmitNothing()
{
    ConnectWidget widget(nullptr);
    widget.show();
    QVERIFY(QTest::qWaitForWindowActive(&widget));
    widget.showSignIn(QUrl(QStringLiteral("ws://h:7070/ws")));
    QSignalSpy signIn(&widget, &ConnectWidget::signInRequested);
    QSignalSpy reg(&widget, &ConnectWidget::registerRequested);
    auto *user = child<QLineEdit>(&widget, "userEdit");
    auto *password = child<QLineEdit>(&widget, "passwordEdit");
    auto *confirm = child<QLineEdit>(&widget, "confirmEdit");
    auto *displayName = child<QLineEdit>(&widget, "displayNameEdit");
    auto *submit = child<QPushButton>(&widget, "submitButton");
    QVERIFY(user && password && confirm && displayName && submit);

    // Empty form.
    QTest::mouseClick(submit, Qt::LeftButton);
    QVERIFY(widget.errorText().contains(QStringLiteral("user name")));
    QVERIFY(user->hasFocus());

    // Uppercase / too short user names.
    typeInto(user, QStringLiteral("Al"));
    typeInto(password, QStringLiteral("password-123"));
    QTest::keyClick(password, Qt::Key_Return);
    QVERIFY(widget.errorText().contains(QStringLiteral("3–32")));

    // Short password.
    user->setText(QStringLiteral("alice"));
    password->setText(QStringLiteral("short"));
    QTest::keyClick(password, Qt::Key_Return);
    QVERIFY(widget.errorText().contains(QStringLiteral("8")));
    QVERIFY(password->hasFocus());

    // Registering: display name and matching confirmation are required.
    widget.setCreateAccountMode(true);
    QVERIFY(confirm->isVisible());
    QVERIFY(displayName->isVisible());
    password->setText(QStringLiteral("password-123"));
    confirm->setText(QStringLiteral("password-124"));
    QTest::keyClick(password, Qt::Key_Return);
    QVERIFY(widget.errorText().contains(QStringLiteral("display name")));
    displayName->setText(QStringLiteral("Alice"));
    QTest::keyClick(password, Qt::Key_Return);
    QVERIFY(widget.errorText().contains(QStringLiteral("match")));
    QVERIFY(confirm->hasFocus());

    QCOMPARE(signIn.count(), 0);
    QCOMPARE(reg.count(), 0);
}

void TestConnectDialogs::signInEmitsNormalisedUrl()
{
    ConnectWidget widget(nullptr);
    widget.show();
    QVERIFY(QTest::qWaitForWindowActive(&widget));
    QSignalSpy chosen(&widget, &ConnectWidget::serverChosen);
    QSignalSpy signIn(&widget, &ConnectWidget::signInRequested);
    auto *address = child<QLineEdit>(&widget, "addressEdit");
    QVERIFY(address);
    typeInto(address, QStringLiteral("localhost:7443"));
    QTest::keyClick(address, Qt::Key_Return);
    QCOMPARE(chosen.count(), 1);
    const QUrl expected(QStringLiteral("ws://localhost:7443/ws"));
    QCOMPARE(chosen.first().first().toUrl(), expected);
    QCOMPARE(widget.page(), ConnectWidget::Page::SignIn);

    auto *user = child<QLineEdit>(&widget, "userEdit");
    auto *password = child<QLineEdit>(&widget, "passwordEdit");
    auto *device = child<QLineEdit>(&widget, "deviceEdit");
    QVERIFY(user && password && device);
    QVERIFY(user->hasFocus());
    QVERIFY(!device->text().isEmpty()); // the host name by default
    QTest::keyClicks(user, QStringLiteral("alice"));
    QTest::keyClick(user, Qt::Key_Tab);
    QVERIFY(password->hasFocus()); // display name and confirmation are hidden when signing in
    QTest::keyClicks(password, QStringLiteral("password-123"));
    device->setText(QStringLiteral("laptop"));
    QTest::keyClick(password, Qt::Key_Return);
    QVERIFY2(widget.errorText().isEmpty(), qPrintable(widget.errorText()));
    QCOMPARE(signIn.count(), 1);
    const QList<QVariant> args = signIn.first();
    QCOMPARE(args.at(0).toUrl(), expected);
    QCOMPARE(args.at(1).toString(), QStringLiteral("alice"));
    QCOMPARE(args.at(2).toString(), QStringLiteral("password-123"));
    QCOMPARE(args.at(3).toString(), QStringLiteral("laptop"));

    // Back returns to the server page.
    QTest::mouseClick(child<QPushButton>(&widget, "backButton"), Qt::LeftButton);
    QCOMPARE(widget.page(), ConnectWidget::Page::ChooseServer);
}

void TestConnectDialogs::registerEmitsDisplayName()
{
    ConnectWidget widget(nullptr);
    widget.show();
    QVERIFY(QTest::qWaitForWindowActive(&widget));
    widget.showSignIn(QUrl(QStringLiteral("ws://127.0.0.1:7070/ws")),
                      QStringLiteral("Your server is running; create the first account"));
    QVERIFY(child<QLabel>(&widget, "hintLabel")->isVisible());
    widget.setCreateAccountMode(true);
    QSignalSpy reg(&widget, &ConnectWidget::registerRequested);
    child<QLineEdit>(&widget, "userEdit")->setText(QStringLiteral("new.user"));
    child<QLineEdit>(&widget, "displayNameEdit")->setText(QStringLiteral(" New User "));
    child<QLineEdit>(&widget, "passwordEdit")->setText(QStringLiteral("password-123"));
    child<QLineEdit>(&widget, "confirmEdit")->setText(QStringLiteral("password-123"));
    QTest::mouseClick(child<QPushButton>(&widget, "submitButton"), Qt::LeftButton);
    QCOMPARE(reg.count(), 1);
    QCOMPARE(reg.first().at(1).toString(), QStringLiteral("new.user"));
    QCOMPARE(reg.first().at(3).toString(), QStringLiteral("New User"));
}

void TestConnectDialogs::busyDisablesInputs()
{
    ConnectWidget widget(nullptr);
    widget.show();
    QVERIFY(QTest::qWaitForWindowActive(&widget));
    widget.showSignIn(QUrl(QStringLiteral("ws://h:7070/ws")));
    QSignalSpy signIn(&widget, &ConnectWidget::signInRequested);
    widget.setBusy(true);
    QVERIFY(widget.isBusy());
    QVERIFY(!child<QLineEdit>(&widget, "userEdit")->isEnabled());
    QVERIFY(!child<QPushButton>(&widget, "submitButton")->isEnabled());
    QVERIFY(child<QLabel>(&widget, "busyLabel")->isVisible());
    widget.setBusy(false);
    widget.showError(QStringLiteral("Wrong user name or password."));
    QCOMPARE(widget.errorText(), QStringLiteral("Wrong user name or password."));
    QVERIFY(child<QLineEdit>(&widget, "userEdit")->isEnabled());
    QVERIFY(!child<QLabel>(&widget, "busyLabel")->isVisible());
    QCOMPARE(signIn.count(), 0);
}

void TestConnectDialogs::hostButtonEmits()
{
    ConnectWidget widget(nullptr);
    widget.show();
    QVERIFY(QTest::qWaitForWindowActive(&widget));
    QSignalSpy host(&widget, &ConnectWidget::hostServerRequested);
    auto *button = child<QPushButton>(&widget, "hostButton");
    QVERIFY(button);
    button->setFocus();
    QTest::keyClick(button, Qt::Key_Space);
    QCOMPARE(host.count(), 1);
}

// ---- dialogs against the real server -------------------------------------------------------

void TestConnectDialogs::newChatFindsUserWithKeyboard()
{
    NewChatDialog dialog(m_alice.client.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    QLineEdit *field = dialog.search()->searchField();
    QVERIFY(field->hasFocus() || (field->setFocus(), true));
    QSignalSpy finished(dialog.search(), &UserSearchWidget::searchFinished);
    QTest::keyClicks(field, m_bob.name);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 1, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.search()->results().isEmpty(), kWaitMs);
    QVERIFY(dialog.search()->currentUser().has_value());
    QTest::keyClick(field, Qt::Key_Down);
    QTest::keyClick(field, Qt::Key_Return);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.selectedUser().userId, m_bob.userId);
    QCOMPARE(dialog.selectedUser().user, m_bob.name);
}

void TestConnectDialogs::newChatReportsNoUsers()
{
    NewChatDialog dialog(m_alice.client.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    QSignalSpy finished(dialog.search(), &UserSearchWidget::searchFinished);
    QTest::keyClicks(dialog.search()->searchField(), QStringLiteral("zzz-nobody-here"));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 1, kWaitMs);
    QCOMPARE(dialog.search()->statusText(), QStringLiteral("No users found"));
    // Enter with nothing to pick neither accepts nor crashes.
    QTest::keyClick(dialog.search()->searchField(), Qt::Key_Return);
    QVERIFY(dialog.isVisible());
    // Searching yourself finds nothing either: you are left out.
    finished.clear();
    dialog.search()->searchField()->setText(m_alice.name);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 1, kWaitMs);
    QVERIFY(dialog.search()->results().isEmpty());
}

void TestConnectDialogs::newGroupCreatesRealGroup()
{
    NewGroupDialog dialog(m_alice.client.get());
    dialog.resize(480, 640);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    auto *create = child<QPushButton>(&dialog, "createGroupButton");
    auto *name = child<QLineEdit>(&dialog, "groupNameEdit");
    QVERIFY(create && name);
    QVERIFY(!create->isEnabled());
    QVERIFY(name->hasFocus() || (name->setFocus(), true));
    QTest::keyClicks(name, QStringLiteral("Weekend trip"));
    QTest::keyClick(name, Qt::Key_Return); // moves to the search
    QVERIFY(!create->isEnabled());         // no member yet

    QLineEdit *field = dialog.search()->searchField();
    QVERIFY(field->hasFocus());
    QSignalSpy finished(dialog.search(), &UserSearchWidget::searchFinished);
    QTest::keyClicks(field, m_bob.name);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.search()->results().isEmpty(), kWaitMs);
    QTest::keyClick(field, Qt::Key_Return);
    QCOMPARE(dialog.memberIds(), QStringList{m_bob.userId});
    QVERIFY(dialog.search()->results().isEmpty()); // picked people leave the results
    QVERIFY(create->isEnabled());

    // And carol, found by the start of her name.
    field->clear();
    finished.clear();
    QTest::keyClicks(field, m_carol.name.left(5));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 1, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.search()->results().isEmpty(), kWaitMs);
    for (const auto &user : dialog.search()->results()) {
        if (user.userId == m_carol.userId)
            dialog.addMember(user);
    }
    QCOMPARE(dialog.memberIds().size(), 2);
    saveShot(&dialog, QStringLiteral("new-group.png"));

    QTest::mouseClick(create, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), kWaitMs);
    const QString id = dialog.conversationId();
    QVERIFY(!id.isEmpty());

    const auto list = QCoro::waitFor(m_bob.client->inbox()->conversations());
    QVERIFY(list.ok());
    bool found = false;
    for (const auto &summary : list.value()) {
        if (summary.conversation == id) {
            found = true;
            QVERIFY(summary.kind == protocol::ConversationKind::Group);
            QCOMPARE(summary.name, QStringLiteral("Weekend trip"));
        }
    }
    QVERIFY2(found, "bob does not see the new group");
}

void TestConnectDialogs::groupPanelRenamesAndLeaves()
{
    const Result<QString> created = QCoro::waitFor(
        m_alice.client->groups()->createGroup(QStringLiteral("Book club"), {m_bob.userId}));
    QVERIFY(created.ok());
    const QString id = created.value();
    const auto list = QCoro::waitFor(m_alice.client->inbox()->conversations());
    QVERIFY(list.ok());
    protocol::ConversationSummary summary;
    for (const auto &s : list.value()) {
        if (s.conversation == id)
            summary = s;
    }
    QCOMPARE(summary.conversation, id);

    app::models::UserDirectory directory(m_alice.client.get(), m_alice.store.get());
    GroupInfoPanel panel(m_alice.client.get(), &directory);
    panel.resize(360, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowActive(&panel));
    panel.setConversation(summary);
    QTRY_COMPARE_WITH_TIMEOUT(panel.members()->rowCount(), 2, kWaitMs);
    QTRY_VERIFY_WITH_TIMEOUT(panel.canManage(), kWaitMs);
    QVERIFY(panel.isOwner());
    // The panel asks the directory for members' names it does not know yet.
    QTRY_VERIFY_WITH_TIMEOUT(directory.isKnown(m_bob.userId), kWaitMs);
    const int bobRow = panel.members()->rowOf(m_bob.userId);
    QVERIFY(bobRow >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(panel.members()
                                  ->index(bobRow)
                                  .data(app::models::MemberListModel::DisplayNameRole)
                                  .toString(),
                              m_bob.name.toUpper(), kWaitMs);
    saveShot(&panel, QStringLiteral("group-info.png"));

    // Add carol through the inline search, make her admin, then remove her.
    QSignalSpy done(&panel, &GroupInfoPanel::requestFinished);
    QTest::mouseClick(child<QPushButton>(&panel, "addMembersButton"), Qt::LeftButton);
    auto *search = panel.findChild<UserSearchWidget *>();
    QVERIFY(search && search->isVisible());
    QTest::keyClicks(search->searchField(), m_carol.name);
    QTRY_VERIFY_WITH_TIMEOUT(!search->results().isEmpty(), kWaitMs);
    QTest::keyClick(search->searchField(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kWaitMs);
    QVERIFY2(done.last().first().toBool(), qPrintable(panel.errorText()));
    QTRY_COMPARE_WITH_TIMEOUT(panel.members()->rowCount(), 3, kWaitMs);
    panel.setAdmin(m_carol.userId, true);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, kWaitMs);
    QVERIFY2(done.last().first().toBool(), qPrintable(panel.errorText()));
    QTRY_VERIFY_WITH_TIMEOUT(panel.members()->roleOf(m_carol.userId) == protocol::Role::Admin,
                             kWaitMs);
    panel.removeMember(m_carol.userId);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 3, kWaitMs);
    QVERIFY2(done.last().first().toBool(), qPrintable(panel.errorText()));
    QTRY_COMPARE_WITH_TIMEOUT(panel.members()->rowCount(), 2, kWaitMs);
    done.clear();

    // Rename with the keyboard.
    QSignalSpy renamed(&panel, &GroupInfoPanel::renamed);
    auto *name = child<QLineEdit>(&panel, "groupNameEdit");
    QVERIFY(name && !name->isReadOnly());
    name->setFocus();
    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("Book club 2"));
    QTest::keyClick(name, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kWaitMs);
    QVERIFY2(done.first().first().toBool(), qPrintable(panel.errorText()));
    QCOMPARE(renamed.count(), 1);
    QCOMPARE(panel.groupName(), QStringLiteral("Book club 2"));
    {
        const auto bobs = QCoro::waitFor(m_bob.client->inbox()->conversations());
        QVERIFY(bobs.ok());
        bool seen = false;
        for (const auto &s : bobs.value())
            seen = seen || (s.conversation == id && s.name == QStringLiteral("Book club 2"));
        QVERIFY2(seen, "bob does not see the new name");
    }

    // Mute and Esc.
    QSignalSpy mute(&panel, &GroupInfoPanel::muteToggled);
    child<QWidget>(&panel, "muteCheck")->setFocus();
    QTest::keyClick(child<QWidget>(&panel, "muteCheck"), Qt::Key_Space);
    QCOMPARE(mute.count(), 1);
    QCOMPARE(mute.first().first().toBool(), true);
    QSignalSpy close(&panel, &GroupInfoPanel::closeRequested);
    QTest::keyClick(child<QWidget>(&panel, "memberList"), Qt::Key_Escape);
    QCOMPARE(close.count(), 1);

    // Leave, with the inline confirmation.
    QSignalSpy left(&panel, &GroupInfoPanel::left);
    QTest::mouseClick(child<QPushButton>(&panel, "leaveButton"), Qt::LeftButton);
    auto *confirm = child<QPushButton>(&panel, "confirmLeaveButton");
    QVERIFY(confirm && confirm->isVisible());
    QCOMPARE(left.count(), 0);
    QTest::mouseClick(confirm, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(left.count(), 1, kWaitMs);
    QCOMPARE(left.first().first().toString(), id);
    // Alice has left: she can no longer see the group's history.
    const auto history = QCoro::waitFor(m_alice.client->inbox()->history(id, 0, 10));
    QVERIFY(!history.ok());
}

QTEST_MAIN(TestConnectDialogs)
#include "tst_connectdialogs.moc"
