// The real ternd binary with its data dir on a small tmpfs that a ballast file fills up. While
// the disk is full: sends are refused with `internal` and a "storage full" text (clients keep
// such messages queued and retry), nothing unstored is acked, reads and presence keep working,
// media is refused with 507 and a JSON body (a chunk upload too, whose answer used to be lost
// in a connection reset), and the server stays up. Once the ballast is gone the same ids go
// through, every acked message is stored exactly once with gap-free seqs, and SIGTERM exits 0.
//
// Needs root to mount; skipped otherwise. The tmpfs lives in a private mount namespace of this
// process (the ternd child inherits it), so it cannot outlive the test; it is also unmounted
// explicitly, also when a check fails.

#include "tests/support/ChildServer.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"
#include "tests/support/TmpfsMount.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QtTest>

using namespace tern::test;

namespace {

struct HttpAnswer
{
    int status = 0;
    QJsonObject body;
    bool json = false;
};

HttpAnswer call(QNetworkAccessManager &http, const QUrl &server, const QString &token,
                const QByteArray &verb, const QString &path, const QByteArray &body = {})
{
    QUrl url = server;
    url.setScheme(QStringLiteral("http"));
    url.setPath(path.section(u'?', 0, 0));
    url.setQuery(path.section(u'?', 1));
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    if (verb == "POST")
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    QNetworkReply *reply = http.sendCustomRequest(request, verb, body);
    spinUntil([&] { return reply->isFinished(); }, 30'000);
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll());
    answer.json = doc.isObject();
    answer.body = doc.object();
    reply->deleteLater();
    return answer;
}

QByteArray declaration(const QByteArray &bytes)
{
    return QJsonDocument(
               QJsonObject{
                   {"name", "full.bin"},
                   {"mime", "application/octet-stream"},
                   {"size", bytes.size()},
                   {"sha256",
                    QString::fromLatin1(
                        QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex())}})
        .toJson(QJsonDocument::Compact);
}

//! Sends a request whose id was used before and waits for its newest reply.
QJsonObject resend(TestClient &client, const QJsonObject &request)
{
    const QString id = request.value("id").toString();
    const int before = client.replyCount(id);
    client.send(request);
    if (!spinUntil([&] { return client.replyCount(id) > before; }, 30'000))
        return {};
    const QList<QJsonObject> &log = client.allReplies();
    for (auto it = log.crbegin(); it != log.crend(); ++it)
        if (it->value("id").toString() == id)
            return *it;
    return {};
}

QString describe(const HttpAnswer &a)
{
    return QStringLiteral("HTTP %1 %2").arg(a.status).arg(toJson(a.body));
}

} // namespace

class TestDiskFull : public QObject
{
    Q_OBJECT

private slots:
    void refusesWhileFullAndRecovers();
};

void TestDiskFull::refusesWhileFullAndRecovers()
{
    TmpfsMount mount;
    if (const QString failure = mount.mount(32); !failure.isEmpty())
        QSKIP(qPrintable(QStringLiteral("cannot mount a tmpfs (needs root): ") + failure));
    ChildServer server;
    server.setExtraArgs({QStringLiteral("--data-dir"), mount.path() + QStringLiteral("/data")});
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const TestUser a = createUser(server.url(), QStringLiteral("full-a"));
    const TestUser b = createUser(server.url(), QStringLiteral("full-b"));
    QVERIFY(a.ok() && b.ok());
    Device a1 = loginDevice(server.url(), a, QStringLiteral("a1"));
    Device b1 = loginDevice(server.url(), b, QStringLiteral("b1"));
    QVERIFY(a1.ok() && b1.ok());
    QNetworkAccessManager http;
    // Declared while there is room; its bytes come when there is none.
    const QByteArray bytes(1 << 20, 'm');
    const HttpAnswer declared =
        call(http, server.url(), a1.token(), "POST", "/api/v1/media", declaration(bytes));
    QVERIFY2(declared.status == 201, qPrintable(describe(declared)));
    const QString mediaId = declared.body.value("media_id").toString();
    QVERIFY(isAck(a1->sendMessage(b.userId, QStringLiteral("before"))));

    QVERIFY(writeBallast(mount.path() + QStringLiteral("/ballast")) > 0);
    // Send until the server refuses (the WAL may still have room for a while).
    const QString padding(4000, u'x');
    QStringList acked{};
    QStringList refused;
    QJsonObject refusal;
    for (int batch = 0; batch < 40 && refused.isEmpty(); ++batch) {
        QStringList ids;
        for (int i = 0; i < 50; ++i)
            ids << a1->post(TestClient::messageObject(b.userId, padding));
        QVERIFY(a1->waitForReplies(ids, 30'000));
        for (const QString &id : ids) {
            const QJsonObject reply = *a1->reply(id);
            if (isAck(reply)) {
                acked << id;
            } else {
                refused << id;
                refusal = reply;
            }
        }
    }
    QVERIFY2(!refused.isEmpty(), "the server never refused a write on a full disk");
    QCOMPARE(refusal.value("code").toString(), QStringLiteral("internal"));
    QVERIFY2(refusal.value("message").toString().startsWith(QLatin1String("storage full")),
             qPrintable(toJson(refusal)));

    // Reads and presence still work for everyone.
    const QJsonObject conversations = b1->request({{"type", "conversations"}});
    QVERIFY2(isAck(conversations), qPrintable(toJson(conversations)));
    const QString conversation = conversations.value("conversations")
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value("conversation")
                                     .toString();
    const QJsonObject history =
        b1->request({{"type", "history"}, {"conversation", conversation}, {"limit", 10}});
    QVERIFY2(isAck(history), qPrintable(toJson(history)));
    const QJsonObject presence =
        b1->request({{"type", "presence"}, {"users", QJsonArray{a.userId}}});
    QVERIFY2(isAck(presence), qPrintable(toJson(presence)));
    QCOMPARE(presence.value("users").toArray().first().toObject().value("status").toString(),
             QStringLiteral("online"));

    // Media: the chunk cannot be written, a new upload cannot be recorded; both say 507 in JSON.
    const HttpAnswer chunk = call(http, server.url(), a1.token(), "PUT",
                                  "/api/v1/media/" + mediaId + "?offset=0", bytes);
    QVERIFY2(chunk.status == 507 && chunk.json &&
                 chunk.body.value("code").toString() == QLatin1String("insufficient_storage"),
             qPrintable(describe(chunk)));
    const HttpAnswer another =
        call(http, server.url(), a1.token(), "POST", "/api/v1/media", declaration(bytes));
    QVERIFY2(another.status == 507 && another.json &&
                 !another.body.value("message").toString().isEmpty(),
             qPrintable(describe(another)));
    QVERIFY(server.isRunning());

    // Space returns: the refused ids go through, the upload resumes at 0.
    QVERIFY(QFile::remove(mount.path() + QStringLiteral("/ballast")));
    for (const QString &id : refused) {
        const QJsonObject reply =
            resend(*a1.client, TestClient::messageObject(b.userId, padding, id));
        QVERIFY2(isAck(reply), qPrintable(toJson(reply)));
        acked << id;
    }
    const HttpAnswer resumed = call(http, server.url(), a1.token(), "PUT",
                                    "/api/v1/media/" + mediaId + "?offset=0", bytes);
    QVERIFY2(resumed.status == 200, qPrintable(describe(resumed)));
    const HttpAnswer finished =
        call(http, server.url(), a1.token(), "POST", "/api/v1/media/" + mediaId + "/finish");
    QVERIFY2(finished.status == 200, qPrintable(describe(finished)));

    // Everything acked is there once, in gap-free order ("before" is seq 1).
    QSet<QString> seen;
    qint64 expectedSeq = 1;
    qint64 before = -1;
    QList<QJsonObject> all;
    for (int page = 0; page < 100; ++page) {
        QJsonObject request{{"type", "history"}, {"conversation", conversation}, {"limit", 200}};
        if (before > 0)
            request.insert("before_seq", before);
        const QJsonObject reply = b1->request(request, 30'000);
        QVERIFY2(isAck(reply), qPrintable(toJson(reply)));
        QList<QJsonObject> chunkOfHistory;
        for (const QJsonValue &m : reply.value("messages").toArray())
            chunkOfHistory << m.toObject();
        if (chunkOfHistory.isEmpty())
            break;
        all = chunkOfHistory + all;
        before = intField(chunkOfHistory.first(), QStringLiteral("seq"));
        if (before <= 1)
            break;
    }
    for (const QJsonObject &m : all) {
        QCOMPARE(intField(m, QStringLiteral("seq")), expectedSeq++);
        QVERIFY2(!seen.contains(m.value("id").toString()), qPrintable(toJson(m)));
        seen.insert(m.value("id").toString());
    }
    for (const QString &id : acked)
        QVERIFY2(seen.contains(id), qPrintable(QStringLiteral("acked %1 is missing").arg(id)));
    QCOMPARE(qsizetype(seen.size()), acked.size() + 1);

    QVERIFY2(server.terminate(5'000), qPrintable(server.logTail()));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestDiskFull)
#include "tst_diskfull.moc"
