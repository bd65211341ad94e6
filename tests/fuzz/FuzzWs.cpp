// libFuzzer target: a client's byte stream through ternd's WebSocket frame parser
// (WsFrameParser, as WsSocket feeds it). The first input byte picks how the stream is cut into
// reads. Whatever the bytes: the events are the same however the stream is cut, no message
// is reported after a failure, text is valid UTF-8, messages keep to the size bound, and the
// parser holds no more than one unfinished message.

#include "server/net/WsFrameParser.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace tern::server::net::ws;

namespace {
constexpr qsizetype kMax = 4096;
constexpr qsizetype kFrameOverhead = 14; // longest header plus the mask

[[noreturn]] void fail(const char *what, const QByteArray &detail)
{
    std::fprintf(stderr, "fuzz_ws: %s: %s\n", what, detail.left(300).toHex().constData());
    std::abort();
}

QList<WsEvent> parse(const QByteArray &stream, qsizetype chunk)
{
    WsFrameParser parser(kMax);
    QList<WsEvent> events;
    for (qsizetype at = 0; at < stream.size(); at += chunk) {
        parser.append(stream.mid(at, chunk));
        while (std::optional<WsEvent> event = parser.next())
            events.append(std::move(*event));
        if (parser.bufferedBytes() > 2 * kMax + 2 * kFrameOverhead)
            fail("the parser holds more than one unfinished message", stream);
    }
    return events;
}

bool same(const WsEvent &a, const WsEvent &b)
{
    return a.kind == b.kind && a.payload == b.payload && a.closeCode == b.closeCode &&
           a.failure == b.failure;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const qsizetype chunk = 1 + data[0] % 64;
    const QByteArray stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const QList<WsEvent> whole = parse(stream, qMax<qsizetype>(1, stream.size()));
    const QList<WsEvent> pieces = parse(stream, chunk);
    if (whole.size() != pieces.size())
        fail("a different number of events when the stream is cut", stream);
    bool failed = false;
    for (qsizetype i = 0; i < whole.size(); ++i) {
        const WsEvent &event = whole[i];
        if (!same(event, pieces[i]))
            fail("a different event when the stream is cut", stream);
        switch (event.kind) {
        case WsEvent::Text:
            if (!QByteArrayView(event.payload).isValidUtf8())
                fail("a text message that is not UTF-8", event.payload);
            [[fallthrough]];
        case WsEvent::Binary:
            if (failed)
                fail("a message after a failure", stream);
            if (event.payload.size() > kMax)
                fail("a message over the bound", stream);
            break;
        case WsEvent::Ping:
        case WsEvent::Pong:
            if (event.payload.size() > 125)
                fail("a control frame over 125 bytes", stream);
            break;
        case WsEvent::Close:
            if (!isValidReceivedCloseCode(event.closeCode) && event.closeCode != CloseNoStatus)
                fail("a close with an invalid code", stream);
            break;
        case WsEvent::Failure:
            if (event.failure.isEmpty())
                fail("a failure without a reason", stream);
            if (event.closeCode != CloseProtocolError && event.closeCode != CloseWrongDatatype &&
                event.closeCode != CloseTooMuchData)
                fail("a failure with an unexpected close code", stream);
            failed = true;
            break;
        }
    }
    return 0;
}
