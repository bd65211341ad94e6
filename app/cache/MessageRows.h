#pragma once

//! How LocalStore keeps a message row with every issue-19 field and applies change events
//! (edit, delete, reaction) and "delete for me" to the cached rows. Internal to app/cache.

#include "shared/core/Result.h"
#include "shared/protocol/Messages.h"

#include <QList>
#include <QString>
#include <QVariant>

class QSqlQuery;

namespace tern::sql {
class SqlDb;
}

namespace tern::app::cache::rows {

//! The eleven columns shared with the server's row mapping, then the issue-19 ones.
extern const QString kColumns;

//! The message in the current row of `query`, selected with kColumns.
protocol::MessageEvent fromRow(const QSqlQuery &query);

//! What storing one message did.
struct Stored
{
    bool inserted = false;    // new by (conversation, seq)
    bool textRemoved = false; // text left a row (deletion): the index needs its purge
};

//! Inserts `m` unless cached. A new change event is applied to its cached target; a cached
//! message of another kind takes the state `m` carries (history and sync bring the server's
//! current state). Keeps the conversation's last_seq and last_message current.
Result<Stored> store(sql::SqlDb &db, const protocol::MessageEvent &m);

//! "Delete for me": the rows stay (seqs contiguous) without content, media and reactions.
//! Returns whether any row changed.
Result<bool> hide(sql::SqlDb &db, const QString &conversation, const QList<qint64> &seqs);

//! Rewrites the search index's segments into one, which drops the words of deleted rows that
//! FTS5 only marked as deleted (with secure_delete the freed pages are zeroed too).
Status purgeSearchIndex(sql::SqlDb &db);

//! The mentions column: a JSON array of user ids, NULL when there are none.
QVariant mentionsColumn(const QStringList &mentions);
QStringList mentionsFrom(const QVariant &value);

} // namespace tern::app::cache::rows
