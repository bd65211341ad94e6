#pragma once

// Streams one PUT body into an upload's file, a bounded chunk at a time: the socket's read
// buffer is capped, so a fast client waits on TCP instead of growing our memory. What was
// appended before a drop stays, and is the next resume point. A child of its connection.

#include "shared/protocol/HttpAnswers.h"

#include <QObject>
#include <QPointer>

#include <optional>

#include <qcoro/qcorotask.h>

namespace tern::server::http {
class HttpConnection;
}

namespace tern::server::media {

class MediaFiles;

class UploadReceiver : public QObject
{
    Q_OBJECT
public:
    UploadReceiver(http::HttpConnection *connection, MediaFiles &files, QString mediaId,
                   qint64 offset);
    void start();
    QString mediaId() const { return m_mediaId; }
    //! Another request took over this upload: stop after the write in flight.
    void supersede();

signals:
    void done(const QString &mediaId);

private:
    QCoro::Task<> pump();

    //! An answer held back while the rest of a refused body is read and dropped.
    struct Refusal
    {
        int status = 0;
        protocol::HttpErrorAnswer answer;
    };

    http::HttpConnection *m_connection;
    MediaFiles &m_files;
    QString m_mediaId;
    qint64 m_offset;
    bool m_pumping = false;
    bool m_superseded = false;
    std::optional<Refusal> m_refusal;
};

} // namespace tern::server::media
