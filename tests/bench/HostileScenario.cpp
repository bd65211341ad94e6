// `tern-bench hostile`: issue 15's attacks from many sockets at once while a normal pair keeps
// talking. The attackers never read: authenticated ones pipeline `history` of a chat of large
// messages and `conversations`/`sync`; unauthenticated ones send 512 KiB fragments that never
// finish, or pipeline `register`. Sockets come from 127.0.0.2.. so per-address limits apply
// as they would to separate machines (ternd runs with --limit-loopback). Verdict: ternd's
// peak RSS under 512 MiB and the pair's sends acked and delivered with p99 < 100 ms.

#include "tests/bench/RawAttacker.h"
#include "tests/bench/Scenarios.h"
#include "tests/bench/Stats.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>
#include <QTimer>

#include <memory>
#include <vector>

namespace tern::bench {

namespace {
QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

constexpr int kSocketsPerAddress = 100;
constexpr int kBigMessages = 200;
constexpr int kBigMessageBytes = 32'000;
constexpr double kRssLimitMiB = 512;
constexpr double kP99LimitMs = 100;
} // namespace

int runHostile(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result)
{
    QTextStream out(stdout);
    const int sockets = args.value("clients").toInt();
    const int durationMs = args.value("duration").toInt() * 1000;
    const QString prefix = QStringLiteral("h%1-").arg(nowNs() % 100000);
    const QString password = QStringLiteral("bench-password"); // BenchEnv::makeUsers' own

    // The chat the attackers read over and over: 200 messages of 32 KB.
    auto owners = env.makeUsers(2, prefix + QStringLiteral("o"));
    auto pair = env.makeUsers(2, prefix + QStringLiteral("v"));
    if (owners.size() != 2 || pair.size() != 2) {
        out << "could not create the users\n";
        return 2;
    }
    QString chat;
    int filled = 0;
    const QString big(kBigMessageBytes, QLatin1Char('x'));
    for (int i = 0; i < kBigMessages; ++i)
        owners[0]->request(
            QJsonObject{
                {"type", "message"}, {"to", owners[1]->userId}, {"kind", "text"}, {"content", big}},
            [&](const QJsonObject &r) {
                ++filled;
                if (chat.isEmpty())
                    chat = r.value("conversation").toString();
            });
    if (!spinUntil([&] { return filled == kBigMessages; }, 120'000) || chat.isEmpty()) {
        out << "could not fill the chat\n";
        return 2;
    }

    // Which attack each socket makes, in this proportion.
    enum Kind { PipelinedHistory, PipelinedLists, Fragments, RegisterFlood };
    const std::vector<Kind> mix = {
        PipelinedHistory, PipelinedHistory, PipelinedHistory, PipelinedHistory, PipelinedHistory,
        PipelinedLists,   PipelinedLists,   Fragments,        Fragments,        RegisterFlood};
    std::vector<std::unique_ptr<RawAttacker>> attackers;
    attackers.reserve(std::size_t(sockets));
    const quint16 port = quint16(env.url().port());
    int requestId = 0;
    for (int i = 0; i < sockets; ++i) {
        auto attacker = std::make_unique<RawAttacker>();
        const Kind kind = mix[std::size_t(i) % mix.size()];
        // Token auth, not login: a login counts against the account's failed-login limit
        // until its password is checked, so hundreds at once would mostly be turned away.
        auto login = [&] {
            attacker->queueText(json({{"type", "auth"},
                                      {"id", QStringLiteral("l%1").arg(++requestId)},
                                      {"token", owners[0]->token}}));
        };
        switch (kind) {
        case PipelinedHistory:
            login();
            for (int r = 0; r < 100; ++r)
                attacker->queueText(json({{"type", "history"},
                                          {"id", QStringLiteral("h%1").arg(++requestId)},
                                          {"conversation", chat},
                                          {"limit", 200}}));
            break;
        case PipelinedLists:
            login();
            for (int r = 0; r < 50; ++r) {
                attacker->queueText(json(
                    {{"type", "conversations"}, {"id", QStringLiteral("c%1").arg(++requestId)}}));
                attacker->queueText(
                    json({{"type", "sync"}, {"id", QStringLiteral("s%1").arg(++requestId)}}));
            }
            break;
        case Fragments: {
            const QByteArray chunk(512 * 1024, 'f');
            attacker->queueText(chunk, false);
            attacker->queueContinuation(chunk);
            attacker->queueContinuation(chunk);
            break;
        }
        case RegisterFlood:
            for (int r = 0; r < 300; ++r)
                attacker->queueText(
                    json({{"type", "register"},
                          {"id", QStringLiteral("r%1").arg(++requestId)},
                          {"user", QStringLiteral("%1f%2").arg(prefix).arg(requestId)},
                          {"password", password}}));
            break;
        }
        const quint32 from = QHostAddress(QHostAddress::LocalHost).toIPv4Address() + 1 +
                             quint32(i / kSocketsPerAddress);
        attacker->start(QHostAddress(from), port);
        attackers.push_back(std::move(attacker));
    }

    // The pair talks through the attack; server memory is sampled all along.
    qint64 peakRssKiB = env.serverRssKiB();
    QTimer sampler;
    sampler.setInterval(100);
    QObject::connect(&sampler, &QTimer::timeout,
                     [&] { peakRssKiB = std::max(peakRssKiB, env.serverRssKiB()); });
    sampler.start();
    Stats delivery;
    Stats ackLatency;
    qint64 sentCount = 0;
    qint64 ackedCount = 0;
    pair[1]->onRawMessage = [&](const QString &frame) {
        const qint64 scheduled = rawField(frame, QLatin1StringView("content")).toLongLong();
        if (scheduled > 0)
            delivery.add(double(nowNs() - scheduled) / 1000.0);
    };
    QTimer talker;
    talker.setInterval(50); // 20 messages a second
    QObject::connect(&talker, &QTimer::timeout, [&] {
        const qint64 at = nowNs();
        ++sentCount;
        pair[0]->request(QJsonObject{{"type", "message"},
                                     {"to", pair[1]->userId},
                                     {"kind", "text"},
                                     {"content", QString::number(at)}},
                         [&, at](const QJsonObject &r) {
                             if (r.value("type").toString() == QLatin1String("ack")) {
                                 ++ackedCount;
                                 ackLatency.add(double(nowNs() - at) / 1000.0);
                             }
                         });
    });
    talker.start();
    spinUntil([] { return false; }, durationMs);
    talker.stop();
    spinUntil([&] { return ackedCount == sentCount; }, 10'000);
    sampler.stop();

    int upgraded = 0;
    for (const auto &a : attackers)
        upgraded += a->upgraded() ? 1 : 0;
    const double peakMiB = double(peakRssKiB) / 1024.0;
    const bool ok = peakMiB < kRssLimitMiB && ackedCount == sentCount &&
                    ackLatency.percentile(99) / 1000.0 < kP99LimitMs &&
                    delivery.percentile(99) / 1000.0 < kP99LimitMs && pair[0]->isOpen() &&
                    pair[1]->isOpen();
    out << "hostile: " << sockets << " attacking sockets (" << upgraded << " upgraded) for "
        << durationMs / 1000 << " s\n"
        << "  ternd peak RSS " << QString::number(peakMiB, 'f', 1) << " MiB (limit " << kRssLimitMiB
        << ")\n"
        << "  a normal pair at 20 msg/s: acked " << ackedCount << " of " << sentCount
        << "; send -> ack: " << ackLatency.summary() << "\n"
        << "  send -> delivered: " << delivery.summary() << "\n"
        << "  verdict: " << (ok ? "ok" : "FAILED") << "\n";
    *result = QJsonObject{{"scenario", "hostile"},
                          {"sockets", sockets},
                          {"duration_s", durationMs / 1000},
                          {"peak_rss_mib", peakMiB},
                          {"ack_ms", ackLatency.json()},
                          {"delivery_ms", delivery.json()},
                          {"sent", double(sentCount)},
                          {"acked", double(ackedCount)},
                          {"ok", ok}};
    return ok ? 0 : 1;
}

} // namespace tern::bench
