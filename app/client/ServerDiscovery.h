#pragma once

//! Lists the ternd servers announcing themselves on the local network (see docs/protocol.md,
//! "LAN discovery"), for the connect screen.
//
// Threading/lifetime: lives on the app's main thread and owns its QUdpSocket and expiry timer;
// nothing blocks (datagrams arrive through readyRead). A datagram is trusted for nothing but a
// line in a list: anyone on the network can send one, so parsing is strict, sizes are capped and
// the list is bounded. stop() or destruction closes the socket.

#include "shared/protocol/Beacon.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUdpSocket>
#include <QUrl>

#include <map>
#include <optional>
#include <utility>

namespace tern::app::client {

class ServerDiscovery : public QObject
{
    Q_OBJECT
public:
    //! One announcing server, keyed by (address, port).
    struct Server
    {
        QHostAddress address; // where the beacon came from
        quint16 port = 0;     // the WebSocket port it announced
        QString name;
        bool tls = false;
        QString version;
        QUrl url; // ws:// or wss://ADDRESS:PORT/ws
        QDateTime lastSeen;
        QByteArray fingerprint; // SHA-256 of its certificate (32 bytes) from "fp"; empty: none
    };
    static constexpr quint16 kDefaultPort = protocol::kBeaconDefaultPort;
    static constexpr int kDefaultExpiryMs = 5 * protocol::kBeaconIntervalMs; // five missed beacons
    static constexpr int kMaxServers = 64;

    explicit ServerDiscovery(QObject *parent = nullptr);
    ~ServerDiscovery() override;

    //! Starts listening on `port` (shared with other listeners). False if the port cannot be
    //! bound; errorString() says why. Forgets what an earlier start() found.
    bool start(quint16 port = kDefaultPort,
               const QHostAddress &bindAddress = QHostAddress::AnyIPv4);
    void stop();
    bool isListening() const;
    quint16 localPort() const;
    QString errorString() const { return m_socket.errorString(); }

    //! Servers heard within expiryMs(), sorted by name then address.
    QList<Server> servers() const;
    //! How long a server stays listed after its last beacon (tests shorten it).
    void setExpiryMs(int ms);
    int expiryMs() const { return m_expiryMs; }

    //! Parses one datagram (protocol::decodeBeacon); nullopt for anything malformed, oversize or
    //! out of range.
    static std::optional<protocol::Beacon> parseBeacon(const QByteArray &datagram)
    {
        return protocol::decodeBeacon(datagram);
    }

signals:
    //! A server appeared, disappeared or changed what it announces (not on every beacon).
    void serversChanged();

private:
    struct Entry
    {
        Server server;
        qint64 seenAtMs = 0; // on m_clock: wall-clock jumps must not expire or keep entries
    };
    using Key = std::pair<QString, quint16>;

    void readPending();
    void expire();
    void restartExpiryTimer();

    QUdpSocket m_socket;
    QTimer m_expiryTimer;
    QElapsedTimer m_clock;
    std::map<Key, Entry> m_entries;
    int m_expiryMs = kDefaultExpiryMs;
};

} // namespace tern::app::client
