// MediaTransfers alone (over real ChatConnections and Outboxes, against a child ternd, no
// ChatClient): a file is queued durably, uploaded, and only then sent with the server's media
// id; the peer downloads exactly the bytes; a picture goes out with its thumbnail and size.
// A media message written offline (no upload started) can be withdrawn and never goes out.
// (Withdrawing an upload in flight is tested in tst_mediaclient.)

#include "app/cache/LocalStore.h"
#include "app/client/ChatConnection.h"
#include "app/client/MediaDownload.h"
#include "app/client/MediaTransfers.h"
#include "app/client/Outbox.h"
#include "tests/app/PartAccount.h"
#include "tests/support/ChildServer.h"
#include "tests/support/TestUtil.h"

#include <QCryptographicHash>
#include <QFile>
#include <QImage>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace tern;
using namespace tern::test;
using tern::app::client::ChatConnection;
using tern::app::client::MediaDownload;
using tern::app::client::MediaTransfers;
using tern::app::client::Outbox;

namespace {

//! An account with its outbox and media part (destroyed before the connection).
struct MediaAccount : PartAccount
{
    std::unique_ptr<Outbox> outbox;
    std::unique_ptr<MediaTransfers> media;

    bool make(const QString &path, const QUrl &url, const QString &prefix)
    {
        if (!build(path, url))
            return false;
        outbox = std::make_unique<Outbox>(connection.get());
        media = std::make_unique<MediaTransfers>(connection.get(), outbox.get());
        return signUp(prefix);
    }
    ~MediaAccount()
    {
        media.reset();
        outbox.reset();
        reset();
    }
};

QByteArray randomBytes(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (char &byte : bytes)
        byte = char(QRandomGenerator::global()->bounded(256));
    return bytes;
}

} // namespace

class TestMediaTransfers : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void fileUploadedThenSentAndDownloaded();
    void pictureCarriesThumbnailAndSize();
    void queuedOfflineMediaCanBeCancelled();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ChildServer> m_server;
};

void TestMediaTransfers::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_server = std::make_unique<ChildServer>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TestMediaTransfers::cleanup()
{
    m_server.reset();
    m_dir.reset();
}

void TestMediaTransfers::fileUploadedThenSentAndDownloaded()
{
    MediaAccount alice, bob;
    QVERIFY(alice.make(path("alice.sqlite"), m_server->url(), QStringLiteral("alice")));
    QVERIFY(bob.make(path("bob.sqlite"), m_server->url(), QStringLiteral("bob")));
    const QByteArray bytes = randomBytes(300 * 1024); // several chunks
    QFile file(path("budget.bin"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), qint64(bytes.size()));
    file.close();

    QSignalSpy uploaded(alice.media.get(), &MediaTransfers::mediaUploaded);
    QSignalSpy sent(alice.outbox.get(), &Outbox::messageSent);
    QSignalSpy arrived(bob.connection.get(), &ChatConnection::messageEvent);
    const QString id = alice.media->sendFile(bob.userId, file.fileName());
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kPartWaitMs);
    // Sent only after the upload: the message carries the media id the server gave.
    QCOMPARE(uploaded.size(), 1);
    QCOMPARE(uploaded.first().at(0).toString(), id);
    const auto media = uploaded.first().at(1).value<protocol::Media>();
    QCOMPARE(media.mediaId.size(), 32);
    QCOMPARE(media.size, qint64(bytes.size()));
    QCOMPARE(media.name, QStringLiteral("budget.bin"));
    QCOMPARE(sent.first().at(0).toString(), id);
    QVERIFY(take(alice.store->outbox()).value().isEmpty());

    QTRY_COMPARE_WITH_TIMEOUT(arrived.size(), 1, kPartWaitMs);
    const auto message = arrived.first().at(0).value<protocol::MessageEvent>();
    QCOMPARE(message.id, id);
    QCOMPARE(message.kind, protocol::MessageKind::File);
    QVERIFY(message.media);
    QCOMPARE(message.media->mediaId, media.mediaId);
    QCOMPARE(
        message.media->sha256,
        QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));

    // Bob's part downloads it with his own token: exactly the bytes Alice had.
    MediaDownload *download = bob.media->download(*message.media, path("bob-cache"));
    QSignalSpy done(download, &MediaDownload::finished);
    QSignalSpy failed(download, &MediaDownload::failed);
    download->start();
    QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty() || !failed.isEmpty(), kPartWaitMs);
    QVERIFY(failed.isEmpty());
    QFile got(done.first().at(0).toString());
    QVERIFY(got.open(QIODevice::ReadOnly));
    QCOMPARE(got.readAll(), bytes);
    QVERIFY(got.fileName().startsWith(path("bob-cache/") + media.mediaId + QLatin1Char('/')));
}

