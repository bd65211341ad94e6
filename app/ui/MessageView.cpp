#include "app/ui/MessageView.h"

#include "app/models/MessageListModel.h"
#include "app/ui/BubbleTextSelector.h"
#include "app/ui/JumpToLatestButton.h"
#include "app/ui/MessageDelegate.h"
#include "app/ui/MessageViewProxy.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QScrollBar>

#include <algorithm>

namespace tern::app::ui {

using models::MessageListModel;
using Role = MessageListModel::Role;
using Status = MessageListModel::Status;

namespace {
constexpr int kReadDebounceMs = 300;
// Opening a chat pages older history in until its first unread message is loaded, but stops
// at this many rows (the divider then marks the oldest loaded unread message).
constexpr int kMaxUnreadRows = 1000;

//! Space left above the "New messages" divider, so a line of what was read shows.
int contextAbove(const QWidget *view)
{
    return view->fontMetrics().height() * 2;
}
} // namespace

MessageView::MessageView(QWidget *parent)
    : QListView(parent), m_proxy(new MessageViewProxy(this)), m_delegate(new MessageDelegate(this)),
      m_jump(new JumpToLatestButton(this))
{
    setObjectName(QStringLiteral("messageView"));
    setAccessibleName(tr("Messages"));
    m_jump->setObjectName(QStringLiteral("jumpToLatestButton"));
    setItemDelegate(m_delegate);
    connect(m_delegate, &MessageDelegate::mediaActivated, this, &MessageView::mediaActivated);
    connect(m_delegate, &MessageDelegate::replyActivated, this, &MessageView::replyActivated);
    connect(m_delegate, &MessageDelegate::reactionClicked, this,
            [this](const QModelIndex &index, const QString &emoji) {
                // A chip toggles our own reaction: off when we have it, on when not.
                bool mine = false;
                for (const BubbleExtras::Chip &chip :
                     BubbleExtras::chips(index.data(Role::ReactionsRole))) {
                    if (chip.emoji == emoji)
                        mine = chip.mine;
                }
                emit reactionToggled(index, emoji, !mine);
            });
    setModel(m_proxy);
    setVerticalScrollMode(ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSelectionMode(ExtendedSelection);
    setEditTriggers(NoEditTriggers);
    setFrameShape(QFrame::NoFrame);
    // Re-wrap on width changes (QListView re-lays out on resize only with word wrap or Adjust).
    setResizeMode(Adjust);
    setWordWrap(true);
    setUniformItemSizes(false);
    setMouseTracking(true);
    setContextMenuPolicy(Qt::DefaultContextMenu);
    // One step of the wheel or arrow keys moves about three lines of text.
    verticalScrollBar()->setSingleStep(fontMetrics().height() * 3);

    m_jump->hide();
    m_textSelector = new BubbleTextSelector(viewport());
    connect(m_textSelector, &BubbleTextSelector::closed, this, [this] {
        m_delegate->setHiddenTextId(QString());
        viewport()->update();
    });
    connect(m_jump, &QAbstractButton::clicked, this, &MessageView::scrollToLatest);
    m_readTimer.setSingleShot(true);
    m_readTimer.setInterval(kReadDebounceMs);
    connect(&m_readTimer, &QTimer::timeout, this, &MessageView::checkRead);

    // Older pages come in at the top: remember what is on screen before they move it.
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] { captureAnchor(); });
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this] { captureAnchor(); });
    connect(m_proxy, &QAbstractItemModel::rowsAboutToBeMoved, this, [this] { captureAnchor(); });
}

MessageView::~MessageView() = default;

void MessageView::setMessageModel(models::MessageListModel *model)
{
    for (const QMetaObject::Connection &connection : std::as_const(m_modelConnections))
        disconnect(connection);
    m_modelConnections.clear();
    m_model = model;
    resetState();
    m_proxy->setSourceModel(model);
    if (!model)
        return;
    m_modelConnections.append(
        connect(model, &MessageListModel::loaded, this, &MessageView::positionInitially));
    m_modelConnections.append(
        connect(model, &MessageListModel::fetchFinished, this, [this](int added) {
            // An empty page (offline, server error) must not be re-asked in a tight loop.
            m_fetchStalled = added == 0;
            if (!m_positioned) {
                positionInitially(); // a page asked for to reach the first unread message
                return;
            }
            QTimer::singleShot(0, this, [this] { maybeFetchMore(); });
        }));
    if (!model->isFetching())
        positionInitially();
    scheduleReadCheck();
}

