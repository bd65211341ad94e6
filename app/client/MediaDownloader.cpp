#include "MediaDownloader.h"

#include "app/client/MediaHttp.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QtConcurrent>

#include <qcoro/qcorofuture.h>
#include <qcoro/qcoronetworkreply.h>
#include <qcoro/qcorotimer.h>

#include <chrono>

namespace tern::app::client {

namespace {

// Bounds what the network stack holds for us; the socket waits while the disk catches up.
constexpr qint64 kReadBufferBytes = 1024 * 1024;

//! `bytes first-last/total` → first and total (-1 when absent or `*`).
bool parseContentRange(const QByteArray &header, qint64 *first, qint64 *total)
{
    const QByteArray value = header.trimmed();
    if (!value.startsWith("bytes "))
        return false;
    const qsizetype dash = value.indexOf('-');
    const qsizetype slash = value.indexOf('/');
    if (dash < 0 || slash < dash)
        return false;
    bool ok = false;
    *first = value.mid(6, dash - 6).trimmed().toLongLong(&ok);
    if (!ok)
        return false;
    const QByteArray totalText = value.mid(slash + 1).trimmed();
    *total = totalText == "*" ? -1 : totalText.toLongLong(&ok);
    return ok;
}

} // namespace

MediaDownloader::MediaDownloader(QNetworkAccessManager *http, const QUrl &serverUrl, QString token,
                                 QObject *parent)
    : QObject(parent), m_http(http), m_base(httpBaseUrl(serverUrl)), m_token(std::move(token))
{
    qRegisterMetaType<tern::Error>();
}

MediaDownloader::~MediaDownloader()
{
    stop();
}

QString MediaDownloader::cachePath(const QString &cacheDir, const QString &mediaId)
{
    // The id comes from another user's message: only a real media id may name a file.
    if (!isMediaId(mediaId))
        return {};
    return QDir(cacheDir).filePath(mediaId);
}

QString MediaDownloader::partPath(const QString &cacheDir, const QString &mediaId)
{
    const QString path = cachePath(cacheDir, mediaId);
    return path.isEmpty() ? path : path + QStringLiteral(".part");
}

void MediaDownloader::setRetryPolicy(const BackoffPolicy &backoff, int maxAttempts)
{
    m_backoff = backoff;
    m_maxAttempts = qMax(maxAttempts, 0);
}

void MediaDownloader::start(const QString &mediaId, const QString &sha256, qint64 size,
                            const QString &cacheDir)
{
    if (isRunning())
        return;
    m_mediaId = mediaId;
    m_sha256 = sha256.toLower();
    m_total = qMax<qint64>(size, 0);
    m_target = cachePath(cacheDir, mediaId);
    m_part = partPath(cacheDir, mediaId);
    m_received = 0;
    m_failures = 0;
    m_backoff.reset();
    m_run = std::make_shared<Run>();
    run(m_run);
}

void MediaDownloader::cancel()
{
    stop();
}

void MediaDownloader::stop()
{
    if (m_run) {
        m_run->stopped = true;
        m_run.reset();
    }
    m_writing = false;
    // Aborting finishes the reply at once; the coroutine wakes, sees the stop flag and ends.
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply = nullptr;
        reply->abort();
    }
    m_file.close(); // what arrived stays in the .part
}

void MediaDownloader::fail(const Error &error)
{
    stop();
    emit failed(error);
}

void MediaDownloader::setReceived(qint64 received)
{
    if (received == m_received)
        return;
    m_received = received;
    emit progress(received, m_total);
}

QCoro::Task<bool> MediaDownloader::backOff(std::shared_ptr<Run> run, Error error)
{
    if (++m_failures > m_maxAttempts) {
        fail(error);
        co_return false;
    }
    QPointer<MediaDownloader> self(this);
    const std::chrono::milliseconds delay(m_backoff.nextDelayMs());
    co_await QCoro::sleepFor(delay);
    co_return self && !run->stopped;
}

void MediaDownloader::onHead(QNetworkReply *reply, qint64 partSize)
{
    m_writing = false;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200 && status != 206)
        return; // an error answer: its JSON body is not media
    QByteArray etag = reply->rawHeader("ETag").trimmed();
    if (etag.startsWith("W/"))
        etag = etag.mid(2);
    etag.replace('"', QByteArray());
    if (!etag.isEmpty() && QString::fromLatin1(etag).toLower() != m_sha256) {
        // Not the bytes the message announced: don't spend the bandwidth.
        m_writeError = QStringLiteral("the server's file is not the one the message names");
        QMetaObject::invokeMethod(reply, &QNetworkReply::abort, Qt::QueuedConnection);
        return;
    }
    if (status == 206) {
        qint64 first = -1;
        qint64 total = -1;
        if (!parseContentRange(reply->rawHeader("Content-Range"), &first, &total) ||
            first != partSize) {
            m_writeError = QStringLiteral("the server sent another range than asked for");
            QMetaObject::invokeMethod(reply, &QNetworkReply::abort, Qt::QueuedConnection);
            return;
        }
        if (total > 0)
            m_total = total;
        m_writing = m_file.seek(partSize);
    } else {
        // The whole file (the server ignored the range, or none was asked for): start over.
        const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
        if (length > 0)
            m_total = length;
        m_writing = m_file.resize(0) && m_file.seek(0);
        setReceived(0);
    }
    if (!m_writing) {
        m_writeError = m_file.errorString();
        QMetaObject::invokeMethod(reply, &QNetworkReply::abort, Qt::QueuedConnection);
    }
}

