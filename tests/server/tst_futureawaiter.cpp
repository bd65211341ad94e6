// FutureAwaiter: the awaiter ternd's hot path uses instead of QCoro's QFutureWatcher-based one.
// It must resume on the context's thread whichever thread finished the future, hand over the
// result, not suspend for a finished future, and never resume once the context is gone.

#include "server/routing/FutureAwaiter.h"

#include <QCoroTask>
#include <QPromise>
#include <QTest>
#include <QThread>

#include <memory>
#include <thread>

using tern::server::routing::resumedOn;

namespace {

struct Observed
{
    bool resumed = false;
    int value = 0;
    QThread *thread = nullptr;
};

QCoro::Task<> awaitValue(QObject *context, QFuture<int> future, std::shared_ptr<Observed> seen)
{
    const int value = co_await resumedOn(context, std::move(future));
    seen->resumed = true;
    seen->value = value;
    seen->thread = QThread::currentThread();
}

} // namespace

class TestFutureAwaiter : public QObject
{
    Q_OBJECT
private slots:
    void resumesOnTheContextThreadWithTheResult()
    {
        QObject context;
        QPromise<int> promise;
        promise.start();
        auto seen = std::make_shared<Observed>();
        awaitValue(&context, promise.future(), seen);
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
    }

    void finishedFutureDoesNotSuspend()
    {
        QObject context;
        auto seen = std::make_shared<Observed>();
        awaitValue(&context, QtFuture::makeReadyFuture(7), seen);
        QVERIFY(seen->resumed);
        QCOMPARE(seen->value, 7);
    }

    void goneContextIsNeverResumed()
    {
        auto context = std::make_unique<QObject>();
        QPromise<int> promise;
        promise.start();
        auto seen = std::make_shared<Observed>();
        awaitValue(context.get(), promise.future(), seen);
        context.reset();
        promise.addResult(1);
        promise.finish();
        QTest::qWait(100);
        QVERIFY(!seen->resumed);
    }
};

QTEST_GUILESS_MAIN(TestFutureAwaiter)
#include "tst_futureawaiter.moc"
