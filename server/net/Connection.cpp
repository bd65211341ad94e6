#include "Connection.h"

#include "server/routing/Router.h"
#include "shared/core/Clock.h"
#include "shared/core/Log.h"
#include "shared/model/Limits.h"
#include "shared/protocol/Codec.h"

#include <QTimer>

namespace tern::server::net {

namespace {
constexpr int kCloseGraceMs = 2000;

bool countsAsBadFrame(ErrorCode code)
{
    return code == ErrorCode::BadFrame || code == ErrorCode::TooLarge ||
           code == ErrorCode::BadRequest || code == ErrorCode::UnknownType;
}
} // namespace

Connection::Connection(quint64 id, QWebSocket *socket, routing::Router &router,
                       qint64 sendQueueLimit, QObject *parent)
    : QObject(parent), m_id(id), m_socket(socket), m_router(router),
      m_sendQueueLimit(sendQueueLimit), m_lastActivityMs(nowMs())
{
    socket->setParent(this);
    // Qt's defaults accept ~2 GiB messages; anything past 2 MiB is closed with 1009.
    socket->setMaxAllowedIncomingMessageSize(quint64(limits::kMaxTolerableFrameBytes));
    socket->setMaxAllowedIncomingFrameSize(quint64(limits::kMaxTolerableFrameBytes));
    connect(socket, &QWebSocket::textMessageReceived, this, &Connection::onText);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &Connection::onBinary);
    connect(socket, &QWebSocket::pong, this, &Connection::touch);
    connect(socket, &QWebSocket::disconnected, this, &Connection::onDisconnected);
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

void Connection::touch()
{
    m_lastActivityMs = nowMs();
}

void Connection::onText(const QString &text)
{
    touch();
    if (m_closing)
        return;
    protocol::DecodeResult decoded = protocol::decodeRequest(text.toUtf8());
    if (!decoded.ok()) {
        replyError(decoded.id, decoded.error);
        return;
    }
    m_router.handleRequest(m_id, std::move(*decoded.request));
}

void Connection::onBinary(const QByteArray &)
{
    touch();
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

void Connection::sendFrame(const QString &frame)
{
    if (!m_socket || m_closing)
        return;
    // Replies count too: a client that pipelines requests and never reads is bounded as well.
    if (pendingBytes() + frame.size() > m_sendQueueLimit) {
        qCInfo(lcNet) << "closing link" << m_id << "from" << peerAddress()
                      << ": send queue overflow";
        closeLink(QWebSocketProtocol::CloseCodePolicyViolated,
                  QStringLiteral("send queue overflow; reconnect and sync"));
        return;
    }
    m_socket->sendTextMessage(frame);
}

void Connection::replyAck(const std::optional<QString> &id, const QJsonObject &fields)
{
    m_badFramesInRow = 0;
    if (id)
        sendFrame(QString::fromUtf8(protocol::encodeAck(*id, fields)));
}

void Connection::replyError(const std::optional<QString> &id, const Error &error)
{
    sendFrame(QString::fromUtf8(protocol::encodeError(id, error)));
    if (!countsAsBadFrame(error.code)) {
        m_badFramesInRow = 0;
        return;
    }
    if (++m_badFramesInRow >= limits::kMaxBadFramesInRow)
        closeLink(QWebSocketProtocol::CloseCodePolicyViolated,
                  QStringLiteral("too many bad frames in a row"));
}

void Connection::closeLink(int closeCode, const QString &reason)
{
    if (!m_socket || m_closing)
        return;
    m_closing = true;
    m_socket->close(QWebSocketProtocol::CloseCode(closeCode), reason);
    // A peer that never reads never answers the close handshake either: drop it after a grace
    // period so its unsent bytes are freed.
    QTimer::singleShot(kCloseGraceMs, this, [socket = m_socket] {
        if (socket && socket->state() != QAbstractSocket::UnconnectedState)
            socket->abort();
    });
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
