#include "AuthService.h"

#include "shared/core/Clock.h"
#include "shared/core/Log.h"
#include "shared/crypto/Crypto.h"

#include <QCoroFuture>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace tern::server::auth {

namespace {
constexpr qint64 kWindowMs = 60'000;

Error wrongCredentials()
{
    return Error{ErrorCode::Unauthenticated, QStringLiteral("wrong user name or password")};
}
Error gone()
{
    return Error{ErrorCode::Internal, QStringLiteral("server is shutting down")};
}
} // namespace

AuthService::AuthService(store::Store &store, const ServerConfig &config, QObject *parent)
    : QObject(parent), m_store(store), m_config(config),
      m_accountFailures(config.failedLoginsPerAccountPerMinute, kWindowMs),
      m_addressFailures(config.failedLoginsPerAddressPerMinute, kWindowMs),
      m_dummyHash(crypto::hashPassword(QStringLiteral("not a real password"), config.passwordCost))
{}

QCoro::Task<Result<QString>> AuthService::registerUser(protocol::RegisterRequest request)
{
    if (!m_config.registrationEnabled)
        co_return Error{ErrorCode::Forbidden, QStringLiteral("registration is turned off")};
    QPointer<AuthService> self(this);
    const crypto::PasswordCost cost = m_config.passwordCost;
    const QString password = request.password;
    // Named future first: g++ 12 double-destroys a lambda inside a co_await expression.
    QFuture<QString> hashing =
        QtConcurrent::run([password, cost] { return crypto::hashPassword(password, cost); });
    const QString hash = co_await hashing;
    if (!self)
        co_return gone();
    if (hash.isEmpty())
        co_return Error{ErrorCode::Internal, QStringLiteral("password hashing failed")};
    const QString displayName = request.displayName.isEmpty() ? request.user : request.displayName;
    QFuture<Result<QString>> created = m_store.createUser(request.user, displayName, hash);
    Result<QString> userId = co_await created;
    co_return userId;
}

QCoro::Task<Result<LoginOutcome>> AuthService::login(protocol::LoginRequest request,
                                                     QString address)
{
    QPointer<AuthService> self(this);
    const QString accountKey = QStringLiteral("account:") + request.user;
    const QString addressKey = QStringLiteral("addr:") + address;
    if (m_accountFailures.isLimited(accountKey, nowMs()) ||
        m_addressFailures.isLimited(addressKey, nowMs()))
        co_return Error{ErrorCode::RateLimited,
                        QStringLiteral("too many failed logins; try again in a minute")};

    QFuture<Result<store::UserRecord>> lookup = m_store.findUserByName(request.user);
    Result<store::UserRecord> user = co_await lookup;
    if (!self)
        co_return gone();
    if (!user && user.error().code != ErrorCode::NotFound)
        co_return user.error();

    const QString hash = user ? user->passwordHash : m_dummyHash;
    const QString password = request.password;
    QFuture<bool> verifying =
        QtConcurrent::run([password, hash] { return crypto::verifyPassword(password, hash); });
    const bool verified = co_await verifying;
    if (!self)
        co_return gone();
    if (!user || !verified) {
        m_accountFailures.recordFailure(accountKey, nowMs());
        m_addressFailures.recordFailure(addressKey, nowMs());
        qCInfo(lcAuth) << "failed login for" << request.user << "from" << address;
        co_return wrongCredentials();
    }
    if (user->disabled)
        co_return Error{ErrorCode::Forbidden, QStringLiteral("this account is disabled")};

    LoginOutcome outcome;
    outcome.token = crypto::newToken();
    outcome.userId = user->id;
    QFuture<Result<QString>> creating =
        m_store.createDevice(user->id, request.device, crypto::tokenHash(outcome.token));
    Result<QString> device = co_await creating;
    if (!device)
        co_return device.error();
    outcome.deviceId = *device;
    co_return outcome;
}

QCoro::Task<Result<store::DeviceSession>> AuthService::authenticate(QString token)
{
    QFuture<Result<store::DeviceSession>> lookup =
        m_store.authenticateToken(crypto::tokenHash(token));
    Result<store::DeviceSession> session = co_await lookup;
    co_return session;
}

QCoro::Task<Status> AuthService::logout(QString deviceId)
{
    QFuture<Status> revoking = m_store.revokeDevice(deviceId);
    Status status = co_await revoking;
    co_return status;
}

} // namespace tern::server::auth
