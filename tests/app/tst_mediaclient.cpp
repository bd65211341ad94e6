// The app's media layer against a real in-process ternd: thumbnails (size cap, EXIF
// orientation), a media message sent through the outbox (uploaded first, then sent, received with
// its thumbnail, downloaded byte-identical into the cache), an upload that survives an "app
// restart" mid-way and resumes instead of starting over, and a refused file failing cleanly.
// Managed downloads (MediaDownloads) through a relay that cuts them part-way: resumed with Range
// after the network drops, after an app restart, after a damaged or complete part, and cancelled.

#include "app/client/Inbox.h"
#include "app/client/MediaDownload.h"
#include "app/client/MediaDownloads.h"
#include "app/client/MediaTransfers.h"
#include "app/client/Outbox.h"
#include "app/client/Thumbnailer.h"
#include "shared/protocol/Codec.h"
#include "tests/app/AppTestAccount.h"
#include "tests/support/CuttingProxy.h"
#include "tests/support/ServerFixture.h"
#include "tests/support/TmpfsMount.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QImageWriter>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

using namespace tern;
using namespace tern::test;
using app::client::ChatClient;
using app::client::ChatConnection;
using app::client::Inbox;
using app::client::MediaDownloads;
using app::client::MediaTransfers;
using app::client::Outbox;
using app::client::Thumbnailer;

namespace {

//! A barrier: returns once the server has answered a request `account` sent after everything it
//! sent before, and `account` has stored (and reported) every message that came before that
//! answer. Proves an absence without waiting for time to pass.
QCoro::Task<bool> settle(AppTestAccount *account)
{
    ChatClient *client = account->client.get();
    QCoro::Task<Result<QList<protocol::UserInfo>>> asking =
        client->inbox()->users({client->connection()->userId()});
    const Result<QList<protocol::UserInfo>> answer = co_await asking;
    // The cache works in order: incoming messages queued before this read are saved before it.
    QFuture<Result<QList<app::cache::OutboxItem>>> reading = account->store->outbox();
    co_await reading;
    co_return answer.ok();
}
constexpr int kWaitMs = 20'000;

QByteArray noise(qint64 size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator(seed).fillRange(reinterpret_cast<quint32 *>(data.data()), size / 4);
    return data;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

QImage noisyImage(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    QRandomGenerator generator(1);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.setPixel(x, y, generator.generate());
    return image;
}

//! A JPEG whose EXIF says "rotate 90° clockwise to show" (orientation 6).
QByteArray jpegWithOrientation6(const QImage &image)
{
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter(&buffer, "jpeg").write(image);
    // APP1: "Exif\0\0", a big-endian TIFF header and one IFD entry 0x0112 (SHORT) = 6.
    QByteArray tiff = QByteArray::fromHex("4d4d002a00000008"
                                          "0001"
                                          "011200030000000100060000"
                                          "00000000");
    QByteArray app1 = "Exif" + QByteArray(2, '\0') + tiff;
    QByteArray segment = QByteArray::fromHex("ffe1");
    const quint16 length = quint16(app1.size() + 2);
    segment.append(char(length >> 8)).append(char(length & 0xff)).append(app1);
    return jpeg.left(2) + segment + jpeg.mid(2); // right after SOI
}
} // namespace

class TestMediaClient : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void thumbnailIsSmallAndUpright();
    void imageMessageRoundTrip();
    void uploadResumesAfterAppRestart();
    void refusedFileFails();
    void cancelledUploadIsWithdrawn();
    void downloadResumesAfterNetworkDrop();
    void downloadResumesAfterAppRestart();
    void damagedOrCompletePartStartsOver_data();
    void damagedOrCompletePartStartsOver();
    void cancelledDownloadLeavesNothing();
    void uploadWaitsOutAFullServerDisk();
    void pathsFromTheWireAreNeverLocalFiles();
    void ownUploadOpensTheOriginal();

private:
    //! A sends B a `size`-byte file through the server; B's copy of the message's media.
    protocol::Media sendFile(AppTestAccount &a, AppTestAccount &b, const QByteArray &data);
    static QByteArray readAll(const QString &path);
    static qint64 rangeStart(const QByteArray &requestHead);

