// tern-bench connections: N authenticated idle sessions held by several worker processes; the
// server's memory per connection, logins per second, and its file descriptors.

#include "tests/bench/Fleet.h"
#include "tests/bench/Scenarios.h"

#include <QJsonArray>
#include <QTextStream>

namespace tern::bench {

int runConnections(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result)
{
    QTextStream out(stdout);
    const int clients = args.value("clients").toInt();
    Fleet fleet;
    if (const int failed =
            startFleet(env, fleet, "connections", clients, args.value("procs").toInt(), out))
        return failed;
    const int procs = fleet.size();
    const IdleSessions s = establishIdleSessions(env, fleet, clients, out);
    QJsonArray phases;
    for (const PhaseResult &p : s.phases)
        phases.append(p.json());
    const double perConnection = double(s.rssAuthedKiB - s.rssBeforeKiB) * 1024 / clients;
    const double perSocket = double(s.rssConnectedKiB - s.rssBeforeKiB) * 1024 / clients;
    if (s.ok) {
        out << "  server RSS: " << QString::number(s.rssBeforeKiB / 1024.0, 'f', 1)
            << " MiB fresh, " << QString::number(s.rssConnectedKiB / 1024.0, 'f', 1)
            << " MiB with every socket open, " << QString::number(s.rssAuthedKiB / 1024.0, 'f', 1)
            << " MiB with every session authenticated and idle\n"
            << "  per connection: " << QString::number(perConnection / 1000.0, 'f', 2)
            << " KB authenticated (" << QString::number(perSocket / 1000.0, 'f', 2)
            << " KB of it for the open WebSocket)   target <= 12 KB\n"
            << "  server fds: " << s.fdsBefore << " -> " << s.fdsAfter << "\n";
    }
    *result = QJsonObject{{"scenario", "connections"},
                          {"clients", clients},
                          {"procs", procs},
                          {"ok", s.ok},
                          {"phases", phases},
                          {"server_rss_before_kib", double(s.rssBeforeKiB)},
                          {"server_rss_connected_kib", double(s.rssConnectedKiB)},
                          {"server_rss_authed_kib", double(s.rssAuthedKiB)},
                          {"bytes_per_connection", perConnection},
                          {"bytes_per_open_socket", perSocket},
                          {"server_fds_before", s.fdsBefore},
                          {"server_fds_after", s.fdsAfter}};
    return s.ok ? 0 : 1;
}

} // namespace tern::bench
