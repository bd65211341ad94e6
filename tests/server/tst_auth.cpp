// Accounts and sessions over the wire: register, login, auth, logout, rate limits, tokens
// across restarts. A fresh in-process server per test function (and per data row).

#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include "shared/core/Clock.h"

#include <QJsonArray>
#include <QtTest>

using namespace tern::test;

namespace {

QJsonObject withType(const QString &type, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("type"), type);
    return fields;
}

QString repeated(char c, int count)
{
    return QString(count, QLatin1Char(c));
}

} // namespace

class TestAuth : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void registerOk();
    void registerTakenName();
    void registerInvalid_data();
    void registerInvalid();
    void registerBoundaries_data();
    void registerBoundaries();
    void registerDoesNotAuthenticate();
    void loginOk();
    void loginWrongPasswordAndUnknownUser();
    void loginInvalid_data();
    void loginInvalid();
    void authOnNewConnection();
    void requestsPipelinedBehindAuthWait();
    void authBadToken_data();
    void authBadToken();
    void requestsBeforeAuth_data();
    void requestsBeforeAuth();
    void notificationsBeforeAuth();
    void heartbeatBeforeAuth();
    void alreadyAuthenticated_data();
    void alreadyAuthenticated();
    void logoutRevokesOnlyThatToken();
    void registrationDisabled();
    void accountRateLimit();
    void addressRateLimit();
    void tokenSurvivesRestart();
    void unusedTokensExpire();
    void longSessionsCountAsUse();

private:
    std::unique_ptr<TestClient> client();

    std::unique_ptr<ServerFixture> m_server;
};

void TestAuth::init()
{
    m_server = std::make_unique<ServerFixture>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestAuth::cleanup()
{
    m_server.reset();
}

std::unique_ptr<TestClient> TestAuth::client()
{
    return connectClient(m_server->url());
}

void TestAuth::registerOk()
{
    auto c = client();
    QVERIFY(c);
    const QJsonObject reply = c->registerUser(
        QStringLiteral("alice"), QStringLiteral("correct horse"), QStringLiteral("Alice A."));
    TERN_VERIFY_ACK(reply);
    QVERIFY2(!reply.value(QStringLiteral("user_id")).toString().isEmpty(),
             qPrintable(toJson(reply)));

    // A second user gets a different id; display_name is optional.
    const QJsonObject second = c->registerUser(QStringLiteral("bob"), QStringLiteral("password1"));
    TERN_VERIFY_ACK(second);
    QVERIFY(second.value(QStringLiteral("user_id")).toString() !=
            reply.value(QStringLiteral("user_id")).toString());
}

void TestAuth::registerTakenName()
{
    auto c = client();
    QVERIFY(c);
    TERN_VERIFY_ACK(c->registerUser(QStringLiteral("alice"), QStringLiteral("password-1")));
    TERN_VERIFY_ERROR(c->registerUser(QStringLiteral("alice"), QStringLiteral("password-2")),
                      "conflict");
    // From another connection as well.
    auto other = client();
    QVERIFY(other);
    TERN_VERIFY_ERROR(other->registerUser(QStringLiteral("alice"), QStringLiteral("password-3")),
                      "conflict");
}

void TestAuth::registerInvalid_data()
{
    QTest::addColumn<QJsonObject>("fields");
    const QString pw = QStringLiteral("password-123");
    auto row = [](const char *name, QJsonObject fields) { QTest::newRow(name) << fields; };
    row("name too short", {{"user", "ab"}, {"password", pw}});
    row("name too long", {{"user", repeated('a', 33)}, {"password", pw}});
    row("name uppercase", {{"user", "Alice"}, {"password", pw}});
    row("name with space", {{"user", "al ice"}, {"password", pw}});
    row("name with slash", {{"user", "al/ice"}, {"password", pw}});
    row("name with @", {{"user", "al@ice"}, {"password", pw}});
    row("name non-ascii", {{"user", QStringLiteral("älice")}, {"password", pw}});
    row("name empty", {{"user", ""}, {"password", pw}});
    row("name missing", {{"password", pw}});
    row("name not a string", {{"user", 42}, {"password", pw}});
    row("password too short", {{"user", "alice"}, {"password", "1234567"}});
    row("password empty", {{"user", "alice"}, {"password", ""}});
    row("password missing", {{"user", "alice"}});
    row("password not a string", {{"user", "alice"}, {"password", 12345678}});
    row("display name too long",
        {{"user", "alice"}, {"password", pw}, {"display_name", repeated('x', 65)}});
    row("display name not a string",
        {{"user", "alice"}, {"password", pw}, {"display_name", QJsonArray{1}}});
}

void TestAuth::registerInvalid()
{
    QFETCH(QJsonObject, fields);
    auto c = client();
    QVERIFY(c);
    const QString id = QStringLiteral("reg-1");
    fields.insert(QStringLiteral("id"), id);
    const QJsonObject reply = c->request(withType(QStringLiteral("register"), fields));
    TERN_VERIFY_ERROR(reply, "bad_request");
    QCOMPARE(reply.value(QStringLiteral("id")).toString(), id);
    QVERIFY(!reply.value(QStringLiteral("message")).toString().isEmpty());
    // Nothing was created: a valid registration of the same name still works.
    if (fields.value(QStringLiteral("user")).toString() == QStringLiteral("alice"))
        TERN_VERIFY_ACK(c->registerUser(QStringLiteral("alice"), QStringLiteral("password-123")));
}

void TestAuth::registerBoundaries_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::newRow("3-char name") << QStringLiteral("abc") << QStringLiteral("password-123");
    QTest::newRow("32-char name") << repeated('z', 32) << QStringLiteral("password-123");
    QTest::newRow("punctuation") << QStringLiteral("a.b_c-9") << QStringLiteral("password-123");
    QTest::newRow("8-char password") << QStringLiteral("alice") << QStringLiteral("12345678");
    QTest::newRow("8 non-ascii chars") << QStringLiteral("alice") << QStringLiteral("pässwörd");
}

