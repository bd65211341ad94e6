#include "Fleet.h"

#include <QCoreApplication>
#include <QDir>

#include <csignal>

namespace tern::bench {

namespace {
constexpr int kStartTimeoutMs = 10'000;
constexpr int kQuitTimeoutMs = 10'000;
// Generous: 9,000 sessions per worker on two shared cores.
constexpr int kPhaseTimeoutMs = 180'000;

Fleet::Reply parseReply(const QByteArray &line)
{
    Fleet::Reply reply;
    const QList<QByteArray> words = line.trimmed().split(' ');
    for (const QByteArray &word : words) {
        const qsizetype eq = word.indexOf('=');
        if (eq > 0)
            reply.insert(QString::fromLatin1(word.left(eq)), word.mid(eq + 1).toDouble());
    }
    reply.insert(QStringLiteral("answered"), 1);
    return reply;
}
} // namespace

int processFdCount(qint64 pid)
{
    if (pid <= 0)
        return -1;
    const QDir fds(QStringLiteral("/proc/%1/fd").arg(pid));
    if (!fds.exists())
        return -1;
    return int(fds.entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System).size());
}

int fleetProcs(int asked, int clients)
{
    const int needed = (clients + kMaxSocketsPerWorker - 1) / kMaxSocketsPerWorker;
    if (asked <= 0)
        asked = (clients + kDefaultSocketsPerWorker - 1) / kDefaultSocketsPerWorker;
    return std::max({1, asked, needed});
}

int startFleet(BenchEnv &env, Fleet &fleet, const char *scenario, int clients, int askedProcs,
               QTextStream &out)
{
    if (clients <= 0 || env.serverPid() <= 0) {
        out << scenario << ": needs --clients N and a ternd started by tern-bench\n";
        return 2;
    }
    const int procs = fleetProcs(askedProcs, clients);
    if (!fleet.start(procs, env.url())) {
        out << scenario << ": cannot start " << procs << " workers\n";
        return 1;
    }
    out << scenario << ": " << clients << " sessions from " << procs << " worker processes\n";
    return 0;
}

int shareOf(int clients, int procs, int worker)
{
    return clients / procs + (worker < clients % procs ? 1 : 0);
}

Fleet::~Fleet()
{
    for (Worker &w : m_workers) {
        if (w.process->state() == QProcess::NotRunning)
            continue;
        w.process->write("quit\n");
        if (!w.process->waitForFinished(kQuitTimeoutMs)) {
            ::kill(pid_t(w.process->processId()), SIGKILL);
            w.process->waitForFinished(kQuitTimeoutMs);
        }
    }
}

bool Fleet::start(int procs, const QUrl &url)
{
    for (int i = 0; i < procs; ++i) {
        Worker w;
        w.process = std::make_unique<QProcess>();
        w.process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        w.process->start(
            QCoreApplication::applicationFilePath(),
            QStringList{QStringLiteral("worker"), QStringLiteral("--url"), url.toString()});
        if (!w.process->waitForStarted(kStartTimeoutMs))
            return false;
        m_workers.push_back(std::move(w));
    }
    return true;
}

std::vector<Fleet::Reply> Fleet::run(const std::function<QString(int)> &command, int timeoutMs)
{
    std::vector<Reply> replies(m_workers.size());
    std::vector<bool> answered(m_workers.size(), false);
    for (std::size_t i = 0; i < m_workers.size(); ++i)
        m_workers[i].process->write((command(int(i)) + QLatin1Char('\n')).toUtf8());
    spinUntil(
        [&] {
            bool all = true;
            for (std::size_t i = 0; i < m_workers.size(); ++i) {
                Worker &w = m_workers[i];
                w.buffer += w.process->readAllStandardOutput();
                const qsizetype end = w.buffer.indexOf('\n');
                if (!answered[i] && end >= 0) {
                    replies[i] = parseReply(w.buffer.left(end));
                    w.buffer.remove(0, end + 1);
                    answered[i] = true;
                }
                all = all && (answered[i] || w.process->state() == QProcess::NotRunning);
            }
            return all;
        },
        timeoutMs);
    return replies;
}

double Fleet::sum(const std::vector<Reply> &replies, const QString &key)
{
    double total = 0;
    for (const Reply &r : replies)
        total += r.value(key);
    return total;
}

double Fleet::max(const std::vector<Reply> &replies, const QString &key)
{
    double best = 0;
    for (const Reply &r : replies)
        best = std::max(best, r.value(key));
    return best;
}

QJsonObject PhaseResult::json() const
{
    return QJsonObject{{"phase", name},
                       {"ok", double(ok)},
                       {"failed", double(fail)},
                       {"seconds", seconds},
                       {"per_second", perSecond()},
                       {"bench_cpu_s", benchCpu},
                       {"server_cpu_s", serverCpu}};
}

