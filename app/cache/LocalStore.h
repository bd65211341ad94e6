#pragma once

//! The offline-first cache of one account: one SQLite file (WAL) with conversations, messages,
//! the durable outbox, drafts, settings and user names, behind an asynchronous Result API.
//
// Threading/lifetime: every query runs on the store's own worker thread (tern::sql::SqlWorker);
// the methods may be called from any thread and return at once with a QFuture that completes
// after the job ran (writes: after COMMIT). Jobs run in submission order, so a read sees every
// write submitted before it. open() is the only blocking call: it opens the file and migrates,
// milliseconds for a local file, done once before the account is used. Destroying the store
// finishes every queued job (each future completes) and then stops the thread. A LocalStore must
// outlive the ChatClient that uses it.

#include "app/cache/CacheTypes.h"
#include "shared/core/Result.h"
#include "shared/protocol/Messages.h"

#include <QFuture>
#include <QHash>
#include <QList>
#include <QString>

#include <memory>

namespace tern::sql {
class SqlWorker;
}

namespace tern::app::cache {

class LocalStore
{
public:
    //! Resource directory of the app's migrations (not the server's ":/tern/migrations").
    static const QString kMigrations;

    explicit LocalStore(QString path);
    ~LocalStore();
    LocalStore(const LocalStore &) = delete;
    LocalStore &operator=(const LocalStore &) = delete;

    //! Opens (creating) the file, sets WAL + synchronous=FULL and applies migrations.
    Status open();
    QString path() const { return m_path; }
    //! The schema version the migrations bring a database to.
    static int latestSchemaVersion();
    QFuture<Result<int>> schemaVersion();

    // ---- conversations -----------------------------------------------------------------
    //! Inserts or replaces the given summaries (others stay).
    QFuture<Status> saveConversations(QList<protocol::ConversationSummary> conversations);
    //! Newest activity first.
    QFuture<Result<QList<protocol::ConversationSummary>>> conversations();
    //! Moves the local read watermark forward (never back) and clears the unread count (and
    //! the unread mentions when it reaches the conversation's end).
    QFuture<Status> setReadSeq(QString conversation, qint64 seq);
    //! Clears a conversation's count of unread messages that mention us.
    QFuture<Status> clearUnreadMentions(QString conversation);
    //! Unread messages that mention us, by conversation (only those with a count above 0).
    QFuture<Result<QHash<QString, int>>> unreadMentions();

    // ---- messages ----------------------------------------------------------------------
    //! Insert-or-ignore by (conversation, seq). With `received` (live and sync events) each
    //! touched conversation's delivery watermark is advanced and reported in the outcome.
    QFuture<Result<SaveOutcome>> saveMessages(QList<protocol::MessageEvent> messages,
                                              bool received = false);
    //! Up to `limit` messages with seq < beforeSeq (beforeSeq <= 0: the newest), oldest first.
    QFuture<Result<QList<protocol::MessageEvent>>> messages(QString conversation, qint64 beforeSeq,
                                                            int limit);
    //! The cached messages of `seqs` that are not hidden, by seq (reply quotes whose original
    //! is not loaded); seqs not cached are left out.
    QFuture<Result<QList<protocol::MessageEvent>>> messagesBySeq(QString conversation,
                                                                 QList<qint64> seqs);
    //! "Delete for me": the messages stay as rows (the seqs stay contiguous for the delivery
    //! watermark) but lose their content, media and reactions, leave the search index and are
    //! never returned again.
    QFuture<Status> hideMessages(QString conversation, QList<qint64> seqs);
    //! Highest stored seq of a conversation (0 when none).
    QFuture<Result<qint64>> maxSeq(QString conversation);

    //! Full-text search over the cached text, image and file messages (text, caption, file
    //! name): ranked by bm25, then newest, among the newest kSearchCandidates matches (so a word
    //! in every message still answers at once). Each user word is a word start ("quick bro"
    //! finds "quick brown"); no FTS5 syntax is taken from the text. Empty text: no hits.
    QFuture<Result<QList<LocalSearchHit>>> search(SearchQuery query);
    //! The FTS5 query the user's text becomes (every word quoted, all of them required); empty
    //! when no word has a letter or digit.
    static QString matchExpression(const QString &text);
    static constexpr int kSearchCandidates = 1000;
    static constexpr int kMaxSearchHits = 1000;

    // ---- outbox ------------------------------------------------------------------------
    //! Adds an item at the end of the creation order; an id already queued is a Conflict.
    QFuture<Status> addToOutbox(OutboxItem item);
    //! Every queued item in creation order.
    QFuture<Result<QList<OutboxItem>>> outbox();
    //! Counts a send attempt of each id.
    QFuture<Status> noteAttempt(QStringList ids);
    //! Drops an item (the server refused it for good). true when it was there.
    QFuture<Result<bool>> removeFromOutbox(QString id);
    //! Replaces a queued message's media object (the finished media, once uploaded); false
    //! when it is no longer queued.
    QFuture<Result<bool>> updateOutboxMedia(QString id, protocol::Media media);
    //! Remembers the server's id of a queued message's unfinished upload (resumed after a
    //! restart); false when it is no longer queued.
    QFuture<Result<bool>> updateOutboxUpload(QString id, QString uploadId);
    //! The ack arrived: in ONE write job, removes the item and stores the acked message, so a
    //! crash keeps either the queued item or the stored message, never both or neither.
    //! true when the item was still queued (false: a duplicate ack, nothing removed).
    QFuture<Result<bool>> completeOutboxItem(QString id, protocol::MessageEvent stored);

    // ---- users -------------------------------------------------------------------------
    //! Inserts or replaces users by id (others stay).
    QFuture<Status> saveUsers(QList<protocol::UserInfo> users);
    //! Every cached user, by id.
    QFuture<Result<QList<protocol::UserInfo>>> users();

    // ---- drafts and settings -----------------------------------------------------------
    //! An empty text removes the draft.
    QFuture<Status> setDraft(QString conversation, QString text);
    QFuture<Result<QString>> draft(QString conversation);
    //! An empty value clears the setting.
    QFuture<Status> setSetting(QString key, QString value);
    //! Several settings in one write job (e.g. token, user id and device id together).
    QFuture<Status> setSettings(QHash<QString, QString> values);
    //! Empty when unset.
    QFuture<Result<QString>> setting(QString key);
    QFuture<Result<QHash<QString, QString>>> settings();

private:
    QString m_path;
    std::unique_ptr<sql::SqlWorker> m_worker;
};

} // namespace tern::app::cache
