#include "app/ui/JumpToLatestButton.h"

#include "app/ui/Theme.h"

#include <QEvent>
#include <QPainter>
#include <QPainterPath>

namespace tern::app::ui {

JumpToLatestButton::JumpToLatestButton(QWidget *parent) : QAbstractButton(parent)
{
    setCursor(Qt::PointingHandCursor);
    setFocusPolicy(Qt::TabFocus);
    updateTexts();
}

void JumpToLatestButton::setCount(int count)
{
    if (count == m_count)
        return;
    m_count = count;
    updateTexts();
    update();
}

void JumpToLatestButton::updateTexts()
{
    setAccessibleName(tr("Jump to latest"));
    const QString description =
        m_count > 0 ? tr("%n new message(s)", "", m_count) : tr("Scroll to the newest message");
    setAccessibleDescription(description);
    setToolTip(m_count > 0 ? tr("Jump to latest (%n new)", "", m_count) : tr("Jump to latest"));
}

void JumpToLatestButton::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        updateTexts();
    QAbstractButton::changeEvent(event);
}

QSize JumpToLatestButton::sizeHint() const
{
    // Room for the circle plus the badge that overlaps its top edge.
    const int side = qRound(fontMetrics().height() * 2.4);
    return {side, side + fontMetrics().height() / 2};
}

void JumpToLatestButton::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    const qreal unit = fontMetrics().height();
    const qreal side = qMin<qreal>(width(), height() - unit / 2);
    const QRectF circle(0.5, height() - side + 0.5, side - 1, side - 1);

    QColor shadow = pal.color(QPalette::Shadow);
    shadow.setAlphaF(0.25f);
    painter.setPen(QPen(shadow, 1));
    painter.setBrush(isDown() ? Theme::otherBubble(pal) : pal.color(QPalette::Base));
    painter.drawEllipse(circle);
    if (hasFocus()) {
        painter.setPen(QPen(Theme::accent(pal), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(circle.adjusted(1, 1, -1, -1));
    }

    // A down chevron.
    const QPointF c = circle.center();
    const qreal a = side * 0.17;
    QPainterPath chevron;
    chevron.moveTo(c.x() - a, c.y() - a / 2);
    chevron.lineTo(c.x(), c.y() + a / 2);
    chevron.lineTo(c.x() + a, c.y() - a / 2);
    painter.setPen(QPen(Theme::secondaryText(pal), qMax<qreal>(1.5, unit / 9), Qt::SolidLine,
                        Qt::RoundCap, Qt::RoundJoin));
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(chevron);

    if (m_count > 0) {
        QFont font = painter.font();
        font.setBold(true);
        if (font.pointSizeF() > 0)
            font.setPointSizeF(font.pointSizeF() * 0.8);
        painter.setFont(font);
        const QString text = m_count > 999 ? QStringLiteral("999+") : QString::number(m_count);
        const QFontMetricsF fm(font);
        const qreal h = fm.height() + 2;
        const qreal w = qMax(h, fm.horizontalAdvance(text) + h * 0.6);
        const QRectF badge(c.x() - w / 2, 0, w, h);
        painter.setPen(Qt::NoPen);
        painter.setBrush(Theme::accent(pal));
        painter.drawRoundedRect(badge, h / 2, h / 2);
        painter.setPen(Theme::onAccent(pal));
        painter.drawText(badge, Qt::AlignCenter, text);
    }
}

} // namespace tern::app::ui
