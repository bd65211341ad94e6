#include "MediaTransfers.h"

#include "app/cache/LocalStore.h"
#include "app/client/ChatConnection.h"
#include "app/client/MediaDownload.h"
#include "app/client/MediaDownloads.h"
#include "app/client/MediaUpload.h"
#include "app/client/Outbox.h"
#include "app/client/PinnedNetworkAccess.h"
#include "app/client/Thumbnailer.h"
#include "app/client/TrustedServers.h"
#include "shared/core/Clock.h"
#include "shared/core/Log.h"
#include "shared/model/Validation.h"
#include "shared/protocol/Codec.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QMimeDatabase>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QUuid>
#include <QtConcurrent>

namespace tern::app::client {

namespace {

//! Everything a media message needs from its file, read on a worker thread.
struct DescribedFile
{
    protocol::Media media; // what the message will say about the file
    QString localPath;     // this device's, kept in the outbox
    protocol::MessageKind kind = protocol::MessageKind::File;
};

Result<DescribedFile> describeFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{ErrorCode::NotFound,
                     QStringLiteral("cannot read %1: %2").arg(path, file.errorString())};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return Error{ErrorCode::Internal, file.errorString()};
    const QFileInfo info(path);
    if (info.size() == 0)
        return Error{ErrorCode::BadRequest, QStringLiteral("%1 is empty").arg(info.fileName())};
    const QString mime = QMimeDatabase().mimeTypeForFile(info).name();
    DescribedFile described;
    described.localPath = info.absoluteFilePath();
    protocol::Media &media = described.media;
    media.name = info.fileName();
    media.mime = mime;
    media.size = info.size();
    media.sha256 = QString::fromLatin1(hash.result().toHex());
    // A picture only when Qt can draw it (and a thumbnail comes out); anything else is a file.
    if (mime.startsWith(QLatin1String("image/")) &&
        QImageReader::supportedMimeTypes().contains(mime.toLatin1())) {
        const Result<Thumbnail> thumbnail = Thumbnailer::fromFile(path);
        if (thumbnail) {
            media.thumbnail = QString::fromLatin1(thumbnail->jpeg.toBase64());
            media.width = thumbnail->fullSize.width();
            media.height = thumbnail->fullSize.height();
            described.kind = protocol::MessageKind::Image;
        }
    }
    return described;
}

Result<QString> saveImage(const QImage &image, const QString &dir)
{
    QDir().mkpath(dir);
    const QString path = QDir(dir).filePath(
        QStringLiteral("image-%1.png").arg(QUuid::createUuid().toString(QUuid::Id128).left(12)));
    if (!image.save(path, "PNG"))
        return Error{ErrorCode::Internal, QStringLiteral("cannot save the pasted image")};
    return path;
}

} // namespace

MediaTransfers::MediaTransfers(ChatConnection *connection, Outbox *outbox, QObject *parent)
    : QObject(parent), m_connection(connection), m_outbox(outbox)
{
    // Made before the network manager, so it is destroyed first and aborts its replies.
    m_downloads = new MediaDownloads(this);
    connect(outbox, &Outbox::uploadNeeded, this, &MediaTransfers::ensureUpload);
    connect(connection, &ChatConnection::trustMayHaveChanged, this,
            &MediaTransfers::onTrustMayHaveChanged);
    connect(connection, &ChatConnection::trustedServersChanged, this,
            [this](TrustedServers *trusted) {
                if (m_http)
                    m_http->setTrustedServers(trusted);
            });
}

void MediaTransfers::onTrustMayHaveChanged()
{
    if (!m_refused)
        return;
    m_refused = false;
    m_outbox->flush(); // restarts the uploads that were refused
}

QString MediaTransfers::sendFile(const QString &to, const QString &path,
                                 const cache::MessageOptions &options)
{
    cache::OutboxItem item;
    item.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    item.to = to;
    item.kind = protocol::MessageKind::File; // or Image: decided with the contents, off-thread
    item.ts = nowMs();
    item.replyTo = options.replyTo;
    item.mentions = options.mentions;
    item.forwarded = options.forwarded;
    prepareAndQueue(item, path);
    return item.id;
}

