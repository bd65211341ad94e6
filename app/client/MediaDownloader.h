#pragma once

//! Downloads one media object into the app's cache as `<cacheDir>/<media id>`: bytes land in
//! `<media id>.part`, a later attempt (after a drop or an app restart) continues it with
//! `Range`, and the file is moved into place only once its SHA-256 matches. A file already in
//! place is the cache: it finishes at once.
//
// Threading/lifetime: lives on the thread of its QNetworkAccessManager (the app's main thread).
// Received blocks are appended to the .part as they arrive (bounded by the reply's 1 MiB read
// buffer); the final hash runs on a QtConcurrent worker. The work is one QCoro coroutine per
// start(), holding a shared stop flag and a QPointer that are checked after every co_await.
// cancel() or destroying the downloader aborts the request and keeps the .part for a later
// attempt. One downloader per media id and cache dir at a time (callers share a running one).
// The QNetworkAccessManager is not owned and must outlive the downloader.

#include "app/client/BackoffPolicy.h"
#include "shared/core/Result.h"

#include <QFile>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <qcoro/qcorotask.h>

#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace tern::app::client {

class MediaDownloader : public QObject
{
    Q_OBJECT
public:
    //! Failed attempts in a row (without any progress) before giving up on a transient error.
    static constexpr int kDefaultMaxAttempts = 10;

    //! `serverUrl` is the ws(s):// session URL (or the http(s):// base, see httpBaseUrl());
    //! `token` the session token from login.
    MediaDownloader(QNetworkAccessManager *http, const QUrl &serverUrl, QString token,
                    QObject *parent = nullptr);
    ~MediaDownloader() override;

    //! Where the cached file for `mediaId` lives (no check that it exists); empty for a string
    //! that is not a media id.
    static QString cachePath(const QString &cacheDir, const QString &mediaId);
    static QString partPath(const QString &cacheDir, const QString &mediaId);

    //! Downloads `mediaId` (from a message's media object) into `cacheDir`, checking it against
    //! `sha256` (hex). `size` (0 = unknown) is only used for progress and to drop an
    //! over-long .part. Results are always signalled after start() returns. Ignored while
    //! running.
    void start(const QString &mediaId, const QString &sha256, qint64 size, const QString &cacheDir);
    //! Stops and aborts the request; the .part stays for a later start(). No signal follows.
    void cancel();

    bool isRunning() const { return m_run != nullptr; }
    QString mediaId() const { return m_mediaId; }
    //! Bytes in the .part (progress()'s `received`).
    qint64 bytesReceived() const { return m_received; }

    //! Delays between failed attempts (default 1 s doubling to 30 s) and how many failed
    //! attempts in a row are allowed; progress resets the count.
    void setRetryPolicy(const BackoffPolicy &backoff, int maxAttempts);
    //! A request that moves no bytes for this long is aborted and retried (default 60 s).
    void setTransferTimeoutMs(int ms) { m_timeoutMs = ms; }

signals:
    //! `total` is 0 while unknown.
    void progress(qint64 received, qint64 total);
    //! The verified file, `cachePath(cacheDir, mediaId)`.
    void finished(const QString &path);
    void failed(const tern::Error &error);

private:
    struct Run
    {
        bool stopped = false;
    };

    QCoro::Task<> run(std::shared_ptr<Run> run);
    //! Reacts to the response head: whether (and where) body bytes go into the .part.
    void onHead(QNetworkReply *reply, qint64 partSize);
    //! Appends what the reply has to the .part.
    void drain(QNetworkReply *reply);
    QCoro::Task<bool> backOff(std::shared_ptr<Run> run, Error error);
    void stop();
    void fail(const Error &error);
    void setReceived(qint64 received);

    QNetworkAccessManager *m_http;
    QUrl m_base;
    QString m_token;
    QString m_mediaId;
    QString m_sha256;
    qint64 m_total = 0;
    QString m_target;
    QString m_part;
    QFile m_file; // the .part while a response is being written
    bool m_writing = false;
    QString m_writeError;
    std::shared_ptr<Run> m_run;
    QPointer<QNetworkReply> m_reply;
    BackoffPolicy m_backoff{1000, 30'000, 0.2};
    int m_maxAttempts = kDefaultMaxAttempts;
    int m_failures = 0;
    int m_timeoutMs = 60'000;
    qint64 m_received = 0;
};

} // namespace tern::app::client
