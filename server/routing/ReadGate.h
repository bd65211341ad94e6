#pragma once

// A server-wide bound on heavy reads (history, conversations and sync pages) queued for storage
// at once: the storage queue is FIFO, so without it a crowd of readers puts every send behind
// hundreds of page reads. Waiters enter in arrival order; a place is a Place object, given back
// when it is destroyed on whatever path the holder leaves by. Socket thread only.

#include <coroutine>
#include <deque>
#include <memory>
#include <utility>

namespace tern::server::routing {

class ReadGate
{
    struct State
    {
        int limit = 0;
        int inside = 0;
        std::deque<std::coroutine_handle<>> waiting;
    };

public:
    explicit ReadGate(int limit) : m_state(std::make_shared<State>(State{limit, 0, {}})) {}
    ReadGate(const ReadGate &) = delete;
    ReadGate &operator=(const ReadGate &) = delete;

    //! One place inside the gate, held until destroyed or release()d. Move-only; once the gate
    //! is gone (the Router destroyed under a suspended handler) it gives back nothing.
    class Place
    {
    public:
        Place() = default;
        Place(Place &&other) noexcept : m_state(std::exchange(other.m_state, {})) {}
        Place &operator=(Place &&other) noexcept;
        Place(const Place &) = delete;
        Place &operator=(const Place &) = delete;
        ~Place() { release(); }

        //! Gives the place back now (to the first waiter, if any); later calls do nothing.
        void release();
        bool held() const { return !m_state.expired(); }

    private:
        friend class ReadGate;
        explicit Place(std::weak_ptr<State> state) : m_state(std::move(state)) {}
        std::weak_ptr<State> m_state;
    };

    class Entry
    {
    public:
        explicit Entry(std::weak_ptr<State> state) : m_state(std::move(state)) {}
        bool await_ready();
        void await_suspend(std::coroutine_handle<> waiting);
        Place await_resume() { return Place(m_state); }

    private:
        std::weak_ptr<State> m_state;
    };

    //! `Place p = co_await gate.enter()`: resumes once a place is free (at once when one is).
    //! Keep the Entry in a named local (g++ 12 and temporaries in co_await, docs/toolchain).
    Entry enter() { return Entry(m_state); }
    int inside() const { return m_state->inside; }
    int waiting() const { return int(m_state->waiting.size()); }

private:
    //! Waiters still queued when the gate goes are never resumed (their Router is gone).
    std::shared_ptr<State> m_state;
};

} // namespace tern::server::routing
