#include "MediaFiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QtConcurrent>

#include <fcntl.h>
#include <unistd.h>

namespace tern::server::media {

namespace {
constexpr qint64 kHashBlock = 1024 * 1024;

Error ioError(const QString &what, const QFile &file)
{
    return Error{ErrorCode::Internal, what + QStringLiteral(": ") + file.errorString()};
}

bool syncDir(const QString &dir)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}
} // namespace

MediaFiles::MediaFiles(const QString &dataDir)
    : m_root(QDir(dataDir).filePath(QStringLiteral("media")))
{
    m_writes.setMaxThreadCount(1);
    m_reads.setMaxThreadCount(2);
}

MediaFiles::~MediaFiles()
{
    m_writes.waitForDone();
    m_reads.waitForDone();
}

QString MediaFiles::finalPath(const QString &id) const
{
    // Callers pass only ids that passed isMediaId(): no client string reaches a path.
    return m_root + QLatin1Char('/') + id.left(2) + QLatin1Char('/') + id;
}

QString MediaFiles::partPath(const QString &id) const
{
    return finalPath(id) + QStringLiteral(".part");
}

QFuture<Result<qint64>> MediaFiles::append(QString id, qint64 offset, QByteArray data)
{
    const QString path = partPath(id);
    return QtConcurrent::run(&m_writes, [path, offset, data]() -> Result<qint64> {
        QDir().mkpath(QFileInfo(path).path());
        QFile file(path);
        if (!file.open(QIODevice::ReadWrite))
            return ioError(QStringLiteral("cannot open upload"), file);
        const qint64 stored = file.size();
        if (stored != offset)
            return Error{ErrorCode::Conflict, QString::number(stored)};
        if (!file.seek(stored) || file.write(data) != data.size()) {
            const Error e = ioError(QStringLiteral("cannot write upload"), file);
            file.resize(stored); // no half chunk: the stored length stays a clean resume point
            return e;
        }
        if (!file.flush()) {
            const Error e = ioError(QStringLiteral("cannot write upload"), file);
            file.resize(stored);
            return e;
        }
        return stored + data.size();
    });
}

QFuture<Result<QPair<qint64, qint64>>> MediaFiles::partState(QString id)
{
    const QString path = partPath(id);
    return QtConcurrent::run(&m_reads, [path]() -> Result<QPair<qint64, qint64>> {
        const QFileInfo info(path);
        if (!info.exists())
            return QPair<qint64, qint64>{0, 0};
        return QPair<qint64, qint64>{info.size(), info.lastModified().toMSecsSinceEpoch()};
    });
}

QFuture<Status> MediaFiles::finish(QString id, qint64 size, QString sha256Hex)
{
    const QString part = partPath(id);
    const QString final = finalPath(id);
    return QtConcurrent::run(&m_writes, [part, final, size, sha256Hex]() -> Status {
        if (QFileInfo::exists(final) && !QFileInfo::exists(part))
            return Ok{}; // finished before (a retried finish)
        QFile file(part);
        if (!file.open(QIODevice::ReadOnly))
            return Error{ErrorCode::BadRequest, QStringLiteral("nothing was uploaded")};
        if (file.size() != size)
            return Error{ErrorCode::BadRequest,
                         QStringLiteral("%1 of %2 bytes uploaded").arg(file.size()).arg(size)};
        QCryptographicHash hash(QCryptographicHash::Sha256);
        while (!file.atEnd()) {
            const QByteArray block = file.read(kHashBlock);
            if (block.isEmpty() && file.error() != QFile::NoError)
                return ioError(QStringLiteral("cannot read upload"), file);
            hash.addData(block);
        }
        if (QString::fromLatin1(hash.result().toHex()) != sha256Hex)
            return Error{ErrorCode::BadRequest,
                         QStringLiteral("the uploaded bytes do not match the declared SHA-256")};
        // Durable before it is usable: the bytes, the new name, and the folder entry.
        if (::fsync(file.handle()) != 0)
            return ioError(QStringLiteral("cannot sync upload"), file);
        file.close();
        if (!QFile::rename(part, final))
            return Error{ErrorCode::Internal, QStringLiteral("cannot move the upload into place")};
        syncDir(QFileInfo(final).path());
        return Ok{};
    });
}

QFuture<Status> MediaFiles::remove(QString id)
{
    const QString part = partPath(id);
    return QtConcurrent::run(&m_writes, [part]() -> Status {
        if (QFileInfo::exists(part) && !QFile::remove(part))
            return Error{ErrorCode::Internal, QStringLiteral("cannot delete ") + part};
        return Ok{};
    });
}

QFuture<Status> MediaFiles::removeFinished(QString id)
{
    const QString path = finalPath(id);
    return QtConcurrent::run(&m_writes, [path]() -> Status {
        if (QFileInfo::exists(path) && !QFile::remove(path))
            return Error{ErrorCode::Internal, QStringLiteral("cannot delete ") + path};
        return Ok{};
    });
}

QFuture<Result<qint64>> MediaFiles::storedSize(QString id)
{
    const QString path = finalPath(id);
    return QtConcurrent::run(&m_reads, [path]() -> Result<qint64> {
        const QFileInfo info(path);
        if (!info.isFile())
            return Error{ErrorCode::NotFound, QStringLiteral("media file missing: ") + path};
        return info.size();
    });
}

QFuture<Result<QByteArray>> MediaFiles::read(QString id, qint64 offset, qint64 length)
{
    const QString path = finalPath(id);
    return QtConcurrent::run(&m_reads, [path, offset, length]() -> Result<QByteArray> {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return ioError(QStringLiteral("cannot open media"), file);
        if (!file.seek(offset))
            return ioError(QStringLiteral("cannot seek media"), file);
        QByteArray data = file.read(length);
        if (data.isEmpty() && length > 0)
            return ioError(QStringLiteral("cannot read media"), file);
        return data;
    });
}

} // namespace tern::server::media