    std::unique_ptr<ServerFixture> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    int m_round = 0;
};

void TestMediaClient::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<ServerFixture>();
    m_server->config().maxFileBytes = 40 * 1024 * 1024;
    QVERIFY(m_server->start());
    ++m_round;
}

void TestMediaClient::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

void TestMediaClient::thumbnailIsSmallAndUpright()
{
    const QImage big = noisyImage(1600, 900);
    const auto thumbnail = Thumbnailer::fromImage(big);
    QVERIFY(thumbnail);
    QVERIFY2(thumbnail->jpeg.size() <= Thumbnailer::kMaxBytes,
             qPrintable(QString::number(thumbnail->jpeg.size())));
    QImage decoded;
    QVERIFY(decoded.loadFromData(thumbnail->jpeg, "JPEG"));
    QVERIFY(decoded.width() <= Thumbnailer::kMaxSide && decoded.width() > decoded.height());
    QCOMPARE(thumbnail->fullSize, QSize(1600, 900));

    // A landscape-stored photo tagged "rotate 90°" comes out portrait.
    const QString rotated = m_dir->filePath(QStringLiteral("rotated.jpg"));
    QVERIFY(writeFile(rotated, jpegWithOrientation6(noisyImage(400, 200))));
    const auto upright = Thumbnailer::fromFile(rotated);
    QVERIFY(upright);
    QCOMPARE(upright->fullSize, QSize(200, 400));
    QImage shown;
    QVERIFY(shown.loadFromData(upright->jpeg));
    QVERIFY(shown.height() > shown.width());

    const QString broken = m_dir->filePath(QStringLiteral("broken.jpg"));
    QVERIFY(writeFile(broken, "not an image at all"));
    QVERIFY(!Thumbnailer::fromFile(broken));
}

void TestMediaClient::imageMessageRoundTrip()
{
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), QStringLiteral("ann%1").arg(m_round)));
    QVERIFY(b.login(m_dir->path(), m_server->url(), QStringLiteral("ben%1").arg(m_round)));
    const QString photo = m_dir->filePath(QStringLiteral("photo.png"));
    QVERIFY(noisyImage(800, 600).save(photo));
    QFile original(photo);
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QByteArray bytes = original.readAll();

    QSignalSpy queued(a.client->outbox(), &Outbox::messageQueued);
    QSignalSpy sent(a.client->outbox(), &Outbox::messageSent);
    QSignalSpy progress(a.client->media(), &MediaTransfers::uploadProgress);
    QSignalSpy received(b.client->inbox(), &Inbox::messageReceived);
    const QString id = a.client->media()->sendFile(b.userId, photo);
    QTRY_COMPARE_WITH_TIMEOUT(queued.size(), 1, kWaitMs);
    const auto item = queued.first().at(0).value<app::cache::OutboxItem>();
    QVERIFY(item.kind == protocol::MessageKind::Image);
    QVERIFY(!item.media->thumbnail.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kWaitMs);
    QCOMPARE(sent.first().at(0).toString(), id);
    QVERIFY(!progress.isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, kWaitMs);
    const auto message = received.first().at(0).value<protocol::MessageEvent>();
    QVERIFY(message.kind == protocol::MessageKind::Image);
    QVERIFY(message.media);
    // The path never leaves the sender: protocol::Media has no place for it.
    QCOMPARE(message.media->width.value_or(0), 800);
    QImage thumbnail;
    QVERIFY(thumbnail.loadFromData(QByteArray::fromBase64(message.media->thumbnail.toLatin1())));

    // B downloads it into its cache: the same bytes; a second request is served from the cache.
    const QString cacheDir = m_dir->filePath(QStringLiteral("cache-b"));
    app::client::MediaDownload *download = b.client->media()->download(*message.media, cacheDir);
    QSignalSpy done(download, &app::client::MediaDownload::finished);
    download->start();
    QVERIFY(!done.isEmpty() || done.wait(kWaitMs)); // a cache hit may finish inside start()
    QFile copy(done.first().at(0).toString());
    QVERIFY(copy.open(QIODevice::ReadOnly));
    QVERIFY(copy.readAll() == bytes);
    QVERIFY(copy.fileName().startsWith(cacheDir));
    QVERIFY(copy.fileName().endsWith(QStringLiteral("photo.png")));
    app::client::MediaDownload *again = b.client->media()->download(*message.media, cacheDir);
    QSignalSpy cached(again, &app::client::MediaDownload::finished);
    again->start();
    QVERIFY(!cached.isEmpty() || cached.wait(2000)); // a cache hit may finish inside start()
}

