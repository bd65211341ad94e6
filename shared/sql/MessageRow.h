#pragma once

//! A stored message row, mapped the same way by the server's store and the app's cache.

#include "shared/protocol/Messages.h"

#include <QVariant>

#include <optional>

class QSqlQuery;

namespace tern::sql {

class SqlDb;

// Both stores keep a message in eleven columns, in this order (their column names differ):
// conversation, seq, id, sender, sender's device, recipient, kind, content, media, ts, server_ts.

//! The message in the current row of `query`, whose first eleven columns are in that order. The
//! kind is its wire name (a name this build does not know is kept: MessageKind::Unknown); media
//! keeps only the documented fields (rows written before issue 15 may hold a local path).
protocol::MessageEvent messageFromRow(const QSqlQuery &query);

//! Runs `insert`, whose eleven placeholders are in that order, for `message`. Absent strings are
//! stored as "" (the columns are NOT NULL), absent media as NULL.
bool runMessageInsert(SqlDb &db, QSqlQuery *insert, const protocol::MessageEvent &message);

//! A media column: the compact JSON of the documented fields, or NULL.
QVariant mediaToColumn(const std::optional<protocol::Media> &media);
std::optional<protocol::Media> mediaFromColumn(const QVariant &column);

} // namespace tern::sql
