#include "tests/bench/RawAttacker.h"

#include <QRandomGenerator>

namespace tern::bench {

RawAttacker::RawAttacker(QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::connected, this, &RawAttacker::onConnected);
    connect(&m_socket, &QTcpSocket::readyRead, this, &RawAttacker::onReadyRead);
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] { m_closed = true; });
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this] { m_closed = true; });
}

void RawAttacker::start(const QHostAddress &from, quint16 port)
{
    m_socket.bind(from, 0);
    m_socket.connectToHost(QHostAddress::LocalHost, port);
}

void RawAttacker::queueText(const QByteArray &utf8, bool fin)
{
    const QByteArray bytes = frame(1, utf8, fin);
    if (m_upgraded)
        m_socket.write(bytes);
    else
        m_pending += bytes;
}

void RawAttacker::queueContinuation(const QByteArray &bytes)
{
    const QByteArray f = frame(0, bytes, false);
    if (m_upgraded)
        m_socket.write(f);
    else
        m_pending += f;
}

void RawAttacker::onConnected()
{
    QByteArray key(16, Qt::Uninitialized);
    for (char &c : key)
        c = char(QRandomGenerator::global()->bounded(256));
    m_socket.write(
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_socket.peerPort()) +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key.toBase64() +
        "\r\nSec-WebSocket-Version: 13\r\n\r\n");
}

void RawAttacker::onReadyRead()
{
    if (m_upgraded)
        return; // never read again: the server's replies back up in the kernel, then in ternd
    m_head += m_socket.read(4096);
    const qsizetype end = m_head.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    if (!m_head.startsWith("HTTP/1.1 101")) {
        m_socket.abort();
        m_closed = true;
        return;
    }
    m_upgraded = true;
    m_socket.setReadBufferSize(1);
    m_socket.write(m_pending);
    m_pending.clear();
    emit upgradedNow();
}

QByteArray RawAttacker::frame(int opcode, const QByteArray &payload, bool fin) const
{
    QByteArray out;
    out.reserve(payload.size() + 14);
    out.append(char((fin ? 0x80 : 0) | opcode));
    const qsizetype n = payload.size();
    if (n < 126) {
        out.append(char(0x80 | n));
    } else if (n < 65536) {
        out.append(char(0x80 | 126));
        out.append(char(n >> 8));
        out.append(char(n & 0xff));
    } else {
        out.append(char(0x80 | 127));
        for (int i = 7; i >= 0; --i)
            out.append(char((quint64(n) >> (8 * i)) & 0xff));
    }
    const quint32 mask = QRandomGenerator::global()->generate();
    const char m[4] = {char(mask >> 24), char(mask >> 16), char(mask >> 8), char(mask)};
    out.append(m, 4);
    const qsizetype start = out.size();
    out.append(payload);
    for (qsizetype i = 0; i < n; ++i)
        out[start + i] = char(out[start + i] ^ m[i % 4]);
    return out;
}

} // namespace tern::bench
