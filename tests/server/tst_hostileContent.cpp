// Hostile content against a real ternd child process (issue 15, items 7, 11, 12, 13): device-only
// fields in a message's media are neither stored nor relayed; one user cannot hold more than a
// bounded number of unfinished uploads, and tiny uploads still cost quota; a member who joined
// after a media's first post may fetch a later copy; names that pose as other text are refused.

#include "tests/support/ChildServer.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QtTest>

using namespace tern::test;

namespace {

constexpr int kMaxOpenUploads = 3;
constexpr int kMinCharge = 4096;
constexpr int kQuota = 4 * kMinCharge;

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString code() const { return json().value(QStringLiteral("code")).toString(); }
};

QString sha256(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QString errorCode(const QJsonObject &reply)
{
    return reply.value(QStringLiteral("type")).toString() == QLatin1String("error")
               ? reply.value(QStringLiteral("code")).toString()
               : QString();
}

} // namespace

class TestHostileContent : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void deviceFieldsAreNeitherStoredNorRelayed();
    void thumbnailDeclaringAHugePictureIsRefused();
    void deviceFieldsStoredBeforeAreNotSentOn();
    void unfinishedUploadsAreBounded();
    void tinyUploadsStillCostQuota();
    void lateJoinerMayFetchALaterCopy();
    void disguisingNamesAreRefused();

private:
    HttpResult call(const QByteArray &method, const QString &path, const QString &token,
                    const QByteArray &body = {});
    HttpResult declare(const QString &token, const QByteArray &data);
    //! Declares, uploads and finishes `data`; the media id, empty on failure.
    QString uploadWhole(const QString &token, const QByteArray &data);
    Device newDevice(const QString &prefix);
    QJsonObject groupRequest(Device &by, const QString &type, const QJsonObject &fields);
    static QJsonObject fileMessage(const QString &to, const QJsonObject &media);

    ChildServer m_server;
    QNetworkAccessManager m_http;
};

void TestHostileContent::initTestCase()
{
    m_server.setExtraArgs({QStringLiteral("--max-open-uploads"), QString::number(kMaxOpenUploads),
                           QStringLiteral("--media-min-charge"), QString::number(kMinCharge),
                           QStringLiteral("--media-quota-bytes"), QString::number(kQuota)});
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

Device TestHostileContent::newDevice(const QString &prefix)
{
    return loginDevice(m_server.url(), createUser(m_server.url(), prefix), QStringLiteral("desk"));
}

HttpResult TestHostileContent::call(const QByteArray &method, const QString &path,
                                    const QString &token, const QByteArray &body)
{
    QNetworkRequest request(
        QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.port()) + path));
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream");
    QNetworkReply *reply = m_http.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(30'000);
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    reply->deleteLater();
    return result;
}

HttpResult TestHostileContent::declare(const QString &token, const QByteArray &data)
{
    const QJsonObject declaration{{QStringLiteral("name"), QStringLiteral("a.txt")},
                                  {QStringLiteral("mime"), QStringLiteral("text/plain")},
                                  {QStringLiteral("size"), data.size()},
                                  {QStringLiteral("sha256"), sha256(data)}};
    return call("POST", QStringLiteral("/api/v1/media"), token,
                QJsonDocument(declaration).toJson(QJsonDocument::Compact));
}

QString TestHostileContent::uploadWhole(const QString &token, const QByteArray &data)
{
    const HttpResult created = declare(token, data);
    const QString id = created.json().value(QStringLiteral("media_id")).toString();
    if (created.status != 201 ||
        call("PUT", QStringLiteral("/api/v1/media/%1?offset=0").arg(id), token, data).status !=
            200 ||
        call("POST", QStringLiteral("/api/v1/media/%1/finish").arg(id), token).status != 200) {
        qWarning("upload failed: %d %s", created.status, created.body.constData());
        return {};
    }
    return id;
}

QJsonObject TestHostileContent::groupRequest(Device &by, const QString &type,
                                             const QJsonObject &fields)
{
    QJsonObject request = fields;
    request.insert(QStringLiteral("type"), type);
    request.insert(QStringLiteral("id"), TestClient::newId());
    return by->request(request);
}

