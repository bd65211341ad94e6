#pragma once

//! Preferences: behaviour (tray, start at login, notification previews), language, account,
//! the connection (encrypted or not, the server's fingerprint).

#include <QDateTime>
#include <QDialog>
#include <QSslCertificate>
#include <QUrl>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QPushButton;

namespace tern::app::session {
class AppSettings;
}

namespace tern::app::ui {

class ConnectionSecurityLabel;
class FingerprintView;

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(session::AppSettings *settings, QWidget *parent = nullptr);
    //! Shown in the account section ("Signed in as … on …").
    void setAccount(const QString &who, const QString &server, bool tokenInKeychain);
    //! The server hosted on this computer: where colleagues reach it ("" hides the section).
    void setHostedServer(const QString &text);
    //! The "Connection" section: the server, whether it is encrypted (`protocol`: "TLSv1.3"),
    //! its certificate's fingerprint and since when it is pinned (invalid: not pinned, e.g.
    //! CA-trusted). `canReplace`: the server presented another certificate than the pinned
    //! one, so "Replace the pinned certificate…" has something to replace it with.
    void setConnection(const QUrl &server, const QSslCertificate &certificate,
                       const QString &protocol, const QDateTime &pinnedSince, bool canReplace);
    //! Shows the hosted-server section (saying so when there is none) and focuses its text.
    void focusHostedServer();
    //! Languages offered besides "System": locale name → native name.
    static QList<QPair<QString, QString>> languages();

signals:
    void signOutRequested();
    //! "Replace the pinned certificate…": the caller shows the changed-identity dialog.
    void replacePinRequested();
    //! The language changed; it applies after a restart.
    void languageChanged(const QString &language);

private:
    void apply();

    session::AppSettings *m_settings;
    QCheckBox *m_closeToTray;
    QCheckBox *m_startAtLogin;
    QCheckBox *m_hidePreviews;
    QComboBox *m_language;
    QLabel *m_account;
    QLabel *m_tokenWarning;
    QPushButton *m_signOut;
    QGroupBox *m_connectionBox;
    QLabel *m_connectionServer;
    ConnectionSecurityLabel *m_security;
    FingerprintView *m_fingerprint;
    QLabel *m_pinnedSince;
    QPushButton *m_replacePin;
    QGroupBox *m_hostedBox;
    QLabel *m_hosted;
};

} // namespace tern::app::ui
