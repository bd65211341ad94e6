#include "SqlRows.h"

#include "shared/sql/MessageRow.h"

namespace tern::server::store::rows {

protocol::MessageEvent messageAt(const QSqlQuery &query)
{
    // The app's cache maps its rows with the same helper (shared/sql/MessageRow.h).
    return sql::messageFromRow(query);
}

} // namespace tern::server::store::rows
