#pragma once

//! Shows one picture of a chat at full resolution: "Loading…" while it downloads, then the
//! image (upright, scaled down to fit the window; Esc closes). Loading and decoding happen off
//! the UI thread; the caller feeds the downloaded file.

#include <QDialog>
#include <QImage>

class QLabel;

namespace tern::app::ui {

class ImageViewer : public QDialog
{
    Q_OBJECT
public:
    explicit ImageViewer(const QString &title, QWidget *parent = nullptr);

    void setProgress(qint64 received, qint64 total);
    //! Decodes the file (on a worker thread) and shows it.
    void showFile(const QString &path);
    //! `detail` (technical, untranslated) is kept out of the sentence, in its tooltip.
    void showError(const QString &text, const QString &detail = {});
    //! What the viewer says instead of the picture ("Loading…", an error), empty once shown.
    QString statusText() const;
    //! The decoded picture, null until shown (tests).
    QImage image() const { return m_image; }

signals:
    void imageShown();
    //! The smooth rendering for the current size is on screen (tests, screenshots).
    void smoothPixmapShown();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updatePixmap();

    QLabel *m_label;
    QImage m_image;
    // Counts scale requests, so a smooth result for an older size is dropped.
    quint64 m_scaleGeneration = 0;
};

} // namespace tern::app::ui
