#pragma once

// Carries out `ternd user …` commands on a store: inside a running ternd (through the admin
// socket, where a changed account's live sessions are also closed at once) or in the CLI itself
// when no server runs. Passwords are hashed off the calling thread.

#include "server/admin/AdminCommand.h"
#include "server/store/Store.h"
#include "shared/crypto/Crypto.h"

#include <QCoroTask>
#include <QFuture>
#include <QObject>

#include <functional>

namespace tern::server::admin {

class AdminService : public QObject
{
    Q_OBJECT
public:
    //! Called with a user id after the account's tokens were revoked (passwd, disable), to close
    //! its live sessions; empty when no server runs.
    using SignOut = std::function<void(const QString &userId, const QString &reason)>;

    AdminService(store::Store &store, crypto::PasswordCost cost, SignOut signOut = {},
                 QObject *parent = nullptr);

    QCoro::Task<AdminReply> run(AdminCommand command);

private:
    QCoro::Task<AdminReply> add(AdminCommand command);
    QCoro::Task<AdminReply> list();
    QCoro::Task<AdminReply> change(AdminCommand command);
    //! Argon2id off this thread; an error when hashing failed or this object went meanwhile.
    QCoro::Task<Result<QString>> hashed(QString password);

    store::Store &m_store;
    crypto::PasswordCost m_cost;
    SignOut m_signOut;
};

} // namespace tern::server::admin
