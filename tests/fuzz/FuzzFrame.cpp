// libFuzzer target: a client's WebSocket text frame through the server's decoder and validator
// (protocol::decodeRequest, as Connection calls it), and the app's decoder of server frames.
// Whatever the bytes, decoding must return, with a code and a message when it refuses; what it
// accepts must encode and decode again to the same request.

#include "shared/protocol/Codec.h"

#include <QByteArray>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace tern::protocol;

namespace {
[[noreturn]] void fail(const char *what, const QByteArray &detail)
{
    std::fprintf(stderr, "fuzz_frame: %s: %s\n", what, detail.left(300).constData());
    std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray frame(reinterpret_cast<const char *>(data), qsizetype(size));
    const DecodeResult decoded = decodeRequest(frame);
    if (decoded.ok()) {
        const QByteArray encoded = serialize(encodeRequest(*decoded.request));
        const DecodeResult again = decodeRequest(encoded);
        if (!again.ok())
            fail("an accepted request does not decode after encoding", encoded);
        if (serialize(encodeRequest(*again.request)) != encoded)
            fail("an accepted request changes on a second round trip", encoded);
    } else if (decoded.error.message.isEmpty()) {
        fail("a refusal without a message", frame);
    }
    const auto serverFrame = decodeServerFrame(frame);
    if (!serverFrame && serverFrame.error().message.isEmpty())
        fail("a refused server frame without a message", frame);
    if (jsonNestingDepth(frame) < 0)
        fail("negative nesting depth", frame);
    return 0;
}