void TestMediaClient::uploadResumesAfterAppRestart()
{
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), QStringLiteral("amy%1").arg(m_round)));
    QVERIFY(b.login(m_dir->path(), m_server->url(), QStringLiteral("bob%1").arg(m_round)));
    const QString path = m_dir->filePath(QStringLiteral("archive.zip"));
    const QByteArray data = noise(30 * 1024 * 1024, 77);
    QVERIFY(writeFile(path, data));

    QSignalSpy progress(a.client->media(), &MediaTransfers::uploadProgress);
    const QString id = a.client->media()->sendFile(b.userId, path);
    // Kill the app once the server holds part of the file (more than one 4 MiB chunk).
    QTRY_VERIFY_WITH_TIMEOUT(
        !progress.isEmpty() && progress.last().at(1).toLongLong() > 5 * 1024 * 1024, kWaitMs);
    a.destroy();

    QVERIFY(a.build(m_server->url()));
    QSignalSpy resumedProgress(a.client->media(), &MediaTransfers::uploadProgress);
    QSignalSpy sent(a.client->outbox(), &Outbox::messageSent);
    QSignalSpy received(b.client->inbox(), &Inbox::messageReceived);
    QVERIFY(QCoro::waitFor(a.client->connection()->resume()).ok());
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, 60'000);
    QCOMPARE(sent.first().at(0).toString(), id);
    // It continued where the server stood, not from byte 0.
    QVERIFY(!resumedProgress.isEmpty());
    QVERIFY2(resumedProgress.first().at(1).toLongLong() > 0,
             qPrintable(QString::number(resumedProgress.first().at(1).toLongLong())));
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, kWaitMs);
    const auto message = received.first().at(0).value<protocol::MessageEvent>();
    QCOMPARE(message.id, id);
    QVERIFY(message.kind == protocol::MessageKind::File);
    QCOMPARE(message.media->size, data.size());
    app::client::MediaDownload *download =
        b.client->media()->download(*message.media, m_dir->filePath(QStringLiteral("cache-bob")));
    QSignalSpy done(download, &app::client::MediaDownload::finished);
    download->start();
    QVERIFY(!done.isEmpty() || done.wait(60'000)); // a cache hit may finish inside start()
    QFile copy(done.first().at(0).toString());
    QVERIFY(copy.open(QIODevice::ReadOnly));
    QVERIFY(copy.readAll() == data);
    QVERIFY(QCoro::waitFor(settle(&a)));
    QVERIFY(QCoro::waitFor(settle(&b)));
    QCOMPARE(received.size(), 1); // sent once
}

void TestMediaClient::refusedFileFails()
{
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), QStringLiteral("ada%1").arg(m_round)));
    QVERIFY(b.login(m_dir->path(), m_server->url(), QStringLiteral("bea%1").arg(m_round)));
    const QString path = m_dir->filePath(QStringLiteral("huge.bin"));
    QVERIFY(writeFile(path, noise(41 * 1024 * 1024, 5))); // this server allows 40 MiB
    QSignalSpy failed(a.client->outbox(), &Outbox::messageFailed);
    const QString id = a.client->media()->sendFile(b.userId, path);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, kWaitMs);
    QCOMPARE(failed.first().at(0).toString(), id);
    QCOMPARE(failed.first().at(1).toString(), QStringLiteral("too_large"));
    const auto outbox = take(a.store->outbox());
    QVERIFY(outbox && outbox->isEmpty());
}

