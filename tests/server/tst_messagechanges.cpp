// Edits, deletions and reactions (issue 19) over the wire against an in-process ternd: every
// permission, each change reaching every device of every member live and by sync after being
// offline (in seq order), surviving a restart, idempotent resends, history and the conversation
// list showing current state, a deleted message's text gone from the database file, freed media
// removed (404, file gone) unless a forward still shows it, and reply_to / forwarded / mentions.

#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include "shared/core/Clock.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QtTest>

using namespace tern::test;

namespace {

const QString kMessage = QStringLiteral("message");

//! A change (edit, delete, reaction) request object.
QJsonObject changeObject(const QString &to, const QString &kind, qint64 ref,
                         const QString &content = {}, const QString &id = {})
{
    QJsonObject o{{"type", "message"},
                  {"id", id.isEmpty() ? TestClient::newId() : id},
                  {"to", to},
                  {"kind", kind},
                  {"ref", ref}};
    if (!content.isNull())
        o.insert(QStringLiteral("content"), content);
    return o;
}

QJsonObject reactionObject(const QString &to, qint64 ref, const QString &emoji, bool on = true)
{
    QJsonObject o = changeObject(to, QStringLiteral("reaction"), ref, emoji);
    o.insert(QStringLiteral("on"), on);
    return o;
}

TestClient::Predicate atSeq(const QString &conversation, qint64 seq)
{
    return [=](const QJsonObject &e) {
        return e.value(QStringLiteral("conversation")).toString() == conversation &&
               intField(e, QStringLiteral("seq")) == seq;
    };
}

//! The history of a conversation as the client sees it, by seq.
QHash<qint64, QJsonObject> historyOf(TestClient *client, const QString &conversation)
{
    const QJsonObject reply =
        client->request({{"type", "history"}, {"conversation", conversation}, {"limit", 200}});
    QHash<qint64, QJsonObject> out;
    for (const QJsonValue &m : reply.value(QStringLiteral("messages")).toArray())
        out.insert(intField(m.toObject(), QStringLiteral("seq")), m.toObject());
    return out;
}

QJsonObject summaryOf(TestClient *client, const QString &conversation)
{
    const QJsonObject reply = client->request({{"type", "conversations"}});
    for (const QJsonValue &c : reply.value(QStringLiteral("conversations")).toArray()) {
        if (c.toObject().value(QStringLiteral("conversation")).toString() == conversation)
            return c.toObject();
    }
    return {};
}

//! {"👍": [users], ...} of a message's `reactions`, in order.
QList<QPair<QString, QStringList>> reactionsOf(const QJsonObject &message)
{
    QList<QPair<QString, QStringList>> out;
    for (const QJsonValue &r : message.value(QStringLiteral("reactions")).toArray()) {
        QStringList users;
        for (const QJsonValue &u : r.toObject().value(QStringLiteral("users")).toArray())
            users << u.toString();
        out.append({r.toObject().value(QStringLiteral("emoji")).toString(), users});
    }
    return out;
}

//! Sends `sync` until complete and returns the message events it brought.
QList<QJsonObject> syncEvents(TestClient *client)
{
    QList<QJsonObject> events;
    for (int round = 0; round < 50; ++round) {
        const QJsonObject ack = client->request({{"type", "sync"}});
        if (!isAck(ack))
            return {};
        events += client->takeEvents(kMessage);
        if (ack.value(QStringLiteral("complete")).toBool())
            break;
    }
    return events;
}

} // namespace

class TestMessageChanges : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void editReachesEveryDeviceAndHistory();
    void editRules();
    void editWindow();
    void deletePermissions();
    void repeatedDeleteIsAnsweredNotRepeated();
    void reactions();
    void reactionRules();
    void reactionsPerMessageAreBounded();
    void syncAfterOfflineInSeqOrder();
    void idempotentResendOfChanges();
    void lastMessageIsTombstoneAndChangesAreNotActivity();
    void replyForwardMentions();
    void mediaFreedUnlessForwarded();
    void laterMembersGetNoTextOfOlderMessages();
    void survivesRestartAndContentLeavesTheFile(); // last: stops and restarts the server

private:
    struct Members
    {
        TestUser alice, bob, carol;
        Device a1, a2, b1, b2, c1;
        QString group;
    };
    //! alice (owner, two devices), bob (member, two devices), carol (member) in a new group.
    bool makeGroup(Members &m, const QString &prefix);
    //! Sends text from `device` to `to`; its seq (-1 on failure).
    qint64 sendText(const Device &device, const QString &to, const QString &text);
    QString mediaPath(const QString &id) const
    {
        return QDir(m_server.dataDir()).filePath(QStringLiteral("media/%1/%2").arg(id.left(2), id));
    }
    int download(const QString &token, const QString &id);
    QString upload(const QString &token, const QByteArray &data);

    ServerFixture m_server;
    QNetworkAccessManager m_http;
};

