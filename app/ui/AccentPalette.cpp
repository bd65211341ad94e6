#include "app/ui/AccentPalette.h"

#include "app/ui/Theme.h"

#include <QApplication>
#include <QEvent>

namespace tern::app::ui {

void AccentPalette::install()
{
    if (!qApp || qApp->findChild<AccentPalette *>(QString(), Qt::FindDirectChildrenOnly))
        return;
    auto *follower = new AccentPalette(qApp);
    qApp->installEventFilter(follower);
    follower->apply();
}

bool AccentPalette::eventFilter(QObject *watched, QEvent *event)
{
    // A system theme switch (or anyone's setPalette) arrives here; light and dark need
    // different teals, so the accent is recomputed from the new window colours.
    if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange && !m_applying)
        apply();
    return QObject::eventFilter(watched, event);
}

void AccentPalette::apply()
{
    const QPalette current = QApplication::palette();
    const QPalette wanted = Theme::withAccent(current);
    if (wanted == current)
        return;
    m_applying = true;
    QApplication::setPalette(wanted);
    m_applying = false;
}

} // namespace tern::app::ui
