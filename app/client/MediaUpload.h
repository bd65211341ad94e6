#pragma once

//! Uploads one local file to the server's media API (docs/protocol.md, "Media"): declares it,
//! streams it in bounded chunks read off the UI thread, resumes from the server's stored offset
//! after any failure, and finishes it. One object per attempt; the caller retries.

#include "shared/core/Result.h"
#include "shared/protocol/HttpAnswers.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <qcoro/qcorotask.h>

class QNetworkAccessManager;
class QNetworkReply;

namespace tern::app::client {

//! What the server is told about a file, and the upload id once it has one.
struct MediaDeclaration
{
    QString path; // local file
    QString name;
    QString mime;
    qint64 size = 0;
    QString sha256;
    QString uploadId; // empty until the server created the upload
};

//! http(s)://host:port/ of the server behind a ws(s):// session URL.
QUrl mediaApiBase(const QUrl &sessionUrl);

class MediaUpload : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kChunkBytes = 4 * 1024 * 1024;

    MediaUpload(QNetworkAccessManager *http, QUrl apiBase, QString token,
                MediaDeclaration declaration, QObject *parent = nullptr);
    void start();
    //! Stops sending and asks the server to delete what it has; nothing is emitted after this.
    void cancel();

signals:
    void created(const QString &uploadId);
    void progress(qint64 sent, qint64 total);
    //! The finished media as the server stored it (its name sanitised).
    void finished(const tern::protocol::StoredMedia &media);
    //! `permanent`: the server refused the file (too large, quota, bad bytes); else retry later.
    void failed(const tern::Error &error, bool permanent);

private:
    QCoro::Task<> run();

    QNetworkAccessManager *m_http;
    QUrl m_base;
    QString m_token;
    MediaDeclaration m_declaration;
    QPointer<QNetworkReply> m_current;
    bool m_cancelled = false;
};

} // namespace tern::app::client
