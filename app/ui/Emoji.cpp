#include "app/ui/Emoji.h"

#include <QApplication>
#include <QFontDatabase>
#include <QFontInfo>
#include <QPainter>
#include <QTextBoundaryFinder>

namespace tern::app::ui {

namespace {

//! Code points that are emoji by themselves (pictographs, most of Misc Symbols and Dingbats).
bool isPictograph(char32_t c)
{
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
           (c >= 0x2300 && c <= 0x23FF) || c == 0x2B50 || c == 0x2B55 ||
           (c >= 0x2B05 && c <= 0x2B07) || c == 0x2B1B || c == 0x2B1C;
}

//! Symbols that become emoji only with the emoji variation selector (↔️ ©️ ▶️ ‼️
//! 〰️).
bool isTextSymbol(char32_t c)
{
    return (c >= 0x2190 && c <= 0x21FF) || (c >= 0x25A0 && c <= 0x25FF) ||
           (c >= 0x2100 && c <= 0x214F) || c == 0x00A9 || c == 0x00AE || c == 0x203C ||
           c == 0x2049 || c == 0x24C2 || c == 0x2934 || c == 0x2935 || c == 0x3030 || c == 0x303D ||
           c == 0x3297 || c == 0x3299;
}

bool isKeycapBase(char32_t c)
{
    return (c >= '0' && c <= '9') || c == '#' || c == '*';
}

//! Parts that continue an emoji: ZWJ, variation selectors, keycap, skin tones, tags.
bool isModifier(char32_t c)
{
    return c == 0x200D || c == 0xFE0F || c == 0xFE0E || c == 0x20E3 ||
           (c >= 0x1F3FB && c <= 0x1F3FF) || (c >= 0xE0020 && c <= 0xE007F);
}

char32_t codePointAt(const QString &text, int i, int *size)
{
    const QChar c = text.at(i);
    if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
        *size = 2;
        return QChar::surrogateToUcs4(c, text.at(i + 1));
    }
    *size = 1;
    return c.unicode();
}

//! Whether an emoji starts at `i`: a pictograph, or a symbol/keycap base made emoji by what
//! follows it (U+FE0F, U+20E3).
bool startsEmoji(const QString &text, int i, char32_t c, int size)
{
    if (isPictograph(c))
        return true;
    if (!isTextSymbol(c) && !isKeycapBase(c))
        return false;
    const int next = i + size;
    if (next >= text.size())
        return false;
    const char16_t after = text.at(next).unicode();
    if (after == 0x20E3)
        return isKeycapBase(c);
    return after == 0xFE0F &&
           (!isKeycapBase(c) || (next + 1 < text.size() && text.at(next + 1).unicode() == 0x20E3));
}

} // namespace

QString Emoji::family()
{
    return QStringLiteral("Noto Color Emoji");
}

bool Emoji::fontAvailable()
{
    static const bool available = QFontDatabase::families().contains(family());
    return available;
}

QList<Emoji::Run> Emoji::runs(const QString &text)
{
    QList<Run> found;
    int i = 0;
    while (i < text.size()) {
        int size = 1;
        const char32_t c = codePointAt(text, i, &size);
        if (!startsEmoji(text, i, c, size)) {
            i += size;
            continue;
        }
        const int start = i;
        i += size;
        // The run goes on through modifiers and, after a ZWJ, the next pictograph.
        while (i < text.size()) {
            int nextSize = 1;
            const char32_t next = codePointAt(text, i, &nextSize);
            const bool joined = text.at(i - 1).unicode() == 0x200D;
            if (!isModifier(next) && !isPictograph(next) && !(joined && isTextSymbol(next)))
                break;
            i += nextSize;
        }
        if (!found.isEmpty() && found.last().start + found.last().length == start)
            found.last().length += i - start;
        else
            found.append({start, i - start});
    }
    return found;
}

int Emoji::onlyEmojiCount(const QString &text, int max)
{
    if (text.isEmpty() || text.size() > max * 16)
        return 0;
    // Ordinary text ends here, before any run is collected.
    int first = 0;
    while (first < text.size() && text.at(first).isSpace())
        ++first;
    if (first == text.size() ||
        (text.at(first).unicode() < 0x80 && !isKeycapBase(text.at(first).unicode())))
        return 0;
    const QList<Run> found = runs(text);
    int covered = 0;
    int count = 0;
    for (const Run &run : found) {
        for (int j = covered; j < run.start; ++j) {
            if (!text.at(j).isSpace())
                return 0;
        }
        QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme,
                                      text.mid(run.start, run.length));
        while (graphemes.toNextBoundary() > 0)
            ++count;
        covered = run.start + run.length;
    }
    for (int j = covered; j < text.size(); ++j) {
        if (!text.at(j).isSpace())
            return 0;
    }
    return count >= 1 && count <= max ? count : 0;
}

QFont Emoji::withEmojiFallback(const QFont &font)
{
    if (!fontAvailable())
        return font;
    if (font.families().contains(family()))
        return font;
    // The family actually used, not the asked-for alias: a list whose first entry the font
    // database does not know ("Sans Serif") would make the emoji font the primary one.
    QFont result = font;
    result.setFamilies({QFontInfo(font).family(), family()});
    return result;
}

QFont Emoji::emojiFirst(const QFont &font)
{
    QFont result = font;
    result.setFamilies({family(), QFontInfo(font).family()});
    return result;
}

QList<QTextLayout::FormatRange> Emoji::formats(const QString &text, const QFont &font)
{
    QList<QTextLayout::FormatRange> result;
    const QList<Run> found = runs(text);
    if (found.isEmpty() || !fontAvailable())
        return result;
    const QStringList families = emojiFirst(font).families();
    for (const Run &run : found) {
        QTextLayout::FormatRange range;
        range.start = run.start;
        range.length = run.length;
        range.format.setFontFamilies(families);
        result.append(range);
    }
    return result;
}

void Emoji::drawLine(QPainter *painter, const QRectF &rect, const QString &text, const QFont &font)
{
    QTextLayout layout(text, font);
    layout.setFormats(formats(text, font));
    QTextOption option;
    option.setWrapMode(QTextOption::NoWrap);
    layout.setTextOption(option);
    layout.beginLayout();
    QTextLine line = layout.createLine();
    if (line.isValid())
        line.setLineWidth(rect.width());
    layout.endLayout();
    if (!line.isValid())
        return;
    painter->save();
    painter->setClipRect(rect, Qt::IntersectClip);
    layout.draw(painter, QPointF(rect.left(), rect.center().y() - line.height() / 2));
    painter->restore();
}

void Emoji::installAppFont()
{
    const QFont font = QApplication::font();
    const QFont wanted = withEmojiFallback(font);
    if (wanted != font)
        QApplication::setFont(wanted);
}

} // namespace tern::app::ui
