#include "app/ui/MessageLayoutCache.h"

#include "app/ui/Emoji.h"

#include <QRegularExpression>
#include <QTextOption>

namespace tern::app::ui {

namespace {
// Entries hold only implicitly shared strings and a few numbers (~100 bytes); the bound keeps a
// pathological session from growing without limit while 100,000 rows still fit.
constexpr qsizetype kMaxSizes = 300'000;
} // namespace

MessageLayoutCache::MessageLayoutCache(int maxLayouts) : m_layouts(maxLayouts) {}

void MessageLayoutCache::checkFont(const QFont &font)
{
    if (font == m_font)
        return;
    m_font = font;
    clear();
}

void MessageLayoutCache::clear()
{
    m_layouts.clear();
    m_sizes.clear();
}

QList<MessageLayoutCache::Link> MessageLayoutCache::findLinks(const QString &text)
{
    static const QRegularExpression urlPattern(QStringLiteral(R"(\bhttps?://[^\s<>"]+)"),
                                               QRegularExpression::CaseInsensitiveOption);
    QList<Link> links;
    if (!text.contains(QLatin1String("://")))
        return links;
    auto it = urlPattern.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        QString url = match.captured();
        // "see https://x.org/a." or "(https://x.org)" end with punctuation that is not the link.
        while (!url.isEmpty() && QStringLiteral(".,;:!?)]}'").contains(url.back())) {
            if (url.back() == QLatin1Char(')') &&
                url.count(QLatin1Char('(')) >= url.count(QLatin1Char(')')))
                break;
            url.chop(1);
        }
        if (url.size() > 8)
            links.append({int(match.capturedStart()), int(url.size()), url});
    }
    return links;
}

void MessageLayoutCache::build(Entry &entry, const QString &text, int width, const QFont &font)
{
    entry.text = text;
    entry.width = width;
    entry.links = findLinks(text);
    QString shown = text;
    shown.replace(QLatin1Char('\n'), QChar::LineSeparator);
    entry.layout.setText(shown);
    entry.layout.setFont(font);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    entry.layout.setTextOption(option);
    QList<QTextLayout::FormatRange> formats;
    for (const Link &link : std::as_const(entry.links)) {
        QTextLayout::FormatRange range;
        range.start = link.start;
        range.length = link.length;
        range.format.setFontUnderline(true);
        formats.append(range);
    }
    // Every emoji from the one colour font, even those the UI font has in black and white.
    formats.append(Emoji::formats(shown, font));
    entry.layout.setFormats(formats);

    qreal y = 0;
    qreal widest = 0;
    qreal last = 0;
    entry.layout.beginLayout();
    for (QTextLine line = entry.layout.createLine(); line.isValid();
         line = entry.layout.createLine()) {
        line.setLineWidth(width);
        line.setPosition(QPointF(0, y));
        y += line.height();
        last = line.naturalTextWidth();
        widest = qMax(widest, last);
    }
    entry.layout.endLayout();
    entry.size = QSizeF(qMin<qreal>(widest, width), y);
    entry.lastLineWidth = qMin<qreal>(last, width);
}

void MessageLayoutCache::remember(const QString &id, const Entry &entry)
{
    if (m_sizes.size() >= kMaxSizes)
        m_sizes.clear();
    Size &size = m_sizes[id];
    size.text = entry.text;
    size.width = entry.width;
    size.metrics = {entry.size, entry.lastLineWidth};
    const bool oneLine = entry.layout.lineCount() == 1 && !entry.text.contains(QLatin1Char('\n'));
    size.singleLineWidth = oneLine ? entry.size.width() : -1;
    size.singleLineHeight = oneLine ? entry.size.height() : 0;
}

MessageLayoutCache::Metrics MessageLayoutCache::metrics(const QString &id, const QString &text,
                                                        int width, const QFont &font)
{
    checkFont(font);
    const auto found = m_sizes.constFind(id);
    if (found != m_sizes.cend() && found->text == text) {
        if (found->width == width)
            return found->metrics;
        // A one-line text stays one line at any width it fits in: no shaping needed.
        if (found->singleLineWidth >= 0 && found->singleLineWidth <= width) {
            const QSizeF size(found->singleLineWidth, found->singleLineHeight);
            return {size, found->singleLineWidth};
        }
    }
    const Entry &entry = layout(id, text, width, font);
    return {entry.size, entry.lastLineWidth};
}

const MessageLayoutCache::Entry &MessageLayoutCache::layout(const QString &id, const QString &text,
                                                            int width, const QFont &font)
{
    checkFont(font);
    const Key key{id, width};
    if (Entry *entry = m_layouts.object(key); entry && entry->text == text)
        return *entry;
    auto *entry = new Entry;
    build(*entry, text, width, font);
    remember(id, *entry);
    // QCache may delete an entry on insert only if it is bigger than the whole cache; ours are
    // cost 1, so the pointer stays valid until the next insert.
    m_layouts.insert(key, entry);
    return *m_layouts.object(key);
}

} // namespace tern::app::ui
