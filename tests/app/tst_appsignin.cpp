// Issue 16, the app as a new user meets it: signing in sticks on a box without a keyring (no
// D-Bus session reachable), one app per profile, presence while offline, the connect screen
// checking the server before asking for a password, and a hosted server's LAN address. Whole
// app instances (AppController) against a real ternd child process, driven through their widgets
// under QT_QPA_PLATFORM=offscreen.

#include "app/cache/LocalStore.h"
#include "app/client/ServerProbe.h"
#include "app/session/AppSettings.h"
#include "app/session/ProfileLock.h"
#include "app/session/ServerHost.h"
#include "app/session/TokenVault.h"
#include "app/ui/ChatHeader.h"
#include "app/ui/ConnectWidget.h"
#include "app/ui/SettingsDialog.h"
#include "shared/crypto/Crypto.h"
#include "tests/app/AppInstance.h"
#include "tests/app/AppPair.h"
#include "tests/app/AppTestAccount.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestUtil.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QNetworkInterface>
#include <QProcess>
#include <QPushButton>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace tern;
using namespace tern::app;
using tern::test::AppInstance;
using tern::test::saveShot;
using tern::test::spinUntil;

class TestAppSignIn : public QObject, private test::AppPair
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void restartWithoutKeyringStaysSignedIn();
    void unreadableKeychainKeepsCachedChats();
    void secondLaunchShowsFirstAndExits();
    void presenceUnknownWhileOffline();
    void connectScreenChecksServerFirst();
    void hostingGivesLanAddressAndStartsAtUserName();

private:
    QString signInPairWithChat();

    bool m_keychainBuilt = false;
};

void TestAppSignIn::initTestCase()
{
    // A desktop without a keyring: the keychain is tried (not switched off by TERN_NO_KEYCHAIN)
    // and no secret service can be reached.
    qunsetenv("TERN_NO_KEYCHAIN");
    qunsetenv("DISPLAY");
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tern-test-no-bus");
    QVERIFY(crypto::initialize());
    ui::AppController::installTranslations(QStringLiteral("en"));
    m_keychainBuilt = session::TokenVault().keychainAvailable();
}

void TestAppSignIn::init()
{
    startServer();
}

void TestAppSignIn::cleanup()
{
    closeAll();
}

