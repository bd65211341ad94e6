// Router: groups, typing and presence (accounts in Router.cpp, messages in RouterMessages.cpp).

#include "Router.h"

#include "server/routing/Overloaded.h"

#include "shared/core/Clock.h"
#include "shared/model/Limits.h"
#include "shared/protocol/Codec.h"

#include <QCoroFuture>
#include <QJsonArray>
#include <QPointer>

namespace tern::server::routing {

using namespace tern::protocol;

namespace {
constexpr qint64 kTypingThrottleMs = 1000;
} // namespace

void Router::dispatchGroup(quint64 linkId, const ReqId &id, RequestBody &body)
{
    const QString me = session(linkId)->userId;
    const int limit = m_config.groupMemberLimit;
    // Creating groups and adding members put conversations on other people's lists: bounded
    // per user, so nobody can bury a victim in groups (docs/protocol.md, "Groups").
    if ((std::holds_alternative<CreateGroupRequest>(body) ||
         std::holds_alternative<AddMembersRequest>(body)) &&
        groupChangeLimited(me)) {
        session(linkId)->link->replyError(
            id, Error{ErrorCode::RateLimited,
                      QStringLiteral("too many groups created or members added; at most %1 a "
                                     "minute")
                          .arg(m_config.groupChangesPerMinute)});
        return;
    }
    const quint64 ticket = takeTicket();
    std::visit(Overloaded{
                   [&](CreateGroupRequest &r) {
                       onGroupChange(linkId, id, ticket,
                                     m_store.createGroup(me, r.name, r.members, limit), true);
                   },
                   [&](AddMembersRequest &r) {
                       onGroupChange(linkId, id, ticket,
                                     m_store.addMembers(me, r.conversation, r.members, limit),
                                     false);
                   },
                   [&](RemoveMemberRequest &r) {
                       onGroupChange(linkId, id, ticket,
                                     m_store.removeMember(me, r.conversation, r.user), false);
                   },
                   [&](LeaveRequest &r) {
                       onGroupChange(linkId, id, ticket,
                                     m_store.leaveConversation(me, r.conversation), false);
                   },
                   [&](RenameRequest &r) {
                       onGroupChange(linkId, id, ticket,
                                     m_store.renameGroup(me, r.conversation, r.name), false);
                   },
                   [&](SetRoleRequest &r) {
                       onGroupChange(linkId, id, ticket,
                                     m_store.setRole(me, r.conversation, r.user, r.role), false);
                   },
                   [&](auto &) {
                       release(ticket, [] {});
                       session(linkId)->link->replyError(
                           id, Error{ErrorCode::Internal, QStringLiteral("unroutable request")});
                   },
               },
               body);
}

QCoro::Task<> Router::onGroupChange(quint64 linkId, ReqId id, quint64 ticket,
                                    QFuture<Result<store::GroupChange>> pending,
                                    bool ackConversation)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    Result<store::GroupChange> change = co_await pending;
    if (!self)
        co_return;
    release(ticket, [this, linkId, id, change, ackConversation] {
        if (Session *s = session(linkId)) {
            if (!change)
                s->link->replyError(id, change.error());
            else if (ackConversation)
                s->link->reply(id, CreateGroupReply{change->conversation});
            else
                s->link->reply(id, EmptyReply{});
        }
        if (!change)
            return;
        // Every device of every member (the actor's included) gets the system messages: they
        // are the members' record of the change, in seq order.
        for (qsizetype i = 0; i < change->systemMessages.size(); ++i)
            sendToUsers(i == 0 ? change->recipients : change->members,
                        encodeEvent(change->systemMessages.at(i)));
    });
}

QCoro::Task<> Router::onTyping(quint64 linkId, ReqId id, TypingRequest request)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    const QString userId = session(linkId)->userId;
    QFuture<Result<QStringList>> loading = m_store.members(userId, request.conversation);
    Result<QStringList> members = co_await loading;
    if (!self)
        co_return;
    Session *s = session(linkId);
    if (!members) {
        if (s)
            s->link->replyError(id, members.error());
        co_return;
    }
    if (s)
        s->link->reply(id, EmptyReply{});
    const QString key = userId + QLatin1Char('|') + request.conversation;
    const qint64 now = nowMs();
    if (now - m_lastTypingRelay.value(key, 0) < kTypingThrottleMs)
        co_return;
    if (m_lastTypingRelay.size() > 100'000)
        m_lastTypingRelay.clear(); // entries only matter for a second
    m_lastTypingRelay.insert(key, now);
    QStringList others = *members;
    others.removeAll(userId);
    sendToUsers(others, encodeEvent(TypingEvent{request.conversation, userId}));
}

QCoro::Task<> Router::onPresence(quint64 linkId, ReqId id, PresenceRequest request)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    if (request.users.size() > limits::kMaxPresenceUsers) {
        session(linkId)->link->replyError(
            id, Error{ErrorCode::LimitExceeded,
                      QStringLiteral("ask about at most %1 users").arg(limits::kMaxPresenceUsers)});
        co_return;
    }
    QFuture<Result<QStringList>> loading = m_store.contacts(session(linkId)->userId);
    Result<QStringList> contacts = co_await loading;
    if (!self || !session(linkId))
        co_return;
    if (!contacts) {
        session(linkId)->link->replyError(id, contacts.error());
        co_return;
    }
    // Only users who share a conversation with the asker are answered about.
    const QSet<QString> known(contacts->begin(), contacts->end());
    QStringList asked;
    for (const QString &u : request.users) {
        if (known.contains(u) && !asked.contains(u))
            asked << u;
    }
    QFuture<Result<QHash<QString, qint64>>> seen = m_store.lastSeen(asked);
    Result<QHash<QString, qint64>> lastSeen = co_await seen;
    Session *s = self ? session(linkId) : nullptr;
    if (!s)
        co_return;
    if (!lastSeen) {
        s->link->replyError(id, lastSeen.error());
        co_return;
    }
    PresenceReply reply;
    for (const QString &u : asked) {
        PresenceEvent p;
        p.userId = u;
        p.status = m_presence.isOnline(u) ? protocol::PresenceStatus::Online
                                          : protocol::PresenceStatus::Offline;
        if (std::optional<qint64> recent = m_lastSeen.pending(u))
            p.lastSeen = *recent; // not written yet, and newer than the stored one
        else if (lastSeen->contains(u))
            p.lastSeen = lastSeen->value(u);
        reply.users.append(std::move(p));
    }
    s->link->reply(id, reply);
}

QCoro::Task<> Router::announcePresence(QString userId, bool online, qint64 lastSeenMs)
{
    QPointer<Router> self(this);
    QFuture<Result<QStringList>> loading = m_store.contacts(userId);
    Result<QStringList> contacts = co_await loading;
    if (!self || !contacts)
        co_return;
    PresenceEvent event;
    event.userId = userId;
    event.status = online ? protocol::PresenceStatus::Online : protocol::PresenceStatus::Offline;
    if (!online)
        event.lastSeen = lastSeenMs;
    sendToUsers(*contacts, encodeEvent(event));
}

} // namespace tern::server::routing
