#include "WsFrameParser.h"

#include <QByteArrayView>
#include <QtEndian>

#include <cstring>

namespace tern::server::net::ws {

namespace {
constexpr quint64 kMaxControlPayload = 125;

WsEvent makeEvent(WsEvent::Kind kind, QByteArray payload, quint16 closeCode = 0)
{
    return WsEvent{kind, std::move(payload), closeCode, QString()};
}

bool isControl(quint8 opcode)
{
    return opcode & 0x8;
}

void unmask(char *data, qsizetype size, const uchar key[4])
{
    // Word at a time: a 64 KiB frame is unmasked in a few microseconds.
    quint64 wide;
    uchar pattern[8];
    for (int i = 0; i < 8; ++i)
        pattern[i] = key[i % 4];
    std::memcpy(&wide, pattern, 8);
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 word;
        std::memcpy(&word, data + i, 8);
        word ^= wide;
        std::memcpy(data + i, &word, 8);
    }
    for (; i < size; ++i)
        data[i] = char(uchar(data[i]) ^ key[i % 4]);
}
} // namespace

void WsFrameParser::append(const QByteArray &bytes)
{
    if (m_lost || bytes.isEmpty())
        return;
    if (m_buffer.isEmpty() && m_pos == 0)
        m_buffer = bytes; // shared, not copied: the usual case is one whole frame per read
    else
        m_buffer.append(bytes);
}

void WsFrameParser::compact()
{
    if (m_pos >= m_buffer.size()) {
        m_buffer = QByteArray(); // release the memory of idle sessions
        m_pos = 0;
    } else if (m_pos > 0) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
}

std::optional<WsEvent> WsFrameParser::fail(quint16 code, const QString &why, bool framingLost)
{
    m_dropMessages = true;
    m_message = QByteArray();
    m_messageOpcode = 0;
    if (framingLost) {
        m_lost = true;
        m_buffer = QByteArray();
        m_pos = 0;
    }
    return WsEvent{WsEvent::Failure, {}, code, why};
}

std::optional<WsEvent> WsFrameParser::next()
{
    while (!m_lost) {
        if (m_skip > 0) {
            const quint64 drop = std::min<quint64>(m_skip, quint64(m_buffer.size() - m_pos));
            m_pos += qsizetype(drop);
            m_skip -= drop;
            if (m_skip > 0) {
                compact();
                return std::nullopt;
            }
        }
        const qsizetype available = m_buffer.size() - m_pos;
        if (available < 2) {
            compact();
            return std::nullopt;
        }
        const auto *head = reinterpret_cast<const uchar *>(m_buffer.constData() + m_pos);
        const bool fin = head[0] & 0x80;
        const quint8 opcode = head[0] & 0x0F;
        if (head[0] & 0x70)
            return fail(CloseProtocolError, QStringLiteral("reserved bits set"), true);
        if (!(head[1] & 0x80))
            return fail(CloseProtocolError, QStringLiteral("client frames must be masked"), true);
        if (isControl(opcode)) {
            if (opcode != Close && opcode != Ping && opcode != Pong)
                return fail(CloseProtocolError, QStringLiteral("unknown opcode"), true);
            if (!fin)
                return fail(CloseProtocolError, QStringLiteral("fragmented control frame"), true);
        } else if (opcode != Continuation && opcode != Text && opcode != Binary) {
            return fail(CloseProtocolError, QStringLiteral("unknown opcode"), true);
        } else if (!m_dropMessages) {
            if (opcode == Continuation && m_messageOpcode == 0)
                return fail(CloseProtocolError, QStringLiteral("continuation without a message"),
                            true);
            if (opcode != Continuation && m_messageOpcode != 0)
                return fail(CloseProtocolError,
                            QStringLiteral("new message inside a fragmented one"), true);
        }
        qsizetype headerBytes = 2;
        quint64 length = head[1] & 0x7F;
        if (length == 126) {
            if (available < 4) {
                compact();
                return std::nullopt;
            }
            length = qFromBigEndian<quint16>(head + 2);
            headerBytes = 4;
        } else if (length == 127) {
            if (available < 10) {
                compact();
                return std::nullopt;
            }
            length = qFromBigEndian<quint64>(head + 2);
            headerBytes = 10;
            if (length >> 63)
                return fail(CloseProtocolError, QStringLiteral("frame length out of range"), true);
        }
        if (isControl(opcode) && length > kMaxControlPayload)
            return fail(CloseProtocolError, QStringLiteral("control frame longer than 125 bytes"),
                        true);
        if (!isControl(opcode)) {
            if (m_dropMessages) {
                m_pos += headerBytes;
                m_skip = length + 4;
                continue;
            }
            // The bound may have been lowered below what a fragmented message already holds.
            if (quint64(m_message.size()) + length > quint64(m_maxMessageBytes)) {
                m_pos += headerBytes;
                m_skip = length + 4;
                return fail(CloseTooMuchData,
                            QStringLiteral("message larger than %1 bytes").arg(m_maxMessageBytes),
                            false);
            }
        }
        const qsizetype frameBytes = headerBytes + 4 + qsizetype(length);
        if (available < frameBytes) {
            compact();
            return std::nullopt;
        }
        uchar key[4];
        std::memcpy(key, head + headerBytes, 4);
        const qsizetype start = m_pos + headerBytes + 4;
        m_pos += frameBytes;
        // The common case (a whole unfragmented frame that fills the buffer) takes the buffer
        // itself, so the message is not copied.
        QByteArray payload;
        if (start == headerBytes + 4 && m_pos == m_buffer.size() && fin && opcode != Continuation) {
            payload = std::exchange(m_buffer, QByteArray());
            m_pos = 0;
            payload.remove(0, start);
        } else {
            payload = m_buffer.mid(start, qsizetype(length));
        }
        unmask(payload.data(), payload.size(), key);

        if (opcode == Ping)
            return makeEvent(WsEvent::Ping, payload);
        if (opcode == Pong)
            return makeEvent(WsEvent::Pong, payload);
        if (opcode == Close) {
            if (payload.isEmpty())
                return makeEvent(WsEvent::Close, {}, CloseNoStatus);
            if (payload.size() == 1)
                return fail(CloseProtocolError, QStringLiteral("close frame of one byte"), true);
            const quint16 code = qFromBigEndian<quint16>(payload.constData());
            if (!isValidReceivedCloseCode(code))
                return fail(CloseProtocolError, QStringLiteral("invalid close code"), true);
            QByteArray reason = payload.mid(2);
            if (!QByteArrayView(reason).isValidUtf8())
                return fail(CloseWrongDatatype, QStringLiteral("close reason is not UTF-8"), true);
            return makeEvent(WsEvent::Close, std::move(reason), code);
        }
        if (m_dropMessages)
            continue;
        if (opcode != Continuation)
            m_messageOpcode = opcode;
        if (!fin || !m_message.isEmpty()) {
            m_message.append(payload);
            if (!fin)
                continue;
            payload = std::exchange(m_message, QByteArray());
        }
        const quint8 kind = std::exchange(m_messageOpcode, quint8(0));
        if (kind == Text && !QByteArrayView(payload).isValidUtf8())
            return fail(CloseWrongDatatype, QStringLiteral("text frame is not valid UTF-8"), false);
        return makeEvent(kind == Text ? WsEvent::Text : WsEvent::Binary, std::move(payload));
    }
    return std::nullopt;
}

} // namespace tern::server::net::ws
