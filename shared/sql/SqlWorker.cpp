#include "SqlWorker.h"

#include "shared/core/Log.h"

#include <QMetaObject>

namespace tern::sql {

SqlWorker::SqlWorker(QString driver, QString connectionName)
    : m_driver(std::move(driver)), m_connectionName(std::move(connectionName))
{
    m_thread.setObjectName(QStringLiteral("tern-store"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

SqlWorker::~SqlWorker()
{
    // Process what is queued, then drop the connection on its own thread.
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            drain();
            m_db.reset();
        },
        Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        m_context, [this] { delete m_context; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

Status SqlWorker::start(std::function<Status(SqlDb &)> setup)
{
    Status status;
    // Startup happens before the server accepts connections, so waiting here blocks no client.
    QMetaObject::invokeMethod(
        m_context,
        [&] {
            m_db = std::make_unique<SqlDb>(m_driver, m_connectionName);
            status = setup(*m_db);
            if (status.ok())
                m_db->releaseStatements();
            else
                m_db.reset();
        },
        Qt::BlockingQueuedConnection);
    return status;
}

void SqlWorker::enqueue(Job job)
{
    bool schedule = false;
    m_backlog.fetchAndAddRelaxed(1);
    {
        QMutexLocker lock(&m_mutex);
        m_queue.push_back(std::move(job));
        schedule = !m_drainScheduled;
        m_drainScheduled = true;
    }
    if (schedule)
        QMetaObject::invokeMethod(
            m_context, [this] { drain(); }, Qt::QueuedConnection);
}

void SqlWorker::drain()
{
    for (;;) {
        std::vector<Job> jobs;
        {
            QMutexLocker lock(&m_mutex);
            if (m_queue.empty()) {
                m_drainScheduled = false;
                return;
            }
            jobs.swap(m_queue);
        }
        // Writes in order go together; a read waits for the writes queued before it.
        std::vector<Job> writes;
        for (Job &job : jobs) {
            if (job.write) {
                writes.push_back(std::move(job));
                if (int(writes.size()) >= kMaxBatch)
                    runWrites(writes);
                continue;
            }
            runWrites(writes);
            if (!m_db) {
                job.finish(false);
                continue;
            }
            job.run(*m_db);
            m_db->releaseStatements();
            job.finish(true);
        }
        runWrites(writes);
    }
}

void SqlWorker::runWrites(std::vector<Job> &writes)
{
    if (writes.empty())
        return;
    bool committed = false;
    m_failure = Error{ErrorCode::Internal, QStringLiteral("storage failed; not stored")};
    if (m_db && !m_db->beginWrite()) {
        qCWarning(lcStore) << "cannot begin a transaction for" << writes.size()
                           << "writes:" << m_db->lastError();
        m_failure = m_db->failure();
        // Should an earlier failure have left a transaction open, end it (none of its writes was
        // acked), or every later batch would fail the same way.
        m_db->database().rollback();
        m_db->noteRollback();
    } else if (m_db) {
        const quint64 fullBefore = m_db->storageFullCount();
        QSqlQuery *savepoint = m_db->prepared(QStringLiteral("SAVEPOINT job"));
        QSqlQuery *release = m_db->prepared(QStringLiteral("RELEASE SAVEPOINT job"));
        QSqlQuery *rollback = m_db->prepared(QStringLiteral("ROLLBACK TO SAVEPOINT job"));
        bool healthy = true;
        for (Job &job : writes) {
            if (!m_db->run(savepoint)) {
                healthy = false;
                break;
            }
            const bool keep = job.run(*m_db);
            if (!m_db->run(keep ? release : rollback)) {
                healthy = false;
                break;
            }
            if (!keep) {
                m_db->noteRollback();
                m_db->run(release); // ROLLBACK TO keeps the savepoint open
            }
        }
        if (healthy) {
            committed = m_db->database().commit();
            if (!committed) // e.g. SQLITE_FULL while writing the WAL
                m_db->noteError(m_db->database().lastError());
        }
        if (committed)
            m_commits.fetchAndAddRelaxed(1);
        if (!committed) {
            qCWarning(lcStore) << "group commit of" << writes.size()
                               << "writes failed:" << m_db->lastError();
            m_failure = m_db->failure();
            // A full disk may surface first in one job's statement; the error that ended the
            // batch (say, a savepoint SQLite had already rolled back) would hide it.
            if (m_db->storageFullCount() != fullBefore && !isStorageFull(m_failure))
                m_failure =
                    Error{ErrorCode::Internal, kStorageFull + QStringLiteral(": not stored")};
            m_db->database().rollback();
            m_db->noteRollback();
        }
    }
    if (m_db)
        m_db->releaseStatements();
    for (Job &job : writes)
        job.finish(committed);
    writes.clear();
}

} // namespace tern::sql
