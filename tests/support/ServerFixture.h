#pragma once

// An in-process ternd (tern::server::ServerApp) for integration tests: 127.0.0.1, port 0, a
// temporary data dir, the cheapest password hashing. Tests may edit config() before start().
// stop()/restart() destroy the ServerApp and build a new one on the same data dir.
//
// Threading/lifetime: lives on the test thread, and so does the ServerApp it owns (its storage
// worker thread is the server's business). The data dir lives as long as the fixture.

#include "server/ServerApp.h"
#include "server/config/ServerConfig.h"

#include <QString>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace tern::test {

class ServerFixture
{
public:
    ServerFixture();
    ~ServerFixture();
    ServerFixture(const ServerFixture &) = delete;
    ServerFixture &operator=(const ServerFixture &) = delete;

    //! The configuration used by the next start(); bind, port and dataDir are preset.
    server::ServerConfig &config() { return m_config; }

    //! Builds and starts a ServerApp; false (see errorString()) on failure.
    bool start();
    //! graceful: shutdown() and wait (≤ 10 s) for stopped() first; then destroy the ServerApp.
    void stop(bool graceful = true);
    //! stop() then start() on the same data dir (the port changes).
    bool restart(bool graceful = true);

    bool isRunning() const { return m_app != nullptr; }
    server::ServerApp *app() const { return m_app.get(); }
    quint16 port() const { return m_port; }
    //! ws://127.0.0.1:PORT/ws
    QUrl url() const;
    QString dataDir() const { return m_config.dataDir; }
    QString errorString() const { return m_error; }

private:
    QTemporaryDir m_dir;
    server::ServerConfig m_config;
    std::unique_ptr<server::ServerApp> m_app;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace tern::test