QJsonObject TestHostileContent::fileMessage(const QString &to, const QJsonObject &media)
{
    QJsonObject message = TestClient::messageObject(to, QString());
    message.insert(QStringLiteral("kind"), QStringLiteral("file"));
    message.insert(QStringLiteral("media"), media);
    return message;
}

void TestHostileContent::deviceFieldsAreNeitherStoredNorRelayed()
{
    Device alice = newDevice(QStringLiteral("paths"));
    Device bob = newDevice(QStringLiteral("victim"));
    QVERIFY(alice.ok() && bob.ok());
    const QString id = uploadWhole(alice.token(), QByteArray("quarterly numbers\n"));
    QVERIFY(!id.isEmpty());
    const QJsonObject media{{QStringLiteral("media_id"), id},
                            {QStringLiteral("local_path"), QStringLiteral("/etc/passwd")},
                            {QStringLiteral("upload_id"), QStringLiteral("u1")},
                            {QStringLiteral("url"), QStringLiteral("\\\\evil\\share\\x.exe")},
                            {QStringLiteral("is_image"), true},
                            {QStringLiteral("width"), 640},
                            {QStringLiteral("height"), QStringLiteral("not a number")}};
    const QJsonObject ack = alice->request(fileMessage(bob.userId(), media));
    QCOMPARE(ack.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));

    // Relayed: only documented fields, of documented types.
    const std::optional<QJsonObject> live = bob->waitForEvent(QStringLiteral("message"));
    QVERIFY(live);
    const QJsonObject relayed = live->value(QStringLiteral("media")).toObject();
    const QStringList allowed{"media_id", "name",      "mime",  "size",
                              "sha256",   "thumbnail", "width", "height"};
    for (const QString &key : relayed.keys())
        QVERIFY2(allowed.contains(key), qPrintable(key));
    QCOMPARE(relayed.value(QStringLiteral("media_id")).toString(), id);
    QCOMPARE(relayed.value(QStringLiteral("width")).toInt(), 640);
    QVERIFY(!relayed.contains(QStringLiteral("height")));

    // Stored: history (what every later device gets) holds the same, nothing more.
    const QJsonObject history = bob->request(
        {{QStringLiteral("type"), QStringLiteral("history")},
         {QStringLiteral("conversation"), ack.value(QStringLiteral("conversation")).toString()}});
    const QJsonArray messages = history.value(QStringLiteral("messages")).toArray();
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first().toObject().value(QStringLiteral("media")).toObject(), relayed);
}

void TestHostileContent::deviceFieldsStoredBeforeAreNotSentOn()
{
    // A database written by an older ternd may hold a client's local path in a message: the
    // server drops it whenever it reads the row (history, sync), as it would on arrival.
    Device alice = newDevice(QStringLiteral("legacy"));
    Device bob = newDevice(QStringLiteral("reader"));
    QVERIFY(alice.ok() && bob.ok());
    const QString id = uploadWhole(alice.token(), QByteArray("old times"));
    QVERIFY(!id.isEmpty());
    const QJsonObject ack = alice->request(fileMessage(bob.userId(), {{"media_id", id}}));
    const QString conversation = ack.value(QStringLiteral("conversation")).toString();
    QVERIFY(!conversation.isEmpty());
    alice.client.reset();
    bob.client.reset();
    QVERIFY(m_server.terminate());
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("old"));
        db.setDatabaseName(m_server.dataDir() + QStringLiteral("/ternd.sqlite"));
        QVERIFY(db.open());
        QSqlQuery q(db);
        q.prepare(QStringLiteral("UPDATE messages SET media = ? WHERE conversation_id = ?"));
        q.addBindValue(
            QStringLiteral(R"({"media_id":"%1","local_path":"C:\Windows\calc.exe"})").arg(id));
        q.addBindValue(conversation);
        QVERIFY(q.exec());
        QCOMPARE(q.numRowsAffected(), 1);
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("old"));
    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    const Device reader = reconnectDevice(m_server.url(), bob.login);
    QVERIFY(reader.ok());
    const QJsonObject history =
        reader->request({{QStringLiteral("type"), QStringLiteral("history")},
                         {QStringLiteral("conversation"), conversation}});
    const QJsonArray messages = history.value(QStringLiteral("messages")).toArray();
    QCOMPARE(messages.size(), 1);
    const QJsonObject media = messages.first().toObject().value(QStringLiteral("media")).toObject();
    QCOMPARE(media.value(QStringLiteral("media_id")).toString(), id);
    QVERIFY(!media.contains(QStringLiteral("local_path")));
}

