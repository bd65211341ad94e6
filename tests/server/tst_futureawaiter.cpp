// FutureAwaiter: the awaiter ternd's hot path uses instead of QCoro's QFutureWatcher-based one.
// It must resume on the awaiting thread whichever thread finished the future, hand over the
// result, not suspend for a finished future, and still resume when the object that awaited is
// gone (ternd's SIGTERM destroys the Router with store writes in flight; an earlier version
// used that object as Qt's continuation context and hit Qt's "context" assertion), and never
// resume inside await_suspend when the future finishes between await_ready and await_suspend
// (the race behind ternd's hang under group fan-out, issue 15).

#include "server/routing/FutureAwaiter.h"

#include <QCoroTask>
#include <QPointer>
#include <QPromise>
#include <QTest>
#include <QThread>

#include <memory>
#include <thread>

using tern::server::routing::FutureAwaiter;
using tern::server::routing::resumedHere;

namespace {

struct Observed
{
    bool resumed = false;
    bool ownerAlive = false;
    int value = 0;
    QThread *thread = nullptr;
};

QCoro::Task<> awaitValue(QObject *owner, QFuture<int> future, std::shared_ptr<Observed> seen)
{
    QPointer<QObject> self(owner);
    const int value = co_await resumedHere(std::move(future));
    seen->resumed = true;
    seen->ownerAlive = !self.isNull();
    seen->value = value;
    seen->thread = QThread::currentThread();
}

//! A bare coroutine the test owns: it can stay suspended after the await under test, so its frame
//! outlives await_suspend whatever the awaiter does, and the test destroys it.
struct OwnedCoroutine
{
    struct promise_type
    {
        OwnedCoroutine get_return_object()
        {
            return {std::coroutine_handle<promise_type>::from_promise(*this)};
        }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() {}
        void unhandled_exception() { std::terminate(); }
    };
    std::coroutine_handle<promise_type> handle;
};

//! Finishes the promise after await_ready() said "not yet" and before await_suspend(): the
//! storage thread winning the race against the socket thread.
struct FinishedInBetween
{
    FutureAwaiter<int> inner;
    QPromise<int> &promise;
    bool insideSuspend = false;
    bool resumedInsideSuspend = false;

    bool await_ready()
    {
        const bool ready = inner.await_ready();
        promise.addResult(9);
        promise.finish();
        return ready;
    }
    void await_suspend(std::coroutine_handle<> awaiting)
    {
        insideSuspend = true;
        inner.await_suspend(awaiting);
        insideSuspend = false;
    }
    int await_resume()
    {
        resumedInsideSuspend = insideSuspend;
        return inner.await_resume();
    }
};

struct Parked
{
    bool await_ready() const { return false; }
    void await_suspend(std::coroutine_handle<>) const {}
    void await_resume() const {}
};

OwnedCoroutine awaitRace(FinishedInBetween &race, std::shared_ptr<Observed> seen)
{
    seen->value = co_await race;
    seen->resumed = true;
    co_await Parked{};
}

} // namespace

class TestFutureAwaiter : public QObject
{
    Q_OBJECT
private slots:
    void resumesOnTheAwaitingThreadWithTheResult()
    {
        QObject owner;
        QPromise<int> promise;
        promise.start();
        auto seen = std::make_shared<Observed>();
        awaitValue(&owner, promise.future(), seen);
        QVERIFY(!seen->resumed);
        std::thread worker([&promise] {
            promise.addResult(42);
            promise.finish();
        });
        worker.join();
        QVERIFY(!seen->resumed); // a queued call, not a resume on the worker thread
        QTRY_VERIFY_WITH_TIMEOUT(seen->resumed, 5000);
        QCOMPARE(seen->value, 42);
        QCOMPARE(seen->thread, QThread::currentThread());
        QVERIFY(seen->ownerAlive);
    }

    void finishedFutureDoesNotSuspend()
    {
        QObject owner;
        auto seen = std::make_shared<Observed>();
        awaitValue(&owner, QtFuture::makeReadyFuture(7), seen);
        QVERIFY(seen->resumed);
        QCOMPARE(seen->value, 7);
    }

    void resumesAfterTheAwaitingObjectIsGone()
    {
        auto owner = std::make_unique<QObject>();
        QPromise<int> promise;
        promise.start();
        auto seen = std::make_shared<Observed>();
        awaitValue(owner.get(), promise.future(), seen);
        owner.reset();
        std::thread worker([&promise] {
            promise.addResult(1);
            promise.finish();
        });
        worker.join();
        QTRY_VERIFY_WITH_TIMEOUT(seen->resumed, 5000);
        QVERIFY(!seen->ownerAlive);
    }

    void futureFinishingBeforeSuspendResumesFromTheEventLoop()
    {
        QPromise<int> promise;
        promise.start();
        FinishedInBetween race{resumedHere(promise.future()), promise};
        auto seen = std::make_shared<Observed>();
        OwnedCoroutine coroutine = awaitRace(race, seen);
        // Resumed inside then(), the coroutine would destroy the awaiter (and with it the future
        // Qt is still using) before then() returns.
        QVERIFY(!race.resumedInsideSuspend);
        QVERIFY(!seen->resumed);
        QTRY_VERIFY_WITH_TIMEOUT(seen->resumed, 5000);
        QCOMPARE(seen->value, 9);
        QVERIFY(!race.resumedInsideSuspend);
        coroutine.handle.destroy();
    }
};

QTEST_GUILESS_MAIN(TestFutureAwaiter)
#include "tst_futureawaiter.moc"
