// ternd's epoll event dispatcher: timers, socket notifiers, posted events from other threads,
// nested loops and reused descriptors, all in a process that runs on it like ternd does.

#include "server/net/EpollDispatcher.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSocketNotifier>
#include <QTest>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace {

struct SocketPair
{
    int fds[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds); }
    ~SocketPair() { closeBoth(); }
    void closeBoth()
    {
        for (int &fd : fds) {
            if (fd >= 0)
                ::close(fd);
            fd = -1;
        }
    }
    void send(const char *bytes) const
    {
        [[maybe_unused]] const ssize_t n = ::write(fds[1], bytes, qstrlen(bytes));
    }
    QByteArray drain() const
    {
        char buffer[256];
        const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        return n > 0 ? QByteArray(buffer, int(n)) : QByteArray();
    }
};

// Runs the event loop until `done` or `ms` pass; true if done.
template <typename Done> bool runUntil(Done done, int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    return done();
}

//! Starts a single-shot timer due in `ms` and turns the loop until it fired: every timer due
//! earlier has had its turn by then.
bool fireLater(int ms)
{
    bool fired = false;
    QTimer later;
    later.setSingleShot(true);
    later.setTimerType(Qt::PreciseTimer);
    QObject::connect(&later, &QTimer::timeout, [&] { fired = true; });
    later.start(ms);
    return runUntil([&] { return fired; }, 2000);
}

//! Makes a fresh socket readable and turns the loop until its notifier ran: a turn that began
//! after everything before the call, with an epoll_wait that reported every ready descriptor.
bool readLater()
{
    SocketPair marker;
    QSocketNotifier notifier(marker.fds[0], QSocketNotifier::Read);
    bool read = false;
    QObject::connect(&notifier, &QSocketNotifier::activated, [&] {
        read = true;
        marker.drain();
    });
    marker.send("m");
    return runUntil([&] { return read; }, 2000);
}

//! Resolved (on this thread) the next time the dispatcher is about to wait in epoll_wait.
std::future<void> whenAboutToBlock()
{
    auto promise = std::make_shared<std::promise<void>>();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(QAbstractEventDispatcher::instance(),
                                   &QAbstractEventDispatcher::aboutToBlock, [promise, connection] {
                                       promise->set_value();
                                       QObject::disconnect(*connection);
                                   });
    return promise->get_future();
}

} // namespace

class TestEpollDispatcher : public QObject
{
    Q_OBJECT
private slots:
    void isInstalled()
    {
        QVERIFY(dynamic_cast<tern::server::net::EpollDispatcher *>(
            QAbstractEventDispatcher::instance()));
    }

    void singleShotTimersFireInDeadlineOrder()
    {
        QList<int> order;
        QElapsedTimer clock;
        clock.start();
        QList<qint64> at;
        for (int ms : {60, 20, 40, 0}) {
            QTimer::singleShot(ms, Qt::PreciseTimer, this, [&, ms] {
                order << ms;
                at << clock.elapsed();
            });
        }
        QVERIFY(runUntil([&] { return order.size() == 4; }, 2000));
        QCOMPARE(order, (QList<int>{0, 20, 40, 60}));
        QVERIFY2(at[3] >= 60, qPrintable(QString::number(at[3])));
    }

    void repeatingTimerKeepsItsCadenceAndStops()
    {
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        timer.setInterval(10);
        int fired = 0;
        QElapsedTimer clock;
        connect(&timer, &QTimer::timeout, this, [&] {
            if (++fired == 5)
                timer.stop();
        });
        clock.start();
        timer.start();
        QVERIFY(runUntil([&] { return fired == 5; }, 2000));
        QVERIFY2(clock.elapsed() >= 50, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(!timer.isActive());
        // Timers fire in deadline order: once one due two intervals later has fired, a stopped
        // timer that still ticked would have shown.
        QVERIFY(fireLater(2 * timer.interval()));
        QCOMPARE(fired, 5);
    }

    void timerStoppedByAnotherHandlerDoesNotFire()
    {
        QTimer first;
        QTimer second;
        for (QTimer *t : {&first, &second}) {
            t->setSingleShot(true);
            t->setTimerType(Qt::PreciseTimer);
        }
        bool secondFired = false;
        bool firstFired = false;
        // Both are due in the same turn; whichever runs first stops the other.
        connect(&first, &QTimer::timeout, this, [&] {
            firstFired = true;
            second.stop();
        });
        connect(&second, &QTimer::timeout, this, [&] {
            secondFired = true;
            first.stop();
        });
        first.start(15);
        second.start(15);
        // Due after both: when it fires, the stopped one would already have run.
        QVERIFY(fireLater(30));
        QVERIFY(firstFired || secondFired);
        QVERIFY(firstFired != secondFired);
    }

    void remainingTimeAndRestart()
    {
        QTimer timer;
        timer.setSingleShot(true);
        timer.start(500);
        const int left = timer.remainingTime();
        QVERIFY2(left > 400 && left <= 500, qPrintable(QString::number(left)));
        bool fired = false;
        connect(&timer, &QTimer::timeout, this, [&] { fired = true; });
        timer.start(10); // the same id again, with a new deadline
        QVERIFY(runUntil([&] { return fired; }, 300));
    }

    void readNotifierFollowsEnabledState()
    {
        SocketPair pair;
        QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
        int activations = 0;
        QByteArray received;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            ++activations;
            received += pair.drain();
        });
        pair.send("one");
        QVERIFY(runUntil([&] { return received == "one"; }, 1000));

