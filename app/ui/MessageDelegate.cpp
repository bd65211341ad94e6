#include "app/ui/MessageDelegate.h"

#include "app/models/Avatar.h"
#include "app/models/MessageListModel.h"
#include "app/models/MessageText.h"
#include "app/ui/Emoji.h"
#include "app/ui/Theme.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QDesktopServices>
#include <QHelpEvent>
#include <QIcon>
#include <QJsonObject>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QRegularExpression>
#include <QToolTip>
#include <QUrl>

namespace tern::app::ui {

using models::MessageListModel;
using Role = MessageListModel::Role;
using Status = MessageListModel::Status;

namespace {

constexpr qreal kImageMaxSide = 260;  // a picture's longer side in a bubble
constexpr qreal kBigEmojiScale = 2.2; // messages of 1–3 emoji only, as Telegram and WhatsApp do

//! The sender's avatar hue: the model's own role once it has one, else computed from the id.
template <typename Model> int senderHue(const QModelIndex &index)
{
    if constexpr (requires { Model::SenderHueRole; })
        return index.data(Model::SenderHueRole).toInt();
    else
        return models::Avatar::hue(index.data(Model::SenderRole).toString());
}

} // namespace

//! Every length of the layout, derived from the view's font (so from DPI and user settings).
struct MessageDelegate::Sizes
{
    QFont body;
    QFont emoji; // emoji-only messages
    QFont tomb;  // deleted messages
    QFont meta;
    QFont metaItalic;
    QFont metaBold;
    qreal unit = 0;    // body line height
    qreal metaH = 0;   // meta line height
    qreal pad = 0;     // horizontal padding inside bubbles
    qreal vpad = 0;    // vertical padding inside bubbles
    qreal margin = 0;  // bubble distance from the viewport edge
    qreal radius = 0;  // bubble corner
    qreal tight = 0;   // corner on the sender's side inside a run
    qreal gapRun = 0;  // space above the first bubble of a run
    qreal gapIn = 0;   // space between bubbles of one run
    qreal bandH = 0;   // day separator / unread divider height
    qreal metaGap = 0; // space between text and time when they share a line
    qreal timeW = 0;   // widest time text
    qreal tickW = 0;
    qreal nameH = 0;
};

namespace {

MessageDelegate::Sizes sizesFor(const QFont &font)
{
    MessageDelegate::Sizes s;
    s.body = font;
    s.meta = font;
    if (font.pointSizeF() > 0)
        s.meta.setPointSizeF(font.pointSizeF() * 0.85);
    else
        s.meta.setPixelSize(qMax(6, qRound(font.pixelSize() * 0.85)));
    s.emoji = font;
    if (font.pointSizeF() > 0)
        s.emoji.setPointSizeF(font.pointSizeF() * kBigEmojiScale);
    else
        s.emoji.setPixelSize(qRound(font.pixelSize() * kBigEmojiScale));
    s.metaBold = s.meta;
    s.metaBold.setBold(true);
    s.metaItalic = s.meta;
    s.metaItalic.setItalic(true);
    s.tomb = font;
    s.tomb.setItalic(true);
    const QFontMetricsF body(s.body);
    const QFontMetricsF meta(s.meta);
    s.unit = body.height();
    s.metaH = meta.height();
    s.pad = qRound(s.unit * 0.6);
    s.vpad = qRound(s.unit * 0.3);
    s.margin = qRound(s.unit * 0.8);
    s.radius = qRound(s.unit * 0.7);
    s.tight = qRound(s.unit * 0.22);
    s.gapRun = qRound(s.unit * 0.45);
    s.gapIn = qMax<qreal>(1, qRound(s.unit * 0.12));
    s.bandH = qRound(s.metaH + s.unit * 0.9);
    s.metaGap = qRound(s.unit * 0.5);
    for (const QTime &time : {QTime(23, 59), QTime(11, 59), QTime(0, 0), QTime(20, 48)})
        s.timeW = qMax(s.timeW, meta.horizontalAdvance(MessageDelegate::shortTime(time)));
    s.tickW = qRound(s.metaH);
    s.nameH = QFontMetricsF(s.metaBold).height() + qRound(s.unit * 0.15);
    return s;
}

QPainterPath bubblePath(const QRectF &r, qreal tl, qreal tr, qreal br, qreal bl)
{
    QPainterPath path;
    path.moveTo(r.left() + tl, r.top());
    path.lineTo(r.right() - tr, r.top());
    path.arcTo(QRectF(r.right() - 2 * tr, r.top(), 2 * tr, 2 * tr), 90, -90);
    path.lineTo(r.right(), r.bottom() - br);
    path.arcTo(QRectF(r.right() - 2 * br, r.bottom() - 2 * br, 2 * br, 2 * br), 0, -90);
    path.lineTo(r.left() + bl, r.bottom());
    path.arcTo(QRectF(r.left(), r.bottom() - 2 * bl, 2 * bl, 2 * bl), 270, -90);
    path.lineTo(r.left(), r.top() + tl);
    path.arcTo(QRectF(r.left(), r.top(), 2 * tl, 2 * tl), 180, -90);
    path.closeSubpath();
    return path;
}

QColor linkColor(const QPalette &palette)
{
    const QColor link = palette.color(QPalette::Link);
    // Many dark palettes keep the light theme's deep blue link; lift it toward the text colour.
    return Theme::isDark(palette) && link.lightnessF() < 0.6
               ? Theme::mix(link, palette.color(QPalette::Text), 0.45)
               : link;
}

QString statusText(Status status)
{
    switch (status) {
    case Status::Pending:
        return MessageDelegate::tr("Sending");
    case Status::Sent:
        return MessageDelegate::tr("Sent");
    case Status::Delivered:
        return MessageDelegate::tr("Delivered");
    case Status::Read:
        return MessageDelegate::tr("Read");
    case Status::Failed:
        return MessageDelegate::tr("Not sent");
    }
    return {};
}

} // namespace

struct MessageDelegate::RowData
{
    QString id;
    protocol::MessageKind kind = protocol::MessageKind::Text;
    QString text;
    qint64 seq = 0;
    bool own = false;
    bool system = false;
    bool dayStart = false;
    bool grouped = false;
    bool bigEmoji = false;   // 1–3 emoji and nothing else: drawn larger
    QSizeF image;            // shown size of an image message's picture; empty otherwise
    bool file = false;       // a file message: icon beside "name / size"
    double progress = -1;    // upload or download progress of a media message
    bool downloaded = false; // the file is on this device
    bool deleted = false;    // a tombstone: no body, media, quote or reactions
    bool edited = false;
    bool forwarded = false;
    bool hasQuote = false;
    BubbleExtras::Quote quote;
    QList<BubbleExtras::Chip> chips;
};

struct MessageDelegate::Geometry
{
    QRectF divider;
    QRectF day;
    QRectF name;
    QRectF bubble; // the system line's pill for system rows
    QPointF textOrigin;
    QRectF meta;
    QRectF media;                    // the picture of an image message, the icon of a file message
    QRectF forwarded;                // the "Forwarded" label
    QRectF quote;                    // the reply quote
    QList<BubbleExtras::Chip> chips; // laid out under the bubble
    qreal height = 0;
    qreal right = 0; // right edge of the drawn content (size hint width)
    const MessageLayoutCache::Entry *entry = nullptr;
};

MessageDelegate::MessageDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

MessageDelegate::~MessageDelegate() = default;

const MessageDelegate::Sizes &MessageDelegate::sizes(const QFont &font) const
{
    // Recomputed only when the font changes: a size hint must not measure sample text.
    if (!m_sizes || font != m_sizes->body)
        m_sizes = std::make_unique<Sizes>(sizesFor(font));
    return *m_sizes;
}

void MessageDelegate::clearCache()
{
    m_bodyCache.clear();
    m_emojiCache.clear();
    m_tombCache.clear();
    m_systemCache.clear();
}

MessageDelegate::RowData MessageDelegate::rowData(const QModelIndex &index) const
{
    RowData row;
    row.id = index.data(Role::MessageIdRole).toString();
    row.kind = models::MessageListModel::kindAt(index);
    row.text = index.data(Role::TextRole).toString();
    row.seq = index.data(Role::SeqRole).toLongLong();
    row.own = index.data(Role::IsOwnRole).toBool();
    row.system = row.kind == protocol::MessageKind::System;
    row.dayStart = index.data(Role::DayStartRole).toBool();
    row.grouped = index.data(Role::GroupedWithPreviousRole).toBool();
    row.bigEmoji = row.kind == protocol::MessageKind::Text && Emoji::onlyEmojiCount(row.text) > 0;
    if (row.id.isEmpty()) // synthetic rows without ids still need a distinct cache key
        row.id = QStringLiteral("#%1").arg(row.seq);
    if (row.system)
        return row;
    if (index.data(Role::DeletedRole).toBool()) {
        // A tombstone: nothing of what the message was, only that it was deleted.
        row.deleted = true;
        row.bigEmoji = false;
        row.text = BubbleExtras::tombstoneText();
        return row;
    }
    row.edited = index.data(Role::EditedRole).toBool();
    row.forwarded = index.data(Role::ForwardedRole).toBool();
    if (const qint64 replyTo = index.data(Role::ReplyToRole).toLongLong(); replyTo > 0) {
        row.hasQuote = true;
        row.quote = BubbleExtras::quote(replyTo, index.data(Role::ReplyPreviewRole));
    }
    row.chips = BubbleExtras::chips(index.data(Role::ReactionsRole));
    if (row.kind == protocol::MessageKind::Image || row.kind == protocol::MessageKind::File) {
        const protocol::Media media =
            models::MessageListModel::mediaAt(index).value_or(protocol::Media{});
        row.progress = index.data(Role::ProgressRole).toDouble();
        row.downloaded = index.data(Role::DownloadedRole).toBool();
        QSizeF full(media.width.value_or(0), media.height.value_or(0));
        if (row.kind == protocol::MessageKind::Image && !full.isEmpty()) {
            row.image = full.scaled(QSizeF(kImageMaxSide, kImageMaxSide), Qt::KeepAspectRatio);
            if (row.image.width() < 48 || row.image.height() < 48) // tiny or extreme images
                row.image = row.image.expandedTo(QSizeF(48, 48));
        } else {
            row.file = true;
            row.text =
                media.name + QChar::LineSeparator + models::MessageText::dataSize(media.size);
        }
    }
    return row;
}

int MessageDelegate::viewportWidth(const QStyleOptionViewItem &option) const
{
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        return view->viewport()->width();
    if (option.rect.width() > 0)
        return option.rect.width();
    return QFontMetrics(option.font).averageCharWidth() * 60;
}

MessageDelegate::Geometry MessageDelegate::geometry(const QStyleOptionViewItem &option,
                                                    const RowData &row, bool fullLayout) const
{
    const Sizes &s = sizes(option.font);
    const qreal width = viewportWidth(option);
    const QPointF origin = option.rect.topLeft();
    Geometry g;
    qreal y = 0;
    // The day comes first: "New messages" sits right above the message it points at.
    if (row.dayStart) {
        g.day = QRectF(0, y, width, s.bandH);
        y += s.bandH;
    }
    if (m_dividerSeq > 0 && row.seq == m_dividerSeq) {
        g.divider = QRectF(0, y, width, s.bandH);
        y += s.bandH;
    }
    y += row.grouped ? s.gapIn : s.gapRun;

    if (row.system) {
        const int maxText = qMax(int(s.unit * 4), int(width * 0.8 - 2 * s.pad));
        QSizeF text;
        if (fullLayout) {
            g.entry = &m_systemCache.layout(row.id, row.text, maxText, s.meta);
            text = g.entry->size;
        } else {
            text = m_systemCache.metrics(row.id, row.text, maxText, s.meta).size;
        }
        const qreal w = text.width() + 2 * s.pad;
        const qreal h = text.height() + 2 * s.vpad;
        g.bubble = QRectF((width - w) / 2, y, w, h);
        g.textOrigin = g.bubble.topLeft() + QPointF(s.pad, s.vpad);
        y += h;
        g.right = g.bubble.right();
    } else {
        if (m_showSenderNames && !row.own && !row.grouped) {
            g.name = QRectF(s.margin + s.pad, y, width * 0.65, s.nameH);
            y += s.nameH;
        }
        const int maxText = qMax(int(s.unit * 4), int(width * 0.65 - 2 * s.pad));
        const qreal editedW = row.edited ? QFontMetricsF(s.meta).horizontalAdvance(
                                               BubbleExtras::editedText() + QLatin1Char(' '))
                                         : 0;
        const qreal metaW = s.timeW + editedW + (row.own ? s.metaGap / 2 + s.tickW : 0);
        // Above the body, inside the bubble: "Forwarded", then the quote of a reply.
        qreal headW = 0;
        qreal headH = 0;
        qreal quoteH = 0;
        if (row.forwarded) {
            headW = QFontMetricsF(s.metaItalic).horizontalAdvance(BubbleExtras::forwardedText());
            headH += s.metaH;
        }
        if (row.hasQuote) {
            const QSizeF quote = BubbleExtras::quoteSize(row.quote, s.meta, s.metaBold, s.vpad);
            headW = qMax(headW, qMin<qreal>(quote.width(), maxText));
            quoteH = quote.height();
            headH += (row.forwarded ? s.vpad / 2 : 0) + quoteH + s.vpad;
        }
        qreal w = 0;
        qreal h = 0;
        qreal icon = 0; // a file's icon, left of its two lines
        if (!row.image.isEmpty()) {
            // A picture with the time on its own line below it.
            w = std::ceil(qMax(qMax(row.image.width(), metaW), headW) + 2 * s.vpad);
            h = std::ceil(row.image.height() + s.metaH + 3 * s.vpad + headH);
        } else {
            MessageLayoutCache::Metrics text;
            MessageLayoutCache &cache =
                row.deleted ? m_tombCache : (row.bigEmoji ? m_emojiCache : m_bodyCache);
            const QFont &font = row.deleted ? s.tomb : (row.bigEmoji ? s.emoji : s.body);
            if (fullLayout) {
                g.entry = &cache.layout(row.id, row.text, maxText, font);
                text = {g.entry->size, g.entry->lastLineWidth};
            } else {
                text = cache.metrics(row.id, row.text, maxText, font);
            }
            // The time shares the last line when it fits there (as in Telegram), else gets its
            // own.
            const bool inlineMeta = text.lastLineWidth + s.metaGap + metaW <= maxText;
            const qreal contentW =
                inlineMeta ? qMax(text.size.width(), text.lastLineWidth + s.metaGap + metaW)
                           : qMax(text.size.width(), metaW);
            const qreal contentH = text.size.height() + (inlineMeta ? 0 : s.metaH);
            icon = row.file ? s.nameH * 2 : 0;
            const qreal bodyW = contentW + (icon > 0 ? icon + s.pad : 0);
            w = std::ceil(qMax(bodyW, headW) + 2 * s.pad);
            h = std::ceil(contentH + 2 * s.vpad + headH);
        }
        const qreal x = row.own ? width - s.margin - w : s.margin;
        g.bubble = QRectF(x, y, w, h);
        const qreal inset = row.image.isEmpty() ? s.pad : s.vpad;
        qreal head = y + s.vpad;
        if (row.forwarded) {
            g.forwarded = QRectF(x + inset, head, w - 2 * inset, s.metaH);
            head += s.metaH + (row.hasQuote ? s.vpad / 2 : 0);
        }
        if (row.hasQuote)
            g.quote = QRectF(x + inset, head, w - 2 * inset, quoteH);
        const qreal body = y + s.vpad + headH;
        g.textOrigin = QPointF(x + s.pad + (icon > 0 ? icon + s.pad : 0), body);
        if (!row.image.isEmpty())
            g.media = QRectF(QPointF(x + s.vpad, body), row.image);
        else if (icon > 0)
            g.media = QRectF(x + s.pad, body, icon, icon);
        g.meta = QRectF(g.bubble.right() - s.pad - metaW, g.bubble.bottom() - s.vpad - s.metaH,
                        metaW, s.metaH);
        y += h;
        g.right = g.bubble.right() + s.margin;
        if (!row.chips.isEmpty()) {
            // Reactions hang under the bubble, on its side, as in WhatsApp and Signal.
            const qreal gap = qMax<qreal>(2, s.gapIn * 3);
            g.chips = row.chips;
            y += gap;
            y += BubbleExtras::layoutChips(g.chips, QPointF(row.own ? g.bubble.right() : x, y),
                                           qMax<qreal>(s.unit * 6, width * 0.65), row.own, s.meta,
                                           gap);
            for (const BubbleExtras::Chip &chip : std::as_const(g.chips))
                g.right = qMax(g.right, chip.rect.right() + s.margin);
        }
    }
    g.height = std::ceil(y);
    // Everything was computed from the row's top-left; move it into view coordinates.
    for (QRectF *rect :
         {&g.divider, &g.day, &g.name, &g.bubble, &g.meta, &g.media, &g.forwarded, &g.quote}) {
        if (!rect->isNull())
            rect->translate(origin);
    }
    for (BubbleExtras::Chip &chip : g.chips)
        chip.rect.translate(origin);
    g.textOrigin += origin;
    return g;
}

QSize MessageDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    if (!index.isValid())
        return {};
    const Geometry g = geometry(option, rowData(index), false);
    return {int(g.right), int(g.height)};
}

