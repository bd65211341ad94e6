// FutureAwaiter: the awaiter ternd's hot path uses instead of QCoro's QFutureWatcher-based one.
// It must resume on the awaiting thread whichever thread finished the future, hand over the
// result, not suspend for a finished future, and still resume when the object that awaited is
// gone (ternd's SIGTERM destroys the Router with store writes in flight; an earlier version
// used that object as Qt's continuation context and hit Qt's "context" assertion).

#include "server/routing/FutureAwaiter.h"

#include <QCoroTask>
#include <QPointer>
#include <QPromise>
#include <QTest>
#include <QThread>

#include <memory>
#include <thread>

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
};

QTEST_GUILESS_MAIN(TestFutureAwaiter)
#include "tst_futureawaiter.moc"
