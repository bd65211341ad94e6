// libFuzzer target: a client's WebSocket text frame through the server's decoder and validator
// (protocol::decodeRequest, as Connection::onText calls it), and the app's decoder of server
// frames. Whatever the bytes, decoding must return, with a code and a message when it refuses;
// the server's error reply must be readable by the app; what either side accepts must encode and
// decode again to the same value.

#include "shared/protocol/Codec.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <variant>

using namespace tern;
using namespace tern::protocol;

namespace {
[[noreturn]] void fail(const char *what, const QByteArray &detail)
{
    std::fprintf(stderr, "fuzz_frame: %s: %s\n", what,
                 detail.left(300).toPercentEncoding(" {}[]\":,").constData());
    std::abort();
}

bool hasBrokenSurrogate(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        else if (text.at(i).isSurrogate())
            return true;
    }
    return false;
}

// What the server does with a frame: Connection::onText gets a QString from QWebSocket (which
// closes the link on invalid UTF-8) and passes its UTF-8 on.
void checkRequest(const QByteArray &frame)
{
    const DecodeResult decoded = decodeRequest(frame);
    if (decoded.ok()) {
        // Compared as JSON objects, not bytes: serialize() is lossy for strings that are not
        // valid UTF-16, so a byte comparison after one round trip would hide such a value.
        const QJsonObject object = encodeRequest(*decoded.request);
        const QByteArray encoded = serialize(object);
        const DecodeResult again = decodeRequest(encoded);
        if (!again.ok())
            fail("an accepted request does not decode after encoding", encoded);
        if (encodeRequest(*again.request) != object)
            fail("an accepted request changes in a round trip", encoded);
        if (decoded.id != decoded.request->id)
            fail("an accepted request with two ids", encoded);
        return;
    }
    if (decoded.error.message.isEmpty())
        fail("a refusal without a message", frame);
    if (decoded.id && (decoded.id->isEmpty() || hasBrokenSurrogate(*decoded.id)))
        fail("a refusal echoing an unusable id", frame);
    // The reply Connection::replyError sends must be a frame the app can read back.
    const QByteArray reply = encodeError(decoded.id, decoded.error);
    const Result<ServerFrame> read = decodeServerFrame(reply);
    if (!read || !std::holds_alternative<ErrorEvent>(*read))
        fail("the server's error reply is not a readable error event", reply);
    const ErrorEvent &event = std::get<ErrorEvent>(*read);
    if (event.id != decoded.id || errorCodeFromName(event.code) != decoded.error.code)
        fail("the server's error reply does not carry the id and code", reply);
}

// The app's side: a frame from the server.
void checkServerFrame(const QByteArray &frame)
{
    const Result<ServerFrame> decoded = decodeServerFrame(frame);
    if (!decoded) {
        if (decoded.error().message.isEmpty())
            fail("a refused server frame without a message", frame);
        return;
    }
    const QByteArray encoded =
        std::visit([](const auto &event) { return encodeEvent(event); }, *decoded);
    const Result<ServerFrame> again = decodeServerFrame(encoded);
    if (!again)
        fail("an accepted server frame does not decode after encoding", encoded);
    if (decoded->index() != again->index() ||
        std::visit([](const auto &event) { return encodeEvent(event); }, *again) != encoded)
        fail("an accepted server frame changes in a round trip", encoded);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray frame(reinterpret_cast<const char *>(data), qsizetype(size));
    checkRequest(frame);
    // Exactly the server's bytes when the frame is text; QString replaces what is not UTF-8.
    const QByteArray text = QString::fromUtf8(frame).toUtf8();
    if (text != frame)
        checkRequest(text);
    checkServerFrame(frame);
    if (jsonNestingDepth(frame) < 0)
        fail("negative nesting depth", frame);
    return 0;
}
