#pragma once

// The message column list the SqlStore query files share (rows map through shared/sql/MessageRow).

#include <QString>

namespace tern::server::store::rows {

//! The column list every message SELECT and INSERT uses, in the order sql::messageFromRow()
//! reads and sql::runMessageInsert() binds (shared/sql/MessageRow.h).
inline const QString kMessageColumns = QStringLiteral(
    "conversation_id, seq, client_id, from_user, from_device, to_id, kind, content, media, ts, "
    "server_ts");

//! kMessageColumns plus issue 19's columns, for SELECTs read by ops::messageFromFullRow().
inline const QString kMessageSelectColumns =
    kMessageColumns +
    QStringLiteral(", reply_to, forwarded, mentions, edited_ms, deleted, ref_seq, reaction_on");

} // namespace tern::server::store::rows
