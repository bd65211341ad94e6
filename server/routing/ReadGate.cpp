#include "ReadGate.h"

#include <QAbstractEventDispatcher>
#include <QMetaObject>

namespace tern::server::routing {

bool ReadGate::Entry::await_ready()
{
    const std::shared_ptr<State> state = m_state.lock();
    if (!state)
        return true; // the gate is gone: nothing to wait for (the Place holds nothing)
    if (state->inside >= state->limit || !state->waiting.empty())
        return false;
    ++state->inside;
    return true;
}

void ReadGate::Entry::await_suspend(std::coroutine_handle<> waiting)
{
    // await_ready just saw the state alive on this thread, and nothing ran in between.
    m_state.lock()->waiting.push_back(waiting);
}

ReadGate::Place &ReadGate::Place::operator=(Place &&other) noexcept
{
    if (this != &other) {
        release();
        m_state = std::exchange(other.m_state, {});
    }
    return *this;
}

void ReadGate::Place::release()
{
    const std::shared_ptr<State> state = std::exchange(m_state, {}).lock();
    if (!state)
        return;
    if (state->waiting.empty()) {
        --state->inside;
        return;
    }
    // The place passes to the first waiter. Resumed from the event loop, not from inside the
    // leaving coroutine; like FutureAwaiter, through the dispatcher, which outlives the Router
    // (a resumed coroutine re-checks `self`).
    const std::coroutine_handle<> next = state->waiting.front();
    state->waiting.pop_front();
    QMetaObject::invokeMethod(
        QAbstractEventDispatcher::instance(), [next] { next.resume(); }, Qt::QueuedConnection);
}

} // namespace tern::server::routing
