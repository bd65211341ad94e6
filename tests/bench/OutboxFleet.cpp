#include "OutboxFleet.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tern::bench {

namespace {

QString key(const QString &conversation, qint64 seq)
{
    return conversation + QLatin1Char('/') + QString::number(seq);
}

void noteReceived(OutboxFleet::Device &d, const QJsonObject &event)
{
    const QString conversation = event.value("conversation").toString();
    d.received.insert(key(conversation, event.value("seq").toInteger()));
    qint64 &upTo = d.contiguous[conversation];
    while (d.received.contains(key(conversation, upTo + 1)))
        ++upTo;
}

} // namespace

bool OutboxFleet::setUp(int users, const QString &prefix)
{
    auto initial = m_env.makeUsers(users, prefix);
    if (initial.empty())
        return false;
    devices = std::vector<Device>(std::size_t(users));
    QJsonArray others;
    for (int i = 0; i < users; ++i) {
        devices[std::size_t(i)].userId = initial[std::size_t(i)]->userId;
        devices[std::size_t(i)].token = initial[std::size_t(i)]->token;
        if (i > 0)
            others.append(devices[std::size_t(i)].userId);
    }
    initial[0]->request(
        QJsonObject{{"type", "create_group"}, {"name", "faults"}, {"members", others}},
        [&](const QJsonObject &r) { group = r.value("conversation").toString(); });
    return spinUntil([&] { return !group.isEmpty(); }, 10'000);
}

bool OutboxFleet::connectAll(int timeoutMs)
{
    for (Device &d : devices) {
        d.ready = false;
        d.client = std::make_unique<BenchClient>();
        Device *dp = &d;
        d.client->onMessage = [dp](const QJsonObject &e) { noteReceived(*dp, e); };
        // Message acks carry the message id, which the caller chose (not request()'s).
        d.client->onUnmatchedReply = [this, dp](const QJsonObject &r) {
            const QString id = r.value("id").toString();
            if (!dp->outbox.count(id))
                return;
            if (r.value("type").toString() != QLatin1String("ack")) {
                if (onSendError)
                    onSendError(*dp, r);
                return;
            }
            dp->outbox.erase(id);
            dp->acked.insert(id, {r.value("conversation").toString(), r.value("seq").toInteger()});
        };
        d.client->open(m_env.url());
    }
    if (!spinUntil(
            [&] {
                for (Device &d : devices)
                    if (!d.client->isOpen())
                        return false;
                return true;
            },
            timeoutMs))
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
    return spinUntil(
        [&] {
            for (Device &d : devices)
                if (!d.ready)
                    return false;
            return true;
        },
        timeoutMs);
}

void OutboxFleet::send(Device &d, const QString &id)
{
    // Messages carry their client id as the request id; acks are matched through it.
    const Pending &p = d.outbox.at(id);
    QJsonObject m{
        {"type", "message"}, {"id", id}, {"to", p.to}, {"kind", "text"}, {"content", p.content}};
    d.client->sendText(QString::fromUtf8(QJsonDocument(m).toJson(QJsonDocument::Compact)));
}

bool OutboxFleet::queueNew(int i, int maxOutbox, int contentBytes)
{
    Device &d = devices[std::size_t(i)];
    if (int(d.outbox.size()) >= maxOutbox)
        return false;
    const QString id = QStringLiteral("u%1-%2").arg(i).arg(d.nextId++, 8, 10, QLatin1Char('0'));
    // Pairs 0-1, 2-3, ...; a device without a partner writes to itself (saved messages).
    const std::size_t partner = std::min(std::size_t(i ^ 1), devices.size() - 1);
    const QString to = (d.nextId % 2) ? group : devices[partner].userId;
    QString content = QStringLiteral("fault test %1 ").arg(id);
    if (contentBytes > content.size())
        content += QString(contentBytes - content.size(), QLatin1Char('x'));
    d.outbox.emplace(id, Pending{to, content});
    send(d, id);
    ++sent;
    return true;
}

void OutboxFleet::resendAll()
{
    for (Device &d : devices)
        for (const auto &[id, p] : d.outbox)
            send(d, id);
}

bool OutboxFleet::drain(int timeoutMs, int retryMs)
{
    auto empty = [&] {
        for (Device &d : devices)
            if (!d.outbox.empty())
                return false;
        return true;
    };
    const qint64 deadline = nowNs() + qint64(timeoutMs) * 1'000'000;
    while (!empty() && nowNs() < deadline) {
        resendAll();
        spinUntil(empty, retryMs);
    }
    return empty();
}

std::optional<OutboxFleet::Verdict> OutboxFleet::verify()
{
    Verdict v;
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
                // Pages are cut by bytes too (docs/protocol.md, `history`): a short page is
                // not the start; only the absence of next_before_seq is.
                more = r.contains("next_before_seq");
                before = r.value("next_before_seq").toInteger();
                done = true;
            });
            if (!spinUntil([&] { return done; }, 30'000))
                return std::nullopt;
        }
        QSet<QString> ids;
        for (qsizetype i = 0; i < messages.size(); ++i) {
            const QJsonObject m = messages.at(i);
            if (m.value("seq").toInteger() != i + 1)
                ++v.gaps;
            const QString id = m.value("id").toString();
            if (m.value("kind").toString() != QLatin1String("system") && ids.contains(id))
                ++v.duplicates;
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
                    ++v.undelivered;
            }
        }
    }
    for (const Device &d : devices) {
        for (auto it = d.acked.cbegin(); it != d.acked.cend(); ++it) {
            ++v.acked;
            const QString at = idAt.value(key(it.value().first, it.value().second));
            if (at.isEmpty())
                ++v.missing;
            else if (at != it.key())
                ++v.misplaced;
        }
        v.unacked += qint64(d.outbox.size());
    }
    return v;
}

QString OutboxFleet::Verdict::summary() const
{
    return QStringLiteral("missing %1, duplicated %2, seq gaps %3, at a different seq %4, not on a "
                          "member's device %5, never acked %6")
        .arg(missing)
        .arg(duplicates)
        .arg(gaps)
        .arg(misplaced)
        .arg(undelivered)
        .arg(unacked);
}

void OutboxFleet::Verdict::addTo(QJsonObject &result) const
{
    result.insert(QStringLiteral("acked"), double(acked));
    result.insert(QStringLiteral("missing"), double(missing));
    result.insert(QStringLiteral("duplicated"), double(duplicates));
    result.insert(QStringLiteral("gaps"), double(gaps));
    result.insert(QStringLiteral("misplaced"), double(misplaced));
    result.insert(QStringLiteral("undelivered"), double(undelivered));
    result.insert(QStringLiteral("unacked"), double(unacked));
}

} // namespace tern::bench
