#include "Watchdog.h"

#include "shared/core/Log.h"

#include <chrono>

namespace tern::server {

namespace {
qint64 monotonicMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

Watchdog::Watchdog(QString threadName, int stallMs, QObject *parent)
    : QObject(parent), m_threadName(std::move(threadName)), m_stallMs(stallMs),
      m_lastBeatMs(monotonicMs())
{
    m_beat.setInterval(std::max(1, stallMs / 4));
    connect(&m_beat, &QTimer::timeout, this, [this] { m_lastBeatMs.store(monotonicMs()); });
    m_beat.start();
    m_watcher = std::thread([this] { watch(); });
}

Watchdog::~Watchdog()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_watcher.join();
}

void Watchdog::watch()
{
    const auto period = std::chrono::milliseconds(std::max(1, m_stallMs / 4));
    bool stalled = false;
    qint64 stalledSinceMs = 0;
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, period, [this] { return m_stopping; })) {
        const qint64 lastBeat = m_lastBeatMs.load();
        const qint64 silentMs = monotonicMs() - lastBeat;
        if (!stalled && silentMs > m_stallMs) {
            stalled = true;
            stalledSinceMs = lastBeat;
            m_stalls.fetch_add(1);
            qCWarning(lcServer).noquote()
                << "watchdog: the" << m_threadName << "thread has not run its event loop for"
                << silentMs << "ms: no frame is read, stored or delivered meanwhile";
        } else if (stalled && silentMs <= m_stallMs) {
            stalled = false;
            qCWarning(lcServer).noquote()
                << "watchdog: the" << m_threadName << "thread is running again after about"
                << (lastBeat - stalledSinceMs) << "ms";
        }
    }
}

} // namespace tern::server
