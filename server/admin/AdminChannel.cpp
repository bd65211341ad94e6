#include "AdminChannel.h"

#include "server/config/DataDir.h"
#include "shared/core/Log.h"

#include <QDir>
#include <QLocalSocket>
#include <QPointer>
#include <QTimer>

namespace tern::server::admin {

QString AdminChannel::socketPath(const QString &dataDir)
{
    return config::adminSocketPath(dataDir);
}

AdminChannel::AdminChannel(AdminService &service, QObject *parent)
    : QObject(parent), m_service(service)
{
    // Only the account that runs ternd (and root) may connect: the socket is its file mode.
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    connect(&m_server, &QLocalServer::newConnection, this, &AdminChannel::onNewConnection);
}

AdminChannel::~AdminChannel()
{
    close();
}

Status AdminChannel::listen(const QString &dataDir)
{
    const QString path = socketPath(dataDir);
    {
        // A socket file that answers belongs to a live server on the same data dir; one that
        // does not is left over from a killed one.
        QLocalSocket probe;
        probe.connectToServer(path);
        if (probe.waitForConnected(1000))
            return Error{ErrorCode::Conflict,
                         QStringLiteral("another ternd is serving this data dir (") + path + u')'};
    }
    QLocalServer::removeServer(path);
    if (!m_server.listen(path))
        return Error{ErrorCode::Internal, QStringLiteral("cannot open the admin socket ") + path +
                                              QStringLiteral(": ") + m_server.errorString()};
    return Ok{};
}

void AdminChannel::close()
{
    if (m_server.isListening())
        m_server.close(); // removes the socket file
}

void AdminChannel::onNewConnection()
{
    // Every connection is taken at once: one left in QLocalServer's pending list would have
    // what it sends read into an unbounded buffer, with nobody listening for it.
    while (QLocalSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        socket->setReadBufferSize(kAdminRequestMaxBytes + 1);
        if (m_waiting.size() >= kMaxWaiting) {
            finish(socket, AdminReply{1,
                                      {},
                                      QStringLiteral("ternd: busy with other admin commands; "
                                                     "try again shortly\n")});
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            continue;
        }
        connect(socket, &QLocalSocket::disconnected, this, [this, socket] {
            if (socket->property("serving").toBool())
                --m_clients;
            m_waiting.removeAll(socket);
            socket->deleteLater();
            serveWaiting(); // a waiting client may come in now
        });
        m_waiting.append(socket);
    }
    serveWaiting();
}

void AdminChannel::serveWaiting()
{
    while (m_clients < kMaxClients && !m_waiting.isEmpty()) {
        QPointer<QLocalSocket> socket = m_waiting.takeFirst();
        if (!socket || socket->state() != QLocalSocket::ConnectedState)
            continue; // gone while waiting; its disconnected() tidies up
        ++m_clients;
        socket->setProperty("serving", true);
        connect(socket, &QLocalSocket::readyRead, this,
                [this, s = socket.data()] { onReadyRead(s); });
        QTimer::singleShot(kCommandDeadlineMs, socket, [socket] {
            if (socket->property("command").isNull())
                socket->abort();
        });
        // What it sent while it waited came before we listened for readyRead.
        if (socket->bytesAvailable() > 0)
            QMetaObject::invokeMethod(
                socket, [this, s = socket.data()] { onReadyRead(s); }, Qt::QueuedConnection);
    }
}

void AdminChannel::onReadyRead(QLocalSocket *socket)
{
    if (!socket->property("command").isNull())
        return; // one command per connection; anything after it is ignored
    if (!socket->canReadLine()) {
        if (socket->bytesAvailable() > kAdminRequestMaxBytes)
            refuseWhileWriting(socket, QStringLiteral("ternd: command too long\n"));
        return;
    }
    const QByteArray line = socket->readLine(kAdminRequestMaxBytes + 1);
    socket->setProperty("command", true);
    const auto command = AdminCommand::fromLine(line.trimmed());
    if (!command) {
        finish(socket, AdminReply{2, {}, QStringLiteral("ternd: malformed admin command\n")});
        return;
    }
    qCInfo(lcServer) << "admin command:" << command->verb << command->name;
    serve(socket, *command);
}

QCoro::Task<> AdminChannel::serve(QLocalSocket *socket, AdminCommand command)
{
    QPointer<AdminChannel> self(this);
    QPointer<QLocalSocket> guarded(socket);
    QCoro::Task<AdminReply> running = m_service.run(std::move(command));
    const AdminReply reply = co_await running;
    if (self && guarded)
        finish(guarded, reply);
}

void AdminChannel::refuseWhileWriting(QLocalSocket *socket, const QString &why)
{
    // The client is still writing. Closing with its bytes unread would reset the connection,
    // and the reset makes its socket drop our answer before it is read. So the answer goes out,
    // what the client sends meanwhile is read and thrown away (never kept), and the connection
    // ends when the client hangs up or at the command deadline.
    socket->setProperty("command", true);
    socket->write(AdminReply{2, {}, why}.toLine());
    const auto drop = [socket] { socket->skip(socket->bytesAvailable()); };
    connect(socket, &QLocalSocket::readyRead, socket, drop);
    drop();
    QTimer::singleShot(kCommandDeadlineMs, socket, [socket] { socket->abort(); });
}

void AdminChannel::finish(QLocalSocket *socket, const AdminReply &reply)
{
    socket->setProperty("command", true);
    socket->write(reply.toLine());
    socket->disconnectFromServer(); // after the reply is written
}

} // namespace tern::server::admin
