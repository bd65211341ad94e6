#include "app/ui/ImageViewer.h"

#include "app/client/Thumbnailer.h"
#include "app/models/MessageText.h"

#include <QFutureWatcher>
#include <QLabel>
#include <QPixmap>
#include <QPointer>
#include <QScreen>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace tern::app::ui {

ImageViewer::ImageViewer(const QString &title, QWidget *parent)
    : QDialog(parent), m_label(new QLabel(this))
{
    setWindowTitle(title);
    setAccessibleName(tr("Picture: %1").arg(title));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    m_label->setAlignment(Qt::AlignCenter);
    m_label->setMinimumSize(160, 120);
    m_label->setText(tr("Loading…"));
    resize(720, 540);
}

void ImageViewer::setProgress(qint64 received, qint64 total)
{
    if (m_image.isNull() && total > 0)
        m_label->setText(tr("Loading… %1 of %2")
                             .arg(models::MessageText::dataSize(received),
                                  models::MessageText::dataSize(total)));
}

void ImageViewer::showFile(const QString &path)
{
    auto *watcher = new QFutureWatcher<QImage>(this);
    connect(watcher, &QFutureWatcher<QImage>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const QImage image = watcher->result();
        if (image.isNull()) {
            showError(tr("This picture cannot be shown."));
            return;
        }
        m_image = image;
        m_label->setAccessibleName(tr("Picture, %1 × %2").arg(image.width()).arg(image.height()));
        updatePixmap();
        emit imageShown();
    });
    watcher->setFuture(
        QtConcurrent::run([path] { return client::Thumbnailer::readUpright(path); }));
}

void ImageViewer::showError(const QString &text, const QString &detail)
{
    m_label->setText(text);
    m_label->setToolTip(detail);
}

QString ImageViewer::statusText() const
{
    return m_label->text();
}

void ImageViewer::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    updatePixmap();
}

void ImageViewer::updatePixmap()
{
    if (m_image.isNull())
        return;
    const quint64 generation = ++m_scaleGeneration;
    // Scaled down to fit, never up: a small picture stays sharp.
    const QSize room = m_label->size();
    if (m_image.width() <= room.width() && m_image.height() <= room.height()) {
        m_label->setPixmap(QPixmap::fromImage(m_image));
        emit smoothPixmapShown();
        return;
    }
    // Smooth scaling of a 16-megapixel photo takes tens of milliseconds, on every step of a
    // window resize: show a quick rendering now and the smooth one when a worker has made it.
    m_label->setPixmap(
        QPixmap::fromImage(m_image.scaled(room, Qt::KeepAspectRatio, Qt::FastTransformation)));
    auto *watcher = new QFutureWatcher<QImage>(this);
    connect(watcher, &QFutureWatcher<QImage>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_scaleGeneration)
            return; // resized again meanwhile; a newer request is on its way
        m_label->setPixmap(QPixmap::fromImage(watcher->result()));
        emit smoothPixmapShown();
    });
    watcher->setFuture(QtConcurrent::run([image = m_image, room] {
        return image.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    }));
}

} // namespace tern::app::ui
