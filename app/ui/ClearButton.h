#pragma once

//! Names the clear button QLineEdit::setClearButtonEnabled adds (an unnamed icon-only
//! QToolButton child), so screen readers say "Clear search" and UI tests find it by name.

#include <QString>

class QLineEdit;

namespace tern::app::ui {

//! Enables `edit`'s clear button and gives it `objectName` and the accessible name `name`.
//! Returns false when Qt made no button (it then has nothing to name).
bool enableNamedClearButton(QLineEdit *edit, const QString &objectName, const QString &name);

} // namespace tern::app::ui
