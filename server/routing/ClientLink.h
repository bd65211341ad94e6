#pragma once

// What routing sees of a connected client: an id, a bounded outgoing queue and replies.
// Routing never touches a socket (the net layer implements this).

#include "shared/core/ErrorCode.h"
#include "shared/protocol/Codec.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace tern::server::routing {

class ClientLink
{
public:
    virtual ~ClientLink() = default;

    virtual quint64 linkId() const = 0;
    virtual QString peerAddress() const = 0;
    //! Queue one complete message (UTF-8 JSON; implicitly shared, so a fan-out keeps one copy).
    //! If the unsent bytes would pass the link's bound, the link is
    //! closed instead (the client resyncs after reconnecting).
    virtual void sendFrame(const QByteArray &frame) = 0;
    //! Bytes queued but not yet written to the network.
    virtual qint64 pendingBytes() const = 0;
    //! The one success path: `value` is the request's Req::Reply (protocol/Replies.h), sent as
    //! its ack; without an id (a notification) nothing is sent. Either way the request counts
    //! as accepted (it ends a run of bad frames).
    template <typename T> void reply(const std::optional<QString> &id, const T &value)
    {
        requestAccepted();
        if (id)
            sendFrame(protocol::encodeReply(*id, value));
    }
    virtual void replyError(const std::optional<QString> &id, const Error &error) = 0;
    virtual void closeLink(int closeCode, const QString &reason) = 0;
    //! Requests of this link being handled or held, and reply bytes reserved for them. The
    //! link stops reading while these (or its unsent bytes) are over its bounds, and reads on
    //! once they drain: backpressure instead of buffering.
    virtual void setOutstanding(int requests, qint64 reservedBytes) = 0;
    //! When the client last sent anything (a frame or a pong), in ms since the epoch.
    virtual qint64 lastActivityMs() const = 0;
    //! Routing tells the link when it logs in or out (the link bounds strangers more tightly).
    virtual void setAuthenticated(bool) {}

protected:
    //! A request succeeded (reply() calls it before sending the ack, if any).
    virtual void requestAccepted() = 0;
};

} // namespace tern::server::routing
