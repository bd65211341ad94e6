#pragma once

// An epoll event dispatcher for ternd's socket thread (and tern-bench's fleet workers), Linux
// only. Qt's own dispatchers (glib and poll()) hand every socket to the kernel on every turn of
// the event loop, and glib unregisters a socket with a linear search, so with 15,000 sessions
// each event costs time in proportion to all of them. epoll reports only the ready sockets.
// Timers are kept in deadline order; posts from other threads wake the loop through an eventfd.
// Install it with QCoreApplication::setEventDispatcher before the application object exists;
// it serves the thread it is installed on (other threads keep Qt's dispatcher).

#include <QAbstractEventDispatcher>

#include <atomic>
#include <set>
#include <unordered_map>

namespace tern::server::net {

class EpollDispatcher : public QAbstractEventDispatcher
{
public:
    EpollDispatcher();
    ~EpollDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;
    //! How many times wakeUp() wrote to the eventfd (posts coalesce; for tests).
    quint64 wakeUpWrites() const { return m_wakeUpWrites.load(std::memory_order_relaxed); }

private:
    struct Notifiers
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        bool inEpoll = false;
    };
    struct Timer
    {
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        qint64 deadlineNs = 0; // steady clock
        bool firing = false;   // not again from a nested event loop inside its own handler
    };
    void updateEpoll(int fd);
    void dispatchSocket(int fd, quint32 events);
    int fireTimers();

    int m_epoll = -1;
    int m_wake = -1;
    std::unordered_map<int, Notifiers> m_fds;
    std::unordered_map<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_deadlines; // (deadline ns, timer id)
    std::atomic<bool> m_interrupted{false};
    std::atomic<bool> m_wakePending{false}; // m_wake was written and not read since
    std::atomic<quint64> m_wakeUpWrites{0};
};

} // namespace tern::server::net
