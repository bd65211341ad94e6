#include "app/ui/AppController.h"

#include "app/client/ChatClient.h"
#include "app/client/ServerDiscovery.h"
#include "app/client/ServerProbe.h"
#include "app/client/TrustedServers.h"
#include "app/models/ConversationListModel.h"
#include "app/models/UserDirectory.h"
#include "app/session/AccountSession.h"
#include "app/session/AppSettings.h"
#include "app/session/ServerHost.h"
#include "app/session/TokenVault.h"
#include "app/ui/AccentPalette.h"
#include "app/ui/CertificatePrompt.h"
#include "app/ui/ConnectWidget.h"
#include "app/ui/Emoji.h"
#include "app/ui/MainWindow.h"
#include "app/ui/NewChatDialog.h"
#include "app/ui/NewGroupDialog.h"
#include "app/ui/ProfileDialog.h"
#include "app/ui/SettingsDialog.h"
#include "app/ui/TrayNotifier.h"
#include "app/ui/UserSearchWidget.h"
#include "shared/model/CertificateFingerprint.h"

#include <QAbstractButton>
#include <QApplication>
#include <QHostAddress>
#include <QLibraryInfo>
#include <QLocale>
#include <QMessageBox>
#include <QSysInfo>
#include <QTranslator>

namespace tern::app::ui {

using session::AccountSession;

AppController::AppController(AppOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)),
      m_settings(new session::AppSettings(m_options.profileDir, this)),
      m_vault(new session::TokenVault(this)), m_host(new session::ServerHost(this)),
      m_trusted(new client::TrustedServers(m_settings->profileDir(), this)),
      m_discovery(new client::ServerDiscovery(this)),
      m_window(new MainWindow(m_settings, new ConnectWidget(m_discovery))),
      m_tray(new TrayNotifier(m_settings, m_window, this))
{
    AccentPalette::install();
    Emoji::installAppFont();
    m_host->setDataDir(m_settings->hostedServerDir());
    m_host->setPort(m_options.hostPort);
    m_host->setAnnounce(m_options.hostAnnounce);
    m_host->setExtraArguments(m_options.hostArguments);

    ConnectWidget *connectWidget = m_window->connectWidget();
    auto *probe = new client::ServerProbe(this);
    probe->setTrustedServers(m_trusted);
    connectWidget->setServerProbe(probe);
    connectWidget->setTrustedServers(m_trusted);
    connect(connectWidget, &ConnectWidget::hostServerRequested, this, &AppController::hostServer);
    connect(connectWidget, &ConnectWidget::signInRequested, this,
            [this](const QUrl &server, const QString &user, const QString &password,
                   const QString &device) {
                QCoro::Task<Status> signingIn = signIn(server, user, password, device);
                Q_UNUSED(signingIn); // the connect screen shows the outcome
            });
    connect(connectWidget, &ConnectWidget::registerRequested, this,
            [this](const QUrl &server, const QString &user, const QString &password,
                   const QString &displayName, const QString &device) {
                QCoro::Task<Status> signingIn = signIn(server, user, password, device, displayName);
                Q_UNUSED(signingIn);
            });
    connect(m_host, &session::ServerHost::started, this, [this](const QUrl &url) {
        m_settings->setHostingServer(true);
        pinHostedServer();
        // Only a server the user just asked for is new; one restarted at launch has accounts.
        if (!m_session && m_hostRequestedNow) {
            // A new server has no accounts: the first step is creating one.
            m_window->connectWidget()->setCreateAccountMode(true);
            m_window->connectWidget()->showSignIn(
                url, tr("Your server is running. Create the first account.") + QLatin1Char('\n') +
                         hostedServerText());
        }
    });
    connect(m_host, &session::ServerHost::failed, this, [this](const QString &reason) {
        const QString text = tr("The server on this computer stopped: %1").arg(reason);
        m_window->connectWidget()->setBusy(false);
        m_window->connectWidget()->showError(text);
        if (m_session && !m_quitting) { // the connect screen is hidden: say it in front
            auto *box =
                new QMessageBox(QMessageBox::Warning, tr("Tern"), text, QMessageBox::Ok, m_window);
            box->setObjectName(QStringLiteral("serverStoppedMessage"));
            box->button(QMessageBox::Ok)->setObjectName(QStringLiteral("okButton"));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    });

    connect(m_window, &MainWindow::newChatRequested, this, &AppController::newChat);
    connect(m_window, &MainWindow::newGroupRequested, this, &AppController::newGroup);
    connect(m_window, &MainWindow::settingsRequested, this, [this] { openSettings(); });
    connect(m_window, &MainWindow::hostedServerRequested, this, [this] { openSettings(true); });
    connect(m_window, &MainWindow::profileRequested, this, &AppController::openProfile);
    connect(m_window, &MainWindow::quitRequested, this, &AppController::quit);
    connect(m_window, &MainWindow::openConversationChanged, m_tray,
            &TrayNotifier::setOpenConversation);
    connect(m_tray, &TrayNotifier::showWindowRequested, this, &AppController::showWindow);
    connect(m_tray, &TrayNotifier::openConversationRequested, this, [this](const QString &id) {
        showWindow();
        m_window->openConversation(id);
    });
    connect(m_tray, &TrayNotifier::quitRequested, this, &AppController::quit);
    connect(m_tray, &TrayNotifier::inAppNotification, m_window, &MainWindow::showNotification);
    connect(m_settings, &session::AppSettings::changed, this, &AppController::updateHideOnClose);
    updateHideOnClose();
}

AppController::~AppController()
{
    // The window's panes save drafts through the session: the window goes first.
    delete m_window;
    delete m_session;
}

session::AccountSession *AppController::session() const
{
    return m_session;
}

void AppController::installTranslations(const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    if (!language.isEmpty())
        QLocale::setDefault(locale);
    const QString bundled = QStringLiteral(":/i18n");
    const auto install = [&](const QString &name, const QString &dir, const QString &fallback) {
        auto *translator = new QTranslator(qApp);
        if (translator->load(locale, name, QStringLiteral("_"), dir) ||
            (!fallback.isEmpty() && translator->load(fallback)))
            QCoreApplication::installTranslator(translator);
        else
            delete translator;
    };
    // English is the fallback for languages we do not have (and the C locale): its plural
    // forms turn "%n member(s)" into "1 member" / "2 members".
    install(QStringLiteral("tern"), bundled, QStringLiteral(":/i18n/tern_en.qm"));
    // Qt's own strings (standard buttons, editor menus, key names): the subset Tern bundles,
    // then the system's full catalogue, which is asked first when it is installed.
    install(QStringLiteral("qt"), bundled, {});
    install(QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath), {});
}

