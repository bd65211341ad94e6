#include "GroupRequests.h"

#include "app/client/ChatConnection.h"

namespace tern::app::client {

namespace {

Status statusOf(const Result<protocol::EmptyReply> &reply)
{
    if (!reply)
        return reply.error();
    return Ok{};
}

} // namespace

GroupRequests::GroupRequests(ChatConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection)
{}

QCoro::Task<Result<QString>> GroupRequests::createGroup(QString name, QStringList members)
{
    QCoro::Task<Result<protocol::CreateGroupReply>> request =
        m_connection->call(protocol::CreateGroupRequest{name, members});
    const Result<protocol::CreateGroupReply> reply = co_await request;
    if (!reply)
        co_return reply.error();
    co_return reply->conversation;
}

// ---- groups ----------------------------------------------------------------------------------

QCoro::Task<Status> GroupRequests::addMembers(QString conversation, QStringList users)
{
    QCoro::Task<Result<protocol::EmptyReply>> request =
        m_connection->call(protocol::AddMembersRequest{conversation, users});
    const Result<protocol::EmptyReply> reply = co_await request;
    co_return statusOf(reply);
}

QCoro::Task<Status> GroupRequests::removeMember(QString conversation, QString user)
{
    QCoro::Task<Result<protocol::EmptyReply>> request =
        m_connection->call(protocol::RemoveMemberRequest{conversation, user});
    const Result<protocol::EmptyReply> reply = co_await request;
    co_return statusOf(reply);
}

QCoro::Task<Status> GroupRequests::leaveConversation(QString conversation)
{
    QCoro::Task<Result<protocol::EmptyReply>> request =
        m_connection->call(protocol::LeaveRequest{conversation});
    const Result<protocol::EmptyReply> reply = co_await request;
    co_return statusOf(reply);
}

QCoro::Task<Status> GroupRequests::renameGroup(QString conversation, QString name)
{
    QCoro::Task<Result<protocol::EmptyReply>> request =
        m_connection->call(protocol::RenameRequest{conversation, name});
    const Result<protocol::EmptyReply> reply = co_await request;
    co_return statusOf(reply);
}

QCoro::Task<Status> GroupRequests::setRole(QString conversation, QString user, protocol::Role role)
{
    QCoro::Task<Result<protocol::EmptyReply>> request =
        m_connection->call(protocol::SetRoleRequest{conversation, user, role});
    const Result<protocol::EmptyReply> reply = co_await request;
    co_return statusOf(reply);
}

QCoro::Task<Result<QList<protocol::MemberReceipt>>> GroupRequests::receipts(QString conversation,
                                                                            qint64 seq)
{
    QCoro::Task<Result<protocol::ReceiptsReply>> request =
        m_connection->call(protocol::ReceiptsRequest{conversation, seq});
    const Result<protocol::ReceiptsReply> reply = co_await request;
    if (!reply)
        co_return reply.error();
    co_return reply->members;
}

} // namespace tern::app::client
