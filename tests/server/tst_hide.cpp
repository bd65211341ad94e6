// "Delete for me" (`hide`) over the wire against an in-process ternd: the `hidden` event on every
// device of the user (the asker's own too) and on nobody else's, `history` leaving the hidden
// messages out for that user only, idempotency, seqs the user cannot see ignored, the codec's
// bounds, replay in `sync` (before its `complete` ack) to a device that was offline and only
// once, no replay to a new device, and all of it across a server restart.

#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QJsonArray>
#include <QtTest>

using namespace tern::test;
using namespace Qt::StringLiterals;

namespace {

const QString kHidden = u"hidden"_s;

QList<qint64> seqList(const QJsonValue &value)
{
    QList<qint64> out;
    for (const QJsonValue &v : value.toArray())
        out << v.toInteger();
    return out;
}

QJsonArray jsonSeqs(const QList<qint64> &seqs)
{
    QJsonArray out;
    for (const qint64 seq : seqs)
        out.append(seq);
    return out;
}

} // namespace

class TestHide : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void liveToEveryDeviceOfTheUser();
    void historyLeavesHiddenOut();
    void idempotentAndInvisibleIgnored();
    void boundsAndStrangers();
    void syncReplaysMissedHidesOnce();
    void survivesRestart();
    void chatListLeavesHiddenOut();

private:
    QJsonObject hide(TestClient *client, const QString &conversation, const QList<qint64> &seqs);
    QList<qint64> historySeqs(TestClient *client, const QString &conversation);
    //! Sends `count` messages; their seqs (the conversation in `conversation`).
    QList<qint64> sendSome(TestClient *client, const QString &to, int count, QString *conversation);

    ServerFixture m_server;
};

void TestHide::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void TestHide::cleanupTestCase()
{
    m_server.stop();
}

QJsonObject TestHide::hide(TestClient *client, const QString &conversation,
                           const QList<qint64> &seqs)
{
    return client->request(
        {{"type", "hide"}, {"conversation", conversation}, {"seqs", jsonSeqs(seqs)}});
}

QList<qint64> TestHide::historySeqs(TestClient *client, const QString &conversation)
{
    const QJsonObject r =
        client->request({{"type", "history"}, {"conversation", conversation}, {"limit", 200}});
    QList<qint64> seqs;
    for (const QJsonValue &m : r.value("messages"_L1).toArray())
        seqs << m.toObject().value("seq"_L1).toInteger();
    return seqs;
}

QList<qint64> TestHide::sendSome(TestClient *client, const QString &to, int count,
                                 QString *conversation)
{
    QList<qint64> seqs;
    for (int i = 0; i < count; ++i) {
        const QJsonObject r = client->sendMessage(to, u"message %1"_s.arg(i));
        if (!isAck(r))
            return {};
        *conversation = r.value("conversation"_L1).toString();
        seqs << intField(r, u"seq"_s);
    }
    return seqs;
}

void TestHide::liveToEveryDeviceOfTheUser()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    const TestUser bob = createUser(m_server.url(), u"bob"_s);
    Device a1 = loginDevice(m_server.url(), alice, u"a1"_s);
    Device a2 = loginDevice(m_server.url(), alice, u"a2"_s);
    Device b = loginDevice(m_server.url(), bob, u"b"_s);
    QVERIFY(a1.ok() && a2.ok() && b.ok());
    QString conv;
    const QList<qint64> seqs = sendSome(b.client.get(), alice.userId, 3, &conv);
    QCOMPARE(seqs.size(), 3);

    QVERIFY(isAck(hide(a1.client.get(), conv, {seqs.at(1), seqs.at(1)})));
    for (Device *d : {&a1, &a2}) {
        const auto event = (*d)->waitForEvent(kHidden);
        QVERIFY(event);
        QCOMPARE(event->value("conversation"_L1).toString(), conv);
        QCOMPARE(seqList(event->value("seqs"_L1)), QList<qint64>{seqs.at(1)});
    }
    QVERIFY(b->barrier());
    QVERIFY(b->expectNoEvent(kHidden));
}

void TestHide::historyLeavesHiddenOut()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    const TestUser bob = createUser(m_server.url(), u"bob"_s);
    Device a = loginDevice(m_server.url(), alice, u"a"_s);
    Device b = loginDevice(m_server.url(), bob, u"b"_s);
    QVERIFY(a.ok() && b.ok());
    QString conv;
    const QList<qint64> seqs = sendSome(a.client.get(), bob.userId, 5, &conv);
    QCOMPARE(seqs.size(), 5);
    QVERIFY(isAck(hide(a.client.get(), conv, {seqs.at(0), seqs.at(3)})));
    QCOMPARE(historySeqs(a.client.get(), conv),
             (QList<qint64>{seqs.at(1), seqs.at(2), seqs.at(4)}));
    QCOMPARE(historySeqs(b.client.get(), conv), seqs);
    // Paging still works around the holes: two per page, oldest first within a page.
    const QJsonObject page =
        a->request({{"type", "history"}, {"conversation", conv}, {"limit", 2}});
    QCOMPARE(page.value("messages"_L1).toArray().size(), 2);
    const qint64 before = intField(page, u"next_before_seq"_s);
    QCOMPARE(before, seqs.at(2));
    const QJsonObject older = a->request(
        {{"type", "history"}, {"conversation", conv}, {"limit", 2}, {"before_seq", before}});
    QCOMPARE(older.value("messages"_L1).toArray().size(), 1);
    QVERIFY(!older.contains("next_before_seq"_L1));
}

