// SqlStore: media records and who may download them.

#include "SqlStore.h"

#include "server/store/SqlHelpers.h"
#include "shared/core/Clock.h"

#include <QSqlQuery>

namespace tern::server::store {

using namespace ops;

namespace {
const QString kMediaColumns =
    QStringLiteral("id, uploader, name, mime, size, sha256, complete, created_ms");

MediaRecord mediaAt(const QSqlQuery &q)
{
    return MediaRecord{q.value(0).toString(),   q.value(1).toString(),   q.value(2).toString(),
                       q.value(3).toString(),   q.value(4).toLongLong(), q.value(5).toString(),
                       q.value(6).toInt() != 0, q.value(7).toLongLong()};
}

Error mediaNotFound()
{
    return Error{ErrorCode::NotFound, QStringLiteral("media not found")};
}
} // namespace

namespace ops {

Result<MediaRecord> downloadableMedia(SqlDb &db, const QString &userId, const QString &mediaId)
{
    QSqlQuery *q = db.prepared(
        QStringLiteral("SELECT ") + kMediaColumns +
        QStringLiteral(" FROM media m WHERE m.id = ? AND m.complete = 1 AND (m.uploader = ? OR "
                       "EXISTS (SELECT 1 FROM media_refs r JOIN members mb ON "
                       "mb.conversation_id = r.conversation_id AND mb.user_id = ? AND "
                       "mb.left_seq IS NULL WHERE r.media_id = m.id AND r.seq >= mb.joined_seq))"));
    if (!db.run(q, {mediaId, userId, userId}))
        return db.failure();
    if (!q->next())
        return mediaNotFound();
    return mediaAt(*q);
}

Status referenceMedia(SqlDb &db, const QString &mediaId, const QString &conversation, qint64 seq)
{
    QSqlQuery *q = db.prepared(
        QStringLiteral("INSERT INTO media_refs (media_id, conversation_id, seq) VALUES (?, ?, ?) "
                       "ON CONFLICT (media_id, conversation_id) DO UPDATE SET seq = excluded.seq "
                       "WHERE excluded.seq > media_refs.seq"));
    if (!db.run(q, {mediaId, conversation, seq}))
        return db.failure();
    return Ok{};
}

} // namespace ops

QFuture<Status> SqlStore::createUpload(MediaRecord record, UploadLimits limits)
{
    return m_worker->write<Ok>([=](SqlDb &db) -> Status {
        if (limits.maxOpen > 0) {
            // Declarations cost nothing to send: without this bound one user could fill the
            // table (and the sweep) with thousands of 1-byte uploads a second.
            QSqlQuery *open = db.prepared(
                QStringLiteral("SELECT COUNT(*) FROM media WHERE uploader = ? AND complete = 0"));
            if (!db.run(open, {record.uploader}))
                return db.failure();
            const qint64 count = open->next() ? open->value(0).toLongLong() : 0;
            if (count >= limits.maxOpen)
                return Error{
                    ErrorCode::RateLimited,
                    QStringLiteral("%1 unfinished uploads: finish or cancel one first").arg(count)};
        }
        if (limits.quotaBytes > 0) {
            QSqlQuery *used = db.prepared(QStringLiteral(
                "SELECT COALESCE(SUM(CASE WHEN size < ? THEN ? ELSE size END), 0) FROM media "
                "WHERE uploader = ?"));
            if (!db.run(used, {limits.minCharge, limits.minCharge, record.uploader}))
                return db.failure();
            const qint64 total = used->next() ? used->value(0).toLongLong() : 0;
            if (total + std::max(record.size, limits.minCharge) > limits.quotaBytes)
                return Error{ErrorCode::LimitExceeded,
                             QStringLiteral("storage quota exceeded: %1 of %2 bytes in use")
                                 .arg(total)
                                 .arg(limits.quotaBytes)};
        }
        QSqlQuery *insert = db.prepared(QStringLiteral("INSERT INTO media (") + kMediaColumns +
                                        QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, 0, ?)"));
        if (!db.run(insert, {record.id, record.uploader, record.name, record.mime, record.size,
                             record.sha256, record.createdMs}))
            return db.failure();
        return Ok{};
    });
}

QFuture<Result<MediaRecord>> SqlStore::mediaRecord(QString mediaId)
{
    return m_worker->read<MediaRecord>([=](SqlDb &db) -> Result<MediaRecord> {
        QSqlQuery *q = db.prepared(QStringLiteral("SELECT ") + kMediaColumns +
                                   QStringLiteral(" FROM media WHERE id = ?"));
        if (!db.run(q, {mediaId}))
            return db.failure();
        if (!q->next())
            return mediaNotFound();
        return mediaAt(*q);
    });
}

QFuture<Status> SqlStore::completeUpload(QString mediaId)
{
    return m_worker->write<Ok>([=](SqlDb &db) -> Status {
        QSqlQuery *q = db.prepared(QStringLiteral("UPDATE media SET complete = 1 WHERE id = ?"));
        if (!db.run(q, {mediaId}))
            return db.failure();
        return Ok{};
    });
}

QFuture<Status> SqlStore::deleteUpload(QString mediaId)
{
    return m_worker->write<Ok>([=](SqlDb &db) -> Status {
        // Only incomplete uploads are deleted: a message may already point at finished media.
        QSqlQuery *q =
            db.prepared(QStringLiteral("DELETE FROM media WHERE id = ? AND complete = 0"));
        if (!db.run(q, {mediaId}))
            return db.failure();
        return Ok{};
    });
}

QFuture<Result<MediaRecord>> SqlStore::downloadableMedia(QString userId, QString mediaId)
{
    return m_worker->read<MediaRecord>([=](SqlDb &db) -> Result<MediaRecord> {
        return ops::downloadableMedia(db, userId, mediaId);
    });
}

QFuture<Result<QList<MediaRecord>>> SqlStore::staleUploads(qint64 createdBeforeMs, int limit)
{
    return m_worker->read<QList<MediaRecord>>([=](SqlDb &db) -> Result<QList<MediaRecord>> {
        QSqlQuery *q = db.prepared(QStringLiteral("SELECT ") + kMediaColumns +
                                   QStringLiteral(" FROM media WHERE complete = 0 AND "
                                                  "created_ms < ? ORDER BY created_ms LIMIT ?"));
        if (!db.run(q, {createdBeforeMs, limit}))
            return db.failure();
        QList<MediaRecord> out;
        while (q->next())
            out.append(mediaAt(*q));
        return out;
    });
}

} // namespace tern::server::store
