#include "tests/support/RawWsClient.h"

#include "tests/support/TestUtil.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QJsonDocument>
#include <QRandomGenerator>

namespace tern::test {

RawWsClient::RawWsClient(QObject *parent) : QObject(parent), m_socket(new QTcpSocket(this))
{
    connect(m_socket, &QTcpSocket::readyRead, this, &RawWsClient::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] { m_disconnected = true; });
}

RawWsClient::~RawWsClient()
{
    m_socket->abort();
}

bool RawWsClient::open(quint16 port, const QString &path, int receiveBuffer, int timeoutMs)
{
    if (receiveBuffer > 0) {
        // Must be set before connect() so the TCP window is negotiated with it.
        m_socket->bind(QHostAddress::LocalHost, 0);
        m_socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, receiveBuffer);
    }
    m_socket->connectToHost(QHostAddress::LocalHost, port);
    if (!spinUntil(
            [this] {
                return m_socket->state() == QAbstractSocket::ConnectedState ||
                       m_socket->state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs) ||
        m_socket->state() != QAbstractSocket::ConnectedState) {
        qWarning("RawWsClient: connect failed: %s", qPrintable(m_socket->errorString()));
        return false;
    }
    QByteArray key(16, Qt::Uninitialized);
    for (char &c : key)
        c = char(QRandomGenerator::global()->bounded(256));
    const QByteArray request = "GET " + path.toUtf8() +
                               " HTTP/1.1\r\n"
                               "Host: 127.0.0.1:" +
                               QByteArray::number(port) +
                               "\r\n"
                               "Upgrade: websocket\r\n"
                               "Connection: Upgrade\r\n"
                               "Sec-WebSocket-Key: " +
                               key.toBase64() +
                               "\r\n"
                               "Sec-WebSocket-Version: 13\r\n\r\n";
    m_socket->write(request);
    if (!spinUntil([this] { return m_handshakeDone || m_handshakeFailed || m_disconnected; },
                   timeoutMs) ||
        !m_handshakeDone) {
        qWarning("RawWsClient: handshake failed: %s", m_buffer.left(300).constData());
        return false;
    }
    return true;
}

bool RawWsClient::isConnected() const
{
    return !m_disconnected && m_socket->state() == QAbstractSocket::ConnectedState;
}

bool RawWsClient::waitForDisconnected(int timeoutMs)
{
    return spinUntil(
        [this] { return m_disconnected || m_socket->state() == QAbstractSocket::UnconnectedState; },
        timeoutMs);
}

