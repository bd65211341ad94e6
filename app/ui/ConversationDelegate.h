#pragma once

//! Paints one row of the conversation list: avatar with presence dot, name, time, one-line
//! preview (or "typing…"), unread badge and a muted mark.
//
// Pure rendering over ConversationListModel's roles. Sizes derive from the view's font, so the
// ~64 px row of a 10 pt font scales with the platform font and the DPR.

#include <QDateTime>
#include <QStyledItemDelegate>

namespace tern::app::ui {

class ConversationDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit ConversationDelegate(QObject *parent = nullptr);

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

    //! Time of last activity as the list shows it: "14:05" today, a weekday within the last
    //! week, else a short date; empty for 0.
    static QString activityText(qint64 msecsSinceEpoch, const QDateTime &now);
    //! "3", or "999+" for very large counts.
    static QString badgeText(int count);
};

} // namespace tern::app::ui
