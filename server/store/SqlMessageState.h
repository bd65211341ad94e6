#pragma once

// Reading and writing a message's issue-19 state (reply, forward, mentions, edits, deletion,
// reactions) next to the eleven shared columns. Called on the storage thread inside a job.

#include "server/store/StoreTypes.h"
#include "shared/core/Result.h"
#include "shared/sql/SqlDb.h"

class QSqlQuery;

namespace tern::server::store::ops {

using tern::sql::SqlDb;

//! The message in the current row of a SELECT of rows::kMessageSelectColumns (no reactions).
protocol::MessageEvent messageFromFullRow(const QSqlQuery &query);
//! True when a message has a field only the full insert stores (reply, mentions, ref, ...).
bool hasStoredExtras(const protocol::MessageEvent &message);
//! Fills in the current reactions of `messages` (all of `conversation`, seq ascending) with one
//! query over their seq range.
Status attachReactions(SqlDb &db, const QString &conversation,
                       QList<protocol::MessageEvent> &messages);
//! The newest message at or below `lastSeq` and at or above `joinedSeq` that is not a change
//! event and not hidden by `userId`, in its current state; nullopt when there is none.
Result<std::optional<protocol::MessageEvent>> lastShownMessage(SqlDb &db, const QString &userId,
                                                               const QString &conversation,
                                                               qint64 lastSeq, qint64 joinedSeq);
//! Clears the content of the change events among `messages` whose target is older than
//! `joinedSeq`: a member who joined later keeps the seq (no gap) but not the text of a message
//! they never saw (an edit's new text, a reaction's emoji). The Router does the same live.
void blindChangesBefore(QList<protocol::MessageEvent> &messages, qint64 joinedSeq);
//! Current members of `conversation` who joined after `seq`.
Result<QStringList> membersJoinedAfter(SqlDb &db, const QString &conversation, qint64 seq);

} // namespace tern::server::store::ops
