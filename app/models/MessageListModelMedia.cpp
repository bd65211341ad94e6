// MessageListModel, part two: what picture and file rows show beyond their text (thumbnail,
// transfer progress, whether the file is on this device).

#include "app/client/MediaTransfers.h"
#include "app/models/MessageListModel.h"

#include "app/client/ChatClient.h"
#include "app/client/MediaDownloads.h"
#include "app/client/Thumbnailer.h"

namespace tern::app::models {

QImage MessageListModel::thumbnail(const Row &row) const
{
    if (!row.media || row.kind != protocol::MessageKind::Image)
        return {};
    if (const QImage *cached = m_thumbnails.object(row.id))
        return *cached;
    // Decoded on first paint only: 100,000 rows must not hold 100,000 images.
    // The size the sender declares is checked before decoding, and capped (issue 15: 16 KiB
    // declaring 8000×8000 pixels was decoded at full size).
    const QImage image = client::Thumbnailer::decodeThumbnail(
        QByteArray::fromBase64(row.media->thumbnail.toLatin1()));
    if (image.isNull())
        return {};
    m_thumbnails.insert(row.id, new QImage(image), int(image.sizeInBytes() / 1024) + 1);
    return image;
}

double MessageListModel::progressOf(const Row &row) const
{
    if (!row.media)
        return -1.0;
    if (row.state == State::Pending)
        return m_uploadProgress.value(row.id, 0.0);
    const QString &mediaId = row.media->mediaId;
    return mediaId.isEmpty() ? -1.0 : m_client->media()->downloads()->progress(mediaId);
}

bool MessageListModel::isDownloaded(const Row &row) const
{
    if (!row.media)
        return false;
    if (row.state != State::Sent)
        return !row.localPath.isEmpty(); // queued here: the original is on this device
    // Only this device's own records say where a file is (issue 15: never the message).
    const QString &mediaId = row.media->mediaId;
    return !mediaId.isEmpty() && !m_client->media()->downloads()->cachedPath(mediaId).isEmpty();
}

void MessageListModel::onMediaUploaded(const QString &id, const protocol::Media &media)
{
    const int row = pendingRow(id);
    if (row < 0)
        return;
    // From now on the row can be downloaded, forwarded and opened like any other.
    m_rows[row].media = std::make_shared<const protocol::Media>(media);
    const QModelIndex at = index(row);
    emit dataChanged(at, at, {MediaRole, ProgressRole, DownloadedRole});
}

void MessageListModel::mediaRowsChanged(const QString &mediaId)
{
    // Newest first: what is being downloaded is usually near the bottom.
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        const Row &row = m_rows.at(i);
        if (row.media && row.media->mediaId == mediaId) {
            const QModelIndex at = index(i);
            emit dataChanged(at, at, {ProgressRole, DownloadedRole, DownloadingRole});
        }
    }
}

void MessageListModel::allMediaRowsChanged()
{
    if (!m_rows.isEmpty())
        emit dataChanged(index(0), index(int(m_rows.size()) - 1),
                         {ProgressRole, DownloadedRole, DownloadingRole});
}

} // namespace tern::app::models
