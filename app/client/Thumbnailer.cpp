#include "Thumbnailer.h"

#include <QBuffer>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>

#include <limits>

namespace tern::app::client {

namespace {
//! Asks `reader` for at most `maxSide` a side when the header declares more (checked before
//! anything is decoded: the declaration is the sender's, the memory ours).
bool capSize(QImageReader &reader, int maxSide, int refuseAbove)
{
    const QSize declared = reader.size();
    if (!declared.isValid() || declared.isEmpty())
        return true; // the format does not say: Qt's own allocation limit still applies
    if (declared.width() > refuseAbove || declared.height() > refuseAbove)
        return false;
    if (declared.width() > maxSide || declared.height() > maxSide)
        reader.setScaledSize(
            declared.scaled(maxSide, maxSide, Qt::KeepAspectRatio).expandedTo(QSize(1, 1)));
    return true;
}
} // namespace

QImage Thumbnailer::decodeThumbnail(const QByteArray &jpeg)
{
    QBuffer buffer;
    buffer.setData(jpeg);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, "jpeg");
    if (!capSize(reader, kMaxSide, kMaxDeclaredThumbnailSide))
        return {};
    return reader.read();
}

QImage Thumbnailer::readUpright(const QString &path, QString *error)
{
    QImageReader reader(path);
    reader.setAutoTransform(true); // EXIF orientation: phone photos come out upright
    // Scaling happens before the EXIF turn, so a cap on both sides is the same either way.
    if (!capSize(reader, kMaxImageSide, std::numeric_limits<int>::max()))
        return {};
    QImage image = reader.read();
    if (image.isNull() && error)
        *error = reader.errorString();
    return image;
}

Result<Thumbnail> Thumbnailer::fromFile(const QString &path)
{
    QString error;
    const QImage image = readUpright(path, &error);
    if (image.isNull())
        return Error{ErrorCode::BadRequest, QStringLiteral("not a readable image: ") + error};
    return fromImage(image);
}

Result<Thumbnail> Thumbnailer::fromImage(const QImage &image)
{
    if (image.isNull())
        return Error{ErrorCode::BadRequest, QStringLiteral("empty image")};
    // JPEG has no alpha: flatten onto white, as the bubble would show a transparent PNG.
    QImage flat(image.size(), QImage::Format_RGB32);
    flat.fill(Qt::white);
    {
        QPainter painter(&flat);
        painter.drawImage(0, 0, image);
    }
    int side = kMaxSide;
    while (side >= 16) {
        const QImage scaled =
            flat.width() > side || flat.height() > side
                ? flat.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                : flat;
        for (int quality : {80, 65, 50, 35}) {
            QByteArray bytes;
            QBuffer buffer(&bytes);
            buffer.open(QIODevice::WriteOnly);
            QImageWriter writer(&buffer, "jpeg");
            writer.setQuality(quality);
            if (!writer.write(scaled))
                return Error{ErrorCode::Internal, writer.errorString()};
            if (bytes.size() <= kMaxBytes)
                return Thumbnail{bytes, image.size()};
        }
        side = side * 3 / 4;
    }
    return Error{ErrorCode::Internal, QStringLiteral("could not make a small enough thumbnail")};
}

} // namespace tern::app::client