void TestAuth::registerBoundaries()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    auto c = client();
    QVERIFY(c);
    TERN_VERIFY_ACK(c->registerUser(user, password));
    const LoginInfo login = c->login(user, password, QStringLiteral("laptop"));
    QVERIFY2(login.ok(), qPrintable(toJson(login.reply)));
}

void TestAuth::registerDoesNotAuthenticate()
{
    auto c = client();
    QVERIFY(c);
    TERN_VERIFY_ACK(c->registerUser(QStringLiteral("alice"), QStringLiteral("password-123")));
    TERN_VERIFY_ERROR(c->request(withType(QStringLiteral("conversations"))), "unauthenticated");
}

void TestAuth::loginOk()
{
    auto c = client();
    QVERIFY(c);
    const QJsonObject reg =
        c->registerUser(QStringLiteral("alice"), QStringLiteral("password-123"));
    TERN_VERIFY_ACK(reg);
    const LoginInfo first =
        c->login(QStringLiteral("alice"), QStringLiteral("password-123"), QStringLiteral("laptop"));
    QVERIFY2(first.ok(), qPrintable(toJson(first.reply)));
    QCOMPARE(first.userId, reg.value(QStringLiteral("user_id")).toString());
    QVERIFY(!first.deviceId.isEmpty());
    QVERIFY(first.token.size() >= 32);

    // Authenticated now.
    TERN_VERIFY_ACK(c->request(withType(QStringLiteral("conversations"))));

    // Every login is a new device with its own token.
    auto other = client();
    QVERIFY(other);
    const LoginInfo second = other->login(QStringLiteral("alice"), QStringLiteral("password-123"),
                                          QStringLiteral("phone"));
    QVERIFY2(second.ok(), qPrintable(toJson(second.reply)));
    QCOMPARE(second.userId, first.userId);
    QVERIFY(second.deviceId != first.deviceId);
    QVERIFY(second.token != first.token);
}

