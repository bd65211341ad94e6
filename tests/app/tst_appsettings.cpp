// The app's own preferences file and the "start at login" entry, on real files.

#include "app/session/AccountSession.h"
#include "app/session/AppSettings.h"
#include "app/session/Autostart.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace tern::app::session;

class TestAppSettings : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void settingsSurviveARestart();
    void autostartEntryIsWrittenAndRemoved();
    void accountKeysAreSafeFileNames();
    void profileIsTheOwnersOnly();

private:
    QTemporaryDir m_config;
};

void TestAppSettings::initTestCase()
{
    QVERIFY(m_config.isValid());
    // Never touch the real user's autostart folder.
    qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
}

void TestAppSettings::settingsSurviveARestart()
{
    QTemporaryDir profile;
    {
        AppSettings settings(profile.path());
        QCOMPARE(settings.closeToTray(), true); // the default keeps notifications coming
        QCOMPARE(settings.language(), QString());
        QSignalSpy changed(&settings, &AppSettings::changed);
        settings.setCloseToTray(false);
        settings.setHidePreviews(true);
        settings.setLanguage(QStringLiteral("de"));
        settings.setLastAccount(QStringLiteral("host_7070_ada"));
        settings.setHidePreviews(true); // unchanged: no signal
        QCOMPARE(changed.size(), 4);
        QVERIFY(settings.accountsDir().startsWith(profile.path()));
        QVERIFY(settings.hostedServerDir().startsWith(profile.path()));
    }
    AppSettings again(profile.path());
    QCOMPARE(again.closeToTray(), false);
    QCOMPARE(again.hidePreviews(), true);
    QCOMPARE(again.language(), QStringLiteral("de"));
    QCOMPARE(again.lastAccount(), QStringLiteral("host_7070_ada"));
}

void TestAppSettings::autostartEntryIsWrittenAndRemoved()
{
    const QString path = Autostart::desktopEntryPath();
    QVERIFY2(path.startsWith(m_config.path()), qPrintable(path));
    QVERIFY(!Autostart::isEnabled());
    QVERIFY(Autostart::setEnabled(true, QStringLiteral("/opt/tern/bin/tern"),
                                  {QStringLiteral("--minimized"), QStringLiteral("--profile"),
                                   QStringLiteral("/home/a b/tern")}));
    QVERIFY(Autostart::isEnabled());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString entry = QString::fromUtf8(file.readAll());
    QVERIFY(entry.startsWith(QStringLiteral("[Desktop Entry]")));
    // Arguments with spaces stay one argument.
    QVERIFY2(entry.contains(QStringLiteral(
                 "Exec=\"/opt/tern/bin/tern\" \"--minimized\" \"--profile\" \"/home/a b/tern\"")),
             qPrintable(entry));
    file.close();
    QVERIFY(Autostart::setEnabled(false, QString(), {}));
    QVERIFY(!Autostart::isEnabled());
    QVERIFY(Autostart::setEnabled(false, QString(), {})); // removing twice is fine
}

void TestAppSettings::accountKeysAreSafeFileNames()
{
    QCOMPARE(AccountSession::accountKey(QUrl(QStringLiteral("ws://chat.office.lan:7070/ws")),
                                        QStringLiteral("Ada")),
             QStringLiteral("chat.office.lan_7070_ada"));
    const QString hostile = AccountSession::accountKey(QUrl(QStringLiteral("ws://[::1]:9000/ws")),
                                                       QStringLiteral("../../etc/passwd"));
    QVERIFY(!hostile.contains(QLatin1Char('/')));
    QVERIFY(!hostile.contains(QLatin1Char(':')));
}

// The profile holds the session token when there is no keychain, and the pinned certificates:
// with the usual umask 022 it was readable (and its pins replaceable) by every local user.
void TestAppSettings::profileIsTheOwnersOnly()
{
    constexpr QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                          QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    QTemporaryDir root;
    const QString fresh = root.filePath(QStringLiteral("fresh/profile"));
    AppSettings settings(fresh);
    QVERIFY(QFile::exists(fresh));
    QCOMPARE(QFile::permissions(fresh) & others, QFile::Permissions());
    QVERIFY(QFile::permissions(fresh) & QFile::WriteOwner);

    // A profile an older version left open is tightened on the next start.
    const QString old = root.filePath(QStringLiteral("old"));
    QVERIFY(QDir().mkpath(old));
    QVERIFY(QFile::setPermissions(old, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                           QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                           QFile::ExeOther));
    QVERIFY(QFile::permissions(old) & others);
    AppSettings again(old);
    QCOMPARE(QFile::permissions(old) & others, QFile::Permissions());
}

QTEST_GUILESS_MAIN(TestAppSettings)
#include "tst_appsettings.moc"
