#pragma once

// The message column list the SqlStore query files share (rows map through shared/sql/MessageRow).

#include <QString>

namespace tern::server::store::rows {

//! The column list every message SELECT and INSERT uses, in the order sql::messageFromRow()
//! reads and sql::runMessageInsert() binds (shared/sql/MessageRow.h).
inline const QString kMessageColumns = QStringLiteral(
    "conversation_id, seq, client_id, from_user, from_device, to_id, kind, content, media, ts, "
    "server_ts");

} // namespace tern::server::store::rows
