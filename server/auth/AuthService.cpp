#include "AuthService.h"

#include "server/auth/ClientAddress.h"

#include "shared/core/Clock.h"
#include "shared/core/Log.h"
#include "shared/crypto/Crypto.h"

#include <QCoroFuture>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace tern::server::auth {

namespace {
constexpr qint64 kWindowMs = 60'000;
constexpr qint64 kTouchIntervalMs = 3600 * 1000;

Error wrongCredentials()
{
    return Error{ErrorCode::Unauthenticated, QStringLiteral("wrong user name or password")};
}
Error gone()
{
    return Error{ErrorCode::Internal, QStringLiteral("server is shutting down")};
}
Error linkClosed()
{
    return Error{ErrorCode::Internal, QStringLiteral("the connection closed")};
}
Error busy()
{
    return Error{ErrorCode::RateLimited,
                 QStringLiteral("the server is busy checking passwords; try again shortly")};
}

QString timedDummyHash(crypto::PasswordCost cost, qint64 *ms)
{
    QElapsedTimer timer;
    timer.start();
    QString hash = crypto::hashPassword(QStringLiteral("not a real password"), cost);
    *ms = timer.elapsed();
    return hash;
}
} // namespace

AuthService::AuthService(store::Store &store, const ServerConfig &config, QObject *parent)
    : AuthService(store, config, parent, 0)
{}

AuthService::AuthService(store::Store &store, const ServerConfig &config, QObject *parent,
                         qint64 dummyHashMs)
    : QObject(parent), m_store(store), m_config(config),
      m_accountFailures(config.failedLoginsPerAccountPerMinute, kWindowMs),
      m_addressFailures(config.failedLoginsPerAddressPerMinute, kWindowMs),
      m_registrations(config.registrationsPerAddressPerMinute, kWindowMs),
      m_dummyHash(timedDummyHash(config.passwordCost, &dummyHashMs)),
      m_hashes(config.maxQueuedHashes, config.maxHashWaitMs, dummyHashMs)
{}

bool AuthService::limitsAddress(const QString &address) const
{
    return m_config.limitLoopback || !QHostAddress(address).isLoopback();
}

QCoro::Task<Result<QString>> AuthService::registerUser(protocol::RegisterRequest request,
                                                       QString address, CancelFlag cancelled)
{
    if (!m_config.registrationEnabled)
        co_return Error{ErrorCode::Forbidden, QStringLiteral("registration is turned off")};
    if (limitsAddress(address)) {
        const QString key = QStringLiteral("addr:") + limitedAddressKey(address);
        if (m_registrations.isLimited(key, nowMs()))
            co_return Error{ErrorCode::RateLimited,
                            QStringLiteral("too many registrations from this address; try again "
                                           "in a minute")};
        m_registrations.recordFailure(key, nowMs());
    }
    HashQueue::Ticket place = m_hashes.reserve();
    if (!place)
        co_return busy();
    QPointer<AuthService> self(this);
    const crypto::PasswordCost cost = m_config.passwordCost;
    const QString password = request.password;
    // Named future first: g++ 12 double-destroys a lambda inside a co_await expression.
    QFuture<std::optional<QString>> hashing =
        m_hashes.run<QString>([password, cost] { return crypto::hashPassword(password, cost); },
                              cancelled, std::move(place));
    const std::optional<QString> hashed = co_await hashing;
    if (!self)
        co_return gone();
    if (!hashed)
        co_return linkClosed();
    const QString hash = *hashed;
    if (hash.isEmpty())
        co_return Error{ErrorCode::Internal, QStringLiteral("password hashing failed")};
    const QString displayName = request.displayName.isEmpty() ? request.user : request.displayName;
    QFuture<Result<QString>> created = m_store.createUser(request.user, displayName, hash);
    Result<QString> userId = co_await created;
    co_return userId;
}

QCoro::Task<Result<LoginOutcome>> AuthService::login(protocol::LoginRequest request,
                                                     QString address, CancelFlag cancelled)
{
    QPointer<AuthService> self(this);
    const QString accountKey = QStringLiteral("account:") + request.user;
    const QString addressKey = QStringLiteral("addr:") + limitedAddressKey(address);
    const bool byAddress = limitsAddress(address);
    if (m_accountFailures.isLimited(accountKey, nowMs()) ||
        (byAddress && m_addressFailures.isLimited(addressKey, nowMs())))
        co_return Error{ErrorCode::RateLimited,
                        QStringLiteral("too many failed logins; try again in a minute")};
    // Reserved before the user lookup: logins awaiting it side by side must see each other.
    HashQueue::Ticket place = m_hashes.reserve();
    if (!place)
        co_return busy();
    // Counted as failed from the start, so attempts running side by side see each other; a
    // correct password takes it back.
    const qint64 stamp = nowMs();
    m_accountFailures.recordFailure(accountKey, stamp);
    if (byAddress)
        m_addressFailures.recordFailure(addressKey, stamp);
    auto refund = [&] {
        m_accountFailures.forget(accountKey, stamp);
        m_addressFailures.forget(addressKey, stamp);
    };

    QFuture<Result<store::UserRecord>> lookup = m_store.findUserByName(request.user);
    Result<store::UserRecord> user = co_await lookup;
    if (!self)
        co_return gone();
    if (!user && user.error().code != ErrorCode::NotFound) {
        refund();
        co_return user.error();
    }

    const QString hash = user ? user->passwordHash : m_dummyHash;
    const QString password = request.password;
    QFuture<std::optional<bool>> verifying =
        m_hashes.run<bool>([password, hash] { return crypto::verifyPassword(password, hash); },
                           cancelled, std::move(place));
    const std::optional<bool> verified = co_await verifying;
    if (!self)
        co_return gone();
    if (!verified)
        co_return linkClosed(); // the attempt stays counted
    if (!user || !*verified) {
        qCInfo(lcAuth) << "failed login for" << request.user << "from" << address;
        co_return wrongCredentials();
    }
    refund();
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
    QPointer<AuthService> self(this);
    QFuture<Result<store::DeviceSession>> lookup =
        m_store.authenticateToken(crypto::tokenHash(token));
    Result<store::DeviceSession> session = co_await lookup;
    if (!self)
        co_return gone();
    const qint64 expiry = m_config.tokenIdleExpiryMs;
    if (!session || expiry <= 0)
        co_return session;
    const qint64 idle = nowMs() - session->lastUsedMs;
    if (idle > expiry)
        co_return Error{ErrorCode::Unauthenticated,
                        QStringLiteral("this token has expired; log in again")};
    // Written at most about once an hour per device, not on every reconnect, yet always well
    // before the token would expire.
    if (idle > std::min<qint64>(expiry / 8, kTouchIntervalMs))
        m_store.touchDevice(session->deviceId);
    co_return session;
}

QCoro::Task<Status> AuthService::logout(QString deviceId)
{
    QFuture<Status> revoking = m_store.revokeDevice(deviceId);
    Status status = co_await revoking;
    co_return status;
}

} // namespace tern::server::auth