QRect MessageDelegate::bubbleRect(const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    const RowData row = rowData(index);
    if (row.system)
        return {};
    return geometry(option, row, false).bubble.toAlignedRect();
}

QRect MessageDelegate::dividerRect(const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    return geometry(option, rowData(index), false).divider.toAlignedRect();
}

QString MessageDelegate::shortTime(const QTime &time)
{
    return models::MessageText::shortTime(time);
}

QString MessageDelegate::dayLabel(const QDate &day, const QDate &today)
{
    if (day == today)
        return tr("Today");
    if (day == today.addDays(-1))
        return tr("Yesterday");
    const QLocale locale;
    if (day.year() == today.year() && day > today.addDays(-7))
        return locale.dayName(day.dayOfWeek(), QLocale::LongFormat);
    return locale.toString(day, QLocale::LongFormat);
}

void MessageDelegate::paintSeparator(QPainter *painter, const QRect &band, const QString &text,
                                     const QStyleOptionViewItem &option, bool divider) const
{
    const Sizes &s = sizes(option.font);
    const QPalette &palette = option.palette;
    const QFont font = divider ? s.metaBold : s.meta;
    const QFontMetricsF fm(font);
    const qreal textW = fm.horizontalAdvance(text);
    const QRectF pill(band.center().x() - textW / 2 - s.pad, band.center().y() - s.metaH / 2 - 2,
                      textW + 2 * s.pad, s.metaH + 4);
    painter->setFont(font);
    if (divider) {
        // "New messages": an accent rule across the pane with the label in its middle.
        const QColor accent = Theme::accent(palette);
        painter->setPen(QPen(accent, 1));
        const qreal y = band.center().y() + 0.5;
        painter->drawLine(QPointF(band.left() + s.margin, y), QPointF(pill.left(), y));
        painter->drawLine(QPointF(pill.right(), y), QPointF(band.right() - s.margin, y));
        painter->setPen(accent);
    } else {
        painter->setPen(Qt::NoPen);
        painter->setBrush(Theme::otherBubble(palette));
        painter->drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
        painter->setPen(Theme::secondaryText(palette));
    }
    painter->drawText(pill, Qt::AlignCenter, text);
}

