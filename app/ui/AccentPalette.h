#pragma once

//! Keeps the application palette's selection, link and focus colours on Theme's teal accent,
//! in light and dark, also after the system palette changes.
//
// Fusion draws selected rows, focus frames, checked boxes, sliders and progress in Highlight
// and links in Link: setting those two from the accent makes one accent colour everywhere.

#include <QObject>

namespace tern::app::ui {

class AccentPalette : public QObject
{
    Q_OBJECT
public:
    //! Applies the accent now and after every application palette change (idempotent).
    static void install();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    using QObject::QObject;
    void apply();

    bool m_applying = false;
};

} // namespace tern::app::ui
