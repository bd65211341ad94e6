#pragma once

// Numbered schema migrations embedded as resources (:/tern/migrations/NNN_*.sql), applied in
// order, each in its own transaction, recorded in the schema_version table.

#include "server/store/SqlDb.h"
#include "shared/core/Result.h"

namespace tern::server::store {

class Migrations
{
public:
    static int latestVersion();
    //! Current version of an open database (0 for a new one).
    static Result<int> currentVersion(SqlDb &db);
    //! Bring the database up to `target` (default: latest).
    static Status migrate(SqlDb &db, int target = -1);
};

} // namespace tern::server::store
