#pragma once

// An epoll event dispatcher for tern-bench's fleet workers. Qt's own dispatchers (glib and
// poll()) hand every socket to the kernel on every turn of the event loop, so with thousands of
// sockets each event costs time in proportion to all of them and the bench, not the server,
// becomes the bottleneck. epoll reports only the ready sockets. Timers are kept in deadline
// order; posted events wake the loop through an eventfd. Main thread only, as the workers use it.

#include <QAbstractEventDispatcher>

#include <atomic>
#include <set>
#include <unordered_map>

namespace tern::bench {

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
        qint64 deadlineMs = 0;
        bool firing = false; // not again from a nested event loop inside its own handler
    };
    void updateEpoll(int fd);
    void dispatchSocket(int fd, quint32 events);
    int fireTimers();

    int m_epoll = -1;
    int m_wake = -1;
    std::unordered_map<int, Notifiers> m_fds;
    std::unordered_map<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_deadlines; // (deadline ms, timer id)
    std::atomic<bool> m_interrupted{false};
};

} // namespace tern::bench
