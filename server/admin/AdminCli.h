#pragma once

// `ternd user add|passwd|disable|enable|list`: account administration on the data dir, for
// when registration is off or a password is forgotten. Runs without the event loop serving
// clients, so waiting for the store here blocks nobody.

#include "server/config/ServerConfig.h"

#include <QStringList>
#include <QTextStream>

namespace tern::server {

class AdminCli
{
public:
    AdminCli(ServerConfig config, QTextStream &in, QTextStream &out, QTextStream &err);
    //! `args` are the words after "user"; returns the process exit code.
    int run(const QStringList &args, const QString &displayName);

private:
    QString readPassword();

    ServerConfig m_config;
    QTextStream &m_in;
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace tern::server
