#pragma once

//! What comes in for one account: the backlog sync after every authentication, incoming
//! messages stored in the cache and acknowledged by delivery watermarks, the conversation list
//! and history (from the server when online, else the cache), presence, user names, and the
//! server's other events, re-emitted for the UI. Also the few fire-and-forget requests about
//! reading (read watermarks, typing).
//
// Threading/lifetime: main thread, like its ChatConnection (not owned; it must outlive the
// inbox, ChatClient destroys the parts first). Coroutines take parameters by value and re-check
// a QPointer to the inbox after every co_await; one that started on an earlier connection
// (generation) stops instead of acting on the new one. The inbox fails nothing when destroyed:
// the connection's tracker fails the pending requests.

#include "shared/core/Result.h"
#include "shared/protocol/Messages.h"
#include "shared/protocol/Replies.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <qcoro/qcorotask.h>

#include <functional>
#include <optional>

namespace tern::app::client {

class ChatConnection;

class Inbox : public QObject
{
    Q_OBJECT
public:
    explicit Inbox(ChatConnection *connection, QObject *parent = nullptr);

    //! From the server when online (and cached), else from the cache.
    [[nodiscard]] QCoro::Task<Result<QList<protocol::ConversationSummary>>> conversations();
    //! From the server when online (and cached), else from the cache. Oldest first.
    [[nodiscard]] QCoro::Task<Result<QList<protocol::MessageEvent>>>
    history(QString conversation, qint64 beforeSeq, int limit);
    [[nodiscard]] QCoro::Task<Result<QList<protocol::UserInfo>>> searchUsers(QString query);
    //! Current status of users sharing a conversation with us (others are left out); the
    //! list is sent in chunks of 500.
    [[nodiscard]] QCoro::Task<Result<QList<protocol::PresenceEvent>>> presence(QStringList users);
    //! Names of ourselves and users sharing a conversation with us (others are left out); the
    //! list is sent in chunks of 500.
    [[nodiscard]] QCoro::Task<Result<QList<protocol::UserInfo>>> users(QStringList ids);
    //! Changes our display name; the name as the server stored it. Emits userUpdated on success.
    [[nodiscard]] QCoro::Task<Result<QString>> setDisplayName(QString displayName);

    //! "Delete for me" of `seqs` (at most limits::kMaxHideSeqs per request; more are sent in
    //! several): stored in the cache once the server acked, then messagesHidden.
    [[nodiscard]] QCoro::Task<Status> hideMessages(QString conversation, QList<qint64> seqs);
    //! One page of the server's full-text search (`conversation` empty: every chat; `cursor`
    //! empty: the first page, else a previous reply's nextCursor).
    [[nodiscard]] QCoro::Task<Result<protocol::SearchReply>>
    searchServer(QString query, QString conversation, QString cursor);

    //! Read watermark for a conversation (sent only while online).
    void markRead(const QString &conversation, qint64 seq);
    //! At most one per conversation per second; only while online.
    void sendTyping(const QString &conversation);
    //! A message in a conversation the list does not know yet (new direct chat, new group)
    //! refreshes the list (one refresh for a burst).
    void noteConversation(const QString &conversation);

signals:
    //! A message new to this device, stored in the cache.
    void messageReceived(const tern::protocol::MessageEvent &message);
    void receiptReceived(const tern::protocol::ReceiptEvent &receipt);
    //! From the server's events, and after each (re)sync for every known member.
    void presenceChanged(const tern::protocol::PresenceEvent &presence);
    void typingReceived(const tern::protocol::TypingEvent &typing);
    //! A user (we or someone we share a chat with) has a new display name.
    void userUpdated(const tern::protocol::UserUpdatedEvent &update);
    void conversationsUpdated(const QList<tern::protocol::ConversationSummary> &conversations);
    //! Messages deleted for us (from this device or another one of ours) left the cache.
    void messagesHidden(const QString &conversation, const QList<qint64> &seqs);
    //! An edit, deletion or reaction new to this device, stored and applied to its cached
    //! target (never a message of its own: messageReceived is not emitted for it).
    void changeReceived(const tern::protocol::MessageEvent &change);

private:
    //! Builds the next page's request (from the cursor the taker kept).
    template <typename Req> using PageRequest = std::function<Req()>;
    //! Takes one page; returns the next page's cursor as a key (for the repeat check), nullopt
    //! when this was the last page.
    template <typename Req>
    using PageTaker = std::function<Result<std::optional<QString>>(const typename Req::Reply &)>;
    //! Follows a paged read (sync, conversations, history) until `take` returns nullopt. Ends
    //! with an error when a request fails, `take` refuses a page, or the server repeats a cursor.
    template <typename Req>
    QCoro::Task<Status> followPages(PageRequest<Req> request, PageTaker<Req> take);

    //! The sync step: the backlog, then the conversation list.
    QCoro::Task<Status> sync(quint64 generation);
    QCoro::Task<> storeIncoming(protocol::MessageEvent message);
    QCoro::Task<> storeHidden(protocol::HiddenEvent hidden);
    void queueDelivery(const QHash<QString, qint64> &watermarks);
    void sendDeliveries();
    QCoro::Task<> saveConversationList(QList<protocol::ConversationSummary> list);
    QCoro::Task<> refreshConversations();
    //! Asks `members` (empty: every known member) and emits presenceChanged for each answer.
    QCoro::Task<> refreshPresence(quint64 generation, QStringList members = {});

    ChatConnection *m_connection;
    QTimer m_deliveryTimer;
    QTimer m_refreshTimer;
    QElapsedTimer m_clock;
    quint64 m_messagesReceived = 0; // message events, any connection: how a sync shows progress
    QHash<QString, qint64> m_pendingDelivery;
    QHash<QString, qint64> m_lastTypingMs;
    QSet<QString> m_knownConversations; // in the last conversation list
    QSet<QString> m_knownMembers;       // members of those conversations (us excluded)
};

} // namespace tern::app::client
