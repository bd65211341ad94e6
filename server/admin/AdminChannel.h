#pragma once

// The running server's admin socket: an owner-only local socket (`ternd.admin` in the data dir;
// a named pipe on Windows) through which `ternd user …` reaches the live process, as
// ejabberdctl and prosodyctl reach theirs. One command per connection, one JSON line each way.
// Lives on the socket thread; commands run as AdminService coroutines.

#include "server/admin/AdminService.h"
#include "shared/core/Result.h"

#include <QHash>
#include <QList>
#include <QLocalServer>
#include <QObject>
#include <QPointer>

class QLocalSocket;

namespace tern::server::admin {

class AdminChannel : public QObject
{
    Q_OBJECT
public:
    //! `ternd.admin` inside `dataDir`: where the CLI looks for a running server.
    static QString socketPath(const QString &dataDir);

    AdminChannel(AdminService &service, QObject *parent = nullptr);
    ~AdminChannel() override;

    //! Listens at socketPath(dataDir). Fails when another ternd already answers there.
    Status listen(const QString &dataDir);
    void close();

    //! Admin connections served at once; up to kMaxWaiting more wait their turn (in order),
    //! beyond that a new one is answered "busy".
    static constexpr int kMaxClients = 4;
    static constexpr int kMaxWaiting = 8;
    //! A client must have sent its command by then.
    static constexpr int kCommandDeadlineMs = 10'000;

private:
    void onNewConnection();
    //! Serves waiting connections while places are free.
    void serveWaiting();
    void onReadyRead(QLocalSocket *socket);
    QCoro::Task<> serve(QLocalSocket *socket, AdminCommand command);
    //! Refuses a command the client is still sending (past the size bound), so that the
    //! client still reads the answer.
    void refuseWhileWriting(QLocalSocket *socket, const QString &why);
    void finish(QLocalSocket *socket, const AdminReply &reply);

    AdminService &m_service;
    QLocalServer m_server;
    int m_clients = 0;
    QList<QPointer<QLocalSocket>> m_waiting;
};

} // namespace tern::server::admin
