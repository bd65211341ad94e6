// ReadGate, the server-wide bound on heavy reads (history, conversations and sync pages): at
// most `limit` places at once, given in arrival order, and a Place gives its place back on
// every way out of the handler that holds it (the end, an early co_return, a move, release()),
// also when the gate has gone first (the Router destroyed under a suspended handler).

// Qt first: moc cannot parse <coroutine> (from ReadGate.h) unless Qt's headers came before.
#include <QCoroTask>
#include <QTest>

#include "server/routing/ReadGate.h"

#include <memory>
#include <utility>
#include <vector>

using tern::server::routing::ReadGate;

namespace {

//! Suspends a coroutine (`co_await hold.wait()`) until the test lets it go on. The awaiter
//! points back here (QCoro's await_transform may copy what it is given).
struct Hold
{
    std::coroutine_handle<> handle;
    bool released = false;

    struct Awaiter
    {
        Hold *hold;
        bool await_ready() const { return hold->released; }
        void await_suspend(std::coroutine_handle<> waiting) { hold->handle = waiting; }
        void await_resume() {}
    };
    Awaiter wait() { return Awaiter{this}; }
    void release()
    {
        released = true;
        if (const std::coroutine_handle<> h = std::exchange(handle, {}))
            h.resume();
    }
};

//! Enters the gate, notes `who` in `order`, then holds the place until `hold` is released.
QCoro::Task<> holdPlace(ReadGate &gate, int who, std::vector<int> &order, Hold &hold)
{
    ReadGate::Entry entering = gate.enter();
    const ReadGate::Place place = co_await entering;
    order.push_back(who);
    Hold::Awaiter waiting = hold.wait();
    co_await waiting;
}

//! Enters the gate and leaves by an early co_return when `early`.
QCoro::Task<> leaveEarly(ReadGate &gate, bool early, std::vector<int> &order)
{
    ReadGate::Entry entering = gate.enter();
    ReadGate::Place place = co_await entering;
    order.push_back(early ? 1 : 0);
    if (early)
        co_return;
    place.release();
}

} // namespace

class TestReadGate : public QObject
{
    Q_OBJECT

private slots:
    void placesAreBoundedAndGivenInArrivalOrder()
    {
        ReadGate gate(2);
        std::vector<int> order;
        Hold holds[5];
        for (int i = 0; i < 5; ++i)
            holdPlace(gate, i, order, holds[i]);
        QCOMPARE(order, (std::vector<int>{0, 1}));
        QCOMPARE(gate.inside(), 2);
        QCOMPARE(gate.waiting(), 3);

        holds[1].release(); // its place goes to the first waiter, from the event loop
        QCOMPARE(order.size(), size_t(2));
        QTRY_COMPARE(order, (std::vector<int>{0, 1, 2}));
        QCOMPARE(gate.inside(), 2);
        holds[0].release();
        QTRY_COMPARE(order, (std::vector<int>{0, 1, 2, 3}));
        holds[3].release();
        QTRY_COMPARE(order, (std::vector<int>{0, 1, 2, 3, 4}));
        QCOMPARE(gate.waiting(), 0);
        holds[2].release();
        holds[4].release();
        QCOMPARE(gate.inside(), 0);
    }

    void placeIsGivenBackOnEveryWayOut()
    {
        ReadGate gate(1);
        std::vector<int> order;
        Hold first;
        holdPlace(gate, 7, order, first);
        leaveEarly(gate, true, order);  // waits, then co_returns holding its place
        leaveEarly(gate, false, order); // waits, then releases by hand
        QCOMPARE(gate.waiting(), 2);
        first.release();
        QTRY_COMPARE(order, (std::vector<int>{7, 1, 0}));
        QCOMPARE(gate.inside(), 0);
        QCOMPARE(gate.waiting(), 0);

        // A moved place is given back once, by whoever holds it last; release() is idempotent.
        {
            ReadGate::Entry entering = gate.enter();
            QVERIFY(entering.await_ready());
            ReadGate::Place a = entering.await_resume();
            QVERIFY(a.held());
            ReadGate::Place b(std::move(a));
            QVERIFY(!a.held() && b.held());
            QCOMPARE(gate.inside(), 1);
            ReadGate::Place c;
            c = std::move(b);
            QCOMPARE(gate.inside(), 1);
            c.release();
            c.release();
            QCOMPARE(gate.inside(), 0);
        }
        QCOMPARE(gate.inside(), 0);
    }

    void placesOutliveTheGateHarmlessly()
    {
        auto gate = std::make_unique<ReadGate>(1);
        std::vector<int> order;
        Hold holder, waiter;
        holdPlace(*gate, 1, order, holder);
        holdPlace(*gate, 2, order, waiter);
        holder.release(); // the waiter's resume is queued...
        gate.reset();     // ...and its gate goes before it runs
        QTRY_COMPARE(order, (std::vector<int>{1, 2}));
        waiter.release(); // its Place gives nothing back to a gate that is gone

        // Entering a gate that is gone does not wait.
        auto gone = std::make_unique<ReadGate>(0);
        ReadGate::Entry entering = gone->enter();
        gone.reset();
        QVERIFY(entering.await_ready());
        QVERIFY(!entering.await_resume().held());
    }
};

QTEST_GUILESS_MAIN(TestReadGate)
#include "tst_readgate.moc"
