#pragma once

//! Builds an SQLite FTS5 MATCH expression from a user's search words, without any FTS5 syntax
//! of theirs.

#include <QString>

namespace tern::server::store {

//! Every whitespace-separated word of `text` as a quoted prefix term ("word"*, an inner `"`
//! doubled), all required (FTS5's implicit AND). So `OR`, `NEAR`, `*`, `-`, `^`, parentheses and
//! column filters like `content:` are plain words to search for. Words without a letter or
//! digit are dropped (the tokenizer would see nothing in them); empty: nothing to search for.
QString ftsMatchExpression(const QString &text);

} // namespace tern::server::store
