#include "WsSocket.h"

#include <algorithm>

#include <QSocketNotifier>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace tern::server::net {

namespace {
constexpr int kFailGraceMs = 2000;
constexpr qsizetype kReadChunk = 16 * 1024;
constexpr int kReadsPerWakeup = 4;      // then let other sockets have their turn
constexpr qsizetype kOutReserve = 2048; // a few frames; freed again once written
} // namespace

WsSocket::WsSocket(QTcpSocket *socket, const QByteArray &handshakeResponse,
                   qsizetype maxMessageBytes, QObject *parent)
    : QObject(parent), m_peer(socket->peerAddress()), m_parser(maxMessageBytes)
{
    const bool connected = socket->state() == QAbstractSocket::ConnectedState;
    // Frames of one loop turn already go out in one write; Nagle would only hold a small frame
    // back until the peer's delayed ACK (up to 40 ms on Linux).
    if (connected)
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
#ifdef Q_OS_UNIX
    if (connected && !qobject_cast<QSslSocket *>(socket)) {
        // The descriptor's file status (non-blocking) is shared with the duplicate; closing
        // the QTcpSocket closes only its own descriptor, not the connection.
        m_fd = ::fcntl(int(socket->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
        if (m_fd >= 0) {
            const QByteArray early = socket->readAll();
            socket->disconnect();
            socket->abort();
            socket->deleteLater(); // we may be inside its readyRead signal

            m_readNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
            connect(m_readNotifier, &QSocketNotifier::activated, this, &WsSocket::onReadable);
            write(handshakeResponse);
            if (!early.isEmpty()) {
                m_parser.append(early);
                QMetaObject::invokeMethod(this, &WsSocket::processInput, Qt::QueuedConnection);
            }
            return;
        }
    }
#endif
    m_socket = socket;
    socket->setParent(this);
    connect(socket, &QTcpSocket::readyRead, this, [this] {
        if (m_readPaused)
            return; // left in the socket, whose buffer is capped while paused
        m_parser.append(m_socket->readAll());
        processInput();
    });
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_readPaused)
            emit drained();
    });
    connect(socket, &QTcpSocket::disconnected, this, &WsSocket::markDisconnected);
    if (!connected) {
        // Gone before we took it: report it from the event loop, once our owner is listening.
        QMetaObject::invokeMethod(this, &WsSocket::markDisconnected, Qt::QueuedConnection);
        return;
    }
    socket->write(handshakeResponse);
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(socket, &QTcpSocket::readyRead, Qt::QueuedConnection);
}

WsSocket::~WsSocket()
{
    if (m_socket)
        m_socket->disconnect(this);
    closeDescriptor();
}

qint64 WsSocket::bytesToWrite() const
{
    if (m_socket)
        return m_socket->bytesToWrite();
    return m_out.size() - m_outPos;
}

void WsSocket::write(QByteArrayView head, QByteArrayView body)
{
    if (m_socket) {
        m_socket->write(head.data(), head.size());
        if (!body.isEmpty())
            m_socket->write(body.data(), body.size());
        return;
    }
    if (m_fd < 0)
        return;
    if (m_outPos > 0 && m_outPos >= m_out.size() / 2) {
        m_out.remove(0, m_outPos);
        m_outPos = 0;
    }
    if (m_out.isEmpty()) // one allocation for a turn's frames, not one per append
        m_out.reserve(std::max<qsizetype>(head.size() + body.size(), kOutReserve));
    m_out.append(head);
    m_out.append(body);
    // Frames queued in one turn of the event loop go out in one system call, after it.
    if (!m_flushQueued && !(m_writeNotifier && m_writeNotifier->isEnabled())) {
        m_flushQueued = true;
        QMetaObject::invokeMethod(this, &WsSocket::flush, Qt::QueuedConnection);
    }
}

void WsSocket::sendFrame(ws::Opcode opcode, QByteArrayView payload)
{
    char header[10];
    const qsizetype headerBytes = ws::headerSize(payload.size());
    ws::writeHeader(header, opcode, payload.size());
    write(QByteArrayView(header, headerBytes), payload);
}

void WsSocket::sendText(QByteArrayView utf8)
{
    if (m_closeSent || m_disconnected)
        return;
    sendFrame(ws::Text, utf8);
}

void WsSocket::close(quint16 code, const QString &reason, int graceMs)
{
    if (m_closeSent || m_disconnected)
        return;
    m_closeSent = true;
    write(ws::encodeClose(code, reason));
    if (m_closeReceived) {
        closeWhenWritten();
        return;
    }
    QTimer::singleShot(graceMs, this, [this] {
        if (!m_disconnected)
            abort();
    });
}

