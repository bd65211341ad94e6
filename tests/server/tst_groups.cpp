// Groups over the wire: create/add/remove/leave/rename/set_role with every permission rule (and
// every forbidden case), the membership `system` messages in every member's history in seq order,
// ownership hand-over and archiving, the member limit with a real 500-member group whose messages
// reach all 500 members' devices, removal taking effect at once, group receipts, and the privacy
// of a group towards non-members. One in-process server for the whole test; every test function
// uses fresh users.

#include "shared/core/Clock.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QtTest>

#include <sys/resource.h>

#include <algorithm>
#include <vector>

using namespace tern::test;

namespace {

const QString kMessage = QStringLiteral("message");
const QString kReceipt = QStringLiteral("receipt");
const QString kTyping = QStringLiteral("typing");
const QString kUnknownUser = QStringLiteral("u") + QString(20, QLatin1Char('q'));

QJsonObject contentOf(const QJsonObject &message)
{
    return QJsonDocument::fromJson(message.value(QStringLiteral("content")).toString().toUtf8())
        .object();
}

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

QSet<QString> toSet(const QStringList &list)
{
    return QSet<QString>(list.begin(), list.end());
}

//! What a membership `system` message must say.
struct SystemExpect
{
    QString event;
    QString by;
    QStringList users;
    QString name;
    QString role;
};

//! Problems with a system message (live event or history entry); empty when it is as expected.
QString checkSystem(const QJsonObject &m, const QString &conversation, qint64 seq,
                    const SystemExpect &e)
{
    QStringList problems;
    if (m.value(QStringLiteral("type")).toString() != kMessage)
        problems << QStringLiteral("type is not message");
    if (m.value(QStringLiteral("kind")).toString() != QStringLiteral("system"))
        problems << QStringLiteral("kind is not system");
    if (m.value(QStringLiteral("conversation")).toString() != conversation)
        problems << QStringLiteral("wrong conversation");
    if (seq >= 0 && intField(m, QStringLiteral("seq")) != seq)
        problems << QStringLiteral("seq %1 expected").arg(seq);
    if (m.value(QStringLiteral("from")).toString() != e.by)
        problems << QStringLiteral("from is not the actor %1").arg(e.by);
    if (m.value(QStringLiteral("id")).toString().isEmpty())
        problems << QStringLiteral("no id");
    if (intField(m, QStringLiteral("server_ts")) <= 0)
        problems << QStringLiteral("no server_ts");
    const QJsonObject c = contentOf(m);
    if (c.value(QStringLiteral("event")).toString() != e.event)
        problems << QStringLiteral("event %1 expected").arg(e.event);
    if (c.value(QStringLiteral("by")).toString() != e.by)
        problems << QStringLiteral("by %1 expected").arg(e.by);
    const QStringList users = stringList(c.value(QStringLiteral("users")));
    if (users.size() != e.users.size() || toSet(users) != toSet(e.users))
        problems << QStringLiteral("users [%1] expected").arg(e.users.join(QLatin1Char(',')));
    if (!e.name.isEmpty() && c.value(QStringLiteral("name")).toString() != e.name)
        problems << QStringLiteral("name %1 expected").arg(e.name);
    if (!e.role.isEmpty() && c.value(QStringLiteral("role")).toString() != e.role)
        problems << QStringLiteral("role %1 expected").arg(e.role);
    if (!problems.isEmpty())
        problems << QStringLiteral("message: ") + toJson(m);
    return problems.join(QStringLiteral("; "));
}

TestClient::Predicate seqIn(const QString &conversation, qint64 seq)
{
    return [=](const QJsonObject &e) {
        return e.value(QStringLiteral("conversation")).toString() == conversation &&
               intField(e, QStringLiteral("seq")) == seq;
    };
}

TestClient::Predicate inConversation(const QString &conversation)
{
    return [=](const QJsonObject &e) {
        return e.value(QStringLiteral("conversation")).toString() == conversation;
    };
}

//! An ack carrying nothing but type and id.
bool isBareAck(const QJsonObject &reply)
{
    if (!isAck(reply))
        return false;
    const QStringList keys = reply.keys();
    return std::all_of(keys.begin(), keys.end(), [](const QString &k) {
        return k == QLatin1String("type") || k == QLatin1String("id");
    });
}

QList<qint64> seqsOf(const QJsonArray &messages)
{
    QList<qint64> seqs;
    for (const QJsonValue &value : messages)
        seqs << intField(value.toObject(), QStringLiteral("seq"));
    return seqs;
}

QList<qint64> seqsOf(const QList<QJsonObject> &messages)
{
    QList<qint64> seqs;
    for (const QJsonObject &m : messages)
        seqs << intField(m, QStringLiteral("seq"));
    return seqs;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> values;
    for (qint64 v = first; v <= last; ++v)
        values << v;
    return values;
}

//! An id of the same shape as `id` that names nothing (last character changed).
QString siblingId(const QString &id)
{
    QString other = id;
    other.back() = other.back() == QLatin1Char('a') ? QLatin1Char('b') : QLatin1Char('a');
    return other;
}

QHash<QString, QString> rolesOf(const QJsonObject &entry)
{
    QHash<QString, QString> roles;
    for (const QJsonValue &m : entry.value(QStringLiteral("members")).toArray())
        roles.insert(m.toObject().value(QStringLiteral("user_id")).toString(),
                     m.toObject().value(QStringLiteral("role")).toString());
    return roles;
}

QString describe(const QHash<QString, QString> &roles)
{
    QStringList parts;
    for (auto it = roles.cbegin(); it != roles.cend(); ++it)
        parts << it.key() + QLatin1Char('=') + it.value();
    parts.sort();
    return parts.join(QLatin1Char(' '));
}

} // namespace

class TestGroups : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void createGroup();
    void createGroupInvalid_data();
    void createGroupInvalid();
    void lifecycleHistory();
    void permissions_data();
    void permissions();
    void groupOpsOnDirect_data();
    void groupOpsOnDirect();
    void ownerLeaves_data();
    void ownerLeaves();
    void lastMemberLeavesArchives();
    void removedMemberStopsAtOnce();
    void removalRacesMessages();
    void removedMemberGetsNoReceipts();
    void newMemberSeesFromJoining();
    void groupReceipts();
    void nonMemberLearnsNothing_data();
    void nonMemberLearnsNothing();
    void fiveHundredMembers();
    void configuredLimit();
    void receiptTimes(); // last: it moves the process clock a month on

private:
    QUrl url() const { return m_server.url(); }
    TestUser user(const QString &prefix) { return createUser(url(), prefix); }
    Device device(const TestUser &user, const QString &name)
    {
        return loginDevice(url(), user, name);
    }
    //! create_group; the new conversation id, empty on failure (`reply` gets the reply).
    static QString createGroup(TestClient *client, const QString &name, const QStringList &members,
                               QJsonObject *reply = nullptr);
    static QJsonObject groupOp(TestClient *client, const QString &type, const QString &conversation,
                               QJsonObject fields = {});
    static QJsonArray history(TestClient *client, const QString &conversation,
                              QJsonObject *reply = nullptr);
    //! The conversation's entry in the `conversations` list (empty when not listed).
    static QJsonObject entry(TestClient *client, const QString &conversation);
    static QJsonObject receipts(TestClient *client, const QString &conversation, qint64 seq);
    //! Registers `count` users, pipelined over a few connections; empty on failure.
    QList<TestUser> registerMany(int count, const QString &prefix);
    //! One new logged-in device per user, connections opened and logins sent pipelined.
    std::vector<Device> loginMany(const QList<TestUser> &users, const QString &deviceName);

    ServerFixture m_server;
};

void TestGroups::initTestCase()
{
    // The 500-member test holds ~1,000 sockets in this process.
    rlimit files{};
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < 4096) {
        files.rlim_cur = std::min<rlim_t>(files.rlim_max, 4096);
        setrlimit(RLIMIT_NOFILE, &files);
    }
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QCOMPARE(m_server.config().groupMemberLimit, 500);
}

void TestGroups::cleanupTestCase()
{
    m_server.stop();
}

QString TestGroups::createGroup(TestClient *client, const QString &name, const QStringList &members,
                                QJsonObject *reply)
{
    const QJsonObject r = client->request({{"type", "create_group"},
                                           {"name", name},
                                           {"members", QJsonArray::fromStringList(members)}});
    if (reply)
        *reply = r;
    if (!isAck(r)) {
        qWarning("create_group failed: %s", qPrintable(toJson(r)));
        return {};
    }
    return r.value(QStringLiteral("conversation")).toString();
}

QJsonObject TestGroups::groupOp(TestClient *client, const QString &type,
                                const QString &conversation, QJsonObject fields)
{
    fields.insert(QStringLiteral("type"), type);
    fields.insert(QStringLiteral("conversation"), conversation);
    return client->request(fields);
}

QJsonArray TestGroups::history(TestClient *client, const QString &conversation, QJsonObject *reply)
{
    const QJsonObject r =
        client->request({{"type", "history"}, {"conversation", conversation}, {"limit", 200}});
    if (reply)
        *reply = r;
    return r.value(QStringLiteral("messages")).toArray();
}

QJsonObject TestGroups::entry(TestClient *client, const QString &conversation)
{
    const QJsonObject list = client->request({{"type", "conversations"}});
    if (!isAck(list))
        qWarning("conversations failed: %s", qPrintable(toJson(list)));
    for (const QJsonValue &value : list.value(QStringLiteral("conversations")).toArray())
        if (value.toObject().value(QStringLiteral("conversation")).toString() == conversation)
            return value.toObject();
    return {};
}

QJsonObject TestGroups::receipts(TestClient *client, const QString &conversation, qint64 seq)
{
    return client->request({{"type", "receipts"}, {"conversation", conversation}, {"seq", seq}});
}

QList<TestUser> TestGroups::registerMany(int count, const QString &prefix)
{
    constexpr int kConnections = 4;
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < kConnections; ++i) {
        std::unique_ptr<TestClient> client = connectClient(url());
        if (!client)
            return {};
        clients.push_back(std::move(client));
    }
    QList<TestUser> users;
    QList<QStringList> ids(kConnections);
    for (int i = 0; i < count; ++i) {
        TestUser u;
        u.name = uniqueName(prefix);
        u.password = QStringLiteral("password-123");
        u.displayName = QStringLiteral("%1 %2").arg(prefix).arg(i);
        ids[i % kConnections] << clients[i % kConnections]->post({{"type", "register"},
                                                                  {"user", u.name},
                                                                  {"password", u.password},
                                                                  {"display_name", u.displayName}});
        users << u;
    }
    for (int c = 0; c < kConnections; ++c) {
        if (!clients[c]->waitForReplies(ids[c], 60'000)) {
            qWarning("registerMany: replies missing on connection %d", c);
            return {};
        }
    }
    for (int i = 0; i < count; ++i) {
        const auto reply =
            clients[i % kConnections]->reply(ids[i % kConnections].at(i / kConnections));
        if (!reply || !isAck(*reply)) {
            qWarning("registerMany: %s", qPrintable(reply ? toJson(*reply) : QString()));
            return {};
        }
        users[i].userId = reply->value(QStringLiteral("user_id")).toString();
    }
    return users;
}

