#pragma once

// RFC 6455 framing as ternd speaks it: opcodes, close codes and the encoding of server frames
// (never masked, always final). Pure functions, no I/O.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace tern::server::net::ws {

enum Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

enum CloseCode : quint16 {
    CloseNormal = 1000,
    CloseGoingAway = 1001,
    CloseProtocolError = 1002,
    CloseNoStatus = 1005, // never sent: "the close frame had no code"
    CloseAbnormal = 1006, // never sent: "no close frame at all"
    CloseWrongDatatype = 1007,
    ClosePolicyViolated = 1008,
    CloseTooMuchData = 1009,
};

//! Length of a server frame header for a payload of `payloadSize` bytes (2, 4 or 10).
qsizetype headerSize(qsizetype payloadSize);
//! Writes the header of an unmasked final frame into `out` (headerSize() bytes).
void writeHeader(char *out, Opcode opcode, qsizetype payloadSize);
//! One complete unmasked final frame.
QByteArray encodeFrame(Opcode opcode, QByteArrayView payload);
//! A close frame: the code, then the reason cut to fit a control frame (125 bytes).
QByteArray encodeClose(quint16 code, const QString &reason);
//! Whether a peer may send this code in a close frame (RFC 6455 7.4).
bool isValidReceivedCloseCode(quint16 code);

} // namespace tern::server::net::ws
