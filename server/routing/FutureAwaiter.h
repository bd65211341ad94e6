#pragma once

// co_await for a QFuture that resumes the coroutine on the thread that awaits, with one queued
// call. QCoro's own QFuture awaiter makes a QFutureWatcher per await (a QObject, three
// cross-thread callout events and a deleteLater): about a tenth of the socket thread at 10,000
// messages/s. The queued call goes to the thread's event dispatcher, which outlives every object
// on the thread, so the coroutine is always resumed, like with QCoro; it must check that the
// objects it uses are still there (Router's coroutines re-check `QPointer self`).

#include <QAbstractEventDispatcher>
#include <QFuture>
#include <QMetaObject>
#include <QPointer>

#include <coroutine>

namespace tern::server::routing {

template <typename T> class FutureAwaiter
{
public:
    explicit FutureAwaiter(QFuture<T> future) : m_future(std::move(future)) {}

    bool await_ready() const { return m_future.isFinished(); }
    void await_suspend(std::coroutine_handle<> awaiting)
    {
        // Always a queued call, never a resume from inside this function. The future may finish
        // between await_ready() and here (the storage thread wins the race, which group fan-out
        // made likely); Qt then runs the continuation inside `then()`, and a context-bound
        // continuation whose context lives on this thread is invoked directly: the coroutine
        // resumed inside `then()`, destroyed this awaiter and its future, and Qt's
        // setContinuation() went on to re-lock the freed future's mutex (ternd hung for good;
        // issue 15). A Sync continuation only posts, on whichever thread finishes the future.
        // The dispatcher, not the awaiting object, receives the call: it outlives every object
        // on its thread, and a Router may be destroyed with writes in flight.
        QPointer<QAbstractEventDispatcher> dispatcher = QAbstractEventDispatcher::instance();
        m_future.then(QtFuture::Launch::Sync, [dispatcher, awaiting](const QFuture<T> &) {
            if (dispatcher)
                QMetaObject::invokeMethod(
                    dispatcher.get(), [awaiting] { awaiting.resume(); }, Qt::QueuedConnection);
        });
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
