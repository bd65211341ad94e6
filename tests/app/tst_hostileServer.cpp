// ChatClient against a hostile server: paging cursors that come round again or do not move must
// end the paging at once (and the app falls back to its cache), not after 10,000 round trips;
// a sync that never completes must not be asked for forever; failures with no server answer
// (dropped connection, silence, an ack that cannot be decoded) are transport errors, kept
// apart from an error the server sent. A real ternd cannot be made to
// cycle, so the peer here is a small WebSocket server that logs anyone in and answers `sync`,
// `conversations` and `history` the way each test wants. MediaUpload meets a small HTTP server
// whose answers do not read as their status promises: Protocol failures, not guesses.

#include "app/cache/LocalStore.h"
#include "app/client/ChatClient.h"
#include "app/client/Inbox.h"
#include "app/client/MediaUpload.h"
#include "shared/model/Limits.h"
#include "shared/protocol/Codec.h"
#include "tests/app/EventBarrier.h"
#include "tests/support/TestUtil.h"

#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>
#include <QtTest>

#include <qcoro/qcorotask.h>

#include <functional>
#include <memory>

using namespace tern;
using namespace tern::test;
using tern::app::cache::LocalStore;
using tern::app::client::ChatClient;
using tern::app::client::ChatConnection;

namespace {

constexpr int kWaitMs = 20'000;

//! Answers every request of one kind of ChatClient session; `pages` builds the ack of the n-th
//! (0-based) `conversations` or `history` request.
class HostilePeer : public QObject
{
public:
    using Pages =
        std::function<QJsonObject(const QString &type, const QJsonObject &request, int n)>;

    explicit HostilePeer(Pages pages)
        : m_server(QStringLiteral("hostile"), QWebSocketServer::NonSecureMode),
          m_pages(std::move(pages))
    {
        connect(&m_server, &QWebSocketServer::newConnection, this, [this] {
            while (QWebSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QWebSocket::textMessageReceived, this,
                        [this, socket](const QString &text) { answer(socket, text); });
                connect(socket, &QWebSocket::disconnected, this,
                        [this, socket] { m_closedSyncs << m_syncs.value(socket); });
            }
        });
    }
    ~HostilePeer() override
    {
        // Sockets that close during the teardown must not call back into members already gone.
        for (QWebSocket *socket : findChildren<QWebSocket *>())
            socket->disconnect(this);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server.serverPort()));
    }
    int count(const QString &type) const { return m_counts.value(type); }
    //! `sync` acks say `complete: false` (and no message comes before them).
    void setSyncIncomplete() { m_syncComplete = false; }
    //! The `sync` requests of each connection that has closed, in closing order.
    QList<int> closedSyncs() const { return m_closedSyncs; }
    //! Requests of `type` get `frame` (an ack's fields, or a whole frame when it has a "type")
    //! from now on; nullopt: they get no answer at all.
    void setAnswer(const QString &type, std::optional<QJsonObject> frame)
    {
        m_answers.insert(type, std::move(frame));
    }
    //! Sends `frame` (an event) on every open connection.
    void push(const QJsonObject &frame)
    {
        const QString text = QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact));
        for (QWebSocket *socket : findChildren<QWebSocket *>()) {
            if (socket->state() == QAbstractSocket::ConnectedState)
                socket->sendTextMessage(text);
        }
    }
    //! Drops every connection at once, without a close handshake.
    void dropConnections()
    {
        for (QWebSocket *socket : findChildren<QWebSocket *>())
            socket->abort();
    }

private:
    void answer(QWebSocket *socket, const QString &text)
    {
        const QJsonObject request = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = request.value(QStringLiteral("type")).toString();
        const QJsonValue id = request.value(QStringLiteral("id"));
        if (id.isUndefined())
            return; // heartbeat, delivery...
        const int n = m_counts[type]++;
        if (type == QLatin1String("sync"))
            ++m_syncs[socket];
        QJsonObject ack;
        if (const auto answer = m_answers.constFind(type); answer != m_answers.cend()) {
            if (!*answer)
                return; // silent
            ack = **answer;
        } else if (type == QLatin1String("login") || type == QLatin1String("auth"))
            ack = {{QStringLiteral("token"), QStringLiteral("t")},
                   {QStringLiteral("user_id"), QStringLiteral("u-me")},
                   {QStringLiteral("device_id"), QStringLiteral("d-me")}};
        else if (type == QLatin1String("sync"))
            ack = {{QStringLiteral("complete"), m_syncComplete}};
        else if (type == QLatin1String("conversations") || type == QLatin1String("history"))
            ack = m_pages(type, request, n);
        else if (type == QLatin1String("presence") || type == QLatin1String("users"))
            ack = {{QStringLiteral("users"), QJsonArray()}};
        if (!ack.contains(QStringLiteral("type")))
            ack.insert(QStringLiteral("type"), QStringLiteral("ack"));
        ack.insert(QStringLiteral("id"), id);
        socket->sendTextMessage(
            QString::fromUtf8(QJsonDocument(ack).toJson(QJsonDocument::Compact)));
    }

    QWebSocketServer m_server;
    Pages m_pages;
    QHash<QString, int> m_counts;
    bool m_syncComplete = true;
    QHash<QWebSocket *, int> m_syncs;
    QList<int> m_closedSyncs;
    QHash<QString, std::optional<QJsonObject>> m_answers;
};