QString MediaTransfers::sendImage(const QString &to, const QImage &image,
                                  const QString &outgoingDir, const cache::MessageOptions &options)
{
    cache::OutboxItem item;
    item.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    item.to = to;
    item.kind = protocol::MessageKind::Image;
    item.ts = nowMs();
    item.replyTo = options.replyTo;
    item.mentions = options.mentions;
    item.forwarded = options.forwarded;
    saveAndQueue(item, image, outgoingDir);
    return item.id;
}

QCoro::Task<> MediaTransfers::saveAndQueue(cache::OutboxItem item, QImage image,
                                           QString outgoingDir)
{
    QPointer<MediaTransfers> self(this);
    QFuture<Result<QString>> saving = QtConcurrent::run(saveImage, image, outgoingDir);
    const Result<QString> saved = co_await saving;
    if (!self)
        co_return;
    if (!saved) {
        m_outbox->fail(item.id, saved.error(), false);
        co_return;
    }
    QCoro::Task<> preparing = prepareAndQueue(item, *saved);
    co_await std::move(preparing);
}

QCoro::Task<> MediaTransfers::prepareAndQueue(cache::OutboxItem item, QString path)
{
    QPointer<MediaTransfers> self(this);
    QFuture<Result<DescribedFile>> describing = QtConcurrent::run(describeFile, path);
    Result<DescribedFile> described = co_await describing;
    if (!self)
        co_return;
    if (!described) {
        m_outbox->fail(item.id, described.error(), false);
        co_return;
    }
    item.kind = described->kind;
    item.media = described->media;
    item.localPath = described->localPath;
    QCoro::Task<> queueing = m_outbox->queue(item);
    co_await std::move(queueing);
}

void MediaTransfers::ensureUpload(const cache::OutboxItem &item)
{
    if (m_uploads.value(item.id) || !item.media || m_withdrawn.contains(item.id))
        return;
    const protocol::Media &media = *item.media;
    MediaDeclaration declaration;
    declaration.path = item.localPath;
    declaration.name = media.name;
    declaration.mime = media.mime;
    declaration.size = media.size;
    declaration.sha256 = media.sha256;
    declaration.uploadId = item.uploadId;
    auto *upload = new MediaUpload(http(), mediaApiBase(m_connection->serverUrl()),
                                   m_connection->token(), declaration, this);
    m_uploads.insert(item.id, upload);
    const QString id = item.id;
    connect(upload, &MediaUpload::created, this, [this, id](const QString &uploadId) {
        // Remembered, so a restart resumes this upload instead of sending it all again.
        QFuture<Result<bool>> saving = m_connection->store()->updateOutboxUpload(id, uploadId);
        Q_UNUSED(saving);
    });
    connect(upload, &MediaUpload::progress, this,
            [this, id](qint64 sent, qint64 total) { emit uploadProgress(id, sent, total); });
    connect(upload, &MediaUpload::finished, this,
            [this, item, upload](const protocol::StoredMedia &done) {
                m_uploads.remove(item.id);
                m_uploaded.insert(item.id);
                upload->deleteLater();
                uploadFinished(item, done);
            });
    connect(upload, &MediaUpload::failed, this,
            [this, item, upload](const Error &error, bool permanent) {
                m_uploads.remove(item.id);
                upload->deleteLater();
                if (!permanent) {
                    qCInfo(lcNet) << "upload will be retried:" << error.message;
                    // A refused certificate is retried once the pin changes (or retryNow()).
                    if (!m_refused)
                        m_outbox->scheduleRetry();
                    return;
                }
                m_outbox->fail(item.id, error, true);
            });
    upload->start();
}

