#pragma once

//! Emoji in one colour font: finds emoji runs in text, recognises emoji-only messages (shown
//! larger) and puts "Noto Color Emoji" into fonts' fallback lists when it is installed.
//
// Without this, symbols the UI font also has (☀ ❤ ✔ in DejaVu Sans) come out monochrome next
// to colour ones from fontconfig's fallback. Message bubbles format every emoji run in the
// colour font; other text gets it as the app font's second family. Without the font nothing
// changes (the system's fallback draws what it can).

#include <QFont>
#include <QList>
#include <QString>
#include <QTextLayout>

class QPainter;

namespace tern::app::ui {

class Emoji
{
public:
    struct Run
    {
        int start = 0;
        int length = 0;
    };

    //! "Noto Color Emoji".
    static QString family();
    //! True when the colour emoji font is installed (looked up once).
    static bool fontAvailable();
    //! The emoji in `text` (with their joiners, skin tones, variation selectors, keycaps and
    //! flag pairs), in order.
    static QList<Run> runs(const QString &text);
    //! The number of emoji when `text` is nothing but 1 to `max` emoji (spaces between are
    //! fine); 0 otherwise. Cheap for ordinary text: it stops at the first letter.
    static int onlyEmojiCount(const QString &text, int max = 3);
    //! `font` with the UI family first and the colour emoji font after it (when installed).
    static QFont withEmojiFallback(const QFont &font);
    //! A font that draws emoji from the colour font and anything else from `font`'s family.
    static QFont emojiFirst(const QFont &font);
    //! Formats that draw the emoji of `text` from the colour font (none without the font).
    static QList<QTextLayout::FormatRange> formats(const QString &text, const QFont &font);
    //! Draws one line of `text` left-aligned and vertically centred in `rect`, emoji in colour.
    static void drawLine(QPainter *painter, const QRectF &rect, const QString &text,
                         const QFont &font);
    //! Gives the application font the emoji fallback (the composer, previews and labels).
    static void installAppFont();
};

} // namespace tern::app::ui
