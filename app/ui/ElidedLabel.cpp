#include "app/ui/ElidedLabel.h"

#include <QPainter>
#include <QStyle>

namespace tern::app::ui {

ElidedLabel::ElidedLabel(QWidget *parent) : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setWordWrap(false);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

void ElidedLabel::setFullText(const QString &text)
{
    setText(text);
    refreshToolTip();
}

QSize ElidedLabel::minimumSizeHint() const
{
    const QMargins m = contentsMargins();
    const QFontMetrics fm = fontMetrics();
    // Room for about four characters and the ellipsis, never more than the text needs.
    const int width = qMin(fm.horizontalAdvance(text()), fm.averageCharWidth() * 5);
    return {width + m.left() + m.right(), fm.height() + m.top() + m.bottom()};
}

void ElidedLabel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRect area = contentsRect();
    const QString shown = fontMetrics().elidedText(text(), Qt::ElideRight, area.width());
    style()->drawItemText(&painter, area, int(alignment()) | Qt::TextSingleLine, palette(),
                          isEnabled(), shown, foregroundRole());
}

void ElidedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    refreshToolTip();
}

void ElidedLabel::refreshToolTip()
{
    const bool elided = fontMetrics().horizontalAdvance(text()) > contentsRect().width();
    setToolTip(elided ? text() : QString());
}

} // namespace tern::app::ui
