#pragma once

//! One running app per profile: a lock file in the profile and a local socket on which a second
//! launch asks the running app to show its window.
//
// The lock is a QLockFile (`<profile>/tern.lock`) that a crashed app leaves behind harmlessly:
// a lock whose process is gone is stale and taken over. The socket's name is derived from the
// profile's path (a hash, short enough for a Unix socket path) and only this user can connect.

#include <QObject>
#include <QString>

#include <memory>

class QLocalServer;
class QLockFile;

namespace tern::app::session {

class ProfileLock : public QObject
{
    Q_OBJECT
public:
    explicit ProfileLock(QString profileDir, QObject *parent = nullptr);
    ~ProfileLock() override;

    //! True when this process now owns the profile (and listens for second launches).
    bool acquire();
    //! From a second launch (before any window, so a bounded wait is fine): asks the owner to
    //! show its window; false when nobody confirmed within `timeoutMs`.
    static bool activateRunning(const QString &profileDir, int timeoutMs = 5'000);
    static QString lockFilePath(const QString &profileDir);
    static QString serverName(const QString &profileDir);

signals:
    //! A second launch on this profile wants the window shown.
    void activationRequested();

private:
    void onConnection();

    QString m_profileDir;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer *m_server = nullptr;
};

} // namespace tern::app::session
