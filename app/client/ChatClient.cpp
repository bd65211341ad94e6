#include "ChatClient.h"

#include "app/cache/LocalStore.h"
#include "app/client/MediaDownloads.h"
#include "app/client/RequestTracker.h"
#include "shared/core/Log.h"
#include "shared/transport/ClientConnection.h"

#include <QJsonArray>
#include <QPointer>
#include <QUuid>

namespace tern::app::client {

using transport::ClientConnection;

const QString ChatClient::kTokenKey = QStringLiteral("token");
const QString ChatClient::kUserIdKey = QStringLiteral("user_id");
const QString ChatClient::kDeviceIdKey = QStringLiteral("device_id");
const QString ChatClient::kServerUrlKey = QStringLiteral("server_url");

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

ChatClient::ChatClient(cache::LocalStore *store, QObject *parent)
    : QObject(parent), m_store(store), m_connection(new ClientConnection(this)),
      m_requests(new RequestTracker(this))
{
    qRegisterMetaType<tern::protocol::MessageEvent>();
    qRegisterMetaType<tern::protocol::ReceiptEvent>();
    qRegisterMetaType<tern::protocol::PresenceEvent>();
    qRegisterMetaType<tern::protocol::UserUpdatedEvent>();
    qRegisterMetaType<tern::protocol::TypingEvent>();
    qRegisterMetaType<tern::app::cache::OutboxItem>();
    m_clock.start();
    // Made before the network manager, so it is destroyed first and aborts its replies.
    m_downloads = new MediaDownloads(this);
    connect(m_connection, &ClientConnection::connected, this, &ChatClient::onConnected);
    connect(m_connection, &ClientConnection::disconnected, this, &ChatClient::onDisconnected);
    connect(m_connection, &ClientConnection::frameReceived, this, &ChatClient::onFrame);
    connect(m_connection, &ClientConnection::certificateRefused, this,
            &ChatClient::onCertificateRefused);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ChatClient::connectNow);
    // Receipts of a burst (a sync page) go out as one watermark per conversation.
    m_deliveryTimer.setSingleShot(true);
    m_deliveryTimer.setInterval(100);
    connect(&m_deliveryTimer, &QTimer::timeout, this, &ChatClient::sendDeliveries);
    // Items the server answered `internal`/`rate_limited` are tried again on this connection.
    m_outboxRetryTimer.setSingleShot(true);
    m_outboxRetryTimer.setInterval(5000);
    connect(&m_outboxRetryTimer, &QTimer::timeout, this, &ChatClient::flushOutbox);
    // New conversations show up as messages first; one list refresh covers a burst of them.
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(200);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        if (isAuthenticated())
            refreshConversations();
    });
}

ChatClient::~ChatClient()
{
    // The connection (a child) is destroyed after this body: it must not call back into us.
    m_connection->disconnect(this);
    m_requests->failAll(clientGone());
    resolveConnectWaiters(false);
}

void ChatClient::setServerUrl(const QUrl &url)
{
    m_url = url;
    if (url.isValid())
        m_store->setSetting(kServerUrlKey, url.toString());
}

void ChatClient::setRequestTimeoutMs(int ms)
{
    m_requests->setTimeoutMs(ms);
}

int ChatClient::nextRetryMs() const
{
    if (!m_retryTimer.isActive())
        return -1;
    return int(qMax<qint64>(0, m_retryDelayMs - m_retryClock.elapsed()));
}

bool ChatClient::isAuthenticated() const
{
    return m_authenticated && m_connection->isConnected();
}

void ChatClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

// ---- connection ------------------------------------------------------------------------------

void ChatClient::connectNow()
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

void ChatClient::retryNow()
{
    m_refused = false;
    if (m_mediaRefused) {
        m_mediaRefused = false;
        flushOutbox();
    }
    if (m_wantOnline && !m_token.isEmpty())
        connectNow();
}

void ChatClient::scheduleReconnect()
{
    m_retryDelayMs = m_backoff.nextDelayMs();
    m_retryClock.restart();
    m_retryTimer.start(m_retryDelayMs);
    qCInfo(lcNet) << "reconnecting in" << m_retryDelayMs << "ms";
    setState(State::Offline);
}

void ChatClient::resolveConnectWaiters(bool connected)
{
    std::vector<std::shared_ptr<QPromise<bool>>> waiters;
    waiters.swap(m_connectWaiters);
    for (const auto &promise : waiters) {
        promise->addResult(connected);
        promise->finish();
    }
}

void ChatClient::onConnected()
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

void ChatClient::onDisconnected(int closeCode)
{
    qCInfo(lcNet) << "disconnected, close code" << closeCode;
    ++m_generation;
    m_authenticated = false;
    m_inFlight.clear();
    m_pendingDelivery.clear(); // the next sync re-sends the tail; watermarks follow it
    m_deliveryTimer.stop();
    m_outboxRetryTimer.stop();
    m_requests->failAll(
        transportError(TransportFailure::Offline, QStringLiteral("connection lost")));
    resolveConnectWaiters(false);
    if (m_wantOnline && !m_token.isEmpty() && !m_refused)
        scheduleReconnect();
    else
        setState(State::Offline);
}

