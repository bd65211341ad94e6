#pragma once

// One open QtSql connection with a cache of prepared statements. Used only on the storage
// worker thread that created it.

#include "shared/core/Result.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <initializer_list>
#include <memory>
#include <vector>

namespace tern::sql {

//! How the text of every error caused by a full disk (SQLITE_FULL) begins. The wire code stays
//! `internal`, which clients treat as transient (they keep the message and retry); the text lets
//! the server pick a better answer where it has one (HTTP 507) and tells people what happened.
inline constexpr QLatin1StringView kStorageFull{"storage full"};

//! True for SQLite's SQLITE_FULL ("database or disk is full").
bool isStorageFull(const QSqlError &error);
//! True for an Error made from one (see kStorageFull).
bool isStorageFull(const Error &error);

class SqlDb
{
public:
    SqlDb(const QString &driver, const QString &connectionName);
    ~SqlDb();
    SqlDb(const SqlDb &) = delete;
    SqlDb &operator=(const SqlDb &) = delete;

    QSqlDatabase &database() { return m_db; }
    //! A prepared statement for `sql`, cached for reuse; bound values are replaced by run().
    QSqlQuery *prepared(const QString &sql);
    //! Resets every statement handed out since the last call. A SELECT stepped but not reset
    //! keeps SQLite's read transaction (its snapshot) open: another process's commit then makes
    //! this connection's next write fail with "database is locked" (SQLITE_BUSY_SNAPSHOT) until
    //! the statement is reused. SqlWorker calls it after every job outside a transaction and
    //! after every commit.
    void releaseStatements();
    //! Bind `values` positionally and execute. Logs and records the first error.
    bool run(QSqlQuery *query, std::initializer_list<QVariant> values = {});
    //! Execute a statement once, unprepared (pragmas, DDL).
    bool execDirect(const QString &sql);
    //! Begins a write transaction holding SQLite's write lock from the start. A deferred BEGIN
    //! takes it at the first write, after the batch's first read: if another process (the
    //! admin CLI, a backup) writes then, SQLite fails at once with "database is locked"
    //! instead of waiting out the busy timeout, because a connection already reading may not
    //! wait for a writer. End it with database().commit() or rollback().
    bool beginWrite();

    QString lastError() const { return m_lastError; }
    //! The last error as an Error (`internal`; its text starts with kStorageFull when the disk
    //! was full).
    Error failure() const;
    //! Records an error the caller saw outside run()/execDirect() (e.g. on COMMIT).
    void noteError(const QSqlError &error);
    //! How many errors so far were SQLITE_FULL (a batch compares it before and after).
    quint64 storageFullCount() const { return m_storageFullCount; }
    //! Called whenever written rows are undone (a savepoint or a transaction rolled back), so
    //! caches of committed rows kept beside the connection know to forget what they learned.
    void noteRollback() { ++m_rollbackCount; }
    quint64 rollbackCount() const { return m_rollbackCount; }

private:
    QString m_connectionName;
    QSqlDatabase m_db;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
    std::vector<QSqlQuery *> m_handedOut; // since the last releaseStatements()
    QString m_lastError;
    bool m_lastErrorFull = false;
    quint64 m_storageFullCount = 0;
    quint64 m_rollbackCount = 0;
};

} // namespace tern::sql