void TestMediaClient::cancelledUploadIsWithdrawn()
{
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), QStringLiteral("cid%1").arg(m_round)));
    QVERIFY(b.login(m_dir->path(), m_server->url(), QStringLiteral("cod%1").arg(m_round)));
    const QString path = m_dir->filePath(QStringLiteral("big.iso"));
    QVERIFY(writeFile(path, noise(30 * 1024 * 1024, 8)));
    QSignalSpy progress(a.client->media(), &MediaTransfers::uploadProgress);
    QSignalSpy cancelled(a.client->outbox(), &Outbox::messageCancelled);
    QSignalSpy sent(a.client->outbox(), &Outbox::messageSent);
    QSignalSpy received(b.client->inbox(), &Inbox::messageReceived);
    const QString id = a.client->media()->sendFile(b.userId, path);
    QTRY_VERIFY_WITH_TIMEOUT(
        !progress.isEmpty() && progress.last().at(1).toLongLong() > 4 * 1024 * 1024, kWaitMs);
    QVERIFY(a.client->media()->cancel(id));
    QCOMPARE(cancelled.size(), 1);
    QVERIFY(!a.client->media()->cancel(id)); // once
    // The server deletes what it had; nothing is sent or received; the outbox is empty.
    const QString media = m_server->dataDir() + QStringLiteral("/media");
    QVERIFY(spinUntil(
        [&] {
            QDirIterator it(media, {QStringLiteral("*.part")}, QDir::Files,
                            QDirIterator::Subdirectories);
            return !it.hasNext();
        },
        kWaitMs));
    QVERIFY(QCoro::waitFor(settle(&a)));
    QVERIFY(QCoro::waitFor(settle(&b)));
    QCOMPARE(sent.size(), 0);
    QCOMPARE(received.size(), 0);
    const auto outbox = take(a.store->outbox());
    QVERIFY(outbox && outbox->isEmpty());
}

void TestMediaClient::pathsFromTheWireAreNeverLocalFiles()
{
    // Issue 15: a message's media named a file on the receiver's disk ("local_path") and the
    // app took it for the download and opened it. Whatever a peer (or an old cache) puts in
    // the object, the file shown is the one the app downloaded, under a sanitised name.
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), QStringLiteral("eve%1").arg(m_round)));
    QVERIFY(b.login(m_dir->path(), m_server->url(), QStringLiteral("vic%1").arg(m_round)));
    const QByteArray data("the real attachment\n");
    const protocol::Media sent = sendFile(a, b, data);
    QVERIFY(!sent.mediaId.isEmpty());
    const QString mediaId = sent.mediaId;
    const QString secret = m_dir->filePath(QStringLiteral("secret.txt"));
    QVERIFY(writeFile(secret, "not for the sender's eyes"));
    // The object as a hostile peer (or an old cache) wrote it: the codec keeps no path.
    QJsonObject hostile = protocol::toJson(sent);
    hostile.insert(QStringLiteral("local_path"), secret);
    hostile.insert(QStringLiteral("name"),
                   QStringLiteral("../../") + QChar(0x202e) + QStringLiteral("fdp.exe"));
    const protocol::Media media = protocol::fromJson<protocol::Media>(hostile).value();
    QVERIFY(!protocol::toJson(media).contains(QStringLiteral("local_path")));

    MediaDownloads *downloads = b.client->media()->downloads();
    const QString cacheDir = m_dir->filePath(QStringLiteral("cache-vic"));
    downloads->setCacheDir(cacheDir);
    QTRY_VERIFY_WITH_TIMEOUT(downloads->isReady(), kWaitMs);
    QSignalSpy finished(downloads, &MediaDownloads::finished);
    downloads->fetch(media);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    const QString path = finished.first().at(1).toString();
    QVERIFY2(path != secret, qPrintable(path));
    QVERIFY2(QFileInfo(path).absoluteFilePath().startsWith(QDir(cacheDir).absolutePath() +
                                                           QLatin1Char('/') + mediaId + u'/'),
             qPrintable(path));
    QCOMPARE(QFileInfo(path).fileName(), QStringLiteral("_.._fdp.exe"));
    QVERIFY(readAll(path) == data);
    QCOMPARE(downloads->cachedPath(mediaId), path);
}