QJsonObject summary(const QString &conversation)
{
    protocol::ConversationSummary value;
    value.conversation = conversation;
    value.kind = protocol::ConversationKind::Group;
    value.name = conversation;
    return protocol::toJson(value);
}

//! A conversations ack with one conversation of its own and `next` as its cursor.
QJsonObject conversationsPage(int n, const QString &next)
{
    return {{QStringLiteral("conversations"), QJsonArray{summary(QStringLiteral("c%1").arg(n))}},
            {QStringLiteral("next_cursor"), next}};
}

QJsonObject message(qint64 seq)
{
    protocol::MessageEvent value;
    value.id = QStringLiteral("m%1").arg(seq);
    value.conversation = QStringLiteral("c1");
    value.seq = seq;
    value.from = QStringLiteral("u-peer");
    value.kind = protocol::MessageKind::Text;
    value.content = QStringLiteral("hello");
    value.ts = value.serverTs = 1'700'000'000'000 + seq;
    return protocol::toJson(value);
}

//! A media HTTP API that answers each request with what `answer` gives for its method and path
//! (keep-alive, one request at a time per connection), and counts the requests.
class HostileMediaApi : public QObject
{
public:
    struct Answer
    {
        int status;
        QByteArray body;
    };
    using Answers = std::function<Answer(const QByteArray &method, const QByteArray &path)>;

    explicit HostileMediaApi(Answers answers) : m_answers(std::move(answers))
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
            }
        });
    }
    ~HostileMediaApi() override
    {
        for (QTcpSocket *socket : findChildren<QTcpSocket *>())
            socket->disconnect(this);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_server.serverPort()));
    }
    //! Requests seen, as "METHOD /path".
    QList<QByteArray> requests() const { return m_requests; }

private:
    void serve(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        for (;;) {
            const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
            qsizetype length = 0;
            for (const QByteArray &line : lines) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer.size() < headEnd + 4 + length)
                return; // the body is still coming
            const QList<QByteArray> requestLine = lines.first().split(' ');
            buffer.remove(0, headEnd + 4 + length);
            const QByteArray method = requestLine.value(0);
            const QByteArray path = requestLine.value(1);
            m_requests << method + ' ' + path;
            const Answer answer = m_answers(method, path);
            socket->write("HTTP/1.1 " + QByteArray::number(answer.status) +
                          " X\r\nContent-Type: application/json\r\nContent-Length: " +
                          QByteArray::number(answer.body.size()) + "\r\n\r\n" + answer.body);
        }
    }

    QTcpServer m_server;
    Answers m_answers;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<QByteArray> m_requests;
};

const QByteArray kCreated = R"({"media_id":"0123456789abcdef0123456789abcdef","name":"a.bin",)"
                            R"("mime":"application/octet-stream","size":10,"sha256":")" +
                            QByteArray(64, 'a') + R"(","offset":0})";

//! Uploads a 10-byte file to `api` and returns the failure it reports (nullopt: it did not fail
//! within the wait, e.g. it finished).
std::optional<std::pair<Error, bool>> uploadFailure(HostileMediaApi &api, const QString &dir)
{
    const QString path = dir + QStringLiteral("/a.bin");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write("0123456789") != 10)
        return std::nullopt;
    file.close();
    QNetworkAccessManager http;
    app::client::MediaDeclaration declaration{
        path, QStringLiteral("a.bin"), QStringLiteral("application/octet-stream"),
        10,   QString(64, u'a'),       QString()};
    app::client::MediaUpload upload(&http, api.url(), QStringLiteral("t"), declaration);
    std::optional<std::pair<Error, bool>> failure;
    bool finished = false;
    QObject::connect(&upload, &app::client::MediaUpload::failed,
                     [&failure](const Error &error, bool permanent) {
                         failure = std::make_pair(error, permanent);
                     });
    QObject::connect(&upload, &app::client::MediaUpload::finished,
                     [&finished](const protocol::StoredMedia &) { finished = true; });
    upload.start();
    spinUntil([&] { return failure || finished; }, kWaitMs);
    return failure;
}

} // namespace

