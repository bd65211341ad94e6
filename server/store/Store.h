#pragma once

// The storage interface the routing and auth code talk to. Every call is asynchronous and
// thread-safe; results arrive as QFutures (awaitable with QCoro). Writes are acknowledged only
// after they are durably committed. A backend (SQLite today, PostgreSQL next) implements it.

#include "server/store/StoreTypes.h"
#include "shared/core/Result.h"
#include "shared/protocol/Messages.h"

#include <QFuture>
#include <QHash>
#include <QList>

namespace tern::server::store {

class Store
{
public:
    virtual ~Store() = default;

    // Accounts and devices
    virtual QFuture<Result<QString>> createUser(QString name, QString displayName,
                                                QString passwordHash) = 0;
    virtual QFuture<Result<UserRecord>> findUserByName(QString name) = 0;
    //! Also revokes every device token of the user, in the same commit.
    virtual QFuture<Status> setPasswordHash(QString userId, QString passwordHash) = 0;
    //! Disabling also revokes every device token of the user, in the same commit.
    virtual QFuture<Status> setDisabled(QString userId, bool disabled) = 0;
    virtual QFuture<Result<QList<UserRecord>>> listUsers() = 0;
    //! A new device with its token hash; its sync position starts where every conversation of
    //! the user stands now.
    virtual QFuture<Result<QString>> createDevice(QString userId, QString deviceName,
                                                  QString tokenHash) = 0;
    virtual QFuture<Result<DeviceSession>> authenticateToken(QString tokenHash) = 0;
    //! Records that the device's token was used now (for idle expiry).
    virtual QFuture<Status> touchDevice(QString deviceId) = 0;
    virtual QFuture<Status> revokeDevice(QString deviceId) = 0;
    virtual QFuture<Result<QList<protocol::UserInfo>>> searchUsers(QString query, int limit) = 0;
    //! Of `ids`, in their order and without duplicates: the asker themself and every user who
    //! is or was a member of a conversation the asker is or was a member of (the asker has
    //! seen their names in it). Unknown and unrelated ids are left out.
    virtual QFuture<Result<QList<protocol::UserInfo>>> users(QString asker, QStringList ids) = 0;
    //! Stores the user's new display name (already validated).
    virtual QFuture<Status> setDisplayName(QString userId, QString displayName) = 0;

    // Messages
    virtual QFuture<Result<AppendOutcome>> appendMessage(NewMessage message) = 0;
    virtual QFuture<Result<QList<protocol::ConversationSummary>>> conversations(QString userId) = 0;
    virtual QFuture<Result<QList<protocol::MessageEvent>>>
    history(QString userId, QString conversation, std::optional<qint64> beforeSeq, int limit) = 0;
    //! One page of the user's conversations, newest activity first, from `cursor` (empty: the
    //! start; bad cursors are bad_request). Skipped (internal) once `interest` has expired.
    virtual QFuture<Result<ConversationPage>>
    conversationsPage(QString userId, QString cursor, PageBudget budget, Interest interest) = 0;
    //! history() cut to `budget` (its rows are the limit), with the next page's before_seq.
    virtual QFuture<Result<HistoryPage>> historyPage(QString userId, QString conversation,
                                                     std::optional<qint64> beforeSeq,
                                                     PageBudget budget, Interest interest) = 0;

    // Search and "delete for me" (SqlStoreSearch.cpp)
    //! Text/image/file messages matching every word of `query.text` (as prefixes) that the user
    //! may read (membership windows) and has not hidden; best first. A cursor this store did
    //! not make for the same search is bad_request. Skipped once `interest` has expired.
    virtual QFuture<Result<SearchPage>> searchMessages(SearchQuery query, Interest interest) = 0;
    //! Hides `seqs` of `conversation` from the user (idempotent); seqs outside the user's
    //! membership window are ignored; not_found when the user was never a member. Returns the
    //! seqs newly hidden (sorted), which the user's devices are told of.
    virtual QFuture<Result<QList<qint64>>> hideMessages(QString userId, QString conversation,
                                                        QList<qint64> seqs) = 0;
    //! The user's hides after the device's hidden_pos, as events of at most 100 seqs each.
    virtual QFuture<Result<HiddenReplay>> hiddenSince(QString userId, QString deviceId,
                                                      Interest interest = {}) = 0;
    //! One bounded step (about `pages` index pages of work) of purging deleted messages' text
    //! from the search index's file, when a deletion marked it; true while more remain.
    virtual QFuture<Result<bool>> purgeSearchIndexStep(int pages) = 0;
    //! Indexes for search at most `rows` messages committed since the last step (sends are
    //! acked before they are indexed); true while more wait. searchMessages catches up first.
    virtual QFuture<Result<bool>> indexSearchStep(int rows) = 0;
    //! Moves the device's hidden_pos forward to `pos` (never back).
    virtual QFuture<Status> setHiddenPosition(QString deviceId, qint64 pos) = 0;

