#pragma once

// When group members' watermarks moved (migration 007), for the times in "Message info".
// Called on the storage thread inside a job.

#include "shared/core/Result.h"
#include "shared/sql/SqlDb.h"

#include <optional>

namespace tern::server::store::ops {

using tern::sql::SqlDb;

//! How long the move times are kept: older messages show "Read" without a time.
constexpr qint64 kReceiptTimesKeptMs = qint64(30) * 24 * 3600 * 1000;

//! A member's watermarks went from (oldDelivered, oldRead) to (delivered, read) at `atMs`.
Status recordWatermarkMove(SqlDb &db, const QString &conversation, const QString &user,
                           qint64 oldDelivered, qint64 oldRead, qint64 delivered, qint64 read,
                           qint64 atMs);
//! When the member's delivered (or read) watermark passed `seq`, to the minute; nullopt when not
//! recorded (before version 7, older than kReceiptTimesKeptMs, or not passed yet).
Result<std::optional<qint64>> watermarkTime(SqlDb &db, const QString &conversation,
                                            const QString &user, qint64 seq, bool read);

} // namespace tern::server::store::ops
