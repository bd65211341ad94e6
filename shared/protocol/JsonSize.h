#pragma once

//! Upper bounds of the encoded JSON size of reply entries, so a reply can be cut to a byte
//! budget before it is built (the store pages `history` and `conversations` with them).

#include "shared/protocol/Messages.h"

namespace tern::protocol {

//! Bytes of `text` as a JSON string, quotes included, at most (every escape counted at 6).
qint64 jsonStringBound(const QString &text);
//! A `message` event / history entry, "type" included.
qint64 jsonSizeBound(const MessageEvent &message);
//! A `conversations` entry, members and last message included.
qint64 jsonSizeBound(const ConversationSummary &summary);

} // namespace tern::protocol
