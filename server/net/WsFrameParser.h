#pragma once

// Reads a client's byte stream as RFC 6455 frames: checks masking, opcodes, control frame rules,
// fragmentation, the message size bound and UTF-8 of text, and hands out whole messages and
// control frames. Pure (bytes in, events out), so unit tests and the fuzzer drive it directly.
// Idle, it holds no buffer: an idle session costs a few words here.

#include "server/net/WsFrame.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace tern::server::net::ws {

struct WsEvent
{
    enum Kind { Text, Binary, Ping, Pong, Close, Failure };
    Kind kind = Failure;
    QByteArray payload; // the message, ping/pong data, or the close reason (UTF-8)
    //! Close: the peer's code (CloseNoStatus when it sent none). Failure: the code to close with.
    quint16 closeCode = 0;
    QString failure; // Failure: what was wrong, for the close reason and the log
};

class WsFrameParser
{
public:
    explicit WsFrameParser(qsizetype maxMessageBytes) : m_maxMessageBytes(maxMessageBytes) {}

    void append(const QByteArray &bytes);
    //! Applies from the next frame header on (a message already being collected included).
    void setMaxMessageBytes(qsizetype bytes) { m_maxMessageBytes = bytes; }
    //! The next event, or nothing until more bytes arrive. After a Failure, messages are no longer
    //! reported; if the stream can still be framed, control frames (the peer's close) still are.
    std::optional<WsEvent> next();
    //! Bytes held for a frame that has not arrived whole.
    qsizetype bufferedBytes() const { return m_buffer.size() - m_pos + m_message.size(); }

private:
    std::optional<WsEvent> fail(quint16 code, const QString &why, bool framingLost);
    void compact();

    QByteArray m_buffer;
    qsizetype m_pos = 0;
    QByteArray m_message;       // fragments of an unfinished message
    quint8 m_messageOpcode = 0; // Text or Binary while a fragmented message is open
    qsizetype m_maxMessageBytes;
    quint64 m_skip = 0;          // payload bytes of a refused frame still to drop
    bool m_dropMessages = false; // after a failure: frame but do not report messages
    bool m_lost = false;         // framing lost: ignore everything
};

} // namespace tern::server::net::ws
