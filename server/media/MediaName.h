#pragma once

// Media metadata from clients made safe to store and show: file names and MIME types. A name is
// never used as a path; this only keeps it from misleading people (RTL overrides) or headers.

#include "shared/model/Validation.h"

#include <QString>

namespace tern::server::media {

//! A display name: no control, format-override or path characters, trimmed, ≤ 255 characters
//! (keeping the extension); empty → "file". Shared with the app, which saves under it.
using validation::sanitizeFileName;
//! The declared type if it looks like `type/subtype` (lower-cased), else empty.
QString normalizeMime(const QString &mime);
//! A media id the server could have made: 32 lowercase hex digits.
bool isMediaId(const QString &id);

} // namespace tern::server::media
