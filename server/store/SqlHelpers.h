#pragma once

// SQL building blocks shared by SqlStore's query files: membership, seq assignment, inserts.
// Called on the storage thread inside a job.

#include "server/store/StoreTypes.h"
#include "shared/core/Result.h"
#include "shared/sql/SqlDb.h"

namespace tern::server::store::ops {

using tern::sql::SqlDb;

//! The same answer for "does not exist" and "not yours", so non-members learn nothing.
Error conversationNotFound();

struct Membership
{
    protocol::Role role = protocol::Role::Member;
    qint64 joinedSeq = 0;
    qint64 deliveredSeq = 0;
    qint64 readSeq = 0;
};

//! The user's current membership of a conversation, or not_found.
Result<Membership> currentMembership(SqlDb &db, const QString &conversation, const QString &user);
Result<QStringList> currentMembers(SqlDb &db, const QString &conversation);
//! The key that names the direct conversation of two users, whichever of them asks.
QString directKey(const QString &a, const QString &b);
//! The direct conversation between two users (one user: saved messages), created on first use.
Result<QString> directConversation(SqlDb &db, const QString &from, const QString &to);
Result<std::optional<protocol::MessageEvent>> messageAtSeq(SqlDb &db, const QString &conversation,
                                                           qint64 seq);
//! Next gap-free seq of a conversation (bumps last_seq, and the activity time unless
//! `activity` is false: change events do not move a conversation up the list).
Result<qint64> nextSeq(SqlDb &db, const QString &conversation, qint64 nowMs, bool activity = true);
//! Insert a message whose seq the caller took from nextSeq.
Status insertMessage(SqlDb &db, const protocol::MessageEvent &message);
//! Finished media `userId` may download, or not_found (SqlStoreMedia.cpp).
Result<MediaRecord> downloadableMedia(SqlDb &db, const QString &userId, const QString &mediaId);
//! Record that a message at `seq` of `conversation` referenced the media. The latest reference
//! per conversation is kept (not the first): a member who joined before any message with the
//! media joined before the latest one, so "joined before the latest" is "can see one of them".
Status referenceMedia(SqlDb &db, const QString &mediaId, const QString &conversation, qint64 seq);
//! When a deletion marked the search index (search_purge), merges its segments by about `pages`
//! pages, which drops deleted text; clears the mark once everything is merged. True while work
//! remains.
Result<bool> purgeSearchIndex(SqlDb &db, int pages);
//! Indexes for search at most `rows` committed messages above the index's watermark
//! (search_indexed.upto), as they are now, and moves the watermark past them. True while rows
//! remain above it.
Result<bool> indexSearch(SqlDb &db, int rows);

} // namespace tern::server::store::ops
