#pragma once

// What every tern-bench scenario needs: a ternd to talk to (started here as a child process, so
// its memory can be read), clients, accounts, a clock, and waiting without busy loops.

#include "tests/bench/BenchClient.h"

#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

#include <functional>
#include <memory>
#include <vector>

namespace tern::bench {

//! Monotonic nanoseconds, the same clock for every client in this process.
qint64 nowNs();

//! Spins the event loop until `done()` or the timeout; true when done.
bool spinUntil(const std::function<bool()> &done, int timeoutMs);

//! Spins until `done()`, for as long as `progress()` keeps moving: gives up when it has stood
//! still for `stallMs` or after `capMs` in all. A starved machine delivers late, not never; a
//! lost message stops the count for good. True when done.
bool spinWhileProgressing(const std::function<bool()> &done,
                          const std::function<qint64()> &progress, int stallMs, int capMs);

class BenchEnv
{
public:
    ~BenchEnv();

    //! Serve wss:// with the certificate ternd makes (trusted by this process's clients) instead
    //! of plain ws:// (--no-tls, the default: benches measure the server, not TLS).
    void setTls(bool tls) { m_tls = tls; }
    //! Trusts the CA file named by TERN_BENCH_CA (set by a --tls run for its workers), if any.
    static bool trustCaFromEnvironment();
    static constexpr const char *kCaVariable = "TERN_BENCH_CA";
    //! Start `ternd` (binary path) on 127.0.0.1 with a fresh data dir and cheap password hashes.
    bool startServer(const QString &terndPath, const QStringList &extraArgs = {});
    //! SIGKILL the server (no shutdown at all) and wait until it is gone.
    void killServer();
    //! SIGTERM the server and wait up to `timeoutMs` for it to exit. True only for a clean exit
    //! (status 0) in time; `elapsedMs` gets how long it took. A server still running at the
    //! timeout is SIGKILLed so the next start finds the data dir free.
    bool terminateServer(int timeoutMs, qint64 *elapsedMs = nullptr);
    bool serverRunning() const;
    //! Serve from `dir` instead of the private temporary dir (takes effect at the next start).
    void setDataDir(const QString &dir) { m_dataDirOverride = dir; }
    //! Where the started server keeps its data.
    QString dataDir() const
    {
        return m_dataDirOverride.isEmpty() ? m_dataDir.path() : m_dataDirOverride;
    }
    //! Start the same binary again on the same data dir (the port changes: see url()).
    bool restartServer();
    //! Or use a running server (no RSS figures then).
    void useServer(const QUrl &url) { m_url = url; }
    QUrl url() const { return m_url; }
    qint64 serverPid() const;
    //! CPU seconds (user + system) the server and this process have used so far.
    double serverCpuSeconds() const;
    static double ownCpuSeconds();
    //! Server resident memory in KiB (VmRSS), -1 when unknown.
    qint64 serverRssKiB() const;

    //! `count` connected, logged-in clients with fresh accounts; empty on failure.
    std::vector<std::unique_ptr<BenchClient>> makeUsers(int count, const QString &prefix,
                                                        int timeoutMs = 120'000);
    //! Connect `count` clients (no login).
    std::vector<std::unique_ptr<BenchClient>> connect(int count, int timeoutMs = 60'000);

private:
    QTemporaryDir m_dataDir;
    QString m_dataDirOverride;
    std::unique_ptr<QProcess> m_server;
    QString m_terndPath;
    QStringList m_extraArgs;
    QUrl m_url;
    bool m_tls = false;
};

} // namespace tern::bench
