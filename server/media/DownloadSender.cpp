#include "DownloadSender.h"

#include "server/http/HttpConnection.h"
#include "server/media/MediaFiles.h"

#include <QCoroFuture>
#include <QPointer>

namespace tern::server::media {

namespace {
constexpr qint64 kBlockBytes = 256 * 1024;
constexpr qint64 kHighWaterBytes = 1024 * 1024;
} // namespace

DownloadSender::DownloadSender(http::HttpConnection *connection, MediaFiles &files, QString mediaId,
                               qint64 first, qint64 length)
    : QObject(connection), m_connection(connection), m_files(files), m_mediaId(std::move(mediaId)),
      m_position(first), m_remaining(length)
{
    connect(connection, &http::HttpConnection::writable, this, [this] {
        if (!m_pumping)
            pump();
    });
}

void DownloadSender::start()
{
    pump();
}

QCoro::Task<> DownloadSender::pump()
{
    QPointer<DownloadSender> self(this);
    m_pumping = true;
    while (m_remaining > 0 && m_connection->unsentBytes() < kHighWaterBytes) {
        QFuture<Result<QByteArray>> reading =
            m_files.read(m_mediaId, m_position, std::min(kBlockBytes, m_remaining));
        const Result<QByteArray> block = co_await reading;
        if (!self)
            co_return;
        if (!block || block->isEmpty()) {
            // The head is out already: all we can do is cut the response short.
            m_connection->abort();
            co_return;
        }
        m_connection->writeBody(*block);
        m_position += block->size();
        m_remaining -= block->size();
    }
    m_pumping = false;
    if (m_remaining == 0) {
        m_connection->endResponse();
        deleteLater();
    }
}

} // namespace tern::server::media
