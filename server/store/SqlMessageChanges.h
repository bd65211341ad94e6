#pragma once

// The checks and effects of edits, deletions, reactions, replies and mentions (issue 19),
// inside appendMessage's job: a change rewrites its target in the same transaction as its
// event row. Called on the storage thread.

#include "server/store/SqlHelpers.h"
#include "server/store/StoreTypes.h"

namespace tern::server::store::ops {

//! What a change will act on, checked before a seq is taken.
struct ChangeCheck
{
    qint64 target = 0;
    QString mediaId; // the target's media, if any (a delete may free it)
    //! Set when the change is already done (a delete of a deleted message): answer with this
    //! earlier event, store nothing.
    std::optional<protocol::MessageEvent> earlier;
};

//! Permissions and target rules of an edit, delete or reaction by `m.senderUser`, a current
//! member (`membership`) of `conversation`: not_found, forbidden, conflict, bad_request or
//! limit_exceeded as docs/protocol.md says.
Result<ChangeCheck> checkChange(SqlDb &db, const QString &conversation,
                                const Membership &membership, const NewMessage &m);
//! Rewrites the target to its state after the checked change (event row at `eventSeq`); the
//! media a delete left unreferenced, whose records are removed.
Result<QStringList> applyChange(SqlDb &db, const QString &conversation, const NewMessage &m,
                                const ChangeCheck &check, qint64 eventSeq);
//! not_found unless `replyTo` names a visible, non-change message of the conversation.
Status checkReplyTarget(SqlDb &db, const QString &conversation, const Membership &membership,
                        qint64 replyTo);
//! `mentions` without duplicates and without users who are not in `members`.
QStringList keptMentions(const QStringList &mentions, const QStringList &members);

} // namespace tern::server::store::ops