void TestMessageChanges::initTestCase()
{
    QCOMPARE(m_server.config().editWindowHours, 48);
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void TestMessageChanges::cleanupTestCase()
{
    m_server.stop();
}

bool TestMessageChanges::makeGroup(Members &m, const QString &prefix)
{
    const QUrl url = m_server.url();
    m.alice = createUser(url, prefix + QStringLiteral("a"));
    m.bob = createUser(url, prefix + QStringLiteral("b"));
    m.carol = createUser(url, prefix + QStringLiteral("c"));
    m.a1 = loginDevice(url, m.alice, QStringLiteral("a1"));
    m.a2 = loginDevice(url, m.alice, QStringLiteral("a2"));
    m.b1 = loginDevice(url, m.bob, QStringLiteral("b1"));
    m.b2 = loginDevice(url, m.bob, QStringLiteral("b2"));
    m.c1 = loginDevice(url, m.carol, QStringLiteral("c1"));
    if (!m.a1.ok() || !m.a2.ok() || !m.b1.ok() || !m.b2.ok() || !m.c1.ok())
        return false;
    const QJsonObject r = m.a1->request({{"type", "create_group"},
                                         {"name", "Changes"},
                                         {"members", QJsonArray{m.bob.userId, m.carol.userId}}});
    m.group = r.value(QStringLiteral("conversation")).toString();
    for (Device *d : {&m.a1, &m.a2, &m.b1, &m.b2, &m.c1}) {
        if (!(*d)->waitForEvent(kMessage, TestClient::kTimeoutMs, atSeq(m.group, 1)) && d != &m.a1)
            return false;
        (*d)->clearEvents();
    }
    return !m.group.isEmpty();
}

qint64 TestMessageChanges::sendText(const Device &device, const QString &to, const QString &text)
{
    const QJsonObject ack = device->sendMessage(to, text);
    return isAck(ack) ? intField(ack, QStringLiteral("seq")) : -1;
}

QString TestMessageChanges::upload(const QString &token, const QByteArray &data)
{
    const auto call = [&](const QByteArray &method, const QString &path, const QByteArray &body) {
        QNetworkRequest request(
            QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.port()) + path));
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream");
        QNetworkReply *reply = m_http.sendCustomRequest(request, method, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(30'000);
        const QByteArray answer = reply->readAll();
        reply->deleteLater();
        return QJsonDocument::fromJson(answer).object();
    };
    const QJsonObject declaration{
        {"name", "cat.png"},
        {"mime", "application/octet-stream"},
        {"size", data.size()},
        {"sha256",
         QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex())}};
    const QString id = call("POST", QStringLiteral("/api/v1/media"),
                            QJsonDocument(declaration).toJson(QJsonDocument::Compact))
                           .value(QStringLiteral("media_id"))
                           .toString();
    if (id.isEmpty())
        return {};
    call("PUT", QStringLiteral("/api/v1/media/%1?offset=0").arg(id), data);
    const QJsonObject done =
        call("POST", QStringLiteral("/api/v1/media/%1/finish").arg(id), QByteArray());
    return done.value(QStringLiteral("media_id")).toString() == id ? id : QString();
}

int TestMessageChanges::download(const QString &token, const QString &id)
{
    QNetworkRequest request(
        QUrl(QStringLiteral("http://127.0.0.1:%1/api/v1/media/%2").arg(m_server.port()).arg(id)));
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    QNetworkReply *reply = m_http.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(30'000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

void TestMessageChanges::editReachesEveryDeviceAndHistory()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("ed")));
    const qint64 seq = sendText(m.a1, m.group, QStringLiteral("helo"));
    QVERIFY(seq > 0);
    const QJsonObject ack =
        m.a1->request(changeObject(m.group, QStringLiteral("edit"), seq, QStringLiteral("hello")));
    TERN_VERIFY_ACK(ack);
    const qint64 editSeq = intField(ack, QStringLiteral("seq"));
    QCOMPARE(editSeq, seq + 1);

    // Every device of every member but the sending one gets the edit event.
    for (Device *d : {&m.a2, &m.b1, &m.b2, &m.c1}) {
        const auto event =
            (*d)->waitForEvent(kMessage, TestClient::kTimeoutMs, atSeq(m.group, editSeq));
        QVERIFY2(event, qPrintable(d->deviceId()));
        QCOMPARE(event->value(QStringLiteral("kind")).toString(), QStringLiteral("edit"));
        QCOMPARE(intField(*event, QStringLiteral("ref")), seq);
        QCOMPARE(event->value(QStringLiteral("content")).toString(), QStringLiteral("hello"));
        QVERIFY(intField(*event, QStringLiteral("edited_ts")) > 0);
    }
    QVERIFY(m.a1->barrier());
    QVERIFY(m.a1->expectNoEvent(kMessage, atSeq(m.group, editSeq)));

    // History: the message in its current state, and the edit event in its slot.
    const auto history = historyOf(m.b1.client.get(), m.group);
    QCOMPARE(history.value(seq).value(QStringLiteral("content")).toString(),
             QStringLiteral("hello"));
    QVERIFY(intField(history.value(seq), QStringLiteral("edited_ts")) > 0);
    QCOMPARE(history.value(editSeq).value(QStringLiteral("kind")).toString(),
             QStringLiteral("edit"));
    QCOMPARE(intField(history.value(editSeq), QStringLiteral("ref")), seq);
}

