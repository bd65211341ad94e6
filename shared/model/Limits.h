#pragma once

//! The numeric limits of the contract, shared by server checks and client UX.

#include <QtGlobal>

namespace tern::limits {

constexpr qsizetype kMaxFrameBytes = 64 * 1024;                // larger -> too_large
constexpr qsizetype kMaxTolerableFrameBytes = 2 * 1024 * 1024; // larger -> close 1009
//! Before a login/auth succeeds a message may be this large (a register with the longest
//! fields, all escaped, fits); larger -> close 1009. Bounds what a stranger makes us buffer.
constexpr qsizetype kMaxUnauthenticatedMessageBytes = 8 * 1024;
constexpr qsizetype kMaxContentBytes = 32 * 1024;
//! A message's media thumbnail: base64 of at most 16 KiB of JPEG (4 * ceil(16384 / 3)).
constexpr qsizetype kMaxThumbnailBase64Chars = 21848;
constexpr int kMaxJsonDepth = 16;
constexpr int kMaxArrayLength = 1000;
constexpr int kMaxRequestIdChars = 64;
constexpr int kMinUserNameChars = 3;
constexpr int kMaxUserNameChars = 32;
constexpr int kMinPasswordChars = 8;
constexpr int kMaxPasswordChars = 1024;
constexpr int kMaxDisplayNameChars = 64;
constexpr int kMaxDeviceNameChars = 64;
constexpr int kMaxGroupNameChars = 100;
constexpr int kMaxTokenChars = 128;
constexpr int kMaxOpaqueIdChars = 64;
constexpr int kMaxSearchQueryChars = 64;
constexpr int kMaxPresenceUsers = 500;
//! A reaction's emoji in UTF-8 bytes; distinct emoji one user may put on one message; mentions.
constexpr int kMaxReactionEmojiBytes = 32;
constexpr int kMaxReactionsPerUser = 20;
//! Distinct emoji on one message from everyone: keeps a message's `reactions` (and the frames
//! that carry it) bounded whatever the group's size.
constexpr int kMaxReactionEmojiPerMessage = 50;
constexpr int kMaxMentions = 50;
constexpr int kDefaultSearchLimit = 20;
constexpr int kMaxSearchLimit = 50;
//! Seqs in one `hide` request at most.
constexpr int kMaxHideSeqs = 100;
constexpr int kDefaultHistoryLimit = 50;
constexpr int kMaxHistoryLimit = 200;
//! Conversations in one `conversations` page at most (replies are also bounded in bytes).
constexpr int kConversationsPageRows = 500;
//! A `conversations` cursor (opaque to clients) is at most this long.
constexpr int kMaxCursorChars = 128;
constexpr int kMaxBadFramesInRow = 20;
constexpr int kIdleTimeoutMs = 30'000;
// JSON numbers are doubles: integers above 2^53 cannot be represented exactly.
constexpr qint64 kMaxSafeInteger = (qint64(1) << 53);

} // namespace tern::limits
