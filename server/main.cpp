// ternd: composition root. Parses flags and the config file, builds the server, wires
// SIGTERM/SIGINT to a graceful shutdown, or runs an admin command.

#include "server/ServerApp.h"
#include "server/admin/AdminCli.h"
#include "server/config/ConfigLoader.h"
#include "server/tls/ServerCertificate.h"
#include "server/tls/TlsCli.h"
#ifdef Q_OS_LINUX
#include "server/net/EpollDispatcher.h"
#endif

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QSslSocket>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &byte, 1);
}

void installSignalHandlers()
{
    ::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe);
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}
} // namespace

int main(int argc, char *argv[])
{
#ifdef Q_OS_LINUX
    // With thousands of sessions Qt's default dispatchers poll every socket on every event
    // (docs/benchmarks.md: a 15,000-client reconnect storm took 4x the CPU). TERND_EVENT_LOOP=qt
    // keeps Qt's own, for comparison.
    if (qgetenv("TERND_EVENT_LOOP") != "qt")
        QCoreApplication::setEventDispatcher(new tern::server::net::EpollDispatcher);
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ternd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TERN_VERSION));
    // Qt's Schannel (Windows) and Secure Transport (macOS) backends serve a key only by wrapping
    // it in PKCS#12, which they build for RSA/DSA keys only: ternd's own P-256 key needs Qt's
    // OpenSSL backend (already the default on Linux). Chosen before any TLS object exists.
    if (QSslSocket::availableBackends().contains(QLatin1String("openssl")))
        QSslSocket::setActiveBackend(QStringLiteral("openssl"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Tern chat server.\n\n"
        "  ternd [options]                      serve clients on wss://ADDR:PORT/ws\n"
        "  ternd user add NAME [--display-name N]   add an account (password read from stdin)\n"
        "  ternd user passwd NAME               set a new password (read from stdin)\n"
        "  ternd user disable|enable NAME       lock or unlock an account\n"
        "  ternd user list                      list accounts\n"
        "  ternd fingerprint                    print the TLS certificate's fingerprint\n"
        "  ternd tls regenerate                 replace the certificate (server stopped)\n\n"
        "Every option but --data-dir and --config can also be set in the config file as\n"
        "key=value (keys: bind, port, registration, password_cost, tls_cert, tls_key, no_tls,\n"
        "idle_timeout, send_queue_limit, max_connections, group_member_limit, announce,\n"
        "announce_address, announce_port, server_name)."));
    parser.addHelpOption();
    parser.addVersionOption();
    tern::server::ConfigLoader::addOptions(parser);
    parser.addOption(QCommandLineOption(QStringLiteral("display-name"),
                                        QStringLiteral("Display name for `ternd user add`."),
                                        QStringLiteral("name")));
    parser.addPositionalArgument(
        QStringLiteral("command"),
        QStringLiteral("Optional command: user ..., fingerprint, tls regenerate"));
    parser.process(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    const QStringList positional = parser.positionalArguments();
    // `ternd fingerprint --tls-cert FILE` needs no key (ConfigLoader would insist on one).
    if (positional == QStringList{QStringLiteral("fingerprint")} &&
        parser.isSet(QStringLiteral("tls-cert")))
        return tern::server::tls::TlsCli(out, err).fingerprint(
            parser.value(QStringLiteral("tls-cert")));
    auto config = tern::server::ConfigLoader::load(parser);
    if (!config) {
        err << "ternd: " << config.error().message << "\n";
        return 2;
    }

    if (positional == QStringList{QStringLiteral("fingerprint")}) {
        const QString certFile =
            config->tlsCertFile.isEmpty()
                ? tern::server::tls::ServerCertificate::certPath(config->dataDir)
                : config->tlsCertFile;
        return tern::server::tls::TlsCli(out, err).fingerprint(certFile);
    }
    if (positional == QStringList{QStringLiteral("tls"), QStringLiteral("regenerate")})
        return tern::server::tls::TlsCli(out, err).regenerate(config->dataDir, config->serverName);
    if (!positional.isEmpty()) {
        if (positional.first() != QLatin1String("user")) {
            err << "ternd: unknown command " << positional.first() << " (see ternd --help)\n";
            return 2;
        }
        QTextStream in(stdin);
        tern::server::AdminCli cli(*config, in, out, err);
        return cli.run(positional.mid(1), parser.value(QStringLiteral("display-name")));
    }

    installSignalHandlers();
    tern::server::ServerApp server(*config);
    if (tern::Status started = server.start(); !started) {
        err << "ternd: " << started.error().message << "\n";
        return 1;
    }
    QSocketNotifier signalNotifier(g_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &server, [&] {
        char byte = 0;
        [[maybe_unused]] const auto n = ::read(g_signalPipe[0], &byte, 1);
        server.shutdown();
    });
    QObject::connect(&server, &tern::server::ServerApp::stopped, &app, &QCoreApplication::quit);

    const QString host = config->bind.toString();
    out << "ternd listening on " << (server.secure() ? "wss" : "ws") << "://" << host << ":"
        << server.port() << "/ws (data: " << config->dataDir << ")\n"
        << Qt::flush;
    return app.exec();
}
