#pragma once

//! The one JSON codec for every wire type, plus strict, bounded decoding of client frames.

#include "shared/core/Result.h"
#include "shared/protocol/GroupEvent.h"
#include "shared/protocol/Messages.h"
#include "shared/protocol/Replies.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>
#include <variant>

namespace tern::protocol {

//! Outcome of decoding a client frame. On failure `error` holds the contract's code and a human
//! message, and `id` holds the request id when the frame had a usable one (so the error reply
//! can carry it).
struct DecodeResult
{
    std::optional<Request> request;
    std::optional<QString> id;
    Error error;
    bool ok() const { return request.has_value(); }
};

//! Decode one text frame (its UTF-8 bytes) from a client. Never throws, never crashes:
//! invalid UTF-8, non-objects, over-deep nesting, oversize frames or content, wrong types,
//! missing fields and out-of-range numbers all become a DecodeResult error.
DecodeResult decodeRequest(const QByteArray &utf8);

//! Deepest nesting of arrays/objects in a JSON text, scanning bytes only (strings respected).
//! Used to refuse hostile nesting before the JSON parser sees it.
int jsonNestingDepth(const QByteArray &utf8);

//! Encode a request as a full client frame object ("type", optional "id", fields).
QJsonObject encodeRequest(const Request &request);

// Body fields of every wire type (no "type"/"id"); fromJson validates strictly.
template <typename T> QJsonObject toJson(const T &value);
template <typename T> Result<T> fromJson(const QJsonObject &object);

//! Everything a server can send to a client.
using ServerFrame = std::variant<AckEvent, ErrorEvent, MessageEvent, ReceiptEvent, PresenceEvent,
                                 TypingEvent, UserUpdatedEvent, HiddenEvent>;

//! Client side: decode one frame from the server.
Result<ServerFrame> decodeServerFrame(const QByteArray &utf8);

//! A system message's `content`: the compact JSON text of a GroupEvent, and back.
QString encodeGroupEvent(const GroupEvent &event);
Result<GroupEvent> decodeGroupEvent(const QString &content);

//! Compact UTF-8 JSON of a frame object.
QByteArray serialize(const QJsonObject &object);

//! Server side: complete frames ready to send.
QByteArray encodeAck(const QString &id, const QJsonObject &fields = {});
QByteArray encodeError(const std::optional<QString> &id, const Error &error);
template <typename Event> QByteArray encodeEvent(const Event &event)
{
    QJsonObject object = toJson(event);
    object.insert(QStringLiteral("type"), QString::fromLatin1(Event::kType));
    return serialize(object);
}
//! The hot path: written directly (JsonWriter), the same JSON as the generic form.
template <> QByteArray encodeEvent<MessageEvent>(const MessageEvent &event);
//! The ack of request `id`; `reply` is the request's Req::Reply (the server's one reply path).
template <typename Reply> QByteArray encodeReply(const QString &id, const Reply &reply)
{
    QJsonObject object = toJson(reply);
    object.insert(QStringLiteral("type"), QString::fromLatin1(AckEvent::kType));
    object.insert(QStringLiteral("id"), id);
    return serialize(object);
}
//! A send's ack, the hot path: written directly (JsonWriter), the same JSON as the generic form.
template <> QByteArray encodeReply<SendAck>(const QString &id, const SendAck &ack);

} // namespace tern::protocol

// Every specialization is declared before any use, in every file that uses the codec.
#include "shared/protocol/CodecSpecializations.h"
