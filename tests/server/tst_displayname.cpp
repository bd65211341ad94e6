// `set_display_name` over the wire, against the real ternd binary: the ack carries the stored
// name; names register would refuse are bad_request and change nothing; the `user_updated`
// event reaches the user's other devices and everyone sharing a chat (not strangers); a device
// that was offline reads the new name from `users` and `conversations` after reconnecting;
// renames are rate-limited per user (--display-name-changes-per-minute).

#include "tests/support/ChildServer.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QJsonArray>
#include <QtTest>

using namespace tern::test;
using namespace Qt::StringLiterals;

class TestDisplayName : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void renameIsStoredAndAcked();
    void badNamesAreRefused_data();
    void badNamesAreRefused();
    void othersReceiveTheEvent();
    void offlineDeviceSeesNewNameAfterReconnect();
    void renamesAreRateLimited();
    void rateLimitFlag();

private:
    QUrl url() const { return m_server.url(); }
    static QJsonObject rename(TestClient *client, const QString &name)
    {
        return client->request({{"type", "set_display_name"}, {"display_name", name}});
    }
    static QString nameOf(TestClient *client, const QString &userId);

    ChildServer m_server;
};

void TestDisplayName::initTestCase()
{
    if (ChildServer::binaryPath().isEmpty())
        QSKIP("TERND_BINARY is not set (run through ctest)");
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

QString TestDisplayName::nameOf(TestClient *client, const QString &userId)
{
    const QJsonObject reply = client->request({{"type", "users"}, {"users", QJsonArray{userId}}});
    const QJsonArray users = reply.value("users"_L1).toArray();
    return users.isEmpty() ? QString()
                           : users.first().toObject().value("display_name"_L1).toString();
}

void TestDisplayName::renameIsStoredAndAcked()
{
    const TestUser a = createUser(url(), u"ren"_s, u"Alice"_s);
    QVERIFY(a.ok());
    Device d = loginDevice(url(), a, u"laptop"_s);
    QVERIFY(d.ok());
    const QJsonObject reply = rename(d.client.get(), u"  Alice Smith 🌸 "_s);
    TERN_VERIFY_ACK(reply);
    // Stored without the surrounding blanks; the ack says what was stored.
    QCOMPARE(reply.value("display_name"_L1).toString(), u"Alice Smith 🌸"_s);
    QCOMPARE(nameOf(d.client.get(), a.userId), u"Alice Smith 🌸"_s);
    // Emoji sequences keep their zero-width joiner, as in register.
    const QString family = u"Fam \U0001F468\u200D\U0001F469\u200D\U0001F467"_s;
    TERN_VERIFY_ACK(rename(d.client.get(), family));
    QCOMPARE(nameOf(d.client.get(), a.userId), family);

    // Before authentication: unauthenticated, like every request but the account ones.
    auto anonymous = connectClient(url());
    QVERIFY(anonymous);
    TERN_VERIFY_ERROR(rename(anonymous.get(), u"Mallory"_s), "unauthenticated");
}

void TestDisplayName::badNamesAreRefused_data()
{
    QTest::addColumn<QJsonValue>("name");
    QTest::newRow("empty") << QJsonValue(u""_s);
    QTest::newRow("blank") << QJsonValue(u"   "_s);
    QTest::newRow("65 characters") << QJsonValue(QString(65, u'x'));
    QTest::newRow("control") << QJsonValue(u"Al\u0007ice"_s);
    QTest::newRow("newline") << QJsonValue(u"Al\nice"_s);
    QTest::newRow("right-to-left override") << QJsonValue(u"\u202Eecila"_s);
    QTest::newRow("zero-width space") << QJsonValue(u"al\u200Bice"_s);
    QTest::newRow("line separator") << QJsonValue(u"Al\u2028ice"_s);
    QTest::newRow("not a string") << QJsonValue(42);
    QTest::newRow("missing") << QJsonValue(QJsonValue::Undefined);
}

void TestDisplayName::badNamesAreRefused()
{
    QFETCH(QJsonValue, name);
    const TestUser a = createUser(url(), u"bad"_s, u"Alice"_s);
    QVERIFY(a.ok());
    Device d = loginDevice(url(), a, u"laptop"_s);
    QVERIFY(d.ok());
    QJsonObject request{{"type", "set_display_name"}};
    if (!name.isUndefined())
        request.insert("display_name"_L1, name);
    const QJsonObject reply = d->request(request);
    TERN_VERIFY_ERROR(reply, "bad_request");
    QVERIFY2(reply.value("message"_L1).toString().contains("display_name"_L1),
             qPrintable(toJson(reply)));
    QCOMPARE(nameOf(d.client.get(), a.userId), u"Alice"_s);
    QVERIFY(d->barrier()); // an event would have gone out with the refusal
    QVERIFY(d->expectNoEvent(u"user_updated"_s));
    // 64 characters are fine.
    TERN_VERIFY_ACK(rename(d.client.get(), QString(64, u'y')));
}

void TestDisplayName::othersReceiveTheEvent()
{
    const TestUser a = createUser(url(), u"eva"_s, u"Alice"_s);
    const TestUser b = createUser(url(), u"evb"_s, u"Bob"_s);
    const TestUser g = createUser(url(), u"evg"_s, u"Gina"_s);
    const TestUser s = createUser(url(), u"evs"_s, u"Stranger"_s);
    QVERIFY(a.ok() && b.ok() && g.ok() && s.ok());
    Device a1 = loginDevice(url(), a, u"a1"_s);
    Device a2 = loginDevice(url(), a, u"a2"_s);
    Device b1 = loginDevice(url(), b, u"b1"_s);
    Device g1 = loginDevice(url(), g, u"g1"_s);
    Device s1 = loginDevice(url(), s, u"s1"_s);
    QVERIFY(a1.ok() && a2.ok() && b1.ok() && g1.ok() && s1.ok());
    // Bob shares a direct chat with Alice, Gina a group.
    TERN_VERIFY_ACK(a1->sendMessage(b.userId, u"hi"_s));
    TERN_VERIFY_ACK(
        a1->request({{"type", "create_group"}, {"name", "G"}, {"members", QJsonArray{g.userId}}}));

    TERN_VERIFY_ACK(rename(a1.client.get(), u"Alice Smith"_s));
    const auto isAlice = [&](const QJsonObject &e) {
        return e.value("user_id"_L1).toString() == a.userId;
    };
    for (Device *d : {&b1, &g1, &a2, &a1}) {
        const std::optional<QJsonObject> event =
            (*d)->waitForEvent(u"user_updated"_s, 10'000, isAlice);
        QVERIFY2(event, qPrintable(d->deviceId()));
        QCOMPARE(event->value("display_name"_L1).toString(), u"Alice Smith"_s);
    }
    QVERIFY(s1->barrier()); // the event went to all its recipients at once
    QVERIFY(s1->expectNoEvent(u"user_updated"_s));
}

void TestDisplayName::offlineDeviceSeesNewNameAfterReconnect()
{
    const TestUser a = createUser(url(), u"ofa"_s, u"Alice"_s);
    const TestUser b = createUser(url(), u"ofb"_s, u"Bob"_s);
    QVERIFY(a.ok() && b.ok());
    Device a1 = loginDevice(url(), a, u"a1"_s);
    Device b1 = loginDevice(url(), b, u"b1"_s);
    QVERIFY(a1.ok() && b1.ok());
    TERN_VERIFY_ACK(a1->sendMessage(b.userId, u"hi"_s));
    const LoginInfo bobLogin = b1.login;
    b1.client->close();
    QVERIFY(b1->waitForDisconnected());
    b1.client.reset();

    TERN_VERIFY_ACK(rename(a1.client.get(), u"Alice Offline-Proof"_s));

    Device again = reconnectDevice(url(), bobLogin);
    QVERIFY(again.ok());
    TERN_VERIFY_ACK(again->request({{"type", "sync"}}));
    QCOMPARE(nameOf(again.client.get(), a.userId), u"Alice Offline-Proof"_s);
    // The direct chat's name is the other user's display name: the new one.
    const QJsonObject list = again->request({{"type", "conversations"}});
    TERN_VERIFY_ACK(list);
    const QJsonArray conversations = list.value("conversations"_L1).toArray();
    QCOMPARE(conversations.size(), 1);
    QCOMPARE(conversations.first().toObject().value("name"_L1).toString(),
             u"Alice Offline-Proof"_s);
}

void TestDisplayName::renamesAreRateLimited()
{
    const TestUser a = createUser(url(), u"rl"_s, u"Alice"_s);
    QVERIFY(a.ok());
    Device d = loginDevice(url(), a, u"laptop"_s);
    QVERIFY(d.ok());
    for (int i = 1; i <= 10; ++i)
        TERN_VERIFY_ACK(rename(d.client.get(), u"Alice %1"_s.arg(i)));
    const QJsonObject refused = rename(d.client.get(), u"Alice 11"_s);
    TERN_VERIFY_ERROR(refused, "rate_limited");
    QVERIFY(refused.value("message"_L1).toString().contains("10 a minute"_L1));
    QCOMPARE(nameOf(d.client.get(), a.userId), u"Alice 10"_s); // nothing changed
    // The bound is per user: another account renames freely.
    const TestUser b = createUser(url(), u"rl"_s, u"Bob"_s);
    Device e = loginDevice(url(), b, u"laptop"_s);
    QVERIFY(e.ok());
    TERN_VERIFY_ACK(rename(e.client.get(), u"Bob 1"_s));
}

void TestDisplayName::rateLimitFlag()
{
    ChildServer server;
    server.setExtraArgs({u"--display-name-changes-per-minute"_s, u"2"_s});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TestUser a = createUser(server.url(), u"fl"_s, u"Alice"_s);
    QVERIFY(a.ok());
    Device d = loginDevice(server.url(), a, u"laptop"_s);
    QVERIFY(d.ok());
    TERN_VERIFY_ACK(rename(d.client.get(), u"One"_s));
    TERN_VERIFY_ACK(rename(d.client.get(), u"Two"_s));
    TERN_VERIFY_ERROR(rename(d.client.get(), u"Three"_s), "rate_limited");
}

QTEST_GUILESS_MAIN(TestDisplayName)
#include "tst_displayname.moc"
