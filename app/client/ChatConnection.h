#pragma once

//! The connection core of one account: state machine with automatic reconnect, certificate
//! pins, register/login/resume/logout, typed requests (`call<Req>()`) and the server's events,
//! one signal per kind. The feature parts (Outbox, Inbox, GroupRequests, MediaTransfers) work
//! over it; it knows none of them.
//
// Threading/lifetime: lives on the app's main thread, like its ClientConnection; never blocks
// it. Work is done by QCoro coroutines that take parameters by value and re-check a QPointer to
// the connection after every co_await (a coroutine can be resumed after the object is gone; it
// then ends without touching it). Each connection has a generation number (generation()); a
// coroutine that started on an earlier connection stops instead of acting on the new one.
// Destroying the ChatConnection fails every pending request (Cancelled) and every connect
// waiter, so no awaiting coroutine is left suspended; the parts must be destroyed before it
// (ChatClient does so). The LocalStore is not owned and must outlive it.

#include "app/client/BackoffPolicy.h"
#include "app/client/CertificateProblem.h"
#include "shared/core/Result.h"
#include "shared/protocol/Codec.h"
#include "shared/protocol/Messages.h"
#include "shared/transport/PinVerifier.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QPromise>
#include <QSslCertificate>
#include <QTimer>
#include <QUrl>

#include <qcoro/qcorofuture.h>
#include <qcoro/qcorotask.h>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace tern::app::cache {
class LocalStore;
}
namespace tern::transport {
class ClientConnection;
}

Q_DECLARE_METATYPE(tern::protocol::MessageEvent)
Q_DECLARE_METATYPE(tern::protocol::ReceiptEvent)
Q_DECLARE_METATYPE(tern::protocol::PresenceEvent)
Q_DECLARE_METATYPE(tern::protocol::TypingEvent)
Q_DECLARE_METATYPE(tern::protocol::UserUpdatedEvent)
Q_DECLARE_METATYPE(tern::protocol::HiddenEvent)

namespace tern::app::client {

class RequestTracker;
class TrustedServers;

//! How the current (or last) connection to the server is protected, for the connect screen and
//! Settings.
struct ConnectionSecurity
{
    bool encrypted = false;      // wss:// with a completed TLS handshake
    QSslCertificate certificate; // the server's, when encrypted
    bool pinned = false;         // the certificate is the one pinned for the server
    QString protocol;            // e.g. "TLS 1.3"; empty when not encrypted
};

//! What login() returns (also kept in the LocalStore settings).
struct Session
{
    QString token;
    QString userId;
    QString deviceId;
};

class ChatConnection : public QObject
{
    Q_OBJECT
public:
    enum class State { Offline, Connecting, Authenticating, Syncing, Online };
    Q_ENUM(State)

    // Keys in the LocalStore settings table.
    static const QString kTokenKey;
    static const QString kUserIdKey;
    static const QString kDeviceIdKey;
    static const QString kServerUrlKey;

    //! One step of going online after each authentication (sync, outbox flush...), run in the
    //! order added while the state is Syncing; a failed step drops the connection (it is
    //! retried with backoff). A step of a destroyed `owner` is skipped.
    using SyncStep = std::function<QCoro::Task<Status>(quint64 generation)>;

    explicit ChatConnection(cache::LocalStore *store, QObject *parent = nullptr);
    ~ChatConnection() override;

    State state() const { return m_state; }
    QString userId() const { return m_userId; }
    QString deviceId() const { return m_deviceId; }
    QUrl serverUrl() const { return m_url; }
    //! The session token (empty until logged in or resumed): the bearer token of the media
    //! HTTP API.
    QString token() const { return m_token; }
    //! Authenticated on the current connection.
    bool isAuthenticated() const;
    //! +1 on every connect and disconnect.
    quint64 generation() const { return m_generation; }
    cache::LocalStore *store() const { return m_store; }
    //! Used by the next connection attempt (a scheduled retry included); persisted.
    void setServerUrl(const QUrl &url);
    //! Tests shorten these; the defaults are the product's.
    void setBackoffPolicy(const BackoffPolicy &policy) { m_backoff = policy; }
    void setRequestTimeoutMs(int ms);
    //! Milliseconds until the scheduled reconnect, -1 when none is scheduled.
    int nextRetryMs() const;
    void addSyncStep(QObject *owner, SyncStep step);

    // ---- certificates (ChatConnectionSecurity.cpp) ---------------------------------------
    //! The profile's pins (not owned; set before the first connect): every connection, the
    //! WebSocket and each media HTTP reply, accepts a CA-trusted certificate or exactly the one
    //! pinned for the server URL's host and port. Null: CA-trusted certificates only.
    void setTrustedServers(TrustedServers *trusted);
    TrustedServers *trustedServers() const;
    ConnectionSecurity connectionSecurity() const { return m_security; }
    //! The last refusal, until a connection succeeds (so a screen opened later can show it).
    std::optional<CertificateProblem> certificateProblem() const { return m_problem; }
    //! A refusal seen elsewhere (the media HTTP client): kept and emitted as certificateRefused.
    void noteCertificateProblem(const CertificateProblem &problem);

    // ---- account -----------------------------------------------------------------------
    //! Registers on a short-lived connection; the user id on success.
    [[nodiscard]] QCoro::Task<Result<QString>> registerAccount(QString user, QString password,
                                                               QString displayName);
    //! Logs in as a new device, stores the session, then syncs and stays online.
    [[nodiscard]] QCoro::Task<Result<Session>> login(QString user, QString password,
                                                     QString deviceName);
    //! Uses `token` (e.g. from the OS keychain) or else the stored one, and the stored server
    //! url when none was set, to go online; returns once connecting started. Unauthenticated
    //! when there is no token.
    [[nodiscard]] QCoro::Task<Status> resume(QString token = {});
    //! Revokes this device's token (when online), forgets it and goes offline for good.
    [[nodiscard]] QCoro::Task<Status> logout();