void TestMessageChanges::editRules()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("er")));
    const qint64 seq = sendText(m.a1, m.group, QStringLiteral("mine"));
    QVERIFY(seq > 0);
    // Someone else's message: forbidden, even for the sender's group admin... bob is a member.
    TERN_VERIFY_ERROR(
        m.b1->request(changeObject(m.group, QStringLiteral("edit"), seq, QStringLiteral("x"))),
        "forbidden");
    // A text message cannot become empty.
    TERN_VERIFY_ERROR(
        m.a1->request(changeObject(m.group, QStringLiteral("edit"), seq, QStringLiteral(""))),
        "bad_request");
    // No such target / a system message / a change event / missing ref.
    TERN_VERIFY_ERROR(
        m.a1->request(changeObject(m.group, QStringLiteral("edit"), 999, QStringLiteral("x"))),
        "not_found");
    TERN_VERIFY_ERROR(
        m.a1->request(changeObject(m.group, QStringLiteral("edit"), 1, QStringLiteral("x"))),
        "not_found");
    const QJsonObject edit =
        m.a1->request(changeObject(m.group, QStringLiteral("edit"), seq, QStringLiteral("v2")));
    TERN_VERIFY_ACK(edit);
    TERN_VERIFY_ERROR(
        m.a1->request(changeObject(m.group, QStringLiteral("edit"),
                                   intField(edit, QStringLiteral("seq")), QStringLiteral("x"))),
        "not_found");
    QJsonObject noRef = changeObject(m.group, QStringLiteral("edit"), 0, QStringLiteral("x"));
    noRef.remove(QStringLiteral("ref"));
    TERN_VERIFY_ERROR(m.a1->request(noRef), "bad_request");
    // A non-member learns nothing: not_found.
    const TestUser dave = createUser(m_server.url(), QStringLiteral("erd"));
    Device d1 = loginDevice(m_server.url(), dave, QStringLiteral("d1"));
    QVERIFY(d1.ok());
    TERN_VERIFY_ERROR(
        d1->request(changeObject(m.group, QStringLiteral("edit"), seq, QStringLiteral("x"))),
        "not_found");
    // Deleted: conflict.
    TERN_VERIFY_ACK(m.a1->request(changeObject(m.group, QStringLiteral("delete"), seq)));
    TERN_VERIFY_ERROR(
        m.a1->request(changeObject(m.group, QStringLiteral("edit"), seq, QStringLiteral("x"))),
        "conflict");
}

void TestMessageChanges::editWindow()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("ew")));
    const qint64 old = sendText(m.a1, m.group, QStringLiteral("old"));
    QVERIFY(old > 0);
    tern::advanceClockForTesting(47LL * 3'600'000);
    TERN_VERIFY_ACK(
        m.a1->request(changeObject(m.group, QStringLiteral("edit"), old, QStringLiteral("47 h"))));
    tern::advanceClockForTesting(1LL * 3'600'000 + 1000);
    const QJsonObject late =
        m.a1->request(changeObject(m.group, QStringLiteral("edit"), old, QStringLiteral("49 h")));
    TERN_VERIFY_ERROR(late, "forbidden");
    QVERIFY2(late.value(QStringLiteral("message")).toString().contains(QStringLiteral("window")),
             qPrintable(toJson(late)));
    // Deleting has no window.
    TERN_VERIFY_ACK(m.a1->request(changeObject(m.group, QStringLiteral("delete"), old)));
}

void TestMessageChanges::deletePermissions()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("dp")));
    const qint64 bobs = sendText(m.b1, m.group, QStringLiteral("bob's"));
    const qint64 carols = sendText(m.c1, m.group, QStringLiteral("carol's"));
    const qint64 alices = sendText(m.a1, m.group, QStringLiteral("alice's"));
    QVERIFY(bobs > 0 && carols > 0 && alices > 0);
    // A member cannot delete another's message.
    const QJsonObject refused =
        m.b1->request(changeObject(m.group, QStringLiteral("delete"), carols));
    TERN_VERIFY_ERROR(refused, "forbidden");
    // The sender may; the owner may delete anyone's; an admin too.
    TERN_VERIFY_ACK(m.c1->request(changeObject(m.group, QStringLiteral("delete"), carols)));
    const QJsonObject byOwner =
        m.a1->request(changeObject(m.group, QStringLiteral("delete"), bobs));
    TERN_VERIFY_ACK(byOwner);
    TERN_VERIFY_ACK(m.a1->request({{"type", "set_role"},
                                   {"conversation", m.group},
                                   {"user", m.carol.userId},
                                   {"role", "admin"}}));
    TERN_VERIFY_ACK(m.c1->request(changeObject(m.group, QStringLiteral("delete"), alices)));
    // The system messages cannot be deleted, by anyone.
    TERN_VERIFY_ERROR(m.a1->request(changeObject(m.group, QStringLiteral("delete"), 1)),
                      "not_found");

    // The owner's delete reached every device of every member, the sender's other one too.
    const qint64 deleteSeq = intField(byOwner, QStringLiteral("seq"));
    for (Device *d : {&m.a2, &m.b1, &m.b2, &m.c1}) {
        const auto event =
            (*d)->waitForEvent(kMessage, TestClient::kTimeoutMs, atSeq(m.group, deleteSeq));
        QVERIFY2(event, qPrintable(d->deviceId()));
        QCOMPARE(event->value(QStringLiteral("kind")).toString(), QStringLiteral("delete"));
        QCOMPARE(intField(*event, QStringLiteral("ref")), bobs);
    }
    const auto history = historyOf(m.b2.client.get(), m.group);
    for (qint64 seq : {bobs, carols, alices}) {
        QVERIFY(history.value(seq).value(QStringLiteral("deleted")).toBool());
        QCOMPARE(history.value(seq).value(QStringLiteral("content")).toString(), QString());
    }

    // In a direct chat nobody but the sender deletes.
    const qint64 direct = sendText(m.a1, m.bob.userId, QStringLiteral("direct"));
    QVERIFY(direct > 0);
    TERN_VERIFY_ERROR(m.b1->request(changeObject(m.alice.userId, QStringLiteral("delete"), direct)),
                      "forbidden");
    TERN_VERIFY_ACK(m.a1->request(changeObject(m.bob.userId, QStringLiteral("delete"), direct)));
}

