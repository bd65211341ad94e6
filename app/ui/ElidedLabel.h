#pragma once

//! A one-line plain-text label that elides its text ("Lunch cr…") when narrower than the text,
//! with the whole text in its tooltip; for names and other texts that can legitimately be long.

#include <QLabel>

namespace tern::app::ui {

class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);
    //! Sets the whole text (text() returns it; the label paints what fits).
    void setFullText(const QString &text);
    //! Small enough to leave room for the buttons next to it: a few characters.
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void refreshToolTip();
};

} // namespace tern::app::ui
