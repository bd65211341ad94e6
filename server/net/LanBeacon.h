#pragma once

// Announces this ternd on the local network: one small JSON datagram (protocol::Beacon) every
// 2 s (--announce-interval) to a UDP target (the broadcast address, or any address the operator
// names), so the app's connect screen can list servers without the user typing an address. Off
// unless ternd is started with --announce.
//
// Threading/lifetime: lives on the socket thread (ServerApp's); owns its QUdpSocket and timer.
// Sending never blocks (UDP writes are fire-and-forget); a failed send is logged, never fatal,
// and the next tick simply tries again. stop() or destruction ends the announcements.

#include "shared/protocol/Beacon.h"

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUdpSocket>

namespace tern::server::net {

class LanBeacon : public QObject
{
    Q_OBJECT
public:
    //! What a beacon says; `port` is the WebSocket port actually listened on.
    using Announcement = protocol::Beacon;

    static constexpr int kIntervalMs = protocol::kBeaconIntervalMs;
    static constexpr int kMaxDatagramBytes = protocol::kBeaconMaxDatagramBytes;

    //! `intervalMs`: the time between announcements (ServerConfig::announceIntervalMs).
    LanBeacon(QHostAddress target, quint16 targetPort, int intervalMs = kIntervalMs,
              QObject *parent = nullptr);
    ~LanBeacon() override;

    //! Sends one announcement now and then every interval until stop().
    void start(const Announcement &announcement);
    void stop();
    bool isRunning() const { return m_timer.isActive(); }

    //! The datagram for `announcement` (protocol::encodeBeacon: name cut to fit).
    static QByteArray datagram(const Announcement &announcement)
    {
        return protocol::encodeBeacon(announcement);
    }

private:
    void send();

    QHostAddress m_target;
    quint16 m_targetPort;
    QUdpSocket m_socket;
    QTimer m_timer;
    QByteArray m_datagram;
    bool m_warned = false;
};

} // namespace tern::server::net
