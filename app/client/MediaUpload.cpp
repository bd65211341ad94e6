#include "MediaUpload.h"

#include "app/client/PinnedNetworkAccess.h"
#include "shared/protocol/HttpAnswers.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QtConcurrent>

#include <qcoro/qcorofuture.h>
#include <qcoro/qcoronetworkreply.h>

namespace tern::app::client {

namespace {
constexpr int kTransferTimeoutMs = 30'000;

struct HttpAnswer
{
    int status = 0; // 0: no HTTP answer (network error)
    QByteArray body;
    QString networkError;
    //! The error body of a status of 300 or more; nullopt when the body is not one.
    std::optional<protocol::HttpErrorAnswer> error;
};

HttpAnswer answerOf(QNetworkReply *reply)
{
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    if (answer.status == 0)
        answer.networkError = PinnedNetworkAccess::errorText(reply);
    else if (answer.status >= 300) {
        Result<protocol::HttpErrorAnswer> error =
            protocol::decodeHttpAnswer<protocol::HttpErrorAnswer>(answer.body);
        if (error)
            answer.error = std::move(error).value();
    }
    reply->deleteLater();
    return answer;
}

//! An answer whose body is not the one its status promises: retried like a network failure.
Error unreadable(const HttpAnswer &answer, const Error &error)
{
    return transportError(TransportFailure::Protocol,
                          QStringLiteral("the server's HTTP %1 answer could not be read: %2")
                              .arg(answer.status)
                              .arg(error.message));
}

//! Where the next chunk goes after a PUT: the stored length of a 200, or the offset a 409 says.
Result<qint64> nextOffset(const HttpAnswer &answer)
{
    if (answer.status == 200) {
        const Result<protocol::UploadOffsetAnswer> stored =
            protocol::decodeHttpAnswer<protocol::UploadOffsetAnswer>(answer.body);
        if (!stored)
            return stored.error();
        return stored->offset;
    }
    const Result<protocol::HttpErrorAnswer> conflict =
        protocol::decodeHttpAnswer<protocol::HttpErrorAnswer>(answer.body);
    if (!conflict)
        return conflict.error();
    if (!conflict->offset)
        return makeError(ErrorCode::BadRequest, QStringLiteral("field 'offset' is required"));
    return *conflict->offset;
}

bool overQuota(const HttpAnswer &answer)
{
    return answer.status == 507 && answer.error &&
           answer.error->code == QLatin1String("quota_exceeded");
}

Error errorOf(const HttpAnswer &answer)
{
    if (answer.status == 0)
        return Error{ErrorCode::Internal, answer.networkError};
    const QString message = answer.error ? answer.error->message : QString();
    ErrorCode code = ErrorCode::Internal;
    if (answer.status == 413)
        code = ErrorCode::TooLarge;
    else if (overQuota(answer))
        code = ErrorCode::LimitExceeded;
    else if (answer.status == 400 || answer.status == 422)
        code = ErrorCode::BadRequest;
    else if (answer.status == 401)
        code = ErrorCode::Unauthenticated;
    return Error{code, message.isEmpty() ? QStringLiteral("HTTP %1").arg(answer.status) : message};
}

bool permanent(const HttpAnswer &answer)
{
    // 507 is final only for our quota; the server's disk being full passes.
    return answer.status == 400 || answer.status == 413 || answer.status == 422 ||
           overQuota(answer);
}

Result<QByteArray> readChunk(const QString &path, qint64 offset, qint64 length)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(offset))
        return Error{ErrorCode::NotFound,
                     QStringLiteral("cannot read %1: %2").arg(path, file.errorString())};
    QByteArray data = file.read(length);
    if (data.size() != length)
        return Error{ErrorCode::NotFound,
                     QStringLiteral("%1 changed while it was being sent").arg(path)};
    return data;
}
} // namespace

QUrl mediaApiBase(const QUrl &sessionUrl)
{
    QUrl base = sessionUrl;
    base.setScheme(sessionUrl.scheme() == QLatin1String("wss") ? QStringLiteral("https")
                                                               : QStringLiteral("http"));
    base.setPath(QStringLiteral("/"));
    base.setQuery(QString());
    return base;
}

MediaUpload::MediaUpload(QNetworkAccessManager *http, QUrl apiBase, QString token,
                         MediaDeclaration declaration, QObject *parent)
    : QObject(parent), m_http(http), m_base(std::move(apiBase)), m_token(std::move(token)),
      m_declaration(std::move(declaration))
{}

void MediaUpload::start()
{
    run();
}

void MediaUpload::cancel()
{
    m_cancelled = true;
    if (m_current)
        m_current->abort();
    if (m_declaration.uploadId.isEmpty())
        return;
    QNetworkRequest request(
        m_base.resolved(QUrl(QStringLiteral("/api/v1/media/") + m_declaration.uploadId)));
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    QNetworkReply *deleting = m_http->deleteResource(request);
    connect(deleting, &QNetworkReply::finished, deleting, &QObject::deleteLater);
}

