#pragma once

// The part of a peer's address that per-address limits count: an IPv4 address (IPv4-mapped
// IPv6 included) as it is, an IPv6 address by its /64, which is what one host or one home or
// office network gets (counting whole IPv6 addresses let one host use 2^64 of them).

#include <QHostAddress>

namespace tern::server::auth {

QHostAddress limitedAddress(const QHostAddress &peer);
//! The same for an address in text form (as links report it); the text as it is if unparsable.
QString limitedAddressKey(const QString &peer);

} // namespace tern::server::auth
