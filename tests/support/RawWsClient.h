#pragma once

// A hand-made WebSocket client over QTcpSocket, for what QWebSocket will not do: stop reading
// entirely (to fill the server's send queue) and send arbitrary frames (bad UTF-8, odd opcodes).
// Client frames are masked as RFC 6455 requires; server frames are parsed while reading is on.
//
// Threading/lifetime: lives on the test thread; waits spin the event loop. Owns its socket.

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QTcpSocket>

#include <deque>
#include <optional>

namespace tern::test {

class RawWsClient : public QObject
{
    Q_OBJECT
public:
    struct Frame
    {
        int opcode = 0;
        QByteArray payload;
    };

    explicit RawWsClient(QObject *parent = nullptr);
    ~RawWsClient() override;

    //! TCP connect + HTTP upgrade; false on failure. `receiveBuffer` > 0 sets SO_RCVBUF first.
    bool open(quint16 port, const QString &path = QStringLiteral("/ws"), int receiveBuffer = 0,
              int timeoutMs = 10'000);
    bool isConnected() const;
    bool waitForDisconnected(int timeoutMs);

    //! One masked frame (opcode 1 text, 2 binary, 8 close, 9 ping, ...).
    void sendFrame(int opcode, const QByteArray &payload, bool fin = true);
    void sendText(const QByteArray &utf8) { sendFrame(1, utf8); }
    void sendJson(const QJsonObject &object);

    //! Next complete text message parsed as JSON (skipping other frames), waiting if needed.
    std::optional<QJsonObject> readJson(int timeoutMs = 10'000);
    //! The next frame with this opcode (skipping others, text too), waiting if needed.
    std::optional<Frame> readFrame(int opcode, int timeoutMs = 10'000);
    //! The reply with this id, skipping events; waits if needed.
    std::optional<QJsonObject> readReply(const QString &id, int timeoutMs = 10'000);

    //! Stop reading: the socket buffer is capped at `bufferBytes` and nothing is consumed, so
    //! the kernel buffers fill and the server's writes back up.
    void stopReading(qint64 bufferBytes = 1024);
    //! Read and parse again, with no buffer cap.
    void resumeReading();

    //! Close frame code the server sent, if any was parsed.
    std::optional<int> closeCode() const { return m_closeCode; }
    qint64 bytesReceived() const { return m_bytesReceived; }
    int framesReceived() const { return m_framesReceived; }
    QTcpSocket *socket() const { return m_socket; }

private:
    void onReadyRead();
    void parseFrames();

    QTcpSocket *m_socket;
    QByteArray m_buffer;
    QByteArray m_fragments;
    int m_fragmentOpcode = 0;
    bool m_handshakeDone = false;
    bool m_handshakeFailed = false;
    bool m_reading = true;
    bool m_disconnected = false;
    bool m_closeSent = false;
    std::deque<Frame> m_frames;
    std::optional<int> m_closeCode;
    qint64 m_bytesReceived = 0;
    int m_framesReceived = 0;
};

} // namespace tern::test
