#pragma once

//! Group management of one account over its ChatConnection: create, add, remove, leave,
//! rename, roles and read receipts. Stateless: the server answers, nothing is cached here.
//
// Threading/lifetime: main thread, like its ChatConnection (not owned; it must outlive this).
// Each request is one call<Req>() awaited by a coroutine that touches nothing of this object
// after its suspension, so a request may be awaited after the object is gone; destroying the
// connection fails it (Cancelled).

#include "shared/core/Result.h"
#include "shared/protocol/Messages.h"

#include <QObject>

#include <qcoro/qcorotask.h>

namespace tern::app::client {

class ChatConnection;

class GroupRequests : public QObject
{
    Q_OBJECT
public:
    explicit GroupRequests(ChatConnection *connection, QObject *parent = nullptr);

    //! The new group's conversation id.
    [[nodiscard]] QCoro::Task<Result<QString>> createGroup(QString name, QStringList members);
    [[nodiscard]] QCoro::Task<Status> addMembers(QString conversation, QStringList users);
    [[nodiscard]] QCoro::Task<Status> removeMember(QString conversation, QString user);
    [[nodiscard]] QCoro::Task<Status> leaveConversation(QString conversation);
    [[nodiscard]] QCoro::Task<Status> renameGroup(QString conversation, QString name);
    //! `role` is Admin or Member; only the owner may change roles.
    [[nodiscard]] QCoro::Task<Status> setRole(QString conversation, QString user,
                                              protocol::Role role);
    //! Per other member: delivered/read state of message `seq` and their watermarks.
    [[nodiscard]] QCoro::Task<Result<QList<protocol::MemberReceipt>>> receipts(QString conversation,
                                                                               qint64 seq);

private:
    ChatConnection *m_connection;
};

} // namespace tern::app::client
