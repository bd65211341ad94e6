#pragma once

// ternd's listening socket, plain or TLS: caps connections in all and per source address (a
// socket over either cap is dropped at once) and, for TLS, runs the handshake itself with a
// deadline, so only finished handshakes count against the pending-connection limit (QSslServer
// counts the ones in progress: silent connections could lock everyone out). A connection counts
// from accept, TLS handshake included, until its socket is gone: its place is a ConnectionSlot
// child of the socket; move it to whatever object takes the connection over. Lives on the
// socket thread.

#include <QHash>
#include <QHostAddress>
#include <QSslConfiguration>
#include <QTcpServer>

#include <memory>

namespace tern::server::net {

class TcpListener : public QTcpServer
{
    Q_OBJECT
public:
    struct Options
    {
        int maxConnections = 0; // in all, from accept to close; 0 = no cap
        int maxPerAddress = 0;  // 0 = no cap
        bool limitLoopback = false;
        int tlsHandshakeTimeoutMs = 10'000;
    };
    //! What the slots of one listener count.
    struct Counts
    {
        QHash<QHostAddress, int> perAddress;
        int total = 0;
        bool fullReported = false; // "full" is logged once until the count is well below it
    };

    TcpListener(const Options &options, QObject *parent = nullptr);

    //! Serve TLS with this configuration (before listen()).
    void setSslConfiguration(const QSslConfiguration &ssl);
    bool secure() const { return m_secure; }
    //! Connections counted for `address` now.
    int connectionsFrom(const QHostAddress &address) const;

    //! What the per-address cap counts (auth::limitedAddress): IPv4-mapped IPv6 as IPv4, IPv6 by
    //! its /64.
    static QHostAddress normalized(const QHostAddress &address);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    static void refuse(QTcpSocket *socket);

    Options m_options;
    bool m_secure = false;
    QSslConfiguration m_ssl;
    std::shared_ptr<Counts> m_counts = std::make_shared<Counts>();
};

//! Holds one connection's place in its listener's counts (in all, and per address unless the
//! address is null) while it lives.
class ConnectionSlot : public QObject
{
    Q_OBJECT
public:
    ConnectionSlot(std::shared_ptr<TcpListener::Counts> counts, const QHostAddress &address,
                   QObject *parent);
    ~ConnectionSlot() override;

    //! Moves the slot found on `from` (if any) to `to`.
    static void transfer(QObject *from, QObject *to);

private:
    std::shared_ptr<TcpListener::Counts> m_counts;
    QHostAddress m_address;
};

} // namespace tern::server::net