void WsSocket::closeWhenWritten()
{
    if (m_socket) {
        m_socket->disconnectFromHost();
        return;
    }
    m_closeAfterFlush = true;
    if (bytesToWrite() == 0) {
        closeDescriptor();
        markDisconnected();
    }
}

void WsSocket::abort()
{
    if (m_socket) {
        m_socket->abort();
        return;
    }
    closeDescriptor();
    markDisconnected();
}

void WsSocket::setReadPaused(bool paused)
{
    if (m_readPaused == paused)
        return;
    m_readPaused = paused;
    if (m_readNotifier)
        m_readNotifier->setEnabled(!paused);
    if (m_socket)
        m_socket->setReadBufferSize(paused ? kReadChunk : 0);
    if (!paused) // frames parsed already, and bytes that arrived meanwhile
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_readPaused)
                    return;
                if (m_socket && m_socket->bytesAvailable() > 0)
                    m_parser.append(m_socket->readAll());
                processInput();
            },
            Qt::QueuedConnection);
}

void WsSocket::markDisconnected()
{
    if (std::exchange(m_disconnected, true))
        return;
    emit disconnected();
}

void WsSocket::processInput()
{
    QPointer<WsSocket> self(this);
    while (self && !m_disconnected && !m_readPaused) {
        std::optional<ws::WsEvent> event = m_parser.next();
        if (!event)
            break;
        handle(std::move(*event));
    }
}

void WsSocket::handle(ws::WsEvent &&event)
{
    switch (event.kind) {
    case ws::WsEvent::Text:
        emit activity();
        if (!m_closeSent)
            emit textReceived(event.payload);
        return;
    case ws::WsEvent::Binary:
        emit activity();
        if (!m_closeSent)
            emit binaryReceived(event.payload);
        return;
    case ws::WsEvent::Ping:
        emit activity();
        if (!m_closeSent)
            sendFrame(ws::Pong, event.payload);
        return;
    case ws::WsEvent::Pong:
        emit activity();
        return;
    case ws::WsEvent::Close:
        emit activity();
        m_closeReceived = true;
        if (m_closeSent) {
            closeWhenWritten();
        } else {
            const quint16 echo =
                event.closeCode == ws::CloseNoStatus ? quint16(ws::CloseNormal) : event.closeCode;
            close(echo, QString(), kFailGraceMs);
        }
        return;
    case ws::WsEvent::Failure:
        emit failed(event.closeCode, event.failure);
        close(event.closeCode, event.failure, kFailGraceMs);
        return;
    }
}

void WsSocket::onReadable()
{
#ifdef Q_OS_UNIX
    if (m_readPaused)
        return;
    char buffer[kReadChunk];
    for (int i = 0; i < kReadsPerWakeup && m_fd >= 0; ++i) {
        const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
        if (n > 0) {
            m_parser.append(QByteArray(buffer, qsizetype(n)));
            if (n < qsizetype(sizeof buffer))
                break;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        // End of stream or a reset: what arrived before it is still handled.
        closeDescriptor();
        QPointer<WsSocket> self(this);
        processInput();
        if (self)
            markDisconnected();
        return;
    }
    processInput();
#endif
}

void WsSocket::flush()
{
#ifdef Q_OS_UNIX
    m_flushQueued = false;
    while (m_fd >= 0 && m_outPos < m_out.size()) {
        const ssize_t n = ::send(m_fd, m_out.constData() + m_outPos,
                                 size_t(m_out.size() - m_outPos), MSG_NOSIGNAL);
        if (n > 0) {
            m_outPos += qsizetype(n);
            if (m_readPaused)
                emit drained();
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!m_writeNotifier) {
                m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
                connect(m_writeNotifier, &QSocketNotifier::activated, this, &WsSocket::flush);
            }
            m_writeNotifier->setEnabled(true);
            return;
        }
        closeDescriptor();
        markDisconnected();
        return;
    }
    // Idle sessions keep no buffer.
    m_out = QByteArray();
    m_outPos = 0;
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    if (m_closeAfterFlush && m_fd >= 0) {
        closeDescriptor();
        markDisconnected();
    }
#endif
}

void WsSocket::closeDescriptor()
{
#ifdef Q_OS_UNIX
    if (m_fd < 0)
        return;
    // Notifiers stop before their descriptor closes, so the dispatcher never watches a closed
    // one; they are deleted later as this may run inside their own signal.
    for (QSocketNotifier *notifier : {m_readNotifier, m_writeNotifier}) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->deleteLater();
        }
    }
    m_readNotifier = nullptr;
    m_writeNotifier = nullptr;
    ::close(m_fd);
    m_fd = -1;
    m_out = QByteArray();
    m_outPos = 0;
#endif
}

} // namespace tern::server::net
