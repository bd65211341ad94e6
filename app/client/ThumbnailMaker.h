#pragma once

//! Makes the small JPEG a media message carries (at most 16 KiB, fitting 320×320, upright per
//! EXIF) plus the upright size of the whole image for layout, off the UI thread.
//
// Threading: the make*() functions are pure and safe on any thread; fromFile()/fromImage() run
// them on QtConcurrent's global pool and return a QFuture (await it with QCoro; don't use
// QFuture::then(context) on Qt 6.4). Large JPEGs are decoded at a reduced size, so a 50 MP
// photo does not need 200 MB on the worker.

#include "shared/core/Result.h"

#include <QByteArray>
#include <QFuture>
#include <QImage>
#include <QSize>
#include <QString>

namespace tern::app::client {

//! A finished thumbnail.
struct JpegThumbnail
{
    QByteArray jpeg; // at most ThumbnailMaker::kMaxBytes
    QSize size;      // of the thumbnail
    QSize fullSize;  // of the whole image, upright
};

class ThumbnailMaker
{
public:
    static constexpr qsizetype kMaxBytes = 16384;
    static constexpr int kMaxSide = 320;

    //! Reads an image file (any format Qt reads), applying its EXIF orientation.
    static QFuture<Result<JpegThumbnail>> fromFile(const QString &path);
    //! A decoded image, e.g. pasted from the clipboard (already upright).
    static QFuture<Result<JpegThumbnail>> fromImage(const QImage &image);

    //! The same, synchronously, for code already on a worker thread (and for tests).
    static Result<JpegThumbnail> makeFromFile(const QString &path);
    static Result<JpegThumbnail> makeFromImage(const QImage &image);
};

} // namespace tern::app::client
