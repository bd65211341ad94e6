#pragma once

// A server-wide bound on heavy reads (history, conversations pages) queued for storage at once:
// the storage queue is FIFO, so without it a crowd of readers puts every send behind hundreds
// of page reads. Waiters enter in arrival order. Socket thread only.

#include <coroutine>
#include <deque>

namespace tern::server::routing {

class ReadGate
{
public:
    explicit ReadGate(int limit) : m_limit(limit) {}

    class Entry
    {
    public:
        explicit Entry(ReadGate &gate) : m_gate(gate) {}
        bool await_ready();
        void await_suspend(std::coroutine_handle<> waiting) { m_gate.m_waiting.push_back(waiting); }
        void await_resume() {}

    private:
        ReadGate &m_gate;
    };

    //! `co_await gate.enter()`: resumes once a place is free (at once when one is).
    Entry enter() { return Entry(*this); }
    //! Gives the place back: to the first waiter (resumed from the event loop) if any.
    void leave();
    int inside() const { return m_inside; }

private:
    int m_limit;
    int m_inside = 0;
    std::deque<std::coroutine_handle<>> m_waiting;
};

} // namespace tern::server::routing
