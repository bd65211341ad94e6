#include "ServerDiscovery.h"

#include "shared/model/CertificateFingerprint.h"

#include <QNetworkDatagram>

#include <algorithm>

namespace tern::app::client {

namespace {
// A datagram is read at most this far; anything longer is oversize and dropped.
constexpr qint64 kReadLimit = protocol::kBeaconMaxDatagramBytes + 1;

QHostAddress normalized(const QHostAddress &address)
{
    // A dual-stack socket reports IPv4 senders as ::ffff:a.b.c.d; list them as plain IPv4 so
    // one server is one entry whatever socket heard it.
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}
} // namespace

ServerDiscovery::ServerDiscovery(QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QUdpSocket::readyRead, this, &ServerDiscovery::readPending);
    connect(&m_expiryTimer, &QTimer::timeout, this, &ServerDiscovery::expire);
    restartExpiryTimer();
    m_clock.start();
}

ServerDiscovery::~ServerDiscovery() = default;

bool ServerDiscovery::start(quint16 port, const QHostAddress &bindAddress)
{
    stop();
    // Several apps (or accounts) on one machine may listen at once.
    if (!m_socket.bind(bindAddress, port,
                       QAbstractSocket::ShareAddress | QAbstractSocket::ReuseAddressHint))
        return false;
    m_expiryTimer.start();
    return true;
}

void ServerDiscovery::stop()
{
    m_expiryTimer.stop();
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.close();
    if (!m_entries.empty()) {
        m_entries.clear();
        emit serversChanged();
    }
}

bool ServerDiscovery::isListening() const
{
    return m_socket.state() == QAbstractSocket::BoundState;
}

quint16 ServerDiscovery::localPort() const
{
    return m_socket.localPort();
}

QList<ServerDiscovery::Server> ServerDiscovery::servers() const
{
    QList<Server> list;
    list.reserve(qsizetype(m_entries.size()));
    for (const auto &[key, entry] : m_entries)
        list.append(entry.server);
    std::stable_sort(list.begin(), list.end(), [](const Server &a, const Server &b) {
        return a.name.localeAwareCompare(b.name) < 0;
    });
    return list;
}

void ServerDiscovery::setExpiryMs(int ms)
{
    m_expiryMs = std::max(ms, 100);
    restartExpiryTimer();
}

void ServerDiscovery::restartExpiryTimer()
{
    // Check a few times per expiry period so an entry lingers at most a quarter period late.
    m_expiryTimer.setInterval(std::clamp(m_expiryMs / 4, 25, 1000));
}

void ServerDiscovery::readPending()
{
    bool changed = false;
    while (m_socket.hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_socket.receiveDatagram(kReadLimit);
        if (!datagram.isValid())
            break;
        const std::optional<protocol::Beacon> beacon = protocol::decodeBeacon(datagram.data());
        if (!beacon)
            continue;
        // decodeBeacon kept it only when it is a well-formed fingerprint.
        const QByteArray digest = fingerprint::parse(beacon->fingerprint).value_or(QByteArray());
        const QHostAddress sender = normalized(datagram.senderAddress());
        if (sender.isNull())
            continue;
        const Key key{sender.toString(), beacon->port};
        auto it = m_entries.find(key);
        if (it == m_entries.end()) {
            // Bounded: a flood of forged beacons must not grow the list without limit.
            if (int(m_entries.size()) >= kMaxServers)
                continue;
            it = m_entries.emplace(key, Entry{}).first;
            it->second.server.address = sender;
            it->second.server.port = beacon->port;
            changed = true;
        }
        Server &server = it->second.server;
        if (server.name != beacon->name || server.tls != beacon->tls ||
            server.version != beacon->version || server.fingerprint != digest)
            changed = true;
        server.fingerprint = digest;
        server.name = beacon->name;
        server.tls = beacon->tls;
        server.version = beacon->version;
        QUrl url;
        url.setScheme(beacon->tls ? QStringLiteral("wss") : QStringLiteral("ws"));
        url.setHost(sender.toString());
        url.setPort(beacon->port);
        url.setPath(QStringLiteral("/ws"));
        server.url = url;
        server.lastSeen = QDateTime::currentDateTimeUtc();
        it->second.seenAtMs = m_clock.elapsed();
    }
    if (changed)
        emit serversChanged();
}

void ServerDiscovery::expire()
{
    const qint64 now = m_clock.elapsed();
    const auto removed = std::erase_if(
        m_entries, [&](const auto &item) { return now - item.second.seenAtMs > m_expiryMs; });
    if (removed > 0)
        emit serversChanged();
}

} // namespace tern::app::client
