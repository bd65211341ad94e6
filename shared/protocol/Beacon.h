#pragma once

//! The LAN beacon (docs/protocol.md, "LAN discovery"): the UDP datagram a ternd announces itself
//! with, encoded by server/net/LanBeacon and decoded by app/client/ServerDiscovery.

#include <QByteArray>
#include <QString>

#include <optional>

namespace tern::protocol {

//! The beacon format (`tern`); a listener ignores any other value.
constexpr int kBeaconFormat = 1;
//! Listeners drop datagrams of 512 bytes or more; the encoder never makes one.
constexpr int kBeaconMaxDatagramBytes = 511;
constexpr int kBeaconMaxNameLength = 64;
constexpr int kBeaconMaxVersionLength = 32;
//! A server announces this often; a listener forgets it after five missed beacons.
constexpr int kBeaconIntervalMs = 2000;
//! The UDP port announcements go to and listeners bind unless told otherwise.
constexpr quint16 kBeaconDefaultPort = 7071;

//! What a beacon says. No secrets: anyone on the network can read or forge it.
struct Beacon
{
    QString name;
    quint16 port = 0; // the WebSocket port
    bool tls = false; // wss://
    QString version;  // informational; empty: not announced
    //! The certificate's SHA-256 in fingerprint::hex form (`fp`); empty: none. Only a hint to
    //! recognise a pinned server: the handshake still checks the certificate.
    QString fingerprint;
};

//! The compact JSON datagram. Control, bidi and zero-width characters leave the name, which is
//! cut to kBeaconMaxNameLength and further (escaping can grow it) until the datagram fits
//! kBeaconMaxDatagramBytes; `version` is cut to 32 characters; `fp` is sent only with tls.
QByteArray encodeBeacon(const Beacon &beacon);

//! Strict and bounded, for datagrams from anyone: nullopt when empty, oversize, not a JSON
//! object, another format, or a required field (name, port, tls) missing, mistyped or out of
//! range. A bad optional field is dropped and the beacon kept; `fingerprint` comes back in hex
//! form, empty when absent, malformed or without tls.
std::optional<Beacon> decodeBeacon(const QByteArray &datagram);

} // namespace tern::protocol
