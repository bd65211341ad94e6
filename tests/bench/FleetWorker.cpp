// tern-bench's hidden `worker` mode: one process of a Fleet (see Fleet.h for the commands). It
// holds its share of the sessions and runs one phase at a time, event driven, so that thousands
// of sockets cost it little CPU.

#include "tests/bench/Fleet.h"
#include "tests/bench/Scenarios.h"

#include <QEventLoop>
#include <QSocketNotifier>
#include <QTimer>

#include <unistd.h>

namespace tern::bench {

namespace {
// Sockets opening at once in the `connect` phase: enough to keep the server busy, few enough
// that its accept backlog does not overflow (a dropped SYN costs a 1 s retransmit).
constexpr int kOpenInFlight = 128;
constexpr int kPhaseTimeoutMs = 170'000;
// Storm: a client whose connection attempt failed tries again after this, like the app would.
constexpr int kRetryDelayMs = 250;
constexpr int kMaxRetries = 20;

//! spinUntil() with a coarse check: callbacks record their own times, so waking up every
//! millisecond would only cost CPU in a process that holds thousands of sockets.
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer check;
    check.setInterval(20);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    check.start();
    loop.exec();
    return done();
}

class Worker : public QObject
{
public:
    Worker() : m_stdin(STDIN_FILENO, QSocketNotifier::Read)
    {
        connect(&m_stdin, &QSocketNotifier::activated, this, &Worker::readCommands);
    }

private:
    void readCommands();
    void execute(const QStringList &words);
    void reply(const QString &verb, qint64 ok, qint64 fail, const QString &extra = {});

    void connectAll(const QUrl &url, int count);
    void requestAll(const QString &verb, const QString &prefix);
    void closeAll();
    void storm(const QUrl &url);

    QSocketNotifier m_stdin;
    QByteArray m_input;
    std::vector<std::unique_ptr<BenchClient>> m_clients;
    std::vector<QString> m_tokens;
};

void Worker::readCommands()
{
    char chunk[4096];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n <= 0) { // the parent is gone
        m_stdin.setEnabled(false);
        QCoreApplication::exit(0);
        return;
    }
    m_input.append(chunk, n);
    qsizetype end;
    while ((end = m_input.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_input.left(end)).trimmed();
        m_input.remove(0, end + 1);
        // One phase at a time: stop reading while this one spins its own event loop.
        m_stdin.setEnabled(false);
        execute(line.split(QLatin1Char(' '), Qt::SkipEmptyParts));
        m_stdin.setEnabled(true);
    }
}

void Worker::reply(const QString &verb, qint64 ok, qint64 fail, const QString &extra)
{
    const QByteArray line = QStringLiteral("done %1 ok=%2 fail=%3 cpu=%4 %5\n")
                                .arg(verb)
                                .arg(ok)
                                .arg(fail)
                                .arg(BenchEnv::ownCpuSeconds(), 0, 'f', 3)
                                .arg(extra)
                                .toUtf8();
    qsizetype written = 0;
    while (written < line.size()) {
        const ssize_t n =
            ::write(STDOUT_FILENO, line.constData() + written, std::size_t(line.size() - written));
        if (n <= 0)
            return;
        written += n;
    }
}

void Worker::execute(const QStringList &words)
{
    const QString verb = words.value(0);
    if (verb == QLatin1String("connect"))
        connectAll(QUrl(words.value(1)), words.value(2).toInt());
    else if (verb == QLatin1String("register") || verb == QLatin1String("login"))
        requestAll(verb, words.value(1));
    else if (verb == QLatin1String("auth"))
        requestAll(verb, {});
    else if (verb == QLatin1String("close"))
        closeAll();
    else if (verb == QLatin1String("storm"))
        storm(QUrl(words.value(1)));
    else if (verb == QLatin1String("quit"))
        QCoreApplication::exit(0);
    else
        reply(verb, 0, 1, QStringLiteral("unknown=1"));
}

void Worker::connectAll(const QUrl &url, int count)
{
    m_clients.clear();
    m_clients.reserve(std::size_t(count));
    int opened = 0;
    int failed = 0;
    // Keep kOpenInFlight attempts going; each finished one starts the next.
    std::function<void()> launchMore = [&] {
        while (int(m_clients.size()) < count &&
               int(m_clients.size()) - opened - failed < kOpenInFlight) {
            auto client = std::make_unique<BenchClient>();
            connect(client.get(), &BenchClient::opened, this, [&] {
                ++opened;
                launchMore();
            });
            client->open(url);
            m_clients.push_back(std::move(client));
        }
    };
    launchMore();
    QTimer failures; // errors have no signal of their own on BenchClient: look now and then
    failures.setInterval(50);
    connect(&failures, &QTimer::timeout, this, [&] {
        int now = 0;
        for (const auto &c : m_clients)
            now += c->hasFailed() ? 1 : 0;
        if (now != failed) {
            failed = now;
            launchMore();
        }
    });
    failures.start();
    waitFor([&] { return opened + failed >= count; }, kPhaseTimeoutMs);
    failures.stop();
    for (auto &c : m_clients)
        c->disconnect(this);
    reply(QStringLiteral("connect"), opened, count - opened);
}

