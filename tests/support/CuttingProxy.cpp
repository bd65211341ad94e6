#include "CuttingProxy.h"

#include <QRegularExpression>
#include <QTcpSocket>

namespace tern::test {

struct CuttingProxy::Link
{
    QPointer<QTcpSocket> client;
    QPointer<QTcpSocket> server;
    QByteArray head;      // request bytes not yet looked at (download links only)
    bool other = false;   // not a download link: nothing to look at
    bool cutting = false; // a download to cut
    qint64 budget = 0;    // response bytes still to relay before the cut
    bool closing = false; // cut: nothing more is relayed
    quint64 id = 0;
};

CuttingProxy::CuttingProxy(quint16 targetPort, QObject *parent)
    : QObject(parent), m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &CuttingProxy::onNewConnection);
}

bool CuttingProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl CuttingProxy::url() const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(m_server.serverPort()));
}

void CuttingProxy::cutDownloads(int count, qint64 afterBytes, bool alsoOthers)
{
    m_cutsLeft = count;
    m_cutAfter = afterBytes;
    m_cutOthers = alsoOthers;
}

void CuttingProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto *link = new Link;
        link->id = ++m_nextId;
        link->client = client;
        link->server = new QTcpSocket(this);
        m_links.insert(link->id, link);
        QTcpSocket *server = link->server;
        connect(client, &QTcpSocket::readyRead, this,
                [this, link] { relay(link, link->client, link->server, false); });
        connect(server, &QTcpSocket::readyRead, this,
                [this, link] { relay(link, link->server, link->client, true); });
        connect(server, &QTcpSocket::connected, this,
                [this, link] { relay(link, link->client, link->server, false); });
        auto close = [this, id = link->id] {
            QMetaObject::invokeMethod(
                this, [this, id] { cut(id); }, Qt::QueuedConnection);
        };
        connect(client, &QTcpSocket::disconnected, this, close);
        connect(server, &QTcpSocket::disconnected, this, close);
        server->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }
}

void CuttingProxy::relay(Link *link, QTcpSocket *from, QTcpSocket *to, bool response)
{
    if (link->closing) {
        from->readAll();
        return;
    }
    if (!link->client || !link->server || to->state() != QAbstractSocket::ConnectedState)
        return; // the client's first bytes wait in its buffer until the server link is up
    QByteArray data = from->readAll();
    if (!response && !link->other) {
        // Every request head of a download link (GETs carry no body; keep-alive sends several).
        link->head += data;
        static const QRegularExpression download(
            QStringLiteral("^GET /api/v1/media/[0-9a-f]+ HTTP"));
        for (qsizetype end = link->head.indexOf("\r\n\r\n"); end >= 0;
             end = link->head.indexOf("\r\n\r\n")) {
            const QByteArray head = link->head.left(end);
            link->head.remove(0, end + 4);
            if (!download.match(QString::fromLatin1(head.left(80))).hasMatch()) {
                link->other = true; // the WebSocket or another request: relayed as it is
                link->head.clear();
                break;
            }
            m_downloadRequests.append(head);
            if (m_cutsLeft > 0) {
                --m_cutsLeft;
                link->cutting = true;
                link->budget = m_cutAfter;
            }
        }
    }
    if (response && link->cutting) {
        if (data.size() >= link->budget) {
            to->write(data.left(link->budget));
            link->closing = true;
            ++m_cuts;
            // Cut on the next turn: nothing here may delete a link inside its socket's signal.
            const bool others = m_cutOthers;
            QMetaObject::invokeMethod(
                this,
                [this, id = link->id, others] {
                    cut(id);
                    if (others) {
                        const QList<quint64> all = m_links.keys();
                        for (quint64 other : all)
                            cut(other);
                    }
                },
                Qt::QueuedConnection);
            return;
        }
        link->budget -= data.size();
    }
    to->write(data);
}

void CuttingProxy::cut(quint64 id)
{
    Link *link = m_links.take(id);
    if (!link)
        return;
    for (QTcpSocket *socket : {link->client.data(), link->server.data()}) {
        if (!socket)
            continue;
        socket->disconnect(this);
        if (socket->state() == QAbstractSocket::ConnectedState && socket->bytesToWrite() > 0) {
            // What was relayed still reaches the other side before the close.
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost();
        } else {
            socket->abort();
            socket->deleteLater();
        }
    }
    delete link;
}

} // namespace tern::test
