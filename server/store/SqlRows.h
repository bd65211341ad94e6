#pragma once

// Mapping between result rows and records, shared by the SqlStore query files.

#include "shared/protocol/Messages.h"

#include <QSqlQuery>
#include <QString>
#include <QVariant>

namespace tern::server::store::rows {

//! The column list every message SELECT uses, in the order messageAt() reads.
inline const QString kMessageColumns = QStringLiteral(
    "conversation_id, seq, client_id, from_user, from_device, to_id, kind, content, media, ts, "
    "server_ts");

protocol::MessageEvent messageAt(const QSqlQuery &query);
QVariant mediaToText(const std::optional<QJsonObject> &media);

} // namespace tern::server::store::rows
