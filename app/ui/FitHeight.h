#pragma once

//! Keeps a dialog of wrapped sentences tall enough for its width (Qt's SetMinimumSize ignores
//! height-for-width, so wrapped labels were cut at larger fonts and in German).

#include <QLayout>
#include <QWidget>

namespace tern::app::ui {

//! Call on the dialog's LayoutRequest and Resize events: grows (never shrinks below what the
//! layout needs) to the height its layout needs at the current width.
inline void fitHeightForWidth(QWidget *window)
{
    QLayout *layout = window->layout();
    if (!layout || !layout->hasHeightForWidth())
        return;
    const int needed = layout->totalHeightForWidth(window->width());
    if (needed <= 0 || needed == window->minimumHeight())
        return;
    window->setMinimumHeight(needed);
    if (window->height() < needed)
        window->resize(window->width(), needed);
}

} // namespace tern::app::ui
