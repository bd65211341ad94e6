#pragma once

//! The SHA-256 fingerprint of a TLS certificate, in the forms people compare and paste.
//
// A certificate pinned by the app is known by this fingerprint only, so the same code formats it
// on both sides: `ternd fingerprint` prints it for an admin to hand out, the app shows it when
// it asks whether to trust a server, and a pasted fingerprint is read back here.
//
// Two forms (both are all 32 bytes: compare all of it, not the first group):
// - grouped: base32 (RFC 4648, no padding) in four blocks of 13 characters, each followed by a
//   Luhn mod 32 check character, shown as eight groups of seven joined by '-' (as Syncthing's
//   device IDs), e.g. `MFZWI3D-BONSGYC-…`. Easy to read aloud; a typo is caught by the checks.
// - hex: upper-case pairs joined by ':', exactly as `openssl x509 -noout -fingerprint -sha256`
//   prints them, for admins who check with OpenSSL.

#include <QByteArray>
#include <QString>

#include <optional>

namespace tern::fingerprint {

//! The SHA-256 of a certificate's DER bytes (32 bytes).
QByteArray sha256(const QByteArray &certificateDer);

//! `digest` (32 bytes) in the grouped base32 form with check characters (63 characters).
QString grouped(const QByteArray &digest);
//! `digest` (32 bytes) as colon-separated upper-case hex (95 characters).
QString hex(const QByteArray &digest);

//! Reads a fingerprint a person typed or pasted, in either form: case, spaces, '-' and ':' are
//! ignored; in the base32 form 0/1/8 are taken as O/I/B (easily misread) and every check
//! character must match. The 32-byte digest, or nothing when it is neither form.
std::optional<QByteArray> parse(const QString &text);

} // namespace tern::fingerprint
