// tern: the desktop app. Options pick the profile (everything one instance keeps) and how a
// hosted server runs; see --help.

#include "app/session/AppSettings.h"
#include "app/session/ProfileLock.h"
#include "app/ui/AppController.h"
#include "shared/crypto/Crypto.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QStandardPaths>

using tern::app::ui::AppController;
using tern::app::ui::AppOptions;

namespace {

struct CommandLine
{
    QCommandLineOption profile;
    QCommandLineOption minimized;
    QCommandLineOption language;
    QCommandLineOption hostPort;
};

CommandLine addCommandLine(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Tern: chat for your office network."));
    parser.addHelpOption();
    parser.addVersionOption();
    CommandLine line{
        QCommandLineOption(QStringLiteral("profile"),
                           QCoreApplication::translate(
                               "main",
                               "Folder for settings, caches and a hosted server (default: the "
                               "app-data folder)."),
                           QCoreApplication::translate("main", "dir")),
        QCommandLineOption(
            QStringLiteral("minimized"),
            QCoreApplication::translate("main", "Start in the tray without showing the window.")),
        QCommandLineOption(
            QStringLiteral("lang"),
            QCoreApplication::translate("main", "Language (e.g. de, en); overrides the setting."),
            QCoreApplication::translate("main", "code")),
        QCommandLineOption(QStringLiteral("host-port"),
                           QCoreApplication::translate(
                               "main", "Port of a server hosted by this app (default 7070)."),
                           QCoreApplication::translate("main", "port"), QStringLiteral("7070")),
    };
    parser.addOptions({line.profile, line.minimized, line.language, line.hostPort});
    return line;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Tern"));
    QApplication::setOrganizationName(QStringLiteral("Tern"));
    QApplication::setApplicationVersion(QStringLiteral(TERN_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/tern/icons/tern.svg")));
    QApplication::setQuitOnLastWindowClosed(false); // the tray keeps Tern running

    // Translations first, so `--help` speaks the user's language: a first pass finds --lang
    // and --profile (whose settings name a language), then the real parser is built translated.
    QString profileDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    {
        QCommandLineParser first;
        const CommandLine peek = addCommandLine(first);
        first.parse(QCoreApplication::arguments()); // errors are reported by the real pass
        if (first.isSet(peek.profile))
            profileDir = first.value(peek.profile);
        QString language = first.value(peek.language);
        // AppSettings creates the profile folder: `--help` alone must not.
        if (language.isEmpty() && QDir(profileDir).exists())
            language = tern::app::session::AppSettings(profileDir).language();
        AppController::installTranslations(language);
    }
    QCommandLineParser parser;
    const CommandLine commandLine = addCommandLine(parser);
    parser.process(app);

    if (!tern::crypto::initialize())
        return 1;
    AppOptions options;
    options.profileDir = profileDir;
    options.minimized = parser.isSet(commandLine.minimized);
    bool portOk = false;
    const uint port = parser.value(commandLine.hostPort).toUInt(&portOk);
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

    AppController controller(options);
    QObject::connect(&lock, &tern::app::session::ProfileLock::activationRequested, &controller,
                     [&controller] {
                         qInfo("A second launch on this profile: showing the window.");
                         controller.showWindow();
                     });
    controller.start();
    return app.exec();
}