void MessageDelegate::paintMeta(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index, const RowData &row,
                                const QRectF &metaRect) const
{
    const Sizes &s = sizes(option.font);
    const QPalette &palette = option.palette;
    const QString time = shortTime(
        QDateTime::fromMSecsSinceEpoch(index.data(Role::TimestampRole).toLongLong()).time());
    QRectF timeRect = metaRect;
    if (row.own)
        timeRect.setRight(metaRect.right() - s.tickW - s.metaGap / 2);
    painter->setFont(s.meta);
    painter->setPen(Theme::secondaryText(palette));
    painter->drawText(timeRect, Qt::AlignRight | Qt::AlignVCenter,
                      row.edited ? BubbleExtras::editedText() + QLatin1Char(' ') + time : time);
    if (!row.own)
        return;
    const auto status = index.data(Role::StatusRole).value<Status>();
    TickIcons::Icon icon = TickIcons::Icon::Sent;
    QColor color = Theme::secondaryText(palette);
    switch (status) {
    case Status::Pending:
        icon = TickIcons::Icon::Clock;
        break;
    case Status::Sent:
        icon = TickIcons::Icon::Sent;
        break;
    case Status::Delivered:
        icon = TickIcons::Icon::Delivered;
        break;
    case Status::Read:
        icon = TickIcons::Icon::Read;
        color = Theme::accent(palette);
        break;
    case Status::Failed:
        icon = TickIcons::Icon::Failed;
        color = Theme::errorColor(palette);
        break;
    }
    const int side = int(s.tickW);
    const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    const QPixmap pixmap = m_ticks.pixmap(icon, color, QSize(side, side), dpr);
    const QPointF at(metaRect.right() - side, metaRect.center().y() - side / 2.0);
    painter->drawPixmap(at, pixmap);
}

void MessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    if (!index.isValid())
        return;
    const RowData row = rowData(index);
    const Geometry g = geometry(option, row, true);
    const Sizes &s = sizes(option.font);
    const QPalette &palette = option.palette;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);

    if (option.state & QStyle::State_Selected) {
        // Selection is for copying: a light tint of the whole row, not the style's bar.
        QColor tint = palette.color(QPalette::Highlight);
        tint.setAlphaF(0.18f);
        painter->fillRect(option.rect, tint);
    }
    if (!g.divider.isNull())
        paintSeparator(painter, g.divider.toAlignedRect(), tr("New messages"), option, true);
    if (!g.day.isNull()) {
        const QDate day =
            QDateTime::fromMSecsSinceEpoch(index.data(Role::TimestampRole).toLongLong()).date();
        paintSeparator(painter, g.day.toAlignedRect(), dayLabel(day, QDate::currentDate()), option,
                       false);
    }

    if (row.system) {
        painter->setPen(Theme::secondaryText(palette));
        g.entry->layout.draw(painter, g.textOrigin);
        painter->restore();
        return;
    }

    if (!g.name.isNull()) {
        painter->setFont(s.metaBold);
        painter->setPen(Theme::senderNameColor(senderHue<MessageListModel>(index), palette));
        const QString name = index.data(Role::SenderNameRole).toString();
        painter->drawText(
            g.name, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
            QFontMetrics(s.metaBold).elidedText(name, Qt::ElideRight, int(g.name.width())));
    }

    // Inside a run the corners on the sender's side are tight, so the run reads as one block.
    const QModelIndex next = index.sibling(index.row() + 1, 0);
    const bool groupedWithNext =
        next.isValid() && next.data(Role::GroupedWithPreviousRole).toBool() &&
        !(m_dividerSeq > 0 && next.data(Role::SeqRole).toLongLong() == m_dividerSeq);
    const qreal r = s.radius;
    const qreal top = row.grouped ? s.tight : r;
    const qreal bottom = groupedWithNext ? s.tight : r;
    const QPainterPath path =
        row.own ? bubblePath(g.bubble, r, top, bottom, r) : bubblePath(g.bubble, top, r, r, bottom);
    painter->setPen(Qt::NoPen);
    painter->fillPath(path, row.own ? Theme::ownBubble(palette) : Theme::otherBubble(palette));
    if (!g.chips.isEmpty())
        BubbleExtras::paintChips(painter, g.chips, s.meta, palette);
    if (!g.forwarded.isNull()) {
        painter->setFont(s.metaItalic);
        painter->setPen(Theme::secondaryText(palette));
        painter->drawText(g.forwarded, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
                          BubbleExtras::forwardedText());
    }
    if (!g.quote.isNull()) {
        const int hue = models::Avatar::hue(row.quote.sender);
        BubbleExtras::paintQuote(painter, g.quote, row.quote, hue, s.meta, s.metaBold, s.vpad,
                                 palette, row.own);
    }

    if (!row.image.isEmpty() || row.file)
        paintMedia(painter, option, index, row, g.media);
    if (!row.image.isEmpty()) {
        paintMeta(painter, option, index, row, g.meta);
        if (option.state & QStyle::State_HasFocus) {
            painter->setPen(QPen(Theme::accent(palette), 1.5));
            painter->setBrush(Qt::NoBrush);
            painter->drawPath(path);
        }
        painter->restore();
        return;
    }
    painter->setPen(row.deleted ? Theme::secondaryText(palette) : palette.color(QPalette::Text));
    QList<QTextLayout::FormatRange> links;
    const QColor link = linkColor(palette);
    for (const MessageLayoutCache::Link &found : std::as_const(g.entry->links)) {
        QTextLayout::FormatRange range;
        range.start = found.start;
        range.length = found.length;
        range.format.setForeground(link);
        range.format.setFontUnderline(true);
        links.append(range);
    }
    if (!row.deleted)
        links.append(mentionRanges(index, palette));
    if (!m_findText.isEmpty() && !row.deleted)
        addFindRanges(links, row.text, row.id == m_findCurrentId, palette);
    if (row.id != m_hiddenTextId || m_hiddenTextId.isEmpty())
        g.entry->layout.draw(painter, g.textOrigin, links);
    paintMeta(painter, option, index, row, g.meta);
    if (option.state & QStyle::State_HasFocus) {
        QPen focus(Theme::accent(palette), 1.5);
        painter->setPen(focus);
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(path);
    }
    painter->restore();
}