    // ---- requests ----------------------------------------------------------------------
    //! Sends `request` and returns its ack decoded as Req::Reply. Failures without a server
    //! answer (offline, timeout, an ack that cannot be decoded...) are transport errors. `id`
    //! is the request id (a new one when empty; the outbox uses the message id).
    template <typename Req>
    QCoro::Task<Result<typename Req::Reply>> call(Req request, bool needsAuth = true,
                                                  QString id = {});
    //! Sends a request the server does not answer (receipts, typing); false when not sent.
    bool notify(protocol::RequestBody body);

public slots:
    //! Reconnect now instead of waiting for the scheduled retry.
    void retryNow();

signals:
    void stateChanged(tern::app::client::ChatConnection::State state);
    //! userId() became known or changed (read from the cache on resume, or a new login).
    void userIdChanged();
    void authFailed(const QString &code, const QString &text);
    //! The connection closed (generation() has moved on); its pending requests fail next.
    void connectionLost();
    //! After the sync steps of a (re)authentication; the state is Online.
    void synced();
    //! Right after synced() (and its listeners) on the same connection.
    void onlineAfterSync(quint64 generation);
    //! retryNow() was asked, or the pin of our server changed: refusals may be over.
    void trustMayHaveChanged();
    //! setTrustedServers() changed the pins the media HTTP client must use.
    void trustedServersChanged(tern::app::client::TrustedServers *trusted);
    //! The server's events as they arrive (Inbox stores and re-emits them for the UI).
    void messageEvent(const tern::protocol::MessageEvent &message);
    void receiptEvent(const tern::protocol::ReceiptEvent &receipt);
    void presenceEvent(const tern::protocol::PresenceEvent &presence);
    void typingEvent(const tern::protocol::TypingEvent &typing);
    void userUpdatedEvent(const tern::protocol::UserUpdatedEvent &update);
    void hiddenEvent(const tern::protocol::HiddenEvent &hidden);
    //! The server's certificate was refused (WebSocket or media). The client does not retry on
    //! its own until the pin for its server changes (then at once) or retryNow().
    void certificateRefused(const tern::app::client::CertificateProblem &problem);
    //! connectionSecurity() changed (a connection opened).
    void connectionSecurityChanged();

private:
    //! An ack's fields as the tracker hands them over, before they are decoded as Req::Reply.
    using RawReply = Result<QJsonObject>;

    void setState(State state);
    void setUserId(const QString &userId);
    void connectNow();
    void scheduleReconnect();
    void onConnected();
    void onDisconnected(int closeCode);
    void onFrame(const protocol::ServerFrame &frame);
    void resolveConnectWaiters(bool connected);
    // ChatConnectionSecurity.cpp
    QSslCertificate pinFor(const QUrl &url) const;
    void onCertificateRefused(const QSslCertificate &presented,
                              transport::PinVerifier::Verdict verdict);
    void onPinChanged(const QUrl &server);
    void updateSecurity();
    Error refusedError() const;

    QCoro::Task<bool> ensureConnected();
    QCoro::Task<RawReply> callUntyped(protocol::RequestBody body, bool needsAuth, QString id);
    //! An ack's fields as T, or a Protocol transport error naming what was wrong.
    template <typename T> static Result<T> decodeReply(const RawReply &raw);
    static Error undecodableReply(const Error &error);
    QCoro::Task<> authenticate(quint64 generation);
    QCoro::Task<> afterAuth(quint64 generation);

    struct OwnedStep
    {
        QPointer<QObject> owner;
        SyncStep step;
    };

    cache::LocalStore *m_store;
    transport::ClientConnection *m_connection;
    RequestTracker *m_requests;
    BackoffPolicy m_backoff;
    QTimer m_retryTimer;
    QElapsedTimer m_retryClock;
    int m_retryDelayMs = -1;

    State m_state = State::Offline;
    QUrl m_url;
    QString m_token;
    QString m_userId;
    QString m_deviceId;
    bool m_wantOnline = false;    // logged in and not logged out: keep reconnecting
    bool m_manualAuth = false;    // login()/registerAccount() drive this connection
    bool m_authenticated = false; // on the current connection
    quint64 m_generation = 0;     // +1 on every connect and disconnect
    QPointer<TrustedServers> m_trusted;
    bool m_refused = false; // certificate refused: no automatic retry until the pin changes
    std::optional<CertificateProblem> m_problem;
    ConnectionSecurity m_security;
    std::vector<OwnedStep> m_syncSteps;
    std::vector<std::shared_ptr<QPromise<bool>>> m_connectWaiters;
};

template <typename T> Result<T> ChatConnection::decodeReply(const RawReply &raw)
{
    if (!raw)
        return raw.error();
    Result<T> decoded = protocol::fromJson<T>(*raw);
    if (!decoded)
        return undecodableReply(decoded.error());
    return decoded;
}

// Only the untyped task is awaited; `this` is not touched after the suspension.
template <typename Req>
QCoro::Task<Result<typename Req::Reply>> ChatConnection::call(Req request, bool needsAuth,
                                                              QString id)
{
    QCoro::Task<RawReply> untyped =
        callUntyped(protocol::RequestBody(std::move(request)), needsAuth, std::move(id));
    const RawReply raw = co_await untyped;
    co_return decodeReply<typename Req::Reply>(raw);
}

} // namespace tern::app::client