QString AppController::signInErrorText(const Error &error, const QUrl &server)
{
    switch (error.code) {
    case ErrorCode::Unauthenticated:
        return tr("Wrong user name or password.");
    case ErrorCode::Conflict:
        return tr("That user name is taken. Pick another one.");
    case ErrorCode::Forbidden:
        return tr("This server does not allow new accounts. Ask its administrator for one.");
    case ErrorCode::RateLimited:
        return tr("Too many attempts. Wait a minute and try again.");
    case ErrorCode::BadRequest:
        // Only when the server's rules differ from the ones checked here: its own (English)
        // words are quoted as its, not mixed into a translated sentence.
        return tr("The server did not accept these details. It said: “%1”").arg(error.message);
    default:
        return tr("Cannot reach the server at %1. Check the address and that the server is "
                  "running.")
            .arg(server.toString());
    }
}

void AppController::start()
{
    if (!m_options.minimized)
        m_window->show();
    if (m_settings->hostingServer())
        m_host->start();
    if (m_settings->lastAccount().isEmpty()) {
        showConnect();
        // The very first launch of a profile (no server used yet): say hello first.
        if (m_settings->lastServerUrl().isEmpty() && !m_settings->hostingServer())
            m_window->connectWidget()->showWelcome();
        return;
    }
    resumeLast();
}

