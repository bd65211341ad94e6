#pragma once

//! Makes the small JPEG a media message carries (≤ 16 KiB), upright per EXIF. Pure functions,
//! safe on any thread (callers run them on a worker).

#include "shared/core/Result.h"

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

    //! Reads an image file (applying its EXIF orientation).
    static Result<Thumbnail> fromFile(const QString &path);
    static Result<Thumbnail> fromImage(const QImage &image);
    //! The image in a file, upright.
    static QImage readUpright(const QString &path, QString *error = nullptr);
};

} // namespace tern::app::client
