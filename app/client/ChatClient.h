#pragma once

//! The facade the UI uses for one account: connection state with automatic reconnect, login,
//! sync on every (re)authentication, the durable outbox, incoming events and requests.
//
// Threading/lifetime: lives on the app's main thread, like its ClientConnection; never blocks
// it. SQL runs on the LocalStore's thread, results come back through awaited QFutures. The
// LocalStore is not owned and must outlive the client. Work is done by QCoro coroutines that
// take parameters by value and re-check a QPointer to the client after every co_await (a
// coroutine can be resumed after the client is gone; it then ends without touching it). Each
// connection has a generation number; a coroutine that started on an earlier connection stops
// instead of acting on the new one. Destroying the client fails every pending request, so no
// awaiting coroutine is left suspended.

#include "app/cache/CacheTypes.h"
#include "app/client/BackoffPolicy.h"
#include "app/client/CertificateProblem.h"
#include "shared/core/Result.h"
#include "shared/protocol/Codec.h"
#include "shared/protocol/Messages.h"
#include "shared/transport/PinVerifier.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QHash>
#include <QImage>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QPromise>
#include <QSet>
#include <QSslCertificate>
#include <QTimer>
#include <QUrl>

#include <qcoro/qcorofuture.h>
#include <qcoro/qcorotask.h>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QNetworkAccessManager;

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

namespace tern::app::client {

class RequestTracker;
class TrustedServers;
class PinnedNetworkAccess;

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

class ChatClient : public QObject
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

    explicit ChatClient(cache::LocalStore *store, QObject *parent = nullptr);
    ~ChatClient() override;

    State state() const { return m_state; }
    QString userId() const { return m_userId; }
    QString deviceId() const { return m_deviceId; }
    QUrl serverUrl() const { return m_url; }
    //! The session token (empty until logged in or resumed): the bearer token of the media
    //! HTTP API.
    QString token() const { return m_token; }
    //! Used by the next connection attempt (a scheduled retry included); persisted.
    void setServerUrl(const QUrl &url);
    //! Tests shorten these; the defaults are the product's.
    void setBackoffPolicy(const BackoffPolicy &policy) { m_backoff = policy; }
    void setRequestTimeoutMs(int ms);
    //! Milliseconds until the scheduled reconnect, -1 when none is scheduled.
    int nextRetryMs() const;

    // ---- certificates (ChatClientSecurity.cpp) -------------------------------------------
    //! The profile's pins (not owned; set before the first connect): every connection, the
    //! WebSocket and each media HTTP reply, accepts a CA-trusted certificate or exactly the one
    //! pinned for the server URL's host and port. Null: CA-trusted certificates only.
    void setTrustedServers(TrustedServers *trusted);
    TrustedServers *trustedServers() const;
    ConnectionSecurity connectionSecurity() const { return m_security; }
    //! The last refusal, until a connection succeeds (so a screen opened later can show it).
    std::optional<CertificateProblem> certificateProblem() const { return m_problem; }

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

    // ---- messages ----------------------------------------------------------------------
    //! Queues a text message (durably, before anything is sent) and returns its new id.
    QString sendText(const QString &to, const QString &text);
    //! Queues a media message for a local file (ChatClientMedia.cpp): a picture (with a
    //! thumbnail) when its contents are an image Qt can draw, else a file. The message is durable
    //! at once, shown with its thumbnail, and sent once its upload has finished; the upload resumes
    //! after reconnects and restarts.
    QString sendFile(const QString &to, const QString &path);
    //! An image without a file (pasted): saved under `outgoingDir` first, then as sendFile.
    QString sendImage(const QString &to, const QImage &image, const QString &outgoingDir);
    //! Withdraws a media message whose upload has not finished: stops the upload, deletes it on
    //! the server and drops the message from the outbox; false when it is already on its way.
    bool cancelMessage(const QString &id);
    //! Downloads media into `cacheDir` (a folder named by media id, the file by the sanitised
    //! name); the object reports the outcome. `knownCopy` is a file this device already has for
    //! it (from MediaDownloads' own records, never from the wire): used when it still exists.
    class MediaDownload *download(const protocol::Media &media, const QString &cacheDir,
                                  const QString &knownCopy = {});
    //! The account's managed downloads (progress, cancel, resume); see MediaDownloads.
    class MediaDownloads *downloads() const { return m_downloads; }
    //! Read watermark for a conversation (sent only while online).
    void markRead(const QString &conversation, qint64 seq);
    //! At most one per conversation per second; only while online.
    void sendTyping(const QString &conversation);

