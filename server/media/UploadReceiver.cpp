#include "UploadReceiver.h"

#include "server/http/HttpConnection.h"
#include "server/media/MediaFiles.h"

#include <QCoroFuture>

namespace tern::server::media {

namespace {
constexpr qint64 kChunkBytes = 512 * 1024;
} // namespace

UploadReceiver::UploadReceiver(http::HttpConnection *connection, MediaFiles &files, QString mediaId,
                               qint64 offset)
    : QObject(connection), m_connection(connection), m_files(files), m_mediaId(std::move(mediaId)),
      m_offset(offset)
{
    connect(connection, &http::HttpConnection::bodyReadable, this, [this] {
        if (!m_pumping)
            pump();
    });
}

void UploadReceiver::start()
{
    pump();
}

void UploadReceiver::supersede()
{
    m_superseded = true;
    m_connection->abort();
}

QCoro::Task<> UploadReceiver::pump()
{
    QPointer<UploadReceiver> self(this);
    m_pumping = true;
    while (!m_superseded) {
        const QByteArray chunk = m_connection->readBody(kChunkBytes);
        if (chunk.isEmpty()) {
            if (m_connection->bodyRemaining() > 0)
                break; // wait for bodyReadable
            if (m_refusal)
                m_connection->respondAnswer(m_refusal->status, m_refusal->answer);
            else
                m_connection->respondAnswer(200, protocol::UploadOffsetAnswer{m_offset});
            m_pumping = false;
            emit done(m_mediaId);
            deleteLater();
            co_return;
        }
        // Answering before the whole body is read would mean closing with unread bytes, and
        // the peer's TCP stack then resets the connection, often before the client has read
        // the answer (it saw a dropped connection, not the 507). So the rest of a refused body
        // is read and dropped, bounded by its declared Content-Length, then the answer goes.
        if (m_refusal)
            continue;
        QFuture<Result<qint64>> appending = m_files.append(m_mediaId, m_offset, chunk);
        const Result<qint64> appended = co_await appending;
        if (!self)
            co_return; // the connection went; what was appended stays
        if (!appended) {
            const Error &e = appended.error();
            if (e.code == ErrorCode::Conflict)
                m_refusal = Refusal{409, protocol::HttpErrorAnswer{
                                             .code = QStringLiteral("conflict"),
                                             .message = QStringLiteral("the upload holds %1 "
                                                                       "bytes; continue from there")
                                                            .arg(e.message),
                                             .offset = e.message.toLongLong()}};
            else
                m_refusal =
                    Refusal{507, protocol::HttpErrorAnswer{
                                     QStringLiteral("insufficient_storage"),
                                     QStringLiteral("the server could not store the upload: ") +
                                         e.message}};
            continue;
        }
        m_offset = *appended;
    }
    m_pumping = false;
}

} // namespace tern::server::media
