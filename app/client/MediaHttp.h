#pragma once

//! Helpers shared by MediaUploader and MediaDownloader: the HTTP base URL behind a session URL,
//! authorized requests, one finished exchange as a value, and file hashing for worker threads.
//
// Threading: finishExchange() runs on the thread that owns the reply; sha256OfFile() is a pure
// function meant for QtConcurrent workers. Nothing here keeps state.

#include "shared/core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

#include <qcoro/qcorotask.h>

namespace tern::app::client {

//! http://host:port of the server behind a ws:// session URL (wss → https); http(s) URLs keep
//! their scheme. Path, query and fragment are dropped. Invalid for any other scheme.
QUrl httpBaseUrl(const QUrl &sessionUrl);

//! True for a server-drawn media id (32 lowercase hex digits): the only strings that may name a
//! cache file.
bool isMediaId(const QString &id);
//! True for 64 hex digits.
bool isSha256Hex(const QString &hex);

//! `base` + `path` with `Authorization: Bearer <token>` and a transfer timeout (no bytes moved
//! for `timeoutMs` aborts the request; a stall must not hang a transfer forever).
QNetworkRequest mediaRequest(const QUrl &base, const QString &path, const QString &token,
                             int timeoutMs);

//! One finished HTTP exchange.
struct HttpExchange
{
    int status = 0; // 0: no HTTP answer (connection refused, dropped, timed out, aborted)
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString errorString;
    QByteArray body; // only when asked for (small JSON answers)

    bool ok() const
    {
        return status >= 200 && status < 300 && networkError == QNetworkReply::NoError;
    }
    QJsonObject json() const;
    //! Worth trying again later: no (complete) answer, 5xx other than 507, 408, 429.
    bool transient() const;
    //! The server's `{"code","message"}` as an Error (code mapped from the HTTP status).
    Error error() const;
};

//! The state of a finished reply (reads the rest of the body when `readBody`).
HttpExchange exchangeOf(QNetworkReply *reply, bool readBody);
//! Awaits `reply`, returns exchangeOf(reply, true) and deletes the reply later. A free function
//! on purpose: it never touches the object that started the request, which may be gone when
//! the reply finishes.
QCoro::Task<HttpExchange> finishExchange(QNetworkReply *reply);

//! Size and lowercase hex SHA-256 of a file, read in 1 MiB blocks. For worker threads.
struct FileDigest
{
    qint64 size = 0;
    QString sha256;
};
Result<FileDigest> sha256OfFile(const QString &path);

} // namespace tern::app::client
