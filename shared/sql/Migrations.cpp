#include "Migrations.h"

#include "shared/core/Log.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlQuery>

#include <map>

namespace tern::sql {

namespace {
std::map<int, QString> migrationFiles(const QString &resourceDir)
{
    std::map<int, QString> files;
    const QDir dir(resourceDir);
    for (const QString &name : dir.entryList({QStringLiteral("*.sql")}, QDir::Files)) {
        const int version = name.section(QLatin1Char('_'), 0, 0).toInt();
        if (version > 0)
            files.emplace(version, dir.filePath(name));
    }
    return files;
}

QStringList statements(const QString &script)
{
    QString text;
    for (const QString &line : script.split(QLatin1Char('\n'))) {
        if (!line.trimmed().startsWith(QLatin1String("--")))
            text += line + QLatin1Char('\n');
    }
    // A trigger's body holds statements of its own: its parts are joined up to its END (a
    // line of its own).
    QStringList out;
    bool inTrigger = false;
    for (const QString &part : text.split(QLatin1Char(';'))) {
        const QString trimmed = part.trimmed();
        if (inTrigger) {
            out.last() += QStringLiteral(";\n") + trimmed;
        } else if (!trimmed.isEmpty()) {
            out << trimmed;
            inTrigger = trimmed.startsWith(QLatin1String("CREATE TRIGGER"), Qt::CaseInsensitive);
        }
        if (inTrigger && trimmed.compare(QLatin1String("END"), Qt::CaseInsensitive) == 0)
            inTrigger = false;
    }
    return out;
}
} // namespace

int Migrations::latestVersion(const QString &dir)
{
    const auto files = migrationFiles(dir);
    return files.empty() ? 0 : files.rbegin()->first;
}

Result<int> Migrations::currentVersion(SqlDb &db)
{
    if (!db.execDirect(
            QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")))
        return db.failure();
    QSqlQuery query(db.database());
    if (!query.exec(QStringLiteral("SELECT MAX(version) FROM schema_version")))
        return db.failure();
    return query.next() ? query.value(0).toInt() : 0;
}

Status Migrations::migrate(SqlDb &db, const QString &dir, int target)
{
    if (target < 0)
        target = latestVersion(dir);
    Result<int> current = currentVersion(db);
    if (!current)
        return current.error();
    if (*current > latestVersion(dir))
        return Error{ErrorCode::Internal,
                     QStringLiteral("database schema v%1 is newer than this ternd (v%2)")
                         .arg(*current)
                         .arg(latestVersion(dir))};
    for (const auto &[version, path] : migrationFiles(dir)) {
        if (version <= *current || version > target)
            continue;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return Error{ErrorCode::Internal, QStringLiteral("cannot read migration ") + path};
        if (!db.database().transaction())
            return db.failure();
        bool ok = true;
        for (const QString &statement : statements(QString::fromUtf8(file.readAll())))
            ok = ok && db.execDirect(statement);
        ok = ok &&
             db.execDirect(
                 QStringLiteral("INSERT INTO schema_version (version) VALUES (%1)").arg(version));
        if (!ok || !db.database().commit()) {
            db.database().rollback();
            db.noteRollback();
            return Error{
                ErrorCode::Internal,
                QStringLiteral("migration %1 failed: %2").arg(version).arg(db.lastError())};
        }
        qCInfo(lcStore) << "schema migrated to version" << version;
    }
    return Ok{};
}

} // namespace tern::sql
