#include "tests/bench/Scenarios.h"
#include "tests/bench/Stats.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>
#include <QTimer>

namespace tern::bench {

int runGroup(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result)
{
    QTextStream out(stdout);
    const int members = args.value("members").toInt();
    const int messages = args.value("messages").toInt();
    const double rate = args.value("rate").toDouble();
    const double directRate = args.value("direct-rate").toDouble();
    const int pairs = directRate > 0 ? args.value("pairs").toInt() : 0;
    const QString prefix = QStringLiteral("g%1-").arg(nowNs() % 100000);

    auto clients = env.makeUsers(members, prefix);
    auto directClients = pairs > 0 ? env.makeUsers(pairs * 2, prefix + QStringLiteral("p"))
                                   : std::vector<std::unique_ptr<BenchClient>>{};
    if (clients.empty() || (pairs > 0 && directClients.empty())) {
        out << "could not create the users\n";
        return 1;
    }
    BenchClient *sender = clients.front().get();
    QJsonArray others;
    for (std::size_t i = 1; i < clients.size(); ++i)
        others.append(clients[i]->userId);

    // Everyone learns of the group from its "created" system message.
    int created = 0;
    QString conversation;
    for (auto &c : clients) {
        c->onMessage = [&](const QJsonObject &) { ++created; };
    }
    sender->request(
        QJsonObject{{"type", "create_group"}, {"name", "bench"}, {"members", others}},
        [&](const QJsonObject &r) { conversation = r.value("conversation").toString(); });
    if (!spinUntil([&] { return created == members && !conversation.isEmpty(); }, 60'000)) {
        out << "group creation did not reach every member (" << created << ")\n";
        return 1;
    }

    // Per message: when it was due, and when the last member got it.
    QHash<QString, qint64> due;
    QHash<QString, int> arrivals;
    QHash<QString, qint64> lastArrival;
    Stats perDelivery;
    qint64 deliveries = 0;
    for (std::size_t i = 1; i < clients.size(); ++i) {
        clients[i]->onRawMessage = [&](const QString &frame) {
            const qint64 at = nowNs();
            const QString id = rawField(frame, QLatin1StringView("id")).toString();
            const auto it = due.constFind(id);
            if (it == due.constEnd())
                return;
            ++deliveries;
            perDelivery.add(double(at - it.value()) / 1000.0);
            ++arrivals[id];
            lastArrival[id] = std::max(lastArrival.value(id), at);
        };
    }

    const double serverCpu0 = env.serverCpuSeconds();
    const double ownCpu0 = BenchEnv::ownCpuSeconds();
    const qint64 wall0 = nowNs();
    Stats direct;
    DirectLoad directLoad;
    const qint64 start = nowNs();
    const double intervalNs = 1e9 / rate;
    int sent = 0;
    auto pumpGroup = [&] {
        const qint64 now = nowNs();
        while (sent < messages && start + qint64(double(sent) * intervalNs) <= now) {
            const QString id = QStringLiteral("gm%1").arg(sent);
            due.insert(id, start + qint64(double(sent) * intervalNs));
            QJsonObject m{{"type", "message"},
                          {"id", id},
                          {"to", conversation},
                          {"kind", "text"},
                          {"content", QStringLiteral("group bench")}};
            sender->sendText(QString::fromUtf8(QJsonDocument(m).toJson(QJsonDocument::Compact)));
            ++sent;
        }
    };
    const int durationMs = int(double(messages) / rate * 1000.0);
    if (pairs > 0) {
        directLoad = driveDirect(directClients, directRate, durationMs, direct, pumpGroup);
    } else {
        QTimer pump;
        pump.setInterval(1);
        QObject::connect(&pump, &QTimer::timeout, pumpGroup);
        pump.start();
        spinUntil([&] { return sent >= messages; }, durationMs + 60'000);
    }
    const qint64 expected = qint64(messages) * (members - 1);
    // Waits as long as deliveries keep coming (a CI machine busy with builds fans out slowly);
    // 30 s without a single one means the rest are lost.
    spinWhileProgressing([&] { return deliveries >= expected; }, [&] { return deliveries; }, 30'000,
                         170'000);
    const double elapsed = double(nowNs() - start) / 1e9;

    Stats toLast;
    for (auto it = due.cbegin(); it != due.cend(); ++it) {
        if (arrivals.value(it.key()) == members - 1)
            toLast.add(double(lastArrival.value(it.key()) - it.value()) / 1000.0);
    }
    const qint64 lost = expected - deliveries;
    out << "group: " << members << " members, " << messages << " messages at " << rate << " msg/s\n"
        << "  send -> last of " << members - 1 << " recipients: " << toLast.summary() << "\n"
        << "  per delivery: " << perDelivery.summary() << "\n"
        << "  deliveries " << deliveries << " of " << expected << " (lost " << lost << "), "
        << QString::number(double(deliveries) / elapsed, 'f', 0) << " deliveries/s\n";
    if (pairs > 0)
        out << "  concurrent 1:1 (" << pairs << " pairs at " << directRate
            << " msg/s): " << direct.summary() << ", lost " << directLoad.sent - directLoad.received
            << "\n";
    const double wall = double(nowNs() - wall0) / 1e9;
    const double serverCpu = (env.serverCpuSeconds() - serverCpu0) / wall;
    const double ownCpu = (BenchEnv::ownCpuSeconds() - ownCpu0) / wall;
    out << "  server RSS " << env.serverRssKiB() / 1024.0 << " MiB; CPU (cores busy): server "
        << QString::number(serverCpu, 'f', 2) << ", tern-bench " << QString::number(ownCpu, 'f', 2)
        << "\n";
    *result = QJsonObject{{"scenario", "group"},
                          {"members", members},
                          {"messages", messages},
                          {"rate", rate},
                          {"to_last_member", toLast.json()},
                          {"per_delivery", perDelivery.json()},
                          {"deliveries", double(deliveries)},
                          {"lost", double(lost)},
                          {"deliveries_per_s", double(deliveries) / elapsed},
                          {"server_rss_kib", double(env.serverRssKiB())},
                          {"server_cpu_cores", serverCpu},
                          {"bench_cpu_cores", ownCpu}};
    if (pairs > 0)
        result->insert("direct_during_group",
                       QJsonObject{{"pairs", pairs},
                                   {"rate", directRate},
                                   {"latency", direct.json()},
                                   {"lost", double(directLoad.sent - directLoad.received)}});
    return lost == 0 ? 0 : 1;
}

} // namespace tern::bench
