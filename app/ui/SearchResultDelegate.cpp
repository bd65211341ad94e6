#include "app/ui/SearchResultDelegate.h"

#include "app/models/MessageSearchModel.h"
#include "app/ui/ConversationDelegate.h"
#include "app/ui/Theme.h"

#include <QPainter>

namespace tern::app::ui {

using models::MessageSearchModel;

SearchResultDelegate::SearchResultDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

QSize SearchResultDelegate::sizeHint(const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    const int line = option.fontMetrics.height();
    const bool header = index.data(MessageSearchModel::IsHeaderRole).toBool() ||
                        index.data(MessageSearchModel::IsMoreRole).toBool();
    return {option.rect.width(), header ? line * 3 / 2 : line * 2 + line * 3 / 4};
}

QString SearchResultDelegate::snippetLine(const QString &snippet, const QFontMetrics &metrics,
                                          int width, QList<QTextLayout::FormatRange> *ranges,
                                          const QTextCharFormat &highlight)
{
    QList<QPair<int, int>> marks;
    QString plain = MessageSearchModel::plainSnippet(snippet, &marks);
    plain.replace(QLatin1Char('\n'), QLatin1Char(' '));
    const QString line = metrics.elidedText(plain, Qt::ElideRight, width);
    // Eliding keeps the start: marks beyond the kept text are cut to it.
    const int kept = line.endsWith(QChar(0x2026)) ? int(line.size()) - 1 : int(line.size());
    for (const auto &[start, length] : std::as_const(marks)) {
        if (start >= kept)
            continue;
        QTextLayout::FormatRange range;
        range.start = start;
        range.length = std::min(length, kept - start);
        range.format = highlight;
        ranges->append(range);
    }
    return line;
}

void SearchResultDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    painter->save();
    const QPalette &palette = option.palette;
    const QFontMetrics metrics(option.font);
    const int margin = metrics.height() / 2;
    const QRect area = option.rect.adjusted(margin * 2, 0, -margin, 0);
    const bool selected = option.state & QStyle::State_Selected;
    if (selected)
        painter->fillRect(option.rect, palette.color(QPalette::Highlight));
    const QColor text =
        selected ? palette.color(QPalette::HighlightedText) : palette.color(QPalette::Text);
    const QColor secondary = selected ? text : Theme::secondaryText(palette);
    if (index.data(MessageSearchModel::IsHeaderRole).toBool()) {
        QFont bold = option.font;
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(secondary);
        const QRect line = area.adjusted(-margin, 0, 0, 0);
        painter->drawText(
            line, Qt::AlignLeft | Qt::AlignBottom,
            QFontMetrics(bold).elidedText(index.data().toString(), Qt::ElideRight, line.width()));
        painter->restore();
        return;
    }
    if (index.data(MessageSearchModel::IsMoreRole).toBool()) {
        painter->setFont(option.font);
        painter->setPen(selected ? text : Theme::accent(palette));
        painter->drawText(
            area, Qt::AlignLeft | Qt::AlignVCenter,
            metrics.elidedText(index.data().toString(), Qt::ElideRight, area.width()));
        painter->restore();
        return;
    }
    const int top = option.rect.top() + margin * 3 / 4;
    const QString time = ConversationDelegate::activityText(
        index.data(MessageSearchModel::TimestampRole).toLongLong(), QDateTime::currentDateTime());
    const int timeWidth = metrics.horizontalAdvance(time);
    QFont bold = option.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(text);
    const QRect first(area.left(), top, area.width(), metrics.height());
    painter->drawText(
        first.adjusted(0, 0, -timeWidth - margin, 0), Qt::AlignLeft | Qt::AlignVCenter,
        QFontMetrics(bold).elidedText(index.data(MessageSearchModel::SenderNameRole).toString(),
                                      Qt::ElideRight, first.width() - timeWidth - margin));
    painter->setFont(option.font);
    painter->setPen(secondary);
    painter->drawText(first, Qt::AlignRight | Qt::AlignVCenter, time);

    QTextCharFormat highlight;
    highlight.setFontWeight(QFont::Bold);
    if (!selected) {
        highlight.setBackground(Theme::findMatch(palette));
        highlight.setForeground(palette.color(QPalette::Text));
    }
    QList<QTextLayout::FormatRange> ranges;
    const QString line =
        snippetLine(index.data(MessageSearchModel::SnippetRole).toString(), metrics,
                    area.width() - metrics.averageCharWidth() * 2, &ranges, highlight);
    QTextLayout layout(line, option.font, painter->device());
    QTextOption textOption;
    textOption.setWrapMode(QTextOption::NoWrap);
    layout.setTextOption(textOption);
    layout.setFormats(ranges);
    layout.beginLayout();
    QTextLine textLine = layout.createLine();
    if (textLine.isValid())
        textLine.setLineWidth(area.width());
    layout.endLayout();
    painter->setPen(selected ? text : Theme::secondaryText(palette));
    layout.draw(painter, QPointF(area.left(), top + metrics.height()));
    painter->restore();
}

} // namespace tern::app::ui