void MessageView::resetState()
{
    if (m_textSelector)
        m_textSelector->close();
    m_anchor = {};
    m_pinned = true;
    m_positioned = false;
    m_lastRead = 0;
    m_fetchStalled = false;
    m_delegate->setUnreadDividerSeq(-1);
    m_jump->setCount(0);
    m_jump->hide();
}

void MessageView::setGroupChat(bool group)
{
    if (m_delegate->showSenderNames() == group)
        return;
    captureAnchor();
    m_delegate->setShowSenderNames(group);
    scheduleDelayedItemsLayout();
}

void MessageView::setUnreadDivider(qint64 seq)
{
    if (m_delegate->unreadDividerSeq() == seq)
        return;
    captureAnchor();
    m_delegate->setUnreadDividerSeq(seq);
    scheduleDelayedItemsLayout();
    viewport()->update();
}

QRect MessageView::unreadDividerRect() const
{
    const int row = m_model ? m_model->rowOfSeq(m_delegate->unreadDividerSeq()) : -1;
    if (row < 0)
        return {};
    const QModelIndex index = m_proxy->index(row, 0);
    return m_delegate->dividerRect(optionFor(index), index);
}

void MessageView::showRow(int row)
{
    if (!m_model || row < 0 || row >= m_model->rowCount())
        return;
    const QModelIndex index = m_proxy->index(row, 0);
    m_positioned = true; // the jump decides where the chat is, not the unread position
    m_pinned = false;
    m_anchor = {QPersistentModelIndex(index), viewport()->height() / 3};
    doItemsLayout(); // rows just paged in must have their places before the anchor is used
    applyPosition();
    setCurrentIndex(index);
    selectionModel()->select(index, QItemSelectionModel::ClearAndSelect);
}

void MessageView::positionInitially()
{
    if (!m_model || m_positioned || m_model->isFetching())
        return;
    if (m_model->rowCount() > 0 && !m_model->unreadLoaded() && !m_fetchStalled &&
        m_model->rowCount() < kMaxUnreadRows && m_model->canFetchMore(QModelIndex())) {
        m_model->fetchMore(QModelIndex()); // fetchFinished comes back here
        return;
    }
    m_positioned = true;
    const int row = m_model->firstUnreadRow();
    if (row < 0) {
        scrollToLatest();
        return;
    }
    setUnreadDivider(m_model->index(row).data(Role::SeqRole).toLongLong());
    // The divider goes a little below the top, so a line of context above it shows.
    m_pinned = false;
    m_anchor = {QPersistentModelIndex(m_proxy->index(row, 0)), contextAbove(this)};
    applyPosition();
}

qint64 MessageView::readPosition() const
{
    return std::max(m_lastRead, m_model ? m_model->readSeq() : 0);
}

int MessageView::newBelowCount() const
{
    return m_model && !m_pinned ? m_model->unreadAfter(readPosition()) : 0;
}

int MessageView::unseenDividerHold() const
{
    const qint64 seq = m_delegate->unreadDividerSeq();
    if (!m_model || seq <= readPosition() || (window()->isActiveWindow() && isVisible()))
        return -1;
    const int row = m_model->rowOfSeq(seq);
    return row < 0 ? -1 : rectForIndex(m_proxy->index(row, 0)).top() - contextAbove(this);
}

void MessageView::markArrivalsUnread(int start, int end)
{
    // In an active window a pinned view shows arrivals at once; a divider that is still unseen
    // already marks where reading starts.
    if (!m_positioned || (window()->isActiveWindow() && isVisible()) ||
        m_delegate->unreadDividerSeq() > readPosition())
        return;
    for (int row = start; row <= end; ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        const qint64 seq = index.data(Role::SeqRole).toLongLong();
        if (!index.data(Role::IsOwnRole).toBool() &&
            models::MessageListModel::kindAt(index) != protocol::MessageKind::System &&
            seq > readPosition()) {
            setUnreadDivider(seq);
            return;
        }
    }
}

void MessageView::scrollToLatest()
{
    m_pinned = true;
    m_anchor = {};
    applyPosition();
    updateJumpButton();
}

