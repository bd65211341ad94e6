// tern-bench media: the server's memory while it streams big media. One client uploads a file of
// --size-mib from disk; then one client downloads it while another uploads a second file. The
// server's RSS is sampled every 20 ms; streaming in bounded chunks should keep the peak flat
// whatever the file size.

#include "tests/bench/Scenarios.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

namespace tern::bench {

namespace {

//! A file of random bytes, written in 1 MiB blocks; its SHA-256.
QString writeRandomFile(const QString &path, qint64 mib, quint32 seed)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    QRandomGenerator generator(seed);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray block(1024 * 1024, Qt::Uninitialized);
    for (qint64 i = 0; i < mib; ++i) {
        generator.fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
        file.write(block);
        hash.addData(block);
    }
    return QString::fromLatin1(hash.result().toHex());
}

struct Transfer
{
    QNetworkReply *reply = nullptr;
    qint64 bytes = 0;
    bool done = false;
    int status = 0;
};

QNetworkRequest apiRequest(const QUrl &base, const QString &path, const QString &token)
{
    QNetworkRequest request(base.resolved(QUrl(path)));
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    return request;
}

void track(Transfer &t, bool discardBody)
{
    QObject::connect(t.reply, &QNetworkReply::readyRead, t.reply, [&t, discardBody] {
        if (discardBody)
            t.bytes += t.reply->readAll().size();
    });
    QObject::connect(t.reply, &QNetworkReply::finished, t.reply, [&t] {
        t.status = t.reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        t.done = true;
    });
}

//! Declares and starts streaming `path` (size bytes); the PUT reply is returned in `put`.
QString startUpload(QNetworkAccessManager &http, const QUrl &base, const QString &token,
                    const QString &path, qint64 size, const QString &sha, QFile &body,
                    Transfer &put)
{
    QNetworkRequest create = apiRequest(base, QStringLiteral("/api/v1/media"), token);
    create.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    const QJsonObject declaration{{"name", "bench.bin"},
                                  {"mime", "application/octet-stream"},
                                  {"size", size},
                                  {"sha256", sha}};
    QNetworkReply *created = http.post(create, QJsonDocument(declaration).toJson());
    spinUntil([&] { return created->isFinished(); }, 30'000);
    const QString id =
        QJsonDocument::fromJson(created->readAll()).object().value("media_id").toString();
    created->deleteLater();
    if (id.isEmpty() || !body.open(QIODevice::ReadOnly))
        return {};
    Q_UNUSED(path);
    QNetworkRequest request =
        apiRequest(base, QStringLiteral("/api/v1/media/%1?offset=0").arg(id), token);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream");
    request.setHeader(QNetworkRequest::ContentLengthHeader, size);
    put.reply = http.put(request, &body);
    track(put, false);
    return id;
}

bool finishUpload(QNetworkAccessManager &http, const QUrl &base, const QString &token,
                  const QString &id)
{
    QNetworkReply *reply = http.post(
        apiRequest(base, QStringLiteral("/api/v1/media/%1/finish").arg(id), token), QByteArray());
    spinUntil([&] { return reply->isFinished(); }, 60'000);
    const bool ok = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
    reply->deleteLater();
    return ok;
}

} // namespace

int runMedia(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result)
{
    QTextStream out(stdout);
    const qint64 mib = args.value("size-mib").toLongLong();
    const qint64 size = mib * 1024 * 1024;
    auto clients = env.makeUsers(2, QStringLiteral("m%1-").arg(nowNs() % 100000));
    if (clients.empty())
        return 1;
    QUrl base = env.url();
    base.setScheme(QStringLiteral("http"));
    base.setPath(QStringLiteral("/"));
    QTemporaryDir dir;
    const QString first = dir.filePath(QStringLiteral("first.bin"));
    const QString second = dir.filePath(QStringLiteral("second.bin"));
    const QString firstSha = writeRandomFile(first, mib, 1);
    const QString secondSha = writeRandomFile(second, mib, 2);
    QNetworkAccessManager http;

    qint64 peakKiB = 0;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout,
                     [&] { peakKiB = std::max(peakKiB, env.serverRssKiB()); });
    sampler.start(20);
    const qint64 idleKiB = env.serverRssKiB();

    // 1. One upload alone.
    QFile firstBody(first);
    Transfer upload;
    QElapsedTimer clock;
    clock.start();
    const QString firstId =
        startUpload(http, base, clients[0]->token, first, size, firstSha, firstBody, upload);
    if (firstId.isEmpty() || !spinUntil([&] { return upload.done; }, 600'000) ||
        upload.status != 200 || !finishUpload(http, base, clients[0]->token, firstId)) {
        out << "media: upload failed (HTTP " << upload.status << ")\n";
        return 1;
    }
    const double uploadSeconds = clock.nsecsElapsed() / 1e9;
    const qint64 uploadPeakKiB = peakKiB;

    // 2. A download of it while a second upload streams in.
    peakKiB = env.serverRssKiB();
    QFile secondBody(second);
    Transfer upload2;
    Transfer download;
    clock.restart();
    const QString secondId =
        startUpload(http, base, clients[1]->token, second, size, secondSha, secondBody, upload2);
    download.reply = http.get(
        apiRequest(base, QStringLiteral("/api/v1/media/%1").arg(firstId), clients[0]->token));
    track(download, true);
    if (secondId.isEmpty() || !spinUntil([&] { return upload2.done && download.done; }, 600'000) ||
        upload2.status != 200 || download.status != 200 || download.bytes != size) {
        out << "media: parallel transfer failed (upload " << upload2.status << ", download "
            << download.status << ", " << download.bytes << " bytes)\n";
        return 1;
    }
    const double parallelSeconds = clock.nsecsElapsed() / 1e9;
    const qint64 parallelPeakKiB = peakKiB;
    finishUpload(http, base, clients[1]->token, secondId);

    out << "media: " << mib << " MiB files\n"
        << "  server RSS idle                          " << idleKiB / 1024.0 << " MiB\n"
        << "  peak during one upload                   " << uploadPeakKiB / 1024.0 << " MiB ("
        << mib / uploadSeconds << " MiB/s, with finish: SHA-256 + fsync)\n"
        << "  peak during upload + parallel download   " << parallelPeakKiB / 1024.0 << " MiB ("
        << 2 * mib / parallelSeconds << " MiB/s both ways)\n";
    *result = QJsonObject{{"scenario", "media"},
                          {"size_mib", mib},
                          {"server_rss_idle_kib", double(idleKiB)},
                          {"server_rss_peak_upload_kib", double(uploadPeakKiB)},
                          {"server_rss_peak_parallel_kib", double(parallelPeakKiB)},
                          {"upload_mib_per_s", mib / uploadSeconds},
                          {"parallel_mib_per_s", 2 * mib / parallelSeconds}};
    return 0;
}

} // namespace tern::bench