std::vector<Device> TestGroups::loginMany(const QList<TestUser> &users, const QString &deviceName)
{
    constexpr int kChunk = 50; // connections opened at once (stays within the listen backlog)
    std::vector<Device> devices(std::size_t(users.size()));
    for (qsizetype start = 0; start < users.size(); start += kChunk) {
        const qsizetype end = std::min<qsizetype>(start + kChunk, users.size());
        for (qsizetype i = start; i < end; ++i) {
            devices[i].client = std::make_unique<TestClient>();
            devices[i].client->socket()->open(url());
        }
        bool failed = false;
        const bool open = spinUntil(
            [&] {
                for (qsizetype i = start; i < end; ++i) {
                    if (devices[i].client->wasDisconnected())
                        failed = true;
                    if (!devices[i].client->isConnected())
                        return failed;
                }
                return true;
            },
            30'000);
        if (!open || failed) {
            qWarning("loginMany: connections %lld..%lld did not open", qlonglong(start),
                     qlonglong(end));
            return {};
        }
    }
    QStringList ids;
    for (qsizetype i = 0; i < users.size(); ++i)
        ids << devices[i].client->post({{"type", "login"},
                                        {"user", users[i].name},
                                        {"password", users[i].password},
                                        {"device", deviceName}});
    qsizetype answered = 0;
    if (!spinUntil(
            [&] {
                while (answered < ids.size() && devices[answered].client->reply(ids[answered]))
                    ++answered;
                return answered == ids.size();
            },
            60'000)) {
        qWarning("loginMany: %lld of %lld logins answered", qlonglong(answered),
                 qlonglong(ids.size()));
        return {};
    }
    for (qsizetype i = 0; i < users.size(); ++i) {
        const QJsonObject reply = *devices[i].client->reply(ids[i]);
        if (!isAck(reply)) {
            qWarning("loginMany: %s", qPrintable(toJson(reply)));
            return {};
        }
        devices[i].login.reply = reply;
        devices[i].login.token = reply.value(QStringLiteral("token")).toString();
        devices[i].login.userId = reply.value(QStringLiteral("user_id")).toString();
        devices[i].login.deviceId = reply.value(QStringLiteral("device_id")).toString();
        devices[i].client->setAutoHeartbeat(true); // starts the timer on an open connection
    }
    return devices;
}

// ---- tests ---------------------------------------------------------------------------------

void TestGroups::createGroup()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   c = user(QStringLiteral("c"));
    QVERIFY(a.ok() && b.ok() && c.ok());
    Device a1 = device(a, QStringLiteral("a1")), a2 = device(a, QStringLiteral("a2"));
    Device b1 = device(b, QStringLiteral("b1")), c1 = device(c, QStringLiteral("c1"));
    QVERIFY(a1.ok() && a2.ok() && b1.ok() && c1.ok());

    // The creator listed among the members and a duplicate are ignored.
    QJsonObject reply;
    const QString conv = createGroup(a1.client.get(), QStringLiteral("Team"),
                                     {b.userId, a.userId, c.userId, b.userId}, &reply);
    QVERIFY2(!conv.isEmpty(), qPrintable(toJson(reply)));

    // Every device of every member gets the `created` message, the creator's own included.
    const SystemExpect created{
        QStringLiteral("created"), a.userId, {b.userId, c.userId}, QStringLiteral("Team"), {}};
    for (Device *d : {&a1, &a2, &b1, &c1}) {
        const auto event = (*d)->waitForEvent(kMessage, 10'000, seqIn(conv, 1));
        QVERIFY2(event, qPrintable(QStringLiteral("no created message on ") + d->deviceId()));
        const QString problem = checkSystem(*event, conv, 1, created);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    const QHash<QString, QString> roles{
        {a.userId, QStringLiteral("owner")},
        {b.userId, QStringLiteral("member")},
        {c.userId, QStringLiteral("member")},
    };
    for (Device *d : {&a1, &b1, &c1}) {
        const QJsonObject e = entry(d->client.get(), conv);
        QVERIFY2(!e.isEmpty(), qPrintable(QStringLiteral("not listed for ") + d->userId()));
        QCOMPARE(e.value(QStringLiteral("kind")).toString(), QStringLiteral("group"));
        QCOMPARE(e.value(QStringLiteral("name")).toString(), QStringLiteral("Team"));
        QCOMPARE(intField(e, QStringLiteral("last_seq")), 1);
        QCOMPARE(intField(e, QStringLiteral("unread")), 0); // system messages do not count
        QCOMPARE(describe(rolesOf(e)), describe(roles));
        const QJsonArray h = history(d->client.get(), conv);
        QCOMPARE(h.size(), 1);
        const QString problem = checkSystem(h.at(0).toObject(), conv, 1, created);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    // A message to the group reaches every other member's devices (not the sending device).
    const QJsonObject sent = b1->sendMessage(conv, QStringLiteral("hello team"));
    TERN_VERIFY_ACK(sent);
    QCOMPARE(sent.value(QStringLiteral("conversation")).toString(), conv);
    QCOMPARE(intField(sent, QStringLiteral("seq")), 2);
    for (Device *d : {&a1, &a2, &c1}) {
        const auto event = (*d)->waitForEvent(kMessage, 10'000, seqIn(conv, 2));
        QVERIFY2(event, qPrintable(QStringLiteral("no message on ") + d->deviceId()));
        QCOMPARE(event->value(QStringLiteral("from")).toString(), b.userId);
        QCOMPARE(event->value(QStringLiteral("from_device")).toString(), b1.deviceId());
        QCOMPARE(event->value(QStringLiteral("to")).toString(), conv);
        QCOMPARE(event->value(QStringLiteral("kind")).toString(), QStringLiteral("text"));
        QCOMPARE(event->value(QStringLiteral("content")).toString(), QStringLiteral("hello team"));
    }
    QVERIFY(b1->barrier()); // the fan-out went out with the ack: a copy for b1 is in by now
    QVERIFY(b1->expectNoEvent(kMessage));
    QCOMPARE(intField(entry(a1.client.get(), conv), QStringLiteral("unread")), 1);

    // A group of one: no members given.
    const QString solo = createGroup(c1.client.get(), QStringLiteral("Just me"), {});
    QVERIFY(!solo.isEmpty());
    QVERIFY(solo != conv);
    const auto soloCreated = c1->waitForEvent(kMessage, 10'000, seqIn(solo, 1));
    QVERIFY(soloCreated);
    const QString problem =
        checkSystem(*soloCreated, solo, 1,
                    {QStringLiteral("created"), c.userId, {}, QStringLiteral("Just me"), {}});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(describe(rolesOf(entry(c1.client.get(), solo))),
             describe({{c.userId, QStringLiteral("owner")}}));
    QVERIFY(a1->barrier() && b1->barrier());
    QVERIFY(a1->expectNoEvent(kMessage, inConversation(solo)));
    QVERIFY(b1->expectNoEvent(kMessage, inConversation(solo)));
}

void TestGroups::createGroupInvalid_data()
{
    QTest::addColumn<QJsonObject>("fields");
    QTest::addColumn<QString>("code");
    // "$B" stands for a real user's id.
    QTest::newRow("unknown member")
        << QJsonObject{{"name", "g"}, {"members", QJsonArray{"$B", kUnknownUser}}}
        << QStringLiteral("not_found");
    QTest::newRow("member names nobody")
        << QJsonObject{{"name", "g"}, {"members", QJsonArray{"$B", "not an id!"}}}
        << QStringLiteral("not_found");
    QTest::newRow("member id too long")
        << QJsonObject{{"name", "g"}, {"members", QJsonArray{"$B", QString(65, QLatin1Char('u'))}}}
        << QStringLiteral("bad_request");
    QTest::newRow("member id with a control character")
        << QJsonObject{{"name", "g"}, {"members", QJsonArray{"$B", "u\u0001x"}}}
        << QStringLiteral("bad_request");
    QTest::newRow("member not a string")
        << QJsonObject{{"name", "g"}, {"members", QJsonArray{5}}} << QStringLiteral("bad_request");
    QTest::newRow("members not an array")
        << QJsonObject{{"name", "g"}, {"members", "$B"}} << QStringLiteral("bad_request");
    QTest::newRow("name missing") << QJsonObject{{"members", QJsonArray{"$B"}}}
                                  << QStringLiteral("bad_request");
    QTest::newRow("name blank") << QJsonObject{{"name", "   "}, {"members", QJsonArray{"$B"}}}
                                << QStringLiteral("bad_request");
    QTest::newRow("name too long")
        << QJsonObject{{"name", QString(101, QLatin1Char('n'))}, {"members", QJsonArray{"$B"}}}
        << QStringLiteral("bad_request");
    QTest::newRow("name at the limit")
        << QJsonObject{{"name", QString(100, QLatin1Char('n'))}, {"members", QJsonArray{"$B"}}}
        << QString();
}

void TestGroups::createGroupInvalid()
{
    QFETCH(QJsonObject, fields);
    QFETCH(QString, code);
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1")), b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());

    QJsonObject frame{{"type", "create_group"}};
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        QJsonValue value = it.value();
        if (value == QJsonValue(QStringLiteral("$B")))
            value = b.userId;
        if (value.isArray()) {
            QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i)
                if (array.at(i) == QJsonValue(QStringLiteral("$B")))
                    array.replace(i, b.userId);
            value = array;
        }
        frame.insert(it.key(), value);
    }
    const QJsonObject reply = a1->request(frame);
    if (code.isEmpty()) {
        TERN_VERIFY_ACK(reply);
        QVERIFY(b1->waitForEvent(kMessage, 10'000));
        return;
    }
    TERN_VERIFY_ERROR(reply, code);
    // Nothing was created.
    const QJsonObject list = a1->request({{"type", "conversations"}});
    TERN_VERIFY_ACK(list);
    QCOMPARE(list.value(QStringLiteral("conversations")).toArray().size(), 0);
    QVERIFY(b1->barrier());
    QVERIFY(b1->expectNoEvent(kMessage));
    QVERIFY(a1->expectNoEvent(kMessage));
}

void TestGroups::lifecycleHistory()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   c = user(QStringLiteral("c")), d = user(QStringLiteral("d"));
    QVERIFY(a.ok() && b.ok() && c.ok() && d.ok());
    Device a1 = device(a, QStringLiteral("a1")), a2 = device(a, QStringLiteral("a2"));
    Device b1 = device(b, QStringLiteral("b1")), c1 = device(c, QStringLiteral("c1"));
    Device d1 = device(d, QStringLiteral("d1"));
    QVERIFY(a1.ok() && a2.ok() && b1.ok() && c1.ok() && d1.ok());

    const QString conv = createGroup(a1.client.get(), QStringLiteral("Plans"), {b.userId}); // 1
    QVERIFY(!conv.isEmpty());
    QVERIFY(isBareAck(groupOp(a1.client.get(), QStringLiteral("add_members"), conv,
                              {{"members", QJsonArray{c.userId, d.userId}}}))); // 2

    // New members see history (and count unread) from their joining on.
    QVERIFY(c1->waitForEvent(kMessage, 10'000, seqIn(conv, 2)));
    QJsonObject reply;
    QCOMPARE(seqsOf(history(c1.client.get(), conv, &reply)), QList<qint64>{2});
    TERN_VERIFY_ACK(reply);
    QCOMPARE(intField(entry(c1.client.get(), conv), QStringLiteral("unread")), 0);

    QVERIFY(isBareAck(groupOp(a1.client.get(), QStringLiteral("set_role"), conv,
                              {{"user", b.userId}, {"role", "admin"}})));     // 3
    const QJsonObject text = b1->sendMessage(conv, QStringLiteral("hi all")); // 4
    TERN_VERIFY_ACK(text);
    QCOMPARE(intField(text, QStringLiteral("seq")), 4);
    QVERIFY(isBareAck(
        groupOp(b1.client.get(), QStringLiteral("rename"), conv, {{"name", "Plans 2"}}))); // 5
    QVERIFY(isBareAck(groupOp(b1.client.get(), QStringLiteral("remove_member"), conv,
                              {{"user", d.userId}})));                           // 6
    QVERIFY(isBareAck(groupOp(c1.client.get(), QStringLiteral("leave"), conv))); // 7
    QVERIFY(isBareAck(groupOp(a1.client.get(), QStringLiteral("set_role"), conv,
                              {{"user", b.userId}, {"role", "member"}}))); // 8

    const QList<SystemExpect> expected{
        {QStringLiteral("created"), a.userId, {b.userId}, QStringLiteral("Plans"), {}},
        {QStringLiteral("member_added"), a.userId, {c.userId, d.userId}, {}, {}},
        {QStringLiteral("role_changed"), a.userId, {b.userId}, {}, QStringLiteral("admin")},
        {}, // b's text message
        {QStringLiteral("renamed"), b.userId, {}, QStringLiteral("Plans 2"), {}},
        {QStringLiteral("member_removed"), b.userId, {d.userId}, {}, {}},
        {QStringLiteral("member_left"), c.userId, {c.userId}, {}, {}},
        {QStringLiteral("role_changed"), a.userId, {b.userId}, {}, QStringLiteral("member")},
    };

    // Both remaining members' history: every change, in seq order, with its content.
    const QJsonArray aHistory = history(a1.client.get(), conv, &reply);
    TERN_VERIFY_ACK(reply);
    QCOMPARE(seqsOf(aHistory), range(1, 8));
    for (int i = 0; i < expected.size(); ++i) {
        const QJsonObject m = aHistory.at(i).toObject();
        if (expected[i].event.isEmpty()) {
            QCOMPARE(m.value(QStringLiteral("kind")).toString(), QStringLiteral("text"));
            QCOMPARE(m.value(QStringLiteral("content")).toString(), QStringLiteral("hi all"));
            QCOMPARE(m.value(QStringLiteral("from")).toString(), b.userId);
            continue;
        }
        const QString problem = checkSystem(m, conv, i + 1, expected[i]);
        QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("seq %1: ").arg(i + 1) + problem));
    }
    QCOMPARE(history(b1.client.get(), conv), aHistory);

    // Live: the same messages, in seq order, on every device of every member at that time (the
    // actors' own devices included); nothing after a member is gone.
    QVERIFY(a1->waitForEvent(kMessage, 10'000, seqIn(conv, 8)) &&
            a2->waitForEvent(kMessage, 10'000, seqIn(conv, 8)) &&
            b1->waitForEvent(kMessage, 10'000, seqIn(conv, 8)));
    for (Device *dv : {&a1, &a2, &b1, &c1, &d1})
        QVERIFY((*dv)->barrier()); // every change was acked: all its events are in
    const QList<QJsonObject> onA2 = a2->takeEvents(kMessage);
    QCOMPARE(seqsOf(onA2), range(1, 7)); // seq 8 was taken above
    for (const QJsonObject &event : onA2)
        QCOMPARE(event, aHistory.at(intField(event, QStringLiteral("seq")) - 1).toObject());
    QCOMPARE(seqsOf(a1->takeEvents(kMessage)), range(1, 7));
    QCOMPARE(seqsOf(b1->takeEvents(kMessage)), (QList<qint64>{1, 2, 3, 5, 6, 7}));
    QCOMPARE(seqsOf(c1->takeEvents(kMessage)), range(3, 7)); // 2 was taken above
    QCOMPARE(seqsOf(d1->takeEvents(kMessage)), range(2, 6));

    const QJsonObject e = entry(a1.client.get(), conv);
    QCOMPARE(e.value(QStringLiteral("name")).toString(), QStringLiteral("Plans 2"));
    QCOMPARE(intField(e, QStringLiteral("last_seq")), 8);
    QCOMPARE(intField(e, QStringLiteral("unread")), 1);
    QCOMPARE(describe(rolesOf(e)),
             describe({{a.userId, QStringLiteral("owner")}, {b.userId, QStringLiteral("member")}}));
    // Those who left or were removed no longer see the group.
    for (Device *gone : {&c1, &d1}) {
        QVERIFY(entry(gone->client.get(), conv).isEmpty());
        history(gone->client.get(), conv, &reply);
        TERN_VERIFY_ERROR(reply, "not_found");
    }
}

void TestGroups::permissions_data()
{
    QTest::addColumn<QString>("actor");
    QTest::addColumn<QString>("op");
    QTest::addColumn<QStringList>("targets"); // labels; "unknown" is a user that does not exist
    QTest::addColumn<QString>("value");       // role for set_role, name for rename
    QTest::addColumn<QString>("code");        // expected error; empty: ack
    QTest::addColumn<QString>("event");       // system message on success; empty: none

    // The group: owner O, admins A1 and A2, members M1 and M2; X is not in it.
    const QString forbidden = QStringLiteral("forbidden");
    const QString badRequest = QStringLiteral("bad_request");
    const QString notFound = QStringLiteral("not_found");
    const QString none;
    auto row = [](const char *name, const char *actor, const char *op, QStringList targets,
                  const char *value, const QString &code, const char *event) {
        QTest::newRow(name) << QString::fromLatin1(actor) << QString::fromLatin1(op) << targets
                            << QString::fromLatin1(value) << code << QString::fromLatin1(event);
    };

    // Every forbidden case: plain members manage nothing...
    row("member adds", "M1", "add_members", {"X"}, "", forbidden, "");
    row("member removes member", "M1", "remove_member", {"M2"}, "", forbidden, "");
    row("member removes admin", "M1", "remove_member", {"A1"}, "", forbidden, "");
    row("member removes owner", "M1", "remove_member", {"O"}, "", forbidden, "");
    row("member renames", "M1", "rename", {}, "Mine now", forbidden, "");
    row("member grants admin", "M1", "set_role", {"M2"}, "admin", forbidden, "");
    row("member grants self admin", "M1", "set_role", {"M1"}, "admin", forbidden, "");
    row("member demotes admin", "M1", "set_role", {"A1"}, "member", forbidden, "");
    // ...admins remove members but not admins or the owner, and never change roles.
    row("admin removes admin", "A1", "remove_member", {"A2"}, "", forbidden, "");
    row("admin removes owner", "A1", "remove_member", {"O"}, "", forbidden, "");
    row("admin grants admin", "A1", "set_role", {"M1"}, "admin", forbidden, "");
    row("admin demotes admin", "A1", "set_role", {"A2"}, "member", forbidden, "");
    row("admin demotes self", "A1", "set_role", {"A1"}, "member", forbidden, "");
    row("admin demotes owner", "A1", "set_role", {"O"}, "member", forbidden, "");

    // What is allowed.
    row("owner adds", "O", "add_members", {"X"}, "", none, "member_added");
    row("admin adds", "A1", "add_members", {"X"}, "", none, "member_added");
    row("admin adds new and existing", "A1", "add_members", {"M1", "X", "A2"}, "", none,
        "member_added");
    row("owner removes member", "O", "remove_member", {"M1"}, "", none, "member_removed");
    row("owner removes admin", "O", "remove_member", {"A1"}, "", none, "member_removed");
    row("admin removes member", "A1", "remove_member", {"M1"}, "", none, "member_removed");
    row("owner renames", "O", "rename", {}, "New name", none, "renamed");
    row("admin renames", "A1", "rename", {}, "Admin's name", none, "renamed");
    row("owner grants admin", "O", "set_role", {"M1"}, "admin", none, "role_changed");
    row("owner demotes admin", "O", "set_role", {"A1"}, "member", none, "role_changed");
    row("member leaves", "M1", "leave", {}, "", none, "member_left");
    row("admin leaves", "A1", "leave", {}, "", none, "member_left");
    row("owner sets same role admin", "O", "set_role", {"A1"}, "admin", none, "");
    row("owner sets same role member", "O", "set_role", {"M1"}, "member", none, "");

    // Other refusals, which change nothing either.
    row("owner removes self", "O", "remove_member", {"O"}, "", badRequest, "");
    row("admin removes self", "A1", "remove_member", {"A1"}, "", badRequest, "");
    row("member removes self", "M1", "remove_member", {"M1"}, "", badRequest, "");
    row("owner sets own role", "O", "set_role", {"O"}, "member", badRequest, "");
    row("owner grants owner", "O", "set_role", {"M1"}, "owner", badRequest, "");
    row("owner sets unknown role", "O", "set_role", {"M1"}, "boss", badRequest, "");
    row("owner renames blank", "O", "rename", {}, " ", badRequest, "");
    row("owner adds nobody", "O", "add_members", {}, "", badRequest, "");
    row("owner removes non-member", "O", "remove_member", {"X"}, "", notFound, "");
    row("owner sets role of non-member", "O", "set_role", {"X"}, "admin", notFound, "");
    row("owner adds unknown user", "O", "add_members", {"X", "unknown"}, "", notFound, "");
    row("owner adds existing members", "O", "add_members", {"M1", "A1"}, "",
        QStringLiteral("conflict"), "");
    row("owner adds self", "O", "add_members", {"O"}, "", QStringLiteral("conflict"), "");
}

void TestGroups::permissions()
{
    QFETCH(QString, actor);
    QFETCH(QString, op);
    QFETCH(QStringList, targets);
    QFETCH(QString, value);
    QFETCH(QString, code);
    QFETCH(QString, event);

    QHash<QString, TestUser> users;
    for (const char *label : {"O", "A1", "A2", "M1", "M2", "X"}) {
        users.insert(QLatin1String(label), user(QString::fromLatin1(label).toLower()));
        QVERIFY(users.value(QLatin1String(label)).ok());
    }
    auto idOf = [&](const QString &label) {
        return label == QLatin1String("unknown") ? kUnknownUser : users.value(label).userId;
    };
    Device o1 = device(users[QStringLiteral("O")], QStringLiteral("o1"));
    Device o2 = device(users[QStringLiteral("O")], QStringLiteral("o2"));
    QVERIFY(o1.ok() && o2.ok());
    const QString conv = createGroup(o1.client.get(), QStringLiteral("Perms"),
                                     {idOf(QStringLiteral("A1")), idOf(QStringLiteral("A2")),
                                      idOf(QStringLiteral("M1")), idOf(QStringLiteral("M2"))});
    QVERIFY(!conv.isEmpty());
    for (const char *admin : {"A1", "A2"})
        QVERIFY(isBareAck(groupOp(o1.client.get(), QStringLiteral("set_role"), conv,
                                  {{"user", idOf(QLatin1String(admin))}, {"role", "admin"}})));
    QVERIFY(o2->waitForEvent(kMessage, 10'000, seqIn(conv, 3)));

    Device actorDevice;
    TestClient *act = o1.client.get();
    if (actor != QLatin1String("O")) {
        actorDevice = device(users[actor], QStringLiteral("actor"));
        QVERIFY(actorDevice.ok());
        act = actorDevice.client.get();
    }
    QVERIFY(o1->barrier() && o2->barrier() && act->barrier());
    o1->clearEvents();
    o2->clearEvents();
    act->clearEvents();
    const QJsonObject before = entry(o2.client.get(), conv);
    QCOMPARE(intField(before, QStringLiteral("last_seq")), 3);

    QJsonObject fields;
    QStringList targetIds;
    for (const QString &t : std::as_const(targets))
        targetIds << idOf(t);
    if (op == QLatin1String("add_members"))
        fields.insert(QStringLiteral("members"), QJsonArray::fromStringList(targetIds));
    else if (op == QLatin1String("remove_member") || op == QLatin1String("set_role"))
        fields.insert(QStringLiteral("user"), targetIds.value(0));
    if (op == QLatin1String("set_role"))
        fields.insert(QStringLiteral("role"), value);
    if (op == QLatin1String("rename"))
        fields.insert(QStringLiteral("name"), value);
    const QJsonObject reply = groupOp(act, op, conv, fields);
    if (code.isEmpty())
        QVERIFY2(isBareAck(reply),
                 qPrintable(QStringLiteral("expected a bare ack, got ") + toJson(reply)));
    else
        TERN_VERIFY_ERROR(reply, code);

    QHash<QString, QString> roles = rolesOf(before);
    QString name = QStringLiteral("Perms");
    if (!event.isEmpty()) {
        SystemExpect expect{event, idOf(actor), {}, {}, {}};
        if (op == QLatin1String("add_members")) {
            for (const QString &t : std::as_const(targetIds))
                if (!roles.contains(t))
                    expect.users << t;
            for (const QString &t : std::as_const(expect.users))
                roles.insert(t, QStringLiteral("member"));
        } else if (op == QLatin1String("remove_member")) {
            expect.users << targetIds.value(0);
            roles.remove(targetIds.value(0));
        } else if (op == QLatin1String("leave")) {
            expect.users << idOf(actor);
            roles.remove(idOf(actor));
        } else if (op == QLatin1String("set_role")) {
            expect.users << targetIds.value(0);
            expect.role = value;
            roles.insert(targetIds.value(0), value);
        } else if (op == QLatin1String("rename")) {
            expect.name = value;
            name = value;
        }
        const auto message = o2->waitForEvent(kMessage, 10'000, seqIn(conv, 4));
        QVERIFY2(message, "no system message on the owner's other device");
        const QString problem = checkSystem(*message, conv, 4, expect);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        // The acting device gets it as well (unlike its own ordinary messages).
        QVERIFY2(act->waitForEvent(kMessage, 10'000, seqIn(conv, 4)),
                 "no system message on the acting device");
    } else {
        QVERIFY(o2->barrier() && act->barrier());
        QVERIFY(o2->expectNoEvent(kMessage));
        QVERIFY(act->expectNoEvent(kMessage));
    }

    const QJsonObject after = entry(o2.client.get(), conv);
    QCOMPARE(intField(after, QStringLiteral("last_seq")), event.isEmpty() ? 3 : 4);
    QCOMPARE(describe(rolesOf(after)), describe(roles));
    QCOMPARE(after.value(QStringLiteral("name")).toString(), name);
    QCOMPARE(seqsOf(history(o2.client.get(), conv)), range(1, event.isEmpty() ? 3 : 4));
}

void TestGroups::groupOpsOnDirect_data()
{
    QTest::addColumn<bool>("saved");
    QTest::addColumn<QString>("op");
    QTest::addColumn<QJsonObject>("fields"); // "$B"/"$C" stand for the users' ids
    for (const bool saved : {false, true}) {
        const char *prefix = saved ? "saved messages: " : "direct: ";
        auto row = [&](const char *name, const char *op, const QJsonObject &fields) {
            QTest::newRow(qPrintable(QLatin1String(prefix) + QLatin1String(name)))
                << saved << QString::fromLatin1(op) << fields;
        };
        row("add_members", "add_members", {{"members", QJsonArray{"$C"}}});
        row("remove_member", "remove_member", {{"user", "$B"}});
        row("rename", "rename", {{"name", "A name"}});
        row("leave", "leave", {});
        row("set_role", "set_role", {{"user", "$B"}, {"role", "admin"}});
    }
}

void TestGroups::groupOpsOnDirect()
{
    QFETCH(bool, saved);
    QFETCH(QString, op);
    QFETCH(QJsonObject, fields);
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   c = user(QStringLiteral("c"));
    QVERIFY(a.ok() && b.ok() && c.ok());
    Device a1 = device(a, QStringLiteral("a1")), b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    const QString to = saved ? a.userId : b.userId;
    const QJsonObject first = a1->sendMessage(to, QStringLiteral("first"));
    TERN_VERIFY_ACK(first);
    const QString conv = first.value(QStringLiteral("conversation")).toString();

    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (it.value() == QJsonValue(QStringLiteral("$B")))
            it.value() = b.userId;
        if (it.value().isArray())
            it.value() = QJsonArray{c.userId};
    }
    TERN_VERIFY_ERROR(groupOp(a1.client.get(), op, conv, fields), "bad_request");

    // Unchanged: still A's conversation, nothing added to it, and it still works.
    const QJsonObject e = entry(a1.client.get(), conv);
    QCOMPARE(e.value(QStringLiteral("kind")).toString(), QStringLiteral("direct"));
    QCOMPARE(intField(e, QStringLiteral("last_seq")), 1);
    QSet<QString> members;
    for (const QString &u : rolesOf(e).keys())
        members.insert(u);
    const QSet<QString> expected =
        saved ? QSet<QString>{a.userId} : QSet<QString>{a.userId, b.userId};
    QCOMPARE(members, expected);
    const QJsonObject second = a1->sendMessage(to, QStringLiteral("second"));
    TERN_VERIFY_ACK(second);
    QCOMPARE(intField(second, QStringLiteral("seq")), 2);
}

void TestGroups::ownerLeaves_data()
{
    QTest::addColumn<QString>("firstRole");  // the member who joined at creation
    QTest::addColumn<QString>("secondRole"); // the member added later ("none": nobody)
    QTest::addColumn<QString>("heir");       // "first" or "second"
    QTest::newRow("admin before a longer-standing member") << "member"
                                                           << "admin"
                                                           << "second";
    QTest::newRow("longest-standing admin") << "admin"
                                            << "admin"
                                            << "first";
    QTest::newRow("no admin: longest-standing member") << "member"
                                                       << "member"
                                                       << "first";
    QTest::newRow("the only other member") << "member"
                                           << "none"
                                           << "first";
    QTest::newRow("a demoted admin is a member") << "demoted"
                                                 << "admin"
                                                 << "second";
    QTest::newRow("demoted later admin, earlier member") << "member"
                                                         << "demoted"
                                                         << "first";
}

void TestGroups::ownerLeaves()
{
    QFETCH(QString, firstRole);
    QFETCH(QString, secondRole);
    QFETCH(QString, heir);
    const TestUser o = user(QStringLiteral("o")), first = user(QStringLiteral("first")),
                   second = user(QStringLiteral("second"));
    QVERIFY(o.ok() && first.ok() && second.ok());
    Device o1 = device(o, QStringLiteral("o1")), f1 = device(first, QStringLiteral("f1"));
    Device s1 = device(second, QStringLiteral("s1"));
    QVERIFY(o1.ok() && f1.ok() && s1.ok());
    const bool hasSecond = secondRole != QLatin1String("none");

    const QString conv = createGroup(o1.client.get(), QStringLiteral("Handover"), {first.userId});
    QVERIFY(!conv.isEmpty());
    qint64 seq = 1;
    auto setRole = [&](const TestUser &u, const char *role) {
        ++seq;
        return isBareAck(groupOp(o1.client.get(), QStringLiteral("set_role"), conv,
                                 {{"user", u.userId}, {"role", role}}));
    };
    if (firstRole != QLatin1String("member"))
        QVERIFY(setRole(first, "admin"));
    if (hasSecond) {
        QVERIFY(isBareAck(groupOp(o1.client.get(), QStringLiteral("add_members"), conv,
                                  {{"members", QJsonArray{second.userId}}})));
        ++seq;
        if (secondRole != QLatin1String("member"))
            QVERIFY(setRole(second, "admin"));
    }
    if (firstRole == QLatin1String("demoted"))
        QVERIFY(setRole(first, "member"));
    if (secondRole == QLatin1String("demoted"))
        QVERIFY(setRole(second, "member"));
    QVERIFY(f1->waitForEvent(kMessage, 10'000, seqIn(conv, seq)));
    f1->clearEvents();
    s1->clearEvents();
    o1->clearEvents();

    QVERIFY(isBareAck(groupOp(o1.client.get(), QStringLiteral("leave"), conv)));
    const TestUser &next = heir == QLatin1String("first") ? first : second;
    const SystemExpect left{QStringLiteral("member_left"), o.userId, {o.userId}, {}, {}};
    const SystemExpect handed{
        QStringLiteral("role_changed"), o.userId, {next.userId}, {}, QStringLiteral("owner")};
    QList<Device *> remaining{&f1};
    if (hasSecond)
        remaining << &s1;
    for (Device *d : remaining) {
        const auto leftEvent = (*d)->waitForEvent(kMessage, 10'000, seqIn(conv, seq + 1));
        QVERIFY(leftEvent);
        QString problem = checkSystem(*leftEvent, conv, seq + 1, left);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const auto handedEvent = (*d)->waitForEvent(kMessage, 10'000, seqIn(conv, seq + 2));
        QVERIFY(handedEvent);
        problem = checkSystem(*handedEvent, conv, seq + 2, handed);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }
    const auto ownLeave = o1->waitForEvent(kMessage, 10'000, seqIn(conv, seq + 1));
    QVERIFY2(ownLeave, "the leaving owner does not get its member_left message");
    QVERIFY2(checkSystem(*ownLeave, conv, seq + 1, left).isEmpty(),
             qPrintable(checkSystem(*ownLeave, conv, seq + 1, left)));

    // The history says the same, in order.
    const QJsonArray h = history(f1.client.get(), conv);
    QCOMPARE(seqsOf(h).mid(seqsOf(h).size() - 2), (QList<qint64>{seq + 1, seq + 2}));
    QVERIFY(checkSystem(h.at(h.size() - 2).toObject(), conv, seq + 1, left).isEmpty());
    QVERIFY(checkSystem(h.at(h.size() - 1).toObject(), conv, seq + 2, handed).isEmpty());

    // Roles: the heir owns the group; everyone else keeps theirs.
    QHash<QString, QString> roles{{first.userId, firstRole == QLatin1String("admin")
                                                     ? QStringLiteral("admin")
                                                     : QStringLiteral("member")}};
    if (hasSecond)
        roles.insert(second.userId, secondRole == QLatin1String("admin")
                                        ? QStringLiteral("admin")
                                        : QStringLiteral("member"));
    roles.insert(next.userId, QStringLiteral("owner"));
    QCOMPARE(describe(rolesOf(entry(f1.client.get(), conv))), describe(roles));

    // The heir has the owner's powers; the old owner is a non-member.
    Device &heirDevice = heir == QLatin1String("first") ? f1 : s1;
    const QJsonObject rename =
        groupOp(heirDevice.client.get(), QStringLiteral("rename"), conv, {{"name", "Mine"}});
    QVERIFY(isBareAck(rename));
    if (hasSecond) {
        const TestUser &other = heir == QLatin1String("first") ? second : first;
        QVERIFY(isBareAck(groupOp(
            heirDevice.client.get(), QStringLiteral("set_role"), conv,
            {{"user", other.userId},
             {"role", roles.value(other.userId) == QLatin1String("admin") ? "member" : "admin"}})));
    }
    QJsonObject reply;
    history(o1.client.get(), conv, &reply);
    TERN_VERIFY_ERROR(reply, "not_found");
    TERN_VERIFY_ERROR(o1->sendMessage(conv, QStringLiteral("still here?")), "not_found");
    QVERIFY(entry(o1.client.get(), conv).isEmpty());
}

void TestGroups::lastMemberLeavesArchives()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1")), b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    const QString conv = createGroup(a1.client.get(), QStringLiteral("Short-lived"), {b.userId});
    QVERIFY(!conv.isEmpty());

    QVERIFY(isBareAck(groupOp(b1.client.get(), QStringLiteral("leave"), conv))); // 2
    for (Device *d : {&a1, &b1}) {
        const auto left = (*d)->waitForEvent(kMessage, 10'000, seqIn(conv, 2));
        QVERIFY(left);
        QVERIFY(checkSystem(*left, conv, 2,
                            {QStringLiteral("member_left"), b.userId, {b.userId}, {}, {}})
                    .isEmpty());
    }
    // The owner is alone, then leaves: no heir, so no role_changed; the group is archived.
    QVERIFY(isBareAck(groupOp(a1.client.get(), QStringLiteral("leave"), conv))); // 3
    const auto last = a1->waitForEvent(kMessage, 10'000, seqIn(conv, 3));
    QVERIFY(last);
    QVERIFY(
        checkSystem(*last, conv, 3, {QStringLiteral("member_left"), a.userId, {a.userId}, {}, {}})
            .isEmpty());
    QVERIFY(a1->barrier() && b1->barrier());
    QVERIFY(a1->expectNoEvent(kMessage, seqIn(conv, 4)));
    QVERIFY(b1->expectNoEvent(kMessage, seqIn(conv, 3)));

    for (Device *d : {&a1, &b1}) {
        QVERIFY(entry(d->client.get(), conv).isEmpty());
        QJsonObject reply;
        history(d->client.get(), conv, &reply);
        TERN_VERIFY_ERROR(reply, "not_found");
        TERN_VERIFY_ERROR((*d)->sendMessage(conv, QStringLiteral("anyone?")), "not_found");
        TERN_VERIFY_ERROR(groupOp(d->client.get(), QStringLiteral("leave"), conv), "not_found");
    }
    TERN_VERIFY_ERROR(groupOp(a1.client.get(), QStringLiteral("add_members"), conv,
                              {{"members", QJsonArray{b.userId}}}),
                      "not_found");
}

void TestGroups::removedMemberStopsAtOnce()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   c = user(QStringLiteral("c")), d = user(QStringLiteral("d"));
    QVERIFY(a.ok() && b.ok() && c.ok() && d.ok());
    // c3 logs in once and goes offline: it catches up with sync later.
    LoginInfo c3Login;
    {
        Device c3 = device(c, QStringLiteral("c3"));
        QVERIFY(c3.ok());
        c3Login = c3.login;
    }
    Device a1 = device(a, QStringLiteral("a1")), b1 = device(b, QStringLiteral("b1"));
    Device c1 = device(c, QStringLiteral("c1")), c2 = device(c, QStringLiteral("c2"));
    QVERIFY(a1.ok() && b1.ok() && c1.ok() && c2.ok());

    const QString conv =
        createGroup(a1.client.get(), QStringLiteral("Keep out"), {b.userId, c.userId}); // 1
    QVERIFY(!conv.isEmpty());
    TERN_VERIFY_ACK(b1->sendMessage(conv, QStringLiteral("before"))); // 2
    QVERIFY(isBareAck(groupOp(a1.client.get(), QStringLiteral("remove_member"), conv,
                              {{"user", c.userId}}))); // 3
    // Straight after the ack: more traffic of every kind.
    TERN_VERIFY_ACK(b1->sendMessage(conv, QStringLiteral("after"))); // 4
    QVERIFY(isBareAck(
        groupOp(a1.client.get(), QStringLiteral("rename"), conv, {{"name", "Without C"}}))); // 5
    QVERIFY(isBareAck(groupOp(a1.client.get(), QStringLiteral("add_members"), conv,
                              {{"members", QJsonArray{d.userId}}}))); // 6
    b1->send({{"type", "typing"}, {"conversation", conv}});
    TERN_VERIFY_ACK(a1->request({{"type", "read"}, {"conversation", conv}, {"seq", 4}}));
    QVERIFY(a1->waitForEvent(kMessage, 10'000, seqIn(conv, 6)));
    QVERIFY(a1->waitForEvent(kTyping, 10'000));
    QVERIFY(b1->waitForEvent(kReceipt, 10'000));

    // Both of C's devices got everything up to and including member_removed, nothing after.
    for (Device *cd : {&c1, &c2}) {
        QVERIFY(cd->client->waitForEventCount(kMessage, 3, 10'000));
        QVERIFY((*cd)->barrier());
        const QList<QJsonObject> got = (*cd)->takeEvents(kMessage);
        QCOMPARE(seqsOf(got), range(1, 3));
        const QString problem = checkSystem(
            got.at(2), conv, 3, {QStringLiteral("member_removed"), a.userId, {c.userId}, {}, {}});
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (const char *type : {"typing", "receipt"})
            QVERIFY((*cd)->expectNoEvent(QLatin1String(type)));
    }

    // The server treats C as a non-member from then on.
    QJsonObject reply;
    history(c1.client.get(), conv, &reply);
    TERN_VERIFY_ERROR(reply, "not_found");
    TERN_VERIFY_ERROR(c1->sendMessage(conv, QStringLiteral("let me back")), "not_found");
    TERN_VERIFY_ERROR(c1->request({{"type", "typing"}, {"conversation", conv}}), "not_found");
    TERN_VERIFY_ERROR(receipts(c1.client.get(), conv, 2), "not_found");
    TERN_VERIFY_ERROR(c1->request({{"type", "read"}, {"conversation", conv}, {"seq", 3}}),
                      "not_found");
    TERN_VERIFY_ERROR(groupOp(c1.client.get(), QStringLiteral("leave"), conv), "not_found");
    QVERIFY(entry(c1.client.get(), conv).isEmpty());

    // C's offline device still gets what C was sent while a member: seq 1..3, nothing after.
    Device c3 = reconnectDevice(url(), c3Login);
    QVERIFY(c3.ok());
    const QJsonObject synced = c3->request({{"type", "sync"}}, 30'000);
    TERN_VERIFY_ACK(synced);
    QCOMPARE(synced.value(QStringLiteral("complete")).toBool(), true);
    QCOMPARE(seqsOf(c3->takeEvents(kMessage)), range(1, 3));

    // Nothing more reaches C's devices, whatever happens in the group.
    TERN_VERIFY_ACK(a1->sendMessage(conv, QStringLiteral("later")));
    QVERIFY(b1->waitForEvent(kMessage, 10'000, seqIn(conv, 7)));
    for (Device *cd : {&c1, &c2, &c3}) {
        QVERIFY((*cd)->barrier());
        QVERIFY((*cd)->expectNoEvent(kMessage));
    }

    // Re-added, C is a new member: history from the re-joining on.
    QVERIFY(isBareAck(groupOp(a1.client.get(), QStringLiteral("add_members"), conv,
                              {{"members", QJsonArray{c.userId}}}))); // 8
    const auto readded = c1->waitForEvent(kMessage, 10'000, seqIn(conv, 8));
    QVERIFY(readded);
    QVERIFY(checkSystem(*readded, conv, 8,
                        {QStringLiteral("member_added"), a.userId, {c.userId}, {}, {}})
                .isEmpty());
    QCOMPARE(seqsOf(history(c1.client.get(), conv)), QList<qint64>{8});
}

void TestGroups::removalRacesMessages()
{
    constexpr int kMessages = 40;
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   c = user(QStringLiteral("c"));
    QVERIFY(a.ok() && b.ok() && c.ok());
    Device a1 = device(a, QStringLiteral("a1")), b1 = device(b, QStringLiteral("b1"));
    Device c1 = device(c, QStringLiteral("c1"));
    QVERIFY(a1.ok() && b1.ok() && c1.ok());
    const QString conv = createGroup(a1.client.get(), QStringLiteral("Race"), {b.userId, c.userId});
    QVERIFY(!conv.isEmpty());
    QVERIFY(c1->waitForEvent(kMessage, 10'000, seqIn(conv, 1)));

    // B streams messages while A removes C half-way, on another connection.
    QStringList ids;
    QString removeId;
    for (int i = 0; i < kMessages; ++i) {
        ids << b1->post(TestClient::messageObject(conv, QStringLiteral("m%1").arg(i)));
        if (i == kMessages / 2)
            removeId =
                a1->post({{"type", "remove_member"}, {"conversation", conv}, {"user", c.userId}});
    }
    QVERIFY(b1->waitForReplies(ids, 30'000));
    const auto removed = a1->waitForReply(removeId, 10'000);
    QVERIFY(removed && isBareAck(*removed));
    const qint64 last = 1 + kMessages + 1;
    QVERIFY(a1->waitForEvent(kMessage, 10'000, seqIn(conv, last)));

    // C got exactly the conversation up to its removal, in seq order, and nothing after.
    const auto removal = [&]() -> qint64 {
        const QJsonArray h = history(a1.client.get(), conv);
        for (const QJsonValue &v : h)
            if (contentOf(v.toObject()).value(QStringLiteral("event")) ==
                QStringLiteral("member_removed"))
                return intField(v.toObject(), QStringLiteral("seq"));
        return -1;
    }();
    QVERIFY(removal > 1);
    QVERIFY(c1->waitForEvent(kMessage, 10'000, seqIn(conv, removal)));
    QVERIFY(c1->barrier()); // every message was acked: all their events are in
    QList<qint64> seen{1};
    for (const QJsonObject &m : c1->takeEvents(kMessage))
        seen << intField(m, QStringLiteral("seq"));
    seen.insert(removal - 1, removal); // taken above
    QCOMPARE(seen, range(1, removal));
}

void TestGroups::removedMemberGetsNoReceipts()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   c = user(QStringLiteral("c"));
    QVERIFY(a.ok() && b.ok() && c.ok());
    Device a1 = device(a, QStringLiteral("a1")), b1 = device(b, QStringLiteral("b1"));
    Device c1 = device(c, QStringLiteral("c1"));
    QVERIFY(a1.ok() && b1.ok() && c1.ok());
    const QString conv =
        createGroup(a1.client.get(), QStringLiteral("Receipts after"), {b.userId, c.userId}); // 1
    QVERIFY(!conv.isEmpty());
    TERN_VERIFY_ACK(c1->sendMessage(conv, QStringLiteral("from c"))); // 2
    TERN_VERIFY_ACK(a1->sendMessage(conv, QStringLiteral("from a"))); // 3
    QVERIFY(isBareAck(groupOp(a1.client.get(), QStringLiteral("remove_member"), conv,
                              {{"user", c.userId}}))); // 4
    QVERIFY(c1->waitForEvent(kMessage, 10'000, seqIn(conv, 4)));
    QVERIFY(c1->barrier());
    c1->clearEvents();

    // B's watermarks pass C's message, but C is no longer a member: only A hears of them.
    TERN_VERIFY_ACK(b1->request({{"type", "delivery"}, {"conversation", conv}, {"seq", 2}}));
    TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"conversation", conv}, {"seq", 4}}));
    QVERIFY(a1->waitForEvent(kReceipt, 10'000, [&](const QJsonObject &e) {
        return e.value(QStringLiteral("status")).toString() == QStringLiteral("read");
    }));
    QVERIFY(c1->barrier()); // both watermarks were acked: a receipt for C is in by now
    const QList<QJsonObject> leaked = c1->takeEvents();
    QVERIFY2(leaked.isEmpty(), qPrintable(QStringLiteral("a removed member still got: ") +
                                          (leaked.isEmpty() ? QString() : toJson(leaked.first()))));
}

void TestGroups::newMemberSeesFromJoining()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   c = user(QStringLiteral("c"));
    QVERIFY(a.ok() && b.ok() && c.ok());
    Device a1 = device(a, QStringLiteral("a1")), b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    // C has a device that is offline while C is added; it catches up with sync.
    LoginInfo c2Login;
    {
        Device c2 = device(c, QStringLiteral("c2"));
        QVERIFY(c2.ok());
        c2Login = c2.login;
    }
    Device c1 = device(c, QStringLiteral("c1"));
    QVERIFY(c1.ok());
    const QString conv = createGroup(a1.client.get(), QStringLiteral("Late"), {b.userId}); // 1
    QVERIFY(!conv.isEmpty());
    TERN_VERIFY_ACK(b1->sendMessage(conv, QStringLiteral("before c 1"))); // 2
    TERN_VERIFY_ACK(a1->sendMessage(conv, QStringLiteral("before c 2"))); // 3
    QVERIFY(isBareAck(groupOp(a1.client.get(), QStringLiteral("add_members"), conv,
                              {{"members", QJsonArray{c.userId}}})));  // 4
    TERN_VERIFY_ACK(b1->sendMessage(conv, QStringLiteral("after c"))); // 5

    QVERIFY(c1->waitForEvent(kMessage, 10'000, seqIn(conv, 5)));
    QCOMPARE(seqsOf(c1->takeEvents(kMessage)), QList<qint64>{4});
    QCOMPARE(seqsOf(history(c1.client.get(), conv)), (QList<qint64>{4, 5}));
    // Paging back past the joining point finds nothing more.
    const QJsonObject older = c1->request(
        {{"type", "history"}, {"conversation", conv}, {"before_seq", 4}, {"limit", 10}});
    TERN_VERIFY_ACK(older);
    QCOMPARE(older.value(QStringLiteral("messages")).toArray().size(), 0);
    const QJsonObject e = entry(c1.client.get(), conv);
    QCOMPARE(intField(e, QStringLiteral("last_seq")), 5);
    QCOMPARE(intField(e, QStringLiteral("unread")), 1);
    QCOMPARE(intField(e.value(QStringLiteral("last_message")).toObject(), QStringLiteral("seq")),
             5);
    // Earlier messages are unknown to C: no per-id receipts, no receipts for them.
    Device c2 = reconnectDevice(url(), c2Login);
    QVERIFY(c2.ok());
    const QJsonObject synced = c2->request({{"type", "sync"}}, 30'000);
    TERN_VERIFY_ACK(synced);
    QCOMPARE(seqsOf(c2->takeEvents(kMessage)), (QList<qint64>{4, 5}));
    QCOMPARE(receipts(a1.client.get(), conv, 3).value(QStringLiteral("members")).toArray().size(),
             1); // B only
}

void TestGroups::groupReceipts()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   c = user(QStringLiteral("c")), d = user(QStringLiteral("d"));
    QVERIFY(a.ok() && b.ok() && c.ok() && d.ok());
    Device a1 = device(a, QStringLiteral("a1")), a2 = device(a, QStringLiteral("a2"));
    Device b1 = device(b, QStringLiteral("b1")), b2 = device(b, QStringLiteral("b2"));
    Device c1 = device(c, QStringLiteral("c1")), d1 = device(d, QStringLiteral("d1"));
    QVERIFY(a1.ok() && a2.ok() && b1.ok() && b2.ok() && c1.ok() && d1.ok());
    const QString conv =
        createGroup(a1.client.get(), QStringLiteral("Receipts"), {b.userId, c.userId}); // 1
    QVERIFY(!conv.isEmpty());
    const QJsonObject question = a1->sendMessage(conv, QStringLiteral("question")); // 2
    TERN_VERIFY_ACK(question);
    QCOMPARE(intField(question, QStringLiteral("seq")), 2);
    QVERIFY(b1->waitForEvent(kMessage, 10'000, seqIn(conv, 2)));
    QVERIFY(c1->waitForEvent(kMessage, 10'000, seqIn(conv, 2)));

    // user_id -> {delivered, read}
    auto states = [&](TestClient *asker, qint64 seq) {
        QHash<QString, QPair<bool, bool>> out;
        const QJsonObject reply = receipts(asker, conv, seq);
        if (!isAck(reply))
            qWarning("receipts: %s", qPrintable(toJson(reply)));
        for (const QJsonValue &v : reply.value(QStringLiteral("members")).toArray()) {
            const QJsonObject m = v.toObject();
            out.insert(m.value(QStringLiteral("user_id")).toString(),
                       {m.value(QStringLiteral("delivered")).toBool(),
                        m.value(QStringLiteral("read")).toBool()});
        }
        return out;
    };
    using State = QHash<QString, QPair<bool, bool>>;
    QCOMPARE(states(a1.client.get(), 2),
             (State{{b.userId, {false, false}}, {c.userId, {false, false}}}));

    auto isReceipt = [&](const TestUser &who, const char *status, qint64 seq) {
        return [=](const QJsonObject &e) {
            return e.value(QStringLiteral("conversation")).toString() == conv &&
                   e.value(QStringLiteral("user")).toString() == who.userId &&
                   e.value(QStringLiteral("status")).toString() == QLatin1String(status) &&
                   intField(e, QStringLiteral("seq")) == seq;
        };
    };

    // B's delivery watermark: the sender's devices and B's other device hear of it.
    b1->send({{"type", "delivery"}, {"conversation", conv}, {"seq", 2}});
    for (Device *dv : {&a1, &a2, &b2})
        QVERIFY2((*dv)->waitForEvent(kReceipt, 10'000, isReceipt(b, "delivered", 2)),
                 qPrintable(QStringLiteral("no delivered receipt on ") + dv->deviceId()));
    QVERIFY(c1->barrier() && b1->barrier()); // A's copy came: a copy for them too
    QVERIFY(c1->expectNoEvent(kReceipt));
    QVERIFY(b1->expectNoEvent(kReceipt));
    QCOMPARE(states(a1.client.get(), 2),
             (State{{b.userId, {true, false}}, {c.userId, {false, false}}}));

    // C reads: one `read` event (read implies delivered), no separate `delivered` one.
    TERN_VERIFY_ACK(c1->request({{"type", "read"}, {"conversation", conv}, {"seq", 2}}));
    for (Device *dv : {&a1, &a2})
        QVERIFY((*dv)->waitForEvent(kReceipt, 10'000, isReceipt(c, "read", 2)));
    QVERIFY(a1->barrier());
    QVERIFY(a1->expectNoEvent(kReceipt));
    QCOMPARE(states(a1.client.get(), 2),
             (State{{b.userId, {true, false}}, {c.userId, {true, true}}}));

    // Two senders: one read watermark from B passes A's and C's messages; each hears once.
    const QJsonObject answer = c1->sendMessage(conv, QStringLiteral("answer")); // 3
    TERN_VERIFY_ACK(answer);
    QVERIFY(b1->waitForEvent(kMessage, 10'000, seqIn(conv, 3)));
    TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"conversation", conv}, {"seq", 3}}));
    for (Device *dv : {&a1, &a2, &c1, &b2})
        QVERIFY2((*dv)->waitForEvent(kReceipt, 10'000, isReceipt(b, "read", 3)),
                 qPrintable(QStringLiteral("no read receipt on ") + dv->deviceId()));
    QVERIFY(a1->barrier() && c1->barrier());
    QCOMPARE(a1->takeEvents(kReceipt).size(), 0);
    QCOMPARE(c1->takeEvents(kReceipt).size(), 0);
    QCOMPARE(states(c1.client.get(), 3),
             (State{{a.userId, {false, false}}, {b.userId, {true, true}}}));

    // A member added later is not asked about messages from before their time.
    QVERIFY(isBareAck(groupOp(a1.client.get(), QStringLiteral("add_members"), conv,
                              {{"members", QJsonArray{d.userId}}}))); // 4
    QVERIFY(d1->waitForEvent(kMessage, 10'000, seqIn(conv, 4)));
    QCOMPARE(states(a1.client.get(), 2).keys().size(), 2);
    QVERIFY(!states(a1.client.get(), 2).contains(d.userId));
    const QJsonObject late = a1->sendMessage(conv, QStringLiteral("for everyone")); // 5
    TERN_VERIFY_ACK(late);
    TERN_VERIFY_ACK(d1->request({{"type", "delivery"}, {"conversation", conv}, {"seq", 5}}));
    QVERIFY(a1->waitForEvent(kReceipt, 10'000, isReceipt(d, "delivered", 5)));
    QCOMPARE(
        states(a1.client.get(), 5),
        (State{{b.userId, {false, false}}, {c.userId, {false, false}}, {d.userId, {true, false}}}));
    // B asks: A, C and D are listed, never the asker.
    QCOMPARE(toSet(states(b1.client.get(), 5).keys()),
             (QSet<QString>{a.userId, c.userId, d.userId}));
}

void TestGroups::nonMemberLearnsNothing_data()
{
    QTest::addColumn<QString>("who");
    QTest::newRow("stranger") << QStringLiteral("stranger");
    QTest::newRow("member who left") << QStringLiteral("left");
    QTest::newRow("removed member") << QStringLiteral("removed");
}

void TestGroups::nonMemberLearnsNothing()
{
    QFETCH(QString, who);
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b")),
                   x = user(QStringLiteral("x"));
    QVERIFY(a.ok() && b.ok() && x.ok());
    Device a1 = device(a, QStringLiteral("a1")), b1 = device(b, QStringLiteral("b1"));
    Device x1 = device(x, QStringLiteral("x1"));
    QVERIFY(a1.ok() && b1.ok() && x1.ok());
    const bool wasMember = who != QLatin1String("stranger");
    const QString conv =
        createGroup(a1.client.get(), QStringLiteral("Secret"),
                    wasMember ? QStringList{b.userId, x.userId} : QStringList{b.userId});
    QVERIFY(!conv.isEmpty());
    TERN_VERIFY_ACK(a1->sendMessage(conv, QStringLiteral("private")));
    if (who == QLatin1String("left"))
        QVERIFY(isBareAck(groupOp(x1.client.get(), QStringLiteral("leave"), conv)));
    if (who == QLatin1String("removed"))
        QVERIFY(isBareAck(
            groupOp(a1.client.get(), QStringLiteral("remove_member"), conv, {{"user", x.userId}})));
    const qint64 last = wasMember ? 3 : 2;
    QVERIFY(b1->waitForEvent(kMessage, 10'000, seqIn(conv, last)));
    if (wasMember)
        QVERIFY(x1->waitForEvent(kMessage, 10'000, seqIn(conv, last)));
    QVERIFY(x1->barrier());
    x1->clearEvents();

    const QString missing = siblingId(conv);
    auto attempts = [&](const QString &target) {
        QList<QJsonObject> replies;
        replies << x1->request({{"type", "history"}, {"conversation", target}});
        replies << x1->sendMessage(target, QStringLiteral("let me in"));
        replies << receipts(x1.client.get(), target, 1);
        replies << x1->request({{"type", "typing"}, {"conversation", target}});
        replies << x1->request({{"type", "delivery"}, {"conversation", target}, {"seq", 1}});
        replies << x1->request({{"type", "read"}, {"conversation", target}, {"seq", 1}});
        replies << groupOp(x1.client.get(), QStringLiteral("add_members"), target,
                           {{"members", QJsonArray{x.userId}}});
        replies << groupOp(x1.client.get(), QStringLiteral("add_members"), target,
                           {{"members", QJsonArray{b.userId}}});
        replies << groupOp(x1.client.get(), QStringLiteral("remove_member"), target,
                           {{"user", b.userId}});
        replies << groupOp(x1.client.get(), QStringLiteral("rename"), target, {{"name", "Mine"}});
        replies << groupOp(x1.client.get(), QStringLiteral("leave"), target);
        replies << groupOp(x1.client.get(), QStringLiteral("set_role"), target,
                           {{"user", b.userId}, {"role", "admin"}});
        return replies;
    };
    const QList<QJsonObject> real = attempts(conv);
    const QList<QJsonObject> fake = attempts(missing);
    QCOMPARE(real.size(), fake.size());
    for (int i = 0; i < real.size(); ++i) {
        TERN_VERIFY_ERROR(real[i], "not_found");
        TERN_VERIFY_ERROR(fake[i], "not_found");
        QString realText = real[i].value(QStringLiteral("message")).toString();
        QString fakeText = fake[i].value(QStringLiteral("message")).toString();
        realText.replace(conv, QStringLiteral("<id>"));
        fakeText.replace(missing, QStringLiteral("<id>"));
        QCOMPARE(realText, fakeText);
        QStringList realKeys = real[i].keys(), fakeKeys = fake[i].keys();
        QCOMPARE(realKeys, fakeKeys);
    }
    // A typing notification (no id) gets an id-less not_found.
    x1->send({{"type", "typing"}, {"conversation", conv}});
    const auto typingError = x1->waitForEvent(QStringLiteral("error"), 10'000);
    QVERIFY(typingError);
    QCOMPARE(typingError->value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
    QVERIFY(!typingError->contains(QStringLiteral("id")));

    // Not listed, and untouched by what happens in the group.
    QVERIFY(entry(x1.client.get(), conv).isEmpty());
    QVERIFY(entry(a1.client.get(), conv).value(QStringLiteral("members")).toArray().size() == 2);
    TERN_VERIFY_ACK(a1->sendMessage(conv, QStringLiteral("still private")));
    QVERIFY(isBareAck(
        groupOp(a1.client.get(), QStringLiteral("rename"), conv, {{"name", "Secret 2"}})));
    b1->send({{"type", "typing"}, {"conversation", conv}});
    TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"conversation", conv}, {"seq", last + 1}}));
    QVERIFY(a1->waitForEvent(kTyping, 10'000));
    QVERIFY(a1->waitForEvent(kReceipt, 10'000));
    QVERIFY(b1->waitForEvent(kMessage, 10'000, seqIn(conv, last + 2)));
    QVERIFY(x1->barrier()); // each of those went out to its recipients at once
    const QList<QJsonObject> leftovers = x1->takeEvents();
    QVERIFY2(leftovers.isEmpty(), qPrintable(toJson(leftovers.value(0))));
    // The group's history is unchanged by all those attempts.
    QCOMPARE(seqsOf(history(a1.client.get(), conv)), range(1, last + 2));
}

void TestGroups::fiveHundredMembers()
{
    constexpr int kLimit = 500;
    QElapsedTimer timer;
    timer.start();
    // Owner, 499 members, and two more who will not fit.
    const QList<TestUser> users = registerMany(kLimit + 2, QStringLiteral("big"));
    QCOMPARE(users.size(), kLimit + 2);
    const TestUser &owner = users.first();
    const QList<TestUser> members = users.mid(1, kLimit - 1);
    const TestUser &extra1 = users.at(kLimit), &extra2 = users.at(kLimit + 1);
    QStringList memberIds;
    for (const TestUser &u : members)
        memberIds << u.userId;
    qInfo("registered %d users in %lld ms", int(users.size()), timer.restart());

    // Every member online: 499 devices, the owner's two, and one for a user left outside.
    std::vector<Device> devices = loginMany(users.mid(1), QStringLiteral("big"));
    QCOMPARE(int(devices.size()), kLimit + 1);
    Device o1 = device(owner, QStringLiteral("o1")), o2 = device(owner, QStringLiteral("o2"));
    QVERIFY(o1.ok() && o2.ok());
    Device &outside = devices.back(); // extra2's device
    qInfo("logged in %d devices in %lld ms", int(devices.size()) + 2, timer.restart());

    // Owner + 500 others is one too many: refused, nothing created.
    const QJsonObject tooBig = o1->request(
        {{"type", "create_group"},
         {"name", "Too big"},
         {"members", QJsonArray::fromStringList(memberIds + QStringList{extra1.userId})}});
    TERN_VERIFY_ERROR(tooBig, "limit_exceeded");
    const QJsonObject none = o1->request({{"type", "conversations"}});
    TERN_VERIFY_ACK(none);
    QCOMPARE(none.value(QStringLiteral("conversations")).toArray().size(), 0);

    // Owner + 499 is exactly the limit.
    QJsonObject reply;
    const QString conv =
        createGroup(o1.client.get(), QStringLiteral("Everyone"), memberIds, &reply);
    QVERIFY2(!conv.isEmpty(), qPrintable(toJson(reply)));
    // Waits until every member device (and `alsoOn`) has the message `seq`, then checks it.
    auto everyoneHas = [&](qint64 seq, const QList<TestClient *> &alsoOn, const QString &content) {
        QList<TestClient *> clients = alsoOn;
        for (int i = 0; i < kLimit - 1; ++i)
            clients << devices[i].client.get();
        qsizetype done = 0;
        const bool all = spinUntil(
            [&] {
                while (done < clients.size() && clients[done]->eventCount(kMessage) > 0)
                    ++done;
                return done == clients.size();
            },
            30'000);
        if (!all) {
            qWarning("only %lld of %lld devices got seq %lld", qlonglong(done),
                     qlonglong(clients.size()), seq);
            return false;
        }
        for (TestClient *client : std::as_const(clients)) {
            const auto event = client->waitForEvent(kMessage, 0, seqIn(conv, seq));
            if (!event || (!content.isEmpty() &&
                           event->value(QStringLiteral("content")).toString() != content)) {
                qWarning("seq %lld missing or wrong: %s", seq,
                         qPrintable(event ? toJson(*event) : QString()));
                return false;
            }
        }
        return true;
    };
    const auto created = o2->waitForEvent(kMessage, 30'000, seqIn(conv, 1));
    QVERIFY(created);
    QCOMPARE(stringList(contentOf(*created).value(QStringLiteral("users"))).size(), kLimit - 1);
    QVERIFY2(everyoneHas(1, {o1.client.get()}, {}), "not every member got the created message");
    // Nothing else reached anyone (the refused create_group above included).
    for (Device &d : devices)
        QVERIFY2(d->eventCount(kMessage) == 0,
                 qPrintable(toJson(d->takeEvents(kMessage).value(0))));
    qInfo("created the group in %lld ms", timer.restart());

    // The 501st member is refused, alone or with others, and nothing changes.
    for (const QStringList &add :
         {QStringList{extra1.userId}, QStringList{extra1.userId, extra2.userId},
          QStringList{memberIds.first(), extra2.userId}}) {
        TERN_VERIFY_ERROR(groupOp(o1.client.get(), QStringLiteral("add_members"), conv,
                                  {{"members", QJsonArray::fromStringList(add)}}),
                          "limit_exceeded");
    }
    QJsonObject e = entry(o1.client.get(), conv);
    QCOMPARE(intField(e, QStringLiteral("last_seq")), 1);
    QCOMPARE(e.value(QStringLiteral("members")).toArray().size(), kLimit);
    QVERIFY(entry(outside.client.get(), conv).isEmpty());

    // One message reaches all 500 members' online devices (the sender's other device included).
    const QJsonObject sent = o1->sendMessage(conv, QStringLiteral("hello, all 500"));
    TERN_VERIFY_ACK(sent);
    QCOMPARE(intField(sent, QStringLiteral("seq")), 2);
    QElapsedTimer fanOut;
    fanOut.start();
    QVERIFY2(everyoneHas(2, {o2.client.get()}, QStringLiteral("hello, all 500")),
             "not every member got the message");
    qInfo("one message reached 500 members in %lld ms", fanOut.elapsed());
    QVERIFY(o1->expectNoEvent(kMessage, seqIn(conv, 2)));

    // A burst from a member: everyone else gets all of it, in seq order.
    constexpr int kBurst = 10;
    QStringList ids;
    for (int i = 0; i < kBurst; ++i)
        ids << devices[0]->post(TestClient::messageObject(conv, QStringLiteral("burst %1").arg(i)));
    QVERIFY(devices[0]->waitForReplies(ids, 30'000));
    QVERIFY(spinUntil(
        [&] {
            for (int i = 1; i < kLimit - 1; ++i)
                if (devices[i]->eventCount(kMessage) < kBurst)
                    return false;
            return o2->eventCount(kMessage) >= kBurst;
        },
        30'000));
    for (int i = 1; i < kLimit - 1; ++i)
        QCOMPARE(seqsOf(devices[i]->takeEvents(kMessage)), range(3, 2 + kBurst));
    QCOMPARE(seqsOf(o2->takeEvents(kMessage)), range(3, 2 + kBurst));
    QVERIFY(devices[0]->expectNoEvent(kMessage));
    qInfo("burst of %d reached everyone in %lld ms", kBurst, timer.restart());
    // Nobody outside heard anything.
    QVERIFY(outside->expectNoEvent(kMessage));

    // Room for exactly one after a removal.
    QVERIFY(isBareAck(groupOp(o1.client.get(), QStringLiteral("remove_member"), conv,
                              {{"user", memberIds.last()}})));
    TERN_VERIFY_ERROR(groupOp(o1.client.get(), QStringLiteral("add_members"), conv,
                              {{"members", QJsonArray{extra1.userId, extra2.userId}}}),
                      "limit_exceeded");
    QVERIFY(isBareAck(groupOp(o1.client.get(), QStringLiteral("add_members"), conv,
                              {{"members", QJsonArray{extra1.userId}}})));
    TERN_VERIFY_ERROR(groupOp(o1.client.get(), QStringLiteral("add_members"), conv,
                              {{"members", QJsonArray{extra2.userId}}}),
                      "limit_exceeded");
    e = entry(o1.client.get(), conv);
    QCOMPARE(e.value(QStringLiteral("members")).toArray().size(), kLimit);
    QCOMPARE(intField(e, QStringLiteral("last_seq")), 2 + kBurst + 2);
    qInfo("limit checks done in %lld ms", timer.elapsed());
}

void TestGroups::configuredLimit()
{
    // The limit comes from the configuration: a server that allows 3 members.
    ServerFixture small;
    small.config().groupMemberLimit = 3;
    QVERIFY2(small.start(), qPrintable(small.errorString()));
    QList<TestUser> users;
    for (const char *prefix : {"o", "m1", "m2", "m3"}) {
        users << createUser(small.url(), QLatin1String(prefix));
        QVERIFY(users.last().ok());
    }
    Device o1 = loginDevice(small.url(), users[0], QStringLiteral("o1"));
    Device m3 = loginDevice(small.url(), users[3], QStringLiteral("m3"));
    QVERIFY(o1.ok() && m3.ok());
    TERN_VERIFY_ERROR(
        o1->request({{"type", "create_group"},
                     {"name", "Four"},
                     {"members", QJsonArray{users[1].userId, users[2].userId, users[3].userId}}}),
        "limit_exceeded");
    const QString conv =
        createGroup(o1.client.get(), QStringLiteral("Three"), {users[1].userId, users[2].userId});
    QVERIFY(!conv.isEmpty());
    TERN_VERIFY_ERROR(groupOp(o1.client.get(), QStringLiteral("add_members"), conv,
                              {{"members", QJsonArray{users[3].userId}}}),
                      "limit_exceeded");
    const QJsonObject e = entry(o1.client.get(), conv);
    QCOMPARE(e.value(QStringLiteral("members")).toArray().size(), 3);
    QCOMPARE(intField(e, QStringLiteral("last_seq")), 1);
    QVERIFY(m3->barrier());
    QVERIFY(m3->expectNoEvent(kMessage));
    small.stop();
}

//! "Message info" times: when each member's watermark passed the message, to the minute, in
//! groups only, known for the last 30 days (the server keeps move times that long).
void TestGroups::receiptTimes()
{
    const TestUser a = user(QStringLiteral("ta")), b = user(QStringLiteral("tb"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = device(a, QStringLiteral("a1")), b1 = device(b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    const QString conv = createGroup(a1.client.get(), QStringLiteral("Times"), {b.userId}); // 1
    QVERIFY(!conv.isEmpty());
    TERN_VERIFY_ACK(a1->sendMessage(conv, QStringLiteral("first")));  // 2
    TERN_VERIFY_ACK(a1->sendMessage(conv, QStringLiteral("second"))); // 3
    // member -> {delivered_ts, read_ts}, -1 when absent
    auto times = [&](qint64 seq) {
        QPair<qint64, qint64> out{-2, -2};
        const QJsonObject reply = receipts(a1.client.get(), conv, seq);
        for (const QJsonValue &v : reply.value(QStringLiteral("members")).toArray()) {
            const QJsonObject m = v.toObject();
            if (m.value(QStringLiteral("user_id")).toString() != b.userId)
                continue;
            out = {m.contains(QStringLiteral("delivered_ts"))
                       ? intField(m, QStringLiteral("delivered_ts"))
                       : -1,
                   m.contains(QStringLiteral("read_ts")) ? intField(m, QStringLiteral("read_ts"))
                                                         : -1};
        }
        return out;
    };
    QCOMPARE(times(2), (QPair<qint64, qint64>{-1, -1})); // not delivered yet

    const qint64 delivered = tern::nowMs();
    TERN_VERIFY_ACK(b1->request({{"type", "delivery"}, {"conversation", conv}, {"seq", 2}}));
    tern::advanceClockForTesting(5 * 60 * 1000);
    const qint64 read = tern::nowMs();
    TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"conversation", conv}, {"seq", 3}}));
    const qint64 after = tern::nowMs();
    const QPair<qint64, qint64> first = times(2);
    QVERIFY2(first.first >= delivered && first.first < read,
             qPrintable(QStringLiteral("%1 %2").arg(delivered).arg(first.first)));
    QVERIFY(first.second >= read && first.second <= after);
    // Seq 3 was delivered by the read that passed it.
    const QPair<qint64, qint64> second = times(3);
    QVERIFY(second.first >= read && second.first <= after);
    QCOMPARE(second.second, second.first);

    // A direct chat has ticks, not message info: no times.
    const QJsonObject direct = a1->sendMessage(b.userId, QStringLiteral("direct"));
    TERN_VERIFY_ACK(direct);
    const QString directConv = direct.value(QStringLiteral("conversation")).toString();
    TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"conversation", directConv}, {"seq", 1}}));
    const QJsonObject directInfo = receipts(a1.client.get(), directConv, 1);
    const QJsonObject bInDirect =
        directInfo.value(QStringLiteral("members")).toArray().at(0).toObject();
    QVERIFY(bInDirect.value(QStringLiteral("read")).toBool());
    QVERIFY(!bInDirect.contains(QStringLiteral("read_ts")));

    // A month on: the old moves are dropped (but the newest before the cut, which a new move
    // needs to have a time), so seq 2 has none any more; the new message has its own.
    tern::advanceClockForTesting(qint64(31) * 24 * 3600 * 1000);
    TERN_VERIFY_ACK(a1->sendMessage(conv, QStringLiteral("third"))); // 4
    const qint64 late = tern::nowMs();
    TERN_VERIFY_ACK(b1->request({{"type", "read"}, {"conversation", conv}, {"seq", 4}}));
    QCOMPARE(times(2), (QPair<qint64, qint64>{-1, -1}));
    const QPair<qint64, qint64> third = times(4);
    QVERIFY2(third.first >= late && third.second >= late,
             qPrintable(QStringLiteral("%1 %2 %3").arg(late).arg(third.first).arg(third.second)));
}

QTEST_GUILESS_MAIN(TestGroups)
#include "tst_groups.moc"
