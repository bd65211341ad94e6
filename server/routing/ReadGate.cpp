#include "ReadGate.h"

#include <QAbstractEventDispatcher>
#include <QMetaObject>

namespace tern::server::routing {

bool ReadGate::Entry::await_ready()
{
    if (m_gate.m_inside >= m_gate.m_limit || !m_gate.m_waiting.empty())
        return false;
    ++m_gate.m_inside;
    return true;
}

void ReadGate::leave()
{
    if (m_waiting.empty()) {
        --m_inside;
        return;
    }
    // The place passes to the first waiter. Resumed from the event loop, not from inside the
    // leaving coroutine; like FutureAwaiter, through the dispatcher, which outlives the Router
    // (a resumed coroutine re-checks `self`).
    const std::coroutine_handle<> next = m_waiting.front();
    m_waiting.pop_front();
    QMetaObject::invokeMethod(
        QAbstractEventDispatcher::instance(), [next] { next.resume(); }, Qt::QueuedConnection);
}

} // namespace tern::server::routing
