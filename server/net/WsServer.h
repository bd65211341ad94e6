#pragma once

// Accepts on ternd's port (plain or TLS): each socket starts as HTTP; an accepted WebSocket
// upgrade becomes a WsSocket and, on /ws, a Connection; every other request goes to the HTTP
// handler (media). Caps connections (keeping a few for plain HTTP such as /api/v1/health), closes
// idle sessions and sessions that do not log in soon enough. Lives on
// the socket thread. Accepting uses plain signals (QCoro 0.8's awaitable accept loop loses or
// crashes on bursts).

#include "server/config/ServerConfig.h"
#include "shared/core/Result.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTcpServer>
#include <QTimer>

namespace tern::server::routing {
class Router;
}

namespace tern::server::http {
class HttpConnection;
class HttpHandler;
} // namespace tern::server::http

namespace tern::server::net {

class Connection;
class TcpListener;

class WsServer : public QObject
{
    Q_OBJECT
public:
    WsServer(const ServerConfig &config, routing::Router &router, QObject *parent = nullptr);
    ~WsServer() override;

    //! Serves non-WebSocket requests; set before listen().
    void setHttpHandler(http::HttpHandler *handler) { m_httpHandler = handler; }
    Status listen();
    quint16 port() const;
    bool secure() const;
    int connectionCount() const { return int(m_connections.size()); }
    int httpConnectionCount() const { return int(m_httpConnections.size()); }
    //! Stop accepting new connections.
    void stopAccepting();
    //! Close every connection with `code`.
    void closeAll(int code, const QString &reason);

signals:
    void allClosed();

private:
    void onTcpConnection();
    void onUpgraded(QTcpSocket *socket, const QString &path, const QByteArray &response);
    //! Answers an upgrade with 503 when every WebSocket slot is taken.
    void refuseFull(QTcpSocket *tcp);
    void onFinished(quint64 id);
    void sweepIdle();

    ServerConfig m_config;
    routing::Router &m_router;
    TcpListener *m_listener = nullptr;
    http::HttpHandler *m_httpHandler = nullptr;
    QSet<http::HttpConnection *> m_httpConnections;
    QHash<quint64, Connection *> m_connections;
    quint64 m_nextId = 1;
    QTimer m_idleSweep;
    bool m_accepting = true;
};

} // namespace tern::server::net
