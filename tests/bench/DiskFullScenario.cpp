// tern-bench diskfull: ternd's data dir on a small tmpfs that a ballast file fills up while a
// mixed 1:1 + group load runs. While the disk is full the server must refuse sends with an error
// frame (code `internal`, message "storage full: ..."; clients keep the message queued), ack
// nothing it did not store, keep serving reads and presence on every session, answer media
// uploads with 507 and a JSON error body, and stay up. Then the ballast goes, the outboxes are
// re-sent, and every acked message must be in history exactly once at its acked seq, with
// gap-free seqs, on every member's device, also after a graceful restart.
//
// Needs root (mount). The tmpfs is mounted in a private mount namespace of this process (ternd,
// a child, inherits it), so it disappears with the two processes even if both are killed; it is
// also unmounted explicitly on every way out.

#include "tests/bench/OutboxFleet.h"
#include "tests/bench/Scenarios.h"
#include "tests/support/TmpfsMount.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTextStream>
#include <QTimer>

#include <sys/statvfs.h>

namespace tern::bench {

namespace {

constexpr int kTmpfsMiB = 48;
constexpr int kContentBytes = 4'000; // fills the disk sooner than short texts
constexpr int kTermTimeoutMs = 5'000;

//! Kills the server before the tmpfs under it goes (declared after the mount).
struct ServerStopper
{
    BenchEnv &env;
    ~ServerStopper() { env.killServer(); }
};

qint64 freeKiB(const QString &path)
{
    struct statvfs fs = {};
    if (::statvfs(QFile::encodeName(path).constData(), &fs) != 0)
        return -1;
    return qint64(fs.f_bavail) * qint64(fs.f_frsize) / 1024;
}

struct HttpAnswer
{
    int status = 0;
    QJsonObject body;
    bool jsonBody = false;
};

HttpAnswer httpCall(QNetworkAccessManager &http, const QUrl &base, const QString &token,
                    const QByteArray &verb, const QString &path, const QByteArray &body = {})
{
    QNetworkRequest request(base.resolved(QUrl(path)));
    request.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    if (!body.isEmpty() && verb == "POST")
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    QNetworkReply *reply = http.sendCustomRequest(request, verb, body);
    spinUntil([&] { return reply->isFinished(); }, 30'000);
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll(), &error);
    answer.jsonBody = error.error == QJsonParseError::NoError && doc.isObject();
    answer.body = doc.object();
    reply->deleteLater();
    return answer;
}

//! One media upload of `size` bytes, step by step.
struct Upload
{
    QByteArray bytes;
    QString id;

