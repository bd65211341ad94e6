#pragma once

// Mapping between result rows and records, shared by the SqlStore query files.

#include "shared/protocol/Messages.h"

#include <QSqlQuery>
#include <QString>
#include <QVariant>

namespace tern::server::store::rows {

//! The column list every message SELECT and INSERT uses, in the order sql::messageFromRow()
//! reads and sql::runMessageInsert() binds (shared/sql/MessageRow.h).
inline const QString kMessageColumns = QStringLiteral(
    "conversation_id, seq, client_id, from_user, from_device, to_id, kind, content, media, ts, "
    "server_ts");

protocol::MessageEvent messageAt(const QSqlQuery &query);

} // namespace tern::server::store::rows