void TestAuth::loginWrongPasswordAndUnknownUser()
{
    auto c = client();
    QVERIFY(c);
    TERN_VERIFY_ACK(c->registerUser(QStringLiteral("alice"), QStringLiteral("password-123")));
    const LoginInfo wrong =
        c->login(QStringLiteral("alice"), QStringLiteral("password-124"), QStringLiteral("x"));
    TERN_VERIFY_ERROR(wrong.reply, "unauthenticated");
    const LoginInfo unknown =
        c->login(QStringLiteral("nobody"), QStringLiteral("password-123"), QStringLiteral("x"));
    TERN_VERIFY_ERROR(unknown.reply, "unauthenticated");
    // Names cannot be probed: the same text for both (docs/protocol.md).
    QCOMPARE(wrong.reply.value(QStringLiteral("message")),
             unknown.reply.value(QStringLiteral("message")));
    // Still unauthenticated.
    TERN_VERIFY_ERROR(c->request(withType(QStringLiteral("conversations"))), "unauthenticated");
}

void TestAuth::loginInvalid_data()
{
    QTest::addColumn<QJsonObject>("fields");
    QTest::newRow("device missing") << QJsonObject{{"user", "alice"}, {"password", "password-123"}};
    QTest::newRow("device empty") << QJsonObject{
        {"user", "alice"}, {"password", "password-123"}, {"device", ""}};
    QTest::newRow("device too long") << QJsonObject{
        {"user", "alice"}, {"password", "password-123"}, {"device", repeated('d', 65)}};
    QTest::newRow("user missing") << QJsonObject{{"password", "password-123"}, {"device", "x"}};
    QTest::newRow("password missing") << QJsonObject{{"user", "alice"}, {"device", "x"}};
    QTest::newRow("password number")
        << QJsonObject{{"user", "alice"}, {"password", 1}, {"device", "x"}};
}

void TestAuth::loginInvalid()
{
    QFETCH(QJsonObject, fields);
    auto c = client();
    QVERIFY(c);
    TERN_VERIFY_ACK(c->registerUser(QStringLiteral("alice"), QStringLiteral("password-123")));
    TERN_VERIFY_ERROR(c->request(withType(QStringLiteral("login"), fields)), "bad_request");
}

void TestAuth::authOnNewConnection()
{
    const TestUser alice = createUser(m_server->url(), QStringLiteral("alice"));
    QVERIFY(alice.ok());
    Device laptop = loginDevice(m_server->url(), alice, QStringLiteral("laptop"));
    QVERIFY(laptop.ok());

    auto c = client();
    QVERIFY(c);
    const QJsonObject reply = c->auth(laptop.token());
    TERN_VERIFY_ACK(reply);
    QCOMPARE(reply.value(QStringLiteral("user_id")).toString(), alice.userId);
    QCOMPARE(reply.value(QStringLiteral("device_id")).toString(), laptop.deviceId());
    TERN_VERIFY_ACK(c->request(withType(QStringLiteral("conversations"))));

    // The first connection of that device keeps working too.
    TERN_VERIFY_ACK(laptop->request(withType(QStringLiteral("conversations"))));
}

