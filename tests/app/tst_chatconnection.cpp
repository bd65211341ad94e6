// ChatConnection alone against a child ternd: register, login and the state sequence, the sync
// steps of the parts in order (a failing one drops the connection, which comes back), resume
// from the stored session, reconnect after a server restart, and pending calls failed when the
// connection goes (Cancelled) or is lost (Offline) instead of left waiting.

#include "app/client/ChatConnection.h"
#include "shared/protocol/Replies.h"
#include "tests/app/PartAccount.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestUtil.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/types.h>

using namespace tern;
using namespace tern::test;
using tern::app::client::ChatConnection;
using State = ChatConnection::State;

namespace {

QList<State> statesOf(const QSignalSpy &spy)
{
    QList<State> seen;
    for (const QList<QVariant> &args : spy)
        seen << args.at(0).value<State>();
    return seen;
}

//! A sync step: notes that it ran (and on which connection), then answers `result`.
QCoro::Task<Status> noteStep(QStringList *log, QString name, quint64 generation, Status result)
{
    log->append(QStringLiteral("%1@%2").arg(name).arg(generation));
    co_return result;
}

} // namespace

class TestChatConnection : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void loginGoesOnline();
    void syncStepsRunInOrder();
    void resumeFromStoredSession();
    void reconnectsAfterServerRestart();
    void pendingCallCancelledOnTeardown();
    void pendingCallOfflineWhenLost();

private:
    QString cachePath(const QString &name) const { return m_dir->filePath(name + ".sqlite"); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ChildServer> m_server;
};

void TestChatConnection::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<ChildServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestChatConnection::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

void TestChatConnection::loginGoesOnline()
{
    PartAccount a;
    QVERIFY(a.build(cachePath("a"), m_server->url()));
    QSignalSpy states(a.connection.get(), &ChatConnection::stateChanged);
    QSignalSpy synced(a.connection.get(), &ChatConnection::synced);
    QVERIFY(a.signUp(QStringLiteral("alice")));
    // register used a connection of its own; login: it opens, authenticates, syncs, is online.
    const QList<State> seen = statesOf(states);
    QVERIFY2(seen.size() >= 4, qPrintable(QString::number(seen.size())));
    QCOMPARE(seen.mid(seen.size() - 4), (QList<State>{State::Connecting, State::Authenticating,
                                                      State::Syncing, State::Online}));
    QCOMPARE(synced.size(), 1);
    QVERIFY(a.connection->isAuthenticated());
    QCOMPARE(a.connection->userId(), a.userId);
    QVERIFY(!a.connection->deviceId().isEmpty());
    // The session is durable (resume() after a crash reads it).
    const auto settings = take(a.store->settings()).value();
    QCOMPARE(settings.value(ChatConnection::kTokenKey), a.connection->token());
    QCOMPARE(settings.value(ChatConnection::kUserIdKey), a.userId);

    // A typed call on the authenticated connection.
    const auto users = QCoro::waitFor(a.connection->call(protocol::UsersRequest{{a.userId}}));
    QVERIFY(users.ok());
    QCOMPARE(users->users.size(), 1);
    QCOMPARE(users->users.first().displayName, a.name.toUpper());

    // A second login on an authenticated connection is refused without a request.
    const auto again = QCoro::waitFor(
        a.connection->login(a.name, QStringLiteral("password-123"), QStringLiteral("x")));
    QVERIFY(!again);
    QCOMPARE(again.error().code, ErrorCode::Conflict);
}

void TestChatConnection::syncStepsRunInOrder()
{
    PartAccount a;
    QVERIFY(a.build(cachePath("a"), m_server->url()));
    QStringList log;
    int failuresLeft = 1;
    a.connection->addSyncStep(a.connection.get(), [&log](quint64 generation) {
        return noteStep(&log, QStringLiteral("first"), generation, Ok{});
    });
    a.connection->addSyncStep(a.connection.get(), [&log, &failuresLeft](quint64 generation) {
        // Fails on the first connection: the connection drops and comes back with backoff.
        const Status result = failuresLeft-- > 0
                                  ? Status(Error{ErrorCode::Internal, QStringLiteral("boom")})
                                  : Status(Ok{});
        return noteStep(&log, QStringLiteral("second"), generation, result);
    });
    QSignalSpy synced(a.connection.get(), &ChatConnection::synced);
    QSignalSpy lost(a.connection.get(), &ChatConnection::connectionLost);
    QVERIFY(a.signUp(QStringLiteral("alice")));
    QCOMPARE(synced.size(), 1);
    QVERIFY(lost.size() >= 1);
    QCOMPARE(log.size(), 4);
    const auto generationOf = [](const QString &entry) {
        return entry.section('@', 1).toULongLong();
    };
    QVERIFY(log.at(0).startsWith("first@") && log.at(1).startsWith("second@"));
    QVERIFY(log.at(2).startsWith("first@") && log.at(3).startsWith("second@"));
    QCOMPARE(generationOf(log.at(0)), generationOf(log.at(1)));
    QVERIFY(generationOf(log.at(2)) > generationOf(log.at(1)));
    QCOMPARE(generationOf(log.at(3)), a.connection->generation());
}

