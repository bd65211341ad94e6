#pragma once

// Who is online. A user is online while any of their links is authenticated and has been active
// in the last `expiryMs`; offline at once when their last link closes. Changes are announced
// through statusChanged(), coalesced: at most one announcement per user per `minIntervalMs`,
// and none at all when the status flipped back before it was due (a flapping connection does
// not flood a 500-member group). Lives on the socket thread.

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>

namespace tern::server::routing {

class PresenceTracker : public QObject
{
    Q_OBJECT
public:
    //! `lastActivity` gives a link's last activity time (ms), or -1 when the link is gone.
    PresenceTracker(std::function<qint64(quint64)> lastActivity, QObject *parent = nullptr);

    void linkAuthenticated(const QString &userId, quint64 linkId);
    void linkGone(const QString &userId, quint64 linkId);
    //! A frame arrived on an authenticated link (cheap; called for every frame).
    void activity(const QString &userId);

    bool isOnline(const QString &userId) const;

    void setExpiryMs(int ms) { m_expiryMs = ms; }
    void setMinIntervalMs(int ms) { m_minIntervalMs = ms; }

signals:
    //! Announce `userId`'s status to those who share a conversation with them.
    void statusChanged(const QString &userId, bool online, qint64 lastSeenMs);
    //! Persist the time a user was last seen (when they go offline).
    void lastSeenChanged(const QString &userId, qint64 lastSeenMs);

private:
    struct UserState
    {
        QSet<quint64> links;
        bool online = false;
        bool announcedOnline = false;
        bool everAnnounced = false;
        qint64 lastAnnouncedMs = 0;
        qint64 lastSeenMs = 0;
    };
    void evaluate(const QString &userId, UserState &state, qint64 now);
    void tick();

    std::function<qint64(quint64)> m_lastActivity;
    QHash<QString, UserState> m_users;
    QTimer m_timer;
    int m_expiryMs = 10'000;
    int m_minIntervalMs = 2'000;
};

} // namespace tern::server::routing