void TestHide::idempotentAndInvisibleIgnored()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    const TestUser bob = createUser(m_server.url(), u"bob"_s);
    const TestUser carol = createUser(m_server.url(), u"carol"_s);
    Device a = loginDevice(m_server.url(), alice, u"a"_s);
    Device c = loginDevice(m_server.url(), carol, u"c"_s);
    QVERIFY(a.ok() && c.ok());
    QString conv;
    const QList<qint64> seqs = sendSome(a.client.get(), bob.userId, 2, &conv);
    QVERIFY(isAck(hide(a.client.get(), conv, {seqs.at(0)})));
    QVERIFY(a->waitForEvent(kHidden));
    // Again: an ack, nothing new to tell.
    QVERIFY(isAck(hide(a.client.get(), conv, {seqs.at(0)})));
    QVERIFY(a->barrier());
    QVERIFY(a->expectNoEvent(kHidden));
    // Seqs that do not exist (or 0) are ignored; the visible one in the same request is hidden.
    QVERIFY(isAck(hide(a.client.get(), conv, {0, seqs.at(1), 999'999, 9007199254740992})));
    const auto event = a->waitForEvent(kHidden);
    QVERIFY(event);
    QCOMPARE(seqList(event->value("seqs"_L1)), QList<qint64>{seqs.at(1)});

    // A group carol joined late: what came before is not hers to hide.
    const QJsonObject created = a->request(
        {{"type", "create_group"}, {"name", "late"}, {"members", QJsonArray{bob.userId}}});
    const QString group = created.value("conversation"_L1).toString();
    QString same;
    const QList<qint64> early = sendSome(a.client.get(), group, 2, &same);
    QVERIFY(isAck(a->request({{"type", "add_members"},
                              {"conversation", group},
                              {"members", QJsonArray{carol.userId}}})));
    const QList<qint64> late = sendSome(a.client.get(), group, 1, &same);
    QVERIFY(isAck(hide(c.client.get(), group, early)));
    QVERIFY(c->barrier());
    QVERIFY(c->expectNoEvent(kHidden));
    QVERIFY(isAck(hide(c.client.get(), group, {early.at(0), late.at(0)})));
    const auto carols = c->waitForEvent(kHidden);
    QVERIFY(carols);
    QCOMPARE(seqList(carols->value("seqs"_L1)), late);
    // Alice (who hid nothing there) still has every message.
    QVERIFY(historySeqs(a.client.get(), group).contains(late.at(0)));
}

void TestHide::boundsAndStrangers()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    const TestUser bob = createUser(m_server.url(), u"bob"_s);
    const TestUser eve = createUser(m_server.url(), u"eve"_s);
    Device a = loginDevice(m_server.url(), alice, u"a"_s);
    Device e = loginDevice(m_server.url(), eve, u"e"_s);
    QVERIFY(a.ok() && e.ok());
    QString conv;
    const QList<qint64> seqs = sendSome(a.client.get(), bob.userId, 1, &conv);
    QVERIFY(isError(hide(e.client.get(), conv, seqs), u"not_found"_s));
    QVERIFY(isError(hide(a.client.get(), conv, {}), u"bad_request"_s));
    QList<qint64> many;
    for (int i = 1; i <= 101; ++i)
        many << i;
    QVERIFY(isError(hide(a.client.get(), conv, many), u"bad_request"_s));
    many.removeLast();
    QVERIFY(isAck(hide(a.client.get(), conv, many)));
    QVERIFY(isError(a->request({{"type", "hide"}, {"conversation", conv}, {"seqs", "1"}}),
                    u"bad_request"_s));
    QVERIFY(
        isError(a->request({{"type", "hide"}, {"conversation", conv}, {"seqs", QJsonArray{-1}}}),
                u"bad_request"_s));
    QVERIFY(historySeqs(a.client.get(), conv).isEmpty());
}

void TestHide::syncReplaysMissedHidesOnce()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    const TestUser bob = createUser(m_server.url(), u"bob"_s);
    Device a1 = loginDevice(m_server.url(), alice, u"a1"_s);
    Device a2 = loginDevice(m_server.url(), alice, u"a2"_s);
    Device b = loginDevice(m_server.url(), bob, u"b"_s);
    QVERIFY(a1.ok() && a2.ok() && b.ok());
    QString conv;
    const QList<qint64> seqs = sendSome(b.client.get(), alice.userId, 4, &conv);
    QCOMPARE(seqs.size(), 4);
    // a2 syncs now (nothing hidden yet), then goes offline.
    QVERIFY(isAck(a2->request({{"type", "sync"}})));
    QVERIFY(a2->expectNoEvent(kHidden));
    const LoginInfo a2Login = a2.login;
    a2.client.reset();

    QVERIFY(isAck(hide(a1.client.get(), conv, {seqs.at(0), seqs.at(2)})));
    QVERIFY(isAck(hide(a1.client.get(), conv, {seqs.at(3)})));

    Device back = reconnectDevice(m_server.url(), a2Login);
    QVERIFY(back.ok());
    const QJsonObject synced = back->request({{"type", "sync"}});
    QVERIFY2(isAck(synced), qPrintable(toJson(synced)));
    QCOMPARE(synced.value("complete"_L1).toBool(), true);
    // Sent before the sync's ack on the same connection: here already.
    const QList<QJsonObject> events = back->takeEvents(kHidden);
    QList<qint64> replayed;
    for (const QJsonObject &event : events) {
        QCOMPARE(event.value("conversation"_L1).toString(), conv);
        replayed << seqList(event.value("seqs"_L1));
    }
    QCOMPARE(replayed, (QList<qint64>{seqs.at(0), seqs.at(2), seqs.at(3)}));
    // Only once: the next sync has nothing to replay.
    QVERIFY(isAck(back->request({{"type", "sync"}})));
    QVERIFY(back->expectNoEvent(kHidden));
    // a1 was online for both and was told live; its first sync may replay them again (a
    // device's position moves with the syncs it runs: duplicates are harmless, hides are
    // idempotent), and after that sync nothing more.
    QVERIFY(isAck(a1->request({{"type", "sync"}})));
    a1->takeEvents(kHidden);
    QVERIFY(isAck(a1->request({{"type", "sync"}})));
    QVERIFY(a1->expectNoEvent(kHidden));
    // A device logged in later starts after the existing hides (history leaves them out).
    Device fresh = loginDevice(m_server.url(), alice, u"a3"_s);
    QVERIFY(isAck(fresh->request({{"type", "sync"}})));
    QVERIFY(fresh->expectNoEvent(kHidden));
    QCOMPARE(historySeqs(fresh.client.get(), conv), QList<qint64>{seqs.at(1)});
}

void TestHide::survivesRestart()
{
    ServerFixture server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TestUser alice = createUser(server.url(), u"alice"_s);
    const TestUser bob = createUser(server.url(), u"bob"_s);
    Device a1 = loginDevice(server.url(), alice, u"a1"_s);
    Device a2 = loginDevice(server.url(), alice, u"a2"_s);
    QVERIFY(a1.ok() && a2.ok());
    QVERIFY(isAck(a2->request({{"type", "sync"}})));
    const LoginInfo a2Login = a2.login;
    a2.client.reset();
    QString conv;
    const QList<qint64> seqs = sendSome(a1.client.get(), bob.userId, 3, &conv);
    QVERIFY(isAck(hide(a1.client.get(), conv, {seqs.at(1)})));
    a1.client.reset();
    QVERIFY(server.restart());

    Device again = reconnectDevice(server.url(), a1.login);
    QVERIFY(again.ok());
    QCOMPARE(historySeqs(again.client.get(), conv), (QList<qint64>{seqs.at(0), seqs.at(2)}));
    Device back = reconnectDevice(server.url(), a2Login);
    QVERIFY(back.ok());
    QVERIFY(isAck(back->request({{"type", "sync"}})));
    const QList<QJsonObject> events = back->takeEvents(kHidden);
    QCOMPARE(events.size(), 1);
    QCOMPARE(seqList(events.constFirst().value("seqs"_L1)), QList<qint64>{seqs.at(1)});
    server.stop();
}

//! The chat list shows what the user still has: a hidden newest message is neither the list's
//! last message nor unread (review of session 14).
void TestHide::chatListLeavesHiddenOut()
{
    const TestUser alice = createUser(m_server.url(), u"alice"_s);
    const TestUser bob = createUser(m_server.url(), u"bob"_s);
    Device a = loginDevice(m_server.url(), alice, u"a"_s);
    Device b = loginDevice(m_server.url(), bob, u"b"_s);
    QVERIFY(a.ok() && b.ok());
    QString conv;
    const QList<qint64> seqs = sendSome(b.client.get(), alice.userId, 3, &conv);
    QCOMPARE(seqs.size(), 3);
    QVERIFY(isAck(hide(a.client.get(), conv, {seqs.at(2)})));
    const auto entryOf = [&](TestClient *client) {
        const QJsonObject r = client->request({{"type", "conversations"}});
        for (const QJsonValue &v : r.value("conversations"_L1).toArray()) {
            if (v.toObject().value("conversation"_L1).toString() == conv)
                return v.toObject();
        }
        return QJsonObject();
    };
    const QJsonObject mine = entryOf(a.client.get());
    QCOMPARE(mine.value("last_message"_L1).toObject().value("seq"_L1).toInteger(), seqs.at(1));
    QCOMPARE(mine.value("unread"_L1).toInteger(), 2);
    // Bob hid nothing: his list is as before.
    const QJsonObject his = entryOf(b.client.get());
    QCOMPARE(his.value("last_message"_L1).toObject().value("seq"_L1).toInteger(), seqs.at(2));
}

QTEST_GUILESS_MAIN(TestHide)
#include "tst_hide.moc"
