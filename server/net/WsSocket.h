#pragma once

// The server end of one WebSocket: frames out, messages in, pings answered, the close
// handshake, and failing the connection on protocol errors (1002, 1007, 1009). Replaces
// QWebSocket on the server, which costs about 19 KB per idle connection.
// On Unix a plain TCP connection is driven on its descriptor directly (taken over from the
// QTcpSocket, which keeps a read and a write buffer chunk per socket even when idle); a TLS
// connection stays on its QSslSocket. docs/benchmarks.md, "Memory per session", has the figures.
// Lives on the socket thread.

#include "server/net/WsFrameParser.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>

class QSocketNotifier;
class QTcpSocket;

namespace tern::server::net {

class WsSocket : public QObject
{
    Q_OBJECT
public:
    //! Takes `socket`, whose upgrade request has been read (later bytes may be buffered in it),
    //! and sends `handshakeResponse` first.
    WsSocket(QTcpSocket *socket, const QByteArray &handshakeResponse, qsizetype maxMessageBytes,
             QObject *parent = nullptr);
    ~WsSocket() override;

    void sendText(QByteArrayView utf8);
    //! Bytes queued and not yet taken by the kernel.
    qint64 bytesToWrite() const;
    QHostAddress peerAddress() const { return m_peer; }
    bool isConnected() const { return !m_disconnected; }
    //! Larger messages fail the connection with 1009 (see WsFrameParser).
    void setMaxMessageBytes(qsizetype bytes) { m_parser.setMaxMessageBytes(bytes); }
    //! Starts the close handshake; the TCP connection is dropped after `graceMs` if the peer
    //! does not answer (a peer that never reads never answers either).
    void close(quint16 code, const QString &reason, int graceMs);
    void abort();
    //! Backpressure: while paused nothing more is read or handed on (frames already parsed
    //! wait too); `drained` reports write progress meanwhile.
    void setReadPaused(bool paused);

signals:
    void textReceived(const QByteArray &utf8);
    void binaryReceived(const QByteArray &data);
    //! Any frame arrived (data, ping, pong or close).
    void activity();
    //! The protocol was violated and the connection is being closed with `code`.
    void failed(quint16 code, const QString &why);
    void disconnected();
    //! Some queued bytes were written while reading is paused.
    void drained();

private:
    void processInput();
    void handle(ws::WsEvent &&event);
    void sendFrame(ws::Opcode opcode, QByteArrayView payload);
    void write(QByteArrayView head, QByteArrayView body = {});
    //! Close TCP once everything queued is written.
    void closeWhenWritten();
    void markDisconnected();

    // Plain TCP on a descriptor (Unix).
    void onReadable();
    void flush();
    void closeDescriptor();

    QPointer<QTcpSocket> m_socket; // TLS (and non-Unix): the socket itself
    QHostAddress m_peer;
    ws::WsFrameParser m_parser;
    int m_fd = -1;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr; // only while the kernel buffer is full
    QByteArray m_out;                           // unsent bytes, from m_outPos
    qsizetype m_outPos = 0;
    bool m_flushQueued = false;
    bool m_closeAfterFlush = false;
    bool m_closeSent = false;
    bool m_closeReceived = false;
    bool m_disconnected = false;
    bool m_readPaused = false;
};

} // namespace tern::server::net
