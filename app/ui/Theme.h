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
    //! Presence dot.
    static QColor onlineColor();
    //! Failed-send marker.
    static QColor errorColor(const QPalette &palette);
    //! Blends `a` over `b` with `amount` of `a` (0–1).
    static QColor mix(const QColor &a, const QColor &b, qreal amount);
};

} // namespace tern::app::ui
