#pragma once

// One hostile WebSocket client for `tern-bench hostile`: a plain TCP socket from a chosen
// loopback address that does the upgrade by hand, then writes masked frames it is told to and
// never reads again (so the server's replies back up), or sends unfinished fragments. Event
// driven: a thousand of them run side by side in one process.

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QTcpSocket>

namespace tern::bench {

class RawAttacker : public QObject
{
    Q_OBJECT
public:
    explicit RawAttacker(QObject *parent = nullptr);

    //! Connect from `from` to 127.0.0.1:`port` and upgrade; `frames` go out once it is upgraded
    //! (text frames; a frame with `fin` false leaves a message unfinished).
    void start(const QHostAddress &from, quint16 port);
    void queueText(const QByteArray &utf8, bool fin = true);
    //! Continuation frames of the unfinished message (raw bytes, never finished).
    void queueContinuation(const QByteArray &bytes);

    bool upgraded() const { return m_upgraded; }
    bool closed() const { return m_closed; }

signals:
    void upgradedNow();

private:
    void onConnected();
    void onReadyRead();
    QByteArray frame(int opcode, const QByteArray &payload, bool fin) const;

    QTcpSocket m_socket;
    QByteArray m_head;
    QByteArray m_pending; // frames waiting for the upgrade
    bool m_upgraded = false;
    bool m_closed = false;
};

} // namespace tern::bench
