#pragma once

//! Makes the small JPEG a media message carries (≤ 16 KiB), upright per EXIF. Pure functions,
//! safe on any thread (callers run them on a worker).

#include "shared/core/Result.h"
#include "shared/protocol/MediaFields.h"

#include <QByteArray>
#include <QImage>
#include <QSize>
#include <QString>

namespace tern::app::client {

struct Thumbnail
{
    QByteArray jpeg;
    QSize fullSize; // the upright size of the whole image
};

class Thumbnailer
{
public:
    static constexpr qsizetype kMaxBytes = 16 * 1024;
    static constexpr int kMaxSide = 320;
    //! A thumbnail declaring a side above this is refused undecoded (ours are ≤ kMaxSide).
    static constexpr int kMaxDeclaredThumbnailSide = protocol::kMaxThumbnailSide;
    //! Pictures are shown at most this large (a side); larger ones are decoded scaled down.
    static constexpr int kMaxImageSide = 8192;

    //! Reads an image file (applying its EXIF orientation).
    static Result<Thumbnail> fromFile(const QString &path);
    static Result<Thumbnail> fromImage(const QImage &image);
    //! The image in a file, upright, at most kMaxImageSide a side (the size is read from the
    //! header first, so a file declaring 50,000² pixels is never decoded at full size).
    static QImage readUpright(const QString &path, QString *error = nullptr);
    //! A thumbnail from the wire (JPEG): at most kMaxSide a side, decoded scaled down from its
    //! declared size; null when the declaration is absurd or the data no picture.
    static QImage decodeThumbnail(const QByteArray &jpeg);
};

} // namespace tern::app::client