QCoro::Task<> AppController::resumeLast()
{
    QPointer<AppController> self(this);
    auto *created =
        new AccountSession(m_settings->accountsDir(), m_settings->lastAccount(), m_vault, this);
    created->setTrustedServers(m_trusted);
    QPointer<AccountSession> account(created);
    watchTokenStorage(created);
    if (!account->open().ok()) {
        delete created;
        showConnect(tr("Could not open the local message cache."));
        co_return;
    }
    // The cached list shows at once; the client connects and syncs behind it.
    useSession(account);
    QCoro::Task<Status> resuming = account->resume();
    const Status resumed = co_await std::move(resuming);
    if (!self || !account || m_session != account)
        co_return;
    if (resumed.ok())
        co_return;
    if (resumed.error().code == ErrorCode::Unauthenticated) {
        m_session = nullptr;
        account->deleteLater();
        m_settings->setLastAccount(QString());
        showConnect(tr("Please sign in."));
        co_return;
    }
    // The saved sign-in could not be read (a locked keychain): the user is not signed out, the
    // cached chats stay; the account stays the last one, so the next start tries again.
    auto *box = new QMessageBox(
        QMessageBox::Warning, tr("Tern"),
        tr("Could not read your saved sign-in. Your chats are shown from this computer. "
           "Unlock the system keychain and restart Tern, or sign out in Settings and sign in "
           "again."),
        QMessageBox::Ok, m_window);
    // The keychain's own words are English and technical: a detail, not part of the sentence.
    box->setDetailedText(resumed.error().message);
    box->setObjectName(QStringLiteral("signInUnreadableBox"));
    box->button(QMessageBox::Ok)->setObjectName(QStringLiteral("okButton"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

QCoro::Task<Status> AppController::signIn(QUrl server, QString user, QString password,
                                          QString deviceName, QString displayName)
{
    QPointer<AppController> self(this);
    ConnectWidget *connectWidget = m_window->connectWidget();
    connectWidget->setBusy(true);
    if (deviceName.isEmpty())
        deviceName = QSysInfo::machineHostName();
    auto *account = new AccountSession(m_settings->accountsDir(),
                                       AccountSession::accountKey(server, user), m_vault, this);
    account->setTrustedServers(m_trusted);
    if (Status opened = account->open(); !opened.ok()) {
        delete account;
        connectWidget->setBusy(false);
        connectWidget->showError(tr("Could not open the local message cache."));
        co_return opened;
    }
    QPointer<AccountSession> guard(account);
    watchTokenStorage(account);
    QCoro::Task<Status> signingIn =
        account->signIn(server, user, password, deviceName, displayName);
    const Status status = co_await std::move(signingIn);
    if (!self || !guard)
        co_return status;
    connectWidget->setBusy(false);
    if (!status.ok()) {
        account->deleteLater();
        connectWidget->showError(signInErrorText(status.error(), server));
        co_return status;
    }
    m_settings->setLastAccount(account->key());
    m_settings->setLastServerUrl(server.toString());
    useSession(account);
    co_return status;
}

void AppController::watchTokenStorage(AccountSession *account)
{
    // Said once per profile, quietly: Settings keeps saying it for whoever looks.
    connect(account, &AccountSession::tokenStorageChanged, this, [this](bool inKeychain) {
        if (inKeychain || m_settings->keychainNoticeShown())
            return;
        m_settings->setKeychainNoticeShown(true);
        m_window->showNotice(tr("No system keychain is available: your sign-in is kept in "
                                "Tern's data folder on this computer."));
    });
}

void AppController::useSession(AccountSession *account)
{
    if (m_session && m_session != account)
        m_session->deleteLater();
    m_session = account;
    m_discovery->stop();
    connect(account, &AccountSession::sessionExpired, this, [this](const QString &reason) {
        m_settings->setLastAccount(QString());
        showConnect(tr("Your session has ended (%1). Please sign in again.").arg(reason));
    });
    connect(account->client()->connection(), &client::ChatConnection::certificateRefused, this,
            &AppController::onCertificateRefused);
    m_tray->setSession(account);
    m_window->showMain(account);
    emit signedIn();
    if (const auto problem = account->client()->connection()->certificateProblem())
        onCertificateRefused(*problem); // refused while the cache was being opened
}

void AppController::onCertificateRefused(const client::CertificateProblem &problem)
{
    // The client does not retry a refused certificate on its own, but Retry and a restart do:
    // the dialog is shown once per problem (server and presented certificate), not per try.
    const QByteArray key =
        problem.server.authority().toUtf8() + ' ' + fingerprint::sha256(problem.presented.toDer());
    if (key == m_problemShown || m_quitting)
        return;
    // Our own server, refused while it starts with a regenerated certificate (the client may
    // meet it before started() has read the file): pinHostedServer() re-pins it from the file,
    // and the client reconnects then. No question about our own file.
    const QUrl hosted = m_host->isRunning() ? m_host->url() : QUrl();
    const bool ours = m_host->state() != session::ServerHost::State::Stopped &&
                      QHostAddress(problem.server.host()).isLoopback() &&
                      (hosted.isEmpty() ? problem.server.port() == m_host->port()
                                        : problem.server.port() == hosted.port());
    if (ours && !hosted.isEmpty() && !m_host->certificate().isNull() &&
        m_host->certificate() == problem.presented) {
        pinHostedServer();
        return;
    }
    if (ours && hosted.isEmpty())
        return; // still starting: started() pins it
    m_problemShown = key;
    const bool untrusted = problem.kind == client::CertificateProblem::Kind::Untrusted;
    CertificatePrompt::ask(problem, m_trusted, m_window, [this, untrusted](bool pinned) {
        // Pinned: the client reconnects at once. Not trusted: Retry asks again. Not replaced:
        // the banner keeps saying it, and Settings → Connection can replace the pin.
        if (pinned || untrusted)
            m_problemShown.clear();
    });
}

void AppController::pinHostedServer()
{
    const QSslCertificate certificate = m_host->certificate();
    if (certificate.isNull())
        return; // a --no-tls server: nothing to pin
    // Our own server's certificate comes from our own file (read from its data dir), not from
    // the network: it is pinned without a question. When that data dir was regenerated (a new
    // certificate), the old pin is replaced silently for the same reason.
    const auto pin = m_trusted->pin(m_host->url());
    if (!pin || pin->certificate != certificate)
        m_trusted->setPin(m_host->url(), certificate);
    m_window->connectWidget()->setServerCertificate(m_host->url(), certificate);
}

void AppController::showConnect(const QString &error)
{
    m_tray->setSession(nullptr);
    m_window->showConnect();
    if (m_session) {
        m_session->deleteLater();
        m_session = nullptr;
    }
    ConnectWidget *connectWidget = m_window->connectWidget();
    if (!m_settings->lastServerUrl().isEmpty())
        connectWidget->setServerUrl(QUrl(m_settings->lastServerUrl()));
    if (m_host->isRunning())
        connectWidget->setServerUrl(m_host->url());
    if (!error.isEmpty())
        connectWidget->showError(error);
    if (m_options.discovery && !m_discovery->isListening())
        m_discovery->start();
}

void AppController::hostServer()
{
    if (m_host->isRunning()) {
        emit m_host->started(m_host->url());
        return;
    }
    m_hostRequestedNow = true;
    m_window->connectWidget()->setBusy(true);
    connect(
        m_host, &session::ServerHost::started, m_window->connectWidget(),
        [this] { m_window->connectWidget()->setBusy(false); }, Qt::SingleShotConnection);
    m_host->start();
}

void AppController::signOut()
{
    signOutNow();
}

QCoro::Task<> AppController::signOutNow()
{
    QPointer<AppController> self(this);
    QPointer<AccountSession> account = m_session;
    if (!account)
        co_return;
    QCoro::Task<Status> signingOut = account->signOut();
    co_await std::move(signingOut);
    if (!self)
        co_return;
    m_settings->setLastAccount(QString());
    showConnect();
    emit signedOut();
}

void AppController::newChat()
{
    if (!m_session)
        return;
    auto *dialog = new NewChatDialog(m_session->client(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // Before anything is typed: the people of the most recent chats (issue 16: a blank list).
    constexpr int kRecentContacts = 12;
    QList<protocol::UserInfo> recent;
    for (const QString &id : m_session->conversations()->recentPeople(kRecentContacts)) {
        if (m_session->users()->isKnown(id))
            recent << m_session->users()->userInfo(id);
    }
    dialog->search()->setSuggestions(recent);
    // The dialog searches through the client: it must not outlive a session that ends.
    connect(m_session->client(), &QObject::destroyed, dialog, &QWidget::close);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const protocol::UserInfo user = dialog->selectedUser();
        if (!m_session || user.userId.isEmpty())
            return;
        m_session->users()->remember({user});
        m_window->openDirectChat(user.userId, user.displayName);
    });
    dialog->open();
}

void AppController::newGroup()
{
    if (!m_session)
        return;
    auto *dialog = new NewGroupDialog(m_session->client(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_session->client(), &QObject::destroyed, dialog, &QWidget::close);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (!dialog->conversationId().isEmpty())
            m_window->openWhenListed(dialog->conversationId());
    });
    dialog->open();
}

QString AppController::hostedServerText() const
{
    // 127.0.0.1 is this computer to everyone: colleagues need the network addresses.
    const QStringList addresses = m_host->shareableAddresses();
    if (addresses.isEmpty())
        return tr("The server is only reachable from this computer.");
    //: %1: one address or several, separated by commas, e.g. "192.168.1.20:7070".
    return tr("Colleagues on this network connect to: %1")
        .arg(addresses.join(QStringLiteral(", ")));
}

void AppController::openSettings(bool atHostedServer)
{
    auto *dialog = new SettingsDialog(m_settings, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_host->isRunning())
        dialog->setHostedServer(hostedServerText());
    if (m_session) {
        client::ChatClient *chat = m_session->client();
        const QString me = chat->connection()->userId();
        dialog->setAccount(m_session->users()->displayName(me),
                           chat->connection()->serverUrl().toString(),
                           m_session->tokenInKeychain());
        const client::ConnectionSecurity security = chat->connection()->connectionSecurity();
        const auto pin = m_trusted->pin(chat->connection()->serverUrl());
        const auto problem = chat->connection()->certificateProblem();
        const bool changed = problem && problem->kind == client::CertificateProblem::Kind::Changed;
        const QSslCertificate shown = security.encrypted ? security.certificate
                                      : pin              ? pin->certificate
                                                         : QSslCertificate();
        dialog->setConnection(chat->connection()->serverUrl(), shown, security.protocol,
                              pin ? pin->firstSeen : QDateTime(), changed);
        connect(dialog, &SettingsDialog::replacePinRequested, this, [this, dialog] {
            const auto refused = m_session ? m_session->client()->connection()->certificateProblem()
                                           : std::optional<client::CertificateProblem>();
            if (!refused)
                return;
            dialog->reject();
            m_problemShown.clear();
            CertificatePrompt::ask(*refused, m_trusted, m_window, {}, {}, true);
        });
    }
    connect(dialog, &SettingsDialog::signOutRequested, this, &AppController::signOut);
    dialog->open();
    if (atHostedServer)
        dialog->focusHostedServer();
}

void AppController::openProfile()
{
    if (!m_session)
        return;
    if (auto *open = m_window->findChild<ProfileDialog *>(); open && open->isVisible()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog = new ProfileDialog(m_session, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void AppController::updateHideOnClose()
{
    m_window->setHideOnClose(m_settings->closeToTray() && m_tray->trayAvailable());
    m_window->setTrayAvailable(m_tray->trayAvailable());
}

void AppController::showWindow()
{
    // Restores a minimised window but keeps a maximised one maximised.
    m_window->setWindowState((m_window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void AppController::quit()
{
    if (m_quitting)
        return;
    m_quitting = true;
    m_window->hide();
    if (m_host->state() == session::ServerHost::State::Stopped) {
        QCoreApplication::quit();
        return;
    }
    // The hosted server gets its clean shutdown (it finishes every commit) before we exit.
    connect(m_host, &session::ServerHost::stopped, qApp, &QCoreApplication::quit);
    connect(m_host, &session::ServerHost::failed, qApp, &QCoreApplication::quit);
    m_host->stop();
}

} // namespace tern::app::ui