void TestMediaClient::ownUploadOpensTheOriginal()
{
    // The sender's own copy comes from the app's records (not from the message): no download.
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), QStringLiteral("own%1").arg(m_round)));
    QVERIFY(b.login(m_dir->path(), m_server->url(), QStringLiteral("peer%1").arg(m_round)));
    MediaDownloads *downloads = a.client->media()->downloads();
    downloads->setCacheDir(m_dir->filePath(QStringLiteral("cache-own")));
    QTRY_VERIFY_WITH_TIMEOUT(downloads->isReady(), kWaitMs);
    const QString path = m_dir->filePath(QStringLiteral("minutes.txt"));
    QVERIFY(writeFile(path, "minutes\n"));
    QSignalSpy queued(a.client->outbox(), &Outbox::messageQueued);
    QSignalSpy uploaded(a.client->media(), &MediaTransfers::mediaUploaded);
    a.client->media()->sendFile(b.userId, path);
    QTRY_COMPARE_WITH_TIMEOUT(queued.size(), 1, kWaitMs);
    const auto item = queued.first().at(0).value<app::cache::OutboxItem>();
    QCOMPARE(item.localPath, QFileInfo(path).absoluteFilePath());
    QVERIFY(!protocol::toJson(*item.media).contains(QStringLiteral("local_path")));
    QTRY_COMPARE_WITH_TIMEOUT(uploaded.size(), 1, kWaitMs);
    const auto media = uploaded.first().at(1).value<protocol::Media>();
    QVERIFY(!protocol::toJson(media).contains(QStringLiteral("local_path")));
    QVERIFY(!protocol::toJson(media).contains(QStringLiteral("upload_id")));
    const QString mediaId = media.mediaId;
    QCOMPARE(downloads->cachedPath(mediaId), QFileInfo(path).absoluteFilePath());
    QSignalSpy finished(downloads, &MediaDownloads::finished);
    downloads->fetch(media);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QCOMPARE(finished.first().at(1).toString(), QFileInfo(path).absoluteFilePath());

    // After a restart the record is still there (read from the cache folder).
    a.destroy();
    QVERIFY(a.build(m_server->url()));
    a.client->media()->downloads()->setCacheDir(m_dir->filePath(QStringLiteral("cache-own")));
    QTRY_VERIFY_WITH_TIMEOUT(a.client->media()->downloads()->isReady(), kWaitMs);
    QCOMPARE(a.client->media()->downloads()->cachedPath(mediaId),
             QFileInfo(path).absoluteFilePath());
}

protocol::Media TestMediaClient::sendFile(AppTestAccount &a, AppTestAccount &b,
                                          const QByteArray &data)
{
    const QString path = m_dir->filePath(QStringLiteral("report-%1.bin").arg(data.size()));
    if (!writeFile(path, data))
        return {};
    QSignalSpy received(b.client->inbox(), &Inbox::messageReceived);
    a.client->media()->sendFile(b.userId, path);
    if (!spinUntil([&] { return !received.isEmpty(); }, kWaitMs))
        return {};
    const auto message = received.first().at(0).value<protocol::MessageEvent>();
    return message.media.value_or(protocol::Media{});
}

