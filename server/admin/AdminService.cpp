#include "AdminService.h"

#include "shared/model/Validation.h"

#include <QCoroFuture>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace tern::server::admin {

namespace {
AdminReply failure(int exitCode, const QString &text)
{
    return AdminReply{exitCode, {}, QStringLiteral("ternd: ") + text + u'\n'};
}

const QString kUsage =
    QStringLiteral("usage: ternd user add|passwd|disable|enable NAME | ternd user list\n");
} // namespace

AdminService::AdminService(store::Store &store, crypto::PasswordCost cost, SignOut signOut,
                           QObject *parent)
    : QObject(parent), m_store(store), m_cost(cost), m_signOut(std::move(signOut))
{}

QCoro::Task<AdminReply> AdminService::run(AdminCommand command)
{
    if (command.verb == QLatin1String("list"))
        co_return co_await list();
    if (command.name.isEmpty())
        co_return AdminReply{2, {}, kUsage};
    if (command.verb == QLatin1String("add"))
        co_return co_await add(std::move(command));
    if (command.verb == QLatin1String("passwd") || command.verb == QLatin1String("disable") ||
        command.verb == QLatin1String("enable"))
        co_return co_await change(std::move(command));
    co_return failure(2, QStringLiteral("unknown command: user ") + command.verb);
}

QCoro::Task<AdminReply> AdminService::list()
{
    QFuture<Result<QList<store::UserRecord>>> listing = m_store.listUsers();
    const Result<QList<store::UserRecord>> users = co_await listing;
    if (!users)
        co_return failure(1, users.error().message);
    AdminReply reply;
    for (const store::UserRecord &u : *users)
        reply.out += u.name + u'\t' + u.id + u'\t' + u.displayName +
                     (u.disabled ? QStringLiteral("\tdisabled") : QString()) + u'\n';
    co_return reply;
}

QCoro::Task<Result<QString>> AdminService::hashed(QString password)
{
    QPointer<AdminService> self(this);
    const crypto::PasswordCost cost = m_cost;
    // Named future first: g++ 12 double-destroys a lambda inside a co_await expression.
    QFuture<QString> hashing =
        QtConcurrent::run([password, cost] { return crypto::hashPassword(password, cost); });
    const QString hash = co_await hashing;
    if (!self)
        co_return Error{ErrorCode::Internal, QStringLiteral("the server is shutting down")};
    if (hash.isEmpty())
        co_return Error{ErrorCode::Internal, QStringLiteral("password hashing failed")};
    co_return hash;
}

QCoro::Task<AdminReply> AdminService::add(AdminCommand command)
{
    if (!validation::isValidUserName(command.name))
        co_return failure(2, QStringLiteral("user names are 3-32 characters of a-z 0-9 . _ -"));
    if (!validation::isValidPassword(command.password))
        co_return failure(2, QStringLiteral("passwords need at least 8 characters"));
    QCoro::Task<Result<QString>> hashing = hashed(command.password);
    const Result<QString> hash = co_await hashing;
    if (!hash)
        co_return failure(1, hash.error().message);
    const QString displayName = command.displayName.isEmpty() ? command.name : command.displayName;
    QFuture<Result<QString>> creating = m_store.createUser(command.name, displayName, *hash);
    const Result<QString> id = co_await creating;
    if (!id)
        co_return failure(1, id.error().message);
    co_return AdminReply{0, QStringLiteral("added %1 (%2)\n").arg(command.name, *id), {}};
}

QCoro::Task<AdminReply> AdminService::change(AdminCommand command)
{
    QPointer<AdminService> self(this);
    const bool passwd = command.verb == QLatin1String("passwd");
    if (passwd && !validation::isValidPassword(command.password))
        co_return failure(2, QStringLiteral("passwords need at least 8 characters"));
    QFuture<Result<store::UserRecord>> finding = m_store.findUserByName(command.name);
    const Result<store::UserRecord> user = co_await finding;
    if (!self)
        co_return failure(1, QStringLiteral("the server is shutting down"));
    if (!user)
        co_return failure(1, QStringLiteral("no such user: ") + command.name);

    Status status = Ok{};
    QString signOutReason;
    if (passwd) {
        QCoro::Task<Result<QString>> hashing = hashed(command.password);
        const Result<QString> hash = co_await hashing;
        if (!hash)
            co_return failure(1, hash.error().message);
        QFuture<Status> setting = m_store.setPasswordHash(user->id, *hash);
        status = co_await setting;
        signOutReason = QStringLiteral("password changed: sign in again");
    } else {
        const bool disable = command.verb == QLatin1String("disable");
        QFuture<Status> setting = m_store.setDisabled(user->id, disable);
        status = co_await setting;
        if (disable)
            signOutReason = QStringLiteral("account disabled");
    }
    if (!self)
        co_return failure(1, QStringLiteral("the server is shutting down"));
    if (!status)
        co_return failure(1, status.error().message);
    // The tokens are revoked in the same commit; closing the sessions makes it visible now.
    if (!signOutReason.isEmpty() && m_signOut)
        m_signOut(user->id, signOutReason);
    co_return AdminReply{
        0, command.verb + QStringLiteral(": done for ") + command.name + u'\n', {}};
}

} // namespace tern::server::admin
