// `ternd user …` against a live server (issue 15, item 2): every command takes effect at once
// through the admin socket (a new user logs in, passwd and disable close the user's sessions
// and revoke their tokens), a CLI that edits the database directly beside a running server no
// longer leaves the server's writes failing with "database is locked", a killed server's stale
// socket sends the CLI to the database, and a second ternd on the same data dir refuses to start.
// The admin socket's bounds hold against clients that push past them (more than 4 at once,
// commands over 16 KiB, commands never finished within 10 s): the server goes on and a normal
// command still gets through. A real child ternd; the CLI is the real binary.

#include "server/admin/AdminChannel.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLocalSocket>
#include <QProcess>
#include <QtTest>

using namespace tern;
using namespace tern::test;

class TestHostileAdmin : public QObject
{
    Q_OBJECT

private:
    struct CliResult
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    //! Runs `ternd user ARGS` on the child's data dir; the server is another process, so
    //! waiting here blocks nobody it needs.
    static CliResult cli(const ChildServer &server, const QStringList &args,
                         const QByteArray &input = {})
    {
        QProcess p;
        p.start(ChildServer::binaryPath(),
                QStringList{"user"} + args +
                    QStringList{"--data-dir", server.dataDir(), "--password-cost", "min"});
        CliResult result;
        if (!p.waitForStarted(10'000))
            return result;
        p.write(input);
        p.closeWriteChannel();
        if (!p.waitForFinished(60'000))
            return result;
        result.exitCode = p.exitCode();
        result.out = p.readAllStandardOutput();
        result.err = p.readAllStandardError();
        return result;
    }

    //! A raw client of the admin socket, connected (or nullptr).
    static std::unique_ptr<QLocalSocket> adminSocket(const ChildServer &server)
    {
        auto socket = std::make_unique<QLocalSocket>();
        socket->connectToServer(server::admin::AdminChannel::socketPath(server.dataDir()));
        if (!socket->waitForConnected(5000))
            return nullptr;
        return socket;
    }

    //! The server still serves chat and a normal admin command.
    static bool stillServes(const ChildServer &server, const QString &newUser)
    {
        const CliResult added = cli(server, {"add", newUser}, "a-fine-password\n");
        if (added.exitCode != 0) {
            qWarning() << "add failed:" << added.exitCode << added.out << added.err;
            return false;
        }
        TestClient client;
        return client.open(server.url()) && client.login(newUser, "a-fine-password").ok();
    }

    static bool sendsFine(const Device &from, const QString &to)
    {
        const QJsonObject reply = from->sendMessage(to, QStringLiteral("still writing?"));
        if (!isAck(reply))
            qWarning() << "send failed:" << reply;
        return isAck(reply);
    }

private slots:
    void addedUserLogsInAtOnceAndWritesGoOn()
    {
        ChildServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const TestUser alice = createUser(server.url(), "alice");
        Device aliceDevice = loginDevice(server.url(), alice, "laptop");
        QVERIFY(aliceDevice.ok());
        QVERIFY(sendsFine(aliceDevice, aliceDevice.userId()));

        const CliResult added = cli(server, {"add", "carol"}, "carol-password\n");
        QCOMPARE(added.exitCode, 0);
        QVERIFY2(added.out.startsWith("added carol"), added.out + added.err);
        QVERIFY(server.logTail().contains("admin command"));

        TestClient carol;
        QVERIFY(carol.open(server.url()));
        const LoginInfo carolLogin = carol.login("carol", "carol-password");
        QVERIFY2(carolLogin.ok(), qPrintable(QJsonDocument(carolLogin.reply).toJson()));
        QVERIFY(sendsFine(aliceDevice, carolLogin.userId));
        QVERIFY(carol.waitForEvent("message").has_value());

        const CliResult listing = cli(server, {"list"});
        QCOMPARE(listing.exitCode, 0);
        QVERIFY(listing.out.contains("carol"));
        QVERIFY(listing.out.contains(alice.name.toUtf8()));
        QCOMPARE(cli(server, {"add", "carol"}, "carol-password\n").exitCode, 1);
        QCOMPARE(cli(server, {"add", "Bad Name"}, "carol-password\n").exitCode, 2);
        QCOMPARE(cli(server, {"add", "shorty"}, "short\n").exitCode, 2);
        QCOMPARE(cli(server, {"passwd", "nobody"}, "password-123\n").exitCode, 1);
    }

    void passwdSignsOutEveryDeviceAtOnce()
    {
        ChildServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const TestUser alice = createUser(server.url(), "alice");
        Device laptop = loginDevice(server.url(), alice, "laptop");
        Device phone = loginDevice(server.url(), alice, "phone");
        QVERIFY(laptop.ok() && phone.ok());

        const CliResult changed = cli(server, {"passwd", alice.name}, "a-brand-new-one\n");
        QCOMPARE(changed.exitCode, 0);
        QVERIFY(laptop->waitForDisconnected(10'000));
        QVERIFY(phone->waitForDisconnected(10'000));
        QCOMPARE(laptop->closeCode(), 1008);
        QVERIFY(laptop->closeReason().contains("password"));

        TestClient again;
        QVERIFY(again.open(server.url()));
        QCOMPARE(again.auth(laptop.token()).value("code").toString(),
                 QStringLiteral("unauthenticated"));
        QVERIFY(!again.login(alice.name, alice.password).ok());
        QVERIFY(again.login(alice.name, "a-brand-new-one").ok());
    }

    void disableClosesSessionsAndEnableLetsBackIn()
    {
        ChildServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const TestUser bob = createUser(server.url(), "bob");
        const TestUser other = createUser(server.url(), "other");
        Device bobDevice = loginDevice(server.url(), bob, "laptop");
        Device otherDevice = loginDevice(server.url(), other, "laptop");
        QVERIFY(bobDevice.ok() && otherDevice.ok());

        QCOMPARE(cli(server, {"disable", bob.name}).exitCode, 0);
        QVERIFY(bobDevice->waitForDisconnected(10'000));
        QCOMPARE(bobDevice->closeCode(), 1008);
        QVERIFY(!otherDevice->wasDisconnected()); // nobody else is touched
        QVERIFY(sendsFine(otherDevice, other.userId));

        TestClient probe;
        QVERIFY(probe.open(server.url()));
        QCOMPARE(probe.login(bob.name, bob.password).reply.value("code").toString(),
                 QStringLiteral("forbidden"));
        QCOMPARE(cli(server, {"enable", bob.name}).exitCode, 0);
        QVERIFY(probe.login(bob.name, bob.password).ok());
        QCOMPARE(probe.auth(bobDevice.token()).value("code").toString(),
                 QStringLiteral("conflict")); // this connection is signed in already
        TestClient oldToken;
        QVERIFY(oldToken.open(server.url()));
        QCOMPARE(oldToken.auth(bobDevice.token()).value("code").toString(),
                 QStringLiteral("unauthenticated")); // revoked when disabled
    }

    void directDatabaseEditBesideARunningServerLocksNothing()
    {
        // As with a server that has no admin socket (or an older one): the CLI writes the
        // database itself. The server's statements must not hold a read snapshot, or its next
        // write fails with "database is locked" until restart.
        ChildServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const TestUser alice = createUser(server.url(), "alice");
        Device laptop = loginDevice(server.url(), alice, "laptop");
        QVERIFY(laptop.ok());
        Device second = reconnectDevice(server.url(), laptop.login); // a token lookup
        QVERIFY(second.ok());
        QVERIFY(sendsFine(laptop, alice.userId));

        QVERIFY(QFile::remove(server::admin::AdminChannel::socketPath(server.dataDir())));
        const CliResult added = cli(server, {"add", "dave"}, "dave-password\n");
        QCOMPARE(added.exitCode, 0);
        QVERIFY(!server.logTail().contains("admin command: \"add\" \"dave\""));

        QVERIFY(sendsFine(laptop, alice.userId));
        QVERIFY(sendsFine(second, alice.userId));
        TestClient dave;
        QVERIFY(dave.open(server.url()));
        QVERIFY(dave.login("dave", "dave-password").ok());
        QVERIFY(!server.logTail().contains("database is locked"));
    }

    void clientsPastTheBoundWaitTheirTurn()
    {
        ChildServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        // Four clients (as many as are served at once) start a command and never finish it;
        // two more wait behind them and give up (a CLI stopped with Ctrl-C).
        std::vector<std::unique_ptr<QLocalSocket>> squatters;
        for (int i = 0; i < server::admin::AdminChannel::kMaxClients; ++i) {
            squatters.push_back(adminSocket(server));
            QVERIFY(squatters.back());
            squatters.back()->write("{\"verb\":\"li");
            QVERIFY(squatters.back()->waitForBytesWritten(5000));
        }
        for (int i = 0; i < 2; ++i)
            QVERIFY(adminSocket(server)); // closed again at once
        // A real command, sent while it waits, is served once the four are dropped after
        // their 10 s; the two that left do not keep places.
        QElapsedTimer timer;
        timer.start();
        QVERIFY(stillServes(server, "patient"));
        qInfo("served after %lld ms", timer.elapsed()); // about the 10 s deadline
        for (const auto &s : squatters) {
            QVERIFY(
                spinUntil([&] { return s->state() == QLocalSocket::UnconnectedState; }, 10'000));
            QVERIFY(s->readAll().isEmpty()); // dropped without an answer
        }
        // Every place is free again: as many commands as are served at once all get through.
        std::vector<std::unique_ptr<QProcess>> parallel;
        for (int i = 0; i < server::admin::AdminChannel::kMaxClients; ++i) {
            parallel.push_back(std::make_unique<QProcess>());
            parallel.back()->start(ChildServer::binaryPath(),
                                   {"user", "list", "--data-dir", server.dataDir()});
        }
        for (const auto &p : parallel) {
            QVERIFY(p->waitForFinished(30'000));
            QCOMPARE(p->exitCode(), 0);
            QVERIFY(p->readAllStandardOutput().contains("patient"));
        }
        QVERIFY(server.isRunning());
    }

    void waitingClientsAreBoundedInNumberAndBytes()
    {
        ChildServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        std::vector<std::unique_ptr<QLocalSocket>> held;
        for (int i = 0; i < server::admin::AdminChannel::kMaxClients +
                                server::admin::AdminChannel::kMaxWaiting;
             ++i) {
            held.push_back(adminSocket(server));
            QVERIFY(held.back());
        }
        // One more is told at once rather than left hanging; nothing is buffered for it.
        auto extra = adminSocket(server);
        QVERIFY(extra);
        QByteArray answer;
        QVERIFY(spinUntil(
            [&] {
                answer += extra->readAll();
                return answer.endsWith('\n');
            },
            10'000));
        QVERIFY2(answer.contains("busy"), answer.constData());
        // What a waiting client sends is not read past a command's size: 64 MiB stays with it.
        const qint64 rssBefore = server.rssKiB();
        QLocalSocket *flooder = held.back().get();
        flooder->write(QByteArray(64 * 1024 * 1024, 'x'));
        spinUntil([&] { return flooder->bytesToWrite() == 0; }, 3000);
        QVERIFY(flooder->bytesToWrite() > 0);
        if (kRssIsMeaningful)
            QVERIFY2(server.rssKiB() - rssBefore < 16 * 1024,
                     qPrintable(QString::number(server.rssKiB() - rssBefore)));
        // Those waiting are served as soon as places free.
        held.clear();
        QVERIFY(stillServes(server, "served"));
    }

    void overlongAndMalformedCommandsAreRefused()
    {
        ChildServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const auto answerTo = [&](const QByteArray &bytes) {
            auto socket = adminSocket(server);
            if (!socket)
                return QByteArray("not connected");
            socket->write(bytes);
            QByteArray reply;
            spinUntil(
                [&] {
                    reply += socket->readAll();
                    return reply.endsWith('\n') ||
                           socket->state() == QLocalSocket::UnconnectedState;
                },
                10'000);
            return reply + socket->readAll();
        };
        // Past 16 KiB with no end of line yet, and one line of 1 MiB: the client is still
        // writing when the server refuses, and must get the answer all the same (a server that
        // closed with its bytes unread would reset the connection, losing the answer).
        const QByteArray longName(server::admin::kAdminRequestMaxBytes + 100, 'a');
        QVERIFY(answerTo("{\"verb\":\"add\",\"name\":\"" + longName).contains("command too long"));
        QVERIFY(answerTo("{\"verb\":\"add\",\"name\":\"" + QByteArray(1 << 20, 'a') + "\"}\n")
                    .contains("command too long"));
        QVERIFY(answerTo("not json at all\n").contains("malformed admin command"));
        QVERIFY(answerTo("[1,2,3]\n").contains("malformed admin command"));
        QVERIFY(stillServes(server, "afterlong"));
        QVERIFY(server.isRunning());
    }

    void staleSocketOfAKilledServerAndASecondServer()
    {
        ChildServer server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        // A second ternd on the same data dir stops before serving anything.
        QProcess second;
        second.start(ChildServer::binaryPath(),
                     {"--data-dir", server.dataDir(), "--port", "0", "--bind", "127.0.0.1"});
        QVERIFY(second.waitForFinished(30'000));
        QCOMPARE(second.exitCode(), 1);
        QVERIFY(second.readAllStandardError().contains("another ternd"));

        server.kill();
        QVERIFY(QFile::exists(server::admin::AdminChannel::socketPath(server.dataDir())));
        QCOMPARE(cli(server, {"add", "erin"}, "erin-password\n").exitCode, 0);
        QVERIFY2(server.restart(), qPrintable(server.errorString()));
        TestClient erin;
        QVERIFY(erin.open(server.url()));
        QVERIFY(erin.login("erin", "erin-password").ok());
    }
};

QTEST_GUILESS_MAIN(TestHostileAdmin)
#include "tst_hostileAdmin.moc"