QList<QTextLayout::FormatRange> MessageDelegate::mentionRanges(const QModelIndex &index,
                                                               const QPalette &palette)
{
    // Colours only: a bold or larger font here would not match the shaped layout.
    QList<QTextLayout::FormatRange> ranges;
    const QString text = index.data(Role::TextRole).toString();
    const QVariantList spans = index.data(Role::MentionSpansRole).toList();
    for (const QVariant &value : spans) {
        const QVariantMap span = value.toMap();
        QTextLayout::FormatRange range;
        range.start = span.value(QStringLiteral("start")).toInt();
        range.length = span.value(QStringLiteral("length")).toInt();
        if (range.start < 0 || range.length <= 0 || range.start + range.length > text.size())
            continue;
        if (span.value(QStringLiteral("me")).toBool()) {
            // Strongly: someone asked for us.
            QColor background = Theme::accent(palette);
            background.setAlphaF(0.3f);
            range.format.setBackground(background);
            range.format.setForeground(palette.color(QPalette::Text));
            range.format.setFontUnderline(true);
        } else {
            range.format.setForeground(linkColor(palette));
        }
        ranges.append(range);
    }
    return ranges;
}

void MessageDelegate::setFindHighlight(const QString &text, const QString &currentId)
{
    m_findText = text;
    m_findCurrentId = currentId;
}

