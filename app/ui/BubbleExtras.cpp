#include "app/ui/BubbleExtras.h"

#include "app/models/Avatar.h"
#include "app/ui/Theme.h"

#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QVariantMap>

namespace tern::app::ui {

namespace {
// Bounds on what the network hands us: a name or an excerpt longer than this is cut before it
// is even measured (it is elided to one line anyway), a tooltip names this many people.
constexpr int kMaxQuoteChars = 300;
constexpr int kMaxEmojiChars = 16;
constexpr int kMaxTipNames = 15;
constexpr int kMaxCount = 99999;

QString bounded(const QString &text, int max)
{
    QString out = text.left(max);
    // One line: newlines and other separators would draw as boxes or break the row.
    for (QChar &c : out) {
        if (c.category() == QChar::Separator_Line || c.category() == QChar::Separator_Paragraph ||
            c == QLatin1Char('\n') || c == QLatin1Char('\r') || c == QLatin1Char('\t'))
            c = QLatin1Char(' ');
    }
    return out;
}

QString chipLabel(const BubbleExtras::Chip &chip)
{
    return chip.emoji + QChar(0x2009) /* thin space */ + QLocale().toString(chip.count);
}
} // namespace

const QStringList &BubbleExtras::quickReactions()
{
    static const QStringList quick = {QStringLiteral("👍"), QStringLiteral("❤️"),
                                      QStringLiteral("😂"), QStringLiteral("😮"),
                                      QStringLiteral("😢"), QStringLiteral("🙏")};
    return quick;
}

QString BubbleExtras::forwardedText()
{
    return tr("Forwarded");
}

QString BubbleExtras::tombstoneText()
{
    return tr("This message was deleted");
}

QString BubbleExtras::editedText()
{
    return tr("edited");
}

QList<BubbleExtras::Chip> BubbleExtras::chips(const QVariant &reactions)
{
    QList<Chip> out;
    const QVariantList list = reactions.toList();
    for (const QVariant &value : list) {
        if (out.size() >= kMaxChips)
            break;
        const QVariantMap map = value.toMap();
        Chip chip;
        chip.emoji = bounded(map.value(QStringLiteral("emoji")).toString(), kMaxEmojiChars);
        chip.count = qBound(0, map.value(QStringLiteral("count")).toInt(), kMaxCount);
        chip.mine = map.value(QStringLiteral("mine")).toBool();
        const QStringList names = map.value(QStringLiteral("names")).toStringList();
        for (const QString &name : names.mid(0, kMaxTipNames + 1))
            chip.names.append(bounded(name, 64));
        if (chip.emoji.trimmed().isEmpty() || chip.count <= 0)
            continue;
        out.append(chip);
    }
    return out;
}

BubbleExtras::Quote BubbleExtras::quote(qint64 replyTo, const QVariant &preview)
{
    Quote q;
    q.seq = replyTo;
    const QVariantMap map = preview.toMap();
    q.sender = map.value(QStringLiteral("sender")).toString().left(64);
    q.senderName = bounded(map.value(QStringLiteral("senderName")).toString(), 64);
    q.text = bounded(map.value(QStringLiteral("text")).toString(), kMaxQuoteChars);
    q.deleted = map.value(QStringLiteral("deleted")).toBool();
    return q;
}

QString BubbleExtras::quoteTitle(const Quote &quote)
{
    return quote.senderName.isEmpty() ? tr("Reply") : quote.senderName;
}

QString BubbleExtras::quoteLine(const Quote &quote)
{
    if (quote.deleted)
        return tr("Original message was deleted");
    if (quote.text.isEmpty() && quote.senderName.isEmpty())
        return tr("Original message not loaded");
    return quote.text;
}

QSizeF BubbleExtras::quoteSize(const Quote &quote, const QFont &meta, const QFont &metaBold,
                               qreal pad)
{
    const QFontMetricsF name(metaBold);
    const QFontMetricsF line(meta);
    const qreal w =
        qMax(name.horizontalAdvance(quoteTitle(quote)), line.horizontalAdvance(quoteLine(quote)));
    // A bar on the left, the two lines beside it, padding all round.
    return {std::ceil(w + pad * 2 + 3), std::ceil(name.height() + line.height() + pad)};
}

void BubbleExtras::paintQuote(QPainter *painter, const QRectF &rect, const Quote &quote, int hue,
                              const QFont &meta, const QFont &metaBold, qreal pad,
                              const QPalette &palette, bool own)
{
    painter->save();
    const QColor nameColor = Theme::senderNameColor(hue, palette);
    QColor fill = nameColor;
    fill.setAlphaF(own ? 0.16f : 0.10f);
    QPainterPath path;
    path.addRoundedRect(rect, 4, 4);
    painter->fillPath(path, fill);
    painter->setClipPath(path);
    painter->fillRect(QRectF(rect.left(), rect.top(), 3, rect.height()), nameColor);
    painter->setClipping(false);
    const QFontMetricsF name(metaBold);
    const QFontMetricsF line(meta);
    const qreal x = rect.left() + 3 + pad;
    const qreal w = rect.width() - 3 - pad * 1.5;
    const qreal top = rect.top() + pad / 2;
    painter->setFont(metaBold);
    painter->setPen(nameColor);
    painter->drawText(QRectF(x, top, w, name.height()),
                      Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
                      name.elidedText(quoteTitle(quote), Qt::ElideRight, w));
    QFont text = meta;
    text.setItalic(quote.deleted);
    painter->setFont(text);
    painter->setPen(quote.deleted ? Theme::secondaryText(palette) : palette.color(QPalette::Text));
    painter->drawText(QRectF(x, top + name.height(), w, line.height()),
                      Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
                      QFontMetricsF(text).elidedText(quoteLine(quote), Qt::ElideRight, w));
    painter->restore();
}

qreal BubbleExtras::layoutChips(QList<Chip> &chips, const QPointF &origin, qreal maxWidth,
                                bool alignRight, const QFont &font, qreal gap)
{
    if (chips.isEmpty())
        return 0;
    const QFontMetricsF fm(font);
    const qreal h = std::ceil(fm.height() * 1.45);
    const qreal padX = std::ceil(fm.height() * 0.45);
    // Rows first (left to right), then each row is moved right when the bubble is on the right.
    QList<QList<int>> rows(1);
    qreal x = 0;
    for (int i = 0; i < chips.size(); ++i) {
        const qreal w = std::ceil(fm.horizontalAdvance(chipLabel(chips[i])) + 2 * padX);
        if (x > 0 && x + w > maxWidth) {
            rows.append(QList<int>());
            x = 0;
        }
        chips[i].rect = QRectF(x, (rows.size() - 1) * (h + gap), w, h);
        rows.last().append(i);
        x += w + gap;
    }
    for (const QList<int> &row : std::as_const(rows)) {
        const qreal rowW = chips[row.last()].rect.right();
        const qreal dx = alignRight ? origin.x() - rowW : origin.x();
        for (int i : row)
            chips[i].rect.translate(dx, origin.y());
    }
    return rows.size() * h + (rows.size() - 1) * gap;
}

void BubbleExtras::paintChips(QPainter *painter, const QList<Chip> &chips, const QFont &font,
                              const QPalette &palette)
{
    painter->save();
    painter->setFont(font);
    const QColor accent = Theme::accent(palette);
    for (const Chip &chip : chips) {
        const qreal r = chip.rect.height() / 2;
        // Ours: the accent tint with an accent rim (as Telegram marks one's own reaction).
        QColor fill = chip.mine ? accent : Theme::otherBubble(palette);
        if (chip.mine)
            fill.setAlphaF(0.22f);
        painter->setPen(chip.mine ? QPen(accent, 1.2)
                                  : QPen(Theme::mix(Theme::otherBubble(palette),
                                                    palette.color(QPalette::Text), 0.18),
                                         1));
        painter->setBrush(fill);
        painter->drawRoundedRect(chip.rect.adjusted(0.5, 0.5, -0.5, -0.5), r, r);
        painter->setPen(chip.mine ? Theme::withContrast(accent, palette.color(QPalette::Base),
                                                        Theme::kTextContrast)
                                  : palette.color(QPalette::Text));
        painter->drawText(chip.rect, Qt::AlignCenter | Qt::TextSingleLine, chipLabel(chip));
    }
    painter->restore();
}

QString BubbleExtras::chipToolTip(const Chip &chip)
{
    QStringList names = chip.names.mid(0, kMaxTipNames);
    const int more = chip.count - int(names.size());
    if (more > 0 && !names.isEmpty())
        names.append(tr("%n more", nullptr, more));
    const QString who = names.isEmpty() ? tr("%n people", nullptr, chip.count)
                                        : QLocale().createSeparatedList(names);
    return chip.emoji + QLatin1Char(' ') + who; // "👍 Alice and Bob"
}

QString BubbleExtras::accessibleSummary(const QList<Chip> &chips)
{
    QStringList parts;
    for (const Chip &chip : chips)
        parts.append(chipLabel(chip));
    return parts.join(QStringLiteral(", "));
}

} // namespace tern::app::ui
