#include "app/session/AppSettings.h"

#include <QDir>
#include <QFile>

namespace tern::app::session {

AppSettings::AppSettings(const QString &profileDir, QObject *parent)
    : QObject(parent), m_profileDir(profileDir),
      m_settings(QDir(profileDir).filePath(QStringLiteral("tern.ini")), QSettings::IniFormat)
{
    makePrivateDir(profileDir);
}

bool AppSettings::makePrivateDir(const QString &dir)
{
    if (!QDir().mkpath(dir))
        return false;
    constexpr QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                          QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    if (QFile::permissions(dir) & others)
        return QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return true;
}

QString AppSettings::accountsDir() const
{
    return QDir(m_profileDir).filePath(QStringLiteral("accounts"));
}

QString AppSettings::hostedServerDir() const
{
    return QDir(m_profileDir).filePath(QStringLiteral("server"));
}

bool AppSettings::closeToTray() const
{
    return m_settings.value(QStringLiteral("closeToTray"), true).toBool();
}

void AppSettings::setCloseToTray(bool on)
{
    write(QStringLiteral("closeToTray"), on);
}

bool AppSettings::closeAsked() const
{
    return m_settings.value(QStringLiteral("closeAsked"), false).toBool();
}

void AppSettings::setCloseAsked(bool asked)
{
    write(QStringLiteral("closeAsked"), asked);
}

bool AppSettings::hidePreviews() const
{
    return m_settings.value(QStringLiteral("hidePreviews"), false).toBool();
}

void AppSettings::setHidePreviews(bool on)
{
    write(QStringLiteral("hidePreviews"), on);
}

bool AppSettings::startAtLogin() const
{
    return m_settings.value(QStringLiteral("startAtLogin"), false).toBool();
}

void AppSettings::setStartAtLogin(bool on)
{
    write(QStringLiteral("startAtLogin"), on);
}

bool AppSettings::keychainNoticeShown() const
{
    return m_settings.value(QStringLiteral("keychainNoticeShown"), false).toBool();
}

void AppSettings::setKeychainNoticeShown(bool shown)
{
    write(QStringLiteral("keychainNoticeShown"), shown);
}

QString AppSettings::language() const
{
    return m_settings.value(QStringLiteral("language")).toString();
}

void AppSettings::setLanguage(const QString &language)
{
    write(QStringLiteral("language"), language);
}

QString AppSettings::lastAccount() const
{
    return m_settings.value(QStringLiteral("lastAccount")).toString();
}

void AppSettings::setLastAccount(const QString &account)
{
    write(QStringLiteral("lastAccount"), account);
}

QString AppSettings::lastServerUrl() const
{
    return m_settings.value(QStringLiteral("lastServerUrl")).toString();
}

void AppSettings::setLastServerUrl(const QString &url)
{
    write(QStringLiteral("lastServerUrl"), url);
}

bool AppSettings::hostingServer() const
{
    return m_settings.value(QStringLiteral("hostingServer"), false).toBool();
}

void AppSettings::setHostingServer(bool on)
{
    write(QStringLiteral("hostingServer"), on);
}

QStringList AppSettings::recentEmoji() const
{
    return m_settings.value(QStringLiteral("emoji/recent")).toStringList();
}

void AppSettings::setRecentEmoji(const QStringList &emoji)
{
    write(QStringLiteral("emoji/recent"), emoji);
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings.value(QStringLiteral("window/geometry")).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings.setValue(QStringLiteral("window/geometry"), geometry);
}

QByteArray AppSettings::splitterState() const
{
    return m_settings.value(QStringLiteral("window/splitter")).toByteArray();
}

void AppSettings::setSplitterState(const QByteArray &state)
{
    m_settings.setValue(QStringLiteral("window/splitter"), state);
}

void AppSettings::write(const QString &key, const QVariant &value)
{
    if (m_settings.value(key) == value)
        return;
    m_settings.setValue(key, value);
    emit changed();
}

} // namespace tern::app::session