void TestMessageChanges::repeatedDeleteIsAnsweredNotRepeated()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("rd")));
    const qint64 seq = sendText(m.a1, m.group, QStringLiteral("twice"));
    const QJsonObject first = m.a1->request(changeObject(m.group, QStringLiteral("delete"), seq));
    TERN_VERIFY_ACK(first);
    QVERIFY(m.b1->waitForEvent(kMessage, TestClient::kTimeoutMs,
                               atSeq(m.group, intField(first, QStringLiteral("seq")))));
    m.b1->clearEvents();
    // Another delete (new id, from another device): the same answer, no new event.
    const QJsonObject second = m.a2->request(changeObject(m.group, QStringLiteral("delete"), seq));
    TERN_VERIFY_ACK(second);
    QCOMPARE(intField(second, QStringLiteral("seq")), intField(first, QStringLiteral("seq")));
    QVERIFY(m.b1->barrier());
    QVERIFY(m.b1->expectNoEvent(kMessage));
    QCOMPARE(intField(summaryOf(m.b1.client.get(), m.group), QStringLiteral("last_seq")),
             intField(first, QStringLiteral("seq")));
}

void TestMessageChanges::reactions()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("re")));
    const qint64 seq = sendText(m.a1, m.group, QStringLiteral("react to me"));
    const QJsonObject bobThumb = m.b1->request(reactionObject(m.group, seq, QStringLiteral("👍")));
    TERN_VERIFY_ACK(bobThumb);
    for (Device *d : {&m.a1, &m.a2, &m.b2, &m.c1}) {
        const auto event =
            (*d)->waitForEvent(kMessage, TestClient::kTimeoutMs,
                               atSeq(m.group, intField(bobThumb, QStringLiteral("seq"))));
        QVERIFY2(event, qPrintable(d->deviceId()));
        QCOMPARE(event->value(QStringLiteral("kind")).toString(), QStringLiteral("reaction"));
        QCOMPARE(event->value(QStringLiteral("content")).toString(), QStringLiteral("👍"));
        QCOMPARE(intField(*event, QStringLiteral("ref")), seq);
        QCOMPARE(event->value(QStringLiteral("on")), QJsonValue(true));
    }
    TERN_VERIFY_ACK(m.c1->request(reactionObject(m.group, seq, QStringLiteral("🎉"))));
    TERN_VERIFY_ACK(m.a1->request(reactionObject(m.group, seq, QStringLiteral("👍"))));
    // Adding twice changes nothing (but is a new event).
    const QJsonObject again = m.a1->request(reactionObject(m.group, seq, QStringLiteral("👍")));
    TERN_VERIFY_ACK(again);
    QVERIFY(m.b1->waitForEvent(kMessage, TestClient::kTimeoutMs,
                               atSeq(m.group, intField(again, QStringLiteral("seq")))));
    using Reactions = QList<QPair<QString, QStringList>>;
    QCOMPARE(reactionsOf(historyOf(m.b1.client.get(), m.group).value(seq)),
             (Reactions{{QStringLiteral("👍"), {m.bob.userId, m.alice.userId}},
                        {QStringLiteral("🎉"), {m.carol.userId}}}));
    // Taking one back.
    const QJsonObject off = m.b2->request(reactionObject(m.group, seq, QStringLiteral("👍"), false));
    TERN_VERIFY_ACK(off);
    const auto offEvent = m.a1->waitForEvent(kMessage, TestClient::kTimeoutMs,
                                             atSeq(m.group, intField(off, QStringLiteral("seq"))));
    QVERIFY(offEvent);
    QCOMPARE(offEvent->value(QStringLiteral("on")), QJsonValue(false));
    // Emoji are ordered by their earliest reaction still there: carol's 🎉 came before alice's 👍.
    QCOMPARE(reactionsOf(historyOf(m.c1.client.get(), m.group).value(seq)),
             (Reactions{{QStringLiteral("🎉"), {m.carol.userId}},
                        {QStringLiteral("👍"), {m.alice.userId}}}));
    // The conversation list shows the message with its reactions (not the reaction events).
    const QJsonObject last =
        summaryOf(m.b1.client.get(), m.group).value(QStringLiteral("last_message")).toObject();
    QCOMPARE(intField(last, QStringLiteral("seq")), seq);
    QCOMPARE(reactionsOf(last).size(), 2);
    // A delete removes them.
    TERN_VERIFY_ACK(m.a1->request(changeObject(m.group, QStringLiteral("delete"), seq)));
    QVERIFY(reactionsOf(historyOf(m.c1.client.get(), m.group).value(seq)).isEmpty());
}

void TestMessageChanges::reactionRules()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("rr")));
    const qint64 seq = sendText(m.a1, m.group, QStringLiteral("rules"));
    // Not an emoji: bad_request naming the field.
    const QJsonObject letters = m.b1->request(reactionObject(m.group, seq, QStringLiteral("ok")));
    TERN_VERIFY_ERROR(letters, "bad_request");
    QVERIFY(
        letters.value(QStringLiteral("message")).toString().contains(QStringLiteral("'content'")));
    TERN_VERIFY_ERROR(m.b1->request(reactionObject(m.group, seq, QStringLiteral("👍 "))),
                      "bad_request");
    // A non-member: not_found (they learn nothing about the conversation).
    const TestUser dave = createUser(m_server.url(), QStringLiteral("rrd"));
    Device d1 = loginDevice(m_server.url(), dave, QStringLiteral("d1"));
    QVERIFY(d1.ok());
    TERN_VERIFY_ERROR(d1->request(reactionObject(m.group, seq, QStringLiteral("👍"))), "not_found");
    // A member who left: not_found too.
    TERN_VERIFY_ACK(m.c1->request({{"type", "leave"}, {"conversation", m.group}}));
    TERN_VERIFY_ERROR(m.c1->request(reactionObject(m.group, seq, QStringLiteral("👍"))),
                      "not_found");
    // At most 20 different emoji per user and message.
    for (int i = 0; i < 20; ++i) {
        const char32_t c = char32_t(0x1F600 + i);
        const QString emoji = QString::fromUcs4(&c, 1);
        TERN_VERIFY_ACK(m.b1->request(reactionObject(m.group, seq, emoji)));
    }
    TERN_VERIFY_ACK(m.b1->request(reactionObject(m.group, seq, QStringLiteral("😀"))));
    TERN_VERIFY_ERROR(m.b1->request(reactionObject(m.group, seq, QStringLiteral("🎉"))),
                      "limit_exceeded");
    // Others still may.
    TERN_VERIFY_ACK(m.a1->request(reactionObject(m.group, seq, QStringLiteral("🎉"))));
    // Reacting to a deleted message: conflict.
    TERN_VERIFY_ACK(m.a1->request(changeObject(m.group, QStringLiteral("delete"), seq)));
    TERN_VERIFY_ERROR(m.b1->request(reactionObject(m.group, seq, QStringLiteral("🎉"))), "conflict");
}

