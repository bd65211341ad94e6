#pragma once

// Turns decoded requests into store calls, replies and fan-out. Owns the map of who is online
// on which link. Lives on the socket thread; every handler is a coroutine that re-looks-up its
// link and `self` after each suspension (links can close and the router can be destroyed while
// a store call is in flight).

#include "server/auth/AuthService.h"
#include "server/auth/RateLimiter.h"
#include "server/config/ServerConfig.h"
#include "server/routing/ClientLink.h"
#include "server/routing/FanOut.h"
#include "server/routing/LastSeenBatch.h"
#include "server/routing/PresenceTracker.h"
#include "server/routing/ReadGate.h"
#include "server/routing/RequestSlot.h"
#include "server/routing/Session.h"
#include "server/store/Store.h"
#include "shared/protocol/Messages.h"

#include <QCoroTask>
#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>
#include <map>

namespace tern::server::routing {

class Router : public QObject
{
    Q_OBJECT
public:
    Router(store::Store &store, auth::AuthService &auth, const ServerConfig &config,
           QObject *parent = nullptr);

    void attach(ClientLink *link);
    void detach(quint64 linkId);
    void handleRequest(quint64 linkId, protocol::Request request);
    int sessionCount() const { return int(m_sessions.size()); }
    //! Closes every live session of `userId` with 1008 and `reason` (its tokens were revoked:
    //! `ternd user passwd|disable`). They stop receiving at once.
    void closeUserSessions(const QString &userId, const QString &reason);
    //! A login, auth or register is running on the link.
    bool isAuthenticating(quint64 linkId) const
    {
        const auto it = m_sessions.constFind(linkId);
        return it != m_sessions.constEnd() && it->authenticating;
    }
    const ServerConfig &config() const { return m_config; }
    //! The link is closing: its queued store reads are skipped and no reply is built for it.
    void linkClosing(quint64 linkId);
    //! The link drained its unsent bytes: requests held for flow control may go on.
    void resumeHeld(quint64 linkId);
    //! Called with the media a delete freed (records gone, committed): their files go too.
    void setMediaForgotten(std::function<void(const QStringList &)> forget)
    {
        m_mediaForgotten = std::move(forget);
    }
    //! Every session is about to be closed: stop announcing presence changes.
    void beginShutdown() { m_shuttingDown = true; }

private:
    friend class RequestSlot;
    using ReqId = std::optional<QString>;

    //! Counts a request against its link's flow-control bounds until the slot is destroyed.
    RequestSlot admit(quint64 linkId, qint64 replyBytes = 0);
    void finishRequest(quint64 linkId, qint64 replyBytes);
    void reportOutstanding(const Session &s);
    //! The byte budget of one `history`/`conversations` reply.
    qint64 replyPageBytes() const;
    //! The storage queue is full: refuse new work (rate_limited) rather than queue it.
    bool storeBusy(quint64 linkId, const ReqId &id, const protocol::RequestBody &body);
    //! Group creations and member adds per user (rate_limited past the bound).
    bool groupChangeLimited(const QString &userId);

