#pragma once

//! Uploads one local file through the server's media API (docs/protocol.md, "Media"): declares
//! it, streams it in chunks, resumes from the server's stored offset after failures and app
//! restarts, and finishes it.
//
// Threading/lifetime: lives on the thread of its QNetworkAccessManager (the app's main thread).
// Hashing runs on a QtConcurrent worker; file bytes are streamed by QNetworkAccessManager from a
// bounded window of the file, so neither the event loop nor memory grows with the file size.
// The work is one QCoro coroutine per start()/resume(); it holds a shared stop flag and a
// QPointer and touches the uploader after a co_await only when neither says "gone". Destroying
// the uploader (or cancel()) stops it and aborts the request in flight; destroying it leaves the
// server's upload in place, so resume() can continue it later. The QNetworkAccessManager is not
// owned and must outlive the uploader.

#include "app/client/BackoffPolicy.h"
#include "shared/core/Result.h"

#include <QJsonObject>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <qcoro/qcorotask.h>

#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace tern::app::client {

//! What to persist so an upload can continue after an app restart: the local file, the
//! declaration sent to the server, and the server's media id once it has one.
struct MediaUploadState
{
    QString path;    // the local file
    QString name;    // as declared (the server stores a sanitised copy)
    QString mime;    // as declared
    qint64 size = 0; // bytes, as declared
    QString sha256;  // lowercase hex, as declared; empty until hashed
    QString mediaId; // empty until the server created the upload

    QJsonObject toJson() const;
    //! nullopt when `path` is missing or a field has the wrong type.
    static std::optional<MediaUploadState> fromJson(const QJsonObject &json);
    bool operator==(const MediaUploadState &) const = default;
};

class MediaUploader : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kDefaultChunkBytes = 8 * 1024 * 1024;
    //! Failed attempts in a row (without any progress) before giving up on a transient error.
    static constexpr int kDefaultMaxAttempts = 10;

    //! `serverUrl` is the ws(s):// session URL (or the http(s):// base, see httpBaseUrl());
    //! `token` the session token from login.
    MediaUploader(QNetworkAccessManager *http, const QUrl &serverUrl, QString token,
                  QObject *parent = nullptr);
    ~MediaUploader() override;

    //! Hashes `path` off the UI thread, declares it (`name` defaults to the file name, `mime`
    //! to what QMimeDatabase says), then uploads. Ignored while running.
    void start(const QString &path, const QString &name = {}, const QString &mime = {});
    //! Continues an upload from a persisted state() (an empty mediaId declares it anew; an
    //! empty sha256 hashes first). The server says how many bytes it holds. Ignored while
    //! running.
    void resume(const MediaUploadState &state);
    //! Stops, aborts the request in flight and deletes the server's incomplete upload. No
    //! signal follows.
    void cancel();

    MediaUploadState state() const { return m_state; }
    bool isRunning() const { return m_run != nullptr; }
    //! Bytes the server holds, as far as known (progress()'s `sent`).
    qint64 bytesSent() const { return m_sent; }

    //! Bytes per PUT (default 8 MiB): the granularity of resume and of the server's checks.
    void setChunkBytes(qint64 bytes);
    //! Delays between failed attempts (default 1 s doubling to 30 s) and how many failed
    //! attempts in a row are allowed; progress resets the count.
    void setRetryPolicy(const BackoffPolicy &backoff, int maxAttempts);
    //! A request that moves no bytes for this long is aborted and retried (default 60 s).
    void setTransferTimeoutMs(int ms) { m_timeoutMs = ms; }

signals:
    //! The state changed in a way worth persisting (hashed; upload created or re-created).
    void stateChanged(const tern::app::client::MediaUploadState &state);
    //! Bytes stored by the server (or on their way to it) out of `total`.
    void progress(qint64 sent, qint64 total);
    //! The finished media object: media_id, name, mime, size, sha256 (as stored by the server).
    void finished(const QJsonObject &media);
    //! Given up: a refusal (4xx other than 409, quota) or too many failed attempts.
    void failed(const tern::Error &error);

private:
    struct Run
    {
        bool stopped = false;
    };
    enum class Step { Continue, Retry, Stop };

    void begin();
    void stop();
    QCoro::Task<> run(std::shared_ptr<Run> run);
    //! Sends `request` and remembers the reply so stop() can abort it.
    QNetworkReply *send(const QByteArray &verb, const QString &path, const QByteArray &body = {});
    //! Waits the backoff delay; false when out of attempts (then `failed` was emitted).
    QCoro::Task<bool> backOff(std::shared_ptr<Run> run, Error error);
    void fail(const Error &error);
    void setSent(qint64 sent);

    QNetworkAccessManager *m_http;
    QUrl m_base;
    QString m_token;
    MediaUploadState m_state;
    std::shared_ptr<Run> m_run; // the coroutine's stop flag; null when idle
    QPointer<QNetworkReply> m_reply;
    BackoffPolicy m_backoff{1000, 30'000, 0.2};
    int m_maxAttempts = kDefaultMaxAttempts;
    int m_failures = 0;
    qint64 m_chunkBytes = kDefaultChunkBytes;
    int m_timeoutMs = 60'000;
    qint64 m_sent = 0;
};

} // namespace tern::app::client

Q_DECLARE_METATYPE(tern::app::client::MediaUploadState)
