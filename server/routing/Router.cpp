#include "Router.h"

#include "server/routing/Overloaded.h"

#include "shared/core/Clock.h"
#include "shared/core/Log.h"

#include <QPointer>

namespace tern::server::routing {

using namespace tern::protocol;

namespace {
constexpr std::size_t kMaxHeldRequests = 256;
// RFC 6455 policy violation: the client reconnects, and its revoked token is refused.
constexpr int kCloseSignedOut = 1008;
constexpr qint64 kLongSessionMs = 3600 * 1000;

} // namespace

Router::Router(store::Store &store, auth::AuthService &auth, const ServerConfig &config,
               QObject *parent)
    : QObject(parent), m_store(store), m_auth(auth), m_config(config),
      m_fanOut([this](const FanOut::Target &target) -> ClientLink * {
          const Session *s = session(target.link);
          return s && s->deviceId == target.device ? s->link : nullptr;
      }),
      m_presence([this](quint64 id) -> qint64 {
          ClientLink *link = liveLink(id);
          return link ? link->lastActivityMs() : -1;
      }),
      m_lastSeen(store), m_groupChanges(config.groupChangesPerMinute, 60'000),
      m_nameChanges(config.displayNameChangesPerMinute, 60'000),
      m_searches(config.searchesPerMinute, 60'000), m_heavyReads(config.heavyReads)
{
    m_presence.setExpiryMs(config.presenceExpiryMs);
    m_presence.setMinIntervalMs(config.presenceMinIntervalMs);
    connect(&m_presence, &PresenceTracker::statusChanged, this,
            [this](const QString &user, bool online, qint64 lastSeen) {
                // Everyone is being disconnected: announcing each of them to the others would
                // cost a contacts read per user and reach nobody.
                if (!m_shuttingDown)
                    announcePresence(user, online, lastSeen);
            });
    connect(&m_presence, &PresenceTracker::lastSeenChanged, this,
            [this](const QString &user, qint64 lastSeen) { m_lastSeen.record(user, lastSeen); });
}

ClientLink *Router::liveLink(quint64 linkId)
{
    Session *s = session(linkId);
    return s ? s->link : nullptr;
}

void Router::attach(ClientLink *link)
{
    Session s;
    s.link = link;
    m_sessions.insert(link->linkId(), s);
}

void Router::detach(quint64 linkId)
{
    if (Session *s = session(linkId); s && s->closed)
        s->closed->store(true);
    // A token's idle time counts from its last `auth`; a session that stayed connected for
    // hours was in use all that time (an office desktop may stay connected for weeks), so its
    // end counts as a use. Short sessions are covered by the touch at `auth` already.
    const qint64 longSessionMs = std::min(m_config.tokenIdleExpiryMs / 8, kLongSessionMs);
    if (const Session *s = session(linkId); s && s->authenticated() &&
                                            m_config.tokenIdleExpiryMs > 0 &&
                                            nowMs() - s->authenticatedAtMs > longSessionMs)
        m_store.touchDevice(s->deviceId);
    becomeAnonymous(linkId);
    m_sessions.remove(linkId);
}

void Router::closeUserSessions(const QString &userId, const QString &reason)
{
    const QSet<quint64> links = m_linksByUser.value(userId);
    for (quint64 linkId : links) {
        if (Session *s = session(linkId)) {
            ClientLink *link = s->link;
            becomeAnonymous(linkId);
            link->closeLink(kCloseSignedOut, reason);
        }
    }
}

void Router::linkClosing(quint64 linkId)
{
    if (Session *s = session(linkId))
        s->interest.reset();
}

RequestSlot::~RequestSlot()
{
    if (m_router)
        m_router->finishRequest(m_linkId, m_replyBytes);
}

RequestSlot Router::admit(quint64 linkId, qint64 replyBytes)
{
    if (Session *s = session(linkId)) {
        ++s->inFlight;
        s->reservedBytes += replyBytes;
        reportOutstanding(*s);
    }
    return RequestSlot(this, linkId, replyBytes);
}

void Router::finishRequest(quint64 linkId, qint64 replyBytes)
{
    if (Session *s = session(linkId)) {
        --s->inFlight;
        s->reservedBytes -= replyBytes;
        reportOutstanding(*s);
        if (!s->held.empty())
            releaseHeld(linkId);
    }
}

void Router::reportOutstanding(const Session &s)
{
    s.link->setOutstanding(s.inFlight + int(s.held.size()), s.reservedBytes);
}

qint64 Router::replyPageBytes() const
{
    return std::min(m_config.replyPageBytes, m_config.sendQueueLimitBytes / 4);
}

bool Router::storeBusy(quint64 linkId, const ReqId &id, const RequestBody &body)
{
    if (std::holds_alternative<HeartbeatRequest>(body) ||
        m_store.backlog() < m_config.storeQueueLimit)
        return false;
    // Nothing is queued, so nothing is lost: clients retry rate_limited (a send stays in the
    // outbox) once the storage thread has caught up.
    session(linkId)->link->replyError(
        id, Error{ErrorCode::RateLimited, QStringLiteral("server busy; try again shortly")});
    return true;
}

bool Router::groupChangeLimited(const QString &userId)
{
    const qint64 now = nowMs();
    if (m_groupChanges.isLimited(userId, now))
        return true;
    m_groupChanges.recordFailure(userId, now); // counts every change, not only failures
    return false;
}

void Router::release(quint64 ticket, std::function<void()> work)
{
    m_releases.emplace(ticket, std::move(work));
    while (!m_releases.empty() && m_releases.begin()->first == m_nextRelease) {
        std::function<void()> next = std::move(m_releases.begin()->second);
        m_releases.erase(m_releases.begin());
        ++m_nextRelease;
        next();
    }
}

void Router::releaseHeld(quint64 linkId)
{
    // One at a time, and only while the link's flow bounds allow: held requests were read
    // already, so replaying them all at once would skip the backpressure (a login followed by
    // 64 pipelined `history` would build 64 pages). The rest wait for a request to end or the
    // link to drain (resumeHeld).
    Session *s = session(linkId);
    if (!s || s->releasing)
        return; // the outer call goes on, in order
    s->releasing = true;
    while (s && !s->authenticating && !s->held.empty() && flowOpen(*s)) {
        Request request = std::move(s->held.front());
        s->held.erase(s->held.begin());
        reportOutstanding(*s);
        dispatchNow(linkId, std::move(request));
        s = session(linkId); // a replayed request may close the link
    }
    if (s)
        s->releasing = false;
}

void Router::resumeHeld(quint64 linkId)
{
    const Session *s = session(linkId);
    if (s && !s->held.empty())
        releaseHeld(linkId);
}

bool Router::flowOpen(const Session &s) const
{
    const qint64 pauseBytes = std::min(m_config.readPauseBytes, m_config.sendQueueLimitBytes / 2);
    return s.inFlight < m_config.maxRequestsInFlight &&
           s.link->pendingBytes() + s.reservedBytes <= pauseBytes;
}

Session *Router::session(quint64 linkId)
{
    auto it = m_sessions.find(linkId);
    return it == m_sessions.end() ? nullptr : &it.value();
}

void Router::becomeAuthenticated(quint64 linkId, const QString &userId, const QString &deviceId)
{
    Session *s = session(linkId);
    if (!s)
        return;
    s->userId = userId;
    s->deviceId = deviceId;
    s->authenticatedAtMs = nowMs();
    s->link->setAuthenticated(true);
    m_linksByUser[userId].insert(linkId);
    m_presence.linkAuthenticated(userId, linkId);
}

void Router::becomeAnonymous(quint64 linkId)
{
    Session *s = session(linkId);
    if (!s || !s->authenticated())
        return;
    auto it = m_linksByUser.find(s->userId);
    if (it != m_linksByUser.end()) {
        it->remove(linkId);
        if (it->isEmpty())
            m_linksByUser.erase(it);
    }
    const QString userId = s->userId;
    s->link->setAuthenticated(false);
    s->userId.clear();
    s->deviceId.clear();
    m_presence.linkGone(userId, linkId);
    s->syncCursor.clear();
    s->syncing = false;
}

void Router::sendToUsers(const QStringList &users, const QByteArray &frame,
                         const QString &exceptDevice)
{
    std::vector<FanOut::Target> targets;
    for (const QString &user : users) {
        const auto it = m_linksByUser.constFind(user);
        if (it == m_linksByUser.constEnd())
            continue;
        for (quint64 id : it.value()) {
            const Session *s = session(id);
            if (s && s->deviceId != exceptDevice)
                targets.push_back({id, s->deviceId});
        }
    }
    m_fanOut.enqueue(frame, std::move(targets));
}

void Router::sendToUser(const QString &userId, const QByteArray &frame, const QString &exceptDevice)
{
    sendToUsers(QStringList{userId}, frame, exceptDevice);
}

void Router::handleRequest(quint64 linkId, Request request)
{
    Session *s = session(linkId);
    if (!s)
        return;
    if (s->authenticated())
        m_presence.activity(s->userId);
    if (s->authenticating && !std::holds_alternative<HeartbeatRequest>(request.body)) {
        // "auth then sync" may be pipelined: hold what follows until auth has an answer.
        if (s->held.size() >= kMaxHeldRequests) {
            s->link->replyError(request.id,
                                Error{ErrorCode::RateLimited,
                                      QStringLiteral("too many requests before login finished")});
            return;
        }
        s->held.push_back(std::move(request));
        reportOutstanding(*s);
        return;
    }
    if (!s->held.empty() && !std::holds_alternative<HeartbeatRequest>(request.body)) {
        // Older held requests go first: this one queues behind them.
        s->held.push_back(std::move(request));
        reportOutstanding(*s);
        releaseHeld(linkId);
        return;
    }
    dispatchNow(linkId, std::move(request));
}

void Router::dispatchNow(quint64 linkId, Request request)
{
    Session *s = session(linkId);
    const bool open = std::holds_alternative<RegisterRequest>(request.body) ||
                      std::holds_alternative<LoginRequest>(request.body) ||
                      std::holds_alternative<AuthRequest>(request.body) ||
                      std::holds_alternative<HeartbeatRequest>(request.body);
    if (!open && !s->authenticated()) {
        s->link->replyError(request.id, Error{ErrorCode::Unauthenticated,
                                              QStringLiteral("log in or authenticate first")});
        return;
    }
    if (storeBusy(linkId, request.id, request.body))
        return;
    dispatch(linkId, request.id, request.body);
}

void Router::dispatch(quint64 linkId, const ReqId &id, RequestBody &body)
{
    ClientLink *link = session(linkId)->link;
    std::visit(Overloaded{
                   [&](RegisterRequest &r) { onRegister(linkId, id, std::move(r)); },
                   [&](LoginRequest &r) { onLogin(linkId, id, std::move(r)); },
                   [&](AuthRequest &r) { onAuth(linkId, id, std::move(r)); },
                   [&](LogoutRequest &) { onLogout(linkId, id); },
                   [&](SendMessageRequest &r) { onMessage(linkId, id, std::move(r)); },
                   [&](ConversationsRequest &r) { onConversations(linkId, id, std::move(r)); },
                   [&](HistoryRequest &r) { onHistory(linkId, id, std::move(r)); },
                   [&](UserSearchRequest &r) { onUserSearch(linkId, id, std::move(r)); },
                   [&](UsersRequest &r) { onUsers(linkId, id, std::move(r)); },
                   [&](SetDisplayNameRequest &r) { onSetDisplayName(linkId, id, std::move(r)); },
                   [&](DeliveryRequest &r) {
                       onWatermark(linkId, id, r.conversation, r.seq, r.messageIds, false);
                   },
                   [&](ReadRequest &r) {
                       onWatermark(linkId, id, r.conversation, r.seq, r.messageIds, true);
                   },
                   [&](ReceiptsRequest &r) { onReceipts(linkId, id, std::move(r)); },
                   [&](SyncRequest &) { onSync(linkId, id); },
                   [&](HeartbeatRequest &) { link->reply(id, EmptyReply{}); },
                   [&](TypingRequest &r) { onTyping(linkId, id, std::move(r)); },
                   [&](PresenceRequest &r) { onPresence(linkId, id, std::move(r)); },
                   [&](SearchRequest &r) { onSearch(linkId, id, std::move(r)); },
                   [&](HideRequest &r) { onHide(linkId, id, std::move(r)); },
                   [&](auto &) { dispatchGroup(linkId, id, body); },
               },
               body);
}

// ---- accounts ------------------------------------------------------------------------------

auth::CancelFlag Router::closedFlag(Session &s)
{
    if (!s.closed)
        s.closed = std::make_shared<std::atomic_bool>(false);
    return s.closed;
}

QCoro::Task<> Router::onRegister(quint64 linkId, ReqId id, RegisterRequest request)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    Session *s = session(linkId);
    if (s->authenticated()) {
        s->link->replyError(id, Error{ErrorCode::Conflict, QStringLiteral("already logged in")});
        co_return;
    }
    // One password hash per link: a pipelined flood of registers waits its turn in `held`.
    s->authenticating = true;
    Result<QString> userId =
        co_await m_auth.registerUser(std::move(request), s->link->peerAddress(), closedFlag(*s));
    s = self ? session(linkId) : nullptr;
    if (!s)
        co_return;
    s->authenticating = false;
    if (!userId)
        s->link->replyError(id, userId.error());
    else
        s->link->reply(id, RegisterReply{*userId});
    releaseHeld(linkId);
}

QCoro::Task<> Router::onLogin(quint64 linkId, ReqId id, LoginRequest request)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    Session *s = session(linkId);
    if (s->authenticated() || s->authenticating) {
        s->link->replyError(id, Error{ErrorCode::Conflict, QStringLiteral("already logged in")});
        co_return;
    }
    s->authenticating = true;
    Result<auth::LoginOutcome> outcome =
        co_await m_auth.login(std::move(request), s->link->peerAddress(), closedFlag(*s));
    s = self ? session(linkId) : nullptr;
    if (!s)
        co_return;
    s->authenticating = false;
    if (!outcome) {
        s->link->replyError(id, outcome.error());
    } else {
        becomeAuthenticated(linkId, outcome->userId, outcome->deviceId);
        s->link->reply(id, LoginReply{outcome->token, outcome->userId, outcome->deviceId});
    }
    releaseHeld(linkId);
}

QCoro::Task<> Router::onAuth(quint64 linkId, ReqId id, AuthRequest request)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    Session *s = session(linkId);
    if (s->authenticated() || s->authenticating) {
        s->link->replyError(id, Error{ErrorCode::Conflict, QStringLiteral("already logged in")});
        co_return;
    }
    s->authenticating = true;
    Result<store::DeviceSession> device = co_await m_auth.authenticate(request.token);
    s = self ? session(linkId) : nullptr;
    if (!s)
        co_return;
    s->authenticating = false;
    if (!device) {
        s->link->replyError(id, device.error());
    } else {
        becomeAuthenticated(linkId, device->userId, device->deviceId);
        s->link->reply(id, AuthReply{device->userId, device->deviceId});
    }
    releaseHeld(linkId);
}

QCoro::Task<> Router::onLogout(quint64 linkId, ReqId id)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    const QString deviceId = session(linkId)->deviceId;
    // Anonymous at once: nothing more reaches this link, even while the revoke commits.
    becomeAnonymous(linkId);
    Status status = co_await m_auth.logout(deviceId);
    Session *s = self ? session(linkId) : nullptr;
    if (!s)
        co_return;
    if (!status)
        s->link->replyError(id, status.error());
    else
        s->link->reply(id, EmptyReply{});
}

} // namespace tern::server::routing