//! 50 different emoji on one message from everyone at most: a message's reactions (and every
//! history page, sync page and preview carrying it) stay bounded however large the group.
void TestMessageChanges::reactionsPerMessageAreBounded()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("rb")));
    const qint64 seq = sendText(m.a1, m.group, QStringLiteral("react to me"));
    QVERIFY(seq > 0);
    const auto emojiAt = [](int i) {
        const char32_t c = char32_t(0x1F600 + i);
        return QString::fromUcs4(&c, 1);
    };
    const Device *senders[] = {&m.a1, &m.b1, &m.c1};
    for (int i = 0; i < 50; ++i)
        TERN_VERIFY_ACK((*senders[i / 17])->request(reactionObject(m.group, seq, emojiAt(i))));
    TERN_VERIFY_ERROR(m.c1->request(reactionObject(m.group, seq, emojiAt(50))), "limit_exceeded");
    // One already there may still be added by others.
    TERN_VERIFY_ACK(m.c1->request(reactionObject(m.group, seq, emojiAt(0))));
    // Taking one away makes room.
    TERN_VERIFY_ACK(m.a1->request(reactionObject(m.group, seq, emojiAt(1), false)));
    TERN_VERIFY_ACK(m.c1->request(reactionObject(m.group, seq, emojiAt(50))));
}

void TestMessageChanges::syncAfterOfflineInSeqOrder()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("sy")));
    const qint64 first = sendText(m.a1, m.group, QStringLiteral("first"));
    const qint64 second = sendText(m.a1, m.group, QStringLiteral("second"));
    QVERIFY(m.b2->waitForEvent(kMessage, TestClient::kTimeoutMs, atSeq(m.group, second)));
    // b2 has everything so far and goes offline.
    TERN_VERIFY_ACK(
        m.b2->request({{"type", "delivery"}, {"conversation", m.group}, {"seq", second}}));
    const LoginInfo b2 = m.b2.login;
    m.b2->close();
    QVERIFY(m.b2->waitForDisconnected());

    const qint64 edit = intField(
        m.a1->request(changeObject(m.group, QStringLiteral("edit"), first, QStringLiteral("1st"))),
        QStringLiteral("seq"));
    const qint64 react = intField(
        m.c1->request(reactionObject(m.group, first, QStringLiteral("👍"))), QStringLiteral("seq"));
    const qint64 unreact =
        intField(m.c1->request(reactionObject(m.group, first, QStringLiteral("👍"), false)),
                 QStringLiteral("seq"));
    const qint64 del =
        intField(m.a2->request(changeObject(m.group, QStringLiteral("delete"), second)),
                 QStringLiteral("seq"));
    const qint64 own = intField(m.b1->request(reactionObject(m.group, first, QStringLiteral("🎉"))),
                                QStringLiteral("seq"));
    QVERIFY(edit > 0 && react > 0 && unreact > 0 && del > 0 && own > 0);

    Device back = reconnectDevice(m_server.url(), b2);
    QVERIFY(back.ok());
    const QList<QJsonObject> events = syncEvents(back.client.get());
    QStringList kinds;
    QList<qint64> seqs;
    for (const QJsonObject &e : events) {
        if (e.value(QStringLiteral("conversation")).toString() != m.group)
            continue;
        kinds << e.value(QStringLiteral("kind")).toString();
        seqs << intField(e, QStringLiteral("seq"));
    }
    QCOMPARE(seqs, (QList<qint64>{edit, react, unreact, del, own}));
    QCOMPARE(kinds, (QStringList{"edit", "reaction", "reaction", "delete", "reaction"}));
    QCOMPARE(events.at(1).value(QStringLiteral("content")).toString(), QStringLiteral("👍"));
    QCOMPARE(events.at(2).value(QStringLiteral("on")), QJsonValue(false));
    // The edit event keeps its text; the target (read from history) has the current state.
    QCOMPARE(events.at(0).value(QStringLiteral("content")).toString(), QStringLiteral("1st"));
    const auto history = historyOf(back.client.get(), m.group);
    QCOMPARE(history.value(first).value(QStringLiteral("content")).toString(),
             QStringLiteral("1st"));
    QVERIFY(history.value(second).value(QStringLiteral("deleted")).toBool());
}

