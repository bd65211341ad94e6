#pragma once

// Numbered schema migrations embedded as resources (DIR/NNN_*.sql, e.g. ":/tern/migrations"),
// applied in order, each in its own transaction, recorded in the schema_version table.

#include "shared/core/Result.h"
#include "shared/sql/SqlDb.h"

namespace tern::sql {

class Migrations
{
public:
    static int latestVersion(const QString &dir);
    //! Current version of an open database (0 for a new one).
    static Result<int> currentVersion(SqlDb &db);
    //! Bring the database up to `target` (default: latest).
    static Status migrate(SqlDb &db, const QString &dir, int target = -1);
};

} // namespace tern::sql
