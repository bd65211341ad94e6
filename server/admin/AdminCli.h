#pragma once

// `ternd user add|passwd|disable|enable|list`: account administration, for when registration is
// off or a password is forgotten. With a server running on the data dir the command goes to it
// through its admin socket (AdminChannel) and takes effect at once; otherwise the CLI opens the
// database itself. Runs without an event loop serving clients, so it may wait.

#include "server/admin/AdminCommand.h"
#include "server/config/ServerConfig.h"

#include <QStringList>
#include <QTextStream>

#include <optional>

namespace tern::server {

class AdminCli
{
public:
    AdminCli(ServerConfig config, QTextStream &in, QTextStream &out, QTextStream &err);
    //! `args` are the words after "user"; returns the process exit code.
    int run(const QStringList &args, const QString &displayName);

private:
    QString readPassword();
    //! The running server's answer; nullopt when no server listens on the data dir.
    std::optional<admin::AdminReply> askRunningServer(const admin::AdminCommand &command);
    admin::AdminReply runOnDatabase(const admin::AdminCommand &command);

    ServerConfig m_config;
    QTextStream &m_in;
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace tern::server
