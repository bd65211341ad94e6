#include "AdminCli.h"

#include "server/admin/AdminChannel.h"
#include "server/admin/AdminService.h"
#include "server/config/DataDir.h"
#include "server/store/SqlStore.h"
#include "shared/crypto/Crypto.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QLocalSocket>

#include <termios.h>
#include <unistd.h>

namespace tern::server {

namespace {
constexpr int kServerAnswerMs = 60'000; // a password hash at the strongest cost takes seconds
}

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
    admin::AdminCommand command;
    command.verb = args.value(0);
    command.name = args.value(1);
    command.displayName = displayName;
    const bool needsName = command.verb != QLatin1String("list");
    if (command.verb.isEmpty() || (needsName && command.name.isEmpty())) {
        m_err << "usage: ternd user add|passwd|disable|enable NAME | ternd user list\n";
        return 2;
    }
    if (command.verb == QLatin1String("add") || command.verb == QLatin1String("passwd"))
        command.password = readPassword();

    std::optional<admin::AdminReply> reply = askRunningServer(command);
    if (!reply)
        reply = runOnDatabase(command);
    m_out << reply->out << Qt::flush;
    m_err << reply->err << Qt::flush;
    return reply->exitCode;
}

std::optional<admin::AdminReply> AdminCli::askRunningServer(const admin::AdminCommand &command)
{
    const QString path = admin::AdminChannel::socketPath(m_config.dataDir);
    if (!QFileInfo::exists(path))
        return std::nullopt;
    QLocalSocket socket;
    socket.connectToServer(path);
    if (!socket.waitForConnected(5000)) {
        // Refused: left over from a server that was killed. Anything else (no permission, say)
        // may be a live server this user cannot reach: editing the database behind its back
        // would leave the changed user's sessions open, so say so instead.
        if (socket.error() == QLocalSocket::ConnectionRefusedError ||
            socket.error() == QLocalSocket::ServerNotFoundError)
            return std::nullopt;
        return admin::AdminReply{
            1,
            {},
            QStringLiteral("ternd: cannot reach the running server at %1 (%2); run this as the "
                           "user ternd runs as\n")
                .arg(path, socket.errorString())};
    }
    socket.write(command.toLine());
    if (!socket.waitForBytesWritten(5000))
        return admin::AdminReply{1,
                                 {},
                                 QStringLiteral("ternd: the running server did not read "
                                                "the command\n")};
    QByteArray line;
    while (!line.endsWith('\n') && line.size() <= admin::kAdminReplyMaxBytes) {
        if (!socket.bytesAvailable() && !socket.waitForReadyRead(kServerAnswerMs))
            break;
        line += socket.readAll();
    }
    if (const auto reply = admin::AdminReply::fromLine(line.trimmed()))
        return reply;
    return admin::AdminReply{1, {}, QStringLiteral("ternd: no answer from the running server\n")};
}

admin::AdminReply AdminCli::runOnDatabase(const admin::AdminCommand &command)
{
    if (!crypto::initialize() || !config::prepareDataDir(m_config.dataDir))
        return {1, {}, QStringLiteral("ternd: cannot prepare ") + m_config.dataDir + u'\n'};
    store::SqlStore store(m_config.dataDir);
    if (Status opened = store.start(); !opened)
        return {1, {}, QStringLiteral("ternd: ") + opened.error().message + u'\n'};
    admin::AdminService service(store, m_config.passwordCost);
    std::optional<admin::AdminReply> reply;
    QEventLoop loop;
    auto running = [&]() -> QCoro::Task<> {
        reply = co_await service.run(command);
        loop.quit();
    };
    QCoro::Task<> task = running();
    if (!reply)
        loop.exec();
    return *reply;
}

} // namespace tern::server