QByteArray TestMediaClient::readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

qint64 TestMediaClient::rangeStart(const QByteArray &requestHead)
{
    static const QRegularExpression range(QStringLiteral("(?i)\r\nrange: bytes=(\\d+)-"));
    const QRegularExpressionMatch match = range.match(QString::fromLatin1(requestHead));
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

void TestMediaClient::downloadResumesAfterNetworkDrop()
{
    // B reaches the server through a relay; the network drops (every connection, the
    // WebSocket too) 6 MiB into the download. B reconnects and the download goes on from there.
    CuttingProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), QStringLiteral("dan%1").arg(m_round)));
    QVERIFY(b.login(m_dir->path(), proxy.url(), QStringLiteral("dot%1").arg(m_round)));
    const QByteArray data = noise(16 * 1024 * 1024, 21);
    const protocol::Media media = sendFile(a, b, data);
    QVERIFY(!media.mediaId.isEmpty());
    const QString mediaId = media.mediaId;

    MediaDownloads *downloads = b.client->media()->downloads();
    downloads->setCacheDir(m_dir->filePath(QStringLiteral("cache-dot")));
    QTRY_VERIFY_WITH_TIMEOUT(downloads->isReady(), kWaitMs);
    QSignalSpy states(b.client->connection(), &ChatConnection::stateChanged);
    QSignalSpy finished(downloads, &MediaDownloads::finished);
    QSignalSpy failed(downloads, &MediaDownloads::failed);
    proxy.cutDownloads(1, 6 * 1024 * 1024, true);
    downloads->fetch(media);
    QCOMPARE(downloads->progress(mediaId), 0.0);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(proxy.cuts(), 1);
    QVERIFY(!states.isEmpty()); // the client did go offline and back
    QCOMPARE(finished.first().at(0).toString(), mediaId);
    const QString path = finished.first().at(1).toString();
    QVERIFY(readAll(path) == data);
    QCOMPARE(downloads->cachedPath(mediaId), path);
    QCOMPARE(downloads->progress(mediaId), -1.0);
    // Two requests: the cut one from 0, then one from what had arrived (more than 0).
    const QList<QByteArray> requests = proxy.downloadRequests();
    QCOMPARE(requests.size(), 2);
    QCOMPARE(rangeStart(requests.at(0)), -1);
    QVERIFY2(rangeStart(requests.at(1)) > 0, requests.at(1).constData());
    QVERIFY(!QFileInfo::exists(QFileInfo(path).dir().filePath(QStringLiteral(".download.json"))));
}

void TestMediaClient::downloadResumesAfterAppRestart()
{
    CuttingProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), QStringLiteral("eve%1").arg(m_round)));
    QVERIFY(b.login(m_dir->path(), proxy.url(), QStringLiteral("eli%1").arg(m_round)));
    const QByteArray data = noise(16 * 1024 * 1024, 22);
    const protocol::Media media = sendFile(a, b, data);
    QVERIFY(!media.mediaId.isEmpty());
    const QString mediaId = media.mediaId;
    const QString cacheDir = m_dir->filePath(QStringLiteral("cache-eli"));

    // Only the download is cut; the app quits while it waits to try again.
    b.client->media()->downloads()->setCacheDir(cacheDir);
    proxy.cutDownloads(1, 5 * 1024 * 1024);
    b.client->media()->downloads()->fetch(media);
    const QString part =
        QDir(cacheDir).filePath(mediaId + QStringLiteral("/report-%1.bin.part").arg(data.size()));
    QTRY_VERIFY_WITH_TIMEOUT(proxy.cuts() == 1 && QFileInfo(part).size() > 1024 * 1024, kWaitMs);
    b.destroy();
    const qint64 partSize = QFileInfo(part).size();
    QVERIFY(partSize > 0 && partSize < data.size());

    // The next start finds the unfinished download and completes it without being asked.
    QVERIFY(b.build(proxy.url()));
    MediaDownloads *downloads = b.client->media()->downloads();
    QSignalSpy finished(downloads, &MediaDownloads::finished);
    QSignalSpy progress(downloads, &MediaDownloads::progressChanged);
    downloads->setCacheDir(cacheDir);
    QTRY_VERIFY_WITH_TIMEOUT(downloads->isReady(), kWaitMs);
    QVERIFY(downloads->progress(mediaId) >= 0); // known as unfinished before going online
    QVERIFY(QCoro::waitFor(b.client->connection()->resume()).ok());
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QVERIFY(readAll(finished.first().at(1).toString()) == data);
    const QList<QByteArray> requests = proxy.downloadRequests();
    QCOMPARE(requests.size(), 2);
    QCOMPARE(rangeStart(requests.at(1)), partSize);
}

