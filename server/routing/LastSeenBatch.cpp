#include "LastSeenBatch.h"

namespace tern::server::routing {

LastSeenBatch::LastSeenBatch(store::Store &store, QObject *parent) : QObject(parent), m_store(store)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kFlushDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &LastSeenBatch::flush);
}

LastSeenBatch::~LastSeenBatch()
{
    // The store outlives routing and commits what is queued before it closes.
    flush();
}

void LastSeenBatch::record(const QString &userId, qint64 lastSeenMs)
{
    m_pending.insert(userId, lastSeenMs);
    if (!m_timer.isActive())
        m_timer.start();
}

std::optional<qint64> LastSeenBatch::pending(const QString &userId) const
{
    const auto it = m_pending.constFind(userId);
    if (it == m_pending.constEnd())
        return std::nullopt;
    return *it;
}

void LastSeenBatch::flush()
{
    m_timer.stop();
    if (m_pending.isEmpty())
        return;
    // Failures are logged by the store; the next offline writes the user's newer time anyway.
    m_store.setLastSeen(std::exchange(m_pending, {}));
}

} // namespace tern::server::routing