void MessageDelegate::addFindRanges(QList<QTextLayout::FormatRange> &ranges, const QString &text,
                                    bool current, const QPalette &palette) const
{
    // Only painted rows search their text: the view repaints what is visible, nothing more.
    const QColor accent = Theme::accent(palette);
    QTextCharFormat format;
    if (current) {
        format.setBackground(accent);
        format.setForeground(Theme::selectedText(palette));
    } else {
        format.setBackground(Theme::findMatch(palette));
        format.setForeground(palette.color(QPalette::Text));
    }
    for (qsizetype at = text.indexOf(m_findText, 0, Qt::CaseInsensitive); at >= 0;
         at = text.indexOf(m_findText, at + m_findText.size(), Qt::CaseInsensitive)) {
        QTextLayout::FormatRange range;
        range.start = int(at);
        range.length = int(m_findText.size());
        range.format = format;
        ranges.append(range);
    }
}

void MessageDelegate::paintMedia(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index, const RowData &row,
                                 const QRectF &rect) const
{
    const QPalette &palette = option.palette;
    if (row.file) {
        const QIcon icon =
            option.widget ? option.widget->style()->standardIcon(QStyle::SP_FileIcon) : QIcon();
        icon.paint(painter, rect.toAlignedRect());
        if (!row.downloaded && row.progress < 0)
            paintDownloadBadge(painter, palette, rect);
    } else {
        QPainterPath clip;
        clip.addRoundedRect(rect, 6, 6);
        painter->save();
        painter->setClipPath(clip);
        const QImage thumbnail = index.data(Role::ThumbnailRole).value<QImage>();
        if (thumbnail.isNull())
            painter->fillRect(rect, palette.color(QPalette::Mid));
        else
            painter->drawImage(rect, thumbnail);
        painter->restore();
    }
    if (row.progress >= 0 && row.progress < 1) {
        // Upload or download progress: a thin bar along the bottom of the picture or the icon.
        const QRectF track(rect.left(), rect.bottom() - 4, rect.width(), 4);
        painter->setPen(Qt::NoPen);
        painter->setBrush(palette.color(QPalette::Mid));
        painter->drawRoundedRect(track, 2, 2);
        painter->setBrush(Theme::accent(palette));
        painter->drawRoundedRect(QRectF(track.topLeft(), QSizeF(track.width() * row.progress, 4)),
                                 2, 2);
    }
}