class TestHostileServer : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void conversationCursorCycleStops();
    void conversationPagesThatRepeatStop();
    void historyCursorThatDoesNotMoveBackStops();
    void syncThatNeverCompletesStops();
    void transportFailuresAreNotServerCodes();
    void syncReplyWithoutCompleteIsRefused();
    void mediaAnswersThatDoNotReadAreProtocolFailures();
    void hiddenEventOverTheBoundIsRefused();

private:
    //! Logs a client in to `peer` (the login's own list request included) and waits until online.
    bool login(HostilePeer &peer);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<LocalStore> m_store;
    std::unique_ptr<ChatClient> m_client;
};

void TestHostileServer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_store = std::make_unique<LocalStore>(m_dir->filePath(QStringLiteral("cache.sqlite")));
    QVERIFY(m_store->open().ok());
    // What the app falls back to when the server's list cannot be had.
    protocol::ConversationSummary cached;
    cached.conversation = QStringLiteral("c-cached");
    cached.kind = protocol::ConversationKind::Group;
    cached.name = QStringLiteral("cached");
    QFuture<Status> saving = m_store->saveConversations({cached});
    saving.waitForFinished();
    QVERIFY(saving.result().ok());
    m_client = std::make_unique<ChatClient>(m_store.get());
}

void TestHostileServer::cleanup()
{
    m_client.reset();
    QVERIFY(runQueuedWork()); // coroutines the client failed on its way out, before the store goes
    m_store.reset();
    m_dir.reset();
}

bool TestHostileServer::login(HostilePeer &peer)
{
    if (!peer.listen())
        return false;
    m_client->connection()->setServerUrl(peer.url());
    if (!QCoro::waitFor(m_client->connection()->login(QStringLiteral("me"), QStringLiteral("pw"),
                                                      QStringLiteral("pc"))))
        return false;
    return spinUntil(
        [this] { return m_client->connection()->state() == ChatConnection::State::Online; },
        kWaitMs);
}

void TestHostileServer::conversationCursorCycleStops()
{
    // Cursors A, B, A, B...: each page brings a new conversation, so only the cursor shows it.
    HostilePeer peer([](const QString &, const QJsonObject &, int n) {
        return conversationsPage(n, n % 2 == 0 ? QStringLiteral("A") : QStringLiteral("B"));
    });
    QVERIFY(login(peer));
    QCOMPARE(peer.count(QStringLiteral("conversations")), 3); // first, A, B: then A again
    const auto list = QCoro::waitFor(m_client->inbox()->conversations());
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 1);
    QCOMPARE(list->first().conversation, QStringLiteral("c-cached"));
    QCOMPARE(peer.count(QStringLiteral("conversations")), 6);
}

void TestHostileServer::conversationPagesThatRepeatStop()
{
    // A fresh cursor every time (never repeats) over the same page: nothing moves.
    HostilePeer peer([](const QString &, const QJsonObject &, int n) {
        return conversationsPage(0, QStringLiteral("k%1").arg(n));
    });
    QVERIFY(login(peer));
    QCOMPARE(peer.count(QStringLiteral("conversations")), 2);
    const auto list = QCoro::waitFor(m_client->inbox()->conversations());
    QVERIFY(list.ok());
    QCOMPARE(list->size(), 1);
    QCOMPARE(list->first().conversation, QStringLiteral("c-cached"));
}

void TestHostileServer::historyCursorThatDoesNotMoveBackStops()
{
    // Each page points at the same older page again: what came is kept, the rest is not asked.
    HostilePeer peer([](const QString &type, const QJsonObject &, int n) {
        if (type == QLatin1String("conversations"))
            return QJsonObject{{QStringLiteral("conversations"), QJsonArray()}};
        return QJsonObject{{QStringLiteral("messages"), QJsonArray{message(100 - n)}},
                           {QStringLiteral("next_before_seq"), 100}};
    });
    QVERIFY(login(peer));
    const auto history = QCoro::waitFor(m_client->inbox()->history(QStringLiteral("c1"), 0, 50));
    QVERIFY(history.ok());
    QCOMPARE(history->size(), 2);
    QCOMPARE(peer.count(QStringLiteral("history")), 2);
}