QCoro::Task<> MediaUpload::run()
{
    QPointer<MediaUpload> self(this);
    auto request = [this](const QString &path) {
        QNetworkRequest r(m_base.resolved(QUrl(path)));
        r.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
        r.setTransferTimeout(kTransferTimeoutMs);
        return r;
    };
    const QString media = QStringLiteral("/api/v1/media/");
    qint64 offset = 0;
    bool stored = false;
    if (!m_declaration.uploadId.isEmpty()) {
        // Resume: the server says how much it has (404: the upload is gone, start over).
        QNetworkReply *asking =
            m_http->get(request(media + m_declaration.uploadId + QStringLiteral("/upload")));
        m_current = asking;
        co_await asking;
        if (!self || m_cancelled)
            co_return;
        const HttpAnswer state = answerOf(asking);
        if (state.status == 200) {
            const Result<protocol::UploadStateAnswer> resume =
                protocol::decodeHttpAnswer<protocol::UploadStateAnswer>(state.body);
            if (!resume) {
                emit failed(unreadable(state, resume.error()), false);
                co_return;
            }
            offset = resume->offset;
            stored = resume->complete;
        } else if (state.status == 404) {
            m_declaration.uploadId.clear();
        } else {
            emit failed(errorOf(state), false);
            co_return;
        }
    }
    if (m_declaration.uploadId.isEmpty()) {
        QNetworkRequest create = request(QStringLiteral("/api/v1/media"));
        create.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        const QJsonObject body{{QStringLiteral("name"), m_declaration.name},
                               {QStringLiteral("mime"), m_declaration.mime},
                               {QStringLiteral("size"), m_declaration.size},
                               {QStringLiteral("sha256"), m_declaration.sha256}};
        QNetworkReply *creating =
            m_http->post(create, QJsonDocument(body).toJson(QJsonDocument::Compact));
        m_current = creating;
        co_await creating;
        if (!self || m_cancelled)
            co_return;
        const HttpAnswer declared = answerOf(creating);
        if (declared.status != 201) {
            emit failed(errorOf(declared), permanent(declared));
            co_return;
        }
        const Result<protocol::UploadCreatedAnswer> upload =
            protocol::decodeHttpAnswer<protocol::UploadCreatedAnswer>(declared.body);
        if (!upload) {
            emit failed(unreadable(declared, upload.error()), false);
            co_return;
        }
        m_declaration.uploadId = upload->media.mediaId;
        offset = 0;
        emit created(m_declaration.uploadId);
    }
    emit progress(offset, m_declaration.size);
    while (!stored && offset < m_declaration.size) {
        const qint64 length = std::min(kChunkBytes, m_declaration.size - offset);
        QFuture<Result<QByteArray>> reading =
            QtConcurrent::run(readChunk, m_declaration.path, offset, length);
        const Result<QByteArray> chunk = co_await reading;
        if (!self || m_cancelled)
            co_return;
        if (!chunk) {
            emit failed(chunk.error(), true);
            co_return;
        }
        QNetworkRequest put =
            request(media + m_declaration.uploadId + QStringLiteral("?offset=%1").arg(offset));
        put.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream");
        QNetworkReply *sending = m_http->put(put, *chunk);
        m_current = sending;
        connect(sending, &QNetworkReply::uploadProgress, this, [this, offset](qint64 sent, qint64) {
            emit progress(offset + sent, m_declaration.size);
        });
        co_await sending;
        if (!self || m_cancelled)
            co_return;
        const HttpAnswer answer = answerOf(sending);
        if (answer.status == 200 || answer.status == 409) {
            // 200: the new stored length; 409: where the server wants the next chunk.
            const Result<qint64> next = nextOffset(answer);
            if (!next) {
                emit failed(unreadable(answer, next.error()), false);
                co_return;
            }
            offset = *next;
            emit progress(offset, m_declaration.size);
            continue;
        }
        emit failed(errorOf(answer), permanent(answer));
        co_return;
    }
    QNetworkReply *finishing = m_http->post(
        request(media + m_declaration.uploadId + QStringLiteral("/finish")), QByteArray());
    m_current = finishing;
    co_await finishing;
    if (!self || m_cancelled)
        co_return;
    const HttpAnswer done = answerOf(finishing);
    if (done.status != 200) {
        emit failed(errorOf(done), permanent(done));
        co_return;
    }
    const Result<protocol::StoredMedia> uploaded =
        protocol::decodeHttpAnswer<protocol::StoredMedia>(done.body);
    if (!uploaded) {
        emit failed(unreadable(done, uploaded.error()), false);
        co_return;
    }
    emit finished(*uploaded);
}

} // namespace tern::app::client
