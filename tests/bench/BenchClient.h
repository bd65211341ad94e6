#pragma once

// One protocol client for tern-bench: a QWebSocket with request/reply matching by id and a
// callback for message events. Lean on purpose: the bench must not be the bottleneck.

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QWebSocket>

#include <functional>

namespace tern::bench {

//! The text of a top-level string or number field in a compact JSON frame from ternd, found
//! without parsing (keys are unique and quotes inside strings are escaped).
QStringView rawField(const QString &frame, QLatin1StringView key);

class BenchClient : public QObject
{
    Q_OBJECT
public:
    using Reply = std::function<void(const QJsonObject &)>;

    explicit BenchClient(QObject *parent = nullptr);

    void open(const QUrl &url);
    bool isOpen() const { return m_open; }
    bool isClosed() const { return m_closed; }
    //! The connection attempt failed before the socket ever opened (refused, reset, timed out).
    bool hasFailed() const { return m_failed; }
    //! The peer's close code once closed (1001 when ternd shuts down gracefully).
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    //! Sends `request` with a fresh id; `onReply` gets the ack or error.
    void request(QJsonObject request, Reply onReply = {});
    void sendText(const QString &text) { m_socket.sendTextMessage(text); }
    void close() { m_socket.close(); }

    //! Called for every pushed `message` event (with the raw frame for cheap counting).
    std::function<void(const QJsonObject &event)> onMessage;
    std::function<void(const QJsonObject &event)> onOtherEvent;
    //! An ack/error whose id was not sent through request() (ids the caller chose itself).
    std::function<void(const QJsonObject &reply)> onUnmatchedReply;
    //! When set, `message` events skip JSON parsing and arrive here as text (the bench's
    //! receive path must stay cheaper than the server's send path); see rawField().
    std::function<void(const QString &frame)> onRawMessage;

    QString userId;
    QString token;
    QString deviceId;
    int pendingReplies() const { return int(m_pending.size()); }

signals:
    void opened();

private:
    void onText(const QString &text);

    QWebSocket m_socket;
    QTimer m_heartbeat; // keeps long runs clear of the server's 30 s idle timeout
    QHash<QString, Reply> m_pending;
    quint64 m_nextId = 1;
    bool m_open = false;
    bool m_closed = false;
    bool m_wasOpen = false;
    bool m_failed = false;
};

} // namespace tern::bench
