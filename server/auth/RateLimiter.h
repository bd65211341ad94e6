#pragma once

// Sliding-window counter of failures per key ("account:alice", "addr:10.0.0.5"), bounded in
// memory. Used on the socket thread only.

#include <QHash>
#include <QString>
#include <QVector>

namespace tern::server::auth {

class RateLimiter
{
public:
    RateLimiter(int maxFailures, qint64 windowMs, int maxKeys = 100'000);

    //! True when `key` has reached the limit inside the window at `nowMs`.
    bool isLimited(const QString &key, qint64 nowMs);
    void recordFailure(const QString &key, qint64 nowMs);
    //! Takes back the failure recorded at `stampMs` (an attempt counted when it started that
    //! turned out well); nothing when it has already aged out.
    void forget(const QString &key, qint64 stampMs);

private:
    void prune(qint64 nowMs);

    int m_maxFailures;
    qint64 m_windowMs;
    int m_maxKeys;
    QHash<QString, QVector<qint64>> m_failures;
};

} // namespace tern::server::auth
