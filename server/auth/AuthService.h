#pragma once

// Accounts and sessions: register, login (Argon2id off the socket thread), token auth (a
// BLAKE2b hash lookup), logout, with failed-login rate limits per account and per address.
// Lives on the socket thread; its coroutines check `self` after every suspension because they
// may outlive it.

#include "server/auth/RateLimiter.h"
#include "server/config/ServerConfig.h"
#include "server/store/Store.h"
#include "shared/protocol/Messages.h"

#include <QCoroTask>
#include <QObject>

namespace tern::server::auth {

struct LoginOutcome
{
    QString token;
    QString userId;
    QString deviceId;
};

class AuthService : public QObject
{
    Q_OBJECT
public:
    AuthService(store::Store &store, const ServerConfig &config, QObject *parent = nullptr);

    QCoro::Task<Result<QString>> registerUser(protocol::RegisterRequest request);
    QCoro::Task<Result<LoginOutcome>> login(protocol::LoginRequest request, QString address);
    QCoro::Task<Result<store::DeviceSession>> authenticate(QString token);
    QCoro::Task<Status> logout(QString deviceId);

private:
    store::Store &m_store;
    ServerConfig m_config;
    RateLimiter m_accountFailures;
    RateLimiter m_addressFailures;
    QString m_dummyHash; // verified against for unknown users, so timing does not reveal them
};

} // namespace tern::server::auth
