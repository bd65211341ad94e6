// tern-bench direct --search: the highest 1:1 rate whose p99 stays under 100 ms. Steps the rate
// up with short open-loop runs (driveDirect) on the same users and stops at the first step that
// misses: p99 too high, a message lost, or the bench unable to send at the asked rate.

#include "tests/bench/Scenarios.h"
#include "tests/bench/Stats.h"

#include <QJsonArray>
#include <QTextStream>

namespace tern::bench {

namespace {
constexpr double kP99LimitMs = 100;
// Below this share of the asked rate the sender fell behind: the step says nothing.
constexpr double kMinAchievedShare = 0.95;
constexpr int kSettleMs = 1000;
} // namespace

int runDirectSearch(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result)
{
    QTextStream out(stdout);
    const int pairs = args.value("pairs").toInt();
    const int durationMs = int(args.value("duration").toDouble() * 1000);
    const QList<double> rates{1000, 2000, 4000, 6000, 8000, 10000, 12000, 15000, 20000, 25000};
    auto clients = env.makeUsers(pairs * 2, QStringLiteral("m%1-").arg(nowNs() % 100000));
    if (clients.empty()) {
        out << "direct --search: could not create " << pairs * 2 << " users\n";
        return 1;
    }
    out << "direct --search: " << pairs << " pairs, " << durationMs / 1000.0
        << " s a step, pass = p99 < " << kP99LimitMs << " ms, nothing lost\n"
        << "  rate    achieved  p50 ms   p99 ms   p99.9 ms  lost  server cores  bench cores\n";
    QJsonArray steps;
    double best = 0;
    for (const double rate : rates) {
        const double server0 = env.serverCpuSeconds();
        const double own0 = BenchEnv::ownCpuSeconds();
        const qint64 wall0 = nowNs();
        Stats latency;
        const DirectLoad load = driveDirect(clients, rate, durationMs, latency);
        const double wall = double(nowNs() - wall0) / 1e9;
        const double serverCores = (env.serverCpuSeconds() - server0) / wall;
        const double benchCores = (BenchEnv::ownCpuSeconds() - own0) / wall;
        const qint64 lost = load.sent - load.received;
        const double p99 = latency.percentile(99) / 1000.0;
        const bool pass = p99 < kP99LimitMs && lost == 0 && load.duplicates == 0 &&
                          load.achievedRate >= kMinAchievedShare * rate;
        out << QStringLiteral("  %1  %2  %3  %4  %5  %6  %7  %8  %9\n")
                   .arg(rate, 6, 'f', 0)
                   .arg(load.achievedRate, 8, 'f', 0)
                   .arg(latency.percentile(50) / 1000.0, 7, 'f', 1)
                   .arg(p99, 7, 'f', 1)
                   .arg(latency.percentile(99.9) / 1000.0, 8, 'f', 1)
                   .arg(lost, 5)
                   .arg(serverCores, 12, 'f', 2)
                   .arg(benchCores, 11, 'f', 2)
                   .arg(pass ? QStringLiteral("pass") : QStringLiteral("MISS"))
            << Qt::flush;
        QJsonObject step{{"rate", rate},
                         {"achieved_rate", load.achievedRate},
                         {"latency", latency.json()},
                         {"lost", double(lost)},
                         {"duplicated", double(load.duplicates)},
                         {"server_cpu_cores", serverCores},
                         {"bench_cpu_cores", benchCores},
                         {"pass", pass}};
        steps.append(step);
        if (!pass)
            break;
        best = rate;
        spinUntil([] { return false; }, kSettleMs);
    }
    out << "  highest rate with p99 < " << kP99LimitMs << " ms: " << best
        << " msg/s   target >= 10000\n";
    *result = QJsonObject{{"scenario", "direct-search"},
                          {"pairs", pairs},
                          {"step_duration_s", durationMs / 1000.0},
                          {"steps", steps},
                          {"highest_passing_rate", best},
                          {"server_rss_kib", double(env.serverRssKiB())}};
    return best > 0 ? 0 : 1;
}

} // namespace tern::bench