void TestHostileContent::thumbnailDeclaringAHugePictureIsRefused()
{
    Device alice = newDevice(QStringLiteral("thumbs"));
    Device bob = newDevice(QStringLiteral("viewer"));
    QVERIFY(alice.ok() && bob.ok());
    const QString id = uploadWhole(alice.token(), QByteArray("pixels"));
    QVERIFY(!id.isEmpty());
    // SOI, then a baseline frame header declaring width × height, then EOI: 25 bytes.
    const auto jpeg = [](int width, int height) {
        QByteArray bytes = QByteArray::fromHex("ffd8ffc0001108");
        bytes.append(char(height >> 8)).append(char(height & 0xff));
        bytes.append(char(width >> 8)).append(char(width & 0xff));
        bytes.append(QByteArray::fromHex("03012200021101031101ffd9"));
        return QString::fromLatin1(bytes.toBase64());
    };
    const QJsonObject refused = alice->request(
        fileMessage(bob.userId(), {{QStringLiteral("media_id"), id},
                                   {QStringLiteral("thumbnail"), jpeg(8000, 8000)}}));
    QCOMPARE(errorCode(refused), QStringLiteral("bad_request"));
    QVERIFY(refused.value(QStringLiteral("message")).toString().contains(QStringLiteral("8000")));
    QVERIFY(bob->barrier()); // a relay would have gone out with the refusal
    QVERIFY(bob->expectNoEvent(QStringLiteral("message")));
    // A thumbnail of thumbnail size goes through.
    QVERIFY(errorCode(alice->request(fileMessage(bob.userId(),
                                                 {{QStringLiteral("media_id"), id},
                                                  {QStringLiteral("thumbnail"), jpeg(320, 240)}})))
                .isEmpty());
}

void TestHostileContent::unfinishedUploadsAreBounded()
{
    Device flooder = newDevice(QStringLiteral("flood"));
    QVERIFY(flooder.ok());
    QStringList open;
    for (int i = 0; i < kMaxOpenUploads; ++i) {
        const HttpResult r = declare(flooder.token(), QByteArray(1, char('a' + i)));
        QCOMPARE(r.status, 201);
        open.append(r.json().value(QStringLiteral("media_id")).toString());
    }
    const HttpResult refused = declare(flooder.token(), QByteArray("x"));
    QCOMPARE(refused.status, 429);
    QCOMPARE(refused.code(), QStringLiteral("rate_limited"));
    QVERIFY(!refused.json().value(QStringLiteral("message")).toString().isEmpty());
    // Cancelling one makes room again: the bound counts unfinished uploads, not a history.
    QCOMPARE(call("DELETE", QStringLiteral("/api/v1/media/%1").arg(open.first()), flooder.token())
                 .status,
             204);
    QCOMPARE(declare(flooder.token(), QByteArray("y")).status, 201);
}

void TestHostileContent::tinyUploadsStillCostQuota()
{
    Device hoarder = newDevice(QStringLiteral("tiny"));
    QVERIFY(hoarder.ok());
    // Finished, so the open-upload bound is not what stops them: the quota is.
    for (int i = 0; i < kQuota / kMinCharge; ++i)
        QVERIFY(!uploadWhole(hoarder.token(), QByteArray(1, char('0' + i))).isEmpty());
    const HttpResult refused = declare(hoarder.token(), QByteArray("z"));
    QCOMPARE(refused.status, 507);
    QCOMPARE(refused.code(), QStringLiteral("quota_exceeded"));
}

