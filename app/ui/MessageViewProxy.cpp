#include "app/ui/MessageViewProxy.h"

#include "app/models/MessageListModel.h"
#include "app/models/MessageText.h"

#include <QDateTime>
#include <QLocale>

namespace tern::app::ui {

using models::MessageListModel;
using Role = MessageListModel::Role;
using Status = MessageListModel::Status;

QVariant MessageViewProxy::data(const QModelIndex &index, int role) const
{
    if (role == Qt::AccessibleTextRole)
        return accessibleText(mapToSource(index));
    return QIdentityProxyModel::data(index, role);
}

QString MessageViewProxy::accessibleText(const QModelIndex &source)
{
    if (!source.isValid())
        return {};
    const QString kind = source.data(Role::KindRole).toString();
    if (kind == QLatin1String("system"))
        return source.data(Role::TextRole).toString();
    const QString text = models::MessageText::spoken(kind, source.data(Role::TextRole).toString(),
                                                     source.data(Role::MediaRole).toJsonObject());
    const QString time = QLocale().toString(
        QDateTime::fromMSecsSinceEpoch(source.data(Role::TimestampRole).toLongLong()),
        QLocale::ShortFormat);
    if (!source.data(Role::IsOwnRole).toBool()) {
        //: Screen reader text of someone else's message: sender, time: text
        return tr("%1, %2: %3").arg(source.data(Role::SenderNameRole).toString(), time, text);
    }
    QString status;
    switch (source.data(Role::StatusRole).value<Status>()) {
    case Status::Pending:
        status = tr("sending");
        break;
    case Status::Sent:
        status = tr("sent");
        break;
    case Status::Delivered:
        status = tr("delivered");
        break;
    case Status::Read:
        status = tr("read");
        break;
    case Status::Failed:
        status = tr("not sent");
        break;
    }
    //: Screen reader text of the user's own message: "You", time, status: text
    return tr("You, %1, %2: %3").arg(time, status, text);
}

} // namespace tern::app::ui