void MessageDelegate::paintDownloadBadge(QPainter *painter, const QPalette &palette,
                                         const QRectF &icon) const
{
    // "Not on this device yet": a small arrow in a disc on the icon's lower right corner.
    const qreal d = std::max<qreal>(10, icon.width() * 0.5);
    const QRectF disc(icon.right() - d * 0.8, icon.bottom() - d * 0.8, d, d);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(Theme::accent(palette));
    painter->drawEllipse(disc);
    QPen pen(palette.color(QPalette::HighlightedText), std::max<qreal>(1.5, d / 8));
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    painter->setPen(pen);
    const QPointF c = disc.center();
    const qreal a = d * 0.25;
    painter->drawLine(QPointF(c.x(), c.y() - a), QPointF(c.x(), c.y() + a));
    painter->drawPolyline(
        QPolygonF({QPointF(c.x() - a * 0.8, c.y() + a * 0.2), QPointF(c.x(), c.y() + a),
                   QPointF(c.x() + a * 0.8, c.y() + a * 0.2)}));
    painter->restore();
}

QRect MessageDelegate::mediaRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const RowData row = rowData(index);
    if (row.image.isEmpty() && !row.file)
        return {};
    return geometry(option, row, false).media.toAlignedRect();
}

QRect MessageDelegate::quoteRect(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const RowData row = rowData(index);
    if (!row.hasQuote)
        return {};
    return geometry(option, row, false).quote.toAlignedRect();
}

QString MessageDelegate::reactionAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                    const QPoint &pos) const
{
    const RowData row = rowData(index);
    if (row.chips.isEmpty())
        return {};
    for (const BubbleExtras::Chip &chip : geometry(option, row, false).chips) {
        if (chip.rect.contains(pos))
            return chip.emoji;
    }
    return {};
}

QRect MessageDelegate::reactionRect(const QStyleOptionViewItem &option, const QModelIndex &index,
                                    const QString &emoji) const
{
    const RowData row = rowData(index);
    for (const BubbleExtras::Chip &chip : geometry(option, row, false).chips) {
        if (chip.emoji == emoji)
            return chip.rect.toAlignedRect();
    }
    return {};
}

