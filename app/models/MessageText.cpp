#include "app/models/MessageText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace tern::app::models {

namespace {

QString nameOf(const QString &userId, const QHash<QString, QString> &names)
{
    return names.value(userId, userId);
}

} // namespace

QString MessageText::summary(const protocol::MessageEvent &message,
                             const QHash<QString, QString> &names)
{
    if (message.kind == QLatin1String("system"))
        return systemText(message.content, names);
    if (message.kind == QLatin1String("image"))
        return message.content.isEmpty() ? tr("Photo") : tr("Photo: %1").arg(message.content);
    if (message.kind == QLatin1String("file"))
        return message.content.isEmpty() ? tr("File") : tr("File: %1").arg(message.content);
    // One line: the list shows a single elided line, a newline would cut it short.
    return message.content.simplified();
}

QString MessageText::systemText(const QString &content, const QHash<QString, QString> &names)
{
    const QJsonObject event = QJsonDocument::fromJson(content.toUtf8()).object();
    const QString kind = event.value(QLatin1String("event")).toString();
    const QString by = nameOf(event.value(QLatin1String("by")).toString(), names);
    QStringList users;
    const QJsonArray list = event.value(QLatin1String("users")).toArray();
    for (const QJsonValue &user : list)
        users << nameOf(user.toString(), names);
    const QString who = users.join(QStringLiteral(", "));
    if (kind == QLatin1String("created"))
        return tr("%1 created the group").arg(by);
    if (kind == QLatin1String("member_added"))
        return tr("%1 added %2").arg(by, who);
    if (kind == QLatin1String("member_removed"))
        return tr("%1 removed %2").arg(by, who);
    if (kind == QLatin1String("member_left"))
        return tr("%1 left").arg(who.isEmpty() ? by : who);
    if (kind == QLatin1String("renamed"))
        return tr("%1 renamed the group to \"%2\"")
            .arg(by, event.value(QLatin1String("name")).toString());
    if (kind == QLatin1String("role_changed"))
        return tr("%1 changed the role of %2").arg(by, who);
    return tr("Group updated");
}

} // namespace tern::app::models
