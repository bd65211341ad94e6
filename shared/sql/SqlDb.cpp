#include "SqlDb.h"

#include "shared/core/Log.h"

#include <QSqlError>

namespace tern::sql {

SqlDb::SqlDb(const QString &driver, const QString &connectionName)
    : m_connectionName(connectionName), m_db(QSqlDatabase::addDatabase(driver, connectionName))
{}

SqlDb::~SqlDb()
{
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
        return it.value().get();
    }
    auto query = std::make_shared<QSqlQuery>(m_db);
    if (!query->prepare(sql)) {
        m_lastError = query->lastError().text();
        qCWarning(lcStore) << "prepare failed:" << m_lastError << sql;
    }
    m_statements.insert(sql, query);
    return query.get();
}

bool SqlDb::run(QSqlQuery *query, std::initializer_list<QVariant> values)
{
    int i = 0;
    for (const QVariant &v : values)
        query->bindValue(i++, v);
    if (query->exec())
        return true;
    m_lastError = query->lastError().text();
    qCWarning(lcStore) << "query failed:" << m_lastError << query->lastQuery();
    return false;
}

bool SqlDb::execDirect(const QString &sql)
{
    QSqlQuery query(m_db);
    if (query.exec(sql))
        return true;
    m_lastError = query.lastError().text();
    qCWarning(lcStore) << "statement failed:" << m_lastError << sql;
    return false;
}

Error SqlDb::failure() const
{
    return Error{ErrorCode::Internal, QStringLiteral("storage error: ") + m_lastError};
}

} // namespace tern::sql
