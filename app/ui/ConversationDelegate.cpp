#include "app/ui/ConversationDelegate.h"

#include "app/models/ConversationListModel.h"
#include "app/ui/AvatarWidget.h"
#include "app/ui/Emoji.h"
#include "app/ui/MessageDelegate.h"
#include "app/ui/Theme.h"

#include <QApplication>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace tern::app::ui {

using Role = models::ConversationListModel::Role;

namespace {

struct RowSizes
{
    qreal unit = 0;
    qreal pad = 0;
    qreal avatar = 0;
    qreal height = 0;
};

RowSizes rowSizes(const QFont &font)
{
    RowSizes s;
    s.unit = QFontMetricsF(font).height();
    // A 10 pt font (~17 px line) gives the 48 px avatar and 64 px row of the design.
    s.avatar = std::round(s.unit * 2.8);
    s.pad = std::round(s.unit * 0.5);
    s.height = s.avatar + 2 * s.pad;
    return s;
}

QFont smaller(const QFont &font)
{
    QFont small = font;
    if (font.pointSizeF() > 0)
        small.setPointSizeF(font.pointSizeF() * 0.85);
    else
        small.setPixelSize(qMax(6, qRound(font.pixelSize() * 0.85)));
    return small;
}

//! A small crossed-out speaker: the muted mark after the name.
void paintMuted(QPainter *painter, const QRectF &box, const QColor &color)
{
    const qreal w = box.width();
    const qreal h = box.height();
    const qreal x = box.left();
    const qreal y = box.top();
    QPainterPath speaker;
    speaker.moveTo(x + w * 0.10, y + h * 0.38);
    speaker.lineTo(x + w * 0.30, y + h * 0.38);
    speaker.lineTo(x + w * 0.55, y + h * 0.15);
    speaker.lineTo(x + w * 0.55, y + h * 0.85);
    speaker.lineTo(x + w * 0.30, y + h * 0.62);
    speaker.lineTo(x + w * 0.10, y + h * 0.62);
    speaker.closeSubpath();
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawPath(speaker);
    painter->setPen(QPen(color, qMax<qreal>(1.0, w / 10), Qt::SolidLine, Qt::RoundCap));
    painter->drawLine(QPointF(x + w * 0.68, y + h * 0.35), QPointF(x + w * 0.95, y + h * 0.65));
    painter->drawLine(QPointF(x + w * 0.68, y + h * 0.65), QPointF(x + w * 0.95, y + h * 0.35));
}

} // namespace

ConversationDelegate::ConversationDelegate(QObject *parent) : QStyledItemDelegate(parent) {}

QString ConversationDelegate::activityText(qint64 msecsSinceEpoch, const QDateTime &now)
{
    if (msecsSinceEpoch <= 0)
        return {};
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch);
    const QLocale locale;
    const QDate day = when.date();
    const QDate today = now.date();
    if (day == today)
        return MessageDelegate::shortTime(when.time());
    if (day < today && day > today.addDays(-7))
        return locale.dayName(day.dayOfWeek(), QLocale::ShortFormat);
    return locale.toString(day, QLocale::ShortFormat);
}

QString ConversationDelegate::badgeText(int count)
{
    return count > 999 ? QStringLiteral("999+") : QString::number(count);
}

QSize ConversationDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const RowSizes s = rowSizes(option.font);
    return {int(s.unit * 12), int(s.height)};
}

void ConversationDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    // The style draws selection, hover and the alternate background; we draw the content.
    opt.text.clear();
    opt.icon = QIcon();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    const RowSizes s = rowSizes(option.font);
    const QPalette &palette = option.palette;
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = !(option.state & QStyle::State_Enabled) ? QPalette::Disabled
                                       : (option.state & QStyle::State_Active) ? QPalette::Active
                                                                               : QPalette::Inactive;
    // On the selected (accent) row every colour is checked against the row itself.
    const QColor rowColor = palette.color(group, QPalette::Highlight);
    const QColor text = selected
                            ? Theme::withContrast(palette.color(group, QPalette::HighlightedText),
                                                  rowColor, Theme::kTextContrast)
                            : palette.color(group, QPalette::Text);
    const QColor secondary = selected ? Theme::withContrast(Theme::mix(text, rowColor, 0.8),
                                                            rowColor, Theme::kTextContrast)
                                      : Theme::secondaryText(palette);

    const QString name = index.data(Role::NameRole).toString();
    const int unread = index.data(Role::UnreadCountRole).toInt();
    const bool muted = index.data(Role::IsMutedRole).toBool();
    const bool typing = index.data(Role::IsTypingRole).toBool();
    const bool group_ = index.data(Role::KindRole).toString() ==
                        protocol::wireName(protocol::ConversationKind::Group);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF row = option.rect;
    const QRectF avatar(row.left() + s.pad * 1.5, row.top() + (row.height() - s.avatar) / 2,
                        s.avatar, s.avatar);
    AvatarWidget::paint(painter, avatar, index.data(Role::AvatarInitialsRole).toString(),
                        index.data(Role::AvatarHueRole).toInt(),
                        !group_ && index.data(Role::OtherUserOnlineRole).toBool(), palette,
                        selected ? text : QColor());

    const qreal left = avatar.right() + s.pad * 1.5;
    const qreal right = row.right() - s.pad * 1.5;
    const qreal lineH = s.unit;
    const qreal top = row.top() + (row.height() - 2 * lineH - s.pad * 0.4) / 2;
    const QRectF line1(left, top, right - left, lineH);
    const QRectF line2(left, top + lineH + s.pad * 0.4, right - left, lineH);

    // Line 1: name (bold when unread), muted mark, time on the right.
    const QFont small = smaller(option.font);
    const QString time =
        activityText(index.data(Role::LastActivityRole).toLongLong(), QDateTime::currentDateTime());
    painter->setFont(small);
    const qreal timeW = QFontMetricsF(small).horizontalAdvance(time);
    painter->setPen(unread > 0 && !muted && !selected ? Theme::accent(palette) : secondary);
    painter->drawText(line1, Qt::AlignRight | Qt::AlignVCenter, time);

    QFont nameFont = option.font;
    nameFont.setBold(unread > 0);
    const QFontMetricsF nameMetrics(nameFont);
    const qreal mutedW = muted ? lineH * 0.8 : 0;
    const qreal nameRoom = line1.width() - timeW - s.pad - (muted ? mutedW + s.pad / 2 : 0);
    const QString shownName =
        nameMetrics.elidedText(name, Qt::ElideRight, qMax<qreal>(0, nameRoom));
    painter->setFont(nameFont);
    painter->setPen(text);
    painter->drawText(line1, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, shownName);
    if (muted) {
        const qreal x = line1.left() + nameMetrics.horizontalAdvance(shownName) + s.pad / 2;
        paintMuted(painter, QRectF(x, line1.center().y() - mutedW / 2, mutedW, mutedW), secondary);
    }

    // Line 2: preview or typing, unread badge on the right.
    qreal previewRight = line2.right();
    if (unread > 0) {
        QFont badgeFont = small;
        badgeFont.setBold(true);
        const QFontMetricsF bm(badgeFont);
        const QString label = badgeText(unread);
        const qreal h = bm.height() + 2;
        const qreal w = qMax(h, bm.horizontalAdvance(label) + h * 0.7);
        const QRectF pill(line2.right() - w, line2.center().y() - h / 2, w, h);
        painter->setPen(Qt::NoPen);
        // On the accent row the badge turns inside out: an accent pill would vanish.
        const QColor pillColor = selected ? text
                                 : muted  ? Theme::secondaryText(palette)
                                          : Theme::accent(palette);
        painter->setBrush(pillColor);
        painter->drawRoundedRect(pill, h / 2, h / 2);
        painter->setFont(badgeFont);
        painter->setPen(selected ? rowColor
                        : muted  ? palette.color(QPalette::Base)
                                 : Theme::onAccent(palette));
        painter->drawText(pill, Qt::AlignCenter, label);
        previewRight = pill.left() - s.pad;
    }
    if (index.data(Role::UnreadMentionsRole).toInt() > 0) {
        // "@" left of the count: someone mentioned us. Accent even in a muted chat, which
        // still tells about mentions.
        QFont badgeFont = small;
        badgeFont.setBold(true);
        const qreal h = QFontMetricsF(badgeFont).height() + 2;
        const QRectF circle(previewRight - h, line2.center().y() - h / 2, h, h);
        painter->setPen(Qt::NoPen);
        painter->setBrush(selected ? text : Theme::accent(palette));
        painter->drawEllipse(circle);
        painter->setFont(badgeFont);
        painter->setPen(selected ? rowColor : Theme::onAccent(palette));
        painter->drawText(circle, Qt::AlignCenter, QStringLiteral("@"));
        previewRight = circle.left() - s.pad;
    }
    QString preview;
    if (typing) {
        const QStringList names = index.data(Role::TypingUsersRole).toStringList();
        if (group_ && names.size() == 1)
            //: Conversation list: one person typing in a group
            preview = tr("%1 is typing…").arg(names.first());
        else if (group_ && names.size() > 1)
            preview = tr("%n people are typing…", "", int(names.size()));
        else
            preview = tr("typing…");
    } else {
        preview = index.data(Role::LastMessagePreviewRole).toString();
        // One line: the preview of a multi-line message continues after a space.
        preview.replace(QLatin1Char('\n'), QLatin1Char(' '));
    }
    painter->setFont(option.font);
    painter->setPen(typing && !selected ? Theme::accent(palette) : secondary);
    const QRectF previewRect(line2.left(), line2.top(), qMax<qreal>(0, previewRight - line2.left()),
                             line2.height());
    const QString elided =
        QFontMetricsF(option.font).elidedText(preview, Qt::ElideRight, previewRect.width());
    if (Emoji::runs(elided).isEmpty())
        painter->drawText(previewRect, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine,
                          elided);
    else
        Emoji::drawLine(painter, previewRect, elided, option.font); // emoji in colour

    if (option.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(option);
        focus.backgroundColor = palette.color(selected ? QPalette::Highlight : QPalette::Base);
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
    }
    painter->restore();
}

} // namespace tern::app::ui