void TestMessageChanges::idempotentResendOfChanges()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("id")));
    const qint64 seq = sendText(m.a1, m.group, QStringLiteral("again"));
    const QString editId = TestClient::newId();
    const QString reactId = TestClient::newId();
    const QString deleteId = TestClient::newId();
    QList<QJsonObject> requests = {
        changeObject(m.group, QStringLiteral("edit"), seq, QStringLiteral("again!"), editId),
        reactionObject(m.group, seq, QStringLiteral("👍")),
        changeObject(m.group, QStringLiteral("delete"), seq, {}, deleteId)};
    requests[1].insert(QStringLiteral("id"), reactId);
    for (const QJsonObject &request : requests) {
        const QJsonObject ack = m.a1->request(request);
        TERN_VERIFY_ACK(ack);
        const qint64 changeSeq = intField(ack, QStringLiteral("seq"));
        QVERIFY(m.b1->waitForEvent(kMessage, TestClient::kTimeoutMs, atSeq(m.group, changeSeq)));
        m.b1->clearEvents();
        // The resend (as after a lost ack) gets the same answer and changes nothing more.
        const QJsonObject resent = m.a1->request(request);
        TERN_VERIFY_ACK(resent);
        QCOMPARE(intField(resent, QStringLiteral("seq")), changeSeq);
        QVERIFY(m.b1->barrier());
        QVERIFY(m.b1->expectNoEvent(kMessage));
    }
    QCOMPARE(intField(summaryOf(m.a1.client.get(), m.group), QStringLiteral("last_seq")), seq + 3);
}

void TestMessageChanges::lastMessageIsTombstoneAndChangesAreNotActivity()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("lm")));
    // A second conversation with newer activity.
    const qint64 inGroup = sendText(m.a1, m.group, QStringLiteral("older"));
    const qint64 last = sendText(m.a1, m.group, QStringLiteral("newest"));
    tern::advanceClockForTesting(10);
    QVERIFY(sendText(m.a1, m.bob.userId, QStringLiteral("direct, later")) > 0);
    tern::advanceClockForTesting(10);
    TERN_VERIFY_ACK(m.c1->request(reactionObject(m.group, inGroup, QStringLiteral("👍"))));
    const QJsonObject del = m.a1->request(changeObject(m.group, QStringLiteral("delete"), last));
    TERN_VERIFY_ACK(del);

    const QJsonObject list = m.b1->request({{"type", "conversations"}});
    const QJsonArray conversations = list.value(QStringLiteral("conversations")).toArray();
    QCOMPARE(conversations.size(), 2);
    // The reaction and the delete did not move the group above the direct chat.
    QVERIFY(conversations.at(0).toObject().value(QStringLiteral("conversation")).toString() !=
            m.group);
    const QJsonObject group = conversations.at(1).toObject();
    QCOMPARE(intField(group, QStringLiteral("last_seq")), intField(del, QStringLiteral("seq")));
    const QJsonObject lastMessage = group.value(QStringLiteral("last_message")).toObject();
    QCOMPARE(intField(lastMessage, QStringLiteral("seq")), last);
    QVERIFY(lastMessage.value(QStringLiteral("deleted")).toBool());
    QCOMPARE(lastMessage.value(QStringLiteral("content")).toString(), QString());
    // Unread counts messages, not changes: bob has not read the two texts.
    QCOMPARE(intField(group, QStringLiteral("unread")), 2);
}

void TestMessageChanges::replyForwardMentions()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("rp")));
    const qint64 original = sendText(m.b1, m.group, QStringLiteral("question?"));
    QJsonObject reply = TestClient::messageObject(m.group, QStringLiteral("answer <@x>"));
    reply.insert(QStringLiteral("reply_to"), original);
    reply.insert(
        QStringLiteral("mentions"),
        QJsonArray{m.bob.userId, m.bob.userId, QStringLiteral("u-not-a-member"), m.carol.userId});
    reply.insert(QStringLiteral("forwarded"), true);
    const QJsonObject ack = m.a1->request(reply);
    TERN_VERIFY_ACK(ack);
    const qint64 seq = intField(ack, QStringLiteral("seq"));
    const auto event = m.b2->waitForEvent(kMessage, TestClient::kTimeoutMs, atSeq(m.group, seq));
    QVERIFY(event);
    QCOMPARE(intField(*event, QStringLiteral("reply_to")), original);
    QCOMPARE(event->value(QStringLiteral("forwarded")), QJsonValue(true));
    QCOMPARE(event->value(QStringLiteral("mentions")).toArray(),
             (QJsonArray{m.bob.userId, m.carol.userId}));
    const QJsonObject stored = historyOf(m.c1.client.get(), m.group).value(seq);
    QCOMPARE(intField(stored, QStringLiteral("reply_to")), original);
    QCOMPARE(stored.value(QStringLiteral("mentions")).toArray(),
             (QJsonArray{m.bob.userId, m.carol.userId}));

    // reply_to must name a visible, non-change message of the same conversation.
    const qint64 edit = intField(m.b1->request(changeObject(m.group, QStringLiteral("edit"),
                                                            original, QStringLiteral("q?"))),
                                 QStringLiteral("seq"));
    for (qint64 bad : {edit, qint64(999)}) {
        QJsonObject wrong = TestClient::messageObject(m.group, QStringLiteral("x"));
        wrong.insert(QStringLiteral("reply_to"), bad);
        TERN_VERIFY_ERROR(m.a1->request(wrong), "not_found");
    }
    const qint64 direct = sendText(m.a1, m.bob.userId, QStringLiteral("elsewhere"));
    QVERIFY(direct > 0);
    QJsonObject crossing = TestClient::messageObject(m.bob.userId, QStringLiteral("x"));
    crossing.insert(QStringLiteral("reply_to"), seq); // a seq of the group, not of this chat
    TERN_VERIFY_ERROR(m.a1->request(crossing), "not_found");
    QJsonObject tooMany = TestClient::messageObject(m.group, QStringLiteral("x"));
    QJsonArray mentions;
    for (int i = 0; i < 51; ++i)
        mentions.append(m.bob.userId);
    tooMany.insert(QStringLiteral("mentions"), mentions);
    TERN_VERIFY_ERROR(m.a1->request(tooMany), "bad_request");

    // A reply to a deleted message is allowed; deleting clears reply_to, forwarded, mentions.
    TERN_VERIFY_ACK(m.b1->request(changeObject(m.group, QStringLiteral("delete"), original)));
    QJsonObject late = TestClient::messageObject(m.group, QStringLiteral("too late"));
    late.insert(QStringLiteral("reply_to"), original);
    TERN_VERIFY_ACK(m.a1->request(late));
    TERN_VERIFY_ACK(m.a1->request(changeObject(m.group, QStringLiteral("delete"), seq)));
    const QJsonObject gone = historyOf(m.c1.client.get(), m.group).value(seq);
    QVERIFY(gone.value(QStringLiteral("deleted")).toBool());
    QVERIFY(!gone.contains(QStringLiteral("reply_to")));
    QVERIFY(!gone.contains(QStringLiteral("mentions")));
    QVERIFY(!gone.contains(QStringLiteral("forwarded")));
}

