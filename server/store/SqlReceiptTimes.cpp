#include "SqlReceiptTimes.h"

#include <QSqlQuery>

namespace tern::server::store::ops {

namespace {
constexpr qint64 kMinuteMs = 60 * 1000;
} // namespace

Status recordWatermarkMove(SqlDb &db, const QString &conversation, const QString &user,
                           qint64 oldDelivered, qint64 oldRead, qint64 delivered, qint64 read,
                           qint64 atMs)
{
    const qint64 minute = atMs / kMinuteMs;
    // Most moves fall into a minute that has its row already: one UPDATE. A new minute's row
    // also drops the member's rows past the keeping time, and the member's first row gets its
    // floor (where the watermarks stood before), without which its first move has no time.
    QSqlQuery *update = db.prepared(QStringLiteral(
        "UPDATE watermark_moves SET at_ms = ?, delivered_seq = ?, read_seq = ? WHERE "
        "conversation_id = ? AND user_id = ? AND minute = ?"));
    if (!db.run(update, {atMs, delivered, read, conversation, user, minute}))
        return db.failure();
    if (update->numRowsAffected() > 0)
        return Ok{};
    QSqlQuery *any = db.prepared(QStringLiteral(
        "SELECT 1 FROM watermark_moves WHERE conversation_id = ? AND user_id = ? LIMIT 1"));
    if (!db.run(any, {conversation, user}))
        return db.failure();
    const bool first = !any->next();
    any->finish();
    QSqlQuery *insert = db.prepared(QStringLiteral(
        "INSERT INTO watermark_moves (conversation_id, user_id, minute, at_ms, delivered_seq, "
        "read_seq) VALUES (?, ?, ?, ?, ?, ?)"));
    if (first && !db.run(insert, {conversation, user, minute - 1, 0, oldDelivered, oldRead}))
        return db.failure();
    if (!db.run(insert, {conversation, user, minute, atMs, delivered, read}))
        return db.failure();
    // The newest row before the cut stays: it shows where the watermark stood, which the first
    // row after it needs to have a time.
    QSqlQuery *prune = db.prepared(QStringLiteral(
        "DELETE FROM watermark_moves WHERE conversation_id = ? AND user_id = ? AND minute < "
        "(SELECT MAX(minute) FROM watermark_moves WHERE conversation_id = ? AND user_id = ? AND "
        "minute < ?)"));
    if (!db.run(prune,
                {conversation, user, conversation, user, (atMs - kReceiptTimesKeptMs) / kMinuteMs}))
        return db.failure();
    return Ok{};
}

Result<std::optional<qint64>> watermarkTime(SqlDb &db, const QString &conversation,
                                            const QString &user, qint64 seq, bool read)
{
    // Watermarks only grow, so the first row at or above seq is the minute that passed it, if
    // a row below it shows where the watermark was before.
    QSqlQuery *passed = db.prepared(
        read ? QStringLiteral("SELECT at_ms FROM watermark_moves WHERE conversation_id = ? AND "
                              "user_id = ? AND read_seq >= ? ORDER BY read_seq, minute LIMIT 1")
             : QStringLiteral("SELECT at_ms FROM watermark_moves WHERE conversation_id = ? AND "
                              "user_id = ? AND delivered_seq >= ? ORDER BY delivered_seq, minute "
                              "LIMIT 1"));
    if (!db.run(passed, {conversation, user, seq}))
        return db.failure();
    const qint64 at = passed->next() ? passed->value(0).toLongLong() : 0;
    passed->finish();
    if (at <= 0)
        return std::optional<qint64>();
    QSqlQuery *before = db.prepared(
        read ? QStringLiteral("SELECT 1 FROM watermark_moves WHERE conversation_id = ? AND "
                              "user_id = ? AND read_seq < ? LIMIT 1")
             : QStringLiteral("SELECT 1 FROM watermark_moves WHERE conversation_id = ? AND "
                              "user_id = ? AND delivered_seq < ? LIMIT 1"));
    if (!db.run(before, {conversation, user, seq}))
        return db.failure();
    const bool known = before->next();
    before->finish();
    return known ? std::optional<qint64>(at) : std::optional<qint64>();
}

} // namespace tern::server::store::ops
