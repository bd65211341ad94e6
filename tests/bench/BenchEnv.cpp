#include "BenchEnv.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>

#include <chrono>
#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

namespace tern::bench {

qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool spinUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(1);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    loop.exec();
    return done();
}

bool spinWhileProgressing(const std::function<bool()> &done,
                          const std::function<qint64()> &progress, int stallMs, int capMs)
{
    const qint64 capAt = nowNs() + qint64(capMs) * 1'000'000;
    qint64 last = progress();
    qint64 movedAt = nowNs();
    return spinUntil(
               [&] {
                   const qint64 now = nowNs();
                   if (const qint64 p = progress(); p != last) {
                       last = p;
                       movedAt = now;
                   }
                   return done() || now - movedAt > qint64(stallMs) * 1'000'000 || now > capAt;
               },
               capMs) &&
           done();
}

BenchEnv::~BenchEnv()
{
    if (m_server && m_server->state() != QProcess::NotRunning) {
        ::kill(pid_t(m_server->processId()), SIGTERM);
        m_server->waitForFinished(15'000);
    }
}

void BenchEnv::killServer()
{
    if (!m_server || m_server->state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_server->processId()), SIGKILL);
    m_server->waitForFinished(10'000);
}

bool BenchEnv::terminateServer(int timeoutMs, qint64 *elapsedMs)
{
    if (!m_server || m_server->state() == QProcess::NotRunning)
        return false;
    const qint64 start = nowNs();
    ::kill(pid_t(m_server->processId()), SIGTERM);
    // Spin rather than block: the clients of this process must see the close frames meanwhile.
    spinUntil([&] { return m_server->state() == QProcess::NotRunning; }, timeoutMs);
    if (elapsedMs)
        *elapsedMs = (nowNs() - start) / 1'000'000;
    if (m_server->state() != QProcess::NotRunning) {
        killServer();
        return false;
    }
    return m_server->exitStatus() == QProcess::NormalExit && m_server->exitCode() == 0;
}

bool BenchEnv::serverRunning() const
{
    return m_server && m_server->state() == QProcess::Running;
}

bool BenchEnv::restartServer()
{
    killServer();
    return startServer(m_terndPath, m_extraArgs);
}

bool BenchEnv::startServer(const QString &terndPath, const QStringList &extraArgs)
{
    m_terndPath = terndPath;
    m_extraArgs = extraArgs;
    m_url = QUrl();
    m_server = std::make_unique<QProcess>();
    m_server->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    const QString dataDir = m_dataDirOverride.isEmpty() ? m_dataDir.path() : m_dataDirOverride;
    QStringList args{"--bind",     "127.0.0.1", "--port",          "0",
                     "--data-dir", dataDir,     "--password-cost", "min"};
    // Phases connect thousands of sessions first and log them in later: no 15 s login deadline
    // (older ternd binaries, for before/after runs, have none and do not know the flag).
    QProcess help;
    help.start(terndPath, {"--help"});
    const QByteArray helpText = help.waitForFinished(10'000) ? help.readAllStandardOutput() : "";
    if (helpText.contains("--auth-timeout"))
        args << "--auth-timeout"
             << "3600";
    // ternd serves TLS by default since --no-tls exists; older binaries only speak ws://.
    if (!m_tls && helpText.contains("--no-tls"))
        args << "--no-tls";
    m_server->start(terndPath, args + extraArgs);
    if (!m_server->waitForStarted(10'000))
        return false;
    static const QRegularExpression listening(QStringLiteral("listening on (wss?://[^ ]+)"));
    QByteArray output;
    const bool ok = spinUntil(
        [&] {
            output += m_server->readAllStandardOutput();
            const auto match = listening.match(QString::fromUtf8(output));
            if (match.hasMatch())
                m_url = QUrl(match.captured(1));
            return match.hasMatch() || m_server->state() == QProcess::NotRunning;
        },
        30'000);
    if (!ok || !m_url.isValid() || m_server->state() != QProcess::Running)
        return false;
    if (m_url.scheme() == QLatin1String("wss")) {
        // Trust exactly the certificate ternd made (its SAN names 127.0.0.1), for every
        // QWebSocket of this process and of the worker processes it starts (environment).
        qputenv(kCaVariable, QFile::encodeName(dataDir + QStringLiteral("/tls/cert.pem")));
        if (!trustCaFromEnvironment())
            return false;
    }
    return true;
}

bool BenchEnv::trustCaFromEnvironment()
{
    const QString path = qEnvironmentVariable(kCaVariable);
    if (path.isEmpty())
        return true;
    const auto certs = QSslCertificate::fromPath(path);
    if (certs.isEmpty())
        return false;
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.addCaCertificates(certs);
    QSslConfiguration::setDefaultConfiguration(ssl);
    return true;
}

qint64 BenchEnv::serverPid() const
{
    return m_server ? m_server->processId() : -1;
}

double BenchEnv::serverCpuSeconds() const
{
    if (!m_server)
        return 0;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(m_server->processId()));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    // Fields after the ")" that ends the command name: utime is the 12th, stime the 13th.
    const QByteArray text = stat.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    const double ticks = double(fields.value(11).toLongLong() + fields.value(12).toLongLong());
    return ticks / double(sysconf(_SC_CLK_TCK));
}

double BenchEnv::ownCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

qint64 BenchEnv::serverRssKiB() const
{
    if (!m_server)
        return -1;
    QFile status(QStringLiteral("/proc/%1/status").arg(m_server->processId()));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

std::vector<std::unique_ptr<BenchClient>> BenchEnv::connect(int count, int timeoutMs)
{
    std::vector<std::unique_ptr<BenchClient>> clients;
    clients.reserve(std::size_t(count));
    // Open in waves so the server's accept backlog is not overrun.
    constexpr int kWave = 200;
    for (int start = 0; start < count; start += kWave) {
        const int end = std::min(count, start + kWave);
        for (int i = start; i < end; ++i) {
            clients.push_back(std::make_unique<BenchClient>());
            clients.back()->open(m_url);
        }
        const bool ok = spinUntil(
            [&] {
                for (int i = start; i < end; ++i) {
                    if (!clients[std::size_t(i)]->isOpen())
                        return false;
                }
                return true;
            },
            timeoutMs);
        if (!ok)
            return {};
    }
    return clients;
}

std::vector<std::unique_ptr<BenchClient>> BenchEnv::makeUsers(int count, const QString &prefix,
                                                              int timeoutMs)
{
    auto clients = connect(count, timeoutMs);
    if (clients.empty())
        return {};
    int registered = 0;
    int failures = 0;
    const QString password = QStringLiteral("bench-password");
    for (int i = 0; i < count; ++i) {
        clients[std::size_t(i)]->request(
            QJsonObject{{"type", "register"},
                        {"user", QStringLiteral("%1%2").arg(prefix).arg(i)},
                        {"password", password}},
            [&](const QJsonObject &r) {
                ++(r.value("type").toString() == QLatin1String("ack") ? registered : failures);
            });
    }
    if (!spinUntil([&] { return registered + failures == count; }, timeoutMs) || failures)
        return {};
    int loggedIn = 0;
    for (int i = 0; i < count; ++i) {
        BenchClient *c = clients[std::size_t(i)].get();
        c->request(QJsonObject{{"type", "login"},
                               {"user", QStringLiteral("%1%2").arg(prefix).arg(i)},
                               {"password", password},
                               {"device", "bench"}},
                   [&, c](const QJsonObject &r) {
                       if (r.value("type").toString() == QLatin1String("ack")) {
                           c->userId = r.value("user_id").toString();
                           c->token = r.value("token").toString();
                           c->deviceId = r.value("device_id").toString();
                           ++loggedIn;
                       } else {
                           ++failures;
                       }
                   });
    }
    if (!spinUntil([&] { return loggedIn + failures == count; }, timeoutMs) || failures)
        return {};
    return clients;
}

} // namespace tern::bench
