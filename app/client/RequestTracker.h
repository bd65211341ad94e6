#pragma once

//! Matches replies to requests: each request id gets a future that completes with the ack's
//! fields, the error, or a timeout/disconnection error.
//
// Threading/lifetime: lives on the client's thread and is only used there. Every future it hands
// out completes exactly once: on resolve(), on its timeout, on failAll(), or in the destructor,
// so no coroutine awaiting one is left suspended forever.

#include "shared/core/Result.h"

#include <QFuture>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPromise>
#include <QTimer>

#include <memory>

namespace tern::app::client {

class RequestTracker : public QObject
{
    Q_OBJECT
public:
    using Reply = Result<QJsonObject>;

    explicit RequestTracker(QObject *parent = nullptr);
    ~RequestTracker() override;

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    int timeoutMs() const { return m_timeoutMs; }

    //! Starts waiting for the reply to `id` (a second track of a pending id fails at once).
    QFuture<Reply> track(const QString &id);
    //! Completes the request `id`; false when nothing waits for it (a late or foreign reply).
    bool resolve(const QString &id, Reply reply);
    //! Completes every pending request with `error` (the connection is gone).
    void failAll(const Error &error);
    bool isPending(const QString &id) const { return m_pending.contains(id); }
    int pendingCount() const { return int(m_pending.size()); }

private:
    struct Pending
    {
        std::shared_ptr<QPromise<Reply>> promise;
        qint64 deadline = 0; // monotonic ms
    };
    void sweep();

    QHash<QString, Pending> m_pending;
    QTimer m_sweep;
    int m_timeoutMs = 15'000;
};

} // namespace tern::app::client
