#pragma once

//! Pure validation of user-supplied values (names, passwords, ids) against the contract.

#include <QString>
#include <QStringList>

namespace tern::validation {

bool isValidUserName(const QString &name);
bool isValidPassword(const QString &password);
//! Display, device and group names: non-empty after trimming, no control characters and no
//! character that disguises text (hasDisguisingCharacters).
bool isValidDisplayText(const QString &text, int maxChars);
//! Controls and characters that make text look like other text ("exe.png" shown for
//! "gnp.exe", "al\u200bice" for "alice"): bidirectional embeddings, overrides, isolates and
//! marks, zero-width characters, line/paragraph separators, BOM.
bool isDisguising(char32_t c);
//! True when `text` holds an isDisguising() character other than the zero-width joiner and
//! non-joiner, which Persian and Indic scripts and emoji sequences need.
bool hasDisguisingCharacters(const QString &text);
//! A file name made safe to show and to save under: isDisguising() characters dropped, `/ \ :`
//! replaced, trimmed, no leading dots, ≤ 255 characters (keeping the extension); empty → "file".
QString sanitizeFileName(const QString &name);
//! Request ids and opaque ids: 1..max chars, no control characters.
bool isValidOpaqueId(const QString &id, int maxChars);
//! A reaction's emoji: "" when valid, else what is wrong. 1..kMaxReactionEmojiBytes bytes of
//! UTF-8, no control, bidi or whitespace character, no ASCII letter or digit (the zero-width
//! joiner that emoji sequences need is allowed).
QString validateReactionEmoji(const QString &emoji);
//! A message's mentions: "" when valid, else what is wrong (at most kMaxMentions opaque ids).
QString validateMentions(const QStringList &mentions);
//! Lengths are counted in characters (code points), as the contract says.
int characterCount(const QString &text);

} // namespace tern::validation
