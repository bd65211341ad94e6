#pragma once

// The whole ternd service as one object: storage, auth, routing and the listening socket.
// Built by main.cpp and by in-process tests. Lives on the thread that creates it (the socket
// thread); storage runs on its own worker thread.

#include "server/config/ServerConfig.h"
#include "shared/core/Result.h"

#include <QObject>

#include <memory>

namespace tern::server {

class ServerApp : public QObject
{
    Q_OBJECT
public:
    explicit ServerApp(ServerConfig config, QObject *parent = nullptr);
    ~ServerApp() override;

    //! Open storage, run migrations and start listening. Returns an error text on failure.
    Status start();
    //! The port actually listened on (useful with port 0).
    quint16 port() const;
    //! True when serving wss:// (a certificate and key were given).
    bool secure() const;
    //! Stop accepting, finish every pending commit, close sessions with 1001; emits stopped().
    void shutdown();
    //! Connected WebSocket sessions right now.
    int connectionCount() const;

signals:
    void stopped();

private:
    //! Loads (or first makes) the TLS certificate and logs its fingerprint.
    Status prepareTls();
    struct Parts;
    std::unique_ptr<Parts> m_parts;
    ServerConfig m_config;
};

} // namespace tern::server