MessageView::ScrollState MessageView::saveScrollState() const
{
    if (m_pinned || !m_model)
        return {};
    const QModelIndex top = topVisibleIndex();
    for (int row = top.isValid() ? top.row() : m_proxy->rowCount(); row < m_proxy->rowCount();
         ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        const QRect rect = visualRect(index);
        if (rect.top() >= viewport()->height())
            break;
        const qint64 seq = index.data(Role::SeqRole).toLongLong();
        if (seq > 0)
            return {seq, rect.top(), false};
    }
    return {};
}

void MessageView::restoreScrollState(const ScrollState &state)
{
    m_positioned = true;
    const int row = (m_model && !state.atBottom) ? m_model->rowOfSeq(state.seq) : -1;
    if (row < 0) {
        scrollToLatest();
        return;
    }
    m_pinned = false;
    m_anchor = {QPersistentModelIndex(m_proxy->index(row, 0)), state.offset};
    applyPosition();
    updateJumpButton();
}

QModelIndex MessageView::topVisibleIndex() const
{
    // Rows tile the viewport from x = 0 without spacing; step down in case of a gap.
    const int step = qMax(1, fontMetrics().height() / 4);
    for (int y = 0; y < viewport()->height(); y += step) {
        const QModelIndex index = indexAt(QPoint(1, y));
        if (index.isValid())
            return index;
    }
    return {};
}

void MessageView::captureAnchor()
{
    if (m_pinned || m_anchor.index.isValid() || !m_model)
        return;
    const QModelIndex top = topVisibleIndex();
    if (top.isValid())
        m_anchor = {QPersistentModelIndex(top), visualRect(top).top()};
}

void MessageView::setScrollValue(int value)
{
    ++m_applying;
    verticalScrollBar()->setValue(value);
    --m_applying;
}

void MessageView::applyPosition()
{
    QScrollBar *bar = verticalScrollBar();
    if (m_pinned) {
        const int hold = unseenDividerHold();
        setScrollValue(hold >= 0 ? std::min(hold, bar->maximum()) : bar->maximum());
    } else if (m_anchor.index.isValid()) {
        // rectForIndex is in contents coordinates: the scroll value is the viewport's top.
        const QRect rect = rectForIndex(m_anchor.index);
        setScrollValue(rect.top() - m_anchor.offset);
    } else {
        return;
    }
    updatePinned();
}

void MessageView::updatePinned()
{
    const QScrollBar *bar = verticalScrollBar();
    // A few pixels of slack: fractional layouts must not unpin a view that is at the bottom.
    const int slack = qMax(2, fontMetrics().height() / 4);
    const bool atBottom = bar->value() >= bar->maximum() - slack;
    if (atBottom && m_model && m_model->rowCount() > 0) {
        m_pinned = true;
        m_anchor = {};
    } else if (!atBottom) {
        m_pinned = false;
    }
    updateJumpButton();
}

void MessageView::updateJumpButton()
{
    const QScrollBar *bar = verticalScrollBar();
    const bool show = !m_pinned && bar->maximum() - bar->value() > viewport()->height() / 3;
    m_jump->setCount(show ? newBelowCount() : 0);
    const QSize size = m_jump->sizeHint();
    const int margin = fontMetrics().height();
    const QRect area = viewport()->geometry();
    m_jump->setGeometry(area.right() - margin - size.width(),
                        area.bottom() - margin - size.height(), size.width(), size.height());
    if (show != m_jump->isVisible()) {
        m_jump->setVisible(show);
        if (show)
            m_jump->raise();
    }
}

void MessageView::updateGeometries()
{
    ++m_applying;
    QListView::updateGeometries();
    --m_applying;
    applyPosition();
    updateJumpButton();
    maybeFetchMore();
    scheduleReadCheck();
    placeTextSelector();
}

void MessageView::verticalScrollbarValueChanged(int value)
{
    // Deliberately not calling the base: it would fetchMore at the bottom (see the header).
    Q_UNUSED(value);
    placeTextSelector();
    if (m_applying == 0) {
        // The user moved: the position now is what they chose, not the remembered anchor.
        m_anchor = {};
        m_fetchStalled = false;
        updatePinned();
    }
    maybeFetchMore();
    scheduleReadCheck();
}

