#include "ChatConnection.h"

#include "app/cache/LocalStore.h"
#include "app/client/RequestTracker.h"
#include "shared/core/Log.h"
#include "shared/transport/ClientConnection.h"

#include <QJsonArray>
#include <QPointer>
#include <QUuid>

namespace tern::app::client {

using transport::ClientConnection;

const QString ChatConnection::kTokenKey = QStringLiteral("token");
const QString ChatConnection::kUserIdKey = QStringLiteral("user_id");
const QString ChatConnection::kDeviceIdKey = QStringLiteral("device_id");
const QString ChatConnection::kServerUrlKey = QStringLiteral("server_url");

namespace {
Error clientGone()
{
    return transportError(TransportFailure::Cancelled, QStringLiteral("client destroyed"));
}

Error cannotConnect()
{
    return transportError(TransportFailure::Offline,
                          QStringLiteral("cannot connect to the server"));
}
} // namespace

ChatConnection::ChatConnection(cache::LocalStore *store, QObject *parent)
    : QObject(parent), m_store(store), m_connection(new ClientConnection(this)),
      m_requests(new RequestTracker(this))
{
    qRegisterMetaType<tern::protocol::MessageEvent>();
    qRegisterMetaType<tern::protocol::ReceiptEvent>();
    qRegisterMetaType<tern::protocol::PresenceEvent>();
    qRegisterMetaType<tern::protocol::UserUpdatedEvent>();
    qRegisterMetaType<tern::protocol::TypingEvent>();
    qRegisterMetaType<tern::protocol::HiddenEvent>();
    connect(m_connection, &ClientConnection::connected, this, &ChatConnection::onConnected);
    connect(m_connection, &ClientConnection::disconnected, this, &ChatConnection::onDisconnected);
    connect(m_connection, &ClientConnection::frameReceived, this, &ChatConnection::onFrame);
    connect(m_connection, &ClientConnection::certificateRefused, this,
            &ChatConnection::onCertificateRefused);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ChatConnection::connectNow);
}

ChatConnection::~ChatConnection()
{
    // The connection (a child) is destroyed after this body: it must not call back into us.
    m_connection->disconnect(this);
    m_requests->failAll(clientGone());
    resolveConnectWaiters(false);
}

void ChatConnection::setServerUrl(const QUrl &url)
{
    m_url = url;
    if (url.isValid())
        m_store->setSetting(kServerUrlKey, url.toString());
}

void ChatConnection::setRequestTimeoutMs(int ms)
{
    m_requests->setTimeoutMs(ms);
}

int ChatConnection::nextRetryMs() const
{
    if (!m_retryTimer.isActive())
        return -1;
    return int(qMax<qint64>(0, m_retryDelayMs - m_retryClock.elapsed()));
}

bool ChatConnection::isAuthenticated() const
{
    return m_authenticated && m_connection->isConnected();
}

void ChatConnection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

// ---- connection ------------------------------------------------------------------------------

void ChatConnection::connectNow()
{
    m_retryTimer.stop();
    m_retryDelayMs = -1;
    if (m_connection->status() != ClientConnection::Status::Closed)
        return;
    if (!m_url.isValid() || m_url.isEmpty()) {
        qCWarning(lcNet) << "no server url set";
        resolveConnectWaiters(false);
        setState(State::Offline);
        return;
    }
    setState(State::Connecting);
    // The pin as it is now: a pin set or replaced since the last attempt applies to this one.
    m_connection->setPinnedCertificate(pinFor(m_url));
    m_connection->open(m_url);
}

void ChatConnection::retryNow()
{
    m_refused = false;
    emit trustMayHaveChanged(); // media uploads refused before are tried again
    if (m_wantOnline && !m_token.isEmpty())
        connectNow();
}

void ChatConnection::scheduleReconnect()
{
    m_retryDelayMs = m_backoff.nextDelayMs();
    m_retryClock.restart();
    m_retryTimer.start(m_retryDelayMs);
    qCInfo(lcNet) << "reconnecting in" << m_retryDelayMs << "ms";
    setState(State::Offline);
}

void ChatConnection::resolveConnectWaiters(bool connected)
{
    std::vector<std::shared_ptr<QPromise<bool>>> waiters;
    waiters.swap(m_connectWaiters);
    for (const auto &promise : waiters) {
        promise->addResult(connected);
        promise->finish();
    }
}

void ChatConnection::onConnected()
{
    ++m_generation;
    m_authenticated = false;
    m_refused = false;
    m_problem.reset();
    updateSecurity();
    resolveConnectWaiters(true);
    if (m_manualAuth)
        return; // login()/registerAccount() use this connection
    if (m_wantOnline && !m_token.isEmpty())
        authenticate(m_generation);
    else
        m_connection->close(); // nobody needs it any more
}

void ChatConnection::onDisconnected(int closeCode)
{
    qCInfo(lcNet) << "disconnected, close code" << closeCode;
    ++m_generation;
    m_authenticated = false;
    emit connectionLost(); // the parts drop what belonged to this connection
    m_requests->failAll(
        transportError(TransportFailure::Offline, QStringLiteral("connection lost")));
    resolveConnectWaiters(false);
    if (m_wantOnline && !m_token.isEmpty() && !m_refused)
        scheduleReconnect();
    else
        setState(State::Offline);
}

