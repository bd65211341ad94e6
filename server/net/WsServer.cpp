#include "WsServer.h"

#include "server/http/HttpConnection.h"
#include "server/net/Connection.h"
#include "server/net/TcpListener.h"
#include "server/net/WsSocket.h"
#include "server/routing/Router.h"
#include "shared/core/Clock.h"
#include "shared/core/Log.h"
#include "shared/model/Limits.h"
#include "shared/protocol/HttpAnswers.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpSocket>

namespace tern::server::net {

namespace {
constexpr int kCloseGraceMs = 2000;
// Connections past --max-connections kept for plain HTTP (/api/v1/health above all): a full
// server still says so. WebSocket upgrades past the limit are answered 503; past this reserve
// too (TLS handshakes in progress included) the listener closes new connections at once.
constexpr int kHttpReserve = 32;
} // namespace

WsServer::WsServer(const ServerConfig &config, routing::Router &router, QObject *parent)
    : QObject(parent), m_config(config), m_router(router)
{
    TcpListener::Options options;
    options.maxConnections = config.maxConnections + kHttpReserve;
    options.maxPerAddress = config.maxConnectionsPerAddress;
    options.limitLoopback = config.limitLoopback;
    options.tlsHandshakeTimeoutMs = config.tlsHandshakeTimeoutMs;
    m_listener = new TcpListener(options, this);
    m_listener->setMaxPendingConnections(1024);
    // Qt listens with a backlog of 50. When thousands of clients reconnect at once (a restart),
    // the kernel drops the SYNs that find the accept queue full and each client waits a 1 s, 3 s,
    // 7 s... retransmit. The kernel caps this at net.core.somaxconn (4096 on Debian 12).
    m_listener->setListenBacklogSize(4096);
    connect(m_listener, &QTcpServer::pendingConnectionAvailable, this, &WsServer::onTcpConnection);
    m_idleSweep.setInterval(1000);
    connect(&m_idleSweep, &QTimer::timeout, this, &WsServer::sweepIdle);
}

WsServer::~WsServer()
{
    // Connections detach from the router as they go; the router outlives us.
    for (Connection *c : std::as_const(m_connections))
        delete c;
    m_connections.clear();
    const QSet<http::HttpConnection *> http = std::exchange(m_httpConnections, {});
    for (http::HttpConnection *c : http) {
        c->disconnect(this);
        delete c;
    }
}

Status WsServer::listen()
{
    if (secure()) {
        QFile certFile(m_config.tlsCertFile);
        QFile keyFile(m_config.tlsKeyFile);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
            return Error{ErrorCode::Internal, QStringLiteral("cannot read TLS certificate or key")};
        const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll());
        const QByteArray keyPem = keyFile.readAll();
        QSslKey key(keyPem, QSsl::Ec);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Rsa);
        if (chain.isEmpty() || key.isNull())
            return Error{ErrorCode::Internal, QStringLiteral("invalid TLS certificate or key")};
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setLocalCertificateChain(chain);
        ssl.setPrivateKey(key);
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_listener->setSslConfiguration(ssl);
    }
    if (!m_listener->listen(m_config.bind, m_config.port))
        return Error{ErrorCode::Internal, QStringLiteral("cannot listen on %1:%2: %3")
                                              .arg(m_config.bind.toString())
                                              .arg(m_config.port)
                                              .arg(m_listener->errorString())};
    m_idleSweep.start();
    return Ok{};
}

quint16 WsServer::port() const
{
    return m_listener->serverPort();
}

bool WsServer::secure() const
{
    return !m_config.tlsCertFile.isEmpty();
}

void WsServer::stopAccepting()
{
    m_accepting = false;
    m_listener->close();
}

void WsServer::onTcpConnection()
{
    while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
        if (!m_accepting || !m_httpHandler) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *http = new http::HttpConnection(socket, *m_httpHandler, this);
        http->setAllowedOrigins(m_config.allowedOrigins);
        m_httpConnections.insert(http);
        connect(http, &QObject::destroyed, this, [this, http] {
            m_httpConnections.remove(http);
            if (m_connections.isEmpty() && m_httpConnections.isEmpty() && !m_accepting)
                emit allClosed();
        });
        connect(http, &http::HttpConnection::upgradeRequested, this, &WsServer::onUpgraded);
    }
}

void WsServer::onUpgraded(QTcpSocket *tcp, const QString &path, const QByteArray &response)
{
    if (m_accepting && m_connections.size() >= m_config.maxConnections) {
        refuseFull(tcp);
        return;
    }
    auto *socket = new WsSocket(tcp, response, limits::kMaxTolerableFrameBytes, this);
    // The place in the per-address count moves with the connection: WsSocket drops the
    // QTcpSocket of a plain connection (later, so it is still there now).
    ConnectionSlot::transfer(tcp, socket);
    if (!m_accepting) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    if (path != QLatin1String("/ws")) {
        socket->close(ws::ClosePolicyViolated, QStringLiteral("unknown path; use /ws"),
                      kCloseGraceMs);
        connect(socket, &WsSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    const quint64 id = m_nextId++;
    auto *connection = new Connection(id, socket, m_router, m_config.sendQueueLimitBytes, this);
    connect(connection, &Connection::finished, this, &WsServer::onFinished);
    m_connections.insert(id, connection);
}

void WsServer::refuseFull(QTcpSocket *tcp)
{
    qCInfo(lcNet) << "refusing a WebSocket from" << tcp->peerAddress().toString()
                  << ": connection limit reached";
    static const QByteArray body = protocol::encodeHttpAnswer(
        protocol::HttpErrorAnswer{QStringLiteral("service_unavailable"),
                                  QStringLiteral("the server is full; try again later")});
    tcp->setParent(this);
    tcp->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
               "Retry-After: 5\r\nConnection: close\r\nContent-Length: " +
               QByteArray::number(body.size()) + "\r\n\r\n" + body);
    connect(tcp, &QAbstractSocket::disconnected, tcp, &QObject::deleteLater);
    tcp->disconnectFromHost();
    QTimer::singleShot(kCloseGraceMs, tcp, [tcp] { tcp->abort(); });
}

void WsServer::onFinished(quint64 id)
{
    Connection *connection = m_connections.take(id);
    if (connection)
        connection->deleteLater();
    if (m_connections.isEmpty() && m_httpConnections.isEmpty())
        emit allClosed();
}

void WsServer::sweepIdle()
{
    const qint64 now = nowMs();
    const qint64 cutoff = now - m_config.idleTimeoutMs;
    const QList<Connection *> all = m_connections.values();
    for (Connection *c : all) {
        if (c->lastActivityMs() < cutoff)
            c->closeLink(ws::CloseNormal, QStringLiteral("idle timeout"));
        else if (c->authOverdue(now, m_config.authTimeoutMs) &&
                 !m_router.isAuthenticating(c->linkId()))
            c->closeLink(ws::ClosePolicyViolated,
                         QStringLiteral("log in within %1 s").arg(m_config.authTimeoutMs / 1000));
    }
}

void WsServer::closeAll(int code, const QString &reason)
{
    const QList<Connection *> all = m_connections.values();
    for (Connection *c : all)
        c->closeLink(code, reason);
    // A transfer cut here resumes from its stored offset against the next server.
    const QList<http::HttpConnection *> transfers = m_httpConnections.values();
    for (http::HttpConnection *c : transfers)
        c->abort();
    if (m_connections.isEmpty() && m_httpConnections.isEmpty())
        emit allClosed();
}

} // namespace tern::server::net
