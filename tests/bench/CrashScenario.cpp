// tern-bench crash: mixed 1:1 + group load while ternd is killed with SIGKILL at random moments
// and restarted; clients reconnect, sync and re-send their outboxes with the original ids. At
// the end every acked message must be in history exactly once, at its acked seq, with gap-free
// seqs, and on every member's device.

#include "tests/bench/Scenarios.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>
#include <QTextStream>
#include <QTimer>

#include <map>

namespace tern::bench {

namespace {

struct Pending
{
    QString to;
    QString content;
};

//! One user's device across server restarts (the socket is replaced on every reconnect).
struct Device
{
    QString userId;
    QString token;
    std::unique_ptr<BenchClient> client;
    std::map<QString, Pending> outbox;            // id -> message (ids sort in send order)
    QHash<QString, QPair<QString, qint64>> acked; // id -> (conversation, seq)
    QSet<QString> received;                       // "conversation/seq" seen live or by sync
    QHash<QString, qint64> contiguous;            // conversation -> all seqs up to here received
    quint64 nextId = 0;
    bool ready = false;
};

QString key(const QString &conversation, qint64 seq)
{
    return conversation + QLatin1Char('/') + QString::number(seq);
}

void noteReceived(Device &d, const QJsonObject &event)
{
    const QString conversation = event.value("conversation").toString();
    d.received.insert(key(conversation, event.value("seq").toInteger()));
    qint64 &upTo = d.contiguous[conversation];
    while (d.received.contains(key(conversation, upTo + 1)))
        ++upTo;
}

} // namespace

int runCrash(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result)
{
    QTextStream out(stdout);
    const int kills = args.value("kills").toInt();
    const int users = 6;
    auto initial = env.makeUsers(users, QStringLiteral("k%1-").arg(nowNs() % 100000));
    if (initial.empty())
        return 1;
    std::vector<Device> devices(users);
    QJsonArray others;
    for (int i = 0; i < users; ++i) {
        devices[i].userId = initial[std::size_t(i)]->userId;
        devices[i].token = initial[std::size_t(i)]->token;
        if (i > 0)
            others.append(devices[i].userId);
    }
    QString group;
    initial[0]->request(
        QJsonObject{{"type", "create_group"}, {"name", "crash"}, {"members", others}},
        [&](const QJsonObject &r) { group = r.value("conversation").toString(); });
    if (!spinUntil([&] { return !group.isEmpty(); }, 10'000))
        return 1;
    initial.clear();

    // (Re)connect every device: auth, sync until complete, then re-send the outbox in order.
    auto connectAll = [&]() -> bool {
        for (Device &d : devices) {
            d.ready = false;
            d.client = std::make_unique<BenchClient>();
            Device *dp = &d;
            d.client->onMessage = [dp](const QJsonObject &e) { noteReceived(*dp, e); };
            // Message acks carry the message id, which the caller chose (not request()'s).
            d.client->onUnmatchedReply = [dp](const QJsonObject &r) {
                const QString id = r.value("id").toString();
                if (r.value("type").toString() != QLatin1String("ack") || !dp->outbox.count(id))
                    return;
                dp->outbox.erase(id);
                dp->acked.insert(id,
                                 {r.value("conversation").toString(), r.value("seq").toInteger()});
            };
            d.client->open(env.url());
        }
        if (!spinUntil(
                [&] {
                    for (Device &d : devices)
                        if (!d.client->isOpen())
                            return false;
                    return true;
                },
                20'000))
            return false;
        for (Device &d : devices) {
            Device *dp = &d;
            d.client->request(QJsonObject{{"type", "auth"}, {"token", d.token}});
            // ternd completes a sync in one round; then the device acknowledges what it has.
            d.client->request(QJsonObject{{"type", "sync"}}, [dp](const QJsonObject &r) {
                if (!r.value("complete").toBool())
                    return;
                for (auto it = dp->contiguous.cbegin(); it != dp->contiguous.cend(); ++it)
                    dp->client->request(QJsonObject{
                        {"type", "delivery"}, {"conversation", it.key()}, {"seq", it.value()}});
                dp->ready = true;
            });
        }
        if (!spinUntil(
                [&] {
                    for (Device &d : devices)
                        if (!d.ready)
                            return false;
                    return true;
                },
                60'000))
            return false;
        return true;
    };

    // Messages carry their client id as the request id; acks are matched through it.
    auto send = [&](Device &d, const QString &id) {
        const Pending &p = d.outbox.at(id);
        QJsonObject m{{"type", "message"},
                      {"id", id},
                      {"to", p.to},
                      {"kind", "text"},
                      {"content", p.content}};
        d.client->sendText(QString::fromUtf8(QJsonDocument(m).toJson(QJsonDocument::Compact)));
    };

    int killed = 0;
    qint64 sent = 0;
    if (!connectAll())
        return 1;
    QRandomGenerator rng(20261128);
    while (killed < kills) {
        for (Device &d : devices) {
            for (const auto &[id, p] : d.outbox)
                send(d, id);
        }
        const qint64 until = nowNs() + qint64(rng.bounded(500, 2000)) * 1'000'000;
        QTimer pump;
        pump.setInterval(5);
        QObject::connect(&pump, &QTimer::timeout, [&] {
            for (int i = 0; i < users; ++i) {
                Device &d = devices[std::size_t(i)];
                if (d.outbox.size() >= 50)
                    continue;
                const QString id =
                    QStringLiteral("u%1-%2").arg(i).arg(d.nextId++, 8, 10, QLatin1Char('0'));
                const QString to = (d.nextId % 2) ? group : devices[std::size_t(i ^ 1)].userId;
                d.outbox.emplace(id, Pending{to, QStringLiteral("crash test %1").arg(id)});
                send(d, id);
                ++sent;
            }
        });
        pump.start();
        spinUntil([&] { return nowNs() >= until; }, 5'000);
        pump.stop();
        env.killServer();
        ++killed;
        if (!env.restartServer() || !connectAll()) {
            out << "crash: could not restart/reconnect after kill " << killed << "\n";
            return 1;
        }
    }
    // Drain: re-send what is left until every outbox is empty.
    for (Device &d : devices)
        for (const auto &[id, p] : d.outbox)
            send(d, id);
    spinUntil(
        [&] {
            for (Device &d : devices)
                if (!d.outbox.empty())
                    return false;
            return true;
        },
        60'000);
    spinUntil([] { return false; }, 1'000); // let the last deliveries arrive

    // Verify against history, read by device 0 (a member of every conversation it checks) and
    // by each device for its own direct conversation.
    qint64 acked = 0, missing = 0, duplicates = 0, gaps = 0, misplaced = 0, undelivered = 0;
    QHash<QString, QString> idAt; // "conversation/seq" -> id
    QSet<QString> conversations{group};
    for (const Device &d : devices)
        for (auto it = d.acked.cbegin(); it != d.acked.cend(); ++it)
            conversations.insert(it.value().first);
    for (const QString &conversation : conversations) {
        // Any member can read it: the group is everyone's; a direct one belongs to a pair.
        Device *reader = nullptr;
        for (Device &d : devices)
            for (auto it = d.acked.cbegin(); it != d.acked.cend() && !reader; ++it)
                if (it.value().first == conversation)
                    reader = &d;
        if (!reader)
            reader = &devices[0];
        QList<QJsonObject> messages;
        qint64 before = -1;
        for (bool more = true; more;) {
            bool done = false;
            QJsonObject request{
                {"type", "history"}, {"conversation", conversation}, {"limit", 200}};
            if (before > 0)
                request.insert("before_seq", before);
            reader->client->request(request, [&](const QJsonObject &r) {
                const QJsonArray page = r.value("messages").toArray();
                for (qsizetype i = page.size() - 1; i >= 0; --i)
                    messages.prepend(page.at(i).toObject());
                more = page.size() == 200;
                if (!page.isEmpty())
                    before = page.first().toObject().value("seq").toInteger();
                done = true;
            });
            if (!spinUntil([&] { return done; }, 30'000))
                return 1;
        }
        QSet<QString> ids;
        for (qsizetype i = 0; i < messages.size(); ++i) {
            const QJsonObject m = messages.at(i);
            if (m.value("seq").toInteger() != i + 1)
                ++gaps;
            const QString id = m.value("id").toString();
            if (m.value("kind").toString() != QLatin1String("system") && ids.contains(id))
                ++duplicates;
            ids.insert(id);
            idAt.insert(key(conversation, m.value("seq").toInteger()), id);
            // Every member device other than the sender's must have it.
            if (m.value("kind").toString() == QLatin1String("system"))
                continue;
            for (const Device &d : devices) {
                const bool member = conversation == group || d.acked.contains(id) ||
                                    m.value("to").toString() == d.userId;
                if (member && d.userId != m.value("from").toString() &&
                    !d.received.contains(key(conversation, m.value("seq").toInteger())))
                    ++undelivered;
            }
        }
    }
    for (const Device &d : devices) {
        for (auto it = d.acked.cbegin(); it != d.acked.cend(); ++it) {
            ++acked;
            const QString at = idAt.value(key(it.value().first, it.value().second));
            if (at.isEmpty())
                ++missing;
            else if (at != it.key())
                ++misplaced;
        }
    }
    qint64 unacked = 0;
    for (const Device &d : devices)
        unacked += qint64(d.outbox.size());
    const bool ok = !missing && !duplicates && !gaps && !misplaced && !undelivered && !unacked;
    out << "crash: " << killed << " SIGKILLs under mixed 1:1 + group load; " << sent << " sends, "
        << acked << " acked\n"
        << "  missing " << missing << ", duplicated " << duplicates << ", seq gaps " << gaps
        << ", at a different seq " << misplaced << ", not on a member's device " << undelivered
        << ", never acked " << unacked << " -> " << (ok ? "OK" : "FAILED") << "\n";
    *result = QJsonObject{{"scenario", "crash"},
                          {"kills", killed},
                          {"sent", double(sent)},
                          {"acked", double(acked)},
                          {"missing", double(missing)},
                          {"duplicated", double(duplicates)},
                          {"gaps", double(gaps)},
                          {"misplaced", double(misplaced)},
                          {"undelivered", double(undelivered)},
                          {"unacked", double(unacked)}};
    return ok ? 0 : 1;
}

} // namespace tern::bench
