// tern-bench crash: mixed 1:1 + group load while ternd is stopped at random moments and
// restarted; clients reconnect, sync and re-send their outboxes with the original ids. At the end
// every acked message must be in history exactly once, at its acked seq, with gap-free seqs, and
// on every member's device.
//   --signal kill (default): SIGKILL, no shutdown at all; SQLite's WAL must recover.
//   --signal term: SIGTERM; ternd must finish its commits, close sessions and exit with status 0
//                  within 5 s, every time.

#include "tests/bench/OutboxFleet.h"
#include "tests/bench/Scenarios.h"

#include <QRandomGenerator>
#include <QTextStream>
#include <QTimer>

namespace tern::bench {

namespace {
// Generous for a loaded 2-core machine: a graceful stop waits for the last group commit (one
// fsync) and for the clients' close handshakes (at most 3 s inside ternd).
constexpr int kTermTimeoutMs = 5'000;
} // namespace

int runCrash(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result)
{
    QTextStream out(stdout);
    const int kills = args.value("kills").toInt();
    const QString signalName =
        args.value("signal").isEmpty() ? QStringLiteral("kill") : args.value("signal");
    if (signalName != QLatin1String("kill") && signalName != QLatin1String("term")) {
        out << "crash: --signal must be kill or term\n";
        return 2;
    }
    const bool graceful = signalName == QLatin1String("term");
    const int users = 6;
    OutboxFleet fleet(env);
    if (!fleet.setUp(users, QStringLiteral("k%1-").arg(nowNs() % 100000)) || !fleet.connectAll())
        return 1;

    int killed = 0;
    int uncleanExits = 0;
    int notGoingAway = 0; // sessions a graceful stop did not close with 1001
    qint64 slowestStopMs = 0;
    QRandomGenerator rng(20261128);
    while (killed < kills) {
        fleet.resendAll();
        const qint64 until = nowNs() + qint64(rng.bounded(500, 2000)) * 1'000'000;
        QTimer pump;
        pump.setInterval(5);
        QObject::connect(&pump, &QTimer::timeout, [&] {
            for (int i = 0; i < users; ++i)
                fleet.queueNew(i);
        });
        pump.start();
        spinUntil([&] { return nowNs() >= until; }, 5'000);
        pump.stop();
        if (graceful) {
            qint64 stopMs = 0;
            if (!env.terminateServer(kTermTimeoutMs, &stopMs)) {
                ++uncleanExits;
                out << "crash: ternd did not exit cleanly within " << kTermTimeoutMs
                    << " ms of SIGTERM " << killed + 1 << " (" << stopMs << " ms)\n";
            }
            slowestStopMs = std::max(slowestStopMs, stopMs);
            spinUntil(
                [&] {
                    for (const auto &d : fleet.devices)
                        if (!d.client->isClosed())
                            return false;
                    return true;
                },
                2'000);
            for (const auto &d : fleet.devices)
                if (d.client->closeCode() != QWebSocketProtocol::CloseCodeGoingAway)
                    ++notGoingAway;
        } else {
            env.killServer();
        }
        ++killed;
        if (!env.restartServer() || !fleet.connectAll()) {
            out << "crash: could not restart/reconnect after stop " << killed << "\n";
            return 1;
        }
    }
    fleet.drain(60'000);
    spinUntil([] { return false; }, 1'000); // let the last deliveries arrive

    const std::optional<OutboxFleet::Verdict> v = fleet.verify();
    if (!v)
        return 1;
    const bool ok = v->ok() && !uncleanExits && !notGoingAway;
    out << "crash: " << killed << (graceful ? " SIGTERMs" : " SIGKILLs")
        << " under mixed 1:1 + group load; " << fleet.sent << " sends, " << v->acked << " acked\n"
        << "  " << v->summary();
    if (graceful)
        out << ", unclean exits " << uncleanExits << ", slowest stop " << slowestStopMs
            << " ms, sessions not closed with 1001 " << notGoingAway;
    out << " -> " << (ok ? "OK" : "FAILED") << "\n";
    *result = QJsonObject{{"scenario", "crash"},
                          {"signal", signalName},
                          {"kills", killed},
                          {"sent", double(fleet.sent)},
                          {"unclean_exits", uncleanExits},
                          {"not_closed_1001", notGoingAway},
                          {"slowest_stop_ms", double(slowestStopMs)}};
    v->addTo(*result);
    return ok ? 0 : 1;
}

} // namespace tern::bench
