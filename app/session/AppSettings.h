#pragma once

//! The app's own preferences (not per account): stored in `<profile>/tern.ini`.
//
// A profile is a directory holding everything of one app instance: this file, the account
// caches and the bundled server's data. The default is the platform's app-data folder; tests
// and a second instance pass `--profile DIR`. QSettings with an ini file writes in the
// background (sync on destruction), so setters never block on disk.

#include <QObject>
#include <QSettings>
#include <QString>
#include <QStringList>

namespace tern::app::session {

class AppSettings : public QObject
{
    Q_OBJECT
public:
    explicit AppSettings(const QString &profileDir, QObject *parent = nullptr);

    QString profileDir() const { return m_profileDir; }
    //! Creates `dir` if needed and makes it the owner's only (0700 on Unix): a profile holds the
    //! account caches (with the session token when there is no keychain) and the pinned
    //! certificates, which other users of the computer must neither read nor change. A
    //! group- or world-accessible profile left by an older version is tightened. False when the
    //! folder cannot be made.
    static bool makePrivateDir(const QString &dir);
    //! `<profile>/accounts`: one cache file per account.
    QString accountsDir() const;
    //! `<profile>/server`: the bundled ternd's data.
    QString hostedServerDir() const;

    //! Closing the window keeps Tern running in the tray (default on).
    bool closeToTray() const;
    void setCloseToTray(bool on);
    //! Without a tray, the user was asked once what closing the window does (closeToTray).
    bool closeAsked() const;
    void setCloseAsked(bool asked);
    //! Notifications show sender only, no message text.
    bool hidePreviews() const;
    void setHidePreviews(bool on);
    //! Start Tern at login (an XDG autostart entry on Linux).
    bool startAtLogin() const;
    void setStartAtLogin(bool on);
    //! "" follows the system language; else a locale name such as "de".
    QString language() const;
    void setLanguage(const QString &language);

    //! The account opened last (its cache file name under accountsDir()); "" when none.
    QString lastAccount() const;
    void setLastAccount(const QString &account);
    //! The server the connect screen used last.
    QString lastServerUrl() const;
    void setLastServerUrl(const QString &url);
    //! Whether the bundled server was hosted last time (restart it on launch).
    bool hostingServer() const;
    void setHostingServer(bool on);

    //! The quiet "sign-in kept in the data folder (no keychain)" note was shown once already.
    bool keychainNoticeShown() const;
    void setKeychainNoticeShown(bool shown);

    //! The emoji picker's recently used emoji, newest first.
    QStringList recentEmoji() const;
    void setRecentEmoji(const QStringList &emoji);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray splitterState() const;
    void setSplitterState(const QByteArray &state);

signals:
    void changed();

private:
    void write(const QString &key, const QVariant &value);

    QString m_profileDir;
    QSettings m_settings;
};

} // namespace tern::app::session