//! A and B signed in; A has written to B, so A's cache holds one chat (its id is returned).
QString TestAppSignIn::signInPairWithChat()
{
    m_a.launch(m_dir->filePath(QStringLiteral("profile-a")));
    m_b.launch(m_dir->filePath(QStringLiteral("profile-b")));
    if (!signIn(m_a, m_server->url(), QStringLiteral("alice%1").arg(m_round),
                QStringLiteral("Alice")) ||
        !signIn(m_b, m_server->url(), QStringLiteral("bob%1").arg(m_round), QStringLiteral("Bob")))
        return {};
    m_a.activate();
    m_a.window()->openDirectChat(m_b.client()->connection()->userId(), QStringLiteral("Bob"));
    m_a.send(QStringLiteral("Hello Bob"));
    if (!spinUntil([&] { return !m_a.chat()->currentConversation().isEmpty(); }, 10'000))
        return {};
    return m_a.chat()->currentConversation();
}

void TestAppSignIn::restartWithoutKeyringStaysSignedIn()
{
    if (!m_keychainBuilt)
        QSKIP("built without QtKeychain: nothing to fall back from");
    const QString chat = signInPairWithChat();
    QVERIFY(!chat.isEmpty());
    // The keychain refused the token: said once, quietly (no dialog), and it stays in the cache.
    QVERIFY(spinUntil([&] { return !m_a.window()->notice().isEmpty(); }, 15'000));
    QVERIFY(m_a.window()->notice().contains(QStringLiteral("keychain")));
    QVERIFY(!m_a.session()->tokenInKeychain());
    QVERIFY(m_a.window()->findChildren<QMessageBox *>().isEmpty());

    for (int restart = 0; restart < 2; ++restart) {
        m_a.close();
        m_a.launch(m_dir->filePath(QStringLiteral("profile-a")));
        // The cached chats show at once, before anything is read or connected.
        QVERIFY(m_a.window()->isShowingMain());
        QVERIFY(m_a.session());
        QVERIFY(spinUntil([&] { return m_a.session() && m_a.list()->rowOf(chat) >= 0; }, 2'000));
        QVERIFY2(spinUntil([&] { return m_a.online(); }, 15'000),
                 "the restarted app did not go online with the cached sign-in");
        QVERIFY(m_a.window()->isShowingMain());
        QVERIFY(m_a.window()->findChildren<QMessageBox *>().isEmpty());
        // Said once per profile, not on every start.
        QCOMPARE(m_a.window()->notice(), QString());
    }
}

void TestAppSignIn::unreadableKeychainKeepsCachedChats()
{
    if (!m_keychainBuilt)
        QSKIP("built without QtKeychain");
    const QString chat = signInPairWithChat();
    QVERIFY(!chat.isEmpty());
    const QString account = m_a.controller->settings()->lastAccount();
    const QString cacheFile = QDir(m_a.controller->settings()->accountsDir())
                                  .filePath(account + QStringLiteral(".sqlite"));
    m_a.close();
    // As when the token went to a keychain that is now locked: none left in the cache.
    {
        cache::LocalStore store(cacheFile);
        QVERIFY(store.open().ok());
        QVERIFY(test::take(store.setSetting(client::ChatConnection::kTokenKey, QString())).ok());
    }
    m_a.launch(m_dir->filePath(QStringLiteral("profile-a")));
    QVERIFY(m_a.window()->isShowingMain());
    QMessageBox *box = nullptr;
    QVERIFY(spinUntil(
        [&] {
            box = m_a.window()->findChild<QMessageBox *>(QStringLiteral("signInUnreadableBox"));
            return box && box->isVisible();
        },
        15'000));
    // The keychain's English words are a detail, not part of the translated sentence.
    QVERIFY(!box->detailedText().isEmpty());
    QVERIFY2(!box->text().contains(box->detailedText()), qPrintable(box->text()));
    // Not signed out: the chats stay, the account stays the one the next start resumes.
    QVERIFY(m_a.window()->isShowingMain());
    QVERIFY(m_a.session());
    QVERIFY(m_a.list()->rowOf(chat) >= 0);
    QCOMPARE(m_a.controller->settings()->lastAccount(), account);
}

namespace {

//! A `tern` process on `profile` (offscreen, no keychain, no LAN discovery traffic answered).
std::unique_ptr<QProcess> startApp(const QString &profile)
{
    auto process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("TERN_NO_KEYCHAIN"), QStringLiteral("1"));
    process->setProcessEnvironment(env);
    process->start(
        qEnvironmentVariable("TERN_APP_BINARY"),
        {QStringLiteral("--profile"), profile, QStringLiteral("--lang"), QStringLiteral("en")});
    process->waitForStarted(10'000);
    return process;
}

//! The PID the profile's lock file names (0 when there is none).
qint64 lockOwner(const QString &profile)
{
    QFile file(session::ProfileLock::lockFilePath(profile));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readLine().trimmed().toLongLong();
}

} // namespace

void TestAppSignIn::secondLaunchShowsFirstAndExits()
{
    if (qEnvironmentVariable("TERN_APP_BINARY").isEmpty())
        QSKIP("TERN_APP_BINARY not set (run through ctest)");
    const QString profile = m_dir->filePath(QStringLiteral("profile-shared"));

    // An app that crashed leaves its lock behind: it must not keep the next one out.
    std::unique_ptr<QProcess> crashed = startApp(profile);
    QVERIFY(spinUntil([&] { return lockOwner(profile) == crashed->processId(); }, 20'000));
    crashed->kill();
    QVERIFY(crashed->waitForFinished(10'000));
    QVERIFY(QFile::exists(session::ProfileLock::lockFilePath(profile)));

    std::unique_ptr<QProcess> first = startApp(profile);
    QVERIFY2(spinUntil([&] { return lockOwner(profile) == first->processId(); }, 20'000),
             "the stale lock was not taken over");
    QByteArray firstLog;

    // A second launch on the same profile shows the first one's window and ends at once.
    std::unique_ptr<QProcess> second = startApp(profile);
    QVERIFY(second->waitForFinished(20'000));
    const QByteArray secondLog = second->readAllStandardError() + second->readAllStandardOutput();
    QCOMPARE(second->exitStatus(), QProcess::NormalExit);
    QVERIFY2(second->exitCode() == 0, secondLog.constData());
    QVERIFY2(secondLog.contains("already running"), secondLog.constData());
    QVERIFY2(spinUntil(
                 [&] {
                     firstLog += first->readAllStandardError();
                     return firstLog.contains("showing the window");
                 },
                 10'000),
             firstLog.constData());
    QCOMPARE(first->state(), QProcess::Running);
    QCOMPARE(lockOwner(profile), first->processId());

    first->kill();
    QVERIFY(first->waitForFinished(10'000));
}

void TestAppSignIn::presenceUnknownWhileOffline()
{
    // The C locale's short time format has seconds ("HH:mm:ss"): a chat never shows them.
    struct LocaleGuard
    {
        QLocale saved;
        ~LocaleGuard() { QLocale::setDefault(saved); }
    } guard;
    QLocale::setDefault(QLocale::c());

    const QString chat = signInPairWithChat();
    QVERIFY(!chat.isEmpty());
    ui::ChatHeader *header = m_a.chat()->header();
    const auto otherOnline = [&] {
        const int row = m_a.list()->rowOf(chat);
        return row >= 0 && m_a.list()
                               ->index(row)
                               .data(models::ConversationListModel::OtherUserOnlineRole)
                               .toBool();
    };
    QVERIFY(spinUntil([&] { return header->subtitle() == QStringLiteral("online"); }, 15'000));
    QCOMPARE(header->avatarOnline(), 1);
    QVERIFY(otherOnline());

    // Bob quits: "last seen today at HH:mm", without seconds.
    m_b.close();
    QVERIFY2(spinUntil([&] { return header->subtitle().startsWith(QStringLiteral("last seen")); },
                       15'000),
             qPrintable(header->subtitle()));
    QVERIFY2(header->subtitle().startsWith(QStringLiteral("last seen today at ")),
             qPrintable(header->subtitle()));
    static const QRegularExpression withSeconds(QStringLiteral("\\d:\\d\\d:\\d\\d"));
    QVERIFY2(!header->subtitle().contains(withSeconds), qPrintable(header->subtitle()));
    QCOMPARE(header->avatarOnline(), 0);

    // Bob is back; then our own connection goes: nobody may stay "online" with a green dot.
    m_b.launch(m_dir->filePath(QStringLiteral("profile-b")));
    QVERIFY(spinUntil([&] { return header->subtitle() == QStringLiteral("online"); }, 20'000));
    m_server->kill();
    QVERIFY(spinUntil([&] { return !m_a.online(); }, 10'000));
    QVERIFY2(spinUntil([&] { return header->subtitle().isEmpty(); }, 5'000),
             qPrintable(header->subtitle()));
    QCOMPARE(header->avatarOnline(), 0);
    QVERIFY(!otherOnline());

    // With no status line the name is centred in the header, not left above an empty row.
    auto *title = header->findChild<QLabel *>(QStringLiteral("chatTitle"));
    auto *subtitle = header->findChild<QLabel *>(QStringLiteral("chatSubtitle"));
    QVERIFY(title && subtitle);
    QVERIFY(!subtitle->isVisible());
    const auto titleOffCentre = [&] {
        return qAbs(title->mapTo(header, title->rect().center()).y() - header->rect().center().y());
    };
    // (once the header's layout has run)
    QVERIFY2(spinUntil([&] { return titleOffCentre() <= 2; }, 2'000),
             qPrintable(QStringLiteral("title %1 px off centre").arg(titleOffCentre())));
    saveShot(m_a.window(), QStringLiteral("presence-offline.png"));
}

void TestAppSignIn::connectScreenChecksServerFirst()
{
    m_a.launch(m_dir->filePath(QStringLiteral("profile-connect")));
    ui::ConnectWidget *connect = m_a.window()->connectWidget();
    // A new profile says hello first (tst_appprofile); on to the server step.
    QCOMPARE(connect->page(), ui::ConnectWidget::Page::Welcome);
    QTest::mouseClick(connect->findChild<QPushButton *>(QStringLiteral("welcomeContinueButton")),
                      Qt::LeftButton);
    QCOMPARE(connect->page(), ui::ConnectWidget::Page::ChooseServer);
    auto *address = connect->findChild<QLineEdit *>(QStringLiteral("addressEdit"));
    QVERIFY(address);
    const auto enter = [&](const QString &text) {
        address->setFocus();
        address->clear();
        QTest::keyClicks(address, text);
        QTest::keyClick(address, Qt::Key_Return);
    };

    // A port nothing listens on: said on this page, before any password is asked for.
    quint16 deadPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        deadPort = probe.serverPort();
    }
    QElapsedTimer clock;
    clock.start();
    enter(QStringLiteral("127.0.0.1:%1").arg(deadPort));
    // The check runs in the background: the screen says so and stays responsive.
    QVERIFY(connect->isChecking());
    QVERIFY(spinUntil([&] { return !connect->errorText().isEmpty(); },
                      client::ServerProbe::kTimeoutMs + 3'000));
    QVERIFY2(connect->errorText().contains(
                 QStringLiteral("Nothing answers at 127.0.0.1:%1").arg(deadPort)),
             qPrintable(connect->errorText()));
    QCOMPARE(connect->page(), ui::ConnectWidget::Page::ChooseServer);
    QVERIFY(!connect->isChecking());
    saveShot(m_a.window(), QStringLiteral("connect-dead-address.png"));

    // The live server: on to signing in, the form starting at the user name.
    enter(QStringLiteral("127.0.0.1:%1").arg(m_server->port()));
    QVERIFY(spinUntil([&] { return connect->page() == ui::ConnectWidget::Page::SignIn; },
                      client::ServerProbe::kTimeoutMs + 3'000));
    QCOMPARE(connect->serverUrl().port(), int(m_server->port()));
    QCOMPARE(connect->errorText(), QString());
    QCOMPARE(m_a.window()->focusWidget(),
             connect->findChild<QLineEdit *>(QStringLiteral("userEdit")));
}

void TestAppSignIn::hostingGivesLanAddressAndStartsAtUserName()
{
    // What a server on every interface gives out: addresses of up interfaces, never loopback.
    const QStringList lan = session::ServerHost::lanAddresses(QStringLiteral("0.0.0.0"), 7070);
    for (const QNetworkInterface &nic : QNetworkInterface::allInterfaces()) {
        const bool up = nic.flags().testFlag(QNetworkInterface::IsUp) &&
                        nic.flags().testFlag(QNetworkInterface::IsRunning) &&
                        !nic.flags().testFlag(QNetworkInterface::IsLoopBack);
        for (const QNetworkAddressEntry &entry : nic.addressEntries()) {
            const QHostAddress ip = entry.ip();
            if (ip.protocol() != QAbstractSocket::IPv4Protocol || ip.isLinkLocal())
                continue;
            QCOMPARE(lan.contains(ip.toString() + QStringLiteral(":7070")), up);
        }
    }
    for (const QString &address : lan) {
        QVERIFY(address.endsWith(QStringLiteral(":7070")));
        QVERIFY(!address.startsWith(QStringLiteral("127.")));
        QVERIFY(!address.startsWith(QStringLiteral("[::1]")));
    }
    QVERIFY(session::ServerHost::lanAddresses(QStringLiteral("127.0.0.1"), 7070).isEmpty());
    QVERIFY(session::ServerHost::lanAddresses(QStringLiteral("::1"), 7070).isEmpty());

    // The tests' hosted server listens on loopback only: the screen says exactly that.
    m_a.launch(m_dir->filePath(QStringLiteral("profile-host")));
    m_a.activate();
    ui::ConnectWidget *connect = m_a.window()->connectWidget();
    QTest::mouseClick(connect->findChild<QPushButton *>(QStringLiteral("hostButton")),
                      Qt::LeftButton);
    QVERIFY(spinUntil([&] { return m_a.controller->host()->isRunning(); }, 30'000));
    QVERIFY(spinUntil([&] { return connect->isCreateAccountMode(); }, 5'000));
    auto *hint = connect->findChild<QLabel *>(QStringLiteral("hintLabel"));
    QVERIFY(hint && hint->isVisible());
    QVERIFY2(!hint->text().contains(QStringLiteral("127.0.0.1")), qPrintable(hint->text()));
    QVERIFY2(hint->text().contains(QStringLiteral("only reachable from this computer")),
             qPrintable(hint->text()));
    // A new account starts at its first field, the user name.
    QCOMPARE(m_a.window()->focusWidget(),
             connect->findChild<QLineEdit *>(QStringLiteral("userEdit")));
    saveShot(m_a.window(), QStringLiteral("hosting-first-account.png"));

    // Settings say where the hosted server is reached, too.
    emit m_a.window()->settingsRequested();
    ui::SettingsDialog *settings = nullptr;
    QVERIFY(spinUntil(
        [&] {
            settings = m_a.window()->findChild<ui::SettingsDialog *>();
            return settings && settings->isVisible();
        },
        5'000));
    auto *hosted = settings->findChild<QLabel *>(QStringLiteral("hostedServerLabel"));
    QVERIFY(hosted && hosted->isVisible());
    QVERIFY2(hosted->text().contains(QStringLiteral("only reachable from this computer")),
             qPrintable(hosted->text()));
    settings->close();
}

QTEST_MAIN(TestAppSignIn)
#include "tst_appsignin.moc"