void TestMessageChanges::mediaFreedUnlessForwarded()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("md")));
    // dave is only in the group: the group's message is his only way to the media.
    const TestUser dave = createUser(m_server.url(), QStringLiteral("mdd"));
    Device d1 = loginDevice(m_server.url(), dave, QStringLiteral("d1"));
    QVERIFY(d1.ok());
    TERN_VERIFY_ACK(m.a1->request({{"type", "add_members"},
                                   {"conversation", m.group},
                                   {"members", QJsonArray{dave.userId}}}));
    const QString id = upload(m.a1.token(), QByteArray(5000, 'p'));
    QVERIFY(!id.isEmpty());
    const QJsonObject media{{"media_id", id}};
    QJsonObject picture{{"type", "message"}, {"id", TestClient::newId()}, {"to", m.group},
                        {"kind", "file"},    {"content", "caption"},      {"media", media}};
    const qint64 inGroup = intField(m.a1->request(picture), QStringLiteral("seq"));
    QVERIFY(inGroup > 0);
    // bob forwards it to carol without uploading again.
    QJsonObject forward = picture;
    forward.insert(QStringLiteral("id"), TestClient::newId());
    forward.insert(QStringLiteral("to"), m.carol.userId);
    forward.insert(QStringLiteral("forwarded"), true);
    const QJsonObject forwarded = m.b1->request(forward);
    TERN_VERIFY_ACK(forwarded);
    QCOMPARE(download(m.c1.token(), id), 200);
    QCOMPARE(download(d1.token(), id), 200);

    // Deleting the original: the forward still shows the media to its chat, but the group,
    // where no message shows it any more, no longer reaches it.
    TERN_VERIFY_ACK(m.a1->request(changeObject(m.group, QStringLiteral("delete"), inGroup)));
    QCOMPARE(download(m.c1.token(), id), 200);
    QCOMPARE(download(d1.token(), id), 404);
    QVERIFY(QFile::exists(mediaPath(id)));
    QVERIFY(
        !historyOf(m.b1.client.get(), m.group).value(inGroup).contains(QStringLiteral("media")));

    // Deleting the forward too: nothing shows it, so it is gone.
    TERN_VERIFY_ACK(m.b1->request(changeObject(m.carol.userId, QStringLiteral("delete"),
                                               intField(forwarded, QStringLiteral("seq")))));
    QCOMPARE(download(m.c1.token(), id), 404);
    QCOMPARE(download(m.a1.token(), id), 404); // the uploader too
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(mediaPath(id)), 10'000);
}

//! A member added later keeps every seq (no gap) but never gets the text of a message from
//! before they joined through a change of it: an edit's new text or a reaction's emoji arrives
//! empty for them, live, in history and in sync, while earlier members get it whole.
void TestMessageChanges::laterMembersGetNoTextOfOlderMessages()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("lm")));
    const qint64 old = sendText(m.a1, m.group, QStringLiteral("before dave"));
    QVERIFY(old > 0);
    const TestUser dave = createUser(m_server.url(), QStringLiteral("lmd"));
    Device d1 = loginDevice(m_server.url(), dave, QStringLiteral("d1"));
    Device d2 = loginDevice(m_server.url(), dave, QStringLiteral("d2"));
    QVERIFY(d1.ok() && d2.ok());
    TERN_VERIFY_ACK(m.a1->request({{"type", "add_members"},
                                   {"conversation", m.group},
                                   {"members", QJsonArray{dave.userId}}}));
    QVERIFY(d2->waitForEvent(kMessage, TestClient::kTimeoutMs, [&](const QJsonObject &e) {
        return e.value(QStringLiteral("conversation")).toString() == m.group;
    }));
    // d2 holds what it may see so far and goes offline; it syncs the changes later.
    const LoginInfo d2Login = d2.login;
    d2->close();
    QVERIFY(d2->waitForDisconnected());

    const QJsonObject edited = m.a1->request(
        changeObject(m.group, QStringLiteral("edit"), old, QStringLiteral("edited secret")));
    TERN_VERIFY_ACK(edited);
    const qint64 editSeq = intField(edited, QStringLiteral("seq"));
    const QJsonObject reacted = m.b1->request(reactionObject(m.group, old, QStringLiteral("🙈")));
    TERN_VERIFY_ACK(reacted);
    const qint64 reactSeq = intField(reacted, QStringLiteral("seq"));

    for (const qint64 seq : {editSeq, reactSeq}) {
        const auto forDave =
            d1->waitForEvent(kMessage, TestClient::kTimeoutMs, atSeq(m.group, seq));
        QVERIFY(forDave);
        QCOMPARE(forDave->value(QStringLiteral("content")).toString(), QString());
        QCOMPARE(intField(*forDave, QStringLiteral("ref")), old);
        const auto forCarol =
            m.c1->waitForEvent(kMessage, TestClient::kTimeoutMs, atSeq(m.group, seq));
        QVERIFY(forCarol);
        QVERIFY(!forCarol->value(QStringLiteral("content")).toString().isEmpty());
    }
    const auto history = historyOf(d1.client.get(), m.group);
    QVERIFY(!history.contains(old));
    QVERIFY(history.contains(editSeq) && history.contains(reactSeq));
    QCOMPARE(history.value(editSeq).value(QStringLiteral("content")).toString(), QString());
    QCOMPARE(history.value(reactSeq).value(QStringLiteral("content")).toString(), QString());
    QCOMPARE(historyOf(m.c1.client.get(), m.group)
                 .value(editSeq)
                 .value(QStringLiteral("content"))
                 .toString(),
             QStringLiteral("edited secret"));

    Device back = reconnectDevice(m_server.url(), d2Login);
    QVERIFY(back.ok());
    int changes = 0;
    for (const QJsonObject &e : syncEvents(back.client.get())) {
        const qint64 seq = intField(e, QStringLiteral("seq"));
        if (e.value(QStringLiteral("conversation")).toString() != m.group ||
            (seq != editSeq && seq != reactSeq))
            continue;
        ++changes;
        QCOMPARE(e.value(QStringLiteral("content")).toString(), QString());
    }
    QCOMPARE(changes, 2);
}

