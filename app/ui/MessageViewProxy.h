#pragma once

//! MessageView's identity proxy over MessageListModel: hides canFetchMore from
//! QAbstractItemView. The screen-reader text of a row is the model's (Qt::AccessibleTextRole,
//! built once in MessageListModel::accessibleText).
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
};

} // namespace tern::app::ui