void TestMediaClient::damagedOrCompletePartStartsOver_data()
{
    QTest::addColumn<bool>("complete");
    QTest::newRow("damaged part (SHA-256 mismatch)") << false;
    QTest::newRow("part as long as the file (416)") << true;
}

void TestMediaClient::damagedOrCompletePartStartsOver()
{
    QFETCH(bool, complete);
    CuttingProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), QStringLiteral("fay%1").arg(m_round)));
    QVERIFY(b.login(m_dir->path(), proxy.url(), QStringLiteral("fin%1").arg(m_round)));
    const QByteArray data = noise(3 * 1024 * 1024, 23);
    const protocol::Media media = sendFile(a, b, data);
    QVERIFY(!media.mediaId.isEmpty());
    const QString mediaId = media.mediaId;
    const QString cacheDir = m_dir->filePath(QStringLiteral("cache-fin%1").arg(complete));
    const QString folder = QDir(cacheDir).filePath(mediaId);
    QVERIFY(QDir().mkpath(folder));
    const QByteArray part = complete ? noise(data.size(), 99) : noise(1024 * 1024, 99);
    QVERIFY(writeFile(QDir(folder).filePath(QStringLiteral("report-%1.bin.part").arg(data.size())),
                      part));

    MediaDownloads *downloads = b.client->media()->downloads();
    downloads->setCacheDir(cacheDir);
    QSignalSpy finished(downloads, &MediaDownloads::finished);
    QSignalSpy failed(downloads, &MediaDownloads::failed);
    downloads->fetch(media);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
    QCOMPARE(failed.size(), 0);
    QVERIFY(readAll(finished.first().at(1).toString()) == data);
    // First from where the bad part ended, then (the part dropped) from the start.
    const QList<QByteArray> requests = proxy.downloadRequests();
    QVERIFY2(requests.size() == 2, requests.join("\n---\n").constData());
    QCOMPARE(rangeStart(requests.at(0)), qint64(part.size()));
    QCOMPARE(rangeStart(requests.at(1)), -1);
}

