#include "EpollDispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <algorithm>
#include <chrono>
#include <limits>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <vector>

namespace tern::server::net {

namespace {
constexpr int kMaxEventsPerTurn = 512;

constexpr qint64 kNsPerMs = 1'000'000;

// Deadlines are kept in nanoseconds: with whole milliseconds a timer started late in one
// millisecond would fire up to 1 ms early, and Qt promises a precise timer never fires early.
qint64 monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Milliseconds until `deadlineNs`, rounded up so that waiting that long never wakes early.
int msUntil(qint64 deadlineNs)
{
    const qint64 left = deadlineNs - monotonicNs();
    if (left <= 0)
        return 0;
    return int(std::min<qint64>((left + kNsPerMs - 1) / kNsPerMs, std::numeric_limits<int>::max()));
}
} // namespace

EpollDispatcher::EpollDispatcher()
    : m_epoll(epoll_create1(EPOLL_CLOEXEC)), m_wake(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = m_wake;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &event);
}

EpollDispatcher::~EpollDispatcher()
{
    ::close(m_wake);
    ::close(m_epoll);
}

void EpollDispatcher::updateEpoll(int fd)
{
    auto it = m_fds.find(fd);
    if (it == m_fds.end())
        return;
    Notifiers &n = it->second;
    epoll_event event{};
    event.data.fd = fd;
    if (n.read)
        event.events |= EPOLLIN;
    if (n.write)
        event.events |= EPOLLOUT;
    if (n.exception)
        event.events |= EPOLLPRI;
    if (event.events == 0) {
        if (n.inEpoll)
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr); // fails harmlessly if fd was closed
        m_fds.erase(it);
        return;
    }
    // The fd may have been closed and reused behind our back: fall back between ADD and MOD.
    if (n.inEpoll) {
        if (epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event) != 0 && errno == ENOENT)
            epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
    } else if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) != 0 && errno == EEXIST) {
        epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
    }
    n.inEpoll = true;
}

void EpollDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    Notifiers &n = m_fds[int(notifier->socket())];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        n.read = notifier;
        break;
    case QSocketNotifier::Write:
        n.write = notifier;
        break;
    case QSocketNotifier::Exception:
        n.exception = notifier;
        break;
    }
    updateEpoll(int(notifier->socket()));
}

void EpollDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    auto it = m_fds.find(int(notifier->socket()));
    if (it == m_fds.end())
        return;
    Notifiers &n = it->second;
    if (n.read == notifier)
        n.read = nullptr;
    if (n.write == notifier)
        n.write = nullptr;
    if (n.exception == notifier)
        n.exception = nullptr;
    updateEpoll(int(notifier->socket()));
}

void EpollDispatcher::dispatchSocket(int fd, quint32 events)
{
    // Look the fd up before each delivery: a handler may have disabled or deleted the others.
    auto deliver = [&](QSocketNotifier *Notifiers::*which) {
        auto it = m_fds.find(fd);
        if (it == m_fds.end() || !(it->second.*which))
            return;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(it->second.*which, &event);
    };
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        deliver(&Notifiers::read);
    if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR))
        deliver(&Notifiers::write);
    if (events & EPOLLPRI)
        deliver(&Notifiers::exception);
}

void EpollDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                    QObject *object)
{
    unregisterTimer(timerId); // a re-registered id must not keep its old deadline
    Timer timer;
    timer.intervalMs = interval;
    timer.type = timerType;
    timer.object = object;
    timer.deadlineNs = monotonicNs() + interval * kNsPerMs;
    m_timers[timerId] = timer;
    m_deadlines.insert({timer.deadlineNs, timerId});
}

bool EpollDispatcher::unregisterTimer(int timerId)
{
    auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_deadlines.erase({it->second.deadlineNs, timerId});
    m_timers.erase(it);
    return true;
}

bool EpollDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->second.object == object) {
            m_deadlines.erase({it->second.deadlineNs, it->first});
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (const auto &[id, timer] : m_timers) {
        if (timer.object == object)
            list.append(TimerInfo(id, int(timer.intervalMs), timer.type));
    }
    return list;
}

int EpollDispatcher::remainingTime(int timerId)
{
    auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    return msUntil(it->second.deadlineNs);
}

int EpollDispatcher::fireTimers()
{
    const qint64 now = monotonicNs();
    std::vector<int> due;
    for (auto it = m_deadlines.begin(); it != m_deadlines.end() && it->first <= now; ++it)
        due.push_back(it->second);
    int fired = 0;
    for (const int id : due) {
        auto it = m_timers.find(id);
        if (it == m_timers.end() || it->second.firing || it->second.deadlineNs > now)
            continue;
        Timer &timer = it->second;
        // Next deadline first: the handler may kill or restart the timer.
        m_deadlines.erase({timer.deadlineNs, id});
        timer.deadlineNs = std::max(timer.deadlineNs + timer.intervalMs * kNsPerMs, now);
        m_deadlines.insert({timer.deadlineNs, id});
        timer.firing = true;
        QObject *object = timer.object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        auto again = m_timers.find(id);
        if (again != m_timers.end())
            again->second.firing = false;
    }
    return fired;
}

bool EpollDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false);
    emit awake();
    QCoreApplication::sendPostedEvents();

    int timeoutMs = 0;
    const bool wait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.load();
    if (wait) {
        timeoutMs = -1;
        if (!m_deadlines.empty())
            timeoutMs = msUntil(m_deadlines.begin()->first);
        emit aboutToBlock();
    }
    epoll_event events[kMaxEventsPerTurn];
    const int ready = epoll_wait(m_epoll, events, kMaxEventsPerTurn, timeoutMs);
    emit awake();
    int handled = 0;
    for (int i = 0; i < ready; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wake) {
            quint64 count = 0;
            [[maybe_unused]] const ssize_t n = ::read(m_wake, &count, sizeof count);
            // Cleared after the read, before the sendPostedEvents() below: whatever was posted
            // by a wakeUp() that saw the flag still set is handled by that call.
            m_wakePending.store(false, std::memory_order_release);
            continue;
        }
        if (!(flags & QEventLoop::ExcludeSocketNotifiers)) {
            dispatchSocket(fd, events[i].events);
            ++handled;
        }
    }
    handled += fireTimers();
    QCoreApplication::sendPostedEvents();
    return handled > 0;
}

void EpollDispatcher::wakeUp()
{
    // Every postEvent() calls this, from any thread; a write per call cost a syscall per
    // posted event (eight per 1:1 message). One write until the loop has read it is enough.
    if (m_wakePending.exchange(true, std::memory_order_acq_rel))
        return;
    m_wakeUpWrites.fetch_add(1, std::memory_order_relaxed);
    const quint64 one = 1;
    [[maybe_unused]] const ssize_t n = ::write(m_wake, &one, sizeof one);
}

void EpollDispatcher::interrupt()
{
    m_interrupted.store(true);
    wakeUp();
}

} // namespace tern::server::net
