#pragma once

//! A TCP relay in front of a test server that cuts media downloads part-way (tests).
//
// Every connection is relayed byte for byte to the target port. A connection whose request is
// a media download (`GET /api/v1/media/<id>`) can be cut after a given number of response bytes:
// the network drop in the middle of a transfer, at a chosen place. Optionally every other
// connection (the WebSocket too) is cut with it, as when the network goes away. The request heads
// of downloads are kept, so a test can see what the client asked for (its Range).

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QUrl>

class QTcpSocket;

namespace tern::test {

class CuttingProxy : public QObject
{
    Q_OBJECT
public:
    explicit CuttingProxy(quint16 targetPort, QObject *parent = nullptr);
    bool listen();
    QUrl url() const;

    //! The next `count` downloads are cut after `afterBytes` response bytes.
    void cutDownloads(int count, qint64 afterBytes, bool alsoOthers = false);
    int cuts() const { return m_cuts; }
    //! Request heads of the media downloads seen so far, oldest first.
    QList<QByteArray> downloadRequests() const { return m_downloadRequests; }

private:
    struct Link;
    void onNewConnection();
    void relay(Link *link, QTcpSocket *from, QTcpSocket *to, bool response);
    void cut(quint64 id);

    QTcpServer m_server;
    quint16 m_targetPort;
    int m_cutsLeft = 0;
    qint64 m_cutAfter = 0;
    bool m_cutOthers = false;
    int m_cuts = 0;
    QList<QByteArray> m_downloadRequests;
    QHash<quint64, Link *> m_links;
    quint64 m_nextId = 0;
};

} // namespace tern::test
