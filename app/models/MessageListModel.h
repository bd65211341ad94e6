#pragma once

//! The messages of one conversation, oldest first: cache, then server, then live; pages older
//! history on demand (fetchMore) and tracks each own message's tick (pending → read).
//
// Threading/lifetime: main thread only. The client and the store are not owned and must outlive
// the model. Loading runs in QCoro coroutines that re-check a QPointer to the model after every
// co_await, so a model closed mid-load just stops. Rows are small structs in one QList (no
// QObject per message): rows [0, m_sentCount) are stored messages sorted by seq, the rest are
// outbox messages (pending or failed) in queue order. Appending is amortised O(1); finding a
// seq is a binary search, so 100,000 rows stay cheap.

#include "shared/protocol/Messages.h"

#include <QAbstractListModel>
#include <QCache>
#include <QHash>
#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVariant>

#include <memory>

#include <qcoro/qcorotask.h>

namespace tern::app::cache {
class LocalStore;
struct OutboxItem;
} // namespace tern::app::cache
namespace tern::app::client {
class ChatClient;
}

namespace tern::app::models {

class MessageListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        MessageIdRole = Qt::UserRole + 1,
        SeqRole,
        SenderRole,
        SenderNameRole,
        IsOwnRole,
        KindRole,
        TextRole,
        TimestampRole,
        DayStartRole,
        GroupedWithPreviousRole,
        StatusRole,
        SenderHueRole,   // Avatar::hue of the sender id, for the sender name's colour
        MediaRole,       // protocol::Media of image and file messages (converts to QJsonObject)
        ThumbnailRole,   // decoded thumbnail (QImage) of image messages, null without one
        ProgressRole,    // upload or download progress 0..1 of a media message, -1 otherwise
        DownloadedRole,  // the media is on this device (downloaded, or our own original)
        DownloadingRole, // the media is being downloaded (or waits to resume)
        LocalPathRole,   // our own file while its message is still queued (this device only)
        // Issue 19 (docs/protocol.md "Changes", "Replies, forwards, mentions").
        ReplyToRole,              // qint64 seq of the message replied to, 0 = none
        ReplyPreviewRole,         // QVariantMap: seq, sender, senderName, text, deleted, known
        ForwardedRole,            // bool
        EditedRole,               // bool
        DeletedRole,              // bool: a tombstone ("This message was deleted")
        ReactionsRole,            // QVariantList of QVariantMap: emoji, count, users, names, mine
        MentionsRole,             // QStringList of mentioned user ids
        MentionsMeRole,           // bool
        CanEditRole,              // own, text/image/file, sent, not deleted, within the edit window
        CanDeleteForEveryoneRole, // own (or we administer the group), sent, not deleted
    };
    Q_ENUM(Role)
    enum class Status { Pending, Sent, Delivered, Read, Failed };
    Q_ENUM(Status)

    //! Starts loading (cache first, then the server's newest page) once the event loop runs, so
    //! `loaded` always comes after the constructor returned.
    MessageListModel(client::ChatClient *client, cache::LocalStore *store,
                     protocol::ConversationSummary conversation, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    //! The kind of the message at `index` (of this model or a proxy over it); Unknown for a kind
    //! this build does not know.
    static protocol::MessageKind kindAt(const QModelIndex &index);
    //! The media of the message at `index`, if it has any.
    static std::optional<protocol::Media> mediaAt(const QModelIndex &index);

    QString conversationId() const { return m_conversation.conversation; }
    //! What ChatClient::sendText takes for this chat: the peer (direct) or the conversation.
    QString sendAddress() const { return m_sendAddress; }
    //! The reading position when the chat was (last) opened: the summary's at first, then what
    //! the chat pane passes on each open (a kept model would otherwise reuse a stale one).
    qint64 readSeq() const { return m_conversation.readSeq; }
    void setReadSeq(qint64 seq) { m_conversation.readSeq = seq; }
    //! The first message from someone else after readSeq() among the loaded rows (the "New
    //! messages" divider); -1 when everything was read.
    int firstUnreadRow() const;
    //! True when no unread message is older than the loaded rows (nothing to page in for it).
    bool unreadLoaded() const;
    //! Others' non-system messages after `seq` among the loaded rows (what stays unread when
    //! the reader has seen up to `seq`).
    int unreadAfter(qint64 seq) const;
    //! Row of a stored message, -1 when not loaded.
    int rowOfSeq(qint64 seq) const;
    bool isFetching() const { return m_fetching; }
    //! True once the oldest message of the conversation is loaded.
    bool atStart() const { return m_atStart; }
    //! Messages per page (initial load and each fetchMore); 50 by default.
    void setPageSize(int size) { m_pageSize = size; }
    int pageSize() const { return m_pageSize; }
    void setDisplayNames(const QHash<QString, QString> &names);

    //! Merges stored messages (any order, duplicates by seq ignored). The loaders use it; tests
    //! and future sources (search results, jumps) may feed it directly.
    void addMessages(QList<protocol::MessageEvent> messages);
    //! Removes the rows of `seqs` (deleted for us, Inbox::messagesHidden).
    void hideRows(const QList<qint64> &seqs);
    //! The message at `row` as it is now (for forward, info, edit); a queued one has seq 0.
    protocol::MessageEvent messageAt(int row) const;
    //! The oldest seq fetched so far (change events included, which are no rows); 0 = none.
    qint64 oldestFetchedSeq() const { return m_oldestFetched; }
    //! How long after the server's time our messages can be edited (the server's default).
    static constexpr qint64 kEditWindowMs = 48LL * 3600 * 1000;

    //! Unloads the oldest stored rows so at most `keep` remain (fetchMore brings them back).
    //! A view scrolled to the bottom of a long history calls it: every insert relayouts every
    //! row, so a window of a few thousand keeps new messages cheap. Returns the rows removed.
    int trimOldest(int keep);

signals:
    //! The cache and then the server's newest page have been merged.
    void loaded();
    //! A fetchMore finished; `added` rows came in at the top.
    void fetchFinished(int added);

private:
    //! Who we are in this chat: our id, the other members, and where a send goes.
    void identify(const QString &me);
    enum class State : quint8 { Pending, Sent, Failed };
    struct Row
    {
        QString id;
        QString from;
        protocol::MessageKind kind = protocol::MessageKind::Text;
        QString kindName; // the server's name of an unknown kind
        QString content;
        // What the message says, never a local path. Shared, not inline: a Media is five
        // strings, and 100,000 text rows copied and sorted with it inline were 7 % slower.
        std::shared_ptr<const protocol::Media> media;
        QString localPath; // our queued file (from the outbox), else empty
        qint64 seq = 0;
        qint64 ts = 0;  // when written (the sender's clock), never after the server's time
        qint64 day = 0; // local calendar day of ts (Julian day): set with ts, read per paint
        State state = State::Sent;
        // Issue 19: the message's current state (edits, deletion, reactions applied).
        qint64 serverTs = 0; // the edit window counts from it
        qint64 replyTo = 0;
        std::optional<qint64> editedTs;
        QStringList mentions;
        QList<protocol::Reaction> reactions;
        bool forwarded = false;
        bool deleted = false;
    };

    // Issue 19 (MessageListModelChanges.cpp).
    QVariant changeData(const Row &row, int role) const;
    QVariantMap replyPreview(const Row &row) const;
    QVariantList reactionsOf(const Row &row) const;
    bool canEdit(const Row &row) const;
    bool canDeleteForEveryone(const Row &row) const;
    //! Applies an edit, deletion or reaction to its loaded target (dataChanged); false when the
    //! target is not loaded or cannot change.
    bool applyChange(const protocol::MessageEvent &change);
    //! A loaded row seen again (history, a re-sent event) takes its current state.
    void takeState(int row, const protocol::MessageEvent &message);
    void onChangeReceived(const protocol::MessageEvent &change);
    //! Our own change, shown at once; undone (re-read) if the server refuses it.
    void applyQueuedChange(const cache::OutboxItem &item);
    QCoro::Task<> revertChange(qint64 seq);
    QCoro::Task<> loadPreviews();
    void noteFetched(qint64 seq);

    void onMessageReceived(const protocol::MessageEvent &message);
    void onMessageQueued(const cache::OutboxItem &item);
    void onMessageSent(const QString &id, const QString &conversation, qint64 seq);
    void onMessageFailed(const QString &id);
    void onUploadProgress(const QString &id, qint64 sent, qint64 total);
    void onMessageCancelled(const QString &id);
    // Media rows (MessageListModelMedia.cpp).
    QImage thumbnail(const Row &row) const;
    double progressOf(const Row &row) const;
    bool isDownloaded(const Row &row) const;
    void onMediaUploaded(const QString &id, const protocol::Media &media);
    //! Repaints the rows showing `mediaId` (the same media can be in several messages).
    void mediaRowsChanged(const QString &mediaId);
    void allMediaRowsChanged();
    void onReceipt(const protocol::ReceiptEvent &receipt);
    //! Moves one member's watermarks forward (never back) and updates the affected ticks.
    void applyWatermarks(const QString &user, qint64 delivered, qint64 read);

    QCoro::Task<> loadNewest();
    //! Asks the server where every member stands for our newest stored message, so ticks of
    //! messages whose receipts arrived while the chat was closed are right at once.
    QCoro::Task<> seedReceipts();
    QString accessibleText(int row) const;
    QCoro::Task<> loadOlder(qint64 beforeSeq);
    bool isOurs(const cache::OutboxItem &item) const;
    void addPending(const cache::OutboxItem &item);
    void insertStored(const protocol::MessageEvent &message);
    //! The outbox row `row` was stored as `seq`: moves it among the stored rows, in place.
    void completePending(int row, qint64 seq, qint64 serverTs);
    int pendingRow(const QString &id) const;
    int lowerBound(qint64 seq) const;
    bool dayStart(int row) const;
    bool grouped(int row) const;
    Status statusOf(const Row &row) const;
    //! Lowest watermark over the other members (read implies delivered).
    qint64 othersWatermark(const QHash<QString, qint64> &marks) const;
    void neighbourChanged(int row);
    static Row rowOf(const protocol::MessageEvent &message);
    //! The same with the local day of its time already known (a page computes it per run).
    static Row rowOf(const protocol::MessageEvent &message, qint64 julianDay);

    client::ChatClient *m_client;
    cache::LocalStore *m_store;
    protocol::ConversationSummary m_conversation;
    QString m_sendAddress;
    QString m_me;
    QStringList m_others;
    QList<Row> m_rows;
    QHash<QString, double> m_uploadProgress;                 // by message id, while uploading
    mutable QCache<QString, QImage> m_thumbnails{32 * 1024}; // decoded, cost in KiB
    int m_sentCount = 0;
    QHash<QString, qint64> m_delivered; // other member -> highest delivered seq heard
    QHash<QString, qint64> m_read;
    qint64 m_minDelivered = 0;
    qint64 m_minRead = 0;
    QHash<QString, QString> m_names;
    qint64 m_oldestFetched = 0;
    QHash<QString, qint64> m_queuedChanges;           // our change's id -> its target seq
    QHash<qint64, protocol::MessageEvent> m_previews; // originals of replies not loaded
    mutable QSet<qint64> m_previewsWanted;            // asked for by data(), not yet looked up
    QSet<qint64> m_previewsAsked;                     // looked up (found or not)
    int m_pageSize = 50;
    bool m_fetching = true; // until the first load finished
    bool m_atStart = false;
};

} // namespace tern::app::models
