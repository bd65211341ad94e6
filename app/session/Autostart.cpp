#include "app/session/Autostart.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

namespace tern::app::session {

namespace {
QString quoted(const QString &arg)
{
    QString escaped = arg;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}
} // namespace

QString Autostart::desktopEntryPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
        .filePath(QStringLiteral("autostart/tern.desktop"));
}

bool Autostart::setEnabled(bool enabled, const QString &program, const QStringList &arguments)
{
    QStringList command{quoted(program)};
    for (const QString &arg : arguments)
        command << quoted(arg);
#if defined(Q_OS_WIN)
    QSettings run(QStringLiteral("HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
                  QSettings::NativeFormat);
    if (enabled)
        run.setValue(QStringLiteral("Tern"), command.join(QLatin1Char(' ')));
    else
        run.remove(QStringLiteral("Tern"));
    run.sync();
    return run.status() == QSettings::NoError;
#elif defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    const QString path = desktopEntryPath();
    if (!enabled)
        return !QFileInfo::exists(path) || QFile::remove(path);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return false;
    const QString entry = QStringLiteral("[Desktop Entry]\nType=Application\nName=Tern\n"
                                         "Comment=Office chat\nExec=%1\nIcon=tern\n"
                                         "X-GNOME-Autostart-enabled=true\n")
                              .arg(command.join(QLatin1Char(' ')));
    file.write(entry.toUtf8());
    return file.commit();
#else
    Q_UNUSED(enabled);
    Q_UNUSED(command);
    return false;
#endif
}

bool Autostart::isEnabled()
{
#if defined(Q_OS_WIN)
    QSettings run(QStringLiteral("HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"),
                  QSettings::NativeFormat);
    return run.contains(QStringLiteral("Tern"));
#elif defined(Q_OS_UNIX) && !defined(Q_OS_MACOS)
    return QFileInfo::exists(desktopEntryPath());
#else
    return false;
#endif
}

} // namespace tern::app::session