void MessageView::maybeFetchMore()
{
    if (!m_model || !m_positioned || m_fetchStalled || !m_model->canFetchMore(QModelIndex()))
        return;
    if (verticalScrollBar()->value() < viewport()->height())
        m_model->fetchMore(QModelIndex());
}

void MessageView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    QListView::rowsInserted(parent, start, end);
    if (!m_model || parent.isValid())
        return;
    const bool atEnd = end == m_proxy->rowCount() - 1;
    if (!atEnd)
        return;
    // Sending a message means wanting to see it: jump down even if scrolled up.
    const QModelIndex last = m_proxy->index(end, 0);
    if (last.data(Role::IsOwnRole).toBool() &&
        last.data(Role::StatusRole).value<Status>() == Status::Pending) {
        scrollToLatest();
        return;
    }
    markArrivalsUnread(start, end);
    updateJumpButton();
}

void MessageView::dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                              const QList<int> &roles)
{
    QListView::dataChanged(topLeft, bottomRight, roles);
    // Text, names and grouping change a row's height; QListView would not re-measure it.
    static const QList<int> sizeRoles = {Role::TextRole,         Role::SenderNameRole,
                                         Role::DayStartRole,     Role::GroupedWithPreviousRole,
                                         Role::SeqRole,          Role::ReplyToRole,
                                         Role::ReplyPreviewRole, Role::ForwardedRole,
                                         Role::EditedRole,       Role::DeletedRole,
                                         Role::ReactionsRole,    Role::MediaRole};
    const bool resized = roles.isEmpty() || std::any_of(roles.cbegin(), roles.cend(), [](int role) {
                             return sizeRoles.contains(role);
                         });
    if (resized) {
        captureAnchor();
        scheduleDelayedItemsLayout();
    }
}

void MessageView::resizeEvent(QResizeEvent *event)
{
    captureAnchor();
    QListView::resizeEvent(event);
    updateJumpButton();
}

void MessageView::showEvent(QShowEvent *event)
{
    QListView::showEvent(event);
    applyPosition();
    scheduleReadCheck();
}

bool MessageView::event(QEvent *event)
{
    // WindowActivate reaches every visible child of the window that became active.
    if (event->type() == QEvent::WindowActivate)
        scheduleReadCheck();
    return QListView::event(event);
}

void MessageView::scheduleReadCheck()
{
    if (m_model)
        m_readTimer.start();
}

void MessageView::checkRead()
{
    if (!m_model || !m_positioned || !isVisible())
        return;
    const QWidget *top = window();
    // A message counts as read only when it was visible in an active, focused window.
    if (!top->isActiveWindow() || top->isMinimized())
        return;
    const int height = viewport()->height();
    const int step = qMax(1, fontMetrics().height() / 4);
    QModelIndex index;
    for (int y = height - 1; y >= 0 && !index.isValid(); y -= step)
        index = indexAt(QPoint(1, y));
    for (; index.isValid(); index = index.sibling(index.row() - 1, 0)) {
        const QRect rect = visualRect(index);
        if (rect.bottom() < 0)
            break;
        // Fully visible; a message taller than the pane counts once its end is visible.
        const bool visible = rect.bottom() < height && (rect.top() >= 0 || rect.height() > height);
        const qint64 seq = index.data(Role::SeqRole).toLongLong();
        if (visible && seq > 0) {
            if (seq > m_lastRead) {
                m_lastRead = seq;
                emit readUpTo(seq);
                updateJumpButton();
            }
            return;
        }
    }
}

QString MessageView::selectedText() const
{
    QModelIndexList rows =
        selectionModel() ? selectionModel()->selectedIndexes() : QModelIndexList();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList texts;
    for (const QModelIndex &index : std::as_const(rows))
        texts.append(index.data(Role::TextRole).toString());
    return texts.join(QLatin1Char('\n'));
}

void MessageView::copySelection()
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

void MessageView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copySelection();
        event->accept();
        return;
    }
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) &&
        currentIndex().isValid() &&
        !currentIndex().data(models::MessageListModel::MediaRole).isNull()) {
        emit mediaActivated(currentIndex());
        event->accept();
        return;
    }
    // Enter on a reply (without a picture or file to open) shows the message it quotes.
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) &&
        currentIndex().isValid() && currentIndex().data(Role::ReplyToRole).toLongLong() > 0) {
        emit replyActivated(currentIndex());
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_End && event->modifiers() == Qt::ControlModifier) {
        scrollToLatest();
        event->accept();
        return;
    }
    QListView::keyPressEvent(event);
}

