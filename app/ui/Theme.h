#pragma once

//! The app's few colours and sizes, derived from the system palette so light and dark follow it.
//
// One accent (a calm teal) is used sparingly: own bubbles, unread badges, read ticks, focus.
// Everything else comes from the QPalette, so a dark system theme gives a dark app.

#include <QColor>
#include <QPalette>

namespace tern::app::ui {

class Theme
{
public:
    //! Text contrast asked for: WCAG AA's 4.5:1 and a little margin for 8-bit rounding.
    static constexpr qreal kTextContrast = 4.6;

    //! True when the window background is darker than its text.
    static bool isDark(const QPalette &palette);
    //! The accent colour (slightly lighter on dark palettes for contrast).
    static QColor accent(const QPalette &palette);
    //! Text drawn on the accent colour (badges).
    static QColor onAccent(const QPalette &palette);
    //! Background of the user's own bubbles: the accent blended into the base colour.
    static QColor ownBubble(const QPalette &palette);
    //! Background of other people's bubbles: a neutral surface one step off the base.
    static QColor otherBubble(const QPalette &palette);
    //! Secondary text (times, previews, metadata) with enough contrast on `background`.
    static QColor secondaryText(const QPalette &palette);
    //! Avatar circle colour for a hue from models::Avatar::hue (0–359).
    static QColor avatarColor(int hue, const QPalette &palette);
    //! Colour of a sender name in groups (same hue as the avatar, readable on the bubble).
    static QColor senderNameColor(int hue, const QPalette &palette);
    //! Background of find-in-chat matches other than the current one (that one: the accent).
    static QColor findMatch(const QPalette &palette);
    //! Presence dot.
    static QColor onlineColor();
    //! Failed-send marker.
    static QColor errorColor(const QPalette &palette);
    //! Blends `a` over `b` with `amount` of `a` (0–1).
    static QColor mix(const QColor &a, const QColor &b, qreal amount);

    //! Text on a selected row (the accent): name, preview, time.
    static QColor selectedText(const QPalette &palette);
    //! A ring around avatars on a selected row: avatars are as dark as the accent, so without
    //! it they would melt into the row.
    static QColor avatarRing(const QPalette &palette);
    //! `palette` with the accent as selection, link, focus and check colour (Fusion draws all
    //! of those from Highlight and Link).
    static QPalette withAccent(const QPalette &palette);

    //! WCAG 2.x relative luminance (0 black – 1 white).
    static qreal luminance(const QColor &color);
    //! WCAG 2.x contrast ratio (1–21); AA asks 4.5 for text, 3 for large text and shapes.
    static qreal contrast(const QColor &a, const QColor &b);
    //! `color` moved toward black or white (whichever contrasts more with `background`) just far
    //! enough to reach `ratio`; unchanged when it already does.
    static QColor withContrast(const QColor &color, const QColor &background, qreal ratio);
};

} // namespace tern::app::ui
