#include "app/ui/Theme.h"

namespace tern::app::ui {

bool Theme::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightnessF() < palette.color(QPalette::WindowText).lightnessF();
}

QColor Theme::accent(const QPalette &palette)
{
    return isDark(palette) ? QColor(0x3d, 0xb8, 0xad) : QColor(0x00, 0x80, 0x78);
}

QColor Theme::onAccent(const QPalette &palette)
{
    return isDark(palette) ? QColor(0x0b, 0x1f, 0x1d) : QColor(Qt::white);
}

QColor Theme::ownBubble(const QPalette &palette)
{
    return mix(accent(palette), palette.color(QPalette::Base), isDark(palette) ? 0.35 : 0.16);
}

QColor Theme::otherBubble(const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    return isDark(palette) ? base.lighter(135) : mix(QColor(Qt::black), base, 0.05);
}

QColor Theme::secondaryText(const QPalette &palette)
{
    // Halfway between text and base keeps about 4.5:1 on both light and dark bases.
    return mix(palette.color(QPalette::Text), palette.color(QPalette::Base), 0.62);
}

QColor Theme::avatarColor(int hue, const QPalette &palette)
{
    return QColor::fromHsl(hue, 140, isDark(palette) ? 110 : 120);
}

QColor Theme::senderNameColor(int hue, const QPalette &palette)
{
    return QColor::fromHsl(hue, 170, isDark(palette) ? 170 : 85);
}

QColor Theme::onlineColor()
{
    return QColor(0x2e, 0xb8, 0x5c);
}

QColor Theme::errorColor(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28);
}

QColor Theme::mix(const QColor &a, const QColor &b, qreal amount)
{
    const qreal k = 1.0 - amount;
    return QColor::fromRgbF(float(a.redF() * amount + b.redF() * k),
                            float(a.greenF() * amount + b.greenF() * k),
                            float(a.blueF() * amount + b.blueF() * k));
}

} // namespace tern::app::ui
