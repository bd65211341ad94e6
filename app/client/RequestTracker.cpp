#include "RequestTracker.h"

#include <QDeadlineTimer>

namespace tern::app::client {

namespace {
qint64 monotonicMs()
{
    return QDeadlineTimer::current().deadline();
}

QFuture<RequestTracker::Reply> completed(RequestTracker::Reply reply)
{
    QPromise<RequestTracker::Reply> promise;
    QFuture<RequestTracker::Reply> future = promise.future();
    promise.start();
    promise.addResult(std::move(reply));
    promise.finish();
    return future;
}

void complete(QPromise<RequestTracker::Reply> &promise, RequestTracker::Reply reply)
{
    promise.addResult(std::move(reply));
    promise.finish();
}
} // namespace

RequestTracker::RequestTracker(QObject *parent) : QObject(parent)
{
    // One coarse sweep instead of a timer per request: timeouts need no precision.
    m_sweep.setInterval(250);
    connect(&m_sweep, &QTimer::timeout, this, &RequestTracker::sweep);
}

RequestTracker::~RequestTracker()
{
    failAll(transportError(TransportFailure::Cancelled, QStringLiteral("client destroyed")));
}

QFuture<RequestTracker::Reply> RequestTracker::track(const QString &id)
{
    if (m_pending.contains(id))
        return completed(Error{ErrorCode::Conflict, QStringLiteral("request id already pending")});
    Pending pending{std::make_shared<QPromise<Reply>>(), monotonicMs() + m_timeoutMs};
    pending.promise->start();
    QFuture<Reply> future = pending.promise->future();
    m_pending.insert(id, pending);
    if (!m_sweep.isActive())
        m_sweep.start();
    return future;
}

bool RequestTracker::resolve(const QString &id, Reply reply)
{
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return false;
    const std::shared_ptr<QPromise<Reply>> promise = it->promise;
    m_pending.erase(it);
    complete(*promise, std::move(reply));
    if (m_pending.isEmpty())
        m_sweep.stop();
    return true;
}

void RequestTracker::failAll(const Error &error)
{
    // Swap first: completing a promise may (later) start new requests.
    QHash<QString, Pending> pending;
    pending.swap(m_pending);
    m_sweep.stop();
    for (Pending &p : pending)
        complete(*p.promise, error);
}

void RequestTracker::sweep()
{
    const qint64 now = monotonicMs();
    QStringList expired;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        if (it->deadline <= now)
            expired << it.key();
    }
    for (const QString &id : expired)
        resolve(id, transportError(TransportFailure::Timeout, QStringLiteral("no reply in time")));
}

} // namespace tern::app::client
