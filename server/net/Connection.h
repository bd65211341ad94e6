#pragma once

// One client session on a WebSocket: decodes requests, enforces the send queue bound, counts
// bad frames, tracks activity for the idle timeout, and implements routing's ClientLink.
// Lives on the socket thread; owned by WsServer (deleted after the socket disconnects).

#include "server/routing/ClientLink.h"

#include <QObject>
#include <QPointer>

class QTimer;

namespace tern::server::routing {
class Router;
}

namespace tern::server::net {

class WsSocket;

class Connection : public QObject, public routing::ClientLink
{
    Q_OBJECT
public:
    Connection(quint64 id, WsSocket *socket, routing::Router &router, qint64 sendQueueLimit,
               QObject *parent = nullptr);
    ~Connection() override;

    quint64 linkId() const override { return m_id; }
    QString peerAddress() const override;
    void sendFrame(const QByteArray &frame) override;
    qint64 pendingBytes() const override;
    void replyError(const std::optional<QString> &id, const Error &error) override;
    void closeLink(int closeCode, const QString &reason) override;
    void setOutstanding(int requests, qint64 reservedBytes) override;

    qint64 lastActivityMs() const override { return m_lastActivityMs; }
    void setAuthenticated(bool on) override;
    //! Not logged in for longer than `timeoutMs` (heartbeats and pings do not count).
    bool authOverdue(qint64 nowMs, int timeoutMs) const
    {
        return !m_authenticated && nowMs - m_anonymousSinceMs > timeoutMs;
    }

signals:
    void finished(quint64 id);

protected:
    void requestAccepted() override;

private:
    void onText(const QByteArray &utf8);
    void onBinary(const QByteArray &data);
    void onDisconnected();
    void touch();
    //! Pause or resume reading from the current outstanding work and unsent bytes.
    void updateFlow();
    //! Starts or stops the stall timer from the current pause state.
    void watchForStall();
    void onStalled();
    void onDrained();

    quint64 m_id;
    QPointer<WsSocket> m_socket;
    routing::Router &m_router;
    qint64 m_sendQueueLimit;
    qint64 m_lastActivityMs = 0;
    qint64 m_anonymousSinceMs = 0;
    bool m_authenticated = false;
    int m_badFramesInRow = 0;
    // Flow control (ServerConfig: maxRequestsInFlight, readPauseBytes, sendStallMs).
    int m_maxInFlight;
    qint64 m_pauseBytes;
    int m_stallMs;
    int m_outstanding = 0;
    qint64 m_reservedBytes = 0;
    bool m_readPaused = false;
    QTimer *m_stallTimer = nullptr; // made on the first pause by unsent bytes
    bool m_closing = false;
    bool m_finished = false;
};

} // namespace tern::server::net
