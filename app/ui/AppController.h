#pragma once

//! Runs the app: the window, the tray, the bundled server and the signed-in account, and the
//! flows between them (first run, sign-in, resume, sign-out, hosting, quitting).
//
// Everything one app instance has lives under its profile directory (AppSettings), so tests
// and a second instance on one machine run side by side with `--profile`.

#include "shared/core/Result.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <qcoro/qcorotask.h>

#include <memory>

namespace tern::app::client {
struct CertificateProblem;
class ServerDiscovery;
class TrustedServers;
} // namespace tern::app::client
namespace tern::app::session {
class AccountSession;
class AppSettings;
class ServerHost;
class TokenVault;
} // namespace tern::app::session

namespace tern::app::ui {

class MainWindow;
class TrayNotifier;

struct AppOptions
{
    QString profileDir;
    //! Start hidden in the tray (the autostart entry passes --minimized).
    bool minimized = false;
    //! Port of a hosted server (0 = any free port: tests).
    quint16 hostPort = 7070;
    //! Announce a hosted server on the LAN; tests turn it off (they must not broadcast).
    bool hostAnnounce = true;
    //! Listen for LAN beacons on the connect screen.
    bool discovery = true;
    //! Extra ternd arguments for a hosted server (tests: a cheap password cost).
    QStringList hostArguments;
};

class AppController : public QObject
{
    Q_OBJECT
public:
    explicit AppController(AppOptions options, QObject *parent = nullptr);
    ~AppController() override;

    //! Shows the window (unless minimized); resumes the last account or shows the connect
    //! screen; restarts the hosted server if it ran last time.
    void start();
    //! Signs in (registering first when `displayName` is set); on success the main window shows
    //! the account. The connect screen's buttons end here.
    [[nodiscard]] QCoro::Task<Status> signIn(QUrl server, QString user, QString password,
                                             QString deviceName, QString displayName = {});
    //! Shows, raises and activates the window (the tray, a second launch on this profile).
    void showWindow();
    //! Stops a hosted server (cleanly) and quits the app.
    void quit();

    MainWindow *window() const { return m_window; }
    session::AccountSession *session() const;
    session::AppSettings *settings() const { return m_settings; }
    session::ServerHost *host() const { return m_host; }
    client::TrustedServers *trustedServers() const { return m_trusted; }
    TrayNotifier *tray() const { return m_tray; }

    //! Installs the app's (and Qt's) translations for `language` ("" = the system's).
    static void installTranslations(const QString &language);
    //! A user-facing sentence for a failed sign-in.
    static QString signInErrorText(const Error &error, const QUrl &server);

signals:
    //! The main window shows an account (after sign-in or resume).
    void signedIn();
    void signedOut();

private:
    void showConnect(const QString &error = {});
    void useSession(session::AccountSession *session);
    void watchTokenStorage(session::AccountSession *account);
    void hostServer();
    void signOut();
    void newChat();
    void newGroup();
    //! Opens Settings; `atHostedServer`: with its hosted-server section shown and focused.
    void openSettings(bool atHostedServer = false);
    //! The profile card of the signed-in account (one at a time).
    void openProfile();
    //! Where colleagues reach the hosted server (its LAN addresses), for the hint and Settings.
    QString hostedServerText() const;
    void updateHideOnClose();
    //! Signed in: the server's certificate was refused (asked or warned once per problem).
    void onCertificateRefused(const client::CertificateProblem &problem);
    //! Pins the hosted server's certificate (no question: it is our own file).
    void pinHostedServer();
    QCoro::Task<> resumeLast();
    QCoro::Task<> signOutNow();

    AppOptions m_options;
    session::AppSettings *m_settings;
    session::TokenVault *m_vault;
    session::ServerHost *m_host;
    client::TrustedServers *m_trusted;
    client::ServerDiscovery *m_discovery;
    MainWindow *m_window;
    TrayNotifier *m_tray;
    QPointer<session::AccountSession> m_session;
    bool m_quitting = false;
    bool m_hostRequestedNow = false;
    QByteArray m_problemShown; // server + presented digest of the certificate dialog shown last
};

} // namespace tern::app::ui