void TestHostileServer::syncThatNeverCompletesStops()
{
    // `complete: false` forever and no message: the client asked again without end and never
    // came online. A round that brings nothing now ends it (the link is dropped, retried later).
    HostilePeer peer([](const QString &, const QJsonObject &, int) { return QJsonObject(); });
    peer.setSyncIncomplete();
    QVERIFY(peer.listen());
    m_client->connection()->setServerUrl(peer.url());
    QVERIFY(QCoro::waitFor(m_client->connection()->login(QStringLiteral("me"), QStringLiteral("pw"),
                                                         QStringLiteral("pc"))));
    QTRY_VERIFY_WITH_TIMEOUT(!peer.closedSyncs().isEmpty(), kWaitMs);
    QCOMPARE(peer.closedSyncs().first(), 2);
}

void TestHostileServer::transportFailuresAreNotServerCodes()
{
    HostilePeer peer([](const QString &, const QJsonObject &, int) {
        return QJsonObject{{QStringLiteral("conversations"), QJsonArray()}};
    });
    QVERIFY(login(peer));
    const QStringList someone{QStringLiteral("u-peer")};

    // The connection drops while a request waits for its answer: Offline, not a server code.
    peer.setAnswer(QStringLiteral("users"), std::nullopt);
    QCoro::Task<Result<QList<protocol::UserInfo>>> asking = m_client->inbox()->users(someone);
    QTRY_COMPARE_WITH_TIMEOUT(peer.count(QStringLiteral("users")), 1, kWaitMs);
    peer.dropConnections();
    const Result<QList<protocol::UserInfo>> dropped = QCoro::waitFor(asking);
    QVERIFY(!dropped.ok());
    QVERIFY(dropped.error().isTransport());
    QCOMPARE(*dropped.error().transport, TransportFailure::Offline);
    QCOMPARE(dropped.error().code, ErrorCode::Internal); // so retry-on-internal paths still retry

    // Not connected at all (the client is reconnecting with backoff): Offline at once.
    if (m_client->connection()->state() != ChatConnection::State::Online) {
        const Result<QList<protocol::UserInfo>> offline =
            QCoro::waitFor(m_client->inbox()->users(someone));
        QVERIFY(!offline.ok());
        QCOMPARE(offline.error().transport, std::optional(TransportFailure::Offline));
    }

    // Silence: Timeout.
    QTRY_VERIFY_WITH_TIMEOUT(m_client->connection()->state() == ChatConnection::State::Online,
                             kWaitMs);
    m_client->connection()->setRequestTimeoutMs(300);
    const Result<QList<protocol::UserInfo>> silent =
        QCoro::waitFor(m_client->inbox()->users(someone));
    QVERIFY(!silent.ok());
    QCOMPARE(silent.error().transport, std::optional(TransportFailure::Timeout));
    m_client->connection()->setRequestTimeoutMs(15'000);

    // An ack that does not decode as the request's Reply: Protocol, naming the field.
    peer.setAnswer(QStringLiteral("users"), QJsonObject{{QStringLiteral("users"), 7}});
    const Result<QList<protocol::UserInfo>> garbled =
        QCoro::waitFor(m_client->inbox()->users(someone));
    QVERIFY(!garbled.ok());
    QCOMPARE(garbled.error().transport, std::optional(TransportFailure::Protocol));
    QVERIFY2(garbled.error().message.contains(QStringLiteral("'users'")),
             qPrintable(garbled.error().message));

    // An error the server sent keeps its code and is no transport failure.
    peer.setAnswer(QStringLiteral("users"),
                   QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                               {QStringLiteral("code"), QStringLiteral("forbidden")},
                               {QStringLiteral("message"), QStringLiteral("not for you")}});
    const Result<QList<protocol::UserInfo>> refused =
        QCoro::waitFor(m_client->inbox()->users(someone));
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code, ErrorCode::Forbidden);
    QVERIFY(!refused.error().isTransport());
    QCOMPARE(refused.error().message, QStringLiteral("not for you"));
}

void TestHostileServer::syncReplyWithoutCompleteIsRefused()
{
    // A sync ack that lacks `complete` is no answer: the client must not guess "complete" and go
    // online on it. It reports a Protocol failure naming the field and drops the link.
    HostilePeer peer([](const QString &, const QJsonObject &, int) {
        return QJsonObject{{QStringLiteral("conversations"), QJsonArray()}};
    });
    peer.setAnswer(QStringLiteral("sync"), QJsonObject());
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QStringLiteral("sync failed: .*could not be read.*"
                                                           "field 'complete' is required")));
    QVERIFY(peer.listen());
    m_client->connection()->setServerUrl(peer.url());
    QVERIFY(QCoro::waitFor(m_client->connection()->login(QStringLiteral("me"), QStringLiteral("pw"),
                                                         QStringLiteral("pc"))));
    QTRY_VERIFY_WITH_TIMEOUT(!peer.closedSyncs().isEmpty(), kWaitMs);
    QCOMPARE(peer.closedSyncs().first(), 1);
    // The list is asked for only after a sync that ended; the drop came first on that link.
    QCOMPARE(peer.count(QStringLiteral("conversations")), 0);
    QVERIFY(m_client->connection()->state() != ChatConnection::State::Online);
}

