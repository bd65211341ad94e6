#pragma once

// Accepts WebSocket clients on /ws (plain or TLS), caps the number of connections, closes idle
// ones, and hands each to a Connection. Lives on the socket thread. Accepting uses the plain
// newConnection signal (QCoro 0.8's awaitable accept loop loses or crashes on bursts).

#include "server/config/ServerConfig.h"
#include "shared/core/Result.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <QWebSocketServer>

namespace tern::server::routing {
class Router;
}

namespace tern::server::net {

class Connection;

class WsServer : public QObject
{
    Q_OBJECT
public:
    WsServer(const ServerConfig &config, routing::Router &router, QObject *parent = nullptr);
    ~WsServer() override;

    Status listen();
    quint16 port() const;
    bool secure() const;
    int connectionCount() const { return int(m_connections.size()); }
    //! Stop accepting new connections.
    void stopAccepting();
    //! Close every connection with `code`.
    void closeAll(int code, const QString &reason);

signals:
    void allClosed();

private:
    void onNewConnection();
    void onFinished(quint64 id);
    void sweepIdle();

    ServerConfig m_config;
    routing::Router &m_router;
    QWebSocketServer *m_server = nullptr;
    QHash<quint64, Connection *> m_connections;
    quint64 m_nextId = 1;
    QTimer m_idleSweep;
    bool m_accepting = true;
};

} // namespace tern::server::net