void TestMediaClient::cancelledDownloadLeavesNothing()
{
    CuttingProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), QStringLiteral("gus%1").arg(m_round)));
    QVERIFY(b.login(m_dir->path(), proxy.url(), QStringLiteral("gil%1").arg(m_round)));
    const QByteArray data = noise(8 * 1024 * 1024, 24);
    const protocol::Media media = sendFile(a, b, data);
    QVERIFY(!media.mediaId.isEmpty());
    const QString mediaId = media.mediaId;
    const QString cacheDir = m_dir->filePath(QStringLiteral("cache-gil"));
    MediaDownloads *downloads = b.client->media()->downloads();
    downloads->setCacheDir(cacheDir);
    QSignalSpy finished(downloads, &MediaDownloads::finished);
    QSignalSpy cancelled(downloads, &MediaDownloads::cancelled);
    proxy.cutDownloads(1, 2 * 1024 * 1024);
    downloads->fetch(media);
    const QString folder = QDir(cacheDir).filePath(mediaId);
    QTRY_VERIFY_WITH_TIMEOUT(
        proxy.cuts() == 1 && QFileInfo::exists(QDir(folder).filePath(".download.json")), kWaitMs);
    QVERIFY(downloads->progress(mediaId) >= 0);
    QVERIFY(downloads->cancel(mediaId));
    QCOMPARE(cancelled.size(), 1);
    QCOMPARE(downloads->progress(mediaId), -1.0);
    QVERIFY(!downloads->cancel(mediaId));
    // Past the moment it would have been tried again (the retry the cut scheduled has fired and
    // found nothing to resume: a resumed transfer would show progress at once): nothing comes,
    // nothing is left.
    QTRY_VERIFY_WITH_TIMEOUT(!downloads->isRetryScheduled(), kWaitMs);
    QCOMPARE(downloads->progress(mediaId), -1.0);
    QCOMPARE(finished.size(), 0);
    QCOMPARE(proxy.downloadRequests().size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(folder), kWaitMs);
    QVERIFY(downloads->cachedPath(mediaId).isEmpty());
}

void TestMediaClient::uploadWaitsOutAFullServerDisk()
{
    // The server's data dir on a small tmpfs that a ballast file fills: the upload is refused
    // with 507 insufficient_storage. That is the server's trouble, not the file's: the message
    // stays queued and goes out once there is room again (a full quota, also 507, is final).
    TmpfsMount mount;
    if (const QString failure = mount.mount(48); !failure.isEmpty())
        QSKIP(qPrintable(QStringLiteral("cannot mount a tmpfs (needs root): ") + failure));
    m_server = std::make_unique<ServerFixture>();
    m_server->config().dataDir = mount.path() + QStringLiteral("/data");
    QVERIFY(QDir().mkpath(m_server->config().dataDir));
    QVERIFY(m_server->start());
    AppTestAccount a, b;
    QVERIFY(a.login(m_dir->path(), m_server->url(), QStringLiteral("hal%1").arg(m_round)));
    QVERIFY(b.login(m_dir->path(), m_server->url(), QStringLiteral("hug%1").arg(m_round)));
    const QString ballast = mount.path() + QStringLiteral("/ballast");
    QVERIFY(writeBallast(ballast) > 0);

    const QString path = m_dir->filePath(QStringLiteral("minutes.odt"));
    const QByteArray data = noise(2 * 1024 * 1024, 31);
    QVERIFY(writeFile(path, data));
    QSignalSpy sent(a.client->outbox(), &Outbox::messageSent);
    QSignalSpy failed(a.client->outbox(), &Outbox::messageFailed);
    QSignalSpy received(b.client->inbox(), &Inbox::messageReceived);
    const QString id = a.client->media()->sendFile(b.userId, path);
    // The upload was refused (507) as the server's trouble: a retry is scheduled, the message
    // neither failed nor sent, and still queued.
    QTRY_VERIFY_WITH_TIMEOUT(a.client->outbox()->isRetryScheduled(), kWaitMs);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(sent.size(), 0);
    const auto queued = take(a.store->outbox());
    QVERIFY(queued && queued->size() == 1 && queued->first().id == id);

    QVERIFY(QFile::remove(ballast));
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kWaitMs);
    QCOMPARE(sent.first().at(0).toString(), id);
    QCOMPARE(failed.size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 1, kWaitMs);
    const auto message = received.first().at(0).value<protocol::MessageEvent>();
    QCOMPARE(message.media->size, data.size());
    a.destroy();
    b.destroy();
    m_server.reset(); // before the tmpfs goes
}

QTEST_MAIN(TestMediaClient)
#include "tst_mediaclient.moc"
