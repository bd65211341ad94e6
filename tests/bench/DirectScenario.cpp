#include "tests/bench/Scenarios.h"
#include "tests/bench/Stats.h"

#include <QJsonDocument>
#include <QSet>
#include <QTextStream>
#include <QTimer>

namespace tern::bench {

DirectLoad driveDirect(std::vector<std::unique_ptr<BenchClient>> &clients, double rate,
                       int durationMs, Stats &latency, const std::function<void()> &tick)
{
    DirectLoad load;
    const std::size_t pairs = clients.size() / 2;
    const qint64 total = qint64(rate * durationMs / 1000.0);
    // Sized up front: growing a 262,144-entry set rehashes it at once, and that pause (about
    // 100 ms) stopped the bench's own sending and reading in 30 s runs at 10,000 msg/s.
    QSet<QString> seen;
    seen.reserve(total);
    for (std::size_t p = 0; p < pairs; ++p) {
        BenchClient *receiver = clients[2 * p + 1].get();
        receiver->onRawMessage = [&](const QString &frame) {
            const qint64 at = nowNs();
            const QString id = rawField(frame, QLatin1StringView("conversation")).toString() +
                               rawField(frame, QLatin1StringView("seq")).toString();
            if (seen.contains(id)) {
                ++load.duplicates;
                return;
            }
            seen.insert(id);
            ++load.received;
            const qint64 scheduled = rawField(frame, QLatin1StringView("content")).toLongLong();
            latency.add(double(at - scheduled) / 1000.0);
        };
    }
    // Open loop: message k is due at start + k / rate, whatever the server is doing, and its
    // latency counts from then, so a stalled server cannot hide its delay.
    const qint64 start = nowNs();
    const double intervalNs = 1e9 / rate;
    qint64 next = 0;
    QTimer pump;
    pump.setInterval(1);
    QObject::connect(&pump, &QTimer::timeout, [&] {
        const qint64 now = nowNs();
        while (next < total && start + qint64(double(next) * intervalNs) <= now) {
            const qint64 scheduled = start + qint64(double(next) * intervalNs);
            BenchClient *sender = clients[2 * std::size_t(next % qint64(pairs))].get();
            BenchClient *receiver = clients[2 * std::size_t(next % qint64(pairs)) + 1].get();
            sender->request(QJsonObject{{"type", "message"},
                                        {"to", receiver->userId},
                                        {"kind", "text"},
                                        {"content", QString::number(scheduled)}},
                            [&load, scheduled](const QJsonObject &r) {
                                if (r.value("type").toString() != QLatin1String("ack"))
                                    return;
                                ++load.acked;
                                load.ackLatency.add(double(nowNs() - scheduled) / 1000.0);
                            });
            ++next;
        }
        load.sent = next;
        if (tick)
            tick();
    });
    pump.start();
    spinUntil([&] { return next >= total; }, durationMs + 60'000);
    const double elapsed = double(nowNs() - start) / 1e9;
    pump.stop();
    spinUntil([&] { return load.received + 0 >= total && load.acked >= total; }, 30'000);
    load.achievedRate = double(load.sent) / elapsed;
    for (std::size_t p = 0; p < pairs; ++p)
        clients[2 * p + 1]->onRawMessage = nullptr;
    return load;
}

int runDirect(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result)
{
    if (args.isSet("search"))
        return runDirectSearch(env, args, result);
    QTextStream out(stdout);
    const int pairs = args.value("pairs").toInt();
    const double rate = args.value("rate").toDouble();
    const int durationMs = int(args.value("duration").toDouble() * 1000);
    auto clients = env.makeUsers(pairs * 2, QStringLiteral("d%1-").arg(nowNs() % 100000));
    if (clients.empty()) {
        out << "could not create " << pairs * 2 << " users\n";
        return 1;
    }
    const double serverCpu0 = env.serverCpuSeconds();
    const double ownCpu0 = BenchEnv::ownCpuSeconds();
    const qint64 wall0 = nowNs();
    Stats latency;
    DirectLoad load = driveDirect(clients, rate, durationMs, latency);
    const qint64 lost = load.sent - load.received;
    const double wall = double(nowNs() - wall0) / 1e9;
    const double serverCpu = (env.serverCpuSeconds() - serverCpu0) / wall;
    const double ownCpu = (BenchEnv::ownCpuSeconds() - ownCpu0) / wall;
    out << "direct: " << pairs << " pairs, target " << rate << " msg/s for " << durationMs / 1000.0
        << " s\n"
        << "  achieved  " << QString::number(load.achievedRate, 'f', 0) << " msg/s, sent "
        << load.sent << ", acked " << load.acked << ", received " << load.received << "\n"
        << "  latency   " << latency.summary() << "\n"
        << "  ack       " << load.ackLatency.summary() << "\n"
        << "  lost " << lost << ", duplicated " << load.duplicates << ", server RSS "
        << env.serverRssKiB() / 1024.0 << " MiB\n"
        << "  CPU (cores busy): server " << QString::number(serverCpu, 'f', 2) << ", tern-bench "
        << QString::number(ownCpu, 'f', 2) << "\n";
    *result = QJsonObject{{"scenario", "direct"},
                          {"pairs", pairs},
                          {"target_rate", rate},
                          {"duration_s", durationMs / 1000.0},
                          {"achieved_rate", load.achievedRate},
                          {"sent", double(load.sent)},
                          {"acked", double(load.acked)},
                          {"received", double(load.received)},
                          {"lost", double(lost)},
                          {"duplicated", double(load.duplicates)},
                          {"latency", latency.json()},
                          {"ack_latency", load.ackLatency.json()},
                          {"server_rss_kib", double(env.serverRssKiB())},
                          {"server_cpu_cores", serverCpu},
                          {"bench_cpu_cores", ownCpu}};
    return lost == 0 && load.duplicates == 0 ? 0 : 1;
}

} // namespace tern::bench