    // ---- requests ----------------------------------------------------------------------
    //! From the server when online (and cached), else from the cache.
    [[nodiscard]] QCoro::Task<Result<QList<protocol::ConversationSummary>>> conversations();
    //! From the server when online (and cached), else from the cache. Oldest first.
    [[nodiscard]] QCoro::Task<Result<QList<protocol::MessageEvent>>>
    history(QString conversation, qint64 beforeSeq, int limit);
    [[nodiscard]] QCoro::Task<Result<QString>> createGroup(QString name, QStringList members);
    [[nodiscard]] QCoro::Task<Result<QList<protocol::UserInfo>>> searchUsers(QString query);

    // ---- groups (ChatClientGroups.cpp); the server answers, nothing is cached here --------
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
    //! Current status of users sharing a conversation with us (others are left out); the
    //! list is sent in chunks of 500.
    [[nodiscard]] QCoro::Task<Result<QList<protocol::PresenceEvent>>> presence(QStringList users);
    //! Names of ourselves and users sharing a conversation with us (others are left out); the
    //! list is sent in chunks of 500.
    [[nodiscard]] QCoro::Task<Result<QList<protocol::UserInfo>>> users(QStringList ids);
    //! Changes our display name; the name as the server stored it. Emits userUpdated on success.
    [[nodiscard]] QCoro::Task<Result<QString>> setDisplayName(QString displayName);

public slots:
    //! Reconnect now instead of waiting for the scheduled retry.
    void retryNow();
    //! Re-send every queued message (done after each (re)authentication anyway).
    void flushOutbox();

signals:
    void stateChanged(tern::app::client::ChatClient::State state);
    //! userId() became known or changed (read from the cache on resume, or a new login).
    void userIdChanged();
    void authFailed(const QString &code, const QString &text);
    void messageQueued(const tern::app::cache::OutboxItem &item);
    void messageSent(const QString &id, const QString &conversation, qint64 seq);
    void messageFailed(const QString &id, const QString &code, const QString &text);
    //! A queued message was withdrawn (cancelMessage) and will never be sent.
    void messageCancelled(const QString &id);
    //! Upload progress of a queued media message (bytes).
    void uploadProgress(const QString &id, qint64 sent, qint64 total);
    //! The upload of queued message `id` finished: `media` now carries its `media_id`.
    void mediaUploaded(const QString &id, const tern::protocol::Media &media);
    void messageReceived(const tern::protocol::MessageEvent &message);
    void receiptReceived(const tern::protocol::ReceiptEvent &receipt);
    void presenceChanged(const tern::protocol::PresenceEvent &presence);
    void typingReceived(const tern::protocol::TypingEvent &typing);
    //! A user (we or someone we share a chat with) has a new display name.
    void userUpdated(const tern::protocol::UserUpdatedEvent &update);
    void conversationsUpdated(const QList<tern::protocol::ConversationSummary> &conversations);
    //! After sync, the conversation list and the outbox flush of a (re)authentication.
    void synced();
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
    bool isAuthenticated() const;
    // ChatClientSecurity.cpp
    QSslCertificate pinFor(const QUrl &url) const;
    void onCertificateRefused(const QSslCertificate &presented,
                              transport::PinVerifier::Verdict verdict);
    void onPinChanged(const QUrl &server);
    void updateSecurity();
    Error refusedError() const;

    // Coroutines (ChatClient.cpp): connection and session.
    QCoro::Task<bool> ensureConnected();
    //! Sends `request` and returns its ack decoded as Req::Reply. Failures without a server
    //! answer (offline, timeout, an ack that cannot be decoded...) are transport errors.
    template <typename Req>
    QCoro::Task<Result<typename Req::Reply>> call(Req request, bool needsAuth = true);
    QCoro::Task<RawReply> callUntyped(protocol::RequestBody body, bool needsAuth);
    //! An ack's fields as T, or a Protocol transport error naming what was wrong.
    template <typename T> static Result<T> decodeReply(const RawReply &raw);
    static Error undecodableReply(const Error &error);
    QCoro::Task<> authenticate(quint64 generation);
    QCoro::Task<> afterAuth(quint64 generation);
    QCoro::Task<> flushOutboxNow(quint64 generation);
    //! Builds the next page's request (from the cursor the taker kept).
    template <typename Req> using PageRequest = std::function<Req()>;
    //! Takes one page; returns the next page's cursor as a key (for the repeat check), nullopt
    //! when this was the last page.
    template <typename Req>
    using PageTaker = std::function<Result<std::optional<QString>>(const typename Req::Reply &)>;
    //! Follows a paged read (ChatClientMessages.cpp, instantiated there for sync, conversations
    //! and history) until `take` returns nullopt. Ends with an error when a request fails, `take`
    //! refuses a page, or the server repeats a cursor.
    template <typename Req>
    QCoro::Task<Status> followPages(PageRequest<Req> request, PageTaker<Req> take);

