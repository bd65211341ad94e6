#pragma once

//! Paints one chat message row: bubble, sender name, day separator, "New messages" divider,
//! time and status ticks, reply quote, "Forwarded", "edited", tombstones and reaction chips;
//! opens clicked links.
//
// Pure rendering over MessageListModel's roles (no widgets per message, no client calls). Every
// size derives from the view's font metrics, so it scales with the platform font and DPR. Text
// layouts and sizes are cached per (message id, width) in a bounded MessageLayoutCache, so size
// hints stay cheap for 100,000 rows. Other users' text is laid out as plain text only.

#include "app/ui/BubbleExtras.h"
#include "app/ui/MessageLayoutCache.h"
#include "app/ui/TickIcons.h"

#include <QStyledItemDelegate>

#include <memory>

namespace tern::app::ui {

class MessageDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit MessageDelegate(QObject *parent = nullptr);
    ~MessageDelegate() override;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    //! Draws the "New messages" divider above the message with this seq; -1 for none. The view
    //! must re-layout afterwards (the row grows).
    void setUnreadDividerSeq(qint64 seq) { m_dividerSeq = seq; }
    qint64 unreadDividerSeq() const { return m_dividerSeq; }
    //! Groups show the sender's name above the first bubble of each run; direct chats do not.
    void setShowSenderNames(bool show) { m_showSenderNames = show; }
    bool showSenderNames() const { return m_showSenderNames; }

    //! Find in chat: highlights every occurrence of `text` (case-insensitive) in the bubbles,
    //! the message `currentId` more strongly; an empty text removes the highlights.
    void setFindHighlight(const QString &text, const QString &currentId);
    QString findText() const { return m_findText; }
    QString currentFindId() const { return m_findCurrentId; }

    //! The link under `pos` (view coordinates) in the row at `index`; empty when none.
    QString linkAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                   const QPoint &pos) const;
    //! The bubble's rectangle in view coordinates (tests, hit tests); empty for system rows.
    QRect bubbleRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    //! The "New messages" divider of the row at `index` in view coordinates; empty without one.
    QRect dividerRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    //! The picture or file icon of a media message in view coordinates; empty for other rows.
    QRect mediaRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    //! The text of a text message in view coordinates, wide enough to wrap as painted; empty
    //! for pictures, files and system rows. `font` gets the font it is painted in.
    QRect textRect(const QStyleOptionViewItem &option, const QModelIndex &index,
                   QFont *font = nullptr) const;
    //! The reply quote of a reply in view coordinates (a click shows the original); empty for
    //! other rows.
    QRect quoteRect(const QStyleOptionViewItem &option, const QModelIndex &index) const;
    //! The emoji of the reaction chip under `pos` (view coordinates); empty when none.
    QString reactionAt(const QStyleOptionViewItem &option, const QModelIndex &index,
                       const QPoint &pos) const;
    //! The chip of `emoji` under the bubble in view coordinates; empty when it has none.
    QRect reactionRect(const QStyleOptionViewItem &option, const QModelIndex &index,
                       const QString &emoji) const;
    //! The chip's tooltip (plain text): the emoji and who reacted with it; empty when none.
    QString reactionToolTip(const QModelIndex &index, const QString &emoji) const;
    //! Leaves the text of message `id` unpainted (a BubbleTextSelector shows it); "" for none.
    void setHiddenTextId(const QString &id) { m_hiddenTextId = id; }
    //! A clock time as chats show it: the locale's short format without seconds ("14:05").
    static QString shortTime(const QTime &time);
    //! "Today", "Yesterday" or a long date, for day separators.
    static QString dayLabel(const QDate &day, const QDate &today);
    //! How the mentions in a message's text are painted (MentionSpansRole): in the link colour,
    //! and on an accent background when they name us.
    static QList<QTextLayout::FormatRange> mentionRanges(const QModelIndex &index,
                                                         const QPalette &palette);
    //! Drops every cached layout (e.g. after a font change the view did not report).
    void clearCache();
    //! Lengths derived from a font (defined in the .cpp).
    struct Sizes;

signals:
    //! A link was clicked; it has already been handed to QDesktopServices.
    void linkActivated(const QString &url);
    //! The picture or file of a media message was clicked.
    void mediaActivated(const QModelIndex &index);
    //! The reply quote of the message at `index` was clicked (show the original).
    void replyActivated(const QModelIndex &index);
    //! A reaction chip was clicked: toggle our own reaction `emoji` on the message.
    void reactionClicked(const QModelIndex &index, const QString &emoji);

private:
    struct RowData;
    struct Geometry;

    const Sizes &sizes(const QFont &font) const;
    RowData rowData(const QModelIndex &index) const;
    Geometry geometry(const QStyleOptionViewItem &option, const RowData &row,
                      bool fullLayout) const;
    int viewportWidth(const QStyleOptionViewItem &option) const;
    void paintSeparator(QPainter *painter, const QRect &band, const QString &text,
                        const QStyleOptionViewItem &option, bool divider) const;
    void paintMeta(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                   const RowData &row, const QRectF &metaRect) const;
    void paintDownloadBadge(QPainter *painter, const QPalette &palette, const QRectF &icon) const;
    void paintMedia(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index,
                    const RowData &row, const QRectF &rect) const;

    mutable std::unique_ptr<Sizes> m_sizes;
    mutable MessageLayoutCache m_bodyCache;
    mutable MessageLayoutCache m_systemCache{200};
    mutable MessageLayoutCache m_emojiCache{100}; // emoji-only messages, in a larger font
    mutable MessageLayoutCache m_tombCache{100};  // "This message was deleted", in italics
    mutable TickIcons m_ticks;
    //! Background ranges of find matches in `text` (current: the strong colour).
    void addFindRanges(QList<QTextLayout::FormatRange> &ranges, const QString &text, bool current,
                       const QPalette &palette) const;

    QString m_findText;
    QString m_findCurrentId;
    QString m_hiddenTextId;
    qint64 m_dividerSeq = -1;
    bool m_showSenderNames = false;
};

} // namespace tern::app::ui
