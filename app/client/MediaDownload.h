#pragma once

//! Downloads one media object into the app's cache file for it: continues a `.part` left by an
//! earlier attempt with `Range`, writes on a worker thread, checks the SHA-256, then moves the
//! file into place. A file already in place is the cache: it finishes at once.

#include "shared/core/Result.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QUrl>

#include <qcoro/qcorotask.h>

class QNetworkAccessManager;
class QNetworkReply;

namespace tern::app::client {

class MediaDownload : public QObject
{
    Q_OBJECT
public:
    MediaDownload(QNetworkAccessManager *http, QUrl apiBase, QString token, QString mediaId,
                  QString sha256, QString targetPath, QObject *parent = nullptr);
    ~MediaDownload() override;
    void start();
    //! A file this device already has for the media (its own upload's original): finished with
    //! it at once when it still exists. Set before start().
    void setKnownCopy(const QString &path) { m_knownCopy = path; }
    QString targetPath() const { return m_target; }

signals:
    void progress(qint64 received, qint64 total);
    void finished(const QString &path);
    //! `permanent`: trying again cannot help (the server has no such media for us).
    void failed(const tern::Error &error, bool permanent);

private:
    QCoro::Task<> run();

    QNetworkAccessManager *m_http;
    QUrl m_base;
    QString m_token;
    QString m_mediaId;
    QString m_sha256;
    QString m_target;
    QString m_knownCopy;
    QPointer<QNetworkReply> m_reply;
    bool m_closing = false;
    QThreadPool m_writer; // one thread: chunks land in order
};

} // namespace tern::app::client
