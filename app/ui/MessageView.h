#pragma once

//! The message list of one chat: opens at the first unread message (or the newest), stays
//! pinned to the bottom, keeps its place while older pages arrive on top, and reports what the
//! user has actually seen (readUpTo) only while the window is active.
//
// Unread: the "New messages" divider goes above the first message after the model's readSeq()
// when the chat opens (older pages are loaded first when that message is not, up to
// kMaxUnreadRows) and stays until another chat is shown. Messages from others that arrive
// while the window is not active get the divider too, and a view pinned to the bottom stops
// following them once the divider reaches the top, so nothing is scrolled past unseen.
//
// A QListView with MessageDelegate over a MessageListModel (not owned; it must outlive the view
// or be replaced with setMessageModel(nullptr) first). The view pages older history itself when
// scrolled within about one screen of the top (MessageViewProxy hides canFetchMore from
// QAbstractItemView, which would page whenever the newest row is visible). The position is
// held as an anchor (a row and its pixel offset from the top) re-applied after every layout
// until the user scrolls, so inserts, re-wraps and late resizes never make the content jump.
// Main thread only.

#include <QEvent>
#include <QListView>
#include <QPersistentModelIndex>
#include <QTimer>

class QMenu;

namespace tern::app::models {
class MessageListModel;
}

namespace tern::app::ui {

class BubbleTextSelector;
class JumpToLatestButton;
class MessageDelegate;
class MessageViewProxy;

class MessageView : public QListView
{
    Q_OBJECT
public:
    //! Where a chat was scrolled to: the first stored message at least partly visible and its
    //! offset from the viewport's top, or the bottom.
    struct ScrollState
    {
        qint64 seq = -1;
        int offset = 0;
        bool atBottom = true;
    };

    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;

    //! Shows `model` (not owned); nullptr clears the view. Opens at the first unread message
    //! with the "New messages" divider, or at the bottom, once the model has loaded.
    void setMessageModel(models::MessageListModel *model);
    models::MessageListModel *messageModel() const { return m_model; }
    MessageDelegate *messageDelegate() const { return m_delegate; }
    //! Groups show sender names above each run of bubbles.
    void setGroupChat(bool group);
    //! Puts the "New messages" divider above the message with `seq`; -1 removes it.
    void setUnreadDivider(qint64 seq);
    //! Where the divider is drawn, in viewport coordinates; empty when there is none.
    QRect unreadDividerRect() const;

    ScrollState saveScrollState() const;
    //! Applies a saved state; a message no longer loaded (or atBottom) means the bottom.
    void restoreScrollState(const ScrollState &state);
    bool isAtBottom() const { return m_pinned; }
    //! Scrolls to the newest message and stays there as messages arrive.
    void scrollToLatest();
    //! Shows the message at `row` (of the model) a third down the view and selects it (a search
    //! hit, a quoted message); it stays put while pages arrive above it.
    void showRow(int row);
    //! Unread messages from others below what the user has seen (the jump button's count);
    //! 0 at the bottom.
    int newBelowCount() const;
    JumpToLatestButton *jumpButton() const { return m_jump; }

    //! The text of the selected messages, oldest first, one per line.
    QString selectedText() const;
    //! Puts selectedText() on the clipboard (Ctrl+C, "Copy text").
    void copySelection();
    //! Makes the text of the message at `index` selectable in place ("Select text"; dragging
    //! across a bubble's text or double-clicking it does the same), all of it selected; false
    //! for rows without text (pictures, files, system lines).
    bool selectText(const QModelIndex &index);
    //! Where the text of the message at `index` is painted (viewport coordinates); empty for
    //! rows without text.
    QRect textRectAt(const QModelIndex &index) const;
    //! Where the reply quote / the reaction chip `emoji` of the row at `index` is painted
    //! (viewport coordinates); empty when it has none.
    QRect quoteRectAt(const QModelIndex &index) const;
    QRect bubbleRectAt(const QModelIndex &index) const;
    QRect reactionRectAt(const QModelIndex &index, const QString &emoji) const;
    //! The in-place editor of the bubble being selected (hidden when none).
    BubbleTextSelector *textSelector() const { return m_textSelector; }

