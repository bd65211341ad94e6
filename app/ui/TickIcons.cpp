#include "app/ui/TickIcons.h"

#include <QPainter>
#include <QSvgRenderer>

namespace tern::app::ui {

QString TickIcons::resourcePath(Icon icon)
{
    switch (icon) {
    case Icon::Clock:
        return QStringLiteral(":/tern/icons/tick-clock.svg");
    case Icon::Sent:
        return QStringLiteral(":/tern/icons/tick-sent.svg");
    case Icon::Delivered:
        return QStringLiteral(":/tern/icons/tick-delivered.svg");
    case Icon::Read:
        return QStringLiteral(":/tern/icons/tick-read.svg");
    case Icon::Failed:
        return QStringLiteral(":/tern/icons/tick-failed.svg");
    }
    return {};
}

QPixmap TickIcons::pixmap(Icon icon, const QColor &color, QSize logicalSize, qreal dpr)
{
    const QString key = QStringLiteral("%1/%2/%3x%4/%5")
                            .arg(int(icon))
                            .arg(color.rgba(), 8, 16)
                            .arg(logicalSize.width())
                            .arg(logicalSize.height())
                            .arg(dpr);
    if (const QPixmap *cached = m_cache.object(key))
        return *cached;

    const QSize device = (QSizeF(logicalSize) * dpr).toSize();
    QImage image(device, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        QSvgRenderer renderer(resourcePath(icon));
        renderer.render(&painter, QRectF(QPointF(0, 0), QSizeF(device)));
        // Keep the icon's alpha, replace its colour.
        painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
        painter.fillRect(image.rect(), color);
    }
    auto *result = new QPixmap(QPixmap::fromImage(std::move(image)));
    result->setDevicePixelRatio(dpr);
    const QPixmap copy = *result;
    m_cache.insert(key, result);
    return copy;
}

} // namespace tern::app::ui