void TestHostileServer::mediaAnswersThatDoNotReadAreProtocolFailures()
{
    // A 201 without a media id: the upload must not go on to PUT to an empty id.
    HostileMediaApi noId([](const QByteArray &, const QByteArray &) {
        return HostileMediaApi::Answer{201, R"({"offset":0})"};
    });
    QVERIFY(noId.listen());
    const auto created = uploadFailure(noId, m_dir->path());
    QVERIFY(created);
    QCOMPARE(created->first.transport, std::optional(TransportFailure::Protocol));
    QVERIFY2(created->first.message.contains(QStringLiteral("'media_id'")),
             qPrintable(created->first.message));
    QVERIFY(!created->second); // retried later, not a refusal of the file
    QCOMPARE(noId.requests(), QList<QByteArray>{"POST /api/v1/media"});

    // A 409 that does not say where to continue: one PUT, not the same PUT again and again.
    HostileMediaApi noOffset([](const QByteArray &method, const QByteArray &) {
        if (method == "POST")
            return HostileMediaApi::Answer{201, kCreated};
        return HostileMediaApi::Answer{409, R"({"code":"conflict","message":"elsewhere"})"};
    });
    QVERIFY(noOffset.listen());
    const auto conflict = uploadFailure(noOffset, m_dir->path());
    QVERIFY(conflict);
    QCOMPARE(conflict->first.transport, std::optional(TransportFailure::Protocol));
    QVERIFY2(conflict->first.message.contains(QStringLiteral("'offset'")),
             qPrintable(conflict->first.message));
    QCOMPARE(noOffset.requests().size(), 2);

    // A finish answer that is not the stored media object is not handed on as one.
    HostileMediaApi badFinish([](const QByteArray &method, const QByteArray &path) {
        if (method == "POST" && path.endsWith("/finish"))
            return HostileMediaApi::Answer{200,
                                           R"({"media_id":"0123456789abcdef0123456789abcdef"})"};
        if (method == "POST")
            return HostileMediaApi::Answer{201, kCreated};
        return HostileMediaApi::Answer{200, R"({"offset":10})"};
    });
    QVERIFY(badFinish.listen());
    const auto finish = uploadFailure(badFinish, m_dir->path());
    QVERIFY(finish);
    QCOMPARE(finish->first.transport, std::optional(TransportFailure::Protocol));
    QVERIFY2(finish->first.message.contains(QStringLiteral("'name'")),
             qPrintable(finish->first.message));
    QCOMPARE(badFinish.requests().size(), 3);
}

void TestHostileServer::hiddenEventOverTheBoundIsRefused()
{
    // The server sends at most kMaxHideSeqs seqs per `hidden` event: a longer list is not read
    // (nor stored, nor told to the models); a list within the bound still is.
    HostilePeer peer([](const QString &, const QJsonObject &, int) { return QJsonObject(); });
    QVERIFY(login(peer));
    QSignalSpy hidden(m_client->inbox(), &tern::app::client::Inbox::messagesHidden);
    QJsonArray tooMany;
    for (int seq = 1; seq <= limits::kMaxHideSeqs + 1; ++seq)
        tooMany.append(seq);
    peer.push({{QStringLiteral("type"), QStringLiteral("hidden")},
               {QStringLiteral("conversation"), QStringLiteral("c1")},
               {QStringLiteral("seqs"), tooMany}});
    QTRY_COMPARE_WITH_TIMEOUT(m_client->connection()->state(), ChatConnection::State::Online,
                              kWaitMs);
    peer.push({{QStringLiteral("type"), QStringLiteral("hidden")},
               {QStringLiteral("conversation"), QStringLiteral("c1")},
               {QStringLiteral("seqs"), QJsonArray{4, 5}}});
    QTRY_COMPARE_WITH_TIMEOUT(hidden.size(), 1, kWaitMs);
    QCOMPARE(hidden.first().at(0).toString(), QStringLiteral("c1"));
    QCOMPARE(hidden.first().at(1).value<QList<qint64>>(), (QList<qint64>{4, 5}));
}

QTEST_GUILESS_MAIN(TestHostileServer)
#include "tst_hostileServer.moc"
