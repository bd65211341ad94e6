#include "MediaUploader.h"

#include "app/client/MediaHttp.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMimeDatabase>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QtConcurrent>

#include <qcoro/qcorofuture.h>
#include <qcoro/qcorotimer.h>

#include <chrono>

namespace tern::app::client {

namespace {

const QString kMediaPath = QStringLiteral("/api/v1/media");

//! A read-only window [start, start + length) of a file: the body of one PUT. QNetworkAccessManager
//! reads it block by block as the socket drains, so a chunk never sits in memory whole, and it
//! cannot read past the window (which the server would refuse with 413).
class FileWindow : public QIODevice
{
public:
    FileWindow(const QString &path, qint64 start, qint64 length)
        : m_file(path), m_start(start), m_length(length)
    {}

    bool openWindow()
    {
        if (!m_file.open(QIODevice::ReadOnly) || m_file.size() < m_start + m_length ||
            !m_file.seek(m_start)) {
            setErrorString(m_file.errorString());
            return false;
        }
        return QIODevice::open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_length; }
    bool seek(qint64 pos) override
    {
        // The network stack rewinds to resend a body on a fresh connection.
        if (pos < 0 || pos > m_length || !m_file.seek(m_start + pos))
            return false;
        return QIODevice::seek(pos);
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 left = m_start + m_length - m_file.pos();
        if (left <= 0)
            return 0;
        return m_file.read(data, qMin(maxSize, left));
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QFile m_file;
    qint64 m_start;
    qint64 m_length;
};

//! Size, hash and (when not given) MIME type of the file; runs on a worker thread.
Result<MediaUploadState> describe(MediaUploadState state)
{
    const Result<FileDigest> digest = sha256OfFile(state.path);
    if (!digest)
        return digest.error();
    if (digest->size == 0)
        return Error{ErrorCode::BadRequest,
                     QStringLiteral("%1 is empty").arg(QFileInfo(state.path).fileName())};
    state.size = digest->size;
    state.sha256 = digest->sha256;
    if (state.name.isEmpty())
        state.name = QFileInfo(state.path).fileName();
    if (state.mime.isEmpty())
        state.mime = QMimeDatabase().mimeTypeForFile(state.path).name();
    return state;
}

} // namespace

// ---- MediaUploadState ------------------------------------------------------------------------

QJsonObject MediaUploadState::toJson() const
{
    return {{QStringLiteral("path"), path},     {QStringLiteral("name"), name},
            {QStringLiteral("mime"), mime},     {QStringLiteral("size"), size},
            {QStringLiteral("sha256"), sha256}, {QStringLiteral("media_id"), mediaId}};
}

std::optional<MediaUploadState> MediaUploadState::fromJson(const QJsonObject &json)
{
    MediaUploadState state;
    const QJsonValue path = json.value(QLatin1String("path"));
    if (!path.isString() || path.toString().isEmpty())
        return std::nullopt;
    state.path = path.toString();
    for (const auto &[key, field] : {std::pair{QLatin1String("name"), &state.name},
                                     std::pair{QLatin1String("mime"), &state.mime},
                                     std::pair{QLatin1String("sha256"), &state.sha256},
                                     std::pair{QLatin1String("media_id"), &state.mediaId}}) {
        const QJsonValue value = json.value(key);
        if (!value.isUndefined() && !value.isString())
            return std::nullopt;
        *field = value.toString();
    }
    const QJsonValue size = json.value(QLatin1String("size"));
    if (!size.isUndefined() && !size.isDouble())
        return std::nullopt;
    state.size = qint64(size.toDouble());
    return state;
}

// ---- MediaUploader ---------------------------------------------------------------------------

MediaUploader::MediaUploader(QNetworkAccessManager *http, const QUrl &serverUrl, QString token,
                             QObject *parent)
    : QObject(parent), m_http(http), m_base(httpBaseUrl(serverUrl)), m_token(std::move(token))
{
    qRegisterMetaType<tern::app::client::MediaUploadState>();
    qRegisterMetaType<tern::Error>();
}

MediaUploader::~MediaUploader()
{
    // The server keeps what it has: an interrupted upload is resumed, not lost.
    stop();
}

void MediaUploader::setChunkBytes(qint64 bytes)
{
    m_chunkBytes = qMax<qint64>(bytes, 1);
}

void MediaUploader::setRetryPolicy(const BackoffPolicy &backoff, int maxAttempts)
{
    m_backoff = backoff;
    m_maxAttempts = qMax(maxAttempts, 0);
}

void MediaUploader::start(const QString &path, const QString &name, const QString &mime)
{
    if (isRunning())
        return;
    m_state = MediaUploadState{};
    m_state.path = path;
    m_state.name = name;
    m_state.mime = mime;
    begin();
}

void MediaUploader::resume(const MediaUploadState &state)
{
    if (isRunning())
        return;
    m_state = state;
    begin();
}

void MediaUploader::cancel()
{
    const QString id = m_state.mediaId;
    stop();
    m_state.mediaId.clear();
    if (id.isEmpty() || !m_base.isValid())
        return;
    // Fire and forget: the reply belongs to the manager and cleans up after itself, so the
    // uploader may be destroyed right after cancel().
    QNetworkReply *reply =
        m_http->deleteResource(mediaRequest(m_base, kMediaPath + u'/' + id, m_token, m_timeoutMs));
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
}

void MediaUploader::begin()
{
    m_run = std::make_shared<Run>();
    m_failures = 0;
    m_backoff.reset();
    m_sent = 0;
    run(m_run);
}

void MediaUploader::stop()
{
    if (m_run) {
        m_run->stopped = true;
        m_run.reset();
    }
    // Aborting finishes the reply at once; the coroutine wakes, sees the stop flag and ends.
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply = nullptr;
        reply->abort();
    }
}

void MediaUploader::fail(const Error &error)
{
    stop();
    emit failed(error);
}

void MediaUploader::setSent(qint64 sent)
{
    if (sent == m_sent)
        return;
    m_sent = sent;
    emit progress(sent, m_state.size);
}

QNetworkReply *MediaUploader::send(const QByteArray &verb, const QString &path,
                                   const QByteArray &body)
{
    QNetworkRequest request = mediaRequest(m_base, path, m_token, m_timeoutMs);
    QNetworkReply *reply = nullptr;
    if (verb == "GET") {
        reply = m_http->get(request);
    } else {
        if (!body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        reply = m_http->sendCustomRequest(request, verb, body);
    }
    m_reply = reply;
    return reply;
}

QCoro::Task<bool> MediaUploader::backOff(std::shared_ptr<Run> run, Error error)
{
    if (++m_failures > m_maxAttempts) {
        fail(error);
        co_return false;
    }
    QPointer<MediaUploader> self(this);
    const std::chrono::milliseconds delay(m_backoff.nextDelayMs());
    co_await QCoro::sleepFor(delay);
    co_return self && !run->stopped;
}

QCoro::Task<> MediaUploader::run(std::shared_ptr<Run> run)
{
    QPointer<MediaUploader> self(this);
    // Checked after every co_await and every emit (a slot may stop or delete the uploader).
    const auto gone = [&self, &run] { return !self || run->stopped; };

    if (!m_base.isValid()) {
        fail(Error{ErrorCode::BadRequest, QStringLiteral("no server address for media")});
        co_return;
    }

    // 1. What we declare: hashed off the UI thread (a 100 MiB file takes a while).
    if (m_state.sha256.isEmpty() || m_state.size <= 0) {
        QFuture<Result<MediaUploadState>> hashing = QtConcurrent::run(&describe, m_state);
        const Result<MediaUploadState> described = co_await hashing;
        if (gone())
            co_return;
        if (!described) {
            fail(described.error());
            co_return;
        }
        m_state = *described;
        emit stateChanged(m_state);
        if (gone())
            co_return;
    } else if (QFileInfo(m_state.path).size() != m_state.size) {
        // Changed or gone since the upload was declared; finishing would fail the hash anyway.
        cancel();
        emit failed(Error{ErrorCode::NotFound,
                          QStringLiteral("%1 changed or was removed").arg(m_state.path)});
        co_return;
    }

    qint64 offset = -1;     // what the server holds; -1: ask it
    bool recreated = false; // an upload the server no longer knows is declared anew, once
    int conflicts = 0;
    for (;;) {
        // 2. Declare, unless resuming an upload the server already has.
        if (m_state.mediaId.isEmpty()) {
            const QJsonObject declaration{{QStringLiteral("name"), m_state.name},
                                          {QStringLiteral("mime"), m_state.mime},
                                          {QStringLiteral("size"), m_state.size},
                                          {QStringLiteral("sha256"), m_state.sha256}};
            QNetworkReply *reply =
                send("POST", kMediaPath, QJsonDocument(declaration).toJson(QJsonDocument::Compact));
            QCoro::Task<HttpExchange> creating = finishExchange(reply);
            const HttpExchange created = co_await std::move(creating);
            if (gone())
                co_return;
            if (!created.ok()) {
                if (!created.transient()) {
                    fail(created.error());
                    co_return;
                }
                QCoro::Task<bool> waiting = backOff(run, created.error());
                if (!co_await std::move(waiting) || gone())
                    co_return;
                continue;
            }
            const QJsonObject answer = created.json();
            const QString id = answer.value(QLatin1String("media_id")).toString();
            if (!isMediaId(id)) {
                fail(Error{ErrorCode::Internal, QStringLiteral("the server sent no media id")});
                co_return;
            }
            // The server may cap the chunk size (documented as `max_chunk`).
            const qint64 maxChunk = qint64(answer.value(QLatin1String("max_chunk")).toDouble());
            if (maxChunk > 0)
                m_chunkBytes = qMin(m_chunkBytes, maxChunk);
            m_state.mediaId = id;
            offset = 0;
            setSent(0);
            emit stateChanged(m_state);
            if (gone())
                co_return;
            continue;
        }

        const QString uploadPath = kMediaPath + u'/' + m_state.mediaId;

        // 3. After a failure or a restart: where to continue.
        if (offset < 0) {
            QNetworkReply *reply = send("GET", uploadPath + QStringLiteral("/upload"));
            QCoro::Task<HttpExchange> asking = finishExchange(reply);
            const HttpExchange asked = co_await std::move(asking);
            if (gone())
                co_return;
            if (asked.ok()) {
                const QJsonObject answer = asked.json();
                offset = answer.value(QLatin1String("complete")).toBool()
                             ? m_state.size
                             : qint64(answer.value(QLatin1String("offset")).toDouble(-1));
                if (offset < 0 || offset > m_state.size) {
                    fail(Error{ErrorCode::Internal,
                               QStringLiteral("the server holds an impossible offset")});
                    co_return;
                }
                setSent(offset);
                if (gone())
                    co_return;
                continue;
            }
            if (asked.status == 404 && !recreated) {
                // Swept (abandoned for a day) or deleted elsewhere: start over.
                recreated = true;
                m_state.mediaId.clear();
                continue;
            }
            if (!asked.transient()) {
                fail(asked.error());
                co_return;
            }
            QCoro::Task<bool> waiting = backOff(run, asked.error());
            if (!co_await std::move(waiting) || gone())
                co_return;
            continue;
        }

        // 4. The next chunk, streamed from the file.
        if (offset < m_state.size) {
            const qint64 length = qMin(m_chunkBytes, m_state.size - offset);
            auto *window = new FileWindow(m_state.path, offset, length);
            if (!window->openWindow()) {
                const QString reason = window->errorString();
                delete window;
                fail(Error{ErrorCode::NotFound,
                           QStringLiteral("cannot read %1: %2").arg(m_state.path, reason)});
                co_return;
            }
            QNetworkRequest request =
                mediaRequest(m_base, uploadPath + QStringLiteral("?offset=%1").arg(offset), m_token,
                             m_timeoutMs);
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QByteArray("application/octet-stream"));
            request.setHeader(QNetworkRequest::ContentLengthHeader, length);
            QNetworkReply *reply = m_http->put(request, window);
            window->setParent(reply); // lives exactly as long as the request reads it
            m_reply = reply;
            const qint64 chunkStart = offset;
            connect(reply, &QNetworkReply::uploadProgress, this,
                    [this, chunkStart](qint64 sent, qint64) { setSent(chunkStart + sent); });
            QCoro::Task<HttpExchange> putting = finishExchange(reply);
            const HttpExchange put = co_await std::move(putting);
            if (gone())
                co_return;
            if (put.ok()) {
                offset = qint64(put.json().value(QLatin1String("offset")).toDouble(-1));
                if (offset < chunkStart) // no usable answer: ask
                    offset = -1;
                m_failures = 0;
                conflicts = 0;
                m_backoff.reset();
                if (offset >= 0)
                    setSent(offset);
                if (gone())
                    co_return;
                continue;
            }
            if (put.status == 409 && ++conflicts <= m_maxAttempts + 2) {
                // Not where the server is (an earlier chunk's bytes still landing): go there.
                const QJsonValue stored = put.json().value(QLatin1String("offset"));
                offset = stored.isDouble() ? qint64(stored.toDouble()) : -1;
                if (offset > m_state.size)
                    offset = -1;
                continue;
            }
            if (put.status == 404 && !recreated) {
                recreated = true;
                m_state.mediaId.clear();
                continue;
            }
            if (!put.transient()) {
                fail(put.error());
                co_return;
            }
            offset = -1;
            QCoro::Task<bool> waiting = backOff(run, put.error());
            if (!co_await std::move(waiting) || gone())
                co_return;
            continue;
        }

        // 5. Everything is there: the server checks length and hash and keeps it.
        QNetworkReply *reply = send("POST", uploadPath + QStringLiteral("/finish"));
        QCoro::Task<HttpExchange> finishing = finishExchange(reply);
        const HttpExchange finish = co_await std::move(finishing);
        if (gone())
            co_return;
        if (finish.ok()) {
            const QJsonObject media = finish.json();
            if (!isMediaId(media.value(QLatin1String("media_id")).toString())) {
                fail(Error{ErrorCode::Internal, QStringLiteral("the server sent no media object")});
                co_return;
            }
            stop();
            emit finished(media);
            co_return;
        }
        if (finish.status == 422) {
            // The server deleted the upload: the file's bytes are not what was declared.
            m_state.mediaId.clear();
            fail(finish.error());
            co_return;
        }
        if (finish.status == 404 && !recreated) {
            recreated = true;
            m_state.mediaId.clear();
            continue;
        }
        if (finish.status != 409 && !finish.transient()) {
            fail(finish.error());
            co_return;
        }
        // 409: a dropped chunk is still being written; the stored length decides what's next.
        offset = -1;
        QCoro::Task<bool> waiting = backOff(run, finish.error());
        if (!co_await std::move(waiting) || gone())
            co_return;
    }
}

} // namespace tern::app::client