QCoro::Task<> MediaTransfers::uploadFinished(cache::OutboxItem item, protocol::StoredMedia stored)
{
    QPointer<MediaTransfers> self(this);
    // The server's answer names the media and what it stored (its name is sanitised); the
    // thumbnail and picture size stay ours.
    protocol::Media merged = *item.media;
    merged.mediaId = stored.mediaId;
    for (auto [field, value] :
         {std::pair{&merged.name, &stored.name}, std::pair{&merged.mime, &stored.mime},
          std::pair{&merged.sha256, &stored.sha256}}) {
        if (!value->isEmpty())
            *field = *value;
    }
    if (stored.size > 0)
        merged.size = stored.size;
    // The original is this device's copy of the media from now on: our own record of it, so
    // the message opens it without a download (and nothing from the wire can claim a path).
    m_downloads->adoptOriginal(merged.mediaId, item.localPath);
    QFuture<Result<bool>> saving = m_connection->store()->updateOutboxMedia(item.id, merged);
    const Result<bool> saved = co_await saving;
    if (!self || !saved || !*saved)
        co_return;
    item.media = merged;
    emit mediaUploaded(item.id, merged);
    m_outbox->send(item);
}

QNetworkAccessManager *MediaTransfers::http()
{
    if (!m_http) {
        // Every reply through it gets the pin of its server (PinnedNetworkAccess).
        m_http = new PinnedNetworkAccess(this);
        m_http->setTrustedServers(m_connection->trustedServers());
        connect(m_http, &PinnedNetworkAccess::certificateRefused, this,
                [this](CertificateProblem problem) {
                    problem.server = m_connection->serverUrl(); // as the WebSocket reports it
                    m_refused = true;
                    m_connection->noteCertificateProblem(problem);
                });
    }
    return m_http;
}

bool MediaTransfers::cancel(const QString &id)
{
    if (m_uploaded.contains(id) || m_withdrawn.contains(id))
        return false; // its message may be acked any moment, or it is gone already
    MediaUpload *upload = m_uploads.take(id);
    if (!upload) {
        // No upload running (offline, or between retries): only the outbox knows whether it is
        // a media message still without its media id.
        withdrawQueued(id);
        return true;
    }
    m_withdrawn.insert(id);
    upload->cancel();
    upload->deleteLater();
    m_outbox->withdraw(id);
    return true;
}

QCoro::Task<> MediaTransfers::withdrawQueued(QString id)
{
    QPointer<MediaTransfers> self(this);
    QFuture<Result<QList<cache::OutboxItem>>> loading = m_connection->store()->outbox();
    const Result<QList<cache::OutboxItem>> items = co_await loading;
    if (!self || !items || m_uploaded.contains(id) || m_withdrawn.contains(id))
        co_return;
    if (m_uploads.value(id)) {
        cancel(id); // its upload started meanwhile (back online): stop it as usual
        co_return;
    }
    const auto it = std::find_if(items->begin(), items->end(),
                                 [&id](const cache::OutboxItem &item) { return item.id == id; });
    if (it == items->end() || !it->media || !it->media->mediaId.isEmpty())
        co_return; // not queued, text (may be in flight), or uploaded and about to be sent
    m_withdrawn.insert(id);
    m_outbox->withdraw(id);
}

MediaDownload *MediaTransfers::download(const protocol::Media &media, const QString &cacheDir,
                                        const QString &knownCopy)
{
    // The id names the folder: only one the server could have made (never "..", "/", "C:").
    static const QRegularExpression mediaId(
        QRegularExpression::anchoredPattern(QStringLiteral("[0-9a-f]{32}")));
    QString id = media.mediaId;
    if (!mediaId.match(id).hasMatch())
        id = QStringLiteral("invalid");
    // The name is the sender's: made safe to save under (no path, no disguise, no hidden file).
    const QString name = validation::sanitizeFileName(media.name);
    const QString target = QDir(cacheDir).filePath(id + QLatin1Char('/') + name);
    auto *download = new MediaDownload(http(), mediaApiBase(m_connection->serverUrl()),
                                       m_connection->token(), id, media.sha256, target, this);
    download->setKnownCopy(knownCopy);
    return download;
}

} // namespace tern::app::client