void TestChatConnection::resumeFromStoredSession()
{
    PartAccount a;
    QVERIFY(a.build(cachePath("a"), m_server->url()));
    QVERIFY(a.signUp(QStringLiteral("alice")));
    const QString deviceId = a.connection->deviceId();
    a.reset(); // the app quits

    PartAccount again;
    QVERIFY(again.build(cachePath("a"), QUrl())); // the url comes from the cache's settings
    QSignalSpy userIdChanged(again.connection.get(), &ChatConnection::userIdChanged);
    QVERIFY(QCoro::waitFor(again.connection->resume()).ok());
    QCOMPARE(userIdChanged.size(), 1);
    QCOMPARE(again.connection->userId(), a.userId);
    QTRY_COMPARE_WITH_TIMEOUT(again.connection->state(), State::Online, kPartWaitMs);
    QCOMPARE(again.connection->deviceId(), deviceId);

    // Without a stored token there is nothing to resume.
    QVERIFY(QCoro::waitFor(again.connection->logout()).ok());
    QCOMPARE(again.connection->state(), State::Offline);
    const Status none = QCoro::waitFor(again.connection->resume());
    QVERIFY(!none.ok());
    QCOMPARE(none.error().code, ErrorCode::Unauthenticated);
}

void TestChatConnection::reconnectsAfterServerRestart()
{
    PartAccount a;
    QVERIFY(a.build(cachePath("a"), m_server->url()));
    QVERIFY(a.signUp(QStringLiteral("alice")));
    const quint64 before = a.connection->generation();
    QSignalSpy lost(a.connection.get(), &ChatConnection::connectionLost);
    QSignalSpy states(a.connection.get(), &ChatConnection::stateChanged);

    m_server->kill();
    QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, kPartWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(a.connection->state(), State::Offline, kPartWaitMs);
    QVERIFY(!a.connection->isAuthenticated());
    QVERIFY(a.connection->nextRetryMs() >= 0); // a retry is scheduled
    // Offline: a call fails at once as a transport error.
    const auto offline = QCoro::waitFor(a.connection->call(protocol::UsersRequest{{a.userId}}));
    QVERIFY(!offline);
    QCOMPARE(offline.error().transport, std::optional(TransportFailure::Offline));

    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    a.connection->setServerUrl(m_server->url()); // a new port; the scheduled retry uses it
    // Nobody calls retryNow(): the connection comes back on its own.
    QTRY_COMPARE_WITH_TIMEOUT(a.connection->state(), State::Online, kPartWaitMs);
    QVERIFY(a.connection->generation() > before);
    QCOMPARE(statesOf(states).mid(statesOf(states).size() - 3),
             (QList<State>{State::Authenticating, State::Syncing, State::Online}));
    const auto users = QCoro::waitFor(a.connection->call(protocol::UsersRequest{{a.userId}}));
    QVERIFY(users.ok());
    QCOMPARE(users->users.size(), 1);
}

void TestChatConnection::pendingCallCancelledOnTeardown()
{
    PartAccount a;
    QVERIFY(a.build(cachePath("a"), m_server->url()));
    QVERIFY(a.signUp(QStringLiteral("alice")));
    // Sent at once; its answer cannot arrive before the event loop runs again.
    QCoro::Task<Result<protocol::UsersReply>> pending =
        a.connection->call(protocol::UsersRequest{{a.userId}});
    a.connection.reset();
    const Result<protocol::UsersReply> reply = QCoro::waitFor(std::move(pending));
    QVERIFY(!reply);
    QCOMPARE(reply.error().transport, std::optional(TransportFailure::Cancelled));
    a.reset();
}

void TestChatConnection::pendingCallOfflineWhenLost()
{
    PartAccount a;
    QVERIFY(a.build(cachePath("a"), m_server->url()));
    QVERIFY(a.signUp(QStringLiteral("alice")));
    a.connection->setRequestTimeoutMs(120'000); // the loss, not the timeout, must end it
    // A frozen server takes the request but never answers; then it dies.
    QCOMPARE(::kill(pid_t(m_server->pid()), SIGSTOP), 0);
    QCoro::Task<Result<protocol::UsersReply>> pending =
        a.connection->call(protocol::UsersRequest{{a.userId}});
    m_server->kill();
    const Result<protocol::UsersReply> reply = QCoro::waitFor(std::move(pending));
    QVERIFY(!reply);
    QCOMPARE(reply.error().transport, std::optional(TransportFailure::Offline));
    QTRY_COMPARE_WITH_TIMEOUT(a.connection->state(), State::Offline, kPartWaitMs);
}

QTEST_GUILESS_MAIN(TestChatConnection)
#include "tst_chatconnection.moc"
