#pragma once

//! Pins the UI tests' font to Noto Sans (fonts-noto-core, scripts/deps.sh) when it is installed,
//! so screenshots look like a desktop and do not depend on fontconfig's choice of fallback.

#include <QApplication>
#include <QFont>
#include <QFontDatabase>

namespace tern::test {

//! Call in initTestCase(), before any window exists. Keeps the platform's point size; false
//! (and nothing changed) when Noto Sans is missing.
inline bool useDesktopFont()
{
    const QString family = QStringLiteral("Noto Sans");
    if (!QFontDatabase::families().contains(family))
        return false;
    QFont font = QApplication::font();
    font.setFamilies({family});
    QApplication::setFont(font);
    return true;
}

} // namespace tern::test
