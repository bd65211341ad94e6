#include "LanBeacon.h"

#include "shared/core/Log.h"

namespace tern::server::net {

LanBeacon::LanBeacon(QHostAddress target, quint16 targetPort, int intervalMs, QObject *parent)
    : QObject(parent), m_target(std::move(target)), m_targetPort(targetPort)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LanBeacon::send);
}

LanBeacon::~LanBeacon() = default;

void LanBeacon::start(const Announcement &announcement)
{
    m_datagram = datagram(announcement);
    m_warned = false;
    qCInfo(lcNet) << "announcing" << announcement.name << "to" << m_target.toString() << "port"
                  << m_targetPort;
    // Announce at once so a listener sees a freshly started server without waiting a tick.
    send();
    m_timer.start();
}

void LanBeacon::stop()
{
    m_timer.stop();
}

void LanBeacon::send()
{
    const qint64 written = m_socket.writeDatagram(m_datagram, m_target, m_targetPort);
    if (written == m_datagram.size())
        return;
    // A network that is down (or has no broadcast route) is normal on a laptop; say so once
    // per start(), then keep trying quietly.
    if (!m_warned)
        qCWarning(lcNet) << "LAN announcement not sent:" << m_socket.errorString();
    else
        qCDebug(lcNet) << "LAN announcement not sent:" << m_socket.errorString();
    m_warned = true;
}

} // namespace tern::server::net
