#pragma once

//! "Start Tern at login": an XDG autostart entry on Linux, the Run key on Windows.

#include <QString>

namespace tern::app::session {

class Autostart
{
public:
    //! Creates or removes the entry for `program` (with `arguments`); false when it failed or
    //! the platform has no supported mechanism (macOS: use the Login Items settings).
    static bool setEnabled(bool enabled, const QString &program, const QStringList &arguments);
    static bool isEnabled();
    //! Where the Linux entry lives (`$XDG_CONFIG_HOME/autostart/tern.desktop`).
    static QString desktopEntryPath();
};

} // namespace tern::app::session
