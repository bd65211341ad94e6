#pragma once

// A WebSocket client for driving ternd in tests. Every text frame the server sends is parsed and
// kept: `ack`/`error` frames that carry an `id` are filed as replies by id, everything else
// (events, id-less errors) goes into an ordered event queue until a test takes it.
//
// Threading/lifetime: lives on the thread that creates it (the test thread). It never blocks:
// every wait spins the event loop (tests run the server on the same thread). Owns its QWebSocket.

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace tern::test {

struct LoginInfo
{
    QString token;
    QString userId;
    QString deviceId;
    QJsonObject reply;
    bool ok() const { return !token.isEmpty(); }
};

class TestClient : public QObject
{
    Q_OBJECT
public:
    static constexpr int kTimeoutMs = 10'000;
    using Predicate = std::function<bool(const QJsonObject &)>;

    explicit TestClient(QObject *parent = nullptr);
    ~TestClient() override;

    //! Opens the WebSocket and waits for the handshake; false on failure or timeout.
    bool open(const QUrl &url, int timeoutMs = kTimeoutMs);
    bool isConnected() const { return m_connected; }
    bool wasDisconnected() const { return m_disconnected; }
    void close(QWebSocketProtocol::CloseCode code = QWebSocketProtocol::CloseCodeNormal);
    void abort();
    bool waitForDisconnected(int timeoutMs = kTimeoutMs);
    //! The close code seen at disconnection, -1 while connected / never connected.
    int closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }
    QWebSocket *socket() const { return m_socket; }

    //! Send a `heartbeat` (no id) every few seconds while the event loop spins, so long tests are
    //! not cut by the 30 s idle timeout. On by default; turn off where frame counting matters.
    void setAutoHeartbeat(bool on);
    //! Drop the `content` of stored `message` events (bulk tests that only count).
    void setStripContent(bool on) { m_stripContent = on; }

    // ---- sending ---------------------------------------------------------------------------
    //! Fills a fresh "id" if missing, sends, returns the id; does not wait.
    QString post(QJsonObject object);
    //! Sends the object exactly as given.
    void send(const QJsonObject &object);
    void sendRaw(const QString &text);
    void sendRaw(const QByteArray &utf8);
    void sendBinary(const QByteArray &data);

    // ---- replies ---------------------------------------------------------------------------
    //! post() and wait for the ack/error with that id; an empty object on timeout.
    QJsonObject request(QJsonObject object, int timeoutMs = kTimeoutMs);
    std::optional<QJsonObject> waitForReply(const QString &id, int timeoutMs = kTimeoutMs);
    //! True once every id has at least one reply.
    bool waitForReplies(const QStringList &ids, int timeoutMs);
    std::optional<QJsonObject> reply(const QString &id) const;
    int replyCount(const QString &id) const;
    int totalReplies() const { return m_totalReplies; }
    //! Every reply received so far, in arrival order.
    const QList<QJsonObject> &allReplies() const { return m_replyLog; }

    // ---- events ----------------------------------------------------------------------------
    //! Pops the first queued event of `type` (matching `predicate`), waiting up to timeoutMs.
    std::optional<QJsonObject> waitForEvent(const QString &type, int timeoutMs = kTimeoutMs,
                                            const Predicate &predicate = {});
    //! True when no such event has arrived (it is logged otherwise). It does not wait: to prove
    //! an absence, call barrier() (or another round trip ordered after the action) first
    //! (docs/testing.md).
    bool expectNoEvent(const QString &type, const Predicate &predicate = {});
    //! A `heartbeat` with an id, answered at once by the server: true when its ack came, and
    //! then every frame the server queued for this connection before reading it has arrived.
    //! After an action whose reply came (its fan-out goes out with the reply), barrier() on a
    //! recipient then expectNoEvent(type) proves the action sent it nothing. Fan-outs to more
    //! than 32 devices go out in slices and may come later: wait for the event there. Counts as
    //! activity (presence, idle timeout) like any frame.
    bool barrier(int timeoutMs = kTimeoutMs);
    bool waitForEventCount(const QString &type, int count, int timeoutMs);
    int eventCount(const QString &type) const { return m_eventCounts.value(type); }
    //! Removes and returns every queued event of `type` (all events when empty), in order.
    QList<QJsonObject> takeEvents(const QString &type = {});
    void clearEvents();
    int binaryFramesReceived() const { return m_binaryFrames; }
    int unparsableFramesReceived() const { return m_unparsable; }

    // ---- protocol helpers ------------------------------------------------------------------
    QJsonObject registerUser(const QString &user, const QString &password,
                             const QString &displayName = {});
    LoginInfo login(const QString &user, const QString &password,
                    const QString &device = QStringLiteral("test"));
    QJsonObject auth(const QString &token);
    //! A `message` request object (not sent); `id` is generated when empty.
    static QJsonObject messageObject(const QString &to, const QString &content,
                                     const QString &id = {});
    QJsonObject sendMessage(const QString &to, const QString &content, const QString &id = {});

    static QString newId();

signals:
    void frameReceived();

private:
    void onText(const QString &text);
    std::optional<std::size_t> findEvent(const QString &type, const Predicate &predicate) const;

    QWebSocket *m_socket;
    QTimer m_heartbeat;
    bool m_connected = false;
    bool m_disconnected = false;
    bool m_stripContent = false;
    bool m_autoHeartbeat = true;
    int m_closeCode = -1;
    QString m_closeReason;
    QAbstractSocket::SocketError m_lastError = QAbstractSocket::UnknownSocketError;
    bool m_hadError = false;

    QHash<QString, QList<QJsonObject>> m_replies;
    int m_totalReplies = 0;
    QList<QJsonObject> m_replyLog;
    std::deque<QJsonObject> m_events;
    QHash<QString, int> m_eventCounts;
    int m_binaryFrames = 0;
    int m_unparsable = 0;
};

//! Opens a client to `url`; nullptr when the connection fails.
std::unique_ptr<TestClient> connectClient(const QUrl &url);

} // namespace tern::test
