#include "WsFrame.h"

#include <QtEndian>

namespace tern::server::net::ws {

namespace {
constexpr qsizetype kMaxControlPayload = 125;
}

qsizetype headerSize(qsizetype payloadSize)
{
    if (payloadSize < 126)
        return 2;
    return payloadSize <= 0xFFFF ? 4 : 10;
}

void writeHeader(char *out, Opcode opcode, qsizetype payloadSize)
{
    out[0] = char(0x80 | opcode);
    if (payloadSize < 126) {
        out[1] = char(payloadSize);
    } else if (payloadSize <= 0xFFFF) {
        out[1] = char(126);
        qToBigEndian(quint16(payloadSize), out + 2);
    } else {
        out[1] = char(127);
        qToBigEndian(quint64(payloadSize), out + 2);
    }
}

QByteArray encodeFrame(Opcode opcode, QByteArrayView payload)
{
    const qsizetype header = headerSize(payload.size());
    QByteArray frame(header + payload.size(), Qt::Uninitialized);
    writeHeader(frame.data(), opcode, payload.size());
    if (!payload.isEmpty())
        memcpy(frame.data() + header, payload.data(), size_t(payload.size()));
    return frame;
}

QByteArray encodeClose(quint16 code, const QString &reason)
{
    QByteArray payload(2, Qt::Uninitialized);
    qToBigEndian(code, payload.data());
    QByteArray text = reason.toUtf8();
    if (text.size() > kMaxControlPayload - 2) {
        // Cut on a character boundary so the peer's UTF-8 check passes.
        qsizetype end = kMaxControlPayload - 2;
        while (end > 0 && (quint8(text.at(end)) & 0xC0) == 0x80)
            --end;
        text.truncate(end);
    }
    payload += text;
    return encodeFrame(Close, payload);
}

bool isValidReceivedCloseCode(quint16 code)
{
    if (code >= 3000 && code <= 4999)
        return true;
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011);
}

} // namespace tern::server::net::ws