QString MessageDelegate::reactionToolTip(const QModelIndex &index, const QString &emoji) const
{
    for (const BubbleExtras::Chip &chip : rowData(index).chips) {
        if (chip.emoji == emoji)
            return BubbleExtras::chipToolTip(chip);
    }
    return {};
}

QRect MessageDelegate::textRect(const QStyleOptionViewItem &option, const QModelIndex &index,
                                QFont *font) const
{
    if (!index.isValid())
        return {};
    const RowData row = rowData(index);
    if (row.system || row.deleted || row.file || !row.image.isEmpty() || row.text.isEmpty())
        return {};
    const Geometry g = geometry(option, row, true);
    if (font)
        *font = row.bigEmoji ? sizes(option.font).emoji : sizes(option.font).body;
    // Slack: the editor must neither wrap a line the layout kept whole nor scroll.
    return QRectF(g.textOrigin, g.entry->size + QSizeF(2, 2)).toAlignedRect();
}

QString MessageDelegate::linkAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                                const QPoint &pos) const
{
    if (!index.isValid())
        return {};
    const RowData row = rowData(index);
    if (row.system || row.deleted || !row.text.contains(QLatin1String("://")))
        return {};
    const Geometry g = geometry(option, row, true);
    if (!g.bubble.contains(pos) || g.entry->links.isEmpty())
        return {};
    const QPointF local = QPointF(pos) - g.textOrigin;
    const QTextLayout &layout = g.entry->layout;
    for (int i = 0; i < layout.lineCount(); ++i) {
        const QTextLine line = layout.lineAt(i);
        if (local.y() < line.y() || local.y() >= line.y() + line.height())
            continue;
        if (local.x() < line.x() || local.x() > line.x() + line.naturalTextWidth())
            return {};
        const int cursor = line.xToCursor(local.x(), QTextLine::CursorOnCharacter);
        for (const MessageLayoutCache::Link &link : g.entry->links) {
            if (cursor >= link.start && cursor < link.start + link.length)
                return link.url;
        }
        return {};
    }
    return {};
}

bool MessageDelegate::editorEvent(QEvent *event, QAbstractItemModel *model,
                                  const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event->type() == QEvent::MouseButtonRelease) {
        const auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() == Qt::LeftButton) {
            const QPoint pos = mouse->position().toPoint();
            if (quoteRect(option, index).contains(pos)) {
                emit replyActivated(index);
                return true;
            }
            if (const QString emoji = reactionAt(option, index, pos); !emoji.isEmpty()) {
                emit reactionClicked(index, emoji);
                return true;
            }
            if (mediaRect(option, index).contains(mouse->position().toPoint())) {
                emit mediaActivated(index);
                return true;
            }
            const QString url = linkAt(option, index, mouse->position().toPoint());
            if (!url.isEmpty()) {
                // Only http(s) is ever detected, so a message cannot open local files or apps.
                QDesktopServices::openUrl(QUrl(url, QUrl::StrictMode));
                emit linkActivated(url);
                return true;
            }
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

bool MessageDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (!event || !view || !index.isValid() || event->type() != QEvent::ToolTip)
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const RowData row = rowData(index);
    const Geometry g = geometry(option, row, false);
    for (const BubbleExtras::Chip &chip : g.chips) {
        if (chip.rect.contains(event->pos())) {
            // Names come from the network: shown escaped, never as rich text.
            QToolTip::showText(
                event->globalPos(),
                QStringLiteral("<qt>%1</qt>").arg(BubbleExtras::chipToolTip(chip).toHtmlEscaped()),
                view);
            return true;
        }
    }
    if (row.system || !g.bubble.contains(event->pos())) {
        QToolTip::hideText();
        return true;
    }
    const QString link = linkAt(option, index, event->pos());
    QString tip = link;
    if (tip.isEmpty()) {
        const QDateTime when =
            QDateTime::fromMSecsSinceEpoch(index.data(Role::TimestampRole).toLongLong());
        tip = QLocale().toString(when.date(), QLocale::LongFormat) + QLatin1Char(' ') +
              shortTime(when.time());
        if (row.own)
            tip += QLatin1Char('\n') + statusText(index.data(Role::StatusRole).value<Status>());
    }
    // The link pattern excludes '<' and '>', so the tip never looks like rich text.
    QToolTip::showText(event->globalPos(), tip, view);
    return true;
}

} // namespace tern::app::ui
