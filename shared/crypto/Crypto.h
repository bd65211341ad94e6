#pragma once

//! The only door to libsodium: randomness, password hashing (Argon2id) and token hashing.

#include <QByteArray>
#include <QString>

namespace tern::crypto {

enum class PasswordCost { Min, Interactive, Moderate };

//! Must be called once before any other function; safe to call repeatedly and from any thread.
bool initialize();

QByteArray randomBytes(int count);
//! A random identifier of `length` lowercase base32 characters with the given prefix.
QString randomId(const QString &prefix, int length = 20);
//! A new bearer token: 32 random bytes, base64url without padding.
QString newToken();
//! A fast keyed-free hash (BLAKE2b-256) of a token, hex encoded; tokens are stored only as this.
QString tokenHash(const QString &token);

//! Argon2id string hash (crypto_pwhash_str). Slow by design: never call on an event-loop thread.
QString hashPassword(const QString &password, PasswordCost cost);
//! Verify a password against a hash made by hashPassword. Slow by design.
bool verifyPassword(const QString &password, const QString &hash);

bool parsePasswordCost(const QString &name, PasswordCost *cost);

} // namespace tern::crypto