    QCoro::Task<> onRegister(quint64 linkId, ReqId id, protocol::RegisterRequest request);
    QCoro::Task<> onLogin(quint64 linkId, ReqId id, protocol::LoginRequest request);
    QCoro::Task<> onAuth(quint64 linkId, ReqId id, protocol::AuthRequest request);
    QCoro::Task<> onLogout(quint64 linkId, ReqId id);
    QCoro::Task<> onMessage(quint64 linkId, ReqId id, protocol::SendMessageRequest request);
    QCoro::Task<> onConversations(quint64 linkId, ReqId id, protocol::ConversationsRequest request);
    QCoro::Task<> onHistory(quint64 linkId, ReqId id, protocol::HistoryRequest request);
    QCoro::Task<> onUserSearch(quint64 linkId, ReqId id, protocol::UserSearchRequest request);
    QCoro::Task<> onUsers(quint64 linkId, ReqId id, protocol::UsersRequest request);
    QCoro::Task<> onSetDisplayName(quint64 linkId, ReqId id,
                                   protocol::SetDisplayNameRequest request);
    QCoro::Task<> onWatermark(quint64 linkId, ReqId id, QString conversation, qint64 seq,
                              QStringList messageIds, bool read);
    QCoro::Task<> onReceipts(quint64 linkId, ReqId id, protocol::ReceiptsRequest request);
    QCoro::Task<> onSync(quint64 linkId, ReqId id);
    QCoro::Task<> onSearch(quint64 linkId, ReqId id, protocol::SearchRequest request);
    QCoro::Task<> onHide(quint64 linkId, ReqId id, protocol::HideRequest request);
    //! Sends the device the hides it missed (sync, before `complete`), then moves its position.
    QCoro::Task<std::optional<Error>> replayHidden(quint64 linkId, QString userId, QString deviceId,
                                                   store::Interest interest);
    QCoro::Task<> onGroupChange(quint64 linkId, ReqId id, quint64 ticket,
                                QFuture<Result<store::GroupChange>> change, bool ackConversation);
    QCoro::Task<> onTyping(quint64 linkId, ReqId id, protocol::TypingRequest request);
    QCoro::Task<> onPresence(quint64 linkId, ReqId id, protocol::PresenceRequest request);
    QCoro::Task<> announcePresence(QString userId, bool online, qint64 lastSeenMs);
    void dispatchGroup(quint64 linkId, const ReqId &id, protocol::RequestBody &body);

    void dispatch(quint64 linkId, const ReqId &id, protocol::RequestBody &body);
    Session *session(quint64 linkId);
    //! Set when the link goes (handed to password hashing, which then skips its queued work).
    auth::CancelFlag closedFlag(Session &s);
    //! Replay requests that arrived while login/auth was running.
    void releaseHeld(quint64 linkId);
    //! The link's flow bounds (ServerConfig) allow one more request to start.
    bool flowOpen(const Session &s) const;
    //! Past login and held queue: the storage bound, then the handler.
    void dispatchNow(quint64 linkId, protocol::Request request);
    void becomeAuthenticated(quint64 linkId, const QString &userId, const QString &deviceId);
    void becomeAnonymous(quint64 linkId);
    //! Queue `frame` for every link of every user in `users`, except device `exceptDevice`'s.
    void sendToUsers(const QStringList &users, const QByteArray &frame,
                     const QString &exceptDevice = {});
    void sendToUser(const QString &userId, const QByteArray &frame,
                    const QString &exceptDevice = {});
    ClientLink *liveLink(quint64 linkId);
    //! Store writes that produce events take a ticket when they are queued; their results are
    //! released in ticket order, so replies and fan-out follow seq order even when a commit has
    //! already finished by the time its coroutine reaches `co_await` (QCoro then resumes at once,
    //! ahead of earlier completions still in the event queue).
    quint64 takeTicket() { return m_nextTicket++; }
    void release(quint64 ticket, std::function<void()> work);
    void publishWatermark(const store::WatermarkOutcome &outcome, const QString &readerDevice);

    store::Store &m_store;
    auth::AuthService &m_auth;
    ServerConfig m_config;
    QHash<quint64, Session> m_sessions;
    QHash<QString, QSet<quint64>> m_linksByUser;
    FanOut m_fanOut;
    PresenceTracker m_presence;
    LastSeenBatch m_lastSeen;
    bool m_shuttingDown = false;
    std::function<void(const QStringList &)> m_mediaForgotten;
    QHash<QString, qint64> m_lastTypingRelay; // "user|conversation" -> ms
    quint64 m_nextTicket = 0;
    quint64 m_nextRelease = 0;
    std::map<quint64, std::function<void()>> m_releases;
    auth::RateLimiter m_groupChanges;
    auth::RateLimiter m_nameChanges;
    auth::RateLimiter m_searches;
    ReadGate m_heavyReads;
};

} // namespace tern::server::routing
