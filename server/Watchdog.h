#pragma once

// Notices a stuck thread and says so in the log. A timer on the watched thread (the socket
// thread) records a beat; a plain thread of the watchdog's own checks the beats and logs a
// warning when none came for `stallMs`, and again when the thread is back. A stuck socket
// thread stores and delivers nothing and ignores SIGTERM, so the log is where an admin learns
// why (issue 15: a deadlock in fan-out went unnoticed until clients timed out).

#include <QObject>
#include <QTimer>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace tern::server {

class Watchdog : public QObject
{
    Q_OBJECT
public:
    //! Watches the thread this object is created on.
    Watchdog(QString threadName, int stallMs, QObject *parent = nullptr);
    ~Watchdog() override;

    //! Stalls noticed so far (for tests and metrics).
    int stallsNoticed() const { return m_stalls.load(); }

private:
    void watch();

    QString m_threadName;
    int m_stallMs;
    QTimer m_beat;
    std::atomic<qint64> m_lastBeatMs;
    std::atomic<int> m_stalls{0};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_watcher;
};

} // namespace tern::server
