// Media over HTTP on ternd's port, against an in-process server with real sockets and real
// files: 50 MiB byte-identical round trip, resume after a connection cut mid-body, limits (17 MiB
// image, 101 MiB file, a body past its declaration, the quota), who may download (uploader,
// members who joined before the message, nobody else), hostile names, Range, SHA-256 checks,
// and the sweep of an abandoned upload.

#include "tests/support/ServerFixture.h"
#include "tests/support/TestClient.h"
#include "tests/support/TestUsers.h"
#include "tests/support/TestUtil.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QtTest>

using namespace tern::test;

namespace {

constexpr qint64 kMiB = 1024 * 1024;

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    generator.fillRange(reinterpret_cast<quint32 *>(data.data()), size / 4);
    return data;
}

QString sha256(const QByteArray &data)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

} // namespace

class TestMedia : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void healthAndAuthentication();
    void fiftyMebibytesRoundTripByteIdentical();
    void resumesAfterConnectionCutMidBody();
    void limitsRefuseOversizeAndKeepNothing();
    void quotaRefusesWithClearBody();
    void onlyUploaderAndMembersMayDownload();
    void hostileNamesAreStoredAndServedSafely();
    void rangeRequests();
    void finishChecksSizeAndHash();
    void abandonedUploadIsCollected();
    void malformedRequestsGetClearErrors();
    void lostFileIsNotFound();

private:
    HttpResult call(const QByteArray &method, const QString &path, const QString &token,
                    const QByteArray &body = {},
                    const QList<QPair<QByteArray, QByteArray>> &headers = {});
    QJsonObject createUpload(const QString &token, const QString &name, const QString &mime,
                             const QByteArray &data, int *status = nullptr);
    QJsonObject uploadWhole(const QString &token, const QString &name, const QString &mime,
                            const QByteArray &data);
    QString httpBase() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_server.port()); }
    Device newDevice(const QString &prefix);

    ServerFixture m_server;
    QNetworkAccessManager m_http;
};