void TestHostileContent::lateJoinerMayFetchALaterCopy()
{
    Device alice = newDevice(QStringLiteral("poster"));
    Device bob = newDevice(QStringLiteral("early"));
    Device carol = newDevice(QStringLiteral("late"));
    QVERIFY(alice.ok() && bob.ok() && carol.ok());
    const QJsonObject group = groupRequest(alice, QStringLiteral("create_group"),
                                           {{QStringLiteral("name"), QStringLiteral("Plans")},
                                            {QStringLiteral("members"), QJsonArray{bob.userId()}}});
    const QString conversation = group.value(QStringLiteral("conversation")).toString();
    QVERIFY(!conversation.isEmpty());
    const QString id = uploadWhole(alice.token(), QByteArray("floor plan v2"));
    QVERIFY(!id.isEmpty());
    const QJsonObject media{{QStringLiteral("media_id"), id}};
    QVERIFY(errorCode(alice->request(fileMessage(conversation, media))).isEmpty());
    const QString path = QStringLiteral("/api/v1/media/%1").arg(id);

    QVERIFY(errorCode(groupRequest(alice, QStringLiteral("add_members"),
                                   {{QStringLiteral("conversation"), conversation},
                                    {QStringLiteral("members"), QJsonArray{carol.userId()}}}))
                .isEmpty());
    QCOMPARE(call("GET", path, carol.token()).status, 404); // only the first post so far
    QVERIFY(errorCode(alice->request(fileMessage(conversation, media))).isEmpty());
    // Carol sees the second post, so she may fetch what it shows; Bob still may too.
    QCOMPARE(call("GET", path, carol.token()).status, 200);
    QCOMPARE(call("GET", path, bob.token()).status, 200);
}

void TestHostileContent::disguisingNamesAreRefused()
{
    const QString override = QStringLiteral("Bob ") + QChar(0x202e) + QStringLiteral("gnp.exe");
    const QString zeroWidth = QStringLiteral("al") + QChar(0x200b) + QStringLiteral("ice");

    std::unique_ptr<TestClient> raw = connectClient(m_server.url());
    QVERIFY(raw);
    const QJsonObject registered = raw->registerUser(
        QStringLiteral("bidi%1").arg(QDateTime::currentMSecsSinceEpoch() % 100000),
        QStringLiteral("password-123"), override);
    QCOMPARE(errorCode(registered), QStringLiteral("bad_request"));

    Device alice = newDevice(QStringLiteral("namer"));
    Device bob = newDevice(QStringLiteral("named"));
    QVERIFY(alice.ok() && bob.ok());
    QCOMPARE(errorCode(groupRequest(alice, QStringLiteral("create_group"),
                                    {{QStringLiteral("name"), zeroWidth},
                                     {QStringLiteral("members"), QJsonArray{bob.userId()}}})),
             QStringLiteral("bad_request"));
    const QJsonObject group = groupRequest(alice, QStringLiteral("create_group"),
                                           {{QStringLiteral("name"), QStringLiteral("Team")},
                                            {QStringLiteral("members"), QJsonArray{bob.userId()}}});
    const QString conversation = group.value(QStringLiteral("conversation")).toString();
    QVERIFY(!conversation.isEmpty());
    QCOMPARE(errorCode(groupRequest(alice, QStringLiteral("rename"),
                                    {{QStringLiteral("conversation"), conversation},
                                     {QStringLiteral("name"), override}})),
             QStringLiteral("bad_request"));
    // Scripts and emoji that need the zero-width joiners still work.
    const QString family = QString::fromUcs4(U"\U0001F468\u200D\U0001F469\u200D\U0001F467");
    QVERIFY(errorCode(groupRequest(alice, QStringLiteral("rename"),
                                   {{QStringLiteral("conversation"), conversation},
                                    {QStringLiteral("name"), family}}))
                .isEmpty());
}

QTEST_GUILESS_MAIN(TestHostileContent)
#include "tst_hostileContent.moc"
