#include "MediaHttp.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>

#include <qcoro/qcoronetworkreply.h>

namespace tern::app::client {

QUrl httpBaseUrl(const QUrl &sessionUrl)
{
    const QString scheme = sessionUrl.scheme().toLower();
    QString httpScheme;
    if (scheme == QLatin1String("ws") || scheme == QLatin1String("http"))
        httpScheme = QStringLiteral("http");
    else if (scheme == QLatin1String("wss") || scheme == QLatin1String("https"))
        httpScheme = QStringLiteral("https");
    if (httpScheme.isEmpty() || sessionUrl.host().isEmpty())
        return {};
    QUrl base;
    base.setScheme(httpScheme);
    base.setHost(sessionUrl.host());
    base.setPort(sessionUrl.port()); // -1 keeps the scheme's default, as for the WebSocket
    return base;
}

bool isMediaId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-f]{32}$"));
    return pattern.match(id).hasMatch();
}

bool isSha256Hex(const QString &hex)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-fA-F]{64}$"));
    return pattern.match(hex).hasMatch();
}

QNetworkRequest mediaRequest(const QUrl &base, const QString &path, const QString &token,
                             int timeoutMs)
{
    QUrl url = base;
    const qsizetype query = path.indexOf(u'?');
    url.setPath(query < 0 ? path : path.left(query));
    if (query >= 0)
        url.setQuery(path.mid(query + 1));
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
    request.setTransferTimeout(timeoutMs);
    // A media API never redirects; following one would send the token elsewhere.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    return request;
}

QJsonObject HttpExchange::json() const
{
    return QJsonDocument::fromJson(body).object();
}

bool HttpExchange::transient() const
{
    if (status == 0 || networkError != QNetworkReply::NoError)
        return true; // no answer, or the connection broke after the headers
    if (status == 408 || status == 429)
        return true;
    return status >= 500 && status != 507;
}

Error HttpExchange::error() const
{
    if (status == 0 || networkError != QNetworkReply::NoError)
        return Error{ErrorCode::Internal, errorString.isEmpty()
                                              ? QStringLiteral("no answer from the server")
                                              : errorString};
    ErrorCode code = ErrorCode::Internal;
    switch (status) {
    case 400:
    case 416:
    case 422:
        code = ErrorCode::BadRequest;
        break;
    case 401:
        code = ErrorCode::Unauthenticated;
        break;
    case 403:
        code = ErrorCode::Forbidden;
        break;
    case 404:
        code = ErrorCode::NotFound;
        break;
    case 409:
        code = ErrorCode::Conflict;
        break;
    case 413:
        code = ErrorCode::TooLarge;
        break;
    case 429:
        code = ErrorCode::RateLimited;
        break;
    case 507:
        code = ErrorCode::LimitExceeded;
        break;
    default:
        break;
    }
    const QString message = json().value(QLatin1String("message")).toString();
    return Error{code, message.isEmpty() ? QStringLiteral("HTTP %1").arg(status) : message};
}

HttpExchange exchangeOf(QNetworkReply *reply, bool readBody)
{
    HttpExchange result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.networkError = reply->error();
    result.errorString = reply->errorString();
    // An HTTP error status is an answer; only transport errors count as "no answer".
    if (result.status == 0 && result.networkError == QNetworkReply::NoError)
        result.networkError = QNetworkReply::UnknownNetworkError;
    if (result.status != 0 && result.networkError >= QNetworkReply::ContentAccessDenied)
        result.networkError = QNetworkReply::NoError; // the status says it all
    if (readBody && reply->isOpen()) // an aborted reply is closed
        result.body = reply->readAll();
    return result;
}

QCoro::Task<HttpExchange> finishExchange(QNetworkReply *reply)
{
    QPointer<QNetworkReply> guard(reply);
    if (!reply->isFinished())
        co_await reply;
    if (!guard) {
        HttpExchange gone;
        gone.networkError = QNetworkReply::OperationCanceledError;
        gone.errorString = QStringLiteral("request destroyed");
        co_return gone;
    }
    HttpExchange result = exchangeOf(guard, true);
    guard->deleteLater();
    co_return result;
}

Result<FileDigest> sha256OfFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{ErrorCode::NotFound,
                     QStringLiteral("cannot read %1: %2").arg(path, file.errorString())};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    qint64 total = 0;
    for (;;) {
        const qint64 n = file.read(block.data(), block.size());
        if (n < 0)
            return Error{ErrorCode::Internal,
                         QStringLiteral("reading %1 failed: %2").arg(path, file.errorString())};
        if (n == 0)
            break;
        hash.addData(QByteArrayView(block.constData(), n));
        total += n;
    }
    return FileDigest{total, QString::fromLatin1(hash.result().toHex())};
}

} // namespace tern::app::client
