#pragma once

//! The conversation list: the cached rows at once, then live updates, newest activity first.
//
// Threading/lifetime: main thread only, like the ChatClient it listens to. The client and the
// store are not owned and must outlive the model. Cache reads complete through QFuture
// continuations bound to the model (dropped if the model is gone first). Single changes move or
// update one row (beginMoveRows/dataChanged); a whole list from the server is merged row by row,
// so views keep their selection and scroll position.

#include "shared/protocol/Messages.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QTimer>

namespace tern::app::cache {
class LocalStore;
struct OutboxItem;
} // namespace tern::app::cache
namespace tern::app::client {
class ChatClient;
}

namespace tern::app::models {

class ConversationListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int totalUnread READ totalUnread NOTIFY totalUnreadChanged)
public:
    enum Role {
        ConversationIdRole = Qt::UserRole + 1,
        NameRole,
        KindRole,
        LastMessagePreviewRole,
        LastActivityRole, // when the last message was written (ms), as its bubble dates it
        UnreadCountRole,
        IsMutedRole,
        IsTypingRole,
        TypingUsersRole,
        AvatarInitialsRole,
        AvatarHueRole,
        OtherUserOnlineRole,
        MemberCountRole,
        LastSeenRole,       // direct chats: the other user's last activity (ms), 0 when unknown
        UnreadMentionsRole, // int: unread messages that mention us (the "@" badge)
    };
    Q_ENUM(Role)

    //! Settings key prefix of the per-conversation mute flag ("muted/<conversation>" = "1").
    static const QString kMutedKeyPrefix;
    //! When something happened, as the rows' screen reader text says it: a time today,
    //! "yesterday", a weekday within a week, else a date; "" for 0.
    static QString spokenWhen(qint64 msecsSinceEpoch, const QDateTime &now);

    ConversationListModel(client::ChatClient *client, cache::LocalStore *store,
                          QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    //! Unread messages over every conversation that is not muted (the app badge).
    int totalUnread() const { return m_totalUnread; }
    //! -1 when the conversation is not in the list.
    int rowOf(const QString &conversation) const;
    //! True once the cached list has been read (the list may still be empty).
    bool isLoaded() const { return m_loaded; }
    //! The people we chat with, most recent chat first (direct peers and group members, never
    //! ourselves), at most `max`: what "New chat" offers before anything is typed.
    QStringList recentPeople(int max) const;
    //! The summary behind a row (members, read position) for opening the chat.
    protocol::ConversationSummary summary(int row) const;

    //! Persisted in the store's settings; muted chats do not count toward totalUnread().
    void setMuted(const QString &conversation, bool muted);
    //! The user's reading position moved: tells the server and the cache, clears the badge.
    void markRead(const QString &conversation);
    //! The user has read up to `seq` (never moves back: a lower seq changes nothing); the badge
    //! becomes `unreadLeft` (what is still below the visible part, see
    //! MessageListModel::unreadAfter). Tells the server and the cache when the watermark moves.
    void markRead(const QString &conversation, qint64 seq, int unreadLeft);
    //! Display names of users (for "Alice: " previews and typing users); ids otherwise.
    void setDisplayNames(const QHash<QString, QString> &names);
    //! How long a typing event is shown; 5 s in the product (tests shorten it).
    void setTypingTimeoutMs(int ms) { m_typingTimeoutMs = ms; }
    //! Asks the ChatClient for the list (server when online, else cache); merged on arrival.
    void reload();

signals:
    void totalUnreadChanged(int totalUnread);
    //! The cached list has been read.
    void loaded();

private:
    struct Row
    {
        protocol::ConversationSummary summary;
        QString otherUser;                  // direct chats: the member who is not us
        QHash<QString, qint64> typingUntil; // user id -> m_clock time the flag expires
    };

    void onConversationsUpdated(const QList<protocol::ConversationSummary> &list);
    void onMessageReceived(const protocol::MessageEvent &message);
    //! A received message past our reading position that mentions us adds to the "@" badge
    //! (as LocalStore::saveMessages counts it in the cache).
    void countMention(int row, const protocol::MessageEvent &message);
    //! The chat was read to its end: its "@" badge goes (here and in the cache).
    void clearMentions(int row);
    void onMessageQueued(const cache::OutboxItem &item);
    //! An edit or deletion of the message the row previews (ours queued, or anyone's received)
    //! shows in the preview at once: a deleted message's text must not stay in the list.
    void applyChange(int row, protocol::MessageKind kind, qint64 ref, const QString &content);
    void onChangeReceived(const protocol::MessageEvent &change);
    //! "Delete for me" of the message the row previews: the cache has put the newest message
    //! still shown in its place (LocalStore::hideMessages); the row takes it from there.
    void onMessagesHidden(const QString &conversation, const QList<qint64> &seqs);
    void onMessageSent(const QString &id, const QString &conversation, qint64 seq);
    void onReceipt(const protocol::ReceiptEvent &receipt);
    void onPresence(const protocol::PresenceEvent &presence);
    //! Disconnected: presence is unknown, nobody shows online until the server says so again.
    void forgetOnline();
    void onTyping(const protocol::TypingEvent &typing);
    void expireTyping();

    void applyList(const QList<protocol::ConversationSummary> &list, bool removeMissing);
    Row makeRow(const protocol::ConversationSummary &summary) const;
    //! Sets a newer last message (older ones are ignored) and moves the row into place.
    void applyLastMessage(int row, const protocol::MessageEvent &message, bool countUnread);
    //! Moves the row to its sorted place; returns its new index.
    int placeRow(int row);
    int sortedPosition(const Row &row, int exclude) const;
    void rowChanged(int row, const QList<int> &roles = {});
    void updateTotalUnread();
    void scheduleTypingExpiry();
    QString previewOf(const Row &row) const;
    QString accessibleText(const Row &row) const;
    //! "online", "last seen today at 14:05" for a direct chat's person; "" when unknown.
    QString presenceText(const Row &row) const;
    QStringList typingNames(const Row &row) const;
    static qint64 activityOf(const protocol::ConversationSummary &summary);

    client::ChatClient *m_client;
    cache::LocalStore *m_store;
    QList<Row> m_rows;
    QSet<QString> m_muted;
    QHash<QString, bool> m_online;
    QHash<QString, qint64> m_lastSeen;
    QHash<QString, QString> m_names;
    QHash<QString, int> m_mentions; // conversation -> unread messages that mention us
    QTimer m_typingTimer;
    QElapsedTimer m_clock;
    int m_typingTimeoutMs = 5000;
    int m_totalUnread = 0;
    bool m_loaded = false;
};

} // namespace tern::app::models