void TestMedia::initTestCase()
{
    m_server.config().mediaQuotaBytes = 200 * kMiB;
    m_server.config().mediaUploadTtlMs = 1000;
    m_server.config().mediaSweepIntervalMs = 300;
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

Device TestMedia::newDevice(const QString &prefix)
{
    const TestUser user = createUser(m_server.url(), prefix);
    return loginDevice(m_server.url(), user, QStringLiteral("desk"));
}

HttpResult TestMedia::call(const QByteArray &method, const QString &path, const QString &token,
                           const QByteArray &body,
                           const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(QUrl(httpBase() + path));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream");
    QNetworkReply *reply = m_http.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(60'000);
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        result.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return result;
}

QJsonObject TestMedia::createUpload(const QString &token, const QString &name, const QString &mime,
                                    const QByteArray &data, int *status)
{
    const QJsonObject declaration{{QStringLiteral("name"), name},
                                  {QStringLiteral("mime"), mime},
                                  {QStringLiteral("size"), data.size()},
                                  {QStringLiteral("sha256"), sha256(data)}};
    const HttpResult r = call("POST", QStringLiteral("/api/v1/media"), token,
                              QJsonDocument(declaration).toJson(QJsonDocument::Compact));
    if (status)
        *status = r.status;
    return r.json();
}

QJsonObject TestMedia::uploadWhole(const QString &token, const QString &name, const QString &mime,
                                   const QByteArray &data)
{
    int status = 0;
    const QJsonObject created = createUpload(token, name, mime, data, &status);
    if (status != 201)
        return {};
    const QString id = created.value(QStringLiteral("media_id")).toString();
    const HttpResult put =
        call("PUT", QStringLiteral("/api/v1/media/%1?offset=0").arg(id), token, data);
    if (put.status != 200)
        return {};
    const HttpResult finish =
        call("POST", QStringLiteral("/api/v1/media/%1/finish").arg(id), token);
    return finish.status == 200 ? finish.json() : QJsonObject();
}

void TestMedia::healthAndAuthentication()
{
    const HttpResult health = call("GET", QStringLiteral("/api/v1/health"), {});
    QCOMPARE(health.status, 200);
    QCOMPARE(health.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    const QByteArray declaration = R"({"name":"a","mime":"text/plain","size":1,"sha256":"00"})";
    QCOMPARE(call("POST", QStringLiteral("/api/v1/media"), {}, declaration).status, 401);
    const HttpResult wrong =
        call("POST", QStringLiteral("/api/v1/media"), QStringLiteral("not-a-token"), declaration);
    QCOMPARE(wrong.status, 401);
    QCOMPARE(wrong.json().value(QStringLiteral("code")).toString(),
             QStringLiteral("unauthenticated"));
    QCOMPARE(call("GET", QStringLiteral("/api/v1/media/%1").arg(QString(32, u'a')), {}).status,
             401);
    // The WebSocket side still works on the same port.
    Device alice = newDevice(QStringLiteral("health"));
    QVERIFY(alice.ok());
}

void TestMedia::fiftyMebibytesRoundTripByteIdentical()
{
    Device alice = newDevice(QStringLiteral("big"));
    QVERIFY(alice.ok());
    const QByteArray data = randomBytes(50 * kMiB, 50);
    const QJsonObject media = uploadWhole(alice.token(), QStringLiteral("backup.bin"),
                                          QStringLiteral("application/octet-stream"), data);
    QCOMPARE(media.value(QStringLiteral("size")).toInteger(), 50 * kMiB);
    QCOMPARE(media.value(QStringLiteral("sha256")).toString(), sha256(data));
    const QString id = media.value(QStringLiteral("media_id")).toString();
    const HttpResult download =
        call("GET", QStringLiteral("/api/v1/media/%1").arg(id), alice.token());
    QCOMPARE(download.status, 200);
    QCOMPARE(download.body.size(), data.size());
    QVERIFY(download.body == data);
    QCOMPARE(download.headers.value("accept-ranges"), QByteArray("bytes"));
    // The file is named by id alone, in the media folder.
    QVERIFY(QFile::exists(m_server.dataDir() + QStringLiteral("/media/%1/%2").arg(id.left(2), id)));
}

void TestMedia::resumesAfterConnectionCutMidBody()
{
    Device alice = newDevice(QStringLiteral("resume"));
    QVERIFY(alice.ok());
    const QByteArray data = randomBytes(20 * kMiB, 7);
    const QJsonObject created =
        createUpload(alice.token(), QStringLiteral("video.mp4"), QStringLiteral("video/mp4"), data);
    const QString id = created.value(QStringLiteral("media_id")).toString();
    QVERIFY(!id.isEmpty());

    // A raw socket sends the whole head and 8 MiB of the body, then the connection dies.
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("PUT /api/v1/media/" + id.toLatin1() +
                     "?offset=0 HTTP/1.1\r\nHost: x\r\n"
                     "Authorization: Bearer " +
                     alice.token().toLatin1() +
                     "\r\nContent-Length: " + QByteArray::number(data.size()) + "\r\n\r\n");
        socket.write(data.left(8 * kMiB));
        QVERIFY(spinUntil([&] { return socket.bytesToWrite() == 0; }, 10'000));
        // The cut comes once the server has stored what was sent (a cut earlier would leave
        // bytes in flight: the resume point would still move while the test reads it).
        const QString part =
            m_server.dataDir() + QStringLiteral("/media/%1/%2.part").arg(id.left(2), id);
        QVERIFY(spinUntil([&] { return QFileInfo(part).size() == 8 * kMiB; }, 10'000));
        socket.abort();
    }
    // The resume point is what the server stored, and it is never past what was sent.
    qint64 offset = -1;
    QVERIFY(spinUntil(
        [&] {
            const HttpResult state =
                call("GET", QStringLiteral("/api/v1/media/%1/upload").arg(id), alice.token());
            offset = state.json().value(QStringLiteral("offset")).toInteger(-1);
            return state.status == 200 && offset > 0;
        },
        5'000));
    QVERIFY2(offset <= 8 * kMiB, qPrintable(QString::number(offset)));
    // A wrong offset is refused with the right one.
    const HttpResult wrong = call("PUT", QStringLiteral("/api/v1/media/%1?offset=1").arg(id),
                                  alice.token(), data.mid(1, 10));
    QCOMPARE(wrong.status, 409);
    QCOMPARE(wrong.json().value(QStringLiteral("offset")).toInteger(), offset);
    // A stale offset past the declared end is a conflict too, not a reason to drop the upload.
    const HttpResult stale =
        call("PUT", QStringLiteral("/api/v1/media/%1?offset=%2").arg(id).arg(data.size()),
             alice.token(), data.left(10));
    QCOMPARE(stale.status, 409);
    QCOMPARE(stale.json().value(QStringLiteral("offset")).toInteger(), offset);
    // Resume from there; the result is byte-identical.
    const HttpResult rest =
        call("PUT", QStringLiteral("/api/v1/media/%1?offset=%2").arg(id).arg(offset), alice.token(),
             data.mid(offset));
    QCOMPARE(rest.status, 200);
    QCOMPARE(rest.json().value(QStringLiteral("offset")).toInteger(), data.size());
    QCOMPARE(call("POST", QStringLiteral("/api/v1/media/%1/finish").arg(id), alice.token()).status,
             200);
    const HttpResult download =
        call("GET", QStringLiteral("/api/v1/media/%1").arg(id), alice.token());
    QVERIFY(download.body == data);
}

void TestMedia::limitsRefuseOversizeAndKeepNothing()
{
    Device alice = newDevice(QStringLiteral("limits"));
    QVERIFY(alice.ok());
    auto declare = [&](const QString &mime, qint64 size) {
        const QJsonObject declaration{{QStringLiteral("name"), QStringLiteral("x")},
                                      {QStringLiteral("mime"), mime},
                                      {QStringLiteral("size"), size},
                                      {QStringLiteral("sha256"), QString(64, u'0')}};
        return call("POST", QStringLiteral("/api/v1/media"), alice.token(),
                    QJsonDocument(declaration).toJson(QJsonDocument::Compact));
    };
    const HttpResult image = declare(QStringLiteral("image/jpeg"), 17 * kMiB);
    QCOMPARE(image.status, 413);
    QCOMPARE(image.json().value(QStringLiteral("code")).toString(), QStringLiteral("too_large"));
    QVERIFY(image.json()
                .value(QStringLiteral("message"))
                .toString()
                .contains(QStringLiteral("images")));
    QCOMPARE(declare(QStringLiteral("image/png"), 16 * kMiB).status, 201);
    QCOMPARE(declare(QStringLiteral("application/zip"), 101 * kMiB).status, 413);
    QCOMPARE(declare(QStringLiteral("application/zip"), 100 * kMiB).status, 201);

    // A body that goes past its declaration is refused and the upload is gone.
    const QByteArray small = randomBytes(1024, 3);
    const QString id =
        createUpload(alice.token(), QStringLiteral("s"), QStringLiteral("text/plain"), small)
            .value(QStringLiteral("media_id"))
            .toString();
    const HttpResult over = call("PUT", QStringLiteral("/api/v1/media/%1?offset=0").arg(id),
                                 alice.token(), small + small);
    QCOMPARE(over.status, 413);
    QCOMPARE(call("GET", QStringLiteral("/api/v1/media/%1/upload").arg(id), alice.token()).status,
             404);
    QVERIFY(!QFile::exists(m_server.dataDir() +
                           QStringLiteral("/media/%1/%2.part").arg(id.left(2), id)));
}

void TestMedia::quotaRefusesWithClearBody()
{
    // The quota is 200 MiB in this test: two declared 100 MiB files fit, a third byte does not.
    Device alice = newDevice(QStringLiteral("quota"));
    QVERIFY(alice.ok());
    auto declare = [&](qint64 size) {
        const QJsonObject declaration{{QStringLiteral("name"), QStringLiteral("x.zip")},
                                      {QStringLiteral("mime"), QStringLiteral("application/zip")},
                                      {QStringLiteral("size"), size},
                                      {QStringLiteral("sha256"), QString(64, u'1')}};
        return call("POST", QStringLiteral("/api/v1/media"), alice.token(),
                    QJsonDocument(declaration).toJson(QJsonDocument::Compact));
    };
    QCOMPARE(declare(100 * kMiB).status, 201);
    QCOMPARE(declare(100 * kMiB).status, 201);
    const HttpResult refused = declare(1);
    QCOMPARE(refused.status, 507);
    QCOMPARE(refused.json().value(QStringLiteral("code")).toString(),
             QStringLiteral("quota_exceeded"));
    QVERIFY(refused.json()
                .value(QStringLiteral("message"))
                .toString()
                .contains(QStringLiteral("quota")));
    // Another user is not affected.
    Device bob = newDevice(QStringLiteral("quotb"));
    QVERIFY(bob.ok());
    const QByteArray data = randomBytes(4096, 4);
    QVERIFY(!uploadWhole(bob.token(), QStringLiteral("b"), QStringLiteral("text/plain"), data)
                 .isEmpty());
}

void TestMedia::onlyUploaderAndMembersMayDownload()
{
    Device alice = newDevice(QStringLiteral("owner"));
    Device bob = newDevice(QStringLiteral("member"));
    Device carol = newDevice(QStringLiteral("stranger"));
    QVERIFY(alice.ok() && bob.ok() && carol.ok());
    const QByteArray data = randomBytes(300 * 1024, 11);
    const QJsonObject media =
        uploadWhole(alice.token(), QStringLiteral("photo.jpg"), QStringLiteral("image/jpeg"), data);
    const QString id = media.value(QStringLiteral("media_id")).toString();
    QVERIFY(!id.isEmpty());
    const QString path = QStringLiteral("/api/v1/media/%1").arg(id);
    QCOMPARE(call("GET", path, alice.token()).status, 200);
    QCOMPARE(call("GET", path, bob.token()).status, 404); // not sent anywhere yet
    QCOMPARE(call("GET", path, carol.token()).status, 404);

    // Carol cannot send Alice's media (she could not download it).
    QJsonObject stolen = TestClient::messageObject(bob.userId(), QString());
    stolen.insert(QStringLiteral("kind"), QStringLiteral("image"));
    stolen.insert(QStringLiteral("media"), QJsonObject{{QStringLiteral("media_id"), id}});
    const QJsonObject refused = carol->request(stolen);
    QCOMPARE(refused.value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));

    // Alice sends it to Bob: the stored declaration replaces the client's copy; Bob may fetch it.
    QJsonObject message = TestClient::messageObject(bob.userId(), QString());
    message.insert(QStringLiteral("kind"), QStringLiteral("image"));
    message.insert(QStringLiteral("media"),
                   QJsonObject{{QStringLiteral("media_id"), id},
                               {QStringLiteral("name"), QStringLiteral("lies.exe")},
                               {QStringLiteral("size"), 1},
                               {QStringLiteral("thumbnail"), QStringLiteral("AAAA")}});
    const QJsonObject ack = alice->request(message);
    QCOMPARE(ack.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
    const std::optional<QJsonObject> delivered = bob->waitForEvent(QStringLiteral("message"));
    QVERIFY(delivered);
    const QJsonObject received = delivered->value(QStringLiteral("media")).toObject();
    QCOMPARE(received.value(QStringLiteral("name")).toString(), QStringLiteral("photo.jpg"));
    QCOMPARE(received.value(QStringLiteral("size")).toInteger(), data.size());
    QCOMPARE(received.value(QStringLiteral("sha256")).toString(), sha256(data));
    QCOMPARE(received.value(QStringLiteral("thumbnail")).toString(), QStringLiteral("AAAA"));
    const HttpResult bobs = call("GET", path, bob.token());
    QCOMPARE(bobs.status, 200);
    QVERIFY(bobs.body == data);
    QCOMPARE(call("GET", path, carol.token()).status, 404);

    // In a group: a member who joins after the message may not fetch it; earlier members may.
    const QJsonObject group =
        alice->request({{QStringLiteral("type"), QStringLiteral("create_group")},
                        {QStringLiteral("id"), TestClient::newId()},
                        {QStringLiteral("name"), QStringLiteral("Photos")},
                        {QStringLiteral("members"), QJsonArray{bob.userId()}}});
    const QString conversation = group.value(QStringLiteral("conversation")).toString();
    QVERIFY(!conversation.isEmpty());
    const QByteArray second = randomBytes(1000, 12);
    const QString groupMedia = uploadWhole(bob.token(), QStringLiteral("doc.pdf"),
                                           QStringLiteral("application/pdf"), second)
                                   .value(QStringLiteral("media_id"))
                                   .toString();
    QJsonObject toGroup = TestClient::messageObject(conversation, QString());
    toGroup.insert(QStringLiteral("kind"), QStringLiteral("file"));
    toGroup.insert(QStringLiteral("media"), QJsonObject{{QStringLiteral("media_id"), groupMedia}});
    QCOMPARE(bob->request(toGroup).value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
    QCOMPARE(call("GET", QStringLiteral("/api/v1/media/%1").arg(groupMedia), alice.token()).status,
             200);
    const QJsonObject added =
        alice->request({{QStringLiteral("type"), QStringLiteral("add_members")},
                        {QStringLiteral("id"), TestClient::newId()},
                        {QStringLiteral("conversation"), conversation},
                        {QStringLiteral("members"), QJsonArray{carol.userId()}}});
    QCOMPARE(added.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
    QCOMPARE(call("GET", QStringLiteral("/api/v1/media/%1").arg(groupMedia), carol.token()).status,
             404);
    // A removed member loses access at once.
    const QJsonObject removed =
        alice->request({{QStringLiteral("type"), QStringLiteral("remove_member")},
                        {QStringLiteral("id"), TestClient::newId()},
                        {QStringLiteral("conversation"), conversation},
                        {QStringLiteral("user"), bob.userId()}});
    QCOMPARE(removed.value(QStringLiteral("type")).toString(), QStringLiteral("ack"));
    // Bob uploaded it, so he keeps access as the uploader; Alice (still a member) too.
    QCOMPARE(call("GET", QStringLiteral("/api/v1/media/%1").arg(groupMedia), bob.token()).status,
             200);
    QCOMPARE(call("GET", QStringLiteral("/api/v1/media/%1").arg(groupMedia), alice.token()).status,
             200);
}

void TestMedia::hostileNamesAreStoredAndServedSafely()
{
    Device alice = newDevice(QStringLiteral("names"));
    QVERIFY(alice.ok());
    const QByteArray data = randomBytes(2048, 5);
    struct Case
    {
        QString name;
        QString expected;
    };
    const QList<Case> cases{
        {QStringLiteral("../../x"), QStringLiteral("_.._x")},
        {QStringLiteral("a") + QChar(0) + QStringLiteral("b.txt"), QStringLiteral("ab.txt")},
        {QStringLiteral("invoice") + QChar(0x202E) + QStringLiteral("fdp.exe"),
         QStringLiteral("invoicefdp.exe")},
        {QStringLiteral("/etc/passwd"), QStringLiteral("_etc_passwd")},
        {QString(), QStringLiteral("file")},
        {QString(3000, u'n') + QStringLiteral(".pdf"), QString(251, u'n') + QStringLiteral(".pdf")},
    };
    const QStringList before = [&] {
        QStringList all;
        QDirIterator it(m_server.dataDir(), QDir::Files | QDir::Hidden,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            all << it.next();
        return all;
    }();
    for (const Case &c : cases) {
        const QJsonObject media =
            uploadWhole(alice.token(), c.name, QStringLiteral("text/plain"), data);
        QCOMPARE(media.value(QStringLiteral("name")).toString(), c.expected);
        const QString id = media.value(QStringLiteral("media_id")).toString();
        const HttpResult download =
            call("GET", QStringLiteral("/api/v1/media/%1").arg(id), alice.token());
        QCOMPARE(download.status, 200);
        QVERIFY(download.body == data);
        const QByteArray disposition = download.headers.value("content-disposition");
        QVERIFY(disposition.startsWith("attachment; filename*=UTF-8''"));
        QVERIFY(!disposition.contains('/') && !disposition.contains('"'));
        QCOMPARE(download.headers.value("x-content-type-options"), QByteArray("nosniff"));
    }
    // Every new file is a media file named by a server id, inside the media folder.
    QDirIterator it(m_server.dataDir(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    const QRegularExpression mediaFile(
        QStringLiteral("/media/[0-9a-f]{2}/[0-9a-f]{32}(\\.part)?$"));
    while (it.hasNext()) {
        const QString file = it.next();
        if (!before.contains(file) && !file.contains(QStringLiteral("ternd.sqlite")))
            QVERIFY2(mediaFile.match(file).hasMatch(), qPrintable(file));
    }
    QVERIFY(!QFile::exists(QFileInfo(m_server.dataDir()).dir().filePath(QStringLiteral("x"))));
    // An id that is not one of ours never reaches the file system.
    QCOMPARE(
        call("GET", QStringLiteral("/api/v1/media/..%2F..%2Fternd.sqlite"), alice.token()).status,
        404);
}

void TestMedia::rangeRequests()
{
    Device alice = newDevice(QStringLiteral("range"));
    QVERIFY(alice.ok());
    const QByteArray data = randomBytes(1000 * 1000, 9);
    const QString id = uploadWhole(alice.token(), QStringLiteral("r.bin"),
                                   QStringLiteral("application/octet-stream"), data)
                           .value(QStringLiteral("media_id"))
                           .toString();
    const QString path = QStringLiteral("/api/v1/media/%1").arg(id);
    const HttpResult first = call("GET", path, alice.token(), {}, {{"Range", "bytes=0-9"}});
    QCOMPARE(first.status, 206);
    QVERIFY(first.body == data.left(10));
    QCOMPARE(first.headers.value("content-range"), QByteArray("bytes 0-9/1000000"));
    const HttpResult tail = call("GET", path, alice.token(), {}, {{"Range", "bytes=-100"}});
    QCOMPARE(tail.status, 206);
    QVERIFY(tail.body == data.right(100));
    const HttpResult from = call("GET", path, alice.token(), {}, {{"Range", "bytes=999000-"}});
    QCOMPARE(from.status, 206);
    QVERIFY(from.body == data.mid(999000));
    const HttpResult unsatisfiable =
        call("GET", path, alice.token(), {}, {{"Range", "bytes=1000000-"}});
    QCOMPARE(unsatisfiable.status, 416);
    QCOMPARE(unsatisfiable.headers.value("content-range"), QByteArray("bytes */1000000"));
    const HttpResult several = call("GET", path, alice.token(), {}, {{"Range", "bytes=0-1,5-6"}});
    QCOMPARE(several.status, 200);
    QCOMPARE(several.body.size(), data.size());
    const HttpResult head = call("HEAD", path, alice.token());
    QCOMPARE(head.status, 200);
    QCOMPARE(head.headers.value("content-length"), QByteArray("1000000"));
    QVERIFY(head.body.isEmpty());
}

void TestMedia::finishChecksSizeAndHash()
{
    Device alice = newDevice(QStringLiteral("finish"));
    QVERIFY(alice.ok());
    const QByteArray data = randomBytes(4096, 21);
    const QString id =
        createUpload(alice.token(), QStringLiteral("f"), QStringLiteral("text/plain"), data)
            .value(QStringLiteral("media_id"))
            .toString();
    // Half uploaded: finishing is refused (and, like a hash mismatch, deletes the upload).
    QCOMPARE(call("PUT", QStringLiteral("/api/v1/media/%1?offset=0").arg(id), alice.token(),
                  data.left(2048))
                 .status,
             200);
    const HttpResult early =
        call("POST", QStringLiteral("/api/v1/media/%1/finish").arg(id), alice.token());
    QCOMPARE(early.status, 422);
    QCOMPARE(call("GET", QStringLiteral("/api/v1/media/%1/upload").arg(id), alice.token()).status,
             404);

    // Other bytes than declared: refused.
    const QString other =
        createUpload(alice.token(), QStringLiteral("g"), QStringLiteral("text/plain"), data)
            .value(QStringLiteral("media_id"))
            .toString();
    QByteArray tampered = data;
    tampered[100] = char(tampered[100] ^ 1);
    QCOMPARE(
        call("PUT", QStringLiteral("/api/v1/media/%1?offset=0").arg(other), alice.token(), tampered)
            .status,
        200);
    const HttpResult mismatch =
        call("POST", QStringLiteral("/api/v1/media/%1/finish").arg(other), alice.token());
    QCOMPARE(mismatch.status, 422);
    QVERIFY(mismatch.json()
                .value(QStringLiteral("message"))
                .toString()
                .contains(QStringLiteral("SHA-256")));
    // Unfinished media cannot be downloaded or sent.
    QCOMPARE(call("GET", QStringLiteral("/api/v1/media/%1").arg(other), alice.token()).status, 404);
    // Finishing twice gives the same object; cancelling finished media is refused.
    const QJsonObject done =
        uploadWhole(alice.token(), QStringLiteral("h"), QStringLiteral("text/plain"), data);
    const QString doneId = done.value(QStringLiteral("media_id")).toString();
    const HttpResult again =
        call("POST", QStringLiteral("/api/v1/media/%1/finish").arg(doneId), alice.token());
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json(), done);
    QCOMPARE(call("DELETE", QStringLiteral("/api/v1/media/%1").arg(doneId), alice.token()).status,
             409);
    // Cancelling an unfinished upload removes it.
    const QString cancelled =
        createUpload(alice.token(), QStringLiteral("c"), QStringLiteral("text/plain"), data)
            .value(QStringLiteral("media_id"))
            .toString();
    QCOMPARE(
        call("DELETE", QStringLiteral("/api/v1/media/%1").arg(cancelled), alice.token()).status,
        204);
    QCOMPARE(
        call("GET", QStringLiteral("/api/v1/media/%1/upload").arg(cancelled), alice.token()).status,
        404);
}

void TestMedia::abandonedUploadIsCollected()
{
    // This server removes uploads untouched for 1 s, sweeping every 0.3 s.
    Device alice = newDevice(QStringLiteral("sweep"));
    QVERIFY(alice.ok());
    const QByteArray data = randomBytes(64 * 1024, 31);
    const QString id =
        createUpload(alice.token(), QStringLiteral("a"), QStringLiteral("text/plain"), data)
            .value(QStringLiteral("media_id"))
            .toString();
    QCOMPARE(call("PUT", QStringLiteral("/api/v1/media/%1?offset=0").arg(id), alice.token(),
                  data.left(1000))
                 .status,
             200);
    const QString part =
        m_server.dataDir() + QStringLiteral("/media/%1/%2.part").arg(id.left(2), id);
    QVERIFY(QFile::exists(part));
    QVERIFY(spinUntil([&] { return !QFile::exists(part); }, 10'000));
    QCOMPARE(call("GET", QStringLiteral("/api/v1/media/%1/upload").arg(id), alice.token()).status,
             404);
    // Finished media is never swept: an upload abandoned after it finished is collected, so a
    // sweep has run whose cutoff is past the finished one's age.
    const QString kept =
        uploadWhole(alice.token(), QStringLiteral("k"), QStringLiteral("text/plain"), data)
            .value(QStringLiteral("media_id"))
            .toString();
    const QString later =
        createUpload(alice.token(), QStringLiteral("l"), QStringLiteral("text/plain"), data)
            .value(QStringLiteral("media_id"))
            .toString();
    QVERIFY(!kept.isEmpty() && !later.isEmpty());
    QCOMPARE(call("PUT", QStringLiteral("/api/v1/media/%1?offset=0").arg(later), alice.token(),
                  data.left(1000))
                 .status,
             200);
    const QString laterPart =
        m_server.dataDir() + QStringLiteral("/media/%1/%2.part").arg(later.left(2), later);
    QVERIFY(QFile::exists(laterPart));
    QVERIFY(spinUntil([&] { return !QFile::exists(laterPart); }, 10'000));
    QCOMPARE(call("GET", QStringLiteral("/api/v1/media/%1").arg(kept), alice.token()).status, 200);
}

void TestMedia::malformedRequestsGetClearErrors()
{
    Device alice = newDevice(QStringLiteral("bad"));
    QVERIFY(alice.ok());
    const HttpResult notJson = call("POST", QStringLiteral("/api/v1/media"), alice.token(), "nope");
    QCOMPARE(notJson.status, 400);
    QCOMPARE(notJson.json().value(QStringLiteral("code")).toString(),
             QStringLiteral("bad_request"));
    const HttpResult badHash = call("POST", QStringLiteral("/api/v1/media"), alice.token(),
                                    R"({"name":"a","mime":"text/plain","size":5,"sha256":"xyz"})");
    QCOMPARE(badHash.status, 400);
    QVERIFY(badHash.json()
                .value(QStringLiteral("message"))
                .toString()
                .contains(QStringLiteral("sha256")));
    // 64 hex digits and a newline: '$' in the pattern matched before the newline.
    const HttpResult newlineHash = call("POST", QStringLiteral("/api/v1/media"), alice.token(),
                                        R"({"name":"a","mime":"text/plain","size":5,"sha256":")" +
                                            QByteArray(64, '0') + R"(\n"})");
    QCOMPARE(newlineHash.status, 400);
    QCOMPARE(call("PATCH", QStringLiteral("/api/v1/media"), alice.token()).status, 405);
    QCOMPARE(call("GET", QStringLiteral("/api/v2/anything"), alice.token()).status, 404);

    // Raw garbage, an oversized head and chunked bodies: an error, and the server keeps serving.
    auto raw = [&](const QByteArray &bytes) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_server.port());
        if (!socket.waitForConnected(5000))
            return QByteArray();
        socket.write(bytes);
        QByteArray answer;
        spinUntil(
            [&] {
                answer += socket.readAll();
                return answer.contains("\r\n\r\n") ||
                       socket.state() != QAbstractSocket::ConnectedState;
            },
            5000);
        return answer;
    };
    QVERIFY(raw("GARBAGE\r\n\r\n").startsWith("HTTP/1.1 400"));
    QVERIFY(raw("GET /api/v1/health HTTP/1.1\r\nX: " + QByteArray(20000, 'a') + "\r\n\r\n")
                .startsWith("HTTP/1.1 431"));
    QVERIFY(raw("POST /api/v1/media HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                .startsWith("HTTP/1.1 411"));
    QVERIFY(raw("GET /api/v1/health HTTP/2.0\r\n\r\n").startsWith("HTTP/1.1 505"));
    // A thumbnail over 16 KiB is refused on the WebSocket side.
    QJsonObject message = TestClient::messageObject(alice.userId(), QString());
    message.insert(QStringLiteral("kind"), QStringLiteral("image"));
    message.insert(QStringLiteral("media"),
                   QJsonObject{{QStringLiteral("media_id"), QString(32, u'a')},
                               {QStringLiteral("thumbnail"), QString(21849, u'A')}});
    QCOMPARE(alice->request(message).value(QStringLiteral("code")).toString(),
             QStringLiteral("too_large"));
    QCOMPARE(call("GET", QStringLiteral("/api/v1/health"), {}).status, 200);
}

void TestMedia::lostFileIsNotFound()
{
    // The file went missing from disk while its record stayed. The server sent a 200 head, then
    // cut the body short, which clients retried for ever; a lost file is a final 404.
    Device alice = newDevice(QStringLiteral("lost"));
    QVERIFY(alice.ok());
    const QByteArray data = randomBytes(300 * 1000, 11);
    const QString id = uploadWhole(alice.token(), QStringLiteral("gone.bin"),
                                   QStringLiteral("application/octet-stream"), data)
                           .value(QStringLiteral("media_id"))
                           .toString();
    QVERIFY(!id.isEmpty());
    const QString path = QStringLiteral("/api/v1/media/%1").arg(id);
    QCOMPARE(call("GET", path, alice.token()).status, 200);
    const QString file =
        QDir(m_server.dataDir()).filePath(QStringLiteral("media/%1/%2").arg(id.left(2), id));
    QVERIFY2(QFile::remove(file), qPrintable(file));
    const HttpResult lost = call("GET", path, alice.token());
    QCOMPARE(lost.status, 404);
    QCOMPARE(lost.json().value(QStringLiteral("code")).toString(), QStringLiteral("not_found"));
    QCOMPARE(call("GET", path, alice.token(), {}, {{"Range", "bytes=0-9"}}).status, 404);
    // Shorter than recorded (a truncated restore): the same.
    const QString id2 = uploadWhole(alice.token(), QStringLiteral("short.bin"),
                                    QStringLiteral("application/octet-stream"), data)
                            .value(QStringLiteral("media_id"))
                            .toString();
    QFile shortened(
        QDir(m_server.dataDir()).filePath(QStringLiteral("media/%1/%2").arg(id2.left(2), id2)));
    QVERIFY(shortened.resize(1000));
    QCOMPARE(call("GET", QStringLiteral("/api/v1/media/%1").arg(id2), alice.token()).status, 404);
}

QTEST_GUILESS_MAIN(TestMedia)
#include "tst_media.moc"
