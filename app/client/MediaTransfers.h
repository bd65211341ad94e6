#pragma once

//! Media of one account: a file or pasted picture becomes an outbox item with its declaration
//! and thumbnail; its upload runs (and resumes after reconnects and restarts) before the
//! Outbox sends the message. Downloads go through MediaDownloads; every HTTP reply gets the
//! pin of its server (PinnedNetworkAccess).
//
// Threading/lifetime: main thread, like its ChatConnection and Outbox (not owned; both must
// outlive this, ChatClient destroys the parts first). Files are read and pictures saved on
// worker threads; coroutines take parameters by value and re-check a QPointer to this object
// after every co_await. Destroying it aborts the running uploads and downloads (children); the
// messages stay queued and their uploads resume next time.

#include "app/cache/CacheTypes.h"
#include "shared/core/Result.h"
#include "shared/protocol/HttpAnswers.h"
#include "shared/protocol/Media.h"

#include <QHash>
#include <QImage>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <qcoro/qcorotask.h>

class QNetworkAccessManager;

namespace tern::app::client {

class ChatConnection;
class MediaDownload;
class MediaDownloads;
class MediaUpload;
class Outbox;
class PinnedNetworkAccess;

class MediaTransfers : public QObject
{
    Q_OBJECT
public:
    MediaTransfers(ChatConnection *connection, Outbox *outbox, QObject *parent = nullptr);

    ChatConnection *connection() const { return m_connection; }

    //! Queues a media message for a local file: a picture (with a thumbnail) when its contents
    //! are an image Qt can draw, else a file. The message is durable at once, shown with its
    //! thumbnail, and sent once its upload has finished; the upload resumes after reconnects and
    //! restarts. Returns the message id. `options`: the seq it replies to, mentions (issue 19).
    QString sendFile(const QString &to, const QString &path,
                     const cache::MessageOptions &options = {});
    //! An image without a file (pasted): saved under `outgoingDir` first, then as sendFile.
    QString sendImage(const QString &to, const QImage &image, const QString &outgoingDir,
                      const cache::MessageOptions &options = {});
    //! Withdraws a media message whose upload has not finished: stops a running upload, deletes
    //! it on the server and drops the message from the outbox. A queued one whose upload has not
    //! started (written offline, or waiting for a retry) is dropped from the outbox once the
    //! store confirms it still lacks its media id. Outbox::messageCancelled follows when it was
    //! withdrawn; false when it is known to be on its way already (uploaded) or withdrawn.
    bool cancel(const QString &id);
    //! Downloads media into `cacheDir` (a folder named by media id, the file by the sanitised
    //! name); the object reports the outcome. `knownCopy` is a file this device already has for
    //! it (from MediaDownloads' own records, never from the wire): used when it still exists.
    MediaDownload *download(const protocol::Media &media, const QString &cacheDir,
                            const QString &knownCopy = {});
    //! The account's managed downloads (progress, cancel, resume); see MediaDownloads.
    MediaDownloads *downloads() const { return m_downloads; }

signals:
    //! Upload progress of a queued media message (bytes).
    void uploadProgress(const QString &id, qint64 sent, qint64 total);
    //! The upload of queued message `id` finished: `media` now carries its `media_id`.
    void mediaUploaded(const QString &id, const tern::protocol::Media &media);

private:
    QCoro::Task<> prepareAndQueue(cache::OutboxItem item, QString path);
    QCoro::Task<> saveAndQueue(cache::OutboxItem item, QImage image, QString outgoingDir);
    //! Starts (or leaves running) the upload of a queued media message.
    void ensureUpload(const cache::OutboxItem &item);
    //! `stored`: the media API's answer for the finished upload (its id and stored fields).
    QCoro::Task<> uploadFinished(cache::OutboxItem item, protocol::StoredMedia stored);
    //! cancel() of a queued item without a running upload: checks the outbox, then withdraws.
    QCoro::Task<> withdrawQueued(QString id);
    //! The HTTP client of the media API, made on first use.
    QNetworkAccessManager *http();
    void onTrustMayHaveChanged();

    ChatConnection *m_connection;
    Outbox *m_outbox;
    MediaDownloads *m_downloads = nullptr; // child, made before m_http: destroyed first
    PinnedNetworkAccess *m_http = nullptr;
    bool m_refused = false; // certificate refused: no upload retry until the pin changes
    QHash<QString, QPointer<MediaUpload>> m_uploads; // by message id
    // Message ids whose upload finished (on their way: no longer cancellable) or that were
    // withdrawn (no upload may start for them), this session.
    QSet<QString> m_uploaded;
    QSet<QString> m_withdrawn;
};

} // namespace tern::app::client
