#include "RateLimiter.h"

namespace tern::server::auth {

RateLimiter::RateLimiter(int maxFailures, qint64 windowMs, int maxKeys)
    : m_maxFailures(maxFailures), m_windowMs(windowMs), m_maxKeys(maxKeys)
{}

bool RateLimiter::isLimited(const QString &key, qint64 nowMs)
{
    auto it = m_failures.find(key);
    if (it == m_failures.end())
        return false;
    QVector<qint64> &times = it.value();
    while (!times.isEmpty() && times.first() <= nowMs - m_windowMs)
        times.removeFirst();
    if (times.isEmpty()) {
        m_failures.erase(it);
        return false;
    }
    return times.size() >= m_maxFailures;
}

void RateLimiter::recordFailure(const QString &key, qint64 nowMs)
{
    if (m_failures.size() >= m_maxKeys)
        prune(nowMs);
    QVector<qint64> &times = m_failures[key];
    times.append(nowMs);
    // Only the newest maxFailures timestamps matter for the decision.
    while (times.size() > m_maxFailures)
        times.removeFirst();
}

void RateLimiter::forget(const QString &key, qint64 stampMs)
{
    auto it = m_failures.find(key);
    if (it == m_failures.end())
        return;
    const qsizetype i = it.value().lastIndexOf(stampMs);
    if (i >= 0)
        it.value().remove(i);
    if (it.value().isEmpty())
        m_failures.erase(it);
}

void RateLimiter::prune(qint64 nowMs)
{
    for (auto it = m_failures.begin(); it != m_failures.end();) {
        if (it.value().isEmpty() || it.value().last() <= nowMs - m_windowMs)
            it = m_failures.erase(it);
        else
            ++it;
    }
    // Still full of fresh keys (an attack from many addresses): forget the lot rather than
    // grow without bound; the per-account limit still holds for the next attempts.
    if (m_failures.size() >= m_maxKeys)
        m_failures.clear();
}

} // namespace tern::server::auth