    // Messages (ChatClientMessages.cpp).
    QCoro::Task<> queueAndSend(cache::OutboxItem item);
    void sendOutboxItem(const cache::OutboxItem &item);
    QCoro::Task<> awaitMessageAck(cache::OutboxItem item, QFuture<RawReply> reply,
                                  quint64 generation);
    QCoro::Task<> storeIncoming(protocol::MessageEvent message);
    // Media (ChatClientMedia.cpp).
    QCoro::Task<> prepareAndQueue(cache::OutboxItem item, QString path);
    QCoro::Task<> saveAndQueue(cache::OutboxItem item, QImage image, QString outgoingDir);
    //! Starts (or leaves running) the upload of a queued media message.
    void ensureUpload(const cache::OutboxItem &item);
    //! The HTTP client of the media API, made on first use.
    QNetworkAccessManager *http();
    //! `uploaded`: the media API's answer for the finished upload (its id and stored fields).
    QCoro::Task<> uploadFinished(cache::OutboxItem item, QJsonObject uploaded);
    void queueDelivery(const QHash<QString, qint64> &watermarks);
    void sendDeliveries();
    QCoro::Task<> saveConversationList(QList<protocol::ConversationSummary> list);
    //! A message in a conversation the list does not know yet (new direct chat, new group).
    void noteConversation(const QString &conversation);
    QCoro::Task<> refreshConversations();
    //! After a (re)sync: the status of every member of the known conversations, emitted as
    //! presenceChanged, so online dots are right from the start.
    //! Asks `members` (empty: every known member) and emits presenceChanged for each answer.
    QCoro::Task<> refreshPresence(quint64 generation, QStringList members = {});

    cache::LocalStore *m_store;
    transport::ClientConnection *m_connection;
    RequestTracker *m_requests;
    BackoffPolicy m_backoff;
    QTimer m_retryTimer;
    QTimer m_deliveryTimer;
    QTimer m_outboxRetryTimer;
    QTimer m_refreshTimer;
    QElapsedTimer m_retryClock;
    int m_retryDelayMs = -1;

    State m_state = State::Offline;
    QUrl m_url;
    QString m_token;
    QString m_userId;
    QString m_deviceId;
    bool m_wantOnline = false;      // logged in and not logged out: keep reconnecting
    bool m_manualAuth = false;      // login()/registerAccount() drive this connection
    bool m_authenticated = false;   // on the current connection
    quint64 m_generation = 0;       // +1 on every connect and disconnect
    quint64 m_messagesReceived = 0; // message events, any connection: how a sync shows progress
    QSet<QString> m_inFlight;       // message ids sent on the current connection, not yet acked
    PinnedNetworkAccess *m_http = nullptr;
    QPointer<TrustedServers> m_trusted;
    bool m_refused = false;      // certificate refused: no automatic retry until the pin changes
    bool m_mediaRefused = false; // the same for media uploads
    std::optional<CertificateProblem> m_problem;
    ConnectionSecurity m_security;
    QHash<QString, QPointer<class MediaUpload>> m_uploads; // by message id
    class MediaDownloads *m_downloads = nullptr;           // child
    QHash<QString, qint64> m_pendingDelivery;
    QHash<QString, qint64> m_lastTypingMs;
    QSet<QString> m_knownConversations; // in the last conversation list
    QSet<QString> m_knownMembers;       // members of those conversations (us excluded)
    QElapsedTimer m_clock;
    std::vector<std::shared_ptr<QPromise<bool>>> m_connectWaiters;
};

template <typename T> Result<T> ChatClient::decodeReply(const RawReply &raw)
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
QCoro::Task<Result<typename Req::Reply>> ChatClient::call(Req request, bool needsAuth)
{
    QCoro::Task<RawReply> untyped =
        callUntyped(protocol::RequestBody(std::move(request)), needsAuth);
    const RawReply raw = co_await untyped;
    co_return decodeReply<typename Req::Reply>(raw);
}

} // namespace tern::app::client
