#pragma once

// Routing's state for one connected link: who is authenticated on it and where its sync is.

#include "server/routing/ClientLink.h"
#include "shared/protocol/Messages.h"

#include <QHash>
#include <QString>

#include <atomic>
#include <memory>

#include <vector>

namespace tern::server::routing {

struct Session
{
    ClientLink *link = nullptr;
    QString userId; // empty until authenticated
    QString deviceId;
    qint64 authenticatedAtMs = 0;
    //! A login, auth or register (one password hash at most per link) is running: what the
    //! link sends meanwhile waits in `held`.
    bool authenticating = false;
    bool syncing = false;
    QHash<QString, qint64> syncCursor; // conversation -> last seq sent by sync on this link
    //! Requests pipelined behind a login/auth still in progress, replayed once it is done.
    std::vector<protocol::Request> held;
    //! Set when the link goes, so its queued password hashing is skipped (made on first use).
    std::shared_ptr<std::atomic_bool> closed;
    //! releaseHeld() is running: the flow update it causes must not start a second, nested
    //! replay, which would dispatch the later held requests before the one in hand.
    bool releasing = false;
    int inFlight = 0;         // admitted requests whose handlers have not ended (RequestSlot)
    qint64 reservedBytes = 0; // reply bytes reserved by them
    //! Store reads hold a weak reference (store::Interest): dropped when the link closes, so
    //! the store skips work nobody will read.
    std::shared_ptr<const int> interest = std::make_shared<int>(0);

    bool authenticated() const { return !userId.isEmpty(); }
};

} // namespace tern::server::routing
