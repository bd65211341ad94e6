#pragma once

//! The first-run screen: choose a server (found on the LAN, typed, or hosted here), then sign in
//! or create an account. It only emits intents; the caller talks to the server.

#include "app/client/TrustedServers.h"

#include <QPointer>
#include <QSslCertificate>
#include <QUrl>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QStackedWidget;
class QTabBar;

namespace tern::app::client {
class ServerDiscovery;
class ServerProbe;
class TrustedServers;
} // namespace tern::app::client

namespace tern::app::ui {

class ConnectionSecurityLabel;

class ConnectWidget : public QWidget
{
    Q_OBJECT
public:
    //! Welcome: the first launch of a profile only, before choosing a server.
    enum class Page { Welcome, ChooseServer, SignIn };
    Q_ENUM(Page)

    static constexpr int kDefaultPort = 7070;

    //! `discovery` (may be null) fills the list of LAN servers; it is not owned.
    explicit ConnectWidget(client::ServerDiscovery *discovery, QWidget *parent = nullptr);

    //! `host`, `host:port`, `[v6]:port`, `ws://host:port/ws`, `wss://…`, http(s):// → a ws(s)
    //! URL with port 7070 and path /ws when missing; an invalid QUrl when it cannot be one.
    static QUrl normaliseServerAddress(const QString &text);
    //! With a probe (not owned), a typed address is checked before the sign-in page shows.
    void setServerProbe(client::ServerProbe *probe);
    //! The profile's pins (not owned): an untrusted certificate asks TrustServerDialog, a
    //! changed one shows CertificateChangedDialog, before the sign-in page.
    void setTrustedServers(client::TrustedServers *trusted) { m_trusted = trusted; }
    //! A typed address is being checked ("Checking…" shows under the address).
    bool isChecking() const { return !m_checking.isEmpty(); }

    Page page() const;
    //! The server the sign-in page is for.
    QUrl serverUrl() const { return m_server; }
    bool isBusy() const { return m_busy; }
    bool isCreateAccountMode() const { return m_createAccount; }
    //! The inline error of the current page ("" when none is shown).
    QString errorText() const;

public slots:
    //! Disables the inputs and shows "Connecting…" (or undoes that).
    void setBusy(bool busy);
    //! Shows `message` inline on the current page (plain text).
    void showError(const QString &message);
    //! Jumps to the sign-in page for `server`, with an optional hint above the form.
    void showSignIn(const QUrl &server, const QString &hint = QString());
    void showChooseServer();
    //! The first-run page: the logo, one sentence of welcome and a button on to the servers.
    void showWelcome();
    //! Prefills the address field (e.g. the last server used) and the sign-in target.
    void setServerUrl(const QUrl &url);
    //! Sign in (false) or create an account (true) on the sign-in page.
    void setCreateAccountMode(bool on);
    //! The certificate `server` presented (or is pinned with): the sign-in page shows the start
    //! of its fingerprint next to "Encrypted".
    void setServerCertificate(const QUrl &server, const QSslCertificate &certificate);

signals:
    void hostServerRequested();
    //! A server was picked on the first page (the sign-in page is shown next).
    void serverChosen(const QUrl &server);
    void signInRequested(const QUrl &server, const QString &user, const QString &password,
                         const QString &deviceName);
    void registerRequested(const QUrl &server, const QString &user, const QString &password,
                           const QString &displayName, const QString &deviceName);

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildServerPage();
    QWidget *buildSignInPage();
    QWidget *buildWelcomePage();
    void retranslate();
    void refreshServers();
    void connectToTyped();
    void onProbed(const QUrl &server, int outcome, const QString &detail);
    //! Untrusted/Changed: the dialog; once pinned, the same address is checked again.
    void askAboutCertificate(const QUrl &server);
    void setChecking(const QUrl &server);
    void pickListed();
    void submit();
    //! "" when the form may be sent; else the message (and the offending field gets focus).
    QString validateForm();
    void clearErrors();
    void updateSecurity();

    QPointer<client::ServerDiscovery> m_discovery;
    QPointer<client::ServerProbe> m_probe;
    QPointer<client::TrustedServers> m_trusted;
    QUrl m_checking;
    QUrl m_server;
    bool m_busy = false;
    bool m_createAccount = false;

    QStackedWidget *m_pages = nullptr;
    // Page 0: welcome (first run only; the stack's last widget, shown first).
    QWidget *m_welcomePage = nullptr;
    QLabel *m_welcomeTitle = nullptr;
    QLabel *m_welcomeText = nullptr;
    QPushButton *m_welcomeContinue = nullptr;
    // Page 1.
    QLabel *m_serverTitle = nullptr;
    QLabel *m_foundLabel = nullptr;
    QStackedWidget *m_listOrEmpty = nullptr;
    QListWidget *m_serverList = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QLabel *m_addressLabel = nullptr;
    QLineEdit *m_address = nullptr;
    QPushButton *m_connect = nullptr;
    QLabel *m_orLabel = nullptr;
    QPushButton *m_host = nullptr;
    QLabel *m_serverError = nullptr;
    QLabel *m_checkingLabel = nullptr;
    // Page 2.
    QLabel *m_signInTitle = nullptr;
    QLabel *m_serverLine = nullptr;
    ConnectionSecurityLabel *m_security = nullptr;
    QUrl m_certificateServer;
    QSslCertificate m_certificate;
    QLabel *m_hint = nullptr;
    QTabBar *m_mode = nullptr;
    QLabel *m_userLabel = nullptr;
    QLineEdit *m_user = nullptr;
    QLabel *m_displayNameLabel = nullptr;
    QLineEdit *m_displayName = nullptr;
    QLabel *m_passwordLabel = nullptr;
    QLineEdit *m_password = nullptr;
    QLabel *m_confirmLabel = nullptr;
    QLineEdit *m_confirm = nullptr;
    QLabel *m_deviceLabel = nullptr;
    QLineEdit *m_device = nullptr;
    QLabel *m_signInError = nullptr;
    QLabel *m_busyLabel = nullptr;
    QPushButton *m_back = nullptr;
    QPushButton *m_submit = nullptr;
};

} // namespace tern::app::ui