void TestMediaTransfers::pictureCarriesThumbnailAndSize()
{
    MediaAccount alice, bob;
    QVERIFY(alice.make(path("alice.sqlite"), m_server->url(), QStringLiteral("alice")));
    QVERIFY(bob.make(path("bob.sqlite"), m_server->url(), QStringLiteral("bob")));
    QImage image(640, 480, QImage::Format_RGB32);
    image.fill(QColor(30, 120, 200));
    QSignalSpy sent(alice.outbox.get(), &Outbox::messageSent);
    QSignalSpy arrived(bob.connection.get(), &ChatConnection::messageEvent);
    const QString id = alice.media->sendImage(bob.userId, image, path("outgoing"));
    QTRY_COMPARE_WITH_TIMEOUT(sent.size(), 1, kPartWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(arrived.size(), 1, kPartWaitMs);
    const auto message = arrived.first().at(0).value<protocol::MessageEvent>();
    QCOMPARE(message.id, id);
    QCOMPARE(message.kind, protocol::MessageKind::Image);
    QVERIFY(message.media);
    QCOMPARE(message.media->width, std::optional(640));
    QCOMPARE(message.media->height, std::optional(480));
    QVERIFY(!message.media->thumbnail.isEmpty());
    const QImage thumbnail =
        QImage::fromData(QByteArray::fromBase64(message.media->thumbnail.toLatin1()));
    QVERIFY(!thumbnail.isNull());
    QVERIFY(thumbnail.width() <= 640 && thumbnail.height() <= 480);
}

void TestMediaTransfers::queuedOfflineMediaCanBeCancelled()
{
    MediaAccount alice, bob;
    QVERIFY(alice.make(path("alice.sqlite"), m_server->url(), QStringLiteral("alice")));
    QVERIFY(bob.make(path("bob.sqlite"), m_server->url(), QStringLiteral("bob")));
    QFile file(path("notes.bin"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.write(randomBytes(64 * 1024)) > 0);
    file.close();

    // Offline: the message is queued durably, its upload waits for the connection.
    m_server->setExtraArgs({QStringLiteral("--port"), QString::number(m_server->port())});
    m_server->kill();
    QTRY_VERIFY_WITH_TIMEOUT(alice.connection->state() != ChatConnection::State::Online,
                             kPartWaitMs);
    QSignalSpy queued(alice.outbox.get(), &Outbox::messageQueued);
    QSignalSpy cancelled(alice.outbox.get(), &Outbox::messageCancelled);
    const QString id = alice.media->sendFile(bob.userId, file.fileName());
    QTRY_COMPARE_WITH_TIMEOUT(queued.size(), 1, kPartWaitMs);
    QCOMPARE(take(alice.store->outbox()).value().size(), 1);

    // "Cancel sending": withdrawn from the outbox although no upload ever started.
    QVERIFY(alice.media->cancel(id));
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, kPartWaitMs);
    QCOMPARE(cancelled.first().at(0).toString(), id);
    QVERIFY(take(alice.store->outbox()).value().isEmpty());
    QVERIFY(!alice.media->cancel(id)); // once

    // Back online: nothing is uploaded or sent; a later text arrives alone.
    QSignalSpy uploaded(alice.media.get(), &MediaTransfers::mediaUploaded);
    QSignalSpy arrived(bob.connection.get(), &ChatConnection::messageEvent);
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(alice.connection->state() == ChatConnection::State::Online &&
                                 bob.connection->state() == ChatConnection::State::Online,
                             kPartWaitMs);
    const QString text = alice.outbox->sendText(bob.userId, QStringLiteral("after"));
    QTRY_COMPARE_WITH_TIMEOUT(arrived.size(), 1, kPartWaitMs);
    QCOMPARE(arrived.first().at(0).value<protocol::MessageEvent>().id, text);
    QVERIFY(uploaded.isEmpty());
    QVERIFY(take(alice.store->outbox()).value().isEmpty());
}

QTEST_MAIN(TestMediaTransfers)
#include "tst_mediatransfers.moc"