void RawWsClient::sendFrame(int opcode, const QByteArray &payload, bool fin)
{
    QByteArray frame;
    frame.reserve(payload.size() + 14);
    frame.append(char((fin ? 0x80 : 0x00) | (opcode & 0x0f)));
    const quint64 length = quint64(payload.size());
    if (length < 126) {
        frame.append(char(0x80 | length));
    } else if (length <= 0xffff) {
        frame.append(char(0x80 | 126));
        frame.append(char((length >> 8) & 0xff));
        frame.append(char(length & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((length >> shift) & 0xff));
    }
    const quint32 maskValue = QRandomGenerator::global()->generate();
    char mask[4];
    for (int i = 0; i < 4; ++i)
        mask[i] = char((maskValue >> (8 * i)) & 0xff);
    frame.append(mask, 4);
    const qsizetype start = frame.size();
    frame.append(payload);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame[start + i] = char(frame[start + i] ^ mask[i % 4]);
    m_socket->write(frame);
}

void RawWsClient::sendJson(const QJsonObject &object)
{
    sendText(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

std::optional<QJsonObject> RawWsClient::readJson(int timeoutMs)
{
    std::optional<QJsonObject> result;
    spinUntil(
        [&] {
            while (!m_frames.empty()) {
                Frame frame = std::move(m_frames.front());
                m_frames.pop_front();
                if (frame.opcode != 1)
                    continue;
                const QJsonDocument document = QJsonDocument::fromJson(frame.payload);
                if (document.isObject()) {
                    result = document.object();
                    return true;
                }
            }
            return m_disconnected;
        },
        timeoutMs);
    return result;
}

std::optional<RawWsClient::Frame> RawWsClient::readFrame(int opcode, int timeoutMs)
{
    std::optional<Frame> result;
    spinUntil(
        [&] {
            while (!m_frames.empty()) {
                Frame frame = std::move(m_frames.front());
                m_frames.pop_front();
                if (frame.opcode == opcode) {
                    result = std::move(frame);
                    return true;
                }
            }
            return m_disconnected;
        },
        timeoutMs);
    return result;
}

std::optional<QJsonObject> RawWsClient::readReply(const QString &id, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const std::optional<QJsonObject> object = readJson(int(deadline.remainingTime()));
        if (!object)
            return std::nullopt;
        if (object->value(QStringLiteral("id")).toString() == id &&
            (object->value(QStringLiteral("type")) == QStringLiteral("ack") ||
             object->value(QStringLiteral("type")) == QStringLiteral("error")))
            return object;
    }
    return std::nullopt;
}

void RawWsClient::stopReading(qint64 bufferBytes)
{
    m_reading = false;
    m_socket->setReadBufferSize(bufferBytes);
}

void RawWsClient::resumeReading()
{
    m_reading = true;
    m_socket->setReadBufferSize(0);
    onReadyRead();
}

void RawWsClient::onReadyRead()
{
    if (!m_reading)
        return;
    const QByteArray data = m_socket->readAll();
    m_bytesReceived += data.size();
    m_buffer += data;
    if (!m_handshakeDone) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_buffer.size() > 16 * 1024)
                m_handshakeFailed = true;
            return;
        }
        const QByteArray head = m_buffer.left(end);
        if (!head.startsWith("HTTP/1.1 101")) {
            m_handshakeFailed = true;
            return;
        }
        m_buffer.remove(0, end + 4);
        m_handshakeDone = true;
    }
    parseFrames();
}

void RawWsClient::parseFrames()
{
    for (;;) {
        if (m_buffer.size() < 2)
            return;
        const auto b0 = quint8(m_buffer[0]);
        const auto b1 = quint8(m_buffer[1]);
        const bool fin = b0 & 0x80;
        const int opcode = b0 & 0x0f;
        const bool masked = b1 & 0x80;
        quint64 length = b1 & 0x7f;
        qsizetype offset = 2;
        if (length == 126) {
            if (m_buffer.size() < 4)
                return;
            length = (quint64(quint8(m_buffer[2])) << 8) | quint8(m_buffer[3]);
            offset = 4;
        } else if (length == 127) {
            if (m_buffer.size() < 10)
                return;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | quint8(m_buffer[2 + i]);
            offset = 10;
        }
        QByteArray mask;
        if (masked) {
            if (m_buffer.size() < offset + 4)
                return;
            mask = m_buffer.mid(offset, 4);
            offset += 4;
        }
        if (quint64(m_buffer.size() - offset) < length)
            return;
        QByteArray payload = m_buffer.mid(offset, qsizetype(length));
        if (masked)
            for (qsizetype i = 0; i < payload.size(); ++i)
                payload[i] = char(payload[i] ^ mask[i % 4]);
        m_buffer.remove(0, offset + qsizetype(length));
        ++m_framesReceived;

        if (opcode == 8) {
            if (payload.size() >= 2)
                m_closeCode = (int(quint8(payload[0])) << 8) | quint8(payload[1]);
            else
                m_closeCode = 1005;
            m_frames.push_back({opcode, payload});
            // Complete the closing handshake (RFC 6455 5.5.1) so the server can drop TCP.
            if (!m_closeSent && m_socket->state() == QAbstractSocket::ConnectedState) {
                m_closeSent = true;
                sendFrame(8, payload.left(2));
            }
            continue;
        }
        if (opcode >= 8) { // ping/pong: not interesting here
            m_frames.push_back({opcode, payload});
            continue;
        }
        if (opcode != 0) {
            m_fragmentOpcode = opcode;
            m_fragments = payload;
        } else {
            m_fragments += payload;
        }
        if (fin) {
            m_frames.push_back({m_fragmentOpcode, m_fragments});
            m_fragments.clear();
        }
    }
}

} // namespace tern::test
