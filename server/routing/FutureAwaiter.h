#pragma once

// co_await for a QFuture that resumes the coroutine on a context object's thread with one queued
// call. QCoro's own QFuture awaiter makes a QFutureWatcher per await (a QObject, three
// cross-thread callout events and a deleteLater): about a tenth of the socket thread at 10,000
// messages/s. If the context object is gone before the future finishes, the coroutine is never
// resumed, so nothing runs against a dead object; its frame is then not freed (this happens
// only when ternd shuts down with writes in flight).

#include <QFuture>
#include <QObject>

#include <coroutine>

namespace tern::server::routing {

template <typename T> class FutureAwaiter
{
public:
    FutureAwaiter(QFuture<T> future, QObject *context)
        : m_future(std::move(future)), m_context(context)
    {}

    bool await_ready() const { return m_future.isFinished(); }
    void await_suspend(std::coroutine_handle<> awaiting)
    {
        m_future.then(m_context, [awaiting](const QFuture<T> &) { awaiting.resume(); });
    }
    T await_resume() { return m_future.result(); }

private:
    QFuture<T> m_future;
    QObject *m_context;
};

//! `co_await resumedOn(this, future)`: the result, on `context`'s thread.
template <typename T> FutureAwaiter<T> resumedOn(QObject *context, QFuture<T> future)
{
    return FutureAwaiter<T>(std::move(future), context);
}

} // namespace tern::server::routing
