#include "AdminCommand.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tern::server::admin {

namespace {
std::optional<QJsonObject> objectOf(const QByteArray &line)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

QByteArray lineOf(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}
} // namespace

QByteArray AdminCommand::toLine() const
{
    return lineOf({{QStringLiteral("verb"), verb},
                   {QStringLiteral("name"), name},
                   {QStringLiteral("display_name"), displayName},
                   {QStringLiteral("password"), password}});
}

std::optional<AdminCommand> AdminCommand::fromLine(const QByteArray &line)
{
    const auto object = objectOf(line);
    if (!object || !object->value(QStringLiteral("verb")).isString())
        return std::nullopt;
    AdminCommand command;
    command.verb = object->value(QStringLiteral("verb")).toString();
    command.name = object->value(QStringLiteral("name")).toString();
    command.displayName = object->value(QStringLiteral("display_name")).toString();
    command.password = object->value(QStringLiteral("password")).toString();
    return command;
}

QByteArray AdminReply::toLine() const
{
    return lineOf({{QStringLiteral("exit"), exitCode},
                   {QStringLiteral("out"), out},
                   {QStringLiteral("err"), err}});
}

std::optional<AdminReply> AdminReply::fromLine(const QByteArray &line)
{
    const auto object = objectOf(line);
    if (!object || !object->value(QStringLiteral("exit")).isDouble())
        return std::nullopt;
    AdminReply reply;
    reply.exitCode = object->value(QStringLiteral("exit")).toInt();
    reply.out = object->value(QStringLiteral("out")).toString();
    reply.err = object->value(QStringLiteral("err")).toString();
    return reply;
}

} // namespace tern::server::admin
