#include "ThumbnailMaker.h"

#include <QBuffer>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>
#include <QtConcurrent>

namespace tern::app::client {

namespace {

// Qualities tried in turn at each size; below ~30 JPEG blocks show, so the size shrinks instead.
constexpr int kQualities[] = {85, 75, 65, 55, 45, 35, 30};
constexpr int kMinSide = 16;

QByteArray encodeJpeg(const QImage &image, int quality)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "jpeg");
    writer.setQuality(quality);
    writer.setOptimizedWrite(true); // optimized Huffman tables: a few % smaller for free
    if (!writer.write(image))
        return {};
    return bytes;
}

//! RGB without alpha: JPEG has none, and transparent pixels would turn black.
QImage flattened(const QImage &image)
{
    if (!image.hasAlphaChannel())
        return image.convertToFormat(QImage::Format_RGB32);
    QImage opaque(image.size(), QImage::Format_RGB32);
    opaque.fill(Qt::white);
    QPainter painter(&opaque);
    painter.drawImage(0, 0, image);
    painter.end();
    return opaque;
}

} // namespace

QFuture<Result<JpegThumbnail>> ThumbnailMaker::fromFile(const QString &path)
{
    return QtConcurrent::run(&ThumbnailMaker::makeFromFile, path);
}

QFuture<Result<JpegThumbnail>> ThumbnailMaker::fromImage(const QImage &image)
{
    return QtConcurrent::run(&ThumbnailMaker::makeFromImage, image);
}

Result<JpegThumbnail> ThumbnailMaker::makeFromFile(const QString &path)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize stored = reader.size(); // before the EXIF rotation
    if (!reader.canRead() || !stored.isValid())
        return Error{
            ErrorCode::BadRequest,
            QStringLiteral("%1 is not a readable image: %2").arg(path, reader.errorString())};
    // The bounding box is square, so it fits the same whether or not the image gets rotated.
    // Decode at twice the thumbnail size at most (JPEG scales while decoding), then smooth it.
    constexpr int kDecodeSide = 2 * kMaxSide;
    if (stored.width() > kDecodeSide || stored.height() > kDecodeSide)
        reader.setScaledSize(stored.scaled(kDecodeSide, kDecodeSide, Qt::KeepAspectRatio));
    const QImage image = reader.read(); // upright: setAutoTransform
    if (image.isNull())
        return Error{ErrorCode::BadRequest,
                     QStringLiteral("%1 could not be decoded: %2").arg(path, reader.errorString())};
    const bool turned = reader.transformation().testFlag(QImageIOHandler::TransformationRotate90);
    Result<JpegThumbnail> thumbnail = makeFromImage(image);
    if (thumbnail)
        thumbnail->fullSize = turned ? stored.transposed() : stored;
    return thumbnail;
}

Result<JpegThumbnail> ThumbnailMaker::makeFromImage(const QImage &source)
{
    if (source.isNull())
        return Error{ErrorCode::BadRequest, QStringLiteral("no image")};
    QSize size = source.size();
    if (size.width() > kMaxSide || size.height() > kMaxSide)
        size = size.scaled(kMaxSide, kMaxSide, Qt::KeepAspectRatio);
    size = size.expandedTo(QSize(1, 1));
    const QImage opaque = flattened(source);
    for (;;) {
        const QImage scaled = size == opaque.size() ? opaque
                                                    : opaque.scaled(size, Qt::IgnoreAspectRatio,
                                                                    Qt::SmoothTransformation);
        for (const int quality : kQualities) {
            QByteArray jpeg = encodeJpeg(scaled, quality);
            if (jpeg.isEmpty())
                return Error{ErrorCode::Internal, QStringLiteral("JPEG encoding failed")};
            if (jpeg.size() <= kMaxBytes)
                return JpegThumbnail{std::move(jpeg), size, source.size()};
        }
        // Still too big (noise, fine detail): fewer pixels, and try the qualities again.
        if (size.width() <= kMinSide && size.height() <= kMinSide)
            return Error{ErrorCode::TooLarge,
                         QStringLiteral("no thumbnail fits in %1 bytes").arg(kMaxBytes)};
        size = QSize(qMax(1, size.width() * 3 / 4), qMax(1, size.height() * 3 / 4));
    }
}

} // namespace tern::app::client
