#include "Connection.h"

#include "server/net/WsSocket.h"
#include "server/routing/Router.h"
#include "shared/core/Clock.h"
#include "shared/core/Log.h"
#include "shared/model/Limits.h"
#include "shared/protocol/Codec.h"

#include <QTimer>

#include <algorithm>

namespace tern::server::net {

namespace {
constexpr int kCloseGraceMs = 2000;

bool countsAsBadFrame(ErrorCode code)
{
    return code == ErrorCode::BadFrame || code == ErrorCode::TooLarge ||
           code == ErrorCode::BadRequest || code == ErrorCode::UnknownType;
}
} // namespace

Connection::Connection(quint64 id, WsSocket *socket, routing::Router &router, qint64 sendQueueLimit,
                       QObject *parent)
    : QObject(parent), m_id(id), m_socket(socket), m_router(router),
      m_sendQueueLimit(sendQueueLimit), m_lastActivityMs(nowMs()),
      m_anonymousSinceMs(m_lastActivityMs), m_maxInFlight(router.config().maxRequestsInFlight),
      m_pauseBytes(std::min(router.config().readPauseBytes, sendQueueLimit / 2)),
      m_stallMs(router.config().sendStallMs)
{
    socket->setParent(this);
    socket->setMaxMessageBytes(limits::kMaxUnauthenticatedMessageBytes);
    connect(socket, &WsSocket::textReceived, this, &Connection::onText);
    connect(socket, &WsSocket::binaryReceived, this, &Connection::onBinary);
    connect(socket, &WsSocket::activity, this, &Connection::touch);
    connect(socket, &WsSocket::failed, this, [this](quint16 code, const QString &why) {
        qCInfo(lcNet) << "closing link" << m_id << "from" << peerAddress() << "with" << code << ":"
                      << why;
        m_closing = true;
        m_router.linkClosing(m_id);
    });
    connect(socket, &WsSocket::drained, this, &Connection::onDrained);
    connect(socket, &WsSocket::disconnected, this, &Connection::onDisconnected);
    m_router.attach(this);
}

Connection::~Connection()
{
    if (!m_finished)
        m_router.detach(m_id);
}

QString Connection::peerAddress() const
{
    return m_socket ? m_socket->peerAddress().toString() : QString();
}

void Connection::setAuthenticated(bool on)
{
    m_authenticated = on;
    if (!on)
        m_anonymousSinceMs = nowMs();
    if (m_socket)
        m_socket->setMaxMessageBytes(on ? limits::kMaxTolerableFrameBytes
                                        : limits::kMaxUnauthenticatedMessageBytes);
}

void Connection::touch()
{
    m_lastActivityMs = nowMs();
}

void Connection::onText(const QByteArray &utf8)
{
    if (m_closing)
        return;
    protocol::DecodeResult decoded = protocol::decodeRequest(utf8);
    if (!decoded.ok()) {
        replyError(decoded.id, decoded.error);
        return;
    }
    m_router.handleRequest(m_id, std::move(*decoded.request));
}

void Connection::onBinary(const QByteArray &)
{
    if (m_closing)
        return;
    replyError(std::nullopt, Error{ErrorCode::BadFrame,
                                   QStringLiteral("binary frames are not part of the protocol; "
                                                  "send JSON in text frames")});
}

qint64 Connection::pendingBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void Connection::sendFrame(const QByteArray &frame)
{
    if (!m_socket || m_closing)
        return;
    // Replies count too: a client that pipelines requests and never reads is bounded as well.
    if (pendingBytes() + frame.size() > m_sendQueueLimit) {
        qCInfo(lcNet) << "closing link" << m_id << "from" << peerAddress()
                      << ": send queue overflow";
        closeLink(ws::ClosePolicyViolated,
                  QStringLiteral("send queue overflow; reconnect and sync"));
        return;
    }
    m_socket->sendText(frame);
    if (!m_readPaused && pendingBytes() + m_reservedBytes > m_pauseBytes)
        updateFlow();
}

void Connection::setOutstanding(int requests, qint64 reservedBytes)
{
    m_outstanding = requests;
    m_reservedBytes = reservedBytes;
    updateFlow();
}

void Connection::updateFlow()
{
    if (!m_socket || m_closing)
        return;
    const bool overfull = pendingBytes() + m_reservedBytes > m_pauseBytes;
    const bool pause = overfull || m_outstanding >= m_maxInFlight;
    if (pause != m_readPaused) {
        m_readPaused = pause;
        m_socket->setReadPaused(pause);
        if (!pause) {
            m_router.resumeHeld(m_id); // requests already read go first
            // Those requests updated the flow themselves (and may have closed the link): what
            // was computed above is stale now.
            if (!m_socket || m_closing)
                return;
        }
    }
    watchForStall();
}

void Connection::watchForStall()
{
    // A peer that reads nothing while its unsent bytes hold the link paused would hold it (and
    // them) until the idle timeout; it is closed sooner. Any progress restarts the clock.
    const bool stallWatch = m_readPaused && pendingBytes() > m_pauseBytes / 2;
    if (stallWatch) {
        if (!m_stallTimer) {
            m_stallTimer = new QTimer(this);
            m_stallTimer->setSingleShot(true);
            connect(m_stallTimer, &QTimer::timeout, this, &Connection::onStalled);
        }
        if (!m_stallTimer->isActive())
            m_stallTimer->start(m_stallMs);
    } else if (m_stallTimer) {
        m_stallTimer->stop();
    }
}

void Connection::onDrained()
{
    if (m_stallTimer && m_stallTimer->isActive())
        m_stallTimer->start(m_stallMs); // the peer read something
    updateFlow();
}

void Connection::onStalled()
{
    qCInfo(lcNet) << "closing link" << m_id << "from" << peerAddress()
                  << ": the peer reads nothing";
    closeLink(ws::ClosePolicyViolated, QStringLiteral("not reading; reconnect and sync"));
}

void Connection::requestAccepted()
{
    m_badFramesInRow = 0;
}

void Connection::replyError(const std::optional<QString> &id, const Error &error)
{
    sendFrame(protocol::encodeError(id, error));
    if (!countsAsBadFrame(error.code)) {
        m_badFramesInRow = 0;
        return;
    }
    if (++m_badFramesInRow >= limits::kMaxBadFramesInRow)
        closeLink(ws::ClosePolicyViolated, QStringLiteral("too many bad frames in a row"));
}

void Connection::closeLink(int closeCode, const QString &reason)
{
    if (!m_socket || m_closing)
        return;
    m_closing = true;
    m_router.linkClosing(m_id);
    if (m_stallTimer)
        m_stallTimer->stop();
    // Read on, so the peer's close frame can finish the handshake (requests are ignored now).
    m_readPaused = false;
    m_socket->setReadPaused(false);
    m_socket->close(quint16(closeCode), reason, kCloseGraceMs);
}

void Connection::onDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    m_closing = true;
    m_router.detach(m_id);
    emit finished(m_id);
}

} // namespace tern::server::net
