#include "PresenceTracker.h"

#include "shared/core/Clock.h"

namespace tern::server::routing {

namespace {
constexpr int kTickMs = 250;
}

PresenceTracker::PresenceTracker(std::function<qint64(quint64)> lastActivity, QObject *parent)
    : QObject(parent), m_lastActivity(std::move(lastActivity))
{
    m_timer.setInterval(kTickMs);
    connect(&m_timer, &QTimer::timeout, this, &PresenceTracker::tick);
    m_timer.start();
}

void PresenceTracker::linkAuthenticated(const QString &userId, quint64 linkId)
{
    UserState &state = m_users[userId];
    state.links.insert(linkId);
    evaluate(userId, state, nowMs());
}

void PresenceTracker::linkGone(const QString &userId, quint64 linkId)
{
    auto it = m_users.find(userId);
    if (it == m_users.end())
        return;
    it->links.remove(linkId);
    evaluate(userId, *it, nowMs());
}

void PresenceTracker::activity(const QString &userId)
{
    auto it = m_users.find(userId);
    if (it != m_users.end() && !it->online)
        evaluate(userId, *it, nowMs());
}

bool PresenceTracker::isOnline(const QString &userId) const
{
    const auto it = m_users.constFind(userId);
    return it != m_users.constEnd() && it->online;
}

void PresenceTracker::evaluate(const QString &userId, UserState &state, qint64 now)
{
    qint64 newest = -1;
    for (quint64 link : std::as_const(state.links))
        newest = std::max(newest, m_lastActivity(link));
    const bool online = newest >= 0 && newest > now - m_expiryMs;
    if (online != state.online) {
        state.online = online;
        if (!online) {
            // Last seen = the last sign of life, not the moment we noticed it was gone.
            state.lastSeenMs = state.links.isEmpty() ? now : std::max<qint64>(newest, 0);
            emit lastSeenChanged(userId, state.lastSeenMs);
        }
    }
    const bool due = !state.everAnnounced || now - state.lastAnnouncedMs >= m_minIntervalMs;
    if (due && (state.online != state.announcedOnline || !state.everAnnounced)) {
        if (state.everAnnounced || state.online) {
            state.announcedOnline = state.online;
            state.everAnnounced = true;
            state.lastAnnouncedMs = now;
            emit statusChanged(userId, state.online, state.lastSeenMs);
        }
    }
}

void PresenceTracker::tick()
{
    const qint64 now = nowMs();
    for (auto it = m_users.begin(); it != m_users.end();) {
        evaluate(it.key(), it.value(), now);
        const UserState &s = it.value();
        // Forget users with nothing left to track or announce.
        if (s.links.isEmpty() && !s.online && s.announcedOnline == s.online &&
            now - s.lastAnnouncedMs >= m_minIntervalMs)
            it = m_users.erase(it);
        else
            ++it;
    }
}

} // namespace tern::server::routing
