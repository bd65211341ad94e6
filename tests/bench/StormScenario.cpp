// tern-bench storm: N idle authenticated sessions; ternd is stopped gracefully (SIGTERM) and
// started again on the same data dir; every client comes back at once with its token (`auth`,
// then `sync`). Timed from the moment the new ternd listens.

#include "tests/bench/Fleet.h"
#include "tests/bench/Scenarios.h"

#include <QJsonArray>
#include <QTextStream>

namespace tern::bench {

int runStorm(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result)
{
    QTextStream out(stdout);
    const int clients = args.value("clients").toInt();
    Fleet fleet;
    if (const int failed =
            startFleet(env, fleet, "storm", clients, args.value("procs").toInt(), out))
        return failed;
    const int procs = fleet.size();
    const IdleSessions s = establishIdleSessions(env, fleet, clients, out);
    if (!s.ok) {
        out << "storm: could not establish the sessions\n";
        return 1;
    }
    qint64 stopMs = 0;
    const bool clean = env.terminateServer(15'000, &stopMs);
    const qint64 startAt = nowNs();
    if (!env.restartServer()) {
        out << "storm: cannot restart ternd\n";
        return 1;
    }
    const qint64 listeningAt = nowNs();
    const double server0 = env.serverCpuSeconds();
    const QString url = env.url().toString();
    const std::vector<Fleet::Reply> replies =
        fleet.run([&](int) { return QStringLiteral("storm ") + url; }, 180'000);
    const double serverCpu = env.serverCpuSeconds() - server0;
    auto sum = [&](const char *key) { return qint64(Fleet::sum(replies, QLatin1String(key))); };
    const qint64 authed = sum("authed");
    const qint64 synced = sum("ok");
    const qint64 failures = sum("auth_fail") + sum("sync_fail") + sum("gave_up");
    const double toAuthed =
        double(qint64(Fleet::max(replies, QStringLiteral("last_auth_ns"))) - listeningAt) / 1e9;
    const double toSynced =
        double(qint64(Fleet::max(replies, QStringLiteral("last_sync_ns"))) - listeningAt) / 1e9;
    const bool ok = clean && authed == clients && synced == clients && failures == 0;
    out << "  SIGTERM -> exit " << stopMs << " ms (" << (clean ? "clean" : "NOT CLEAN")
        << "), start -> listening " << (listeningAt - startAt) / 1'000'000 << " ms\n"
        << "  all " << clients << " authenticated after " << QString::number(toAuthed, 'f', 2)
        << " s, all synced after " << QString::number(toSynced, 'f', 2) << " s   target < 10 s\n"
        << "  authenticated " << authed << ", synced " << synced << ", failures " << failures
        << ", connection retries " << sum("retries") << ", server CPU "
        << QString::number(serverCpu, 'f', 2) << " s, server RSS "
        << QString::number(env.serverRssKiB() / 1024.0, 'f', 1) << " MiB\n";
    QJsonArray phases;
    for (const PhaseResult &p : s.phases)
        phases.append(p.json());
    *result = QJsonObject{{"scenario", "storm"},
                          {"clients", clients},
                          {"procs", procs},
                          {"ok", ok},
                          {"setup_phases", phases},
                          {"stop_ms", double(stopMs)},
                          {"clean_stop", clean},
                          {"start_ms", double(listeningAt - startAt) / 1e6},
                          {"seconds_to_all_authed", toAuthed},
                          {"seconds_to_all_synced", toSynced},
                          {"authed", double(authed)},
                          {"synced", double(synced)},
                          {"failures", double(failures)},
                          {"retries", double(sum("retries"))},
                          {"server_cpu_s", serverCpu},
                          {"server_rss_kib", double(env.serverRssKiB())}};
    return ok ? 0 : 1;
}

} // namespace tern::bench
