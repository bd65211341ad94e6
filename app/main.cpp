// tern: the desktop app. Options pick the profile (everything one instance keeps) and how a
// hosted server runs; see --help.

#include "app/session/AppSettings.h"
#include "app/session/ProfileLock.h"
#include "app/ui/AppController.h"
#include "shared/crypto/Crypto.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QStandardPaths>

using tern::app::ui::AppController;
using tern::app::ui::AppOptions;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Tern"));
    QApplication::setOrganizationName(QStringLiteral("Tern"));
    QApplication::setApplicationVersion(QStringLiteral(TERN_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/tern/icons/tern.svg")));
    QApplication::setQuitOnLastWindowClosed(false); // the tray keeps Tern running

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tern: chat for your office network."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption profile(QStringLiteral("profile"),
                               QStringLiteral("Folder for settings, caches and a hosted server "
                                              "(default: the app-data folder)."),
                               QStringLiteral("dir"));
    QCommandLineOption minimized(QStringLiteral("minimized"),
                                 QStringLiteral("Start in the tray without showing the window."));
    QCommandLineOption language(QStringLiteral("lang"),
                                QStringLiteral("Language (e.g. de, en); overrides the setting."),
                                QStringLiteral("code"));
    QCommandLineOption hostPort(
        QStringLiteral("host-port"),
        QStringLiteral("Port of a server hosted by this app (default 7070)."),
        QStringLiteral("port"), QStringLiteral("7070"));
    parser.addOptions({profile, minimized, language, hostPort});
    parser.process(app);

    if (!tern::crypto::initialize())
        return 1;
    AppOptions options;
    options.profileDir = parser.isSet(profile)
                             ? parser.value(profile)
                             : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    options.minimized = parser.isSet(minimized);
    bool portOk = false;
    const uint port = parser.value(hostPort).toUInt(&portOk);
    if (!portOk || port == 0 || port > 65535) {
        qCritical("--host-port must be a number from 1 to 65535");
        return 2;
    }
    options.hostPort = quint16(port);

    // One app per profile: a second launch shows the running app's window and ends.
    tern::app::session::ProfileLock lock(options.profileDir);
    if (!lock.acquire()) {
        if (tern::app::session::ProfileLock::activateRunning(options.profileDir)) {
            qInfo("Tern is already running with this profile: its window was shown.");
            return 0;
        }
        qCritical("The profile %s is in use by another Tern that does not answer.",
                  qPrintable(options.profileDir));
        return 3;
    }

    {
        tern::app::session::AppSettings settings(options.profileDir);
        AppController::installTranslations(parser.isSet(language) ? parser.value(language)
                                                                  : settings.language());
    }
    AppController controller(options);
    QObject::connect(&lock, &tern::app::session::ProfileLock::activationRequested, &controller,
                     [&controller] {
                         qInfo("A second launch on this profile: showing the window.");
                         controller.showWindow();
                     });
    controller.start();
    return app.exec();
}
