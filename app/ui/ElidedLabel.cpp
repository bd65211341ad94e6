#include "app/ui/ElidedLabel.h"

#include <QPainter>
#include <QStyle>
#include <QTextDocument>

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
    // Tooltips guess rich text from the content: a name or message from the network must show
    // as written, so the tip is its escaped plain text.
    setToolTip(elided ? Qt::convertFromPlainText(text()) : QString());
}

} // namespace tern::app::ui
