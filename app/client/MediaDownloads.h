#pragma once

//! The account's downloads of received media: at most one transfer per media id, progress the
//! bubbles can show, cancel, and automatic resume after a reconnect or an app restart.
//
// What survives a restart lives in the cache folder itself: `<cacheDir>/<media id>/` holds the
// finished file, or a `.part` and a `.download.json` (the media object) while a download is
// unfinished, or a `.original` naming the file this device sent (adoptOriginal). The folder is
// read once, on a worker thread, when the cache folder is set; from
// then on the manager knows which media are downloaded without touching the disk on the UI
// thread. An interrupted transfer is taken up again when the client is next online and, while
// online, after a growing delay; it gives up after a few failures in a row.

#include "shared/core/Result.h"
#include "shared/protocol/Media.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>

#include <qcoro/qcorotask.h>

namespace tern::app::client {

class MediaTransfers;
class MediaDownload;

class MediaDownloads : public QObject
{
    Q_OBJECT
public:
    explicit MediaDownloads(MediaTransfers *media);
    ~MediaDownloads() override;

    //! Where downloads go; reads what an earlier run left there (finished and unfinished).
    void setCacheDir(const QString &dir);
    QString cacheDir() const { return m_cacheDir; }

    //! Starts (or joins) the download of `media`; `finished` follows, at once when it is cached.
    void fetch(const protocol::Media &media);
    //! Records `path` (a file this device sent as `mediaId`) as the media's local copy, kept
    //! across restarts in the cache folder. The only way a path other than our own downloads
    //! becomes one: a path from the wire never does.
    void adoptOriginal(const QString &mediaId, const QString &path);
    //! Stops a download and deletes what it had received; false when none was running.
    bool cancel(const QString &mediaId);

    //! 0..1 while `mediaId` is downloading (or waiting to resume), -1 otherwise.
    double progress(const QString &mediaId) const;
    //! The downloaded file of `mediaId`, empty when it is not in the cache.
    QString cachedPath(const QString &mediaId) const;
    //! True once the cache folder has been read (tests and the UI's first paint).
    bool isReady() const { return m_ready; }
    //! True while a retry of failed transfers is waiting for its delay (tests wait it out).
    bool isRetryScheduled() const { return m_retryTimer.isActive(); }

signals:
    void ready();
    void progressChanged(const QString &mediaId, double progress);
    void finished(const QString &mediaId, const QString &path);
    //! Given up: `permanent` (the server refuses) or after repeated failures.
    void failed(const QString &mediaId, const tern::Error &error);
    void cancelled(const QString &mediaId);

private:
    struct Transfer
    {
        protocol::Media media;
        QPointer<MediaDownload> download;
        double progress = 0;
        qint64 lastSignalMs = 0;
        int failures = 0; // in a row
    };

    QCoro::Task<> scanCache(QString dir);
    void startTransfer(const QString &mediaId);
    void resumeWaiting();
    void onFailed(const QString &mediaId, const Error &error, bool permanent);
    void forget(const QString &mediaId, bool dropFiles);

    MediaTransfers *m_media;
    QString m_cacheDir;
    bool m_ready = false;
    QHash<QString, Transfer> m_transfers; // running or waiting to resume, by media id
    QHash<QString, QString> m_cached;     // media id -> finished file
    QTimer m_retryTimer;
    QThreadPool m_files; // one thread: sidecar writes and removals happen in the order asked
};

} // namespace tern::app::client
