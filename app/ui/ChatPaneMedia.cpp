// ChatPane, part two: attachments (button, drop, paste) and opening pictures and files.

#include "app/ui/ChatPane.h"

#include "app/client/ChatClient.h"
#include "app/client/MediaDownload.h"
#include "app/models/MessageListModel.h"
#include "app/session/AccountSession.h"
#include "app/ui/ImageViewer.h"

#include <QDesktopServices>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonObject>
#include <QMimeData>
#include <QPointer>
#include <QStandardPaths>
#include <QtConcurrent>

namespace tern::app::ui {

using models::MessageListModel;

namespace {
QStringList localFiles(const QMimeData *data)
{
    QStringList files;
    if (!data || !data->hasUrls())
        return files;
    for (const QUrl &url : data->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
            files << url.toLocalFile();
    }
    return files;
}
} // namespace

QString ChatPane::sendAddress() const
{
    if (!m_pendingPeer.isEmpty())
        return m_pendingPeer;
    MessageListModel *model = m_view->messageModel();
    return model ? model->sendAddress() : QString();
}

void ChatPane::chooseFiles()
{
    auto *dialog =
        new QFileDialog(this, tr("Send photos or files"),
                        QStandardPaths::writableLocation(QStandardPaths::PicturesLocation));
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::filesSelected, this, &ChatPane::attachFiles);
    dialog->open(); // not exec(): no nested event loop
}

void ChatPane::attachFiles(const QStringList &paths)
{
    const QString to = sendAddress();
    if (!m_session || to.isEmpty())
        return;
    for (const QString &path : paths)
        m_session->client()->sendFile(to, path);
    m_view->scrollToLatest();
}

void ChatPane::attachImage(const QImage &image)
{
    const QString to = sendAddress();
    if (!m_session || to.isEmpty() || image.isNull())
        return;
    m_session->client()->sendImage(to, image, m_session->outgoingDir());
    m_view->scrollToLatest();
}

void ChatPane::dragEnterEvent(QDragEnterEvent *event)
{
    if (!sendAddress().isEmpty() && !localFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void ChatPane::dropEvent(QDropEvent *event)
{
    const QStringList files = localFiles(event->mimeData());
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    attachFiles(files);
}

void ChatPane::openMedia(const QModelIndex &index)
{
    if (!m_session || !index.isValid())
        return;
    const QJsonObject media = index.data(MessageListModel::MediaRole).toJsonObject();
    if (media.value(QStringLiteral("media_id")).toString().isEmpty() &&
        media.value(QStringLiteral("local_path")).toString().isEmpty())
        return;
    const bool image = index.data(MessageListModel::KindRole).toString() == QLatin1String("image");
    client::MediaDownload *download =
        m_session->client()->download(media, m_session->mediaCacheDir());
    if (image) {
        auto *viewer = new ImageViewer(media.value(QStringLiteral("name")).toString(), this);
        viewer->setAttribute(Qt::WA_DeleteOnClose);
        download->setParent(viewer); // closing the viewer stops the download
        connect(download, &client::MediaDownload::progress, viewer, &ImageViewer::setProgress);
        connect(download, &client::MediaDownload::finished, viewer, &ImageViewer::showFile);
        connect(download, &client::MediaDownload::failed, viewer, [viewer](const Error &error) {
            viewer->showError(
                ImageViewer::tr("The picture could not be loaded: %1").arg(error.message));
        });
        viewer->open();
        emit imageViewerOpened(viewer);
    } else {
        connect(download, &client::MediaDownload::finished, this, [download](const QString &path) {
            download->deleteLater();
            QDesktopServices::openUrl(QUrl::fromLocalFile(path));
        });
        connect(download, &client::MediaDownload::failed, this,
                [download] { download->deleteLater(); });
    }
    download->start();
}

void ChatPane::saveMedia(const QModelIndex &index)
{
    if (!m_session || !index.isValid())
        return;
    const QJsonObject media = index.data(MessageListModel::MediaRole).toJsonObject();
    const QString name = QFileInfo(media.value(QStringLiteral("name")).toString()).fileName();
    auto *dialog = new QFileDialog(
        this, tr("Save file"),
        QDir(QStandardPaths::writableLocation(QStandardPaths::DownloadLocation)).filePath(name));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<session::AccountSession> session(m_session);
    connect(dialog, &QFileDialog::fileSelected, this, [session, media](const QString &target) {
        if (!session)
            return;
        client::MediaDownload *download =
            session->client()->download(media, session->mediaCacheDir());
        connect(download, &client::MediaDownload::finished, download,
                [download, target](const QString &path) {
                    download->deleteLater();
                    // Off the UI thread: a 100 MiB copy must not freeze the window.
                    QFuture<bool> copying = QtConcurrent::run([path, target] {
                        QFile::remove(target);
                        return QFile::copy(path, target);
                    });
                    Q_UNUSED(copying);
                });
        connect(download, &client::MediaDownload::failed, download, &QObject::deleteLater);
        download->start();
    });
    dialog->open();
}

} // namespace tern::app::ui
