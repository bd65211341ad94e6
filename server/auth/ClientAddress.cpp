#include "ClientAddress.h"

namespace tern::server::auth {

QHostAddress limitedAddress(const QHostAddress &peer)
{
    bool mapped = false;
    const quint32 v4 = peer.toIPv4Address(&mapped);
    if (mapped)
        return QHostAddress(v4);
    if (peer.protocol() != QAbstractSocket::IPv6Protocol || peer.isLoopback())
        return peer;
    Q_IPV6ADDR bytes = peer.toIPv6Address();
    for (int i = 8; i < 16; ++i)
        bytes[i] = 0;
    return QHostAddress(bytes);
}

QString limitedAddressKey(const QString &peer)
{
    const QHostAddress address(peer);
    return address.isNull() ? peer : limitedAddress(address).toString();
}

} // namespace tern::server::auth
