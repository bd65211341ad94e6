#pragma once

// One open QtSql connection with a cache of prepared statements. Used only on the storage
// worker thread that created it.

#include "shared/core/Result.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <initializer_list>
#include <memory>

namespace tern::sql {

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
    //! Bind `values` positionally and execute. Logs and records the first error.
    bool run(QSqlQuery *query, std::initializer_list<QVariant> values = {});
    //! Execute a statement once, unprepared (pragmas, DDL).
    bool execDirect(const QString &sql);

    QString lastError() const { return m_lastError; }
    Error failure() const;

private:
    QString m_connectionName;
    QSqlDatabase m_db;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
    QString m_lastError;
};

} // namespace tern::sql
