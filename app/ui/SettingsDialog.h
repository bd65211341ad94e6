#pragma once

//! Preferences: behaviour (tray, start at login, notification previews), language, account.

#include <QDialog>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QPushButton;

namespace tern::app::session {
class AppSettings;
}

namespace tern::app::ui {

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(session::AppSettings *settings, QWidget *parent = nullptr);
    //! Shown in the account section ("Signed in as … on …").
    void setAccount(const QString &who, const QString &server, bool tokenInKeychain);
    //! The server hosted on this computer: where colleagues reach it ("" hides the section).
    void setHostedServer(const QString &text);
    //! Shows the hosted-server section (saying so when there is none) and focuses its text.
    void focusHostedServer();
    //! Languages offered besides "System": locale name → native name.
    static QList<QPair<QString, QString>> languages();

signals:
    void signOutRequested();
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
    QGroupBox *m_hostedBox;
    QLabel *m_hosted;
};

} // namespace tern::app::ui
