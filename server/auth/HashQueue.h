#pragma once

// The password hashing queue: Argon2id work of login and register on a pool of its own,
// bounded by count and by the wait one more job would cause, skipping the work of links that
// closed while it waited. Used from the socket thread; the jobs run on the pool.

#include <QElapsedTimer>
#include <QFuture>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace tern::server::auth {

//! Set (on the socket thread) when the link that asked for the work has gone.
using CancelFlag = std::shared_ptr<const std::atomic_bool>;

class HashQueue
{
public:
    //! `expectedJobMs`: what one job is expected to take until jobs have been timed.
    HashQueue(int maxQueued, qint64 maxWaitMs, qint64 expectedJobMs);
    ~HashQueue();
    HashQueue(const HashQueue &) = delete;
    HashQueue &operator=(const HashQueue &) = delete;

    //! False when one more job would pass the count bound or is expected to wait too long.
    bool hasRoom() const;
    int queued() const { return m_state->queued.load(std::memory_order_relaxed); }

    //! Runs `job` on the pool; the result is empty when `cancelled` was set before it started
    //! (or the queue is being destroyed).
    template <typename T>
    QFuture<std::optional<T>> run(std::function<T()> job, CancelFlag cancelled)
    {
        std::shared_ptr<State> state = m_state;
        state->queued.fetch_add(1, std::memory_order_relaxed);
        return QtConcurrent::run(&m_pool, [state, job = std::move(job), cancelled] {
            std::optional<T> result;
            if (!state->stopping.load() && !(cancelled && cancelled->load())) {
                QElapsedTimer timer;
                timer.start();
                result = job();
                state->timed(timer.elapsed());
            }
            state->queued.fetch_sub(1, std::memory_order_relaxed);
            return result;
        });
    }

private:
    struct State
    {
        std::atomic_int queued{0};
        std::atomic<qint64> averageMs{0};
        std::atomic_bool stopping{false};
        void timed(qint64 ms);
    };

    int m_maxQueued;
    qint64 m_maxWaitMs;
    std::shared_ptr<State> m_state;
    QThreadPool m_pool; // last: destroyed first, waiting only for jobs already running
};

} // namespace tern::server::auth
