#pragma once

// Routing's state for one connected link: who is authenticated on it and where its sync is.

#include "server/routing/ClientLink.h"
#include "shared/protocol/Messages.h"

#include <QHash>
#include <QString>

#include <vector>

namespace tern::server::routing {

struct Session
{
    ClientLink *link = nullptr;
    QString userId; // empty until authenticated
    QString deviceId;
    bool authenticating = false;
    bool syncing = false;
    QHash<QString, qint64> syncCursor; // conversation -> last seq sent by sync on this link
    //! Requests pipelined behind a login/auth still in progress, replayed once it is done.
    std::vector<protocol::Request> held;

    bool authenticated() const { return !userId.isEmpty(); }
};

} // namespace tern::server::routing