QStyleOptionViewItem MessageView::optionFor(const QModelIndex &index) const
{
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualRect(index);
    option.index = index;
    return option;
}

void MessageView::contextMenuEvent(QContextMenuEvent *event)
{
    // The menu key (or Shift+F10) opens the menu of the current message, at its bubble.
    const bool keyboard = event->reason() == QContextMenuEvent::Keyboard;
    const QModelIndex index = keyboard ? currentIndex() : indexAt(event->pos());
    const QPoint at =
        keyboard && index.isValid()
            ? viewport()->mapToGlobal(m_delegate->bubbleRect(optionFor(index), index).center())
            : event->globalPos();
    if (index.isValid() && !selectionModel()->isSelected(index))
        selectionModel()->select(index, QItemSelectionModel::ClearAndSelect);
    if (selectionModel()->selectedIndexes().isEmpty())
        return;
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("messageMenu"));
    if (index.isValid())
        addChangeActions(&menu, index);
    QAction *copy = menu.addAction(tr("Copy text"), this, &MessageView::copySelection);
    copy->setObjectName(QStringLiteral("copyTextAction"));
    copy->setShortcut(QKeySequence::Copy);
    if (index.isValid() && !m_delegate->textRect(optionFor(index), index).isEmpty()) {
        const QPersistentModelIndex row(index);
        menu.addAction(tr("Select text"), this, [this, row] { selectText(row); })
            ->setObjectName(QStringLiteral("selectTextAction"));
    }
    const QString link = index.isValid() && !keyboard
                             ? m_delegate->linkAt(optionFor(index), index, event->pos())
                             : QString();
    if (!link.isEmpty()) {
        menu.addAction(tr("Copy link address"), this,
                       [link] { QApplication::clipboard()->setText(link); })
            ->setObjectName(QStringLiteral("copyLinkAction"));
    }
    if (index.isValid() && m_delegate->showSenderNames() && index.data(Role::IsOwnRole).toBool() &&
        index.data(Role::SeqRole).toLongLong() > 0 &&
        index.data(Role::KindRole).toString() !=
            protocol::wireName(protocol::MessageKind::System)) {
        // As in WhatsApp: who has read it, for one's own messages in groups.
        const QPersistentModelIndex row(index);
        menu.addAction(tr("Info"), this,
                       [this, row] {
                           if (row.isValid())
                               emit infoRequested(row);
                       })
            ->setObjectName(QStringLiteral("messageInfoAction"));
    }
    const QPersistentModelIndex media(index);
    if (index.isValid() && !index.data(models::MessageListModel::MediaRole).isNull()) {
        menu.addSeparator();
        QAction *open = menu.addAction(tr("Open"), this, [this, media] {
            if (media.isValid())
                emit mediaActivated(media);
        });
        open->setObjectName(QStringLiteral("openMediaAction"));
        QAction *save = menu.addAction(tr("Save as…"), this, [this, media] {
            if (media.isValid())
                emit mediaSaveRequested(media);
        });
        save->setObjectName(QStringLiteral("saveMediaAction"));
        if (index.data(models::MessageListModel::DownloadingRole).toBool()) {
            QAction *cancel = menu.addAction(tr("Cancel download"), this, [this, media] {
                if (media.isValid())
                    emit downloadCancelRequested(media);
            });
            cancel->setObjectName(QStringLiteral("cancelDownloadAction"));
        } else if (index.data(models::MessageListModel::ProgressRole).toDouble() >= 0) {
            const QString id = index.data(models::MessageListModel::MessageIdRole).toString();
            menu.addAction(tr("Cancel sending"), this, [this, id] { emit cancelRequested(id); })
                ->setObjectName(QStringLiteral("cancelSendingAction"));
        }
    }
    if (index.isValid())
        addDeleteActions(&menu, index);
    menu.exec(at);
}

