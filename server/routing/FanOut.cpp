#include "FanOut.h"

#include "server/routing/ClientLink.h"

namespace tern::server::routing {

FanOut::FanOut(std::function<ClientLink *(quint64)> resolve, QObject *parent)
    : QObject(parent), m_resolve(std::move(resolve))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &FanOut::drain);
}

void FanOut::enqueue(const QString &frame, std::vector<quint64> links)
{
    if (links.empty())
        return;
    // Small fan-outs with nothing queued ahead go out at once: 1:1 latency stays minimal.
    if (m_queue.empty() && links.size() <= std::size_t(kSlice) / 8) {
        for (quint64 id : links) {
            if (ClientLink *link = m_resolve(id)) {
                link->sendFrame(frame);
                ++m_delivered;
            }
        }
        return;
    }
    m_queue.push_back(Batch{frame, std::move(links), 0});
    if (!m_timer.isActive())
        m_timer.start();
}

void FanOut::drain()
{
    int budget = kSlice;
    while (budget > 0 && !m_queue.empty()) {
        Batch &batch = m_queue.front();
        while (budget > 0 && batch.next < batch.links.size()) {
            if (ClientLink *link = m_resolve(batch.links[batch.next])) {
                link->sendFrame(batch.frame);
                ++m_delivered;
            }
            ++batch.next;
            --budget;
        }
        if (batch.next == batch.links.size())
            m_queue.pop_front();
    }
    if (!m_queue.empty())
        m_timer.start();
}

} // namespace tern::server::routing
