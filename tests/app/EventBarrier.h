#pragma once

// A barrier for the app tests instead of a fixed sleep (header-only, test thread): run the event
// loop until the work already queued on this thread has run.

#include "tests/support/TestUtil.h"

#include <QObject>
#include <QTimer>

namespace tern::test {

//! True once everything queued on this thread before the call has run: posted events (queued
//! calls, the future completions that resume coroutines, deleteLater()), in posting order, and
//! 0 ms timers started earlier (a view's delayed layout), which fire in start order. Work that
//! work queues anew, or that another thread completes later, is not covered.
inline bool runQueuedWork(int timeoutMs = 20'000)
{
    QObject context; // drops the queued call if the wait gives up
    bool posted = false;
    bool timed = false;
    QMetaObject::invokeMethod(
        &context, [&] { posted = true; }, Qt::QueuedConnection);
    QTimer timer;
    timer.setSingleShot(true);
    timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&timer, &QTimer::timeout, &context, [&] { timed = true; });
    timer.start(0);
    return spinUntil([&] { return posted && timed; }, timeoutMs);
}

} // namespace tern::test