void MessageView::addChangeActions(QMenu *menu, const QModelIndex &index)
{
    const bool stored = index.data(Role::SeqRole).toLongLong() > 0;
    const bool system = models::MessageListModel::kindAt(index) == protocol::MessageKind::System;
    if (!stored || system || index.data(Role::DeletedRole).toBool())
        return;
    const QPersistentModelIndex row(index);
    menu->addAction(tr("Reply"), this,
                    [this, row] {
                        if (row.isValid())
                            emit replyRequested(row);
                    })
        ->setObjectName(QStringLiteral("replyAction"));
    // React: the quick six, ours checked (choosing a checked one takes it off), then any emoji.
    QMenu *react = menu->addMenu(tr("React"));
    react->setObjectName(QStringLiteral("reactMenu"));
    react->menuAction()->setObjectName(QStringLiteral("reactAction"));
    QStringList mine;
    for (const BubbleExtras::Chip &chip : BubbleExtras::chips(index.data(Role::ReactionsRole))) {
        if (chip.mine)
            mine.append(chip.emoji);
    }
    static const char *const names[] = {"reactThumbsUpAction", "reactHeartAction",
                                        "reactLaughAction",    "reactWowAction",
                                        "reactSadAction",      "reactPrayAction"};
    const QStringList &quick = BubbleExtras::quickReactions();
    for (int i = 0; i < quick.size(); ++i) {
        const QString emoji = quick.at(i);
        const bool on = !mine.contains(emoji);
        QAction *action = react->addAction(emoji, this, [this, row, emoji, on] {
            if (row.isValid())
                emit reactionToggled(row, emoji, on);
        });
        action->setObjectName(QLatin1String(names[i]));
        action->setCheckable(true);
        action->setChecked(!on);
    }
    react->addSeparator();
    react
        ->addAction(tr("More…"), this,
                    [this, row] {
                        if (row.isValid())
                            emit reactionPickerRequested(row);
                    })
        ->setObjectName(QStringLiteral("reactMoreAction"));
    if (index.data(Role::CanEditRole).toBool()) {
        menu->addAction(tr("Edit"), this,
                        [this, row] {
                            if (row.isValid())
                                emit editRequested(row);
                        })
            ->setObjectName(QStringLiteral("editAction"));
    }
    menu->addAction(tr("Forward…"), this,
                    [this, row] {
                        if (row.isValid())
                            emit forwardRequested(row);
                    })
        ->setObjectName(QStringLiteral("forwardAction"));
    menu->addSeparator();
}

void MessageView::addDeleteActions(QMenu *menu, const QModelIndex &index)
{
    const bool stored = index.data(Role::SeqRole).toLongLong() > 0;
    const bool system = models::MessageListModel::kindAt(index) == protocol::MessageKind::System;
    if (!stored || system)
        return;
    menu->addSeparator();
    const QPersistentModelIndex row(index);
    if (index.data(Role::CanDeleteForEveryoneRole).toBool()) {
        menu->addAction(tr("Delete for everyone…"), this,
                        [this, row] {
                            if (row.isValid())
                                emit deleteRequested(row, true);
                        })
            ->setObjectName(QStringLiteral("deleteForEveryoneAction"));
    }
    menu->addAction(tr("Delete for me…"), this,
                    [this, row] {
                        if (row.isValid())
                            emit deleteRequested(row, false);
                    })
        ->setObjectName(QStringLiteral("deleteForMeAction"));
}

bool MessageView::openTextSelector(const QModelIndex &index)
{
    QFont font;
    const QRect rect =
        index.isValid() ? m_delegate->textRect(optionFor(index), index, &font) : QRect();
    if (rect.isEmpty())
        return false;
    m_textSelector->close();
    m_delegate->setHiddenTextId(index.data(Role::MessageIdRole).toString());
    m_textSelector->open(index, index.data(Role::TextRole).toString(), font,
                         palette().color(QPalette::Text), rect);
    viewport()->update();
    return true;
}

QRect MessageView::quoteRectAt(const QModelIndex &index) const
{
    return index.isValid() ? m_delegate->quoteRect(optionFor(index), index) : QRect();
}

QRect MessageView::bubbleRectAt(const QModelIndex &index) const
{
    return index.isValid() ? m_delegate->bubbleRect(optionFor(index), index) : QRect();
}

QRect MessageView::reactionRectAt(const QModelIndex &index, const QString &emoji) const
{
    return index.isValid() ? m_delegate->reactionRect(optionFor(index), index, emoji) : QRect();
}

