#include "HashQueue.h"

#include <QThread>

namespace tern::server::auth {

HashQueue::HashQueue(int maxQueued, qint64 maxWaitMs, qint64 expectedJobMs)
    : m_maxQueued(maxQueued), m_maxWaitMs(maxWaitMs), m_state(std::make_shared<State>())
{
    m_state->averageMs.store(expectedJobMs);
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
    m_pool.setObjectName(QStringLiteral("password hashing"));
}

HashQueue::~HashQueue()
{
    // Queued jobs then end at once; shutdown waits only for the hashes already running.
    m_state->stopping.store(true);
}

void HashQueue::State::timed(qint64 ms)
{
    // A moving average is enough to estimate the wait; races between pool threads only blur it.
    const qint64 before = averageMs.load(std::memory_order_relaxed);
    averageMs.store((before * 7 + ms) / 8, std::memory_order_relaxed);
}

HashQueue::Ticket HashQueue::reserve()
{
    const int queued = m_state->queued.load(std::memory_order_relaxed);
    if (queued >= m_maxQueued)
        return {};
    const qint64 expectedWaitMs = qint64(queued + 1) *
                                  m_state->averageMs.load(std::memory_order_relaxed) /
                                  m_pool.maxThreadCount();
    if (expectedWaitMs > m_maxWaitMs)
        return {};
    // Reserved on the socket thread only; pool threads only give places back, so the check
    // above cannot be raced past the bound.
    m_state->queued.fetch_add(1, std::memory_order_relaxed);
    return Ticket(m_state);
}

} // namespace tern::server::auth
