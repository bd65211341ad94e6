// The `users` request over the wire: names of the asker and of users sharing (or having shared)
// a conversation with them; strangers and unknown ids are left out silently; more than 500 ids
// is bad_request; only for authenticated connections. One in-process server; fresh users per
// test function.

#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QJsonArray>
#include <QtTest>

using namespace tern::test;

class TestUsers : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void coMembersAndSelf();
    void directChatPeer();
    void formerMemberStaysKnown();
    void limits_data();
    void limits();
    void unauthenticated();

private:
    QUrl url() const { return m_server.url(); }
    TestUser user(const QString &prefix, const QString &display = {})
    {
        return createUser(url(), prefix, display);
    }
    static QString createGroup(TestClient *client, const QStringList &members);
    //! The `users` answer as user id -> entry (a failed request gives an empty map).
    static QHash<QString, QJsonObject> ask(TestClient *client, const QStringList &ids,
                                           QJsonObject *reply = nullptr);

    ServerFixture m_server;
};

void TestUsers::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void TestUsers::cleanupTestCase()
{
    m_server.stop();
}

QString TestUsers::createGroup(TestClient *client, const QStringList &members)
{
    const QJsonObject reply = client->request({{"type", "create_group"},
                                               {"name", "Names"},
                                               {"members", QJsonArray::fromStringList(members)}});
    if (!isAck(reply))
        qWarning("create_group failed: %s", qPrintable(toJson(reply)));
    return reply.value(QStringLiteral("conversation")).toString();
}

QHash<QString, QJsonObject> TestUsers::ask(TestClient *client, const QStringList &ids,
                                           QJsonObject *reply)
{
    const QJsonObject r =
        client->request({{"type", "users"}, {"users", QJsonArray::fromStringList(ids)}});
    if (reply)
        *reply = r;
    QHash<QString, QJsonObject> out;
    if (!isAck(r))
        return out;
    for (const QJsonValue &v : r.value(QStringLiteral("users")).toArray())
        out.insert(v.toObject().value(QStringLiteral("user_id")).toString(), v.toObject());
    return out;
}

void TestUsers::coMembersAndSelf()
{
    const TestUser a = user(QStringLiteral("a"), QStringLiteral("Ada Asker"));
    const TestUser b = user(QStringLiteral("b"), QStringLiteral("Bea Member"));
    const TestUser s = user(QStringLiteral("s"), QStringLiteral("Sam Stranger"));
    QVERIFY(a.ok() && b.ok() && s.ok());
    Device a1 = loginDevice(url(), a, QStringLiteral("a1"));
    QVERIFY(a1.ok());

    // Before sharing anything, only the asker themself is answered.
    QJsonObject reply;
    QHash<QString, QJsonObject> answer = ask(a1.client.get(), {a.userId, b.userId}, &reply);
    TERN_VERIFY_ACK(reply);
    QCOMPARE(answer.size(), 1);
    QCOMPARE(answer.value(a.userId).value(QStringLiteral("display_name")).toString(),
             QStringLiteral("Ada Asker"));
    QCOMPARE(answer.value(a.userId).value(QStringLiteral("user")).toString(), a.name);

    QVERIFY(!createGroup(a1.client.get(), {b.userId}).isEmpty());
    answer =
        ask(a1.client.get(),
            {b.userId, s.userId, QStringLiteral("u-no-such-user"), a.userId, b.userId}, &reply);
    TERN_VERIFY_ACK(reply);
    QCOMPARE(answer.size(), 2); // the stranger and the unknown id are left out, b once
    QCOMPARE(reply.value(QStringLiteral("users")).toArray().size(), 2);
    QCOMPARE(answer.value(b.userId).value(QStringLiteral("display_name")).toString(),
             QStringLiteral("Bea Member"));
    QCOMPARE(answer.value(b.userId).value(QStringLiteral("user")).toString(), b.name);
    QVERIFY(!answer.contains(s.userId));

    // The other way round too; the stranger learns nothing about either.
    Device b1 = loginDevice(url(), b, QStringLiteral("b1"));
    Device s1 = loginDevice(url(), s, QStringLiteral("s1"));
    QVERIFY(b1.ok() && s1.ok());
    QCOMPARE(ask(b1.client.get(), {a.userId}).size(), 1);
    answer = ask(s1.client.get(), {a.userId, b.userId}, &reply);
    TERN_VERIFY_ACK(reply);
    QVERIFY(answer.isEmpty());
}

