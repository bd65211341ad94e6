#pragma once

// tern-bench scenarios. Each prints a human table and fills `result` (written as JSON).

#include "tests/bench/BenchEnv.h"
#include "tests/bench/Stats.h"

#include <QCommandLineParser>
#include <QJsonObject>

namespace tern::bench {

int runGroup(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result);
int runDirect(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result);
int runSync(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result);
int runCrash(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result);
int runMedia(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result);
//! Needs root (mounts a tmpfs); returns 77 (skipped) when it cannot mount.
int runDiskFull(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result);
//! Idle authenticated sessions from worker processes: server memory per connection, logins/s.
int runConnections(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result);
//! Every session reconnects at once after a graceful restart: time to all authed and synced.
int runStorm(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result);
//! The hidden `worker` mode behind connections and storm (commands on stdin, see Fleet.h).
int runWorker(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result);
//! Issue 15's attacks from `clients` sockets while a normal pair talks: peak RSS, pair's p99.
int runHostile(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result);
//! Server-side `search` latency over `backlog` messages seeded straight into the database.
int runSearch(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result);
//! `direct --search`: the highest rate whose p99 stays under 100 ms.
int runDirectSearch(BenchEnv &env, const QCommandLineParser &args, QJsonObject *result);

//! Open-loop 1:1 load: `pairs` sender->receiver pairs at `rate` msg/s in total for
//! `durationMs`; latency from each message's scheduled send time to its arrival, and to its
//! ack in `ackLatency` (a gap between the two is time a message waited after being stored).
struct DirectLoad
{
    Stats ackLatency;
    double achievedRate = 0;
    qint64 sent = 0;
    qint64 received = 0;
    qint64 duplicates = 0;
    qint64 acked = 0;
};
DirectLoad driveDirect(std::vector<std::unique_ptr<BenchClient>> &clients, double rate,
                       int durationMs, class Stats &latency,
                       const std::function<void()> &tick = {});

} // namespace tern::bench
