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

// Where things live inside the data dir. Here, in the lowest server room, so that the config
// (default TLS files) and the CLIs (is a server running?) need not include tls/ or admin/.
//! DATA_DIR/tls: ternd's certificate pair (server/tls/ServerCertificate makes it).
QString tlsDirectory(const QString &dataDir);
QString tlsCertPath(const QString &dataDir);
QString tlsKeyPath(const QString &dataDir);
//! DATA_DIR/ternd.admin: the running server's admin socket (server/admin/AdminChannel).
QString adminSocketPath(const QString &dataDir);

} // namespace tern::server::config
