// ChatClient, part three: group management, receipts, presence and user names on request.

#include "ChatClient.h"

#include "shared/core/Log.h"
#include "shared/model/Limits.h"

#include <QPointer>

namespace tern::app::client {

namespace {

Error clientGone()
{
    return transportError(TransportFailure::Cancelled, QStringLiteral("client destroyed"));
}

Status statusOf(const Result<protocol::EmptyReply> &reply)
{
    if (!reply)
        return reply.error();
    return Ok{};
}

//! The server answers at most this many ids per `presence`/`users` request.
constexpr qsizetype kChunk = limits::kMaxPresenceUsers;

} // namespace

// ---- groups ----------------------------------------------------------------------------------

QCoro::Task<Status> ChatClient::addMembers(QString conversation, QStringList users)
{
    QCoro::Task<Result<protocol::EmptyReply>> request =
        call(protocol::AddMembersRequest{conversation, users});
    const Result<protocol::EmptyReply> reply = co_await request;
    co_return statusOf(reply);
}

QCoro::Task<Status> ChatClient::removeMember(QString conversation, QString user)
{
    QCoro::Task<Result<protocol::EmptyReply>> request =
        call(protocol::RemoveMemberRequest{conversation, user});
    const Result<protocol::EmptyReply> reply = co_await request;
    co_return statusOf(reply);
}

QCoro::Task<Status> ChatClient::leaveConversation(QString conversation)
{
    QCoro::Task<Result<protocol::EmptyReply>> request = call(protocol::LeaveRequest{conversation});
    const Result<protocol::EmptyReply> reply = co_await request;
    co_return statusOf(reply);
}

QCoro::Task<Status> ChatClient::renameGroup(QString conversation, QString name)
{
    QCoro::Task<Result<protocol::EmptyReply>> request =
        call(protocol::RenameRequest{conversation, name});
    const Result<protocol::EmptyReply> reply = co_await request;
    co_return statusOf(reply);
}

QCoro::Task<Status> ChatClient::setRole(QString conversation, QString user, protocol::Role role)
{
    QCoro::Task<Result<protocol::EmptyReply>> request =
        call(protocol::SetRoleRequest{conversation, user, role});
    const Result<protocol::EmptyReply> reply = co_await request;
    co_return statusOf(reply);
}

// ---- receipts, presence, users ---------------------------------------------------------------

QCoro::Task<Result<QList<protocol::MemberReceipt>>> ChatClient::receipts(QString conversation,
                                                                         qint64 seq)
{
    QCoro::Task<Result<protocol::ReceiptsReply>> request =
        call(protocol::ReceiptsRequest{conversation, seq});
    const Result<protocol::ReceiptsReply> reply = co_await request;
    if (!reply)
        co_return reply.error();
    co_return reply->members;
}

QCoro::Task<Result<QList<protocol::PresenceEvent>>> ChatClient::presence(QStringList users)
{
    QPointer<ChatClient> self(this);
    QList<protocol::PresenceEvent> all;
    users.removeDuplicates();
    for (qsizetype from = 0; from < users.size(); from += kChunk) {
        QCoro::Task<Result<protocol::PresenceReply>> request =
            call(protocol::PresenceRequest{users.mid(from, kChunk)});
        const Result<protocol::PresenceReply> reply = co_await request;
        if (!self)
            co_return clientGone();
        if (!reply)
            co_return reply.error();
        all.append(reply->users);
    }
    co_return all;
}

QCoro::Task<Result<QList<protocol::UserInfo>>> ChatClient::users(QStringList ids)
{
    QPointer<ChatClient> self(this);
    QList<protocol::UserInfo> all;
    ids.removeDuplicates();
    for (qsizetype from = 0; from < ids.size(); from += kChunk) {
        QCoro::Task<Result<protocol::UsersReply>> request =
            call(protocol::UsersRequest{ids.mid(from, kChunk)});
        const Result<protocol::UsersReply> reply = co_await request;
        if (!self)
            co_return clientGone();
        if (!reply)
            co_return reply.error();
        all.append(reply->users);
    }
    co_return all;
}

QCoro::Task<Result<QString>> ChatClient::setDisplayName(QString displayName)
{
    QPointer<ChatClient> self(this);
    QCoro::Task<Result<protocol::SetDisplayNameReply>> request =
        call(protocol::SetDisplayNameRequest{displayName});
    const Result<protocol::SetDisplayNameReply> reply = co_await request;
    if (!self)
        co_return clientGone();
    if (!reply)
        co_return reply.error();
    const QString stored = reply->displayName;
    // The server's user_updated event follows; the UI need not wait for it.
    emit userUpdated(protocol::UserUpdatedEvent{m_userId, stored});
    co_return stored;
}

QCoro::Task<> ChatClient::refreshPresence(quint64 generation, QStringList members)
{
    QPointer<ChatClient> self(this);
    if (members.isEmpty())
        members = QStringList(m_knownMembers.cbegin(), m_knownMembers.cend());
    if (members.isEmpty())
        co_return;
    QCoro::Task<Result<QList<protocol::PresenceEvent>>> asking = presence(members);
    const Result<QList<protocol::PresenceEvent>> answer = co_await asking;
    if (!self || generation != m_generation)
        co_return;
    if (!answer) {
        qCInfo(lcNet) << "presence not refreshed:" << answer.error().message;
        co_return;
    }
    for (const protocol::PresenceEvent &event : *answer)
        emit presenceChanged(event);
}

} // namespace tern::app::client
