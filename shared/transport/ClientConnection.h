#pragma once

//! One client WebSocket to ternd: open/close, request frames out, decoded server frames in.
//
// Threading/lifetime: lives on the thread that creates it (the app's main thread) and owns its
// QWebSocket, which is the only client-side QWebSocket. Every signal is emitted on that thread.
// `disconnected` is emitted exactly once per open(): after a failed attempt, a lost connection,
// abort() or close() (synchronously from the latter two, so open() may follow at once).
// Destroying the object closes the socket without emitting anything.
//
// TLS (wss://): a CA-trusted certificate is accepted; otherwise only the pinned certificate
// (setPinnedCertificate, see PinVerifier). A refused certificate aborts the handshake, so
// nothing, not even the HTTP upgrade request, is sent (QWebSocket writes it after encrypted());
// `certificateRefused` then `disconnected` follow.

#include "shared/protocol/Codec.h"
#include "shared/protocol/Messages.h"
#include "shared/transport/PinVerifier.h"

#include <QJsonObject>
#include <QObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>

class QWebSocket;

Q_DECLARE_METATYPE(tern::protocol::ServerFrame)

namespace tern::transport {

class ClientConnection : public QObject
{
    Q_OBJECT
public:
    //! The server drops sessions silent for 30 s and shows a user offline 10 s after their last
    //! frame, so heartbeats come a little more often than that.
    static constexpr int kHeartbeatMs = 8'000; // under the server's 10 s presence expiry
    //! A send is refused while more than this is still unsent (a stuck or very slow link).
    static constexpr qint64 kMaxBytesToWrite = 4 * 1024 * 1024;
    //! A `history` ack can carry 200 messages of 32 KiB content each, escaped.
    static constexpr qint64 kMaxIncomingMessage = 16 * 1024 * 1024;
    //! An attempt that has not completed the handshake by then is aborted.
    static constexpr int kOpenTimeoutMs = 10'000;

    enum class Status { Closed, Opening, Open };
    Q_ENUM(Status)

    explicit ClientConnection(QObject *parent = nullptr);
    ~ClientConnection() override;

    //! The certificate accepted besides CA-trusted ones, from the next open() on (null: none).
    void setPinnedCertificate(const QSslCertificate &pin) { m_pin = pin; }
    QSslCertificate pinnedCertificate() const { return m_pin; }
    //! Of the open wss:// connection (peer certificate, protocol); null when not open or ws://.
    QSslConfiguration sslConfiguration() const;

    //! Starts connecting; no-op while already opening or open.
    void open(const QUrl &url);
    //! Closes normally (1000); `disconnected` follows.
    void close();
    //! Drops the connection at once (e.g. a reply timed out); `disconnected` follows.
    void abort();

    Status status() const { return m_status; }
    bool isConnected() const { return m_status == Status::Open; }
    qint64 bytesToWrite() const;

    //! Sends one frame; false when not connected or over the outgoing cap.
    bool send(const QJsonObject &frame);
    bool send(const protocol::Request &request);

signals:
    void connected();
    //! The handshake was refused for `presented` (`verdict` Untrusted or Changed); emitted
    //! right before the attempt's `disconnected`.
    void certificateRefused(const QSslCertificate &presented,
                            tern::transport::PinVerifier::Verdict verdict);
    void disconnected(int closeCode);
    void frameReceived(const tern::protocol::ServerFrame &frame);

private:
    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    void onSslErrors(const QList<QSslError> &errors);
    void finish(int closeCode);
    void sendHeartbeat();

    QWebSocket *m_socket = nullptr;
    QTimer m_heartbeat;
    QTimer m_openTimeout;
    Status m_status = Status::Closed;
    QSslCertificate m_pin;
    // The refusal of the current attempt, reported when it ends.
    QSslCertificate m_refusedCertificate;
    PinVerifier::Verdict m_refusal = PinVerifier::Verdict::Accept;
};

} // namespace tern::transport