void ChatConnection::onFrame(const protocol::ServerFrame &frame)
{
    std::visit(
        [this](const auto &event) {
            using T = std::decay_t<decltype(event)>;
            if constexpr (std::is_same_v<T, protocol::AckEvent>) {
                if (!m_requests->resolve(event.id, event.fields))
                    qCDebug(lcNet) << "ack for unknown request" << event.id;
            } else if constexpr (std::is_same_v<T, protocol::ErrorEvent>) {
                const ErrorCode code = errorCodeFromName(event.code).value_or(ErrorCode::Internal);
                if (!event.id || !m_requests->resolve(*event.id, Error{code, event.message}))
                    qCInfo(lcNet) << "server error" << event.code << event.message;
            } else if constexpr (std::is_same_v<T, protocol::MessageEvent>) {
                emit messageEvent(event);
            } else if constexpr (std::is_same_v<T, protocol::ReceiptEvent>) {
                emit receiptEvent(event);
            } else if constexpr (std::is_same_v<T, protocol::PresenceEvent>) {
                emit presenceEvent(event);
            } else if constexpr (std::is_same_v<T, protocol::TypingEvent>) {
                emit typingEvent(event);
            } else if constexpr (std::is_same_v<T, protocol::UserUpdatedEvent>) {
                emit userUpdatedEvent(event);
            } else if constexpr (std::is_same_v<T, protocol::HiddenEvent>) {
                emit hiddenEvent(event);
            }
        },
        frame);
}

QCoro::Task<bool> ChatConnection::ensureConnected()
{
    if (m_connection->isConnected())
        co_return true;
    auto promise = std::make_shared<QPromise<bool>>();
    promise->start();
    QFuture<bool> connected = promise->future();
    m_connectWaiters.push_back(promise);
    connectNow();
    const bool ok = co_await connected;
    co_return ok;
}

QCoro::Task<ChatConnection::RawReply> ChatConnection::callUntyped(protocol::RequestBody body,
                                                                  bool needsAuth, QString id)
{
    if (!m_connection->isConnected() || (needsAuth && !m_authenticated))
        co_return transportError(TransportFailure::Offline, QStringLiteral("not connected"));
    if (id.isEmpty())
        id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QFuture<RawReply> reply = m_requests->track(id);
    if (!m_connection->send(protocol::Request{id, std::move(body)}))
        m_requests->resolve(
            id, transportError(TransportFailure::Offline, QStringLiteral("send refused")));
    // Only the tracker's future is touched after this point, never `this`.
    RawReply result = co_await reply;
    co_return result;
}

Error ChatConnection::undecodableReply(const Error &error)
{
    return transportError(TransportFailure::Protocol,
                          QStringLiteral("the server's answer could not be read: ") +
                              error.message);
}

// ---- session ---------------------------------------------------------------------------------

QCoro::Task<Result<QString>> ChatConnection::registerAccount(QString user, QString password,
                                                             QString displayName)
{
    QPointer<ChatConnection> self(this);
    const bool hadConnection = m_connection->isConnected();
    m_manualAuth = true;
    QCoro::Task<bool> connecting = ensureConnected();
    const bool connected = co_await connecting;
    if (!self)
        co_return clientGone();
    if (!connected) {
        m_manualAuth = false;
        co_return m_refused ? refusedError() : cannotConnect();
    }
    QCoro::Task<Result<protocol::RegisterReply>> request =
        call(protocol::RegisterRequest{user, password, displayName}, false);
    const Result<protocol::RegisterReply> reply = co_await request;
    if (!self)
        co_return clientGone();
    m_manualAuth = false;
    // `register` does not authenticate: a connection opened only for it is not kept.
    if (!hadConnection && !m_authenticated)
        m_connection->close();
    if (!reply)
        co_return reply.error();
    co_return reply->userId;
}

QCoro::Task<Result<Session>> ChatConnection::login(QString user, QString password,
                                                   QString deviceName)
{
    QPointer<ChatConnection> self(this);
    if (isAuthenticated())
        co_return Error{ErrorCode::Conflict, QStringLiteral("already logged in")};
    m_manualAuth = true;
    QCoro::Task<bool> connecting = ensureConnected();
    const bool connected = co_await connecting;
    if (!self)
        co_return clientGone();
    if (!connected) {
        m_manualAuth = false;
        co_return m_refused ? refusedError() : cannotConnect();
    }
    const quint64 generation = m_generation;
    setState(State::Authenticating);
    QCoro::Task<Result<protocol::LoginReply>> request =
        call(protocol::LoginRequest{user, password, deviceName}, false);
    const Result<protocol::LoginReply> reply = co_await request;
    if (!self)
        co_return clientGone();
    if (!reply) {
        m_manualAuth = false;
        if (generation == m_generation)
            m_connection->close();
        co_return reply.error();
    }
    Session session{reply->token, reply->userId, reply->deviceId};
    m_token = session.token;
    setUserId(session.userId);
    m_deviceId = session.deviceId;
    m_wantOnline = true;
    // The session is durable before anything depends on it (resume() after a crash).
    QFuture<Status> saved = m_store->setSettings({{kTokenKey, session.token},
                                                  {kUserIdKey, session.userId},
                                                  {kDeviceIdKey, session.deviceId},
                                                  {kServerUrlKey, m_url.toString()}});
    const Status status = co_await saved;
    if (!self)
        co_return clientGone();
    m_manualAuth = false;
    if (!status)
        qCWarning(lcStore) << "session not stored:" << status.error().message;
    if (generation == m_generation && m_connection->isConnected()) {
        m_authenticated = true;
        afterAuth(generation);
    } else {
        connectNow(); // lost meanwhile: authenticate with the new token on a new connection
    }
    co_return session;
}