void TestUsers::directChatPeer()
{
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = loginDevice(url(), a, QStringLiteral("a1"));
    Device b1 = loginDevice(url(), b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    QVERIFY(ask(b1.client.get(), {a.userId}).isEmpty());
    TERN_VERIFY_ACK(a1->sendMessage(b.userId, QStringLiteral("hi")));
    const QHash<QString, QJsonObject> answer = ask(b1.client.get(), {a.userId});
    QCOMPARE(answer.size(), 1);
    QCOMPARE(answer.value(a.userId).value(QStringLiteral("display_name")).toString(),
             a.displayName.isEmpty() ? a.name : a.displayName);
}

void TestUsers::formerMemberStaysKnown()
{
    // Names appear in history, so a member who was removed keeps being named.
    const TestUser a = user(QStringLiteral("a")), b = user(QStringLiteral("b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = loginDevice(url(), a, QStringLiteral("a1"));
    QVERIFY(a1.ok());
    const QString group = createGroup(a1.client.get(), {b.userId});
    QVERIFY(!group.isEmpty());
    TERN_VERIFY_ACK(
        a1->request({{"type", "remove_member"}, {"conversation", group}, {"user", b.userId}}));
    QCOMPARE(ask(a1.client.get(), {b.userId}).size(), 1);
}

void TestUsers::limits_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("code"); // empty: ack
    QTest::newRow("none") << 0 << QString();
    QTest::newRow("500 ids") << 500 << QString();
    QTest::newRow("501 ids") << 501 << QStringLiteral("bad_request");
    QTest::newRow("1001 ids") << 1001 << QStringLiteral("bad_request");
}

void TestUsers::limits()
{
    QFETCH(int, count);
    QFETCH(QString, code);
    const TestUser a = user(QStringLiteral("a"));
    QVERIFY(a.ok());
    Device a1 = loginDevice(url(), a, QStringLiteral("a1"));
    QVERIFY(a1.ok());
    QStringList ids;
    if (count > 0)
        ids << a.userId;
    for (int i = 1; i < count; ++i)
        ids << QStringLiteral("u%1").arg(i, 20, 10, QLatin1Char('0'));
    QJsonObject reply;
    const QHash<QString, QJsonObject> answer = ask(a1.client.get(), ids, &reply);
    if (!code.isEmpty()) {
        TERN_VERIFY_ERROR(reply, code);
        // A malformed request does not break the connection.
        TERN_VERIFY_ACK(a1->request({{"type", "users"}, {"users", QJsonArray{a.userId}}}));
        return;
    }
    TERN_VERIFY_ACK(reply);
    QCOMPARE(answer.size(), count > 0 ? 1 : 0);
}

void TestUsers::unauthenticated()
{
    const TestUser a = user(QStringLiteral("a"));
    QVERIFY(a.ok());
    std::unique_ptr<TestClient> anonymous = connectClient(url());
    QVERIFY(anonymous && anonymous->isConnected());
    const QJsonObject reply =
        anonymous->request({{"type", "users"}, {"users", QJsonArray{a.userId}}});
    TERN_VERIFY_ERROR(reply, QStringLiteral("unauthenticated"));
    QVERIFY(!reply.contains(QStringLiteral("users")));
    // Missing list: bad_request once authenticated.
    Device a1 = loginDevice(url(), a, QStringLiteral("a1"));
    QVERIFY(a1.ok());
    TERN_VERIFY_ERROR(a1->request({{"type", "users"}}), QStringLiteral("bad_request"));
}

QTEST_GUILESS_MAIN(TestUsers)
#include "tst_users.moc"
