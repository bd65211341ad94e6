#pragma once

// The bytes of media objects on disk, under <data dir>/media/<first two>/<id>[.part]. Every call
// runs on a worker pool (never on the socket thread) and answers with a QFuture. Appends and
// finishing run on one thread, so writes to one upload never race.

#include "shared/core/Result.h"

#include <QFuture>
#include <QString>
#include <QThreadPool>

namespace tern::server::media {

class MediaFiles
{
public:
    explicit MediaFiles(const QString &dataDir);
    ~MediaFiles();

    QString partPath(const QString &id) const;
    QString finalPath(const QString &id) const;

    //! Appends `data` to the upload if it now holds exactly `offset` bytes; the new length, or
    //! conflict (message: the stored length) when the offset is wrong.
    QFuture<Result<qint64>> append(QString id, qint64 offset, QByteArray data);
    //! Bytes stored so far of an incomplete upload (0 if none yet) and its last change (ms).
    QFuture<Result<QPair<qint64, qint64>>> partState(QString id);
    //! Checks length and SHA-256, fsyncs and moves the upload into place.
    QFuture<Status> finish(QString id, qint64 size, QString sha256Hex);
    QFuture<Status> remove(QString id);
    //! Deletes a finished media file (its record is already gone: a delete freed it).
    QFuture<Status> removeFinished(QString id);
    //! Size of a finished media file on disk; not_found when the file is gone.
    QFuture<Result<qint64>> storedSize(QString id);
    //! Up to `length` bytes of finished media from `offset`.
    QFuture<Result<QByteArray>> read(QString id, qint64 offset, qint64 length);

private:
    QString m_root;
    QThreadPool m_writes;
    QThreadPool m_reads;
};

} // namespace tern::server::media