void ChatConnection::setUserId(const QString &userId)
{
    if (userId == m_userId)
        return;
    m_userId = userId;
    emit userIdChanged();
}

QCoro::Task<Status> ChatConnection::resume(QString token)
{
    QPointer<ChatConnection> self(this);
    QFuture<Result<QHash<QString, QString>>> loading = m_store->settings();
    const Result<QHash<QString, QString>> settings = co_await loading;
    if (!self)
        co_return clientGone();
    if (!settings)
        co_return settings.error();
    // A token from the OS keychain wins; the cache file holds one only without a keychain.
    if (token.isEmpty())
        token = settings->value(kTokenKey);
    if (token.isEmpty())
        co_return Error{ErrorCode::Unauthenticated, QStringLiteral("no stored session")};
    m_token = token;
    setUserId(settings->value(kUserIdKey));
    m_deviceId = settings->value(kDeviceIdKey);
    if (m_url.isEmpty())
        m_url = QUrl(settings->value(kServerUrlKey));
    m_wantOnline = true;
    m_backoff.reset();
    connectNow();
    co_return Ok{};
}

QCoro::Task<Status> ChatConnection::logout()
{
    QPointer<ChatConnection> self(this);
    m_wantOnline = false;
    m_retryTimer.stop();
    m_retryDelayMs = -1;
    if (isAuthenticated()) {
        QCoro::Task<Result<protocol::EmptyReply>> request = call(protocol::LogoutRequest{});
        const Result<protocol::EmptyReply> reply = co_await request;
        if (!self)
            co_return clientGone();
        if (!reply)
            qCInfo(lcNet) << "logout not confirmed:" << reply.error().message;
    }
    m_token.clear();
    m_authenticated = false;
    QFuture<Status> cleared = m_store->setSetting(kTokenKey, QString());
    const Status status = co_await cleared;
    if (!self)
        co_return clientGone();
    m_connection->close();
    setState(State::Offline);
    co_return status;
}

QCoro::Task<> ChatConnection::authenticate(quint64 generation)
{
    QPointer<ChatConnection> self(this);
    setState(State::Authenticating);
    QCoro::Task<Result<protocol::AuthReply>> request = call(protocol::AuthRequest{m_token}, false);
    const Result<protocol::AuthReply> reply = co_await request;
    if (!self || generation != m_generation)
        co_return;
    if (!reply) {
        const ErrorCode code = reply.error().code;
        if (code == ErrorCode::Unauthenticated || code == ErrorCode::Forbidden) {
            // Revoked token or disabled account: retrying cannot help; the UI asks to log in.
            m_wantOnline = false;
            m_token.clear();
            m_store->setSetting(kTokenKey, QString());
            emit authFailed(errorCodeName(code), reply.error().message);
            m_connection->close();
        } else {
            m_connection->abort(); // transient: reconnect with backoff
        }
        co_return;
    }
    m_authenticated = true;
    setUserId(reply->userId);
    m_deviceId = reply->deviceId;
    QCoro::Task<> next = afterAuth(generation);
    co_await next;
}

QCoro::Task<> ChatConnection::afterAuth(quint64 generation)
{
    QPointer<ChatConnection> self(this);
    m_backoff.reset();
    setState(State::Syncing);
    // The parts' steps (Inbox: backlog and conversation list; Outbox: flush), in order. A copy:
    // a step added while these run waits for the next authentication.
    const std::vector<OwnedStep> steps = m_syncSteps;
    for (const OwnedStep &owned : steps) {
        if (!owned.owner)
            continue;
        QCoro::Task<Status> running = owned.step(generation);
        const Status done = co_await running;
        if (!self || generation != m_generation)
            co_return;
        if (!done) {
            qCWarning(lcNet) << "sync failed:" << done.error().message;
            m_connection->abort();
            co_return;
        }
    }
    setState(State::Online);
    emit synced();
    if (!self || generation != m_generation)
        co_return;
    emit onlineAfterSync(generation);
}

void ChatConnection::addSyncStep(QObject *owner, SyncStep step)
{
    m_syncSteps.push_back(OwnedStep{owner, std::move(step)});
}

bool ChatConnection::notify(protocol::RequestBody body)
{
    return m_connection->send(protocol::Request{std::nullopt, std::move(body)});
}

} // namespace tern::app::client
