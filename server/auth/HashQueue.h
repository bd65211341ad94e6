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
    struct State
    {
        std::atomic_int queued{0};
        std::atomic<qint64> averageMs{0};
        std::atomic_bool stopping{false};
        void timed(qint64 ms);
    };

public:
    //! A place in the queue, counted from reserve() on: a login reserves before it looks the
    //! user up, so logins started side by side see each other's places (checking for room then
    //! queueing after an await let them all past the bound). Given back when dropped unused.
    class Ticket
    {
    public:
        Ticket() = default;
        Ticket(Ticket &&other) noexcept : m_state(std::move(other.m_state)) {}
        Ticket &operator=(Ticket &&other) noexcept
        {
            giveBack();
            m_state = std::move(other.m_state);
            return *this;
        }
        ~Ticket() { giveBack(); }
        explicit operator bool() const { return bool(m_state); }

    private:
        friend class HashQueue;
        explicit Ticket(std::shared_ptr<State> state) : m_state(std::move(state)) {}
        void giveBack()
        {
            if (m_state)
                m_state->queued.fetch_sub(1, std::memory_order_relaxed);
            m_state.reset();
        }
        std::shared_ptr<State> m_state;
    };

    //! `expectedJobMs`: what one job is expected to take until jobs have been timed.
    HashQueue(int maxQueued, qint64 maxWaitMs, qint64 expectedJobMs);
    ~HashQueue();
    HashQueue(const HashQueue &) = delete;
    HashQueue &operator=(const HashQueue &) = delete;

    //! A place in the queue; an empty ticket when one more job would pass the count bound or
    //! is expected to wait too long.
    Ticket reserve();
    int queued() const { return m_state->queued.load(std::memory_order_relaxed); }

    //! Runs `job` on the pool in the place `ticket` holds; the result is empty when `cancelled`
    //! was set before it started (or the queue is being destroyed).
    template <typename T>
    QFuture<std::optional<T>> run(std::function<T()> job, CancelFlag cancelled, Ticket ticket)
    {
        // The job now holds the place and gives it back when it ends.
        std::shared_ptr<State> state = std::move(ticket.m_state);
        if (!state) {
            state = m_state;
            state->queued.fetch_add(1, std::memory_order_relaxed);
        }
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
    int m_maxQueued;
    qint64 m_maxWaitMs;
    std::shared_ptr<State> m_state;
    QThreadPool m_pool; // last: destroyed first, waiting only for jobs already running
};

} // namespace tern::server::auth
