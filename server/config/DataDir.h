#pragma once

//! Makes ternd's data dir: the owner's only when ternd creates it.
//
// The data dir holds the database (every message, the password hashes, the session token
// hashes), the media and the TLS key. With the usual umask 022 ternd used to create it readable
// by every local user. A folder that already exists is left as its admin set it (a backup tool's
// group may need to read it), with a warning in the log when other users can read it.

#include <QString>

namespace tern::server::config {

//! Creates `dir` (and missing parents) and makes a new one 0700; false when it cannot be made.
bool prepareDataDir(const QString &dir);

} // namespace tern::server::config
