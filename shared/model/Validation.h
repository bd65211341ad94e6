#pragma once

//! Pure validation of user-supplied values (names, passwords, ids) against the contract.

#include <QString>

namespace tern::validation {

bool isValidUserName(const QString &name);
bool isValidPassword(const QString &password);
//! Display, device and group names: non-empty after trimming, no control characters.
bool isValidDisplayText(const QString &text, int maxChars);
//! Request ids and opaque ids: 1..max chars, no control characters.
bool isValidOpaqueId(const QString &id, int maxChars);
//! Lengths are counted in characters (code points), as the contract says.
int characterCount(const QString &text);

} // namespace tern::validation
