// tern-bench: load scenarios against a real ternd, printing a table and writing JSON.
//   tern-bench group  --members 500 --messages 100 --rate 20 [--direct-rate 200 --pairs 10]
//   tern-bench direct --pairs 50 --rate 2000 --duration 10
//   tern-bench sync   --backlog 10000
//   tern-bench crash  --kills 10 [--signal kill|term]
//   tern-bench diskfull
//   tern-bench media  --size-mib 100
//   tern-bench connections --clients 15000 [--procs 2]
//   tern-bench storm  --clients 15000 [--procs 2]
//   tern-bench direct --search --pairs 50 --duration 5
//   tern-bench hostile --clients 1000 --duration 30

#include "server/net/EpollDispatcher.h"
#include "tests/bench/BenchEnv.h"
#include "tests/bench/Scenarios.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>

using namespace tern::bench;

int main(int argc, char *argv[])
{
    // A fleet worker holds thousands of sockets and a group run 500: Qt's dispatchers would poll
    // them all on each turn, and the bench, not the server, would be what is measured.
    QCoreApplication::setEventDispatcher(new tern::server::net::EpollDispatcher);
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Tern load generator. Scenarios: group, direct, sync, crash, media, "
                       "diskfull, connections, storm, hostile, search."));
    parser.addHelpOption();
    parser.addPositionalArgument("scenario", "group | direct | sync | crash | media");
    const QString defaultTernd =
        QFileInfo(QCoreApplication::applicationDirPath() + "/../../server/ternd")
            .absoluteFilePath();
    parser.addOptions({
        {"ternd", "ternd binary to start (default: the build's).", "path", defaultTernd},
        {"url", "Use a running server instead of starting one.", "url"},
        {"members", "group: members including the sender.", "n", "500"},
        {"messages", "group: messages to send.", "n", "100"},
        {"rate", "Messages per second (group: into the group; direct: in total).", "r", "20"},
        {"direct-rate", "group: also run 1:1 pairs at this rate.", "r", "0"},
        {"pairs", "direct: sender/receiver pairs.", "n", "10"},
        {"duration", "direct, hostile: seconds.", "s", "10"},
        {"backlog", "sync: offline backlog size; search: messages seeded.", "n", "10000"},
        {"kills", "crash: how many times to SIGKILL and restart ternd.", "n", "10"},
        {"signal", "crash: kill (SIGKILL) or term (SIGTERM, must exit cleanly).", "sig", "kill"},
        {"size-mib", "media: size of each file.", "n", "100"},
        {"clients", "connections, storm: sessions; hostile: attacking sockets.", "n", "1000"},
        {"procs", "connections, storm: worker processes (at most 9,000 sessions each).", "n", "0"},
        {"search", "direct: step the rate up to the highest with p99 < 100 ms."},
        {"json", "Write the result here.", "file"},
        {"tls", "Let ternd serve wss:// with its own certificate (default: --no-tls)."},
    });
    parser.process(app);
    const QString scenario = parser.positionalArguments().value(0);
    QTextStream err(stderr);

    BenchEnv env;
    env.setTls(parser.isSet("tls"));
    if (!BenchEnv::trustCaFromEnvironment()) {
        err << "tern-bench: cannot read " << qEnvironmentVariable(BenchEnv::kCaVariable) << "\n";
        return 2;
    }
    if (parser.isSet("url")) {
        env.useServer(QUrl(parser.value("url")));
    } else if (!env.startServer(parser.value("ternd"),
                                // Attackers come from 127.0.0.2..: limits per address apply.
                                scenario == "hostile" ? QStringList{"--limit-loopback"}
                                : scenario == "search"
                                    ? QStringList{"--searches-per-minute", "1000000"}
                                    : QStringList{})) {
        err << "tern-bench: cannot start " << parser.value("ternd") << "\n";
        return 2;
    }
    QJsonObject result;
    int rc = 2;
    if (scenario == "group")
        rc = runGroup(env, parser, &result);
    else if (scenario == "direct")
        rc = runDirect(env, parser, &result);
    else if (scenario == "sync")
        rc = runSync(env, parser, &result);
    else if (scenario == "crash")
        rc = runCrash(env, parser, &result);
    else if (scenario == "media")
        rc = runMedia(env, parser, &result);
    else if (scenario == "diskfull")
        rc = runDiskFull(env, parser, &result);
    else if (scenario == "connections")
        rc = runConnections(env, parser, &result);
    else if (scenario == "storm")
        rc = runStorm(env, parser, &result);
    else if (scenario == "hostile")
        rc = runHostile(env, parser, &result);
    else if (scenario == "search")
        rc = runSearch(env, parser, &result);
    else if (scenario == "worker") // hidden: one process of a connections/storm fleet
        rc = runWorker(env, parser, &result);
    else
        err << "tern-bench: unknown scenario '" << scenario
            << "' (group, direct, sync, crash, media, diskfull, connections, storm, hostile)\n";
    if (parser.isSet("json")) {
        QFile file(parser.value("json"));
        if (file.open(QIODevice::WriteOnly))
            file.write(QJsonDocument(result).toJson());
    }
    return rc;
}