void Worker::requestAll(const QString &verb, const QString &prefix)
{
    // Shared with the reply callbacks, which outlive this call if the phase times out.
    struct Counts
    {
        int ok = 0;
        int fail = 0;
    };
    auto counts = std::make_shared<Counts>();
    int asked = 0;
    const bool wantTokens = verb == QLatin1String("login");
    if (wantTokens)
        m_tokens.assign(m_clients.size(), QString());
    for (std::size_t i = 0; i < m_clients.size(); ++i) {
        BenchClient *c = m_clients[i].get();
        if (!c->isOpen())
            continue;
        const QString user = prefix + QString::number(i);
        QJsonObject request;
        if (verb == QLatin1String("register"))
            request = {{"type", "register"}, {"user", user}, {"password", "bench-password"}};
        else if (wantTokens)
            request = {{"type", "login"},
                       {"user", user},
                       {"password", "bench-password"},
                       {"device", "bench"}};
        else
            request = {{"type", "auth"}, {"token", i < m_tokens.size() ? m_tokens[i] : QString()}};
        ++asked;
        c->request(request, [this, counts, c, i, wantTokens](const QJsonObject &r) {
            if (r.value(QLatin1String("type")).toString() != QLatin1String("ack")) {
                ++counts->fail;
                return;
            }
            ++counts->ok;
            if (wantTokens) {
                c->token = r.value(QLatin1String("token")).toString();
                m_tokens[i] = c->token;
            }
        });
    }
    waitFor([&] { return counts->ok + counts->fail >= asked; }, kPhaseTimeoutMs);
    reply(verb, counts->ok, qint64(m_clients.size()) - counts->ok);
}

void Worker::closeAll()
{
    for (auto &c : m_clients)
        c->close();
    waitFor(
        [&] {
            for (const auto &c : m_clients) {
                if (c->isOpen())
                    return false;
            }
            return true;
        },
        30'000);
    const qint64 count = qint64(m_clients.size());
    m_clients.clear();
    reply(QStringLiteral("close"), count, 0);
}

void Worker::storm(const QUrl &url)
{
    // The old sockets were closed by the server's shutdown (1001); every client comes back at
    // once with its token and pipelines `auth` and `sync`, as the app does.
    m_clients.clear();
    const std::size_t count = m_tokens.size();
    // Shared with the callbacks, which outlive this call if the phase times out.
    struct Storm
    {
        int authed = 0;
        int authFailed = 0;
        int synced = 0;
        int syncFailed = 0;
        qint64 lastAuthNs = 0;
        qint64 lastSyncNs = 0;
    };
    auto st = std::make_shared<Storm>();
    int retries = 0;
    int gaveUp = 0;
    std::vector<int> attempts(count, 0);
    m_clients.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        auto client = std::make_unique<BenchClient>();
        BenchClient *c = client.get();
        c->token = m_tokens[i];
        connect(c, &BenchClient::opened, this, [st, c] {
            c->request({{"type", "auth"}, {"token", c->token}}, [st](const QJsonObject &r) {
                if (r.value(QLatin1String("type")).toString() == QLatin1String("ack")) {
                    ++st->authed;
                    st->lastAuthNs = nowNs();
                } else {
                    ++st->authFailed;
                }
            });
            c->request({{"type", "sync"}}, [st](const QJsonObject &r) {
                if (r.value(QLatin1String("complete")).toBool()) {
                    ++st->synced;
                    st->lastSyncNs = nowNs();
                } else {
                    ++st->syncFailed;
                }
            });
        });
        m_clients.push_back(std::move(client));
    }
    const qint64 startNs = nowNs();
    for (auto &c : m_clients)
        c->open(url);
    QTimer retry;
    retry.setInterval(kRetryDelayMs);
    connect(&retry, &QTimer::timeout, this, [&] {
        for (std::size_t i = 0; i < count; ++i) {
            BenchClient *c = m_clients[i].get();
            if (!c->hasFailed())
                continue;
            if (attempts[i] >= kMaxRetries) {
                if (attempts[i]++ == kMaxRetries)
                    ++gaveUp;
                continue;
            }
            ++attempts[i];
            ++retries;
            c->open(url);
        }
    });
    retry.start();
    waitFor(
        [&] {
            return st->synced + st->syncFailed + gaveUp >= int(count) &&
                   st->authed + st->authFailed + gaveUp >= int(count);
        },
        kPhaseTimeoutMs);
    retry.stop();
    reply(QStringLiteral("storm"), st->synced, qint64(count) - st->synced,
          QStringLiteral("authed=%1 auth_fail=%2 sync_fail=%3 retries=%4 gave_up=%5 "
                         "start_ns=%6 last_auth_ns=%7 last_sync_ns=%8")
              .arg(st->authed)
              .arg(st->authFailed)
              .arg(st->syncFailed)
              .arg(retries)
              .arg(gaveUp)
              .arg(startNs)
              .arg(st->lastAuthNs)
              .arg(st->lastSyncNs));
}

} // namespace

int runWorker(BenchEnv &, const QCommandLineParser &, QJsonObject *)
{
    Worker worker;
    return QCoreApplication::exec();
}

} // namespace tern::bench
