#include "tests/bench/Scenarios.h"
#include "tests/bench/Stats.h"

#include <QTextStream>

namespace tern::bench {

int runSync(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result)
{
    QTextStream out(stdout);
    const int backlog = args.value("backlog").toInt();
    auto clients = env.makeUsers(2, QStringLiteral("s%1-").arg(nowNs() % 100000));
    if (clients.empty())
        return 1;
    BenchClient *sender = clients[0].get();
    const QString token = clients[1]->token;
    const QString receiverId = clients[1]->userId;
    clients[1]->close();
    spinUntil([&] { return clients[1]->isClosed(); }, 10'000);

    // Build the backlog while the receiving device is away, 500 in flight at a time.
    int acked = 0;
    int sent = 0;
    while (acked < backlog) {
        while (sent < backlog && sent - acked < 500) {
            sender->request(
                QJsonObject{{"type", "message"},
                            {"to", receiverId},
                            {"kind", "text"},
                            {"content", QStringLiteral("backlog message %1").arg(sent)}},
                [&](const QJsonObject &) { ++acked; });
            ++sent;
        }
        if (!spinUntil([&] { return acked == backlog || (sent < backlog && sent - acked < 250); },
                       60'000))
            return 1;
    }

    auto device = env.connect(1);
    if (device.empty())
        return 1;
    BenchClient *receiver = device.front().get();
    int received = 0;
    qint64 lastSeq = 0;
    bool ordered = true;
    receiver->onMessage = [&](const QJsonObject &event) {
        const qint64 seq = event.value(QLatin1String("seq")).toInteger();
        ordered = ordered && seq == lastSeq + 1;
        lastSeq = seq;
        ++received;
    };
    const qint64 start = nowNs();
    bool complete = false;
    bool authed = false;
    receiver->request(QJsonObject{{"type", "auth"}, {"token", token}}, [&](const QJsonObject &r) {
        authed = r.value("type") == QLatin1String("ack");
    });
    receiver->request(QJsonObject{{"type", "sync"}},
                      [&](const QJsonObject &r) { complete = r.value("complete").toBool(); });
    spinUntil([&] { return complete; }, 120'000);
    const double seconds = double(nowNs() - start) / 1e9;
    out << "sync: backlog " << backlog << " messages: " << received << " received in "
        << QString::number(seconds * 1000, 'f', 0) << " ms ("
        << QString::number(received / seconds, 'f', 0)
        << " msg/s), in order: " << (ordered ? "yes" : "NO") << ", server RSS "
        << env.serverRssKiB() / 1024.0 << " MiB\n";
    *result = QJsonObject{{"scenario", "sync"},   {"backlog", backlog},
                          {"received", received}, {"seconds", seconds},
                          {"in_order", ordered},  {"server_rss_kib", double(env.serverRssKiB())}};
    return authed && complete && received == backlog && ordered ? 0 : 1;
}

} // namespace tern::bench