void TestMessageChanges::survivesRestartAndContentLeavesTheFile()
{
    Members m;
    QVERIFY(makeGroup(m, QStringLiteral("rs")));
    const qint64 kept = sendText(m.a1, m.group, QStringLiteral("kept text"));
    const qint64 secret =
        sendText(m.a1, m.group, QStringLiteral("SECRET-original-7731 zqxjkvoriginal"));
    TERN_VERIFY_ACK(m.a1->request(
        changeObject(m.group, QStringLiteral("edit"), kept, QStringLiteral("kept, edited"))));
    TERN_VERIFY_ACK(m.a1->request(changeObject(m.group, QStringLiteral("edit"), secret,
                                               QStringLiteral("SECRET-edited-7731 yqwpedited"))));
    TERN_VERIFY_ACK(m.b1->request(reactionObject(m.group, kept, QStringLiteral("👍"))));
    TERN_VERIFY_ACK(m.a1->request(changeObject(m.group, QStringLiteral("delete"), secret)));
    const LoginInfo bob = m.b1.login;
    const QString group = m.group;
    m = Members{};

    m_server.stop();
    {
        // The database file itself: the deleted text is nowhere, not in the edit rows either.
        const QString name = QStringLiteral("tst_messagechanges_check");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(QDir(m_server.dataDir()).filePath(QStringLiteral("ternd.sqlite")));
            QVERIFY(db.open());
            QSqlQuery tables(db);
            QVERIFY(tables.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = "
                                               "'table' AND name NOT LIKE 'sqlite_%'")));
            QStringList names;
            while (tables.next())
                names << tables.value(0).toString();
            QVERIFY(names.contains(QStringLiteral("messages")));
            int rowsSeen = 0;
            for (const QString &table : names) {
                QSqlQuery rows(db);
                QVERIFY(rows.exec(QStringLiteral("SELECT * FROM \"%1\"").arg(table)));
                while (rows.next()) {
                    ++rowsSeen;
                    for (int c = 0; c < rows.record().count(); ++c)
                        QVERIFY2(!rows.value(c).toString().contains(QStringLiteral("SECRET")),
                                 qPrintable(table + QLatin1Char(' ') + rows.value(c).toString()));
                }
            }
            QVERIFY(rowsSeen > 0);
            QSqlQuery edits(db);
            QVERIFY(
                edits.prepare(QStringLiteral("SELECT COUNT(*) FROM messages WHERE kind = 'edit' "
                                             "AND content = '' AND conversation_id = ?")));
            edits.addBindValue(group);
            QVERIFY(edits.exec());
            QVERIFY(edits.next());
            QCOMPARE(edits.value(0).toInt(), 1); // the deleted message's edit, emptied
        }
        QSqlDatabase::removeDatabase(name);
        // Nor in the file's bytes (free pages, the write-ahead log): deleted means overwritten.
        for (const QString &file :
             {QStringLiteral("ternd.sqlite"), QStringLiteral("ternd.sqlite-wal")}) {
            QFile raw(QDir(m_server.dataDir()).filePath(file));
            if (!raw.open(QIODevice::ReadOnly))
                continue;
            const QByteArray bytes = raw.readAll();
            QVERIFY2(!bytes.contains("SECRET-"), qPrintable(file));
            // The search index holds words lowercased and each after the prefix it shares
            // with the term before it: these two share none with any other term here, so
            // they would be found whole, less perhaps their first letter, if still there.
            QVERIFY2(!bytes.contains("qxjkvoriginal"), qPrintable(file));
            QVERIFY2(!bytes.contains("qwpedited"), qPrintable(file));
        }
    }

    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    Device b1 = reconnectDevice(m_server.url(), bob);
    QVERIFY(b1.ok());
    const auto history = historyOf(b1.client.get(), group);
    QCOMPARE(history.value(kept).value(QStringLiteral("content")).toString(),
             QStringLiteral("kept, edited"));
    QVERIFY(intField(history.value(kept), QStringLiteral("edited_ts")) > 0);
    QCOMPARE(reactionsOf(history.value(kept)).size(), 1);
    QVERIFY(history.value(secret).value(QStringLiteral("deleted")).toBool());
    QCOMPARE(history.value(secret).value(QStringLiteral("content")).toString(), QString());
}

QTEST_GUILESS_MAIN(TestMessageChanges)
#include "tst_messagechanges.moc"
