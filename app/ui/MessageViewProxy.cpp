#include "app/ui/MessageViewProxy.h"

#include "app/models/MessageListModel.h"
#include "app/ui/BubbleExtras.h"

namespace tern::app::ui {

using models::MessageListModel;

QVariant MessageViewProxy::data(const QModelIndex &index, int role) const
{
    QVariant value = QIdentityProxyModel::data(index, role);
    if (role != Qt::AccessibleTextRole || !index.isValid())
        return value;
    QString text = value.toString();
    if (index.data(MessageListModel::DeletedRole).toBool())
        return QVariant(text + BubbleExtras::tombstoneText());
    QStringList extra;
    if (index.data(MessageListModel::ForwardedRole).toBool())
        extra.append(BubbleExtras::forwardedText());
    if (const qint64 replyTo = index.data(MessageListModel::ReplyToRole).toLongLong();
        replyTo > 0) {
        const BubbleExtras::Quote quote =
            BubbleExtras::quote(replyTo, index.data(MessageListModel::ReplyPreviewRole));
        //: Screen reader text of a reply's quote: "Reply to Bob: See you at noon".
        extra.append(tr("Reply to %1: %2")
                         .arg(BubbleExtras::quoteTitle(quote), BubbleExtras::quoteLine(quote)));
    }
    if (index.data(MessageListModel::EditedRole).toBool())
        extra.append(BubbleExtras::editedText());
    const QList<BubbleExtras::Chip> chips =
        BubbleExtras::chips(index.data(MessageListModel::ReactionsRole));
    if (!chips.isEmpty())
        //: Screen reader text of a message's reactions: "Reactions: 👍 2, ❤️ 1".
        extra.append(tr("Reactions: %1").arg(BubbleExtras::accessibleSummary(chips)));
    if (extra.isEmpty())
        return value;
    return QVariant(text + QStringLiteral(". ") + extra.join(QStringLiteral(". ")));
}

} // namespace tern::app::ui
