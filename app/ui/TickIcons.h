#pragma once

//! Message status icons (clock, ✓, ✓✓, failed) rendered from SVG, tinted and cached per scale.
//
// The SVGs are drawn in black and recoloured with CompositionMode_SourceIn, so one file serves
// every palette. Pixmaps are rendered at the device pixel ratio they are painted at (crisp on
// every screen) and cached per (icon, colour, logical size, DPR); the cache is small and bounded.

#include <QCache>
#include <QColor>
#include <QPixmap>
#include <QSize>

namespace tern::app::ui {

class TickIcons
{
public:
    enum class Icon : quint8 { Clock, Sent, Delivered, Read, Failed };

    //! The icon tinted in `color`, `logicalSize` device-independent pixels at `dpr`.
    QPixmap pixmap(Icon icon, const QColor &color, QSize logicalSize, qreal dpr);
    //! The resource path of an icon's SVG (":/tern/icons/tick-….svg").
    static QString resourcePath(Icon icon);

private:
    QCache<QString, QPixmap> m_cache{64};
};

} // namespace tern::app::ui