    //! The read check's debounce (300 ms); a new value restarts a pending check. For tests, which
    //! hold the check or release it at once.
    void setReadDebounceMs(int ms) { m_readTimer.setInterval(ms); }
    //! A read check is scheduled and has not run yet.
    bool isReadCheckPending() const { return m_readTimer.isActive(); }

signals:
    //! The newest stored message the user has seen: fully visible in an active, not minimised
    //! window. Debounced (~300 ms); emitted only when it grows.
    void readUpTo(qint64 seq);
    //! The picture or file of a media message was clicked, or Enter pressed on it.
    //! "Cancel download" from the context menu of a downloading picture or file.
    void downloadCancelRequested(const QModelIndex &index);
    void mediaActivated(const QModelIndex &index);
    //! From the context menu: save a media message's file; withdraw a message still uploading.
    void mediaSaveRequested(const QModelIndex &index);
    void cancelRequested(const QString &messageId);
    //! "Info" from the menu of one's own stored message in a group (who has read it).
    void infoRequested(const QModelIndex &index);
    //! The reply quote of the message at `index` was clicked (or Enter pressed on the reply):
    //! show the original.
    void replyActivated(const QModelIndex &index);
    //! From the message menu: reply to, edit, forward the message at `index`.
    void replyRequested(const QModelIndex &index);
    void editRequested(const QModelIndex &index);
    void forwardRequested(const QModelIndex &index);
    //! "Delete for everyone" / "Delete for me" from the menu (the chat pane asks to confirm).
    void deleteRequested(const QModelIndex &index, bool forEveryone);
    //! Put our reaction `emoji` on the message (`on`) or take it off (a chip or the menu).
    void reactionToggled(const QModelIndex &index, const QString &emoji, bool on);
    //! "React → More…": choose any emoji for the message at `index`.
    void reactionPickerRequested(const QModelIndex &index);

protected:
    bool event(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void updateGeometries() override;
    void verticalScrollbarValueChanged(int value) override;
    void rowsInserted(const QModelIndex &parent, int start, int end) override;
    void dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                     const QList<int> &roles = QList<int>()) override;

private:
    struct Anchor
    {
        QPersistentModelIndex index;
        int offset = 0;
    };

    void resetState();
    void positionInitially();
    //! The newest seq the user has seen: the reading position at open or what was reported.
    qint64 readPosition() const;
    //! Pinned in a window the user is not looking at: the scroll value that keeps an unseen
    //! divider at the top; -1 when nothing holds the view.
    int unseenDividerHold() const;
    void markArrivalsUnread(int start, int end);
    void captureAnchor();
    void applyPosition();
    void setScrollValue(int value);
    void updatePinned();
    void updateJumpButton();
    void maybeFetchMore();
    void scheduleReadCheck();
    void checkRead();
    QModelIndex topVisibleIndex() const;
    QStyleOptionViewItem optionFor(const QModelIndex &index) const;
    //! The reply, edit, react, forward and delete entries of the message menu.
    void addChangeActions(QMenu *menu, const QModelIndex &index);
    void addDeleteActions(QMenu *menu, const QModelIndex &index);
    //! Opens the selector over the text of `index` (no selection yet); false without text.
    bool openTextSelector(const QModelIndex &index);
    //! Keeps the open selector over its bubble as rows move; closes it when the row is gone.
    void placeTextSelector();
    //! Hands a mouse event at `pos` (viewport coordinates) to the selector.
    void forwardToSelector(QEvent::Type type, const QPoint &pos, const QMouseEvent *like);

    models::MessageListModel *m_model = nullptr;
    MessageViewProxy *m_proxy = nullptr;
    MessageDelegate *m_delegate = nullptr;
    JumpToLatestButton *m_jump = nullptr;
    BubbleTextSelector *m_textSelector = nullptr;
    QPersistentModelIndex m_pressIndex; // a press on a bubble's text: a drag selects it
    QPoint m_pressPos;
    bool m_dragSelecting = false;
    QList<QMetaObject::Connection> m_modelConnections;
    QTimer m_readTimer;
    Anchor m_anchor;
    qint64 m_lastRead = 0;
    int m_applying = 0; // >0 while the view itself moves the scroll bar
    bool m_pinned = true;
    bool m_positioned = false;   // initial position applied (or restored)
    bool m_fetchStalled = false; // a page brought nothing: wait for the user to scroll again
};

} // namespace tern::app::ui
