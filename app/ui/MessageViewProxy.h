#pragma once

//! MessageView's identity proxy over MessageListModel: adds the screen-reader text of each
//! message and hides canFetchMore from QAbstractItemView.
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

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &) const override { return false; }
    void fetchMore(const QModelIndex &) override {}
    //! "Sender, time, status: text" for the row at `source` (a source-model index).
    static QString accessibleText(const QModelIndex &source);
};

} // namespace tern::app::ui
