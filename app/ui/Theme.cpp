#include "app/ui/Theme.h"

#include <cmath>

namespace tern::app::ui {

namespace {
constexpr qreal kTextRatio = Theme::kTextContrast;

qreal linear(qreal channel)
{
    return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}
} // namespace

bool Theme::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightnessF() <
           palette.color(QPalette::WindowText).lightnessF();
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
    // White initials need 4.5:1, so light hues (yellow, green, cyan) are darkened further.
    return withContrast(QColor::fromHsl(hue, 150, isDark(palette) ? 110 : 120), Qt::white,
                        kTextRatio);
}

QColor Theme::senderNameColor(int hue, const QPalette &palette)
{
    return withContrast(QColor::fromHsl(hue, 170, isDark(palette) ? 170 : 85), otherBubble(palette),
                        kTextRatio);
}

QColor Theme::findMatch(const QPalette &palette)
{
    return mix(accent(palette), palette.color(QPalette::Base), 0.45);
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

QColor Theme::selectedText(const QPalette &palette)
{
    return withContrast(onAccent(palette), accent(palette), kTextRatio);
}

QColor Theme::avatarRing(const QPalette &palette)
{
    return selectedText(palette);
}

QPalette Theme::withAccent(const QPalette &palette)
{
    QPalette result = palette;
    const QColor teal = accent(palette);
    const QColor onTeal = selectedText(palette);
    for (const auto group : {QPalette::Active, QPalette::Inactive}) {
        result.setColor(group, QPalette::Highlight, teal);
        result.setColor(group, QPalette::HighlightedText, onTeal);
    }
    result.setColor(QPalette::Disabled, QPalette::Highlight,
                    mix(teal, palette.color(QPalette::Disabled, QPalette::Base), 0.4));
    result.setColor(QPalette::Disabled, QPalette::HighlightedText,
                    palette.color(QPalette::Disabled, QPalette::Text));
    // Links in text on the base colour: the accent, lifted until it reads as text.
    const QColor link = withContrast(teal, palette.color(QPalette::Base), kTextRatio);
    for (const auto group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        result.setColor(group, QPalette::Link, link);
        result.setColor(group, QPalette::LinkVisited, link);
    }
    return result;
}

qreal Theme::luminance(const QColor &color)
{
    const QColor rgb = color.toRgb();
    return 0.2126 * linear(rgb.redF()) + 0.7152 * linear(rgb.greenF()) +
           0.0722 * linear(rgb.blueF());
}

qreal Theme::contrast(const QColor &a, const QColor &b)
{
    const qreal la = luminance(a);
    const qreal lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

QColor Theme::withContrast(const QColor &color, const QColor &background, qreal ratio)
{
    if (contrast(color, background) >= ratio)
        return color;
    const QColor target = contrast(Qt::black, background) >= contrast(Qt::white, background)
                              ? QColor(Qt::black)
                              : QColor(Qt::white);
    // Twenty steps toward black or white: the first that reads well enough wins.
    for (int step = 1; step <= 20; ++step) {
        const QColor candidate = mix(target, color, step / 20.0);
        if (contrast(candidate, background) >= ratio)
            return candidate.toRgb();
    }
    return target;
}

} // namespace tern::app::ui
