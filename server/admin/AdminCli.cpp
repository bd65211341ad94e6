#include "AdminCli.h"

#include "server/store/SqlStore.h"
#include "shared/crypto/Crypto.h"
#include "shared/model/Validation.h"

#include <QDir>

#include <termios.h>
#include <unistd.h>

namespace tern::server {

AdminCli::AdminCli(ServerConfig config, QTextStream &in, QTextStream &out, QTextStream &err)
    : m_config(std::move(config)), m_in(in), m_out(out), m_err(err)
{}

QString AdminCli::readPassword()
{
    const bool tty = isatty(STDIN_FILENO);
    termios saved{};
    if (tty) {
        m_err << "Password: " << Qt::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios silent = saved;
        silent.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &silent);
    }
    const QString password = m_in.readLine();
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        m_err << "\n" << Qt::flush;
    }
    return password;
}

int AdminCli::run(const QStringList &args, const QString &displayName)
{
    const QString verb = args.value(0);
    const QString name = args.value(1);
    const bool needsName = verb != QLatin1String("list");
    if (verb.isEmpty() || (needsName && name.isEmpty())) {
        m_err << "usage: ternd user add|passwd|disable|enable NAME | ternd user list\n";
        return 2;
    }
    if (!crypto::initialize() || !QDir().mkpath(m_config.dataDir)) {
        m_err << "ternd: cannot prepare " << m_config.dataDir << "\n";
        return 1;
    }
    store::SqlStore store(m_config.dataDir);
    if (Status opened = store.start(); !opened) {
        m_err << "ternd: " << opened.error().message << "\n";
        return 1;
    }

    if (verb == QLatin1String("list")) {
        const auto users = store.listUsers().result();
        if (!users) {
            m_err << "ternd: " << users.error().message << "\n";
            return 1;
        }
        for (const store::UserRecord &u : *users)
            m_out << u.name << "\t" << u.id << "\t" << u.displayName
                  << (u.disabled ? "\tdisabled" : "") << "\n";
        return 0;
    }

    if (verb == QLatin1String("add")) {
        if (!validation::isValidUserName(name)) {
            m_err << "ternd: user names are 3-32 characters of a-z 0-9 . _ -\n";
            return 2;
        }
        const QString password = readPassword();
        if (!validation::isValidPassword(password)) {
            m_err << "ternd: passwords need at least 8 characters\n";
            return 2;
        }
        const QString hash = crypto::hashPassword(password, m_config.passwordCost);
        const auto id =
            store.createUser(name, displayName.isEmpty() ? name : displayName, hash).result();
        if (!id) {
            m_err << "ternd: " << id.error().message << "\n";
            return 1;
        }
        m_out << "added " << name << " (" << *id << ")\n";
        return 0;
    }

    const auto user = store.findUserByName(name).result();
    if (!user) {
        m_err << "ternd: no such user: " << name << "\n";
        return 1;
    }
    Status status = Ok{};
    if (verb == QLatin1String("passwd")) {
        const QString password = readPassword();
        if (!validation::isValidPassword(password)) {
            m_err << "ternd: passwords need at least 8 characters\n";
            return 2;
        }
        status =
            store.setPasswordHash(user->id, crypto::hashPassword(password, m_config.passwordCost))
                .result();
    } else if (verb == QLatin1String("disable") || verb == QLatin1String("enable")) {
        status = store.setDisabled(user->id, verb == QLatin1String("disable")).result();
    } else {
        m_err << "ternd: unknown command: user " << verb << "\n";
        return 2;
    }
    if (!status) {
        m_err << "ternd: " << status.error().message << "\n";
        return 1;
    }
    m_out << verb << ": done for " << name << "\n";
    return 0;
}

} // namespace tern::server
