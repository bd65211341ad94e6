#include "FanOut.h"

#include "server/routing/ClientLink.h"

namespace tern::server::routing {

FanOut::FanOut(std::function<ClientLink *(const Target &)> resolve, QObject *parent)
    : QObject(parent), m_resolve(std::move(resolve))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &FanOut::drain);
}

void FanOut::enqueue(const QByteArray &frame, std::vector<Target> targets)
{
    if (targets.empty())
        return;
    // Small fan-outs with nothing queued ahead go out at once: 1:1 latency stays minimal.
    if (m_queue.empty() && targets.size() <= std::size_t(kSlice) / 8) {
        for (const Target &target : targets) {
            if (ClientLink *link = m_resolve(target))
                link->sendFrame(frame);
        }
        return;
    }
    m_queue.push_back(Batch{frame, std::move(targets), 0});
    if (!m_timer.isActive())
        m_timer.start();
}

void FanOut::drain()
{
    int budget = kSlice;
    while (budget > 0 && !m_queue.empty()) {
        Batch &batch = m_queue.front();
        while (budget > 0 && batch.next < batch.targets.size()) {
            if (ClientLink *link = m_resolve(batch.targets[batch.next]))
                link->sendFrame(batch.frame);
            ++batch.next;
            --budget;
        }
        if (batch.next == batch.targets.size())
            m_queue.pop_front();
    }
    if (!m_queue.empty())
        m_timer.start();
}

} // namespace tern::server::routing
