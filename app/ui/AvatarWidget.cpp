#include "app/ui/AvatarWidget.h"

#include "app/ui/Theme.h"

#include <QPainter>

namespace tern::app::ui {

AvatarWidget::AvatarWidget(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void AvatarWidget::setAvatar(const QString &initials, int hue)
{
    m_initials = initials;
    m_hue = hue;
    update();
}

void AvatarWidget::setOnline(int online)
{
    m_online = online;
    update();
}

QSize AvatarWidget::sizeHint() const
{
    const int side = fontMetrics().height() * 2 + 4;
    return {side, side};
}

void AvatarWidget::paint(QPainter *painter, const QRectF &rect, const QString &initials, int hue,
                         bool online, const QPalette &palette, const QColor &ring)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(Theme::avatarColor(hue, palette));
    painter->drawEllipse(rect);
    if (ring.isValid()) {
        painter->setPen(QPen(ring, qMax<qreal>(1.5, rect.width() / 24)));
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(rect);
    }
    QFont font = painter->font();
    font.setBold(true);
    font.setPixelSize(qMax(8, int(rect.height() * 0.38)));
    painter->setFont(font);
    painter->setPen(Qt::white);
    painter->drawText(rect, Qt::AlignCenter, initials);
    if (online) {
        const qreal d = rect.width() * 0.3;
        const QRectF dot(rect.right() - d, rect.bottom() - d, d, d);
        painter->setPen(QPen(palette.color(QPalette::Base), qMax(1.5, d * 0.18)));
        painter->setBrush(Theme::onlineColor());
        painter->drawEllipse(dot);
    }
    painter->restore();
}

void AvatarWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const int side = qMin(width(), height());
    paint(&painter, QRectF(0, 0, side, side).adjusted(1, 1, -1, -1), m_initials, m_hue,
          m_online == 1, palette());
}

} // namespace tern::app::ui
