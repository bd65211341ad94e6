#pragma once

// Many sessions from several processes: one tern-bench process cannot hold more than ~20,000
// sockets (the open-file limit), and one event loop would make the bench, not the server, the
// thing being measured. The parent starts `tern-bench worker` children and drives them phase by
// phase over their stdin/stdout, one line a command and one `done` line a reply:
//
//   connect URL COUNT     open COUNT WebSockets (no login)
//   register PREFIX       register user PREFIX<i> on socket i (cheap hashes: see BenchEnv)
//   login PREFIX          password login on each socket; keeps the tokens
//   auth                  token `auth` on each open socket
//   close                 close every socket and wait until they are gone
//   storm URL             drop the old sockets, open all again at once, `auth` + `sync` each
//   quit
//
// A reply is `done VERB key=value ...` with at least ok=, fail= and cpu= (the worker's CPU
// seconds so far), so the parent can tell the bench's cost from the server's.

#include "tests/bench/BenchEnv.h"

#include <QHash>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QTextStream>

#include <functional>
#include <memory>
#include <vector>

namespace tern::bench {

//! Sockets one worker may hold: below the 20,000 open-file limit with room for the rest.
constexpr int kMaxSocketsPerWorker = 9000;
//! Sockets a worker holds by default (workers run on the epoll dispatcher, so their cost per
//! event does not grow with their sockets; two workers still use both cores in a storm).
constexpr int kDefaultSocketsPerWorker = 8000;

//! Open file descriptors of process `pid` (-1 when unknown).
int processFdCount(qint64 pid);

class Fleet
{
public:
    using Reply = QHash<QString, double>;

    ~Fleet();
    //! Starts `procs` workers; false when one does not start.
    bool start(int procs, const QUrl &url);
    int size() const { return int(m_workers.size()); }
    //! Sends worker i the line `command(i)` and waits (event loop running) for every reply, up to
    //! `timeoutMs`. Replies of workers that did not answer are empty (and count as failures).
    std::vector<Reply> run(const std::function<QString(int)> &command, int timeoutMs);
    static double sum(const std::vector<Reply> &replies, const QString &key);
    static double max(const std::vector<Reply> &replies, const QString &key);

private:
    struct Worker
    {
        std::unique_ptr<QProcess> process;
        QByteArray buffer;
    };
    std::vector<Worker> m_workers;
};

//! One timed fleet phase as the parent saw it.
struct PhaseResult
{
    QString name;
    qint64 ok = 0;
    qint64 fail = 0;
    double seconds = 0;
    double benchCpu = 0;  // CPU seconds all workers spent in the phase
    double serverCpu = 0; // CPU seconds ternd spent in the phase

    double perSecond() const { return seconds > 0 ? double(ok) / seconds : 0; }
    QJsonObject json() const;
    QString row() const;
};

//! N idle, token-authenticated sessions spread over a fleet, on a freshly started ternd, with
//! what it cost the server. Shared by the `connections` and `storm` scenarios.
struct IdleSessions
{
    int clients = 0;
    std::vector<PhaseResult> phases; // accounts: connect, register, login; then connect, auth
    qint64 rssBeforeKiB = -1;        // fresh ternd, no connection
    qint64 rssConnectedKiB = -1;     // all sockets open, none authenticated
    qint64 rssAuthedKiB = -1;        // all authenticated and idle
    int fdsBefore = -1;
    int fdsAfter = -1;
    bool ok = false;
};

//! Creates `clients` accounts (connect, register, password login: tokens kept), restarts ternd
//! so its memory starts clean (glibc keeps a freed heap), then connects and token-authenticates
//! every session and lets it go idle. Prints progress to `out`.
IdleSessions establishIdleSessions(BenchEnv &env, Fleet &fleet, int clients, QTextStream &out);

//! Checks `clients` and that tern-bench started ternd, then starts the workers for `scenario`
//! and says so on `out`. 0 when they run, else the exit code (2: bad arguments, 1: failed).
int startFleet(BenchEnv &env, Fleet &fleet, const char *scenario, int clients, int askedProcs,
               QTextStream &out);

//! Workers for `clients` sessions: `asked` (0: one per kDefaultSocketsPerWorker), but at least
//! enough for kMaxSocketsPerWorker each.
int fleetProcs(int asked, int clients);

//! Splits `clients` over `procs` workers (the first ones take the remainder).
int shareOf(int clients, int procs, int worker);

} // namespace tern::bench