void MediaDownloader::drain(QNetworkReply *reply)
{
    if (!m_writing)
        return;
    const QByteArray data = reply->readAll();
    if (data.isEmpty())
        return;
    if (m_file.write(data) != data.size()) {
        m_writing = false;
        m_writeError = m_file.errorString();
        QMetaObject::invokeMethod(reply, &QNetworkReply::abort, Qt::QueuedConnection);
        return;
    }
    setReceived(m_received + data.size());
}

QCoro::Task<> MediaDownloader::run(std::shared_ptr<Run> run)
{
    QPointer<MediaDownloader> self(this);
    // Checked after every co_await and every emit (a slot may stop or delete the downloader).
    const auto gone = [&self, &run] { return !self || run->stopped; };

    // Results arrive after start() returned, even when nothing needs to be fetched.
    co_await QCoro::sleepFor(std::chrono::milliseconds(0));
    if (gone())
        co_return;
    if (m_target.isEmpty()) {
        fail(Error{ErrorCode::BadRequest, QStringLiteral("not a media id: %1").arg(m_mediaId)});
        co_return;
    }
    if (QFileInfo::exists(m_target)) {
        stop();
        emit finished(m_target);
        co_return;
    }
    if (!isSha256Hex(m_sha256)) {
        fail(Error{ErrorCode::BadRequest, QStringLiteral("no SHA-256 to check the download")});
        co_return;
    }
    if (!m_base.isValid()) {
        fail(Error{ErrorCode::BadRequest, QStringLiteral("no server address for media")});
        co_return;
    }
    if (!QDir().mkpath(QFileInfo(m_target).absolutePath())) {
        fail(Error{ErrorCode::Internal,
                   QStringLiteral("cannot create %1").arg(QFileInfo(m_target).absolutePath())});
        co_return;
    }

    bool restarted = false; // an unusable .part is dropped and fetched again, once
    for (;;) {
        qint64 partSize = QFileInfo(m_part).size(); // 0 when there is none
        if (m_total > 0 && partSize > m_total) {
            QFile::remove(m_part);
            partSize = 0;
        }
        setReceived(partSize);
        if (gone())
            co_return;
        if (m_total > 0 && partSize == m_total)
            break; // all here (the app stopped before checking it)

        m_file.setFileName(m_part);
        if (!m_file.open(QIODevice::ReadWrite)) {
            fail(Error{ErrorCode::Internal,
                       QStringLiteral("cannot write %1: %2").arg(m_part, m_file.errorString())});
            co_return;
        }
        QNetworkRequest request = mediaRequest(m_base, QStringLiteral("/api/v1/media/") + m_mediaId,
                                               m_token, m_timeoutMs);
        if (partSize > 0)
            request.setRawHeader("Range", "bytes=" + QByteArray::number(partSize) + '-');
        m_writing = false;
        m_writeError.clear();
        QNetworkReply *reply = m_http->get(request);
        reply->setReadBufferSize(kReadBufferBytes);
        connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
        connect(reply, &QNetworkReply::metaDataChanged, this,
                [this, reply, partSize] { onHead(reply, partSize); });
        connect(reply, &QNetworkReply::readyRead, this, [this, reply] { drain(reply); });
        m_reply = reply;
        if (!reply->isFinished())
            co_await reply;
        if (gone())
            co_return;
        drain(reply);
        if (gone())
            co_return;
        const bool wrote = m_writing;
        const HttpExchange result = exchangeOf(reply, !wrote);
        m_writing = false;
        m_reply = nullptr;
        const bool flushed = m_file.flush();
        m_file.close();
        if (!m_writeError.isEmpty() || !flushed) {
            fail(Error{ErrorCode::Internal,
                       m_writeError.isEmpty() ? m_file.errorString() : m_writeError});
            co_return;
        }
        if (result.ok() && wrote)
            break;
        if (m_received > partSize) {
            m_failures = 0; // it moved: a drop after progress starts the backoff afresh
            m_backoff.reset();
        }
        if (result.status == 416 && !restarted) {
            restarted = true; // the .part is longer than the file: it is not this file's
            QFile::remove(m_part);
            continue;
        }
        if (result.ok() || !result.transient()) {
            fail(result.ok() ? Error{ErrorCode::Internal,
                                     QStringLiteral("HTTP %1 without media").arg(result.status)}
                             : result.error());
            co_return;
        }
        QCoro::Task<bool> waiting = backOff(run, result.error());
        if (!co_await std::move(waiting) || gone())
            co_return;
    }

    // The bytes are checked before anything may show them.
    const QString part = m_part;
    QFuture<Result<FileDigest>> hashing = QtConcurrent::run(&sha256OfFile, part);
    const Result<FileDigest> digest = co_await hashing;
    if (gone())
        co_return;
    if (!digest) {
        fail(digest.error());
        co_return;
    }
    if (digest->sha256 != m_sha256) {
        QFile::remove(m_part);
        fail(Error{ErrorCode::BadRequest,
                   QStringLiteral("the download does not match its SHA-256; it was deleted")});
        co_return;
    }
    if (QFileInfo::exists(m_target))
        QFile::remove(m_part); // another downloader was faster; the cache holds it
    else if (!QFile::rename(m_part, m_target)) {
        fail(Error{ErrorCode::Internal, QStringLiteral("cannot move %1 into place").arg(m_part)});
        co_return;
    }
    stop();
    emit finished(m_target);
}

} // namespace tern::app::client
