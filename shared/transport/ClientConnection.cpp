#include "ClientConnection.h"

#include "shared/core/Log.h"

#include <QSslConfiguration>
#include <QWebSocket>

namespace tern::transport {

ClientConnection::ClientConnection(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<tern::protocol::ServerFrame>();
    m_heartbeat.setInterval(kHeartbeatMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &ClientConnection::sendHeartbeat);
    m_openTimeout.setSingleShot(true);
    m_openTimeout.setInterval(kOpenTimeoutMs);
    connect(&m_openTimeout, &QTimer::timeout, this, [this] {
        qCInfo(lcNet) << "connection attempt timed out";
        abort();
    });
}

ClientConnection::~ClientConnection()
{
    if (m_socket) {
        // Nobody listens any more: close quietly.
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void ClientConnection::open(const QUrl &url)
{
    if (m_status != Status::Closed)
        return;
    // A fresh socket per attempt: no state (close code, buffers) leaks between connections.
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->deleteLater();
    }
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(kMaxIncomingMessage);
    m_socket->setMaxAllowedIncomingFrameSize(kMaxIncomingMessage);
    connect(m_socket, &QWebSocket::connected, this, &ClientConnection::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &ClientConnection::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &ClientConnection::onText);
    connect(m_socket, &QWebSocket::sslErrors, this, &ClientConnection::onSslErrors);
    // The pinned certificate's own errors are expected before the handshake starts; onSslErrors
    // still judges (and reports) every certificate.
    m_refusal = PinVerifier::Verdict::Accept;
    m_refusedCertificate = QSslCertificate();
    if (!m_pin.isNull())
        m_socket->ignoreSslErrors(PinVerifier::expectedErrors(m_pin));
    // Qt 6.4 names the signal error(); a failed attempt may not emit disconnected().
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError error) {
                qCInfo(lcNet) << "websocket error" << error;
                if (m_status == Status::Opening)
                    finish(QWebSocketProtocol::CloseCodeAbnormalDisconnection);
            });
    m_status = Status::Opening;
    m_openTimeout.start();
    m_socket->open(url);
}

QSslConfiguration ClientConnection::sslConfiguration() const
{
    if (m_status != Status::Open || !m_socket)
        return QSslConfiguration();
    return m_socket->sslConfiguration();
}

void ClientConnection::onSslErrors(const QList<QSslError> &errors)
{
    QSslCertificate presented = m_socket->sslConfiguration().peerCertificate();
    if (presented.isNull() && !errors.isEmpty())
        presented = errors.first().certificate();
    const PinVerifier::Verdict verdict = PinVerifier::judge(errors, presented, m_pin);
    if (verdict == PinVerifier::Verdict::Accept) {
        // Only these errors, for this certificate (never the no-argument overload).
        m_socket->ignoreSslErrors(errors);
        return;
    }
    // Not ignoring them makes QSslSocket abort the handshake: the socket's error() follows and
    // finish() reports the refusal.
    qCWarning(lcNet) << "certificate refused:" << int(verdict) << errors;
    m_refusal = verdict;
    m_refusedCertificate = presented;
}

void ClientConnection::close()
{
    if (m_status == Status::Closed)
        return;
    if (m_status == Status::Opening) {
        finish(QWebSocketProtocol::CloseCodeNormal);
        return;
    }
    // Closed for us at once (a new open() may follow right away); the old socket finishes its
    // close handshake on its own and deletes itself, or is cut after 2 s.
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(2000, socket, &QObject::deleteLater);
    socket->close(QWebSocketProtocol::CloseCodeNormal);
    m_openTimeout.stop();
    m_heartbeat.stop();
    m_status = Status::Closed;
    emit disconnected(QWebSocketProtocol::CloseCodeNormal);
}

void ClientConnection::abort()
{
    if (m_status == Status::Closed)
        return;
    finish(QWebSocketProtocol::CloseCodeAbnormalDisconnection);
}

qint64 ClientConnection::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

bool ClientConnection::send(const QJsonObject &frame)
{
    if (m_status != Status::Open)
        return false;
    if (m_socket->bytesToWrite() > kMaxBytesToWrite) {
        qCWarning(lcNet) << "send refused:" << m_socket->bytesToWrite() << "bytes still unsent";
        return false;
    }
    const QByteArray utf8 = protocol::serialize(frame);
    return m_socket->sendTextMessage(QString::fromUtf8(utf8)) > 0 || utf8.isEmpty();
}

bool ClientConnection::send(const protocol::Request &request)
{
    return send(protocol::encodeRequest(request));
}

void ClientConnection::onConnected()
{
    m_openTimeout.stop();
    m_status = Status::Open;
    m_heartbeat.start();
    emit connected();
}

void ClientConnection::onDisconnected()
{
    if (m_status == Status::Closed)
        return;
    // A refused attempt reports the default close code (1000); it was no normal close.
    finish(m_status == Status::Opening ? int(QWebSocketProtocol::CloseCodeAbnormalDisconnection)
                                       : int(m_socket->closeCode()));
}

void ClientConnection::finish(int closeCode)
{
    const PinVerifier::Verdict refusal = m_refusal;
    const QSslCertificate refused = m_refusedCertificate;
    m_refusal = PinVerifier::Verdict::Accept;
    m_refusedCertificate = QSslCertificate();
    m_openTimeout.stop();
    m_heartbeat.stop();
    m_status = Status::Closed;
    if (m_socket) {
        // Detach first: abort() would re-enter onDisconnected.
        QWebSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
    if (refusal != PinVerifier::Verdict::Accept)
        emit certificateRefused(refused, refusal);
    emit disconnected(closeCode);
}

void ClientConnection::onText(const QString &text)
{
    Result<protocol::ServerFrame> frame = protocol::decodeServerFrame(text.toUtf8());
    if (!frame) {
        // A newer server may send types we do not know yet: log and go on.
        qCInfo(lcNet) << "ignored server frame:" << frame.error().message;
        return;
    }
    emit frameReceived(*frame);
}

void ClientConnection::sendHeartbeat()
{
    send(QJsonObject{{QStringLiteral("type"), QStringLiteral("heartbeat")}});
}

} // namespace tern::transport
