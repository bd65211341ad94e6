#pragma once

// Accounts and sessions: register, login (Argon2id on the bounded HashQueue), token auth (a
// BLAKE2b hash lookup), logout, with login rate limits per account and per address (an attempt
// counts from its start, so concurrent attempts cannot pass the limit) and a register limit
// per address.
// Lives on the socket thread; its coroutines check `self` after every suspension because they
// may outlive it.

#include "server/auth/HashQueue.h"
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

    //! `cancelled` is set when the asking link closes: its queued hashing is then skipped.
    QCoro::Task<Result<QString>> registerUser(protocol::RegisterRequest request, QString address,
                                              CancelFlag cancelled = {});
    QCoro::Task<Result<LoginOutcome>> login(protocol::LoginRequest request, QString address,
                                            CancelFlag cancelled = {});
    QCoro::Task<Result<store::DeviceSession>> authenticate(QString token);
    QCoro::Task<Status> logout(QString deviceId);

private:
    //! `dummyHashMs` is scratch: the dummy hash is timed into it to seed the queue's estimate.
    AuthService(store::Store &store, const ServerConfig &config, QObject *parent,
                qint64 dummyHashMs);
    //! Per-address bounds spare loopback unless configured (tests, benches, a local proxy).
    bool limitsAddress(const QString &address) const;

    store::Store &m_store;
    ServerConfig m_config;
    RateLimiter m_accountFailures;
    RateLimiter m_addressFailures;
    RateLimiter m_registrations;
    QString m_dummyHash; // verified against for unknown users, so timing does not reveal them
    HashQueue m_hashes;  // last: destroyed first, while the rest is still there
};

} // namespace tern::server::auth
