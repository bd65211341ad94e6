#pragma once

//! MessageView's identity proxy over MessageListModel: hides canFetchMore from
//! QAbstractItemView, and adds what issue 19 paints around a bubble (forwarded, the quoted
//! message, "edited", "deleted", the reactions) to the model's screen-reader text
//! (Qt::AccessibleTextRole, built in MessageListModel::accessibleText).
//
// QAbstractItemView calls fetchMore whenever the *last* row is visible or the scroll bar is at
// its maximum; for a chat (older history on top) that would page the whole history in while
// the user reads the newest messages. The view decides itself when to page (near the top).

#include <QIdentityProxyModel>

namespace tern::app::ui {

class MessageViewProxy : public QIdentityProxyModel
{
    Q_OBJECT
public:
    using QIdentityProxyModel::QIdentityProxyModel;

    bool canFetchMore(const QModelIndex &) const override { return false; }
    void fetchMore(const QModelIndex &) override {}
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
};

} // namespace tern::app::ui