    // Groups. Permission failures are forbidden; non-members get not_found.
    virtual QFuture<Result<GroupChange>> createGroup(QString creator, QString name,
                                                     QStringList members, int memberLimit) = 0;
    virtual QFuture<Result<GroupChange>> addMembers(QString actor, QString conversation,
                                                    QStringList users, int memberLimit) = 0;
    virtual QFuture<Result<GroupChange>> removeMember(QString actor, QString conversation,
                                                      QString user) = 0;
    virtual QFuture<Result<GroupChange>> leaveConversation(QString actor, QString conversation) = 0;
    virtual QFuture<Result<GroupChange>> renameGroup(QString actor, QString conversation,
                                                     QString name) = 0;
    virtual QFuture<Result<GroupChange>> setRole(QString actor, QString conversation, QString user,
                                                 protocol::Role role) = 0;
    //! Current members of a conversation the asker belongs to (not_found otherwise).
    virtual QFuture<Result<QStringList>> members(QString asker, QString conversation) = 0;

    // Presence
    //! Users who share at least one conversation with `userId` (not counting themself).
    virtual QFuture<Result<QStringList>> contacts(QString userId) = 0;
    //! Store each user's last_seen (ms) in one transaction.
    virtual QFuture<Status> setLastSeen(QHash<QString, qint64> lastSeenMs) = 0;
    //! last_seen of each given user that has one.
    virtual QFuture<Result<QHash<QString, qint64>>> lastSeen(QStringList users) = 0;

    // Receipts
    virtual QFuture<Result<WatermarkOutcome>> moveWatermark(QString userId, QString deviceId,
                                                            QString conversation, qint64 seq,
                                                            bool read) = 0;
    //! Resolve client message ids among the user's conversations to (conversation, seq).
    virtual QFuture<Result<QList<QPair<QString, qint64>>>> resolveMessageIds(QString userId,
                                                                             QStringList ids) = 0;
    virtual QFuture<Result<QList<protocol::MemberReceipt>>>
    receipts(QString userId, QString conversation, qint64 seq) = 0;

    // Sync
    //! Like syncPage(), skipped (internal) once `interest` has expired.
    virtual QFuture<Result<QList<SyncRange>>> syncRanges(QString userId, QString deviceId,
                                                         Interest interest = {}) = 0;
    //! Messages of one range, oldest first, without the device's own messages: up to `limit`
    //! rows and about `maxBytes` of encoded JSON (at least one row), so a syncing link never
    //! holds more than that in memory however large the messages are. Skipped (internal) once
    //! `interest` has expired.
    virtual QFuture<Result<QList<protocol::MessageEvent>>> syncPage(QString deviceId,
                                                                    SyncRange range, int limit,
                                                                    qint64 maxBytes = 256 * 1024,
                                                                    Interest interest = {}) = 0;

    // Media (the bytes are files; these are the records)
    //! A new incomplete upload; limit_exceeded when the uploader's media (finished and in
    //! progress, each counted at least `minCharge`) would pass the quota, rate_limited when
    //! the uploader already has `maxOpen` incomplete uploads.
    virtual QFuture<Status> createUpload(MediaRecord record, UploadLimits limits) = 0;
    virtual QFuture<Result<MediaRecord>> mediaRecord(QString mediaId) = 0;
    virtual QFuture<Status> completeUpload(QString mediaId) = 0;
    virtual QFuture<Status> deleteUpload(QString mediaId) = 0;
    //! Finished media the user may download (uploader, or a current member of a conversation
    //! where a message referenced it, joined by then); not_found otherwise.
    virtual QFuture<Result<MediaRecord>> downloadableMedia(QString userId, QString mediaId) = 0;
    //! Incomplete uploads created before `createdBeforeMs`, oldest first.
    virtual QFuture<Result<QList<MediaRecord>>> staleUploads(qint64 createdBeforeMs, int limit) = 0;

    //! Completes once everything submitted before it has been processed (and committed).
    virtual QFuture<Status> flush() = 0;
    //! Jobs submitted and not finished yet (the storage queue's length), from any thread.
    virtual int backlog() const = 0;
};

//! True when `error` came from a full disk: the write was not stored and may succeed once space
//! returns. Its wire code is `internal` (clients retry those); HTTP answers 507.
bool isStorageFull(const Error &error);

} // namespace tern::server::store
