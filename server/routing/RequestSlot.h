#pragma once

// One admitted request of a link, held by its handler coroutine from dispatch to its end: while
// it lives it counts against the link's requests in flight and reserves its reply's bytes
// (flow control: the link stops reading while too much is outstanding). Move-only.

#include <QPointer>

#include <utility>

namespace tern::server::routing {

class Router;

class RequestSlot
{
public:
    RequestSlot(Router *router, quint64 linkId, qint64 replyBytes)
        : m_router(router), m_linkId(linkId), m_replyBytes(replyBytes)
    {}
    RequestSlot(RequestSlot &&other) noexcept
        : m_router(std::exchange(other.m_router, nullptr)), m_linkId(other.m_linkId),
          m_replyBytes(other.m_replyBytes)
    {}
    RequestSlot(const RequestSlot &) = delete;
    RequestSlot &operator=(const RequestSlot &) = delete;
    RequestSlot &operator=(RequestSlot &&) = delete;
    ~RequestSlot();

private:
    QPointer<Router> m_router; // the router may be gone when a handler ends
    quint64 m_linkId;
    qint64 m_replyBytes;
};

} // namespace tern::server::routing