void ChatClient::onFrame(const protocol::ServerFrame &frame)
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
                ++m_messagesReceived;
                storeIncoming(event);
            } else if constexpr (std::is_same_v<T, protocol::ReceiptEvent>) {
                emit receiptReceived(event);
            } else if constexpr (std::is_same_v<T, protocol::PresenceEvent>) {
                emit presenceChanged(event);
            } else if constexpr (std::is_same_v<T, protocol::TypingEvent>) {
                emit typingReceived(event);
            } else if constexpr (std::is_same_v<T, protocol::UserUpdatedEvent>) {
                emit userUpdated(event);
            }
        },
        frame);
}

QCoro::Task<bool> ChatClient::ensureConnected()
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

QCoro::Task<ChatClient::RawReply> ChatClient::callUntyped(protocol::RequestBody body,
                                                          bool needsAuth)
{
    if (!m_connection->isConnected() || (needsAuth && !m_authenticated))
        co_return transportError(TransportFailure::Offline, QStringLiteral("not connected"));
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QFuture<RawReply> reply = m_requests->track(id);
    if (!m_connection->send(protocol::Request{id, std::move(body)}))
        m_requests->resolve(
            id, transportError(TransportFailure::Offline, QStringLiteral("send refused")));
    // Only the tracker's future is touched after this point, never `this`.
    RawReply result = co_await reply;
    co_return result;
}

Error ChatClient::undecodableReply(const Error &error)
{
    return transportError(TransportFailure::Protocol,
                          QStringLiteral("the server's answer could not be read: ") +
                              error.message);
}

// ---- session ---------------------------------------------------------------------------------

QCoro::Task<Result<QString>> ChatClient::registerAccount(QString user, QString password,
                                                         QString displayName)
{
    QPointer<ChatClient> self(this);
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

QCoro::Task<Result<Session>> ChatClient::login(QString user, QString password, QString deviceName)
{
    QPointer<ChatClient> self(this);
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

void ChatClient::setUserId(const QString &userId)
{
    if (userId == m_userId)
        return;
    m_userId = userId;
    emit userIdChanged();
}

QCoro::Task<Status> ChatClient::resume(QString token)
{
    QPointer<ChatClient> self(this);
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

QCoro::Task<Status> ChatClient::logout()
{
    QPointer<ChatClient> self(this);
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

QCoro::Task<> ChatClient::authenticate(quint64 generation)
{
    QPointer<ChatClient> self(this);
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

QCoro::Task<> ChatClient::afterAuth(quint64 generation)
{
    QPointer<ChatClient> self(this);
    m_backoff.reset();
    setState(State::Syncing);
    // The backlog arrives as message events before each ack; more rounds while incomplete. The
    // messages received so far serve as the cursor: a round that brings none repeats it, so a
    // server that says "incomplete" forever is not asked forever.
    QCoro::Task<Status> syncing = followPages<protocol::SyncRequest>(
        [] { return protocol::SyncRequest{}; },
        [this](const protocol::SyncReply &ack) -> Result<std::optional<QString>> {
            if (ack.complete)
                return std::optional<QString>();
            return std::optional<QString>(QString::number(m_messagesReceived));
        });
    const Status backlog = co_await syncing;
    if (!self || generation != m_generation)
        co_return;
    if (!backlog) {
        qCWarning(lcNet) << "sync failed:" << backlog.error().message;
        m_connection->abort();
        co_return;
    }
    QCoro::Task<Result<QList<protocol::ConversationSummary>>> listing = conversations();
    const Result<QList<protocol::ConversationSummary>> list = co_await listing;
    if (!self || generation != m_generation)
        co_return;
    if (!list)
        qCWarning(lcNet) << "conversation list failed:" << list.error().message;
    QCoro::Task<> flushing = flushOutboxNow(generation);
    co_await flushing;
    if (!self || generation != m_generation)
        co_return;
    setState(State::Online);
    emit synced();
    if (!self || generation != m_generation)
        co_return;
    // Presence events only report changes: without this, everyone looks offline until then.
    QCoro::Task<> presenceRefresh = refreshPresence(generation);
    co_await presenceRefresh;
}

void ChatClient::flushOutbox()
{
    if (isAuthenticated())
        flushOutboxNow(m_generation);
}

QCoro::Task<> ChatClient::flushOutboxNow(quint64 generation)
{
    QPointer<ChatClient> self(this);
    QFuture<Result<QList<cache::OutboxItem>>> loading = m_store->outbox();
    const Result<QList<cache::OutboxItem>> items = co_await loading;
    if (!self || generation != m_generation)
        co_return;
    if (!items) {
        qCWarning(lcStore) << "outbox not readable:" << items.error().message;
        co_return;
    }
    // In creation order, with the original ids: the server acks known ids again, creates nothing.
    for (const cache::OutboxItem &item : *items)
        sendOutboxItem(item);
}

} // namespace tern::app::client
