// ChatPane, part two: attachments (button, drop, paste) and opening pictures and files.

#include "app/ui/ChatPane.h"

#include "app/client/ChatClient.h"
#include "app/client/MediaDownloads.h"
#include "app/client/MediaTransfers.h"
#include "app/models/MessageListModel.h"
#include "app/session/AccountSession.h"
#include "app/ui/FileOpener.h"
#include "app/ui/ImageViewer.h"
#include "app/ui/RequestErrorText.h"
#include "shared/model/Validation.h"

#include <QDesktopServices>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonObject>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QPushButton>
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
        m_session->client()->media()->sendFile(to, path);
    m_view->scrollToLatest();
}

void ChatPane::attachImage(const QImage &image)
{
    const QString to = sendAddress();
    if (!m_session || to.isEmpty() || image.isNull())
        return;
    m_session->client()->media()->sendImage(to, image, m_session->outgoingDir());
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

void ChatPane::whenDownloaded(const protocol::Media &media, QObject *context,
                              std::function<void(const QString &path)> done)
{
    client::MediaDownloads *downloads = m_session->client()->media()->downloads();
    const QString mediaId = media.mediaId;
    // One-shot: the watcher goes with the first outcome for this media (or with `context`).
    auto *watcher = new QObject(context);
    connect(downloads, &client::MediaDownloads::finished, watcher,
            [watcher, mediaId, done](const QString &id, const QString &path) {
                if (id != mediaId)
                    return;
                watcher->deleteLater();
                done(path);
            });
    auto fail = [watcher, mediaId](const QString &id) {
        if (id == mediaId)
            watcher->deleteLater();
    };
    connect(downloads, &client::MediaDownloads::failed, watcher, fail);
    connect(downloads, &client::MediaDownloads::cancelled, watcher, fail);
    downloads->fetch(media);
}

void ChatPane::openMedia(const QModelIndex &index)
{
    if (!m_session || !index.isValid())
        return;
    const protocol::Media media = MessageListModel::mediaAt(index).value_or(protocol::Media{});
    const QString mediaId = media.mediaId;
    // Our own queued file, from the outbox. Never a path from the message: that is the sender's
    // word, and opening it would run or leak whatever it names (issue 15).
    const QString original = index.data(MessageListModel::LocalPathRole).toString();
    if (mediaId.isEmpty() && original.isEmpty())
        return;
    const bool image = MessageListModel::kindAt(index) == protocol::MessageKind::Image;
    if (!image) {
        client::MediaDownloads *downloads = m_session->client()->media()->downloads();
        // Our own file still uploading has no id yet: the original is what to open.
        if (mediaId.isEmpty())
            m_opener->open(original);
        else if (downloads->progress(mediaId) >= 0)
            downloads->cancel(mediaId); // a click on a file's progress bar stops the download
        else
            whenDownloaded(media, this, [this](const QString &path) { m_opener->open(path); });
        return;
    }
    auto *viewer = new ImageViewer(media.name, this);
    viewer->setAttribute(Qt::WA_DeleteOnClose);
    viewer->open();
    emit imageViewerOpened(viewer);
    if (mediaId.isEmpty()) {
        viewer->showFile(original);
        return;
    }
    // Closing the viewer does not stop the download: the bubble shows it and can cancel it.
    client::MediaDownloads *downloads = m_session->client()->media()->downloads();
    const qint64 size = media.size;
    connect(downloads, &client::MediaDownloads::progressChanged, viewer,
            [viewer, mediaId, size](const QString &id, double progress) {
                if (id == mediaId && progress >= 0)
                    viewer->setProgress(qint64(progress * double(size)), size);
            });
    connect(downloads, &client::MediaDownloads::failed, viewer,
            [viewer, mediaId](const QString &id, const Error &error) {
                if (id == mediaId)
                    viewer->showError(ImageViewer::tr("The picture could not be loaded. %1")
                                          .arg(RequestErrorText::describeDownload(error)),
                                      error.message);
            });
    connect(downloads, &client::MediaDownloads::cancelled, viewer,
            [viewer, mediaId](const QString &id) {
                if (id == mediaId)
                    viewer->close();
            });
    whenDownloaded(media, viewer, [viewer](const QString &path) { viewer->showFile(path); });
}

void ChatPane::showOpenFailed(const QString &path)
{
    const QFileInfo file(path);
    const QString folder = file.absolutePath();
    auto *box = new QMessageBox(QMessageBox::Information, tr("Open file"),
                                tr("No app on this computer opens “%1”.").arg(file.fileName()),
                                QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("openFailedMessage"));
    box->setTextFormat(Qt::PlainText); // the name is the sender's
    box->setInformativeText(
        tr("The file is saved in %1. Open the folder to use it with another app, or save a "
           "copy with “Save as…” in the message's menu.")
            .arg(QDir::toNativeSeparators(folder)));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    QPushButton *openFolder = box->addButton(tr("Open folder"), QMessageBox::ActionRole);
    openFolder->setObjectName(QStringLiteral("openFolderButton"));
    // ActionRole would close the box first: the folder opens, the box goes.
    connect(openFolder, &QPushButton::clicked, this,
            [folder] { QDesktopServices::openUrl(QUrl::fromLocalFile(folder)); });
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    emit openFailed(path);
}

void ChatPane::cancelDownload(const QModelIndex &index)
{
    const std::optional<protocol::Media> media = MessageListModel::mediaAt(index);
    if (m_session && media)
        m_session->client()->media()->downloads()->cancel(media->mediaId);
}

void ChatPane::saveMedia(const QModelIndex &index)
{
    if (!m_session || !index.isValid())
        return;
    const protocol::Media media = MessageListModel::mediaAt(index).value_or(protocol::Media{});
    const QString name = validation::sanitizeFileName(media.name);
    auto *dialog = new QFileDialog(
        this, tr("Save file"),
        QDir(QStandardPaths::writableLocation(QStandardPaths::DownloadLocation)).filePath(name));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QPersistentModelIndex row(index);
    connect(dialog, &QFileDialog::fileSelected, this, [this, row](const QString &target) {
        if (row.isValid())
            saveMediaTo(row, target);
    });
    dialog->open();
}

void ChatPane::saveMediaTo(const QModelIndex &index, const QString &target)
{
    if (!m_session || !index.isValid())
        return;
    const protocol::Media media = MessageListModel::mediaAt(index).value_or(protocol::Media{});
    QPointer<ChatPane> self(this);
    auto copy = [self, target](const QString &path) {
        // Off the UI thread: a 100 MiB copy must not freeze the window.
        auto *watcher = new QFutureWatcher<bool>();
        QObject::connect(watcher, &QFutureWatcher<bool>::finished, watcher,
                         [self, watcher, target] {
                             watcher->deleteLater();
                             if (self)
                                 emit self->mediaSaved(target, watcher->result());
                         });
        watcher->setFuture(QtConcurrent::run([path, target] {
            if (path == target)
                return true;
            QFile::remove(target);
            return QFile::copy(path, target);
        }));
    };
    const QString original = index.data(MessageListModel::LocalPathRole).toString();
    if (media.mediaId.isEmpty()) {
        if (!original.isEmpty())
            copy(original); // our own file, still uploading
    } else {
        whenDownloaded(media, this, copy);
    }
}

} // namespace tern::app::ui
