#include "MediaDownloads.h"

#include "app/client/ChatConnection.h"
#include "app/client/MediaDownload.h"
#include "app/client/MediaTransfers.h"
#include "shared/core/Clock.h"
#include "shared/core/Log.h"
#include "shared/protocol/Codec.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QtConcurrent>

#include <qcoro/qcorofuture.h>

namespace tern::app::client {

namespace {

constexpr int kMaxFailuresInARow = 5;
constexpr qint64 kProgressSignalMs = 100; // a bubble repaints at most ten times a second
const QString kSidecar = QStringLiteral(".download.json");
const QString kOriginal = QStringLiteral(".original"); // UTF-8 path of the file we sent

bool isMediaId(const QString &id)
{
    static const QRegularExpression mediaId(
        QRegularExpression::anchoredPattern(QStringLiteral("[0-9a-f]{32}")));
    return mediaId.match(id).hasMatch();
}

struct CacheContents
{
    QHash<QString, QString> finished;
    QList<protocol::Media> unfinished;
};

//! Runs on a worker thread: what earlier runs left in the cache folder.
CacheContents readCache(const QString &dir)
{
    CacheContents contents;
    const QFileInfoList folders = QDir(dir).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QFileInfo &folder : folders) {
        const QString id = folder.fileName();
        if (!isMediaId(id))
            continue; // "outgoing" and anything else that is not ours
        QFile original(QDir(folder.filePath()).filePath(kOriginal));
        if (original.open(QIODevice::ReadOnly)) {
            const QString path = QString::fromUtf8(original.readAll());
            if (QFileInfo(path).isFile()) {
                contents.finished.insert(id, path);
                continue;
            }
        }
        QFile sidecar(QDir(folder.filePath()).filePath(kSidecar));
        if (sidecar.open(QIODevice::ReadOnly)) {
            const protocol::Media media = protocol::fromJson<protocol::Media>(
                                              QJsonDocument::fromJson(sidecar.readAll()).object())
                                              .value();
            if (media.mediaId == id)
                contents.unfinished.append(media);
            continue;
        }
        const QFileInfoList files = QDir(folder.filePath()).entryInfoList(QDir::Files);
        for (const QFileInfo &file : files) {
            if (!file.fileName().endsWith(QLatin1String(".part"))) {
                contents.finished.insert(id, file.absoluteFilePath());
                break;
            }
        }
    }
    return contents;
}

void writeSidecar(const QString &folder, const protocol::Media &media)
{
    QDir().mkpath(folder);
    QFile file(QDir(folder).filePath(kSidecar));
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(QJsonDocument(protocol::toJson(media)).toJson(QJsonDocument::Compact));
}

void dropUnfinished(const QString &folder)
{
    QFile::remove(QDir(folder).filePath(kSidecar));
    QDirIterator parts(folder, {QStringLiteral("*.part")}, QDir::Files | QDir::Hidden);
    while (parts.hasNext())
        QFile::remove(parts.next());
    QDir().rmdir(folder); // only when nothing else is in it
}

} // namespace

MediaDownloads::MediaDownloads(MediaTransfers *media) : QObject(media), m_media(media)
{
    m_files.setMaxThreadCount(1);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &MediaDownloads::resumeWaiting);
    connect(media->connection(), &ChatConnection::stateChanged, this,
            [this](ChatConnection::State state) {
                if (state == ChatConnection::State::Online)
                    resumeWaiting();
            });
}

MediaDownloads::~MediaDownloads()
{
    for (Transfer &transfer : m_transfers)
        delete transfer.download.data(); // stops the transfer; the .part stays for next time
}

void MediaDownloads::setCacheDir(const QString &dir)
{
    m_cacheDir = dir;
    scanCache(dir);
}

QCoro::Task<> MediaDownloads::scanCache(QString dir)
{
    QPointer<MediaDownloads> self(this);
    QFuture<CacheContents> reading = QtConcurrent::run(readCache, dir);
    const CacheContents contents = co_await reading;
    if (!self || dir != m_cacheDir)
        co_return;
    for (auto it = contents.finished.cbegin(); it != contents.finished.cend(); ++it) {
        if (!m_cached.contains(it.key()))
            m_cached.insert(it.key(), it.value());
    }
    for (const protocol::Media &media : contents.unfinished) {
        const QString &id = media.mediaId;
        if (!m_transfers.contains(id) && !m_cached.contains(id)) {
            m_transfers.insert(id, Transfer{media, {}, 0, 0, 0});
            emit progressChanged(id, 0);
        }
    }
    m_ready = true;
    emit ready();
    resumeWaiting();
}