void TestAuth::requestsPipelinedBehindAuthWait()
{
    const TestUser alice = createUser(m_server->url(), QStringLiteral("alice"));
    QVERIFY(alice.ok());
    Device laptop = loginDevice(m_server->url(), alice, QStringLiteral("laptop"));
    QVERIFY(laptop.ok());

    // auth, then requests sent back to back without waiting: they are handled after the auth,
    // in order, instead of being refused as unauthenticated.
    auto c = client();
    QVERIFY(c);
    const QString authId = c->post(QJsonObject{{"type", "auth"}, {"token", laptop.token()}});
    const QString listId = c->post(withType(QStringLiteral("conversations")));
    const QString syncId = c->post(withType(QStringLiteral("sync")));
    QVERIFY(c->waitForReplies({authId, listId, syncId}, 10'000));
    TERN_VERIFY_ACK(*c->reply(authId));
    TERN_VERIFY_ACK(*c->reply(listId));
    TERN_VERIFY_ACK(*c->reply(syncId));

    // Behind a failing auth they get the error they would have got anyway.
    auto d = client();
    QVERIFY(d);
    const QString badAuth = d->post(QJsonObject{{"type", "auth"}, {"token", "not-a-token"}});
    const QString after = d->post(withType(QStringLiteral("conversations")));
    QVERIFY(d->waitForReplies({badAuth, after}, 10'000));
    QCOMPARE(d->reply(after)->value("code").toString(), QStringLiteral("unauthenticated"));
}

void TestAuth::authBadToken_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("garbage") << QStringLiteral("garbage");
    QTest::newRow("random 43 chars") << QStringLiteral("random");
    QTest::newRow("one char changed") << QStringLiteral("changed");
    QTest::newRow("truncated") << QStringLiteral("truncated");
}

void TestAuth::authBadToken()
{
    QFETCH(QString, kind);
    const TestUser alice = createUser(m_server->url(), QStringLiteral("alice"));
    QVERIFY(alice.ok());
    Device laptop = loginDevice(m_server->url(), alice, QStringLiteral("laptop"));
    QVERIFY(laptop.ok());

    QString token;
    if (kind == QStringLiteral("garbage")) {
        token = QStringLiteral("not-a-token");
    } else if (kind == QStringLiteral("random")) {
        token = QString::fromLatin1(QByteArray(32, 'x').toBase64(QByteArray::Base64UrlEncoding |
                                                                 QByteArray::OmitTrailingEquals));
    } else if (kind == QStringLiteral("changed")) {
        token = laptop.token();
        token[5] = token[5] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
    } else {
        token = laptop.token().left(laptop.token().size() - 1);
    }

    auto c = client();
    QVERIFY(c);
    TERN_VERIFY_ERROR(c->auth(token), "unauthenticated");
    TERN_VERIFY_ERROR(c->request(withType(QStringLiteral("conversations"))), "unauthenticated");
    // A good token afterwards on the same connection is fine.
    TERN_VERIFY_ACK(c->auth(laptop.token()));
}

void TestAuth::requestsBeforeAuth_data()
{
    QTest::addColumn<QJsonObject>("frame");
    const QString conv = QStringLiteral("c0000000000000000000");
    const QString user = QStringLiteral("u0000000000000000000");
    QTest::newRow("conversations") << QJsonObject{{"type", "conversations"}};
    QTest::newRow("history") << QJsonObject{{"type", "history"}, {"conversation", conv}};
    QTest::newRow("message") << QJsonObject{
        {"type", "message"}, {"to", user}, {"kind", "text"}, {"content", "hi"}};
    QTest::newRow("sync") << QJsonObject{{"type", "sync"}};
    QTest::newRow("logout") << QJsonObject{{"type", "logout"}};
    QTest::newRow("create_group") << QJsonObject{
        {"type", "create_group"}, {"name", "g"}, {"members", QJsonArray{user}}};
    QTest::newRow("add_members") << QJsonObject{
        {"type", "add_members"}, {"conversation", conv}, {"members", QJsonArray{user}}};
    QTest::newRow("remove_member")
        << QJsonObject{{"type", "remove_member"}, {"conversation", conv}, {"user", user}};
    QTest::newRow("leave") << QJsonObject{{"type", "leave"}, {"conversation", conv}};
    QTest::newRow("rename") << QJsonObject{
        {"type", "rename"}, {"conversation", conv}, {"name", "n"}};
    QTest::newRow("receipts") << QJsonObject{
        {"type", "receipts"}, {"conversation", conv}, {"seq", 1}};
    QTest::newRow("user_search") << QJsonObject{{"type", "user_search"}, {"query", "ali"}};
    QTest::newRow("presence") << QJsonObject{{"type", "presence"}, {"users", QJsonArray{user}}};
    QTest::newRow("delivery with id")
        << QJsonObject{{"type", "delivery"}, {"conversation", conv}, {"seq", 1}};
    QTest::newRow("read with id") << QJsonObject{
        {"type", "read"}, {"conversation", conv}, {"seq", 1}};
    QTest::newRow("typing with id") << QJsonObject{{"type", "typing"}, {"conversation", conv}};
}

void TestAuth::requestsBeforeAuth()
{
    QFETCH(QJsonObject, frame);
    auto c = client();
    QVERIFY(c);
    frame.insert(QStringLiteral("id"), QStringLiteral("early-1"));
    const QJsonObject reply = c->request(frame);
    TERN_VERIFY_ERROR(reply, "unauthenticated");
    QCOMPARE(reply.value(QStringLiteral("id")).toString(), QStringLiteral("early-1"));
    // The connection stays usable.
    TERN_VERIFY_ACK(c->registerUser(QStringLiteral("alice"), QStringLiteral("password-123")));
}

void TestAuth::notificationsBeforeAuth()
{
    // Without an id: no ack, but the error is sent all the same (and carries no id).
    auto c = client();
    QVERIFY(c);
    const QString conv = QStringLiteral("c0000000000000000000");
    const QList<QJsonObject> frames{
        {{"type", "typing"}, {"conversation", conv}},
        {{"type", "delivery"}, {"conversation", conv}, {"seq", 1}},
        {{"type", "read"}, {"conversation", conv}, {"seq", 1}},
    };
    for (const QJsonObject &frame : frames) {
        c->send(frame);
        const std::optional<QJsonObject> error = c->waitForEvent(QStringLiteral("error"));
        QVERIFY2(error, qPrintable(toJson(frame)));
        TERN_VERIFY_ERROR(*error, "unauthenticated");
        QVERIFY(!error->contains(QStringLiteral("id")));
    }
}

void TestAuth::heartbeatBeforeAuth()
{
    auto c = client();
    QVERIFY(c);
    c->setAutoHeartbeat(false);
    c->send({{"type", "heartbeat"}});
    // With an id it is answered (and after the first: an error for that one would be in).
    QVERIFY(c->barrier());
    QVERIFY(c->expectNoEvent(QStringLiteral("error")));
    QVERIFY(c->expectNoEvent(QStringLiteral("ack")));
}

void TestAuth::alreadyAuthenticated_data()
{
    QTest::addColumn<QString>("type");
    QTest::newRow("register") << QStringLiteral("register");
    QTest::newRow("login") << QStringLiteral("login");
    QTest::newRow("auth") << QStringLiteral("auth");
}

void TestAuth::alreadyAuthenticated()
{
    QFETCH(QString, type);
    const TestUser alice = createUser(m_server->url(), QStringLiteral("alice"));
    QVERIFY(alice.ok());
    Device laptop = loginDevice(m_server->url(), alice, QStringLiteral("laptop"));
    QVERIFY(laptop.ok());
    QJsonObject frame{{"type", type}};
    if (type == QStringLiteral("register"))
        frame = {{"type", type}, {"user", "carol"}, {"password", "password-123"}};
    else if (type == QStringLiteral("login"))
        frame = {{"type", type},
                 {"user", alice.name},
                 {"password", alice.password},
                 {"device", "again"}};
    else
        frame = {{"type", type}, {"token", laptop.token()}};
    TERN_VERIFY_ERROR(laptop->request(frame), "conflict");
    // Still authenticated as before.
    TERN_VERIFY_ACK(laptop->request(withType(QStringLiteral("conversations"))));
}

void TestAuth::logoutRevokesOnlyThatToken()
{
    const TestUser alice = createUser(m_server->url(), QStringLiteral("alice"));
    QVERIFY(alice.ok());
    Device laptop = loginDevice(m_server->url(), alice, QStringLiteral("laptop"));
    Device phone = loginDevice(m_server->url(), alice, QStringLiteral("phone"));
    QVERIFY(laptop.ok());
    QVERIFY(phone.ok());

    TERN_VERIFY_ACK(laptop->request(withType(QStringLiteral("logout"))));
    // The connection is unauthenticated now.
    TERN_VERIFY_ERROR(laptop->request(withType(QStringLiteral("conversations"))),
                      "unauthenticated");
    // The laptop's token is revoked, on new connections too.
    auto again = client();
    QVERIFY(again);
    TERN_VERIFY_ERROR(again->auth(laptop.token()), "unauthenticated");
    TERN_VERIFY_ERROR(laptop->auth(laptop.token()), "unauthenticated");

    // The phone is untouched: its connection and its token.
    TERN_VERIFY_ACK(phone->request(withType(QStringLiteral("conversations"))));
    auto phone2 = client();
    QVERIFY(phone2);
    const QJsonObject reply = phone2->auth(phone.token());
    TERN_VERIFY_ACK(reply);
    QCOMPARE(reply.value(QStringLiteral("device_id")).toString(), phone.deviceId());

    // Logging in again on the logged-out connection works.
    const LoginInfo relogin = laptop->login(alice.name, alice.password, QStringLiteral("laptop"));
    QVERIFY2(relogin.ok(), qPrintable(toJson(relogin.reply)));
}

void TestAuth::registrationDisabled()
{
    const TestUser alice = createUser(m_server->url(), QStringLiteral("alice"));
    QVERIFY(alice.ok());
    m_server->stop();
    m_server->config().registrationEnabled = false;
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));

    auto c = client();
    QVERIFY(c);
    TERN_VERIFY_ERROR(c->registerUser(QStringLiteral("bob"), QStringLiteral("password-123")),
                      "forbidden");
    // Existing accounts still log in.
    const LoginInfo login = c->login(alice.name, alice.password, QStringLiteral("laptop"));
    QVERIFY2(login.ok(), qPrintable(toJson(login.reply)));
}

void TestAuth::accountRateLimit()
{
    const int allowed = m_server->config().failedLoginsPerAccountPerMinute;
    QVERIFY(allowed > 0 && allowed < 20);
    const TestUser alice = createUser(m_server->url(), QStringLiteral("alice"));
    const TestUser bob = createUser(m_server->url(), QStringLiteral("bob"));
    QVERIFY(alice.ok() && bob.ok());

    auto c = client();
    QVERIFY(c);
    for (int i = 0; i < allowed; ++i) {
        const LoginInfo wrong = c->login(alice.name, QStringLiteral("wrong-password"));
        TERN_VERIFY_ERROR(wrong.reply, "unauthenticated");
    }
    TERN_VERIFY_ERROR(c->login(alice.name, QStringLiteral("wrong-password")).reply, "rate_limited");
    // Even the right password is refused now (it is not checked at all).
    TERN_VERIFY_ERROR(c->login(alice.name, alice.password).reply, "rate_limited");
    // On another connection too: the limit is per account.
    auto other = client();
    QVERIFY(other);
    TERN_VERIFY_ERROR(other->login(alice.name, alice.password).reply, "rate_limited");
    // Other accounts are not affected.
    const LoginInfo bobLogin = other->login(bob.name, bob.password);
    QVERIFY2(bobLogin.ok(), qPrintable(toJson(bobLogin.reply)));
}

void TestAuth::addressRateLimit()
{
    // Per-address bounds spare loopback (tests, benches, a local proxy) unless asked.
    m_server->config().limitLoopback = true;
    QVERIFY(m_server->restart());
    const int perAccount = m_server->config().failedLoginsPerAccountPerMinute;
    const int perAddress = m_server->config().failedLoginsPerAddressPerMinute;
    QVERIFY(perAccount > 0 && perAddress > 0 && perAddress <= 200);
    const int accounts = (perAddress + perAccount - 1) / perAccount + 1;
    QList<TestUser> users;
    for (int i = 0; i < accounts; ++i) {
        users.append(createUser(m_server->url(), QStringLiteral("user")));
        QVERIFY(users.last().ok());
    }
    auto c = client();
    QVERIFY(c);
    int failures = 0;
    for (int i = 0; i < accounts && failures < perAddress; ++i) {
        for (int k = 0; k < perAccount && failures < perAddress; ++k, ++failures) {
            const LoginInfo wrong = c->login(users[i].name, QStringLiteral("wrong-password"));
            QVERIFY2(
                isError(wrong.reply, QStringLiteral("unauthenticated")),
                qPrintable(
                    QStringLiteral("failure #%1: %2").arg(failures + 1).arg(toJson(wrong.reply))));
        }
    }
    // The next failure from this address is refused, whatever the account.
    const TestUser &last = users.last();
    TERN_VERIFY_ERROR(c->login(last.name, QStringLiteral("wrong-password")).reply, "rate_limited");
    TERN_VERIFY_ERROR(c->login(last.name, last.password).reply, "rate_limited");
}

void TestAuth::tokenSurvivesRestart()
{
    const TestUser alice = createUser(m_server->url(), QStringLiteral("alice"));
    QVERIFY(alice.ok());
    LoginInfo login;
    {
        Device laptop = loginDevice(m_server->url(), alice, QStringLiteral("laptop"));
        QVERIFY(laptop.ok());
        login = laptop.login;
    }
    QVERIFY(m_server->restart());

    auto c = client();
    QVERIFY(c);
    const QJsonObject reply = c->auth(login.token);
    TERN_VERIFY_ACK(reply);
    QCOMPARE(reply.value(QStringLiteral("user_id")).toString(), alice.userId);
    QCOMPARE(reply.value(QStringLiteral("device_id")).toString(), login.deviceId);
    TERN_VERIFY_ACK(c->request(withType(QStringLiteral("conversations"))));

    // Passwords survive as well; the name is still taken.
    auto other = client();
    QVERIFY(other);
    TERN_VERIFY_ERROR(other->registerUser(alice.name, QStringLiteral("password-123")), "conflict");
    QVERIFY(other->login(alice.name, alice.password).ok());
}

void TestAuth::unusedTokensExpire()
{
    // Idle expiry scaled down from days to a second and a half.
    constexpr int kExpiryMs = 1500;
    m_server->config().tokenIdleExpiryMs = kExpiryMs;
    QVERIFY(m_server->restart());
    const TestUser alice = createUser(m_server->url(), QStringLiteral("alice"));
    QVERIFY(alice.ok());
    LoginInfo idle;
    LoginInfo used;
    {
        Device laptop = loginDevice(m_server->url(), alice, QStringLiteral("laptop"));
        Device phone = loginDevice(m_server->url(), alice, QStringLiteral("phone"));
        QVERIFY(laptop.ok() && phone.ok());
        idle = laptop.login;
        used = phone.login;
    }
    // The phone reconnects every 300 ms (on the server's clock) for twice the expiry: using a
    // token keeps it alive.
    for (int elapsed = 0; elapsed < 2 * kExpiryMs; elapsed += 300) {
        auto c = client();
        QVERIFY(c);
        TERN_VERIFY_ACK(c->auth(used.token));
        tern::advanceClockForTesting(300);
    }
    // The laptop's token was not used for longer than the expiry.
    auto c = client();
    QVERIFY(c);
    const QJsonObject reply = c->auth(idle.token);
    TERN_VERIFY_ERROR(reply, "unauthenticated");
    QVERIFY2(reply.value(QStringLiteral("message")).toString().contains(QStringLiteral("expired")),
             qPrintable(toJson(reply)));
    // Logging in again gives a fresh token.
    auto again = client();
    QVERIFY(again);
    QVERIFY(again->login(alice.name, alice.password).ok());
}

void TestAuth::longSessionsCountAsUse()
{
    // A desktop that stays connected for longer than the expiry used its token all along:
    // after it disconnects, its token still works.
    constexpr int kExpiryMs = 1500;
    m_server->config().tokenIdleExpiryMs = kExpiryMs;
    QVERIFY(m_server->restart());
    const TestUser alice = createUser(m_server->url(), QStringLiteral("alice"));
    QVERIFY(alice.ok());
    LoginInfo desktop;
    {
        Device connected = loginDevice(m_server->url(), alice, QStringLiteral("desktop"));
        QVERIFY(connected.ok());
        desktop = connected.login;
        tern::advanceClockForTesting(2 * kExpiryMs); // a session longer than the expiry
        TERN_VERIFY_ACK(connected->request(QJsonObject{{"type", "heartbeat"}}));
    }
    // The disconnect is noticed, and its touch committed, before the next auth is looked up.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->app()->connectionCount(), 0, 5000);
    auto c = client();
    QVERIFY(c);
    TERN_VERIFY_ACK(c->auth(desktop.token));
}

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_auth.moc"
