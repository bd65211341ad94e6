#include "app/ui/ClearButton.h"

#include <QLineEdit>
#include <QToolButton>

namespace tern::app::ui {

bool enableNamedClearButton(QLineEdit *edit, const QString &objectName, const QString &name)
{
    edit->setClearButtonEnabled(true);
    // Qt's clear action carries this object name; its button is the tool button that shows it.
    const auto buttons = edit->findChildren<QToolButton *>(Qt::FindDirectChildrenOnly);
    for (QToolButton *button : buttons) {
        QAction *action = button->defaultAction();
        if (!action || action->objectName() != QLatin1String("_q_qlineeditclearaction"))
            continue;
        // Only the button's own properties: changing the action would make the button take
        // all of it again (setDefaultAction), here and whenever the action changes.
        button->setObjectName(objectName);
        button->setAccessibleName(name);
        return true;
    }
    return false;
}

} // namespace tern::app::ui