void MediaDownloads::fetch(const protocol::Media &media)
{
    const QString &id = media.mediaId;
    if (id.isEmpty() || m_cacheDir.isEmpty())
        return;
    auto it = m_transfers.find(id);
    if (it != m_transfers.end()) {
        it->failures = 0; // asked for again: a fresh set of attempts
        if (!it->download)
            startTransfer(id);
        return;
    }
    m_transfers.insert(id, Transfer{media, {}, 0, 0, 0});
    if (!m_cached.contains(id)) {
        QFuture<void> writing =
            QtConcurrent::run(&m_files, writeSidecar, QDir(m_cacheDir).filePath(id), media);
        Q_UNUSED(writing);
    }
    startTransfer(id);
}

void MediaDownloads::adoptOriginal(const QString &mediaId, const QString &path)
{
    if (!isMediaId(mediaId) || path.isEmpty())
        return;
    m_cached.insert(mediaId, path);
    if (m_cacheDir.isEmpty())
        return;
    QFuture<void> writing =
        QtConcurrent::run(&m_files, [folder = QDir(m_cacheDir).filePath(mediaId), path] {
            QDir().mkpath(folder);
            QFile file(QDir(folder).filePath(kOriginal));
            if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
                file.write(path.toUtf8());
        });
    Q_UNUSED(writing);
    emit progressChanged(mediaId, -1); // rows showing it are "on this device" now
}

bool MediaDownloads::cancel(const QString &mediaId)
{
    if (!m_transfers.contains(mediaId))
        return false;
    forget(mediaId, true);
    emit cancelled(mediaId);
    return true;
}

double MediaDownloads::progress(const QString &mediaId) const
{
    const auto it = m_transfers.constFind(mediaId);
    return it == m_transfers.cend() ? -1.0 : it->progress;
}

QString MediaDownloads::cachedPath(const QString &mediaId) const
{
    return m_cached.value(mediaId);
}

void MediaDownloads::startTransfer(const QString &mediaId)
{
    Transfer &transfer = m_transfers[mediaId];
    MediaDownload *download =
        m_media->download(transfer.media, m_cacheDir, m_cached.value(mediaId));
    download->setParent(this);
    transfer.download = download;
    connect(download, &MediaDownload::progress, this,
            [this, mediaId](qint64 received, qint64 total) {
                auto it = m_transfers.find(mediaId);
                if (it == m_transfers.end() || total <= 0)
                    return;
                it->progress = double(received) / double(total);
                const qint64 now = nowMs();
                if (now - it->lastSignalMs < kProgressSignalMs && received < total)
                    return;
                it->lastSignalMs = now;
                emit progressChanged(mediaId, it->progress);
            });
    connect(download, &MediaDownload::finished, this,
            [this, mediaId, download](const QString &path) {
                download->deleteLater();
                m_transfers.remove(mediaId);
                m_cached.insert(mediaId, path);
                QFuture<void> removing =
                    QtConcurrent::run(&m_files, [folder = QDir(m_cacheDir).filePath(mediaId)] {
                        QFile::remove(QDir(folder).filePath(kSidecar));
                    });
                Q_UNUSED(removing);
                emit progressChanged(mediaId, -1);
                emit finished(mediaId, path);
            });
    connect(download, &MediaDownload::failed, this,
            [this, mediaId, download](const Error &error, bool permanent) {
                download->deleteLater();
                onFailed(mediaId, error, permanent);
            });
    download->start();
}

void MediaDownloads::onFailed(const QString &mediaId, const Error &error, bool permanent)
{
    auto it = m_transfers.find(mediaId);
    if (it == m_transfers.end())
        return;
    it->download.clear();
    if (permanent || ++it->failures >= kMaxFailuresInARow) {
        qCInfo(lcNet) << "download of" << mediaId << "given up:" << error.message;
        forget(mediaId, true);
        emit failed(mediaId, error);
        return;
    }
    // Waits for the next time the client is online, or for the timer while it still is.
    qCInfo(lcNet) << "download of" << mediaId << "will be resumed:" << error.message;
    const int delayMs = std::min(60'000, 1000 << it->failures);
    if (!m_retryTimer.isActive() || m_retryTimer.remainingTime() > delayMs)
        m_retryTimer.start(delayMs);
}

void MediaDownloads::resumeWaiting()
{
    if (m_media->connection()->state() != ChatConnection::State::Online || m_cacheDir.isEmpty())
        return;
    const QStringList waiting = m_transfers.keys();
    for (const QString &id : waiting) {
        if (m_transfers.contains(id) && !m_transfers.value(id).download)
            startTransfer(id);
    }
}

void MediaDownloads::forget(const QString &mediaId, bool dropFiles)
{
    Transfer transfer = m_transfers.take(mediaId);
    delete transfer.download.data(); // aborts the request and waits for its last write
    if (dropFiles) {
        QFuture<void> dropping =
            QtConcurrent::run(&m_files, dropUnfinished, QDir(m_cacheDir).filePath(mediaId));
        Q_UNUSED(dropping);
    }
    emit progressChanged(mediaId, -1);
}

} // namespace tern::app::client
