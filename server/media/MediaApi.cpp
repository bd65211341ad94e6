#include "MediaApi.h"

#include "server/auth/AuthService.h"
#include "server/http/BodyCollector.h"
#include "server/http/ByteRange.h"
#include "server/media/DownloadSender.h"
#include "server/media/MediaFiles.h"
#include "server/media/MediaName.h"
#include "server/media/UploadReceiver.h"
#include "server/store/Store.h"
#include "shared/core/Clock.h"
#include "shared/core/Log.h"
#include "shared/crypto/Crypto.h"

#include <QCoreApplication>
#include <QCoroFuture>
#include <QJsonDocument>
#include <QRegularExpression>

namespace tern::server::media {

using http::HttpConnection;
using store::DeviceSession;
using store::MediaRecord;

namespace {
constexpr qint64 kMaxJsonBody = 64 * 1024;
constexpr int kSweepBatch = 200;

void notFound(HttpConnection *c)
{
    c->respondError(404, QStringLiteral("not_found"), QStringLiteral("no such media"));
}

void failInternal(HttpConnection *c, const Error &e)
{
    // A full disk is the server's trouble too, but one the client can wait out: say so.
    if (store::isStorageFull(e))
        c->respondError(507, QStringLiteral("insufficient_storage"), e.message);
    else
        c->respondError(500, QStringLiteral("internal"), e.message);
}
} // namespace

MediaApi::MediaApi(store::Store &store, auth::AuthService &auth, const ServerConfig &config,
                   QObject *parent)
    : QObject(parent), m_store(store), m_auth(auth), m_config(config),
      m_files(std::make_unique<MediaFiles>(config.dataDir))
{
    m_sweep.setInterval(m_config.mediaSweepIntervalMs);
    connect(&m_sweep, &QTimer::timeout, this, [this] { sweepNow(); });
}

MediaApi::~MediaApi() = default;

void MediaApi::startSweeping()
{
    m_sweep.start();
    sweepNow();
}

qint64 MediaApi::limitFor(const QString &mime) const
{
    return mime.startsWith(QLatin1String("image/")) ? m_config.maxImageBytes
                                                    : m_config.maxFileBytes;
}

protocol::StoredMedia MediaApi::mediaObject(const MediaRecord &record)
{
    return {record.id, record.name, record.mime, record.size, record.sha256};
}

void MediaApi::serve(HttpConnection *connection)
{
    handle(connection);
}

QCoro::Task<> MediaApi::handle(HttpConnection *connection)
{
    QPointer<MediaApi> self(this);
    QPointer<HttpConnection> c(connection);
    const http::HttpRequestHead &request = connection->request();
    const QByteArray method = request.method;
    const QStringList parts = request.path.split(u'/', Qt::SkipEmptyParts);
    const bool api =
        parts.size() >= 3 && parts[0] == QLatin1String("api") && parts[1] == QLatin1String("v1");
    if (api && parts.size() == 3 && parts[2] == QLatin1String("health")) {
        if (method != "GET" && method != "HEAD") {
            c->respondError(405, QStringLiteral("method_not_allowed"), QStringLiteral("use GET"));
            co_return;
        }
        c->respondAnswer(200, protocol::HealthAnswer{QStringLiteral("ok"),
                                                     QCoreApplication::applicationVersion()});
        co_return;
    }
    if (!api || parts[2] != QLatin1String("media") || parts.size() > 5) {
        c->respondError(404, QStringLiteral("not_found"),
                        QStringLiteral("no such endpoint; WebSocket sessions use /ws"));
        co_return;
    }

    const QByteArray authorization = request.header("authorization");
    if (!authorization.startsWith("Bearer ") || authorization.size() <= 7) {
        c->respondError(401, QStringLiteral("unauthenticated"),
                        QStringLiteral("send Authorization: Bearer <session token>"));
        co_return;
    }
    QCoro::Task<Result<DeviceSession>> authenticating =
        m_auth.authenticate(QString::fromLatin1(authorization.mid(7).trimmed()));
    const Result<DeviceSession> session = co_await std::move(authenticating);
    if (!self || !c)
        co_return;
    if (!session) {
        c->respondError(401, QStringLiteral("unauthenticated"), session.error().message);
        co_return;
    }

    if (parts.size() == 3) {
        if (method != "POST") {
            c->respondError(405, QStringLiteral("method_not_allowed"),
                            QStringLiteral("POST creates an upload"));
            co_return;
        }
        if (request.contentLength > kMaxJsonBody) {
            c->respondError(413, QStringLiteral("too_large"),
                            QStringLiteral("the declaration is larger than 64 KiB"));
            co_return;
        }
        const DeviceSession who = *session;
        http::BodyCollector::collect(c, [this, self, c, who](QByteArray body) {
            if (self && c)
                create(c, who, std::move(body));
        });
        co_return;
    }
    const QString id = parts[3];
    if (!isMediaId(id)) {
        notFound(c); // never a path from this string, and no hint about what ids look like
        co_return;
    }
    const QString sub = parts.size() == 5 ? parts[4] : QString();
    if (sub.isEmpty() && method == "PUT")
        upload(c, *session, id);
    else if (sub.isEmpty() && (method == "GET" || method == "HEAD"))
        download(c, *session, id);
    else if (sub.isEmpty() && method == "DELETE")
        cancel(c, *session, id);
    else if (sub == QLatin1String("upload") && method == "GET")
        uploadState(c, *session, id);
    else if (sub == QLatin1String("finish") && method == "POST")
        finish(c, *session, id);
    else if (sub.isEmpty() || sub == QLatin1String("upload") || sub == QLatin1String("finish"))
        c->respondError(405, QStringLiteral("method_not_allowed"),
                        QStringLiteral("that method is not used here"));
    else
        notFound(c);
}

QCoro::Task<> MediaApi::create(HttpConnection *connection, DeviceSession session, QByteArray body)
{
    QPointer<MediaApi> self(this);
    QPointer<HttpConnection> c(connection);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (!doc.isObject()) {
        c->respondError(400, QStringLiteral("bad_request"),
                        QStringLiteral("the body must be a JSON object: ") +
                            parseError.errorString());
        co_return;
    }
    const QJsonObject o = doc.object();
    // \A...\z: '$' also matches before a final newline ("<64 hex>\n" was accepted).
    static const QRegularExpression hex64(
        QRegularExpression::anchoredPattern(QStringLiteral("[0-9a-f]{64}")));
    const QJsonValue size = o.value(QLatin1String("size"));
    const QString sha = o.value(QLatin1String("sha256")).toString().toLower();
    const QJsonValue name = o.value(QLatin1String("name"));
    const QJsonValue mime = o.value(QLatin1String("mime"));
    QString problem;
    if (!name.isString() || name.toString().size() > 4096)
        problem = QStringLiteral("'name' must be a string of at most 4096 characters");
    else if (!mime.isString())
        problem = QStringLiteral("'mime' must be a string");
    else if (!size.isDouble() || size.toDouble() < 1 || size.toDouble() > 9.0e15 ||
             size.toDouble() != std::floor(size.toDouble()))
        problem = QStringLiteral("'size' must be a whole number of bytes, at least 1");
    else if (!hex64.match(sha).hasMatch())
        problem = QStringLiteral("'sha256' must be 64 hex digits");
    if (!problem.isEmpty()) {
        c->respondError(400, QStringLiteral("bad_request"), problem);
        co_return;
    }
    MediaRecord record;
    record.id = QString::fromLatin1(crypto::randomBytes(16).toHex());
    record.uploader = session.userId;
    record.name = sanitizeFileName(name.toString());
    const QString declaredMime = normalizeMime(mime.toString());
    record.mime =
        declaredMime.isEmpty() ? QStringLiteral("application/octet-stream") : declaredMime;
    record.size = qint64(size.toDouble());
    record.sha256 = sha;
    record.createdMs = nowMs();
    const qint64 limit = limitFor(record.mime);
    if (record.size > limit) {
        c->respondAnswer(413,
                         protocol::HttpErrorAnswer{
                             .code = QStringLiteral("too_large"),
                             .message = QStringLiteral("%1 is larger than the %2 bytes "
                                                       "allowed for %3")
                                            .arg(record.size)
                                            .arg(limit)
                                            .arg(record.mime.startsWith(QLatin1String("image/"))
                                                     ? QStringLiteral("images")
                                                     : QStringLiteral("files")),
                             .limit = limit});
        co_return;
    }
    QFuture<Status> creating = m_store.createUpload(
        record, {m_config.mediaQuotaBytes, m_config.maxOpenUploads, m_config.mediaMinCharge});
    const Status created = co_await creating;
    if (!self || !c)
        co_return;
    if (!created) {
        if (created.error().code == ErrorCode::LimitExceeded)
            c->respondAnswer(507,
                             protocol::HttpErrorAnswer{.code = QStringLiteral("quota_exceeded"),
                                                       .message = created.error().message,
                                                       .quota = m_config.mediaQuotaBytes});
        else if (created.error().code == ErrorCode::RateLimited)
            c->respondAnswer(429, protocol::HttpErrorAnswer{.code = QStringLiteral("rate_limited"),
                                                            .message = created.error().message,
                                                            .limit = m_config.maxOpenUploads});
        else
            failInternal(c, created.error());
        co_return;
    }
    c->respondAnswer(201, protocol::UploadCreatedAnswer{mediaObject(record), 0});
}

QCoro::Task<std::optional<MediaRecord>> MediaApi::ownUpload(HttpConnection *connection,
                                                            DeviceSession session, QString id)
{
    QPointer<HttpConnection> c(connection);
    QFuture<Result<MediaRecord>> loading = m_store.mediaRecord(id);
    const Result<MediaRecord> record = co_await loading;
    if (!c)
        co_return std::nullopt;
    if (!record && record.error().code != ErrorCode::NotFound) {
        failInternal(c, record.error());
        co_return std::nullopt;
    }
    if (!record || record->uploader != session.userId) {
        notFound(c);
        co_return std::nullopt;
    }
    co_return *record;
}

QCoro::Task<> MediaApi::upload(HttpConnection *connection, DeviceSession session, QString id)
{
    QPointer<MediaApi> self(this);
    QPointer<HttpConnection> c(connection);
    QCoro::Task<std::optional<MediaRecord>> loading = ownUpload(c, session, id);
    const std::optional<MediaRecord> record = co_await std::move(loading);
    if (!self || !c || !record)
        co_return;
    if (record->complete) {
        c->respondAnswer(
            409, protocol::HttpErrorAnswer{.code = QStringLiteral("conflict"),
                                           .message = QStringLiteral("the upload is finished"),
                                           .offset = record->size});
        co_return;
    }
    bool offsetOk = false;
    const qint64 offset =
        c->request().query.queryItemValue(QStringLiteral("offset")).toLongLong(&offsetOk);
    if (!offsetOk || offset < 0) {
        c->respondError(400, QStringLiteral("bad_request"),
                        QStringLiteral("say where this chunk goes: ?offset=<bytes stored>"));
        co_return;
    }
    // A client that lost its connection may be back before we noticed: the newest one wins.
    if (UploadReceiver *previous = m_activeUploads.take(id))
        previous->supersede();
    // A wrong offset is answered before any of the body is read (the append re-checks it).
    QFuture<Result<QPair<qint64, qint64>>> probing = m_files->partState(id);
    const Result<QPair<qint64, qint64>> stored = co_await probing;
    if (!self || !c)
        co_return;
    if (!stored) {
        failInternal(c, stored.error());
        co_return;
    }
    if (offset != stored->first) {
        c->respondAnswer(409, protocol::HttpErrorAnswer{
                                  .code = QStringLiteral("conflict"),
                                  .message = QStringLiteral("the upload holds %1 bytes; continue "
                                                            "from there")
                                                 .arg(stored->first),
                                  .offset = stored->first});
        co_return;
    }
    if (offset + c->request().contentLength > record->size) {
        // More than was declared: refuse it and keep nothing of this upload.
        m_activeUploads.remove(id);
        QCoro::Task<> discarding = discard(id);
        co_await std::move(discarding);
        if (!self || !c)
            co_return;
        c->respondError(413, QStringLiteral("too_large"),
                        QStringLiteral("the body goes past the declared size of %1 bytes; the "
                                       "upload was deleted")
                            .arg(record->size));
        co_return;
    }
    auto *receiver = new UploadReceiver(c, *m_files, id, offset);
    m_activeUploads.insert(id, receiver);
    connect(receiver, &UploadReceiver::done, this, [this, receiver](const QString &mediaId) {
        if (m_activeUploads.value(mediaId) == receiver)
            m_activeUploads.remove(mediaId);
    });
    receiver->start();
}

QCoro::Task<> MediaApi::uploadState(HttpConnection *connection, DeviceSession session, QString id)
{
    QPointer<MediaApi> self(this);
    QPointer<HttpConnection> c(connection);
    QCoro::Task<std::optional<MediaRecord>> loading = ownUpload(c, session, id);
    const std::optional<MediaRecord> record = co_await std::move(loading);
    if (!self || !c || !record)
        co_return;
    qint64 stored = record->size;
    if (!record->complete) {
        QFuture<Result<QPair<qint64, qint64>>> probing = m_files->partState(id);
        const Result<QPair<qint64, qint64>> state = co_await probing;
        if (!self || !c)
            co_return;
        if (!state) {
            failInternal(c, state.error());
            co_return;
        }
        stored = state->first;
    }
    c->respondAnswer(200, protocol::UploadStateAnswer{stored, record->size, record->complete});
}

QCoro::Task<> MediaApi::finish(HttpConnection *connection, DeviceSession session, QString id)
{
    QPointer<MediaApi> self(this);
    QPointer<HttpConnection> c(connection);
    QCoro::Task<std::optional<MediaRecord>> loading = ownUpload(c, session, id);
    std::optional<MediaRecord> record = co_await std::move(loading);
    if (!self || !c || !record)
        co_return;
    if (record->complete) {
        c->respondAnswer(200, mediaObject(*record));
        co_return;
    }
    if (m_activeUploads.value(id)) {
        c->respondError(409, QStringLiteral("conflict"),
                        QStringLiteral("a chunk of this upload is still arriving"));
        co_return;
    }
    QFuture<Status> finishing = m_files->finish(id, record->size, record->sha256);
    const Status finished = co_await finishing;
    if (!self || !c)
        co_return;
    if (!finished) {
        if (finished.error().code != ErrorCode::BadRequest) {
            failInternal(c, finished.error());
            co_return;
        }
        QCoro::Task<> discarding = discard(id);
        co_await std::move(discarding);
        if (!self || !c)
            co_return;
        c->respondError(422, QStringLiteral("bad_request"),
                        finished.error().message + QStringLiteral("; the upload was deleted"));
        co_return;
    }
    QFuture<Status> completing = m_store.completeUpload(id);
    const Status completed = co_await completing;
    if (!self || !c)
        co_return;
    if (!completed) {
        failInternal(c, completed.error());
        co_return;
    }
    record->complete = true;
    c->respondAnswer(200, mediaObject(*record));
}

QCoro::Task<> MediaApi::cancel(HttpConnection *connection, DeviceSession session, QString id)
{
    QPointer<MediaApi> self(this);
    QPointer<HttpConnection> c(connection);
    QCoro::Task<std::optional<MediaRecord>> loading = ownUpload(c, session, id);
    const std::optional<MediaRecord> record = co_await std::move(loading);
    if (!self || !c || !record)
        co_return;
    if (record->complete) {
        c->respondError(409, QStringLiteral("conflict"),
                        QStringLiteral("finished media stays: messages may point at it"));
        co_return;
    }
    if (UploadReceiver *active = m_activeUploads.take(id))
        active->supersede();
    QCoro::Task<> discarding = discard(id);
    co_await std::move(discarding);
    if (!self || !c)
        co_return;
    c->respond(204, {}, {});
}

QCoro::Task<> MediaApi::forgetFiles(QStringList ids)
{
    QPointer<MediaApi> self(this);
    for (const QString &id : ids) {
        QFuture<Status> removing = m_files->removeFinished(id);
        const Status removed = co_await removing;
        if (!self)
            co_return;
        if (!removed)
            qCWarning(lcServer) << "media: file not removed:" << removed.error().message;
    }
}

QCoro::Task<> MediaApi::discard(QString id)
{
    QPointer<MediaApi> self(this);
    QFuture<Status> removing = m_files->remove(id);
    const Status removed = co_await removing;
    if (!self)
        co_return;
    if (!removed)
        qCWarning(lcServer) << "media: cannot delete upload" << id << removed.error().message;
    QFuture<Status> deleting = m_store.deleteUpload(id);
    co_await deleting;
}

QCoro::Task<> MediaApi::download(HttpConnection *connection, DeviceSession session, QString id)
{
    QPointer<MediaApi> self(this);
    QPointer<HttpConnection> c(connection);
    QFuture<Result<MediaRecord>> loading = m_store.downloadableMedia(session.userId, id);
    const Result<MediaRecord> record = co_await loading;
    if (!self || !c)
        co_return;
    if (!record) {
        if (record.error().code == ErrorCode::NotFound)
            notFound(c);
        else
            failInternal(c, record.error());
        co_return;
    }
    // Checked before the head goes out: a file lost from disk (restored without media, removed
    // by hand) then gets a final 404, not a 200 cut short that every client retries forever.
    QFuture<Result<qint64>> statting = m_files->storedSize(id);
    const Result<qint64> stored = co_await statting;
    if (!self || !c)
        co_return;
    if (!stored || *stored != record->size) {
        qCWarning(lcServer)
            << "media:" << id << "is in the database but its file"
            << (stored ? QStringLiteral("has %1 bytes, not %2").arg(*stored).arg(record->size)
                       : stored.error().message);
        c->respondError(404, QStringLiteral("not_found"),
                        QStringLiteral("the file of this media is missing on the server"));
        co_return;
    }
    const http::ByteRange range =
        http::ByteRange::parse(c->request().header("range"), record->size);
    if (range.kind == http::ByteRange::Kind::Unsatisfiable) {
        c->respondAnswer(
            416,
            protocol::HttpErrorAnswer{QStringLiteral("range_not_satisfiable"),
                                      QStringLiteral("the media has %1 bytes").arg(record->size)},
            {{"Content-Range", "bytes */" + QByteArray::number(record->size)}});
        co_return;
    }
    const QByteArray encodedName = QUrl::toPercentEncoding(record->name);
    http::HeaderList headers{
        {"Content-Type", record->mime.toLatin1()},
        {"Accept-Ranges", "bytes"},
        {"ETag", '"' + record->sha256.toLatin1() + '"'},
        {"Content-Disposition", "attachment; filename*=UTF-8''" + encodedName},
        {"X-Content-Type-Options", "nosniff"},
    };
    const bool partial = range.kind == http::ByteRange::Kind::Partial;
    if (partial)
        headers.append({"Content-Range", "bytes " + QByteArray::number(range.first) + '-' +
                                             QByteArray::number(range.last) + '/' +
                                             QByteArray::number(record->size)});
    const qint64 length = partial ? range.length() : record->size;
    c->beginResponse(partial ? 206 : 200, headers, length);
    if (c->request().method == "HEAD") {
        c->endResponse();
        co_return;
    }
    auto *sender = new DownloadSender(c, *m_files, id, partial ? range.first : 0, length);
    sender->start();
}

QCoro::Task<int> MediaApi::sweepNow()
{
    QPointer<MediaApi> self(this);
    const qint64 cutoff = nowMs() - m_config.mediaUploadTtlMs;
    QFuture<Result<QList<MediaRecord>>> listing = m_store.staleUploads(cutoff, kSweepBatch);
    const Result<QList<MediaRecord>> stale = co_await listing;
    if (!self || !stale)
        co_return 0;
    int removed = 0;
    for (const MediaRecord &record : *stale) {
        if (m_activeUploads.value(record.id))
            continue;
        // Created long ago is not enough: a slow upload that is still moving stays.
        QFuture<Result<QPair<qint64, qint64>>> probing = m_files->partState(record.id);
        const Result<QPair<qint64, qint64>> state = co_await probing;
        if (!self)
            co_return removed;
        if (!state || state->second >= cutoff)
            continue;
        QCoro::Task<> discarding = discard(record.id);
        co_await std::move(discarding);
        if (!self)
            co_return removed;
        ++removed;
    }
    if (removed > 0)
        qCInfo(lcServer) << "media: removed" << removed << "abandoned uploads";
    co_return removed;
}

} // namespace tern::server::media