QRect MessageView::textRectAt(const QModelIndex &index) const
{
    return index.isValid() ? m_delegate->textRect(optionFor(index), index) : QRect();
}

bool MessageView::selectText(const QModelIndex &index)
{
    if (!openTextSelector(index))
        return false;
    m_textSelector->selectAll();
    return true;
}

void MessageView::placeTextSelector()
{
    if (!m_textSelector || !m_textSelector->isOpen())
        return;
    const QModelIndex index = m_textSelector->index();
    const QRect rect = index.isValid() ? m_delegate->textRect(optionFor(index), index) : QRect();
    if (rect.isEmpty())
        m_textSelector->close();
    else if (rect != m_textSelector->geometry())
        m_textSelector->setGeometry(rect);
}

void MessageView::forwardToSelector(QEvent::Type type, const QPoint &pos, const QMouseEvent *like)
{
    QWidget *target = m_textSelector->viewport();
    const QPointF local = target->mapFrom(viewport(), pos);
    QMouseEvent forwarded(type, local, target->mapToGlobal(local), like->button(), like->buttons(),
                          like->modifiers());
    QCoreApplication::sendEvent(target, &forwarded);
}

void MessageView::mousePressEvent(QMouseEvent *event)
{
    m_pressIndex = QPersistentModelIndex();
    m_dragSelecting = false;
    const QPoint pos = event->position().toPoint();
    const QModelIndex index = indexAt(pos);
    if (event->button() == Qt::LeftButton && index.isValid() &&
        m_delegate->textRect(optionFor(index), index).contains(pos) &&
        m_delegate->linkAt(optionFor(index), index, pos).isEmpty()) {
        m_pressIndex = index;
        m_pressPos = pos;
    }
    QListView::mousePressEvent(event);
}

void MessageView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragSelecting) {
        forwardToSelector(QEvent::MouseButtonRelease, event->position().toPoint(), event);
        m_dragSelecting = false;
        m_pressIndex = QPersistentModelIndex();
        return;
    }
    m_pressIndex = QPersistentModelIndex();
    QListView::mouseReleaseEvent(event);
}

void MessageView::mouseDoubleClickEvent(QMouseEvent *event)
{
    // A double click on a bubble's text selects the word, as in any text.
    const QPoint pos = event->position().toPoint();
    const QModelIndex index = indexAt(pos);
    if (event->button() == Qt::LeftButton && index.isValid() &&
        m_delegate->textRect(optionFor(index), index).contains(pos) && openTextSelector(index)) {
        QTextCursor cursor =
            m_textSelector->cursorForPosition(m_textSelector->viewport()->mapFrom(viewport(), pos));
        cursor.select(QTextCursor::WordUnderCursor);
        m_textSelector->setTextCursor(cursor);
        return;
    }
    QListView::mouseDoubleClickEvent(event);
}

void MessageView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint at = event->position().toPoint();
    if (m_dragSelecting) {
        forwardToSelector(QEvent::MouseMove, at, event);
        return;
    }
    if (m_pressIndex.isValid() && (event->buttons() & Qt::LeftButton) &&
        (at - m_pressPos).manhattanLength() >= QApplication::startDragDistance() &&
        openTextSelector(m_pressIndex)) {
        // Dragging across a bubble's text selects it: the editor takes over the gesture.
        m_dragSelecting = true;
        QMouseEvent press(QEvent::MouseButtonPress, event->position(), event->globalPosition(),
                          Qt::LeftButton, Qt::LeftButton, event->modifiers());
        forwardToSelector(QEvent::MouseButtonPress, m_pressPos, &press);
        forwardToSelector(QEvent::MouseMove, at, event);
        return;
    }
    QListView::mouseMoveEvent(event);
    const QPoint pos = event->position().toPoint();
    const QModelIndex index = indexAt(pos);
    const bool overLink =
        index.isValid() && (!m_delegate->linkAt(optionFor(index), index, pos).isEmpty() ||
                            m_delegate->quoteRect(optionFor(index), index).contains(pos) ||
                            !m_delegate->reactionAt(optionFor(index), index, pos).isEmpty());
    if (overLink)
        viewport()->setCursor(Qt::PointingHandCursor);
    else
        viewport()->unsetCursor();
}

} // namespace tern::app::ui
