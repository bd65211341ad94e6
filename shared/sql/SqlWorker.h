#pragma once

// The storage thread. Jobs submitted from any thread run on it in submission order; all write
// jobs that are waiting when the thread gets to them run in ONE transaction (group commit),
// each inside its own savepoint, and every write's future completes only after COMMIT returned.
// Reads run after the writes queued before them are committed.
// Lifetime: owns its QThread; the destructor processes what is queued, then stops the thread.

#include "shared/core/Result.h"
#include "shared/sql/SqlDb.h"

#include <QAtomicInteger>
#include <QFuture>
#include <QMutex>
#include <QObject>
#include <QPromise>
#include <QThread>

#include <functional>
#include <memory>
#include <vector>

namespace tern::sql {

class SqlWorker
{
public:
    //! `setup` runs once on the worker thread right after the connection is made (open, pragmas,
    //! migrations); its result is returned by start().
    SqlWorker(QString driver, QString connectionName);
    ~SqlWorker();

    Status start(std::function<Status(SqlDb &)> setup);

    template <typename T> QFuture<Result<T>> write(std::function<Result<T>(SqlDb &)> fn)
    {
        return submit<T>(std::move(fn), true);
    }
    template <typename T> QFuture<Result<T>> read(std::function<Result<T>(SqlDb &)> fn)
    {
        return submit<T>(std::move(fn), false);
    }

    //! Jobs submitted and not finished yet; callers bound the queue with it.
    int backlog() const { return m_backlog.loadRelaxed(); }

    //! Transactions committed so far (group commit makes this far smaller than the writes).
    quint64 commitCount() const { return m_commits.loadRelaxed(); }

    //! Largest number of writes in one transaction (the rest go into the next one).
    static constexpr int kMaxBatch = 4096;

private:
    struct Job
    {
        bool write = false;
        std::function<bool(SqlDb &)> run;        // false = roll this job's savepoint back
        std::function<void(bool stored)> finish; // stored=false: the transaction failed
    };

    template <typename T>
    QFuture<Result<T>> submit(std::function<Result<T>(SqlDb &)> fn, bool write)
    {
        auto promise = std::make_shared<QPromise<Result<T>>>();
        auto result = std::make_shared<Result<T>>();
        QFuture<Result<T>> future = promise->future();
        promise->start();
        Job job;
        job.write = write;
        job.run = [fn = std::move(fn), result](SqlDb &db) {
            *result = fn(db);
            return result->ok();
        };
        // Runs on the worker thread, where m_failure was set just before.
        job.finish = [this, promise, result](bool stored) {
            m_backlog.fetchAndSubRelaxed(1);
            if (stored)
                promise->addResult(*result);
            else
                promise->addResult(Result<T>(m_failure));
            promise->finish();
        };
        enqueue(std::move(job));
        return future;
    }

    void enqueue(Job job);
    void drain();
    void runWrites(std::vector<Job> &writes);

    QString m_driver;
    QString m_connectionName;
    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread; target of queued invocations
    std::unique_ptr<SqlDb> m_db;  // created, used and destroyed on m_thread only
    QMutex m_mutex;
    std::vector<Job> m_queue;
    bool m_drainScheduled = false;
    QAtomicInteger<quint64> m_commits = 0;
    QAtomicInteger<int> m_backlog = 0;
    // Why the last transaction failed (worker thread only): every write in it gets this answer.
    Error m_failure{ErrorCode::Internal, QStringLiteral("storage failed; not stored")};
};

} // namespace tern::sql
