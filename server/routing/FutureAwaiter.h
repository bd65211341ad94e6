#pragma once

// co_await for a QFuture that resumes the coroutine on the thread that awaits, with one queued
// call. QCoro's own QFuture awaiter makes a QFutureWatcher per await (a QObject, three
// cross-thread callout events and a deleteLater): about a tenth of the socket thread at 10,000
// messages/s. The queued call goes to the thread's event dispatcher, which outlives every object
// on the thread, so the coroutine is always resumed, like with QCoro; it must check that the
// objects it uses are still there (Router's coroutines re-check `QPointer self`).

#include <QAbstractEventDispatcher>
#include <QFuture>

#include <coroutine>

namespace tern::server::routing {

template <typename T> class FutureAwaiter
{
public:
    explicit FutureAwaiter(QFuture<T> future) : m_future(std::move(future)) {}

    bool await_ready() const { return m_future.isFinished(); }
    void await_suspend(std::coroutine_handle<> awaiting)
    {
        // Not the awaiting object as the context: Qt asserts that a continuation's context is
        // alive when the future finishes, and a Router may be destroyed with writes in flight.
        m_future.then(QAbstractEventDispatcher::instance(),
                      [awaiting](const QFuture<T> &) { awaiting.resume(); });
    }
    T await_resume() { return m_future.result(); }

private:
    QFuture<T> m_future;
};

//! `co_await resumedHere(future)`: the result, back on the awaiting thread.
template <typename T> FutureAwaiter<T> resumedHere(QFuture<T> future)
{
    return FutureAwaiter<T>(std::move(future));
}

} // namespace tern::server::routing