    explicit Upload(qint64 size) : bytes(size, 'm') {}
    HttpAnswer declare(QNetworkAccessManager &http, const QUrl &base, const QString &token)
    {
        const QJsonObject declaration{
            {"name", "full.bin"},
            {"mime", "application/octet-stream"},
            {"size", bytes.size()},
            {"sha256", QString::fromLatin1(
                           QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex())}};
        HttpAnswer a = httpCall(http, base, token, "POST", "/api/v1/media",
                                QJsonDocument(declaration).toJson(QJsonDocument::Compact));
        id = a.body.value("media_id").toString();
        return a;
    }
    HttpAnswer put(QNetworkAccessManager &http, const QUrl &base, const QString &token)
    {
        return httpCall(http, base, token, "PUT", "/api/v1/media/" + id + "?offset=0", bytes);
    }
    HttpAnswer finish(QNetworkAccessManager &http, const QUrl &base, const QString &token)
    {
        return httpCall(http, base, token, "POST", "/api/v1/media/" + id + "/finish");
    }
};

//! A refusal as the contract asks for a full disk: 507 with a JSON body naming the problem.
bool refused507(const HttpAnswer &a)
{
    return a.status == 507 && a.jsonBody && !a.body.value("code").toString().isEmpty() &&
           !a.body.value("message").toString().isEmpty();
}

QString describe(const QList<HttpAnswer> &steps)
{
    QStringList parts;
    for (const HttpAnswer &a : steps)
        parts << QString::number(a.status) +
                     (a.status >= 400 ? " " + a.body.value("code").toString() : QString());
    return parts.join(QStringLiteral(" -> "));
}

//! One request on `client`, waited for; an empty object on timeout.
QJsonObject ask(BenchClient &client, const QJsonObject &request)
{
    QJsonObject reply;
    bool done = false;
    client.request(request, [&](const QJsonObject &r) {
        reply = r;
        done = true;
    });
    spinUntil([&] { return done; }, 15'000);
    return reply;
}

} // namespace

int runDiskFull(BenchEnv &env, const QCommandLineParser &, QJsonObject *result)
{
    QTextStream out(stdout);
    test::TmpfsMount mount;
    if (const QString failure = mount.mount(kTmpfsMiB); !failure.isEmpty()) {
        out << "diskfull: cannot mount a tmpfs (needs root): " << failure << " -> SKIPPED\n";
        return 77; // CTest's SKIP_RETURN_CODE
    }
    ServerStopper stopper{env};
    // Move the server main.cpp started onto the tmpfs.
    env.terminateServer(kTermTimeoutMs);
    env.setDataDir(mount.path() + "/data");
    if (!env.restartServer()) {
        out << "diskfull: cannot start ternd on " << mount.path() << "\n";
        return 1;
    }
    const QUrl base = [&] {
        QUrl u = env.url();
        u.setScheme(QStringLiteral("http"));
        u.setPath(QStringLiteral("/"));
        return u;
    }();
    QNetworkAccessManager http;

    const int users = 4;
    OutboxFleet fleet(env);
    QHash<QString, qint64> errorCodes; // "code: message start" -> count
    qint64 storageFullErrors = 0;
    fleet.onSendError = [&](OutboxFleet::Device &, const QJsonObject &e) {
        const QString message = e.value("message").toString();
        ++errorCodes[e.value("code").toString() + ": " + message.left(40)];
        if (e.value("code").toString() == QLatin1String("internal") &&
            message.startsWith(QLatin1String("storage full")))
            ++storageFullErrors;
    };
    if (!fleet.setUp(users, QStringLiteral("f%1-").arg(nowNs() % 100000)) || !fleet.connectAll())
        return 1;

    // Load: every device queues new messages while its outbox has room; failed ones are
    // re-sent every half second, as the app's outbox retry does.
    QTimer pump;
    pump.setInterval(5);
    QObject::connect(&pump, &QTimer::timeout, [&] {
        for (int i = 0; i < users; ++i)
            fleet.queueNew(i, 50, kContentBytes);
    });
    QTimer retry;
    retry.setInterval(500);
    QObject::connect(&retry, &QTimer::timeout, [&] { fleet.resendAll(); });
    pump.start();
    retry.start();
    spinUntil([] { return false; }, 1'000);
    // An upload declared while there is room; its bytes arrive only once the disk is full.
    const QString token = fleet.devices[0].token;
    Upload early(1 << 20);
    const bool declaredEarly = early.declare(http, base, token).status == 201;
    qint64 ackedBefore = 0;
    for (const auto &d : fleet.devices)
        ackedBefore += d.acked.size();

    const qint64 ballast = test::writeBallast(mount.path() + "/ballast");
    out << "diskfull: " << kTmpfsMiB << " MiB tmpfs at " << mount.path() << "; " << ackedBefore
        << " acked, then a " << ballast / 1024 << " KiB ballast fills it\n";
    // Run until the server refuses writes (and a little longer), at most 20 s.
    const qint64 fullFrom = nowNs();
    spinUntil([&] { return storageFullErrors > 0; }, 20'000);
    const double secondsToFirstRefusal = double(nowNs() - fullFrom) / 1e9;
    spinUntil([] { return false; }, 2'000);
    pump.stop();
    retry.stop();
    qint64 ackedWhileFull = -ackedBefore;
    for (const auto &d : fleet.devices)
        ackedWhileFull += d.acked.size();

    // Still full: reads and presence work on every session; media is refused with 507.
    int readsOk = 0, readsAsked = 0;
    for (auto &d : fleet.devices) {
        QJsonArray others;
        for (const auto &o : fleet.devices)
            if (o.userId != d.userId)
                others.append(o.userId);
        const QList<QJsonObject> asks{
            {{"type", "history"}, {"conversation", fleet.group}, {"limit", 50}},
            {{"type", "conversations"}},
            {{"type", "presence"}, {"users", others}},
            {{"type", "users"}, {"users", others}}};
        for (const QJsonObject &request : asks) {
            ++readsAsked;
            const QJsonObject reply = ask(*d.client, request);
            if (reply.value("type").toString() == QLatin1String("ack"))
                ++readsOk;
            else
                out << "  read refused while full: " << request.value("type").toString() << " "
                    << QJsonDocument(reply).toJson(QJsonDocument::Compact) << "\n";
        }
    }
    // Presence: each user sees the others online (their sessions are alive and active).
    int online = 0;
    {
        QJsonArray others;
        for (std::size_t i = 1; i < fleet.devices.size(); ++i)
            others.append(fleet.devices[i].userId);
        const QJsonObject reply =
            ask(*fleet.devices[0].client, {{"type", "presence"}, {"users", others}});
        for (const QJsonValue &u : reply.value("users").toArray())
            online += u.toObject().value("status").toString() == QLatin1String("online");
    }
    // Media: the bytes of the early upload cannot be written. A new declaration is one small
    // database row: refused with 507 as a rule, but a commit that finds a free WAL page may store
    // it (some sends are acked while "full" too), and that is no fault. It must not be anything
    // else.
    Upload late(1 << 20);
    const QList<HttpAnswer> mediaFull{early.put(http, base, token),
                                      late.declare(http, base, token)};
    const bool mediaRefused = declaredEarly && refused507(mediaFull[0]) &&
                              (refused507(mediaFull[1]) || mediaFull[1].status == 201);
    const bool upWhileFull = env.serverRunning();
    qint64 queuedWhileFull = 0;
    for (const auto &d : fleet.devices)
        queuedWhileFull += qint64(d.outbox.size());
    out << "  while full: " << storageFullErrors
        << " sends refused with 'storage full' (first after "
        << QString::number(secondsToFirstRefusal, 'f', 1) << " s), " << ackedWhileFull << " acked, "
        << queuedWhileFull << " queued; reads " << readsOk << "/" << readsAsked << ", online "
        << online << "/" << users - 1 << "; media upload "
        << "PUT " << describe({mediaFull[0]}) << ", POST " << describe({mediaFull[1]}) << "; ternd "
        << (upWhileFull ? "up" : "DOWN") << "\n";
    for (auto it = errorCodes.cbegin(); it != errorCodes.cend(); ++it)
        out << "    error " << it.key() << " x" << it.value() << "\n";

    // Space returns: the outboxes drain, new writes and uploads work again.
    QFile::remove(mount.path() + "/ballast");
    const qint64 freeAfter = freeKiB(mount.path());
    const qint64 refusedBefore = storageFullErrors;
    const qint64 freedAt = nowNs();
    const bool drained = fleet.drain(30'000);
    const double secondsToDrain = double(nowNs() - freedAt) / 1e9;
    const qint64 refusedAfterFree = storageFullErrors - refusedBefore;
    // New writes work again (a bounded burst: the freed space is not much).
    for (int round = 0; round < 20; ++round)
        for (int i = 0; i < users; ++i)
            fleet.queueNew(i, 50, kContentBytes);
    const bool drainedAgain = fleet.drain(30'000);
    // The refused chunk left nothing behind: the early upload resumes at 0 and finishes; a new
    // one goes through.
    Upload fresh(1 << 20);
    const QList<HttpAnswer> mediaAfter{
        early.put(http, base, token), early.finish(http, base, token),
        fresh.declare(http, base, token), fresh.put(http, base, token),
        fresh.finish(http, base, token)};
    const bool mediaRecovered = mediaAfter[0].status == 200 && mediaAfter[1].status == 200 &&
                                mediaAfter[2].status == 201 && mediaAfter[3].status == 200 &&
                                mediaAfter[4].status == 200;
    spinUntil([] { return false; }, 1'000); // let the last deliveries arrive

    // A graceful stop and a restart on the same data: what was acked is still there.
    qint64 stopMs = 0;
    const bool cleanExit = env.terminateServer(kTermTimeoutMs, &stopMs);
    out << "  ballast removed (" << freeAfter << " KiB free): outboxes drained "
        << (drained && drainedAgain ? "yes" : "NO") << " in "
        << QString::number(secondsToDrain, 'f', 1) << " s, " << refusedAfterFree
        << " refused meanwhile; media upload " << describe(mediaAfter) << "; SIGTERM exit "
        << (cleanExit ? "clean" : "UNCLEAN") << " (" << stopMs << " ms), " << freeKiB(mount.path())
        << " KiB free\n";
    if (!env.restartServer() || !fleet.connectAll()) {
        out << "diskfull: could not restart/reconnect\n";
        return 1;
    }
    spinUntil([] { return false; }, 500);
    const std::optional<OutboxFleet::Verdict> v = fleet.verify();
    if (!v)
        return 1;
    const bool cleanExitAtEnd = env.terminateServer(kTermTimeoutMs);
    const bool ok = v->ok() && storageFullErrors > 0 && readsOk == readsAsked &&
                    online == users - 1 && mediaRefused && upWhileFull && drained && drainedAgain &&
                    mediaRecovered && cleanExit && cleanExitAtEnd;
    out << "  after a restart: " << fleet.sent << " sends, " << v->acked << " acked; "
        << v->summary() << " -> " << (ok ? "OK" : "FAILED") << "\n";
    *result = QJsonObject{{"scenario", "diskfull"},
                          {"tmpfs_mib", kTmpfsMiB},
                          {"sent", double(fleet.sent)},
                          {"refused_storage_full", double(storageFullErrors)},
                          {"acked_while_full", double(ackedWhileFull)},
                          {"reads_ok", readsOk},
                          {"reads_asked", readsAsked},
                          {"media_while_full", describe(mediaFull)},
                          {"media_after", describe(mediaAfter)},
                          {"clean_exit", cleanExit && cleanExitAtEnd},
                          {"ok", ok}};
    v->addTo(*result);
    return ok ? 0 : 1;
}

} // namespace tern::bench
