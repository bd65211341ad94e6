#include "SqlDb.h"

#include "shared/core/Log.h"

#include <QSqlError>

namespace tern::sql {

namespace {
constexpr int kSqliteFull = 13; // SQLITE_FULL; the QSQLITE driver reports primary result codes
} // namespace

bool isStorageFull(const QSqlError &error)
{
    // Qt 6.4's QSQLITE drops the native code of a failed COMMIT and keeps only SQLite's text
    // (sqlite3_errstr(SQLITE_FULL)), so both are checked.
    return error.nativeErrorCode() == QString::number(kSqliteFull) ||
           error.databaseText().contains(QLatin1String("database or disk is full"));
}

bool isStorageFull(const Error &error)
{
    return error.message.startsWith(kStorageFull);
}

SqlDb::SqlDb(const QString &driver, const QString &connectionName)
    : m_connectionName(connectionName), m_db(QSqlDatabase::addDatabase(driver, connectionName))
{}

SqlDb::~SqlDb()
{
    m_handedOut.clear();
    m_statements.clear();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlQuery *SqlDb::prepared(const QString &sql)
{
    auto it = m_statements.find(sql);
    if (it != m_statements.end()) {
        it.value()->finish();
        m_handedOut.push_back(it.value().get());
        return it.value().get();
    }
    auto query = std::make_shared<QSqlQuery>(m_db);
    // Every caller walks its rows once with next(); a scrollable query would copy each row
    // into a cache on the way.
    query->setForwardOnly(true);
    if (!query->prepare(sql)) {
        noteError(query->lastError());
        qCWarning(lcStore) << "prepare failed:" << m_lastError << sql;
    }
    m_statements.insert(sql, query);
    m_handedOut.push_back(query.get());
    return query.get();
}

void SqlDb::releaseStatements()
{
    for (QSqlQuery *query : m_handedOut)
        query->finish();
    m_handedOut.clear();
}

bool SqlDb::run(QSqlQuery *query, std::initializer_list<QVariant> values)
{
    int i = 0;
    for (const QVariant &v : values)
        query->bindValue(i++, v);
    if (query->exec())
        return true;
    noteError(query->lastError());
    qCWarning(lcStore) << "query failed:" << m_lastError << query->lastQuery();
    return false;
}

bool SqlDb::execDirect(const QString &sql)
{
    QSqlQuery query(m_db);
    query.setForwardOnly(true);
    if (query.exec(sql))
        return true;
    noteError(query.lastError());
    qCWarning(lcStore) << "statement failed:" << m_lastError << sql;
    return false;
}

bool SqlDb::beginWrite()
{
    if (m_db.driverName() != QLatin1String("QSQLITE")) {
        if (m_db.transaction())
            return true;
        noteError(m_db.lastError());
        return false;
    }
    QSqlQuery query(m_db);
    if (query.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return true;
    noteError(query.lastError());
    return false;
}

void SqlDb::noteError(const QSqlError &error)
{
    m_lastError = error.text();
    m_lastErrorFull = isStorageFull(error);
    if (m_lastErrorFull)
        ++m_storageFullCount;
}

Error SqlDb::failure() const
{
    if (m_lastErrorFull)
        return Error{ErrorCode::Internal,
                     kStorageFull + QStringLiteral(": not stored (") + m_lastError + u')'};
    return Error{ErrorCode::Internal, QStringLiteral("storage error: ") + m_lastError};
}

} // namespace tern::sql
