#include "Clock.h"

#include <QDateTime>

#include <atomic>

namespace tern {
namespace {
std::atomic<qint64> g_testOffsetMs{0}; // stays 0 outside tests: one relaxed load per call
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch() + g_testOffsetMs.load(std::memory_order_relaxed);
}

void advanceClockForTesting(qint64 ms)
{
    g_testOffsetMs.fetch_add(ms, std::memory_order_relaxed);
}
} // namespace tern