QString PhaseResult::row() const
{
    return QStringLiteral("  %1 %2 ok, %3 failed, %4 s, %5/s; CPU s: server %6, bench %7")
        .arg(name, -16)
        .arg(ok)
        .arg(fail)
        .arg(seconds, 0, 'f', 2)
        .arg(perSecond(), 0, 'f', 0)
        .arg(serverCpu, 0, 'f', 2)
        .arg(benchCpu, 0, 'f', 2);
}

namespace {
//! Runs one command on every worker and times it; the CPU figures are deltas.
PhaseResult timedPhase(BenchEnv &env, Fleet &fleet, const QString &name,
                       const std::function<QString(int)> &command, std::vector<double> &workerCpu)
{
    PhaseResult phase;
    phase.name = name;
    const double server0 = env.serverCpuSeconds();
    const qint64 start = nowNs();
    const std::vector<Fleet::Reply> replies = fleet.run(command, kPhaseTimeoutMs);
    phase.seconds = double(nowNs() - start) / 1e9;
    phase.serverCpu = env.serverCpuSeconds() - server0;
    for (std::size_t i = 0; i < replies.size(); ++i) {
        const Fleet::Reply &r = replies[i];
        phase.ok += qint64(r.value(QStringLiteral("ok")));
        phase.fail += qint64(r.value(QStringLiteral("fail")));
        if (!r.contains(QStringLiteral("answered")))
            phase.fail += 1; // a worker that died or timed out
        const double cpu = r.value(QStringLiteral("cpu"), workerCpu[i]);
        phase.benchCpu += cpu - workerCpu[i];
        workerCpu[i] = cpu;
    }
    return phase;
}
} // namespace

IdleSessions establishIdleSessions(BenchEnv &env, Fleet &fleet, int clients, QTextStream &out)
{
    IdleSessions s;
    s.clients = clients;
    std::vector<double> workerCpu(std::size_t(fleet.size()), 0.0);
    const int procs = fleet.size();
    const QString prefix = QStringLiteral("f%1-").arg(nowNs() % 1'000'000);
    auto connectAll = [&](const QString &name) {
        const QString url = env.url().toString();
        return timedPhase(
            env, fleet, name,
            [&](int w) {
                return QStringLiteral("connect %1 %2").arg(url).arg(shareOf(clients, procs, w));
            },
            workerCpu);
    };
    auto perWorker = [&](const QString &verb) {
        return
            [verb, prefix](int w) { return QStringLiteral("%1 %2w%3-").arg(verb, prefix).arg(w); };
    };
    auto record = [&](PhaseResult phase) {
        out << phase.row() << "\n" << Qt::flush;
        const bool ok = phase.fail == 0 && phase.ok == clients;
        s.phases.push_back(std::move(phase));
        return ok;
    };

    out << "accounts (ternd --password-cost min):\n";
    if (!record(connectAll(QStringLiteral("connect"))) ||
        !record(
            timedPhase(env, fleet, QStringLiteral("register"), perWorker("register"), workerCpu)) ||
        !record(timedPhase(env, fleet, QStringLiteral("password login"), perWorker("login"),
                           workerCpu)))
        return s;
    timedPhase(
        env, fleet, QStringLiteral("close"), [](int) { return QStringLiteral("close"); },
        workerCpu);

    // A fresh process, so the baseline is not a heap the account phase already grew.
    qint64 stopMs = 0;
    if (!env.terminateServer(15'000, &stopMs))
        out << "ternd did not exit cleanly within 15 s of SIGTERM (" << stopMs << " ms)\n";
    if (!env.restartServer()) {
        out << "cannot restart ternd\n";
        return s;
    }
    spinUntil([] { return false; }, 500);
    s.rssBeforeKiB = env.serverRssKiB();
    s.fdsBefore = processFdCount(env.serverPid());
    out << "sessions on a fresh ternd (RSS " << s.rssBeforeKiB / 1024.0 << " MiB, " << s.fdsBefore
        << " fds):\n";
    if (!record(connectAll(QStringLiteral("connect"))))
        return s;
    spinUntil([] { return false; }, 500);
    s.rssConnectedKiB = env.serverRssKiB();
    if (!record(timedPhase(
            env, fleet, QStringLiteral("token auth"), [](int) { return QStringLiteral("auth"); },
            workerCpu)))
        return s;
    // Idle: deferred deletes, presence timers and the first heartbeats have run.
    spinUntil([] { return false; }, 3000);
    s.rssAuthedKiB = env.serverRssKiB();
    s.fdsAfter = processFdCount(env.serverPid());
    s.ok = true;
    return s;
}

} // namespace tern::bench
