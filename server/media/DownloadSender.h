#pragma once

// Streams a byte range of finished media to one connection: reads a bounded block on the file
// pool, writes it, and reads the next only once the socket has drained below its low-water
// mark. A child of its connection.

#include <QObject>

#include <qcoro/qcorotask.h>

namespace tern::server::http {
class HttpConnection;
}

namespace tern::server::media {

class MediaFiles;

class DownloadSender : public QObject
{
    Q_OBJECT
public:
    DownloadSender(http::HttpConnection *connection, MediaFiles &files, QString mediaId,
                   qint64 first, qint64 length);
    void start();

private:
    QCoro::Task<> pump();

    http::HttpConnection *m_connection;
    MediaFiles &m_files;
    QString m_mediaId;
    qint64 m_position;
    qint64 m_remaining;
    bool m_pumping = false;
};

} // namespace tern::server::media
