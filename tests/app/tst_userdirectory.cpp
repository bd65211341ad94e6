// UserDirectory against real ChatClients and an in-process ternd: names fetched for the members
// of the conversation list and for unknown senders, saved to and read back from the cache,
// remember() for search results, and presence (online, last seen) including the status asked
// for right after a restart.

#include "app/client/GroupRequests.h"
#include "app/client/Inbox.h"
#include "app/client/Outbox.h"
#include "app/models/UserDirectory.h"
#include "tests/app/AppTestAccount.h"
#include "tests/app/EventBarrier.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TestUtil.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace tern;
using namespace tern::test;
using tern::app::client::ChatClient;
using tern::app::client::Outbox;
using tern::app::models::UserDirectory;

namespace {

constexpr int kWaitMs = 20'000;

QString send(AppTestAccount &from, const QString &to, const QString &text)
{
    QSignalSpy sent(from.client->outbox(), &Outbox::messageSent);
    from.client->outbox()->sendText(to, text);
    if (!spinUntil([&] { return !sent.isEmpty(); }, kWaitMs))
        return {};
    return sent.first().at(1).toString();
}

} // namespace

class TestUserDirectory : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void namesFromConversationsAndCache();
    void unknownSenderIsResolved();
    void rememberSavesNames();
    void presenceTracked();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ServerFixture> m_server;
};

void TestUserDirectory::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<ServerFixture>();
    m_server->config().presenceMinIntervalMs = 0; // every change announced at once
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestUserDirectory::cleanup()
{
    m_server.reset();
    QVERIFY(runQueuedWork()); // what the teardown resumed, before the directory goes
    m_dir.reset();
}

void TestUserDirectory::namesFromConversationsAndCache()
{
    AppTestAccount a, b, s;
    QVERIFY(a.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("alice"))));
    QVERIFY(b.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("bob"))));
    QVERIFY(s.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("sam"))));
    {
        UserDirectory directory(a.client.get(), a.store.get());
        QTRY_VERIFY(directory.isLoaded());
        QCOMPARE(directory.displayName(b.userId), b.userId); // unknown: the id
        QSignalSpy changed(&directory, &UserDirectory::namesChanged);
        QVERIFY(QCoro::waitFor(a.client->groups()->createGroup(QStringLiteral("G"), {b.userId})));
        QVERIFY(QCoro::waitFor(a.client->inbox()->conversations()));
        QTRY_COMPARE_WITH_TIMEOUT(directory.displayName(b.userId), b.name.toUpper(), kWaitMs);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(directory.displayName(a.userId), a.name.toUpper()); // ourselves too
        QCOMPARE(directory.names().value(b.userId), b.name.toUpper());
        QVERIFY(directory.isKnown(b.userId));
        // A stranger is never answered about.
        directory.resolve({s.userId});
        // The same question again on the same socket: answered after the directory's one.
        QVERIFY(QCoro::waitFor(a.client->inbox()->users({s.userId})).ok());
        QCOMPARE(directory.displayName(s.userId), s.userId);
    }
    // The next start: names from the cache at once, before (and without) the server.
    a.client.reset();
    m_server->stop();
    a.client = std::make_unique<ChatClient>(a.store.get());
    UserDirectory directory(a.client.get(), a.store.get());
    QSignalSpy loaded(&directory, &UserDirectory::loaded);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, kWaitMs);
    QCOMPARE(directory.displayName(b.userId), b.name.toUpper());
    QCOMPARE(directory.displayName(s.userId), s.userId);
    a.destroy();
    b.destroy();
    s.destroy();
}

void TestUserDirectory::unknownSenderIsResolved()
{
    AppTestAccount a, c;
    QVERIFY(a.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("alice"))));
    QVERIFY(c.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("carl"))));
    UserDirectory directory(a.client.get(), a.store.get());
    QTRY_VERIFY(directory.isLoaded());
    QVERIFY(!directory.isKnown(c.userId));
    QSignalSpy changed(&directory, &UserDirectory::namesChanged);
    QVERIFY(!send(c, a.userId, QStringLiteral("hello from a new person")).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(directory.displayName(c.userId), c.name.toUpper(), kWaitMs);
    QVERIFY(!changed.isEmpty());
    // Saved: a second directory on the same store knows it from the cache.
    UserDirectory second(a.client.get(), a.store.get());
    QTRY_VERIFY_WITH_TIMEOUT(second.isLoaded(), kWaitMs);
    QCOMPARE(second.displayName(c.userId), c.name.toUpper());
    a.destroy();
    c.destroy();
}

void TestUserDirectory::rememberSavesNames()
{
    AppTestAccount a, s;
    QVERIFY(a.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("alice"))));
    QVERIFY(s.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("sam"))));
    UserDirectory directory(a.client.get(), a.store.get());
    QTRY_VERIFY(directory.isLoaded());
    const auto found = QCoro::waitFor(a.client->inbox()->searchUsers(s.name));
    QVERIFY(found && found->size() == 1);
    QSignalSpy changed(&directory, &UserDirectory::namesChanged);
    directory.remember(*found);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(directory.displayName(s.userId), s.name.toUpper());
    directory.remember(*found); // nothing new: no signal
    QCOMPARE(changed.size(), 1);
    const auto cached = take(a.store->users());
    QVERIFY(cached);
    bool saved = false;
    for (const protocol::UserInfo &user : *cached)
        saved = saved || (user.userId == s.userId && user.displayName == s.name.toUpper());
    QVERIFY(saved);
    a.destroy();
    s.destroy();
}

void TestUserDirectory::presenceTracked()
{
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("alice"))));
    QVERIFY(b.login(m_dir->path(), m_server->url(), uniqueName(QStringLiteral("bob"))));
    QVERIFY(!send(b, a.userId, QStringLiteral("hi")).isEmpty());

    // Restart a's client: b is online all along, so only the request after sync tells.
    a.client.reset();
    a.client = std::make_unique<ChatClient>(a.store.get());
    auto directory = std::make_unique<UserDirectory>(a.client.get(), a.store.get());
    QVERIFY(!directory->isOnline(b.userId));
    QSignalSpy presence(directory.get(), &UserDirectory::presenceChanged);
    QVERIFY(QCoro::waitFor(a.client->connection()->resume()).ok());
    QTRY_VERIFY_WITH_TIMEOUT(directory->isOnline(b.userId), kWaitMs);
    QVERIFY(presence.contains(QList<QVariant>{b.userId}));
    QCOMPARE(directory->lastSeen(b.userId), qint64(0));

    // b closes the app: offline with a last-seen time.
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    b.client.reset();
    QTRY_VERIFY_WITH_TIMEOUT(!directory->isOnline(b.userId), kWaitMs);
    QVERIFY(directory->lastSeen(b.userId) >= before - 15'000);
    QVERIFY(directory->lastSeen(b.userId) <= QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(directory->lastSeen(QStringLiteral("u-unknown")), qint64(0));
    QVERIFY(!directory->isOnline(QStringLiteral("u-unknown")));
    directory.reset();
    a.destroy();
    b.destroy();
}

QTEST_GUILESS_MAIN(TestUserDirectory)
#include "tst_userdirectory.moc"