        notifier.setEnabled(false);
        const int before = activations;
        pair.send("two");
        // Level-triggered: one epoll_wait reports every ready descriptor, so once a later
        // socket's bytes are handled, a still-registered notifier would have fired too.
        QVERIFY(readLater());
        QCOMPARE(activations, before);

        notifier.setEnabled(true); // level-triggered: the waiting bytes are reported now
        QVERIFY(runUntil([&] { return received == "onetwo"; }, 1000));
    }

    void writeNotifierReportsWritableSocket()
    {
        SocketPair pair;
        QSocketNotifier notifier(pair.fds[1], QSocketNotifier::Write);
        int activations = 0;
        connect(&notifier, &QSocketNotifier::activated, this, [&] {
            ++activations;
            notifier.setEnabled(false); // as a socket does once its buffer is written
        });
        QVERIFY(runUntil([&] { return activations == 1; }, 1000));
        QVERIFY(readLater()); // a turn in which the always-writable socket would show again
        QCOMPARE(activations, 1);
    }

    void readAndWriteNotifiersShareOneDescriptor()
    {
        SocketPair pair;
        QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
        QSocketNotifier writer(pair.fds[0], QSocketNotifier::Write);
        bool wrote = false;
        QByteArray received;
        connect(&writer, &QSocketNotifier::activated, this, [&] {
            wrote = true;
            writer.setEnabled(false);
        });
        connect(&reader, &QSocketNotifier::activated, this, [&] { received += pair.drain(); });
        pair.send("x");
        QVERIFY(runUntil([&] { return wrote && received == "x"; }, 1000));
        // Dropping the writer must leave the reader registered.
        writer.setEnabled(false);
        pair.send("y");
        QVERIFY(runUntil([&] { return received == "xy"; }, 1000));
    }

    void descriptorReusedBeforeTheOldNotifierGoes()
    {
        // A socket closed before its notifier is deleted, and the number handed to a new socket.
        auto old = std::make_unique<SocketPair>();
        auto oldNotifier = std::make_unique<QSocketNotifier>(old->fds[0], QSocketNotifier::Read);
        const int number = old->fds[0];
        ::close(old->fds[0]);
        old->fds[0] = -1;

        SocketPair fresh;
        QCOMPARE(fresh.fds[0], number);
        QSocketNotifier notifier(fresh.fds[0], QSocketNotifier::Read);
        QByteArray received;
        connect(&notifier, &QSocketNotifier::activated, this, [&] { received += fresh.drain(); });
        oldNotifier.reset(); // must not unregister the new socket
        fresh.send("new");
        QVERIFY(runUntil([&] { return received == "new"; }, 1000));
    }

    void postFromAnotherThreadWakesABlockedLoop()
    {
        QEventLoop loop;
        QElapsedTimer clock;
        qint64 wokeAfter = -1;
        std::future<void> blocking = whenAboutToBlock();
        std::thread poster([&] {
            // Posted once the loop is going to sleep: only the wake-up can end its wait.
            if (blocking.wait_for(std::chrono::seconds(5)) != std::future_status::ready)
                return;
            QMetaObject::invokeMethod(
                &loop,
                [&] {
                    wokeAfter = clock.elapsed();
                    loop.quit();
                },
                Qt::QueuedConnection);
        });
        QTimer guard;
        guard.setSingleShot(true);
        connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
        guard.start(5000);
        clock.start();
        loop.exec(); // nothing else is due: the loop sleeps in epoll_wait until the post
        poster.join();
        QVERIFY2(wokeAfter >= 0 && wokeAfter < 1000, qPrintable(QString::number(wokeAfter)));
    }

    void postsWaitingForTheLoopShareOneWakeUp()
    {
        // Every postEvent() calls wakeUp(); one eventfd write per post cost a syscall per event.
        auto *dispatcher =
            static_cast<tern::server::net::EpollDispatcher *>(QAbstractEventDispatcher::instance());
        QCoreApplication::processEvents();
        const quint64 before = dispatcher->wakeUpWrites();
        int ran = 0;
        for (int i = 0; i < 1000; ++i)
            QMetaObject::invokeMethod(
                this, [&ran] { ++ran; }, Qt::QueuedConnection);
        QCOMPARE(dispatcher->wakeUpWrites() - before, quint64(1));
        QVERIFY(runUntil([&] { return ran == 1000; }, 1000));
    }

    void noPostFromAnotherThreadIsLeftWaiting()
    {
        // Coalesced wake-ups must not lose one: bursts race with the loop reading the eventfd,
        // and after the last post the loop (with nothing else due) must still wake for it.
        constexpr int kBursts = 2000;
        constexpr int kPerBurst = 10;
        QEventLoop loop;
        int ran = 0;
        using Clock = std::chrono::steady_clock;
        std::atomic<Clock::rep> lastBurstAt{0};
        qint64 lateByMs = -1;
        std::thread poster([&] {
            for (int b = 0; b < kBursts; ++b) {
                if (b == kBursts - 1)
                    lastBurstAt = Clock::now().time_since_epoch().count();
                for (int i = 0; i < kPerBurst; ++i) {
                    QMetaObject::invokeMethod(
                        &loop,
                        [&] {
                            if (++ran == kBursts * kPerBurst) {
                                const Clock::duration late = Clock::now().time_since_epoch() -
                                                             Clock::duration(lastBurstAt.load());
                                lateByMs =
                                    std::chrono::duration_cast<std::chrono::milliseconds>(late)
                                        .count();
                                loop.quit();
                            }
                        },
                        Qt::QueuedConnection);
                }
                if (b % 7 == 0)
                    std::this_thread::sleep_for(std::chrono::microseconds(50));
            }
        });
        QTimer guard;
        guard.setSingleShot(true);
        connect(&guard, &QTimer::timeout, &loop, &QEventLoop::quit);
        guard.start(10'000);
        loop.exec();
        poster.join();
        QCOMPARE(ran, kBursts * kPerBurst);
        QVERIFY2(lateByMs >= 0 && lateByMs < 1000, qPrintable(QString::number(lateByMs)));
    }

    void quitFromAnotherThread()
    {
        QEventLoop loop;
        QTimer guard;
        guard.setSingleShot(true);
        bool guardFired = false;
        connect(&guard, &QTimer::timeout, &loop, [&] {
            guardFired = true;
            loop.quit();
        });
        guard.start(5000);
        std::future<void> blocking = whenAboutToBlock();
        std::thread stopper([&] {
            if (blocking.wait_for(std::chrono::seconds(5)) != std::future_status::ready)
                return;
            loop.exit(0); // QEventLoop::exit is thread-safe: it interrupts the dispatcher
        });
        loop.exec();
        stopper.join();
        QVERIFY(!guardFired);
    }

    void deleteLaterFromAHandlerRunsInTheLoop()
    {
        // As ternd retires a closed connection: deleteLater() from a slot inside exec().
        QPointer<QObject> object = new QObject;
        QEventLoop loop;
        bool guardFired = false;
        connect(object, &QObject::destroyed, &loop, &QEventLoop::quit);
        QTimer::singleShot(0, object, [&] { object->deleteLater(); });
        QTimer::singleShot(2000, &loop, [&] {
            guardFired = true;
            loop.quit();
        });
        loop.exec();
        QVERIFY(object.isNull());
        QVERIFY(!guardFired);
    }

    void nestedLoopInsideATimerHandler()
    {
        QTimer outer;
        outer.setInterval(5);
        int outerTicks = 0;
        int innerTicks = 0;
        bool nestedDone = false;
        QTimer inner;
        inner.setInterval(5);
        connect(&inner, &QTimer::timeout, this, [&] { ++innerTicks; });
        connect(&outer, &QTimer::timeout, this, [&] {
            if (++outerTicks != 1)
                return;
            // A handler that spins its own loop (as a modal dialog would): other timers keep
            // firing inside it, and this timer is not re-entered.
            QEventLoop nested;
            const QMetaObject::Connection enough = connect(&inner, &QTimer::timeout, &nested, [&] {
                if (innerTicks >= 3)
                    nested.quit();
            });
            QTimer::singleShot(3000, &nested, &QEventLoop::quit); // bound only
            inner.start();
            nested.exec();
            disconnect(enough);
            inner.stop();
            nestedDone = true;
        });
        outer.start();
        QVERIFY(runUntil([&] { return nestedDone && outerTicks >= 3; }, 3000));
        QVERIFY2(innerTicks >= 3, qPrintable(QString::number(innerTicks)));
    }
};

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(new tern::server::net::EpollDispatcher);
    QCoreApplication app(argc, argv);
    TestEpollDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolldispatcher.moc"
