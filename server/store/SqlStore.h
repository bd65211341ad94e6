#pragma once

// The QtSql implementation of Store, SQLite only (QSQLITE, WAL, synchronous=FULL). Most SQL is
// portable (ON CONFLICT, RETURNING, savepoints), but no other driver has been run against it.
// Threading: all SQL runs on the SqlWorker thread; public methods may be called from any thread.

#include "server/store/DirectCache.h"
#include "server/store/Store.h"
#include "shared/sql/SqlWorker.h"

#include <memory>

namespace tern::server::store {

using tern::sql::SqlDb;
using tern::sql::SqlWorker;

class SqlStore final : public Store
{
public:
    //! An SQLite store in `dataDir` (file ternd.sqlite).
    explicit SqlStore(QString dataDir);
    ~SqlStore() override;

    //! Open the database and run migrations (blocking; called before serving).
    Status start();
    //! Newest schema version this build knows.
    static int schemaVersion();
    //! Write transactions committed so far (for tests and benchmarks of group commit).
    quint64 commitCount() const { return m_worker->commitCount(); }

    QFuture<Result<QString>> createUser(QString name, QString displayName,
                                        QString passwordHash) override;
    QFuture<Result<UserRecord>> findUserByName(QString name) override;
    QFuture<Status> setPasswordHash(QString userId, QString passwordHash) override;
    QFuture<Status> setDisabled(QString userId, bool disabled) override;
    QFuture<Result<QList<UserRecord>>> listUsers() override;
    QFuture<Result<QString>> createDevice(QString userId, QString deviceName,
                                          QString tokenHash) override;
    QFuture<Result<DeviceSession>> authenticateToken(QString tokenHash) override;
    QFuture<Status> touchDevice(QString deviceId) override;
    QFuture<Status> revokeDevice(QString deviceId) override;
    QFuture<Result<QList<protocol::UserInfo>>> searchUsers(QString query, int limit) override;
    QFuture<Result<QList<protocol::UserInfo>>> users(QString asker, QStringList ids) override;
    QFuture<Status> setDisplayName(QString userId, QString displayName) override;

    QFuture<Result<AppendOutcome>> appendMessage(NewMessage message) override;
    QFuture<Result<QList<protocol::ConversationSummary>>> conversations(QString userId) override;
    QFuture<Result<QList<protocol::MessageEvent>>> history(QString userId, QString conversation,
                                                           std::optional<qint64> beforeSeq,
                                                           int limit) override;
    QFuture<Result<ConversationPage>> conversationsPage(QString userId, QString cursor,
                                                        PageBudget budget,
                                                        Interest interest) override;
    QFuture<Result<HistoryPage>> historyPage(QString userId, QString conversation,
                                             std::optional<qint64> beforeSeq, PageBudget budget,
                                             Interest interest) override;
    int backlog() const override { return m_worker->backlog(); }

    QFuture<Result<SearchPage>> searchMessages(SearchQuery query, Interest interest) override;
    QFuture<Result<bool>> purgeSearchIndexStep(int pages) override;
    QFuture<Result<bool>> indexSearchStep(int rows) override;
    QFuture<Result<QList<qint64>>> hideMessages(QString userId, QString conversation,
                                                QList<qint64> seqs) override;
    QFuture<Result<HiddenReplay>> hiddenSince(QString userId, QString deviceId,
                                              Interest interest = {}) override;
    QFuture<Status> setHiddenPosition(QString deviceId, qint64 pos) override;

    QFuture<Result<GroupChange>> createGroup(QString creator, QString name, QStringList members,
                                             int memberLimit) override;
    QFuture<Result<GroupChange>> addMembers(QString actor, QString conversation, QStringList users,
                                            int memberLimit) override;
    QFuture<Result<GroupChange>> removeMember(QString actor, QString conversation,
                                              QString user) override;
    QFuture<Result<GroupChange>> leaveConversation(QString actor, QString conversation) override;
    QFuture<Result<GroupChange>> renameGroup(QString actor, QString conversation,
                                             QString name) override;
    QFuture<Result<GroupChange>> setRole(QString actor, QString conversation, QString user,
                                         protocol::Role role) override;
    QFuture<Result<QStringList>> members(QString asker, QString conversation) override;

    QFuture<Result<QStringList>> contacts(QString userId) override;
    QFuture<Status> setLastSeen(QHash<QString, qint64> lastSeenMs) override;
    QFuture<Result<QHash<QString, qint64>>> lastSeen(QStringList users) override;

    QFuture<Result<WatermarkOutcome>> moveWatermark(QString userId, QString deviceId,
                                                    QString conversation, qint64 seq,
                                                    bool read) override;
    QFuture<Result<QList<QPair<QString, qint64>>>> resolveMessageIds(QString userId,
                                                                     QStringList ids) override;
    QFuture<Result<QList<protocol::MemberReceipt>>> receipts(QString userId, QString conversation,
                                                             qint64 seq) override;

    QFuture<Result<QList<SyncRange>>> syncRanges(QString userId, QString deviceId,
                                                 Interest interest = {}) override;
    QFuture<Result<QList<protocol::MessageEvent>>> syncPage(QString deviceId, SyncRange range,
                                                            int limit, qint64 maxBytes = 256 * 1024,
                                                            Interest interest = {}) override;

    QFuture<Status> createUpload(MediaRecord record, UploadLimits limits) override;
    QFuture<Result<MediaRecord>> mediaRecord(QString mediaId) override;
    QFuture<Status> completeUpload(QString mediaId) override;
    QFuture<Status> deleteUpload(QString mediaId) override;
    QFuture<Result<MediaRecord>> downloadableMedia(QString userId, QString mediaId) override;
    QFuture<Result<QList<MediaRecord>>> staleUploads(qint64 createdBeforeMs, int limit) override;

    QFuture<Status> flush() override;

private:
    QString m_dataDir;
    // Shared with the jobs that use it (they run on the storage thread, which alone touches it).
    std::shared_ptr<DirectCache> m_directCache = std::make_shared<DirectCache>();
    std::unique_ptr<SqlWorker> m_worker;
};

} // namespace tern::server::store
