#include "app/ui/ConversationPane.h"

#include "app/client/ChatClient.h"
#include "app/models/ConversationFilterModel.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageSearchModel.h"
#include "app/session/AccountSession.h"
#include "app/ui/ClearButton.h"
#include "app/ui/ConversationDelegate.h"
#include "app/ui/Icons.h"
#include "app/ui/OwnAvatarButton.h"
#include "app/ui/SearchResultDelegate.h"
#include "app/ui/Theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace tern::app::ui {

using client::ChatConnection;
using models::ConversationListModel;

ConversationPane::ConversationPane(QWidget *parent)
    : QWidget(parent), m_title(new QLabel(tr("Chats"), this)), m_status(new QLabel(this)),
      m_newChat(new QToolButton(this)), m_newGroup(new QToolButton(this)),
      m_menuButton(new QToolButton(this)), m_filter(new QLineEdit(this)),
      m_stack(new QStackedWidget(this)), m_list(new QListView(m_stack)),
      m_listPage(new QWidget(m_stack)), m_resultsTitle(new QLabel(tr("Messages"), m_listPage)),
      m_results(new QListView(m_listPage)), m_empty(new QWidget(m_stack)),
      m_startChat(new QPushButton(tr("Start a chat"), m_empty))
{
    setObjectName(QStringLiteral("conversationPane"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_status->setTextFormat(Qt::PlainText);
    QPalette statusPalette = m_status->palette();
    statusPalette.setColor(QPalette::WindowText, Theme::secondaryText(palette()));
    m_status->setPalette(statusPalette);

    m_newChat->setObjectName(QStringLiteral("newChatButton"));
    m_newGroup->setObjectName(QStringLiteral("newGroupButton"));
    m_menuButton->setObjectName(QStringLiteral("mainMenuButton"));
    m_filter->setObjectName(QStringLiteral("conversationFilter"));
    m_list->setObjectName(QStringLiteral("conversationList"));
    m_startChat->setObjectName(QStringLiteral("startChatButton"));
    m_newChat->setText(tr("New chat"));
    m_newChat->setToolTip(tr("New chat (Ctrl+N)"));
    m_newChat->setAccessibleName(tr("Start a new chat"));
    m_newGroup->setText(tr("New group"));
    m_newGroup->setToolTip(tr("New group"));
    m_newGroup->setAccessibleName(tr("Create a group"));
    m_menuButton->setText(tr("Menu"));
    m_menuButton->setToolTip(tr("Menu"));
    m_menuButton->setAccessibleName(tr("Main menu"));
    // Icons only, named by tooltips and accessible names: text beside them clipped next to
    // "Offline" or at a large font.
    Icons::bind(m_newChat, Icons::Icon::NewChat);
    Icons::bind(m_newGroup, Icons::Icon::NewGroup);
    Icons::bind(m_menuButton, Icons::Icon::Menu);
    for (QToolButton *button : {m_newChat, m_newGroup, m_menuButton}) {
        button->setToolButtonStyle(Qt::ToolButtonIconOnly);
        button->setIconSize(Icons::buttonIconSize(fontMetrics()));
        button->setAutoRaise(true);
    }

    m_filter->setPlaceholderText(tr("Search chats (Ctrl+K)"));
    m_filter->setAccessibleName(tr("Search chats"));
    enableNamedClearButton(m_filter, QStringLiteral("conversationFilterClearButton"),
                           tr("Clear search"));
    m_filter->installEventFilter(this);

    m_list->setItemDelegate(new ConversationDelegate(m_list));
    m_list->setAccessibleName(tr("Conversations"));
    m_list->setUniformItemSizes(true);
    m_list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setFrameShape(QFrame::NoFrame);
    m_list->installEventFilter(this);

    // The message results of the same box, under the chats whose names match.
    m_resultsTitle->setObjectName(QStringLiteral("messageResultsTitle"));
    m_resultsTitle->setTextFormat(Qt::PlainText);
    m_resultsTitle->setAccessibleName(tr("Messages"));
    QFont resultsFont = m_resultsTitle->font();
    resultsFont.setBold(true);
    m_resultsTitle->setFont(resultsFont);
    m_results->setObjectName(QStringLiteral("messageResults"));
    m_results->setAccessibleName(tr("Messages found"));
    m_results->setItemDelegate(new SearchResultDelegate(m_results));
    m_results->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_results->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setFrameShape(QFrame::NoFrame);
    m_results->installEventFilter(this);
    auto *pageLayout = new QVBoxLayout(m_listPage);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->setSpacing(0);
    pageLayout->addWidget(m_list, 1);
    const int titleMargin = fontMetrics().height() / 2;
    m_resultsTitle->setContentsMargins(titleMargin, titleMargin / 2, titleMargin, 0);
    pageLayout->addWidget(m_resultsTitle);
    pageLayout->addWidget(m_results, 1);
    m_resultsTitle->hide();
    m_results->hide();

    auto *emptyText = new QLabel(tr("No conversations yet."), m_empty);
    emptyText->setAlignment(Qt::AlignCenter);
    emptyText->setWordWrap(true);
    auto *emptyLayout = new QVBoxLayout(m_empty);
    emptyLayout->addStretch();
    emptyLayout->addWidget(emptyText);
    emptyLayout->addWidget(m_startChat, 0, Qt::AlignHCenter);
    emptyLayout->addStretch();
    m_stack->addWidget(m_listPage);
    m_stack->addWidget(m_empty);

    const int margin = fontMetrics().height() / 2;
    auto *top = new QHBoxLayout;
    m_ownAvatar = new OwnAvatarButton(this); // opens the profile card
    top->addWidget(m_ownAvatar);
    top->addWidget(m_title, 1);
    top->addWidget(m_newChat);
    top->addWidget(m_newGroup);
    top->addWidget(m_menuButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, margin / 2, 0, 0);
    layout->setSpacing(margin / 2);
    top->setContentsMargins(margin, 0, margin / 2, 0);
    layout->addLayout(top);
    // The status has a line of its own: next to the buttons it squeezed them ("Connecting…").
    m_status->setObjectName(QStringLiteral("listStatus"));
    m_status->setWordWrap(true);
    m_status->setContentsMargins(margin, 0, margin, 0);
    m_status->hide();
    layout->addWidget(m_status);
    auto *filterRow = new QHBoxLayout;
    filterRow->setContentsMargins(margin, 0, margin, 0);
    filterRow->addWidget(m_filter);
    layout->addLayout(filterRow);
    layout->addWidget(m_stack, 1);

    connect(m_newChat, &QToolButton::clicked, this, &ConversationPane::newChatRequested);
    connect(m_startChat, &QPushButton::clicked, this, &ConversationPane::newChatRequested);
    connect(m_newGroup, &QToolButton::clicked, this, &ConversationPane::newGroupRequested);
    // popup(), not QToolButton::setMenu: no arrow beside the "≡", and no nested event loop.
    connect(m_menuButton, &QToolButton::clicked, this, [this] {
        if (m_mainMenu)
            m_mainMenu->popup(m_menuButton->mapToGlobal(QPoint(0, m_menuButton->height())));
    });
    connect(m_ownAvatar, &OwnAvatarButton::clicked, this, &ConversationPane::profileRequested);
    connect(m_list, &QListView::activated, this, &ConversationPane::activateIndex);
    connect(m_list, &QListView::clicked, this, &ConversationPane::activateIndex);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (m_session)
            m_session->filteredConversations()->setFilter(text);
        if (m_search)
            m_search->setQuery(text);
        refreshEmptyState();
        refreshResults();
    });
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        // Enter in the filter opens the best (first) match: Ctrl+K, type, Enter. Without a
        // chat of that name, the best message.
        if (m_list->model() && m_list->model()->rowCount() > 0)
            activateIndex(m_list->model()->index(0, 0));
        else if (m_results->isVisible() && stepResult(-1, 1))
            activateResult(m_results->currentIndex());
    });
    connect(m_results, &QListView::activated, this, &ConversationPane::activateResult);
    connect(m_results, &QListView::clicked, this, &ConversationPane::activateResult);
    refreshEmptyState();
}

void ConversationPane::setSession(session::AccountSession *session)
{
    if (m_session) {
        disconnect(m_session->client(), nullptr, this, nullptr);
        disconnect(m_session->filteredConversations(), nullptr, this, nullptr);
    }
    m_session = session;
    m_results->setModel(nullptr);
    delete m_search;
    m_search =
        session ? new models::MessageSearchModel(session->client(), session->store(),
                                                 session->conversations(), session->users(), this)
                : nullptr;
    m_results->setModel(m_search);
    if (m_search) {
        m_search->setQuery(m_filter->text());
        connect(m_search, &models::MessageSearchModel::searchFinished, this,
                &ConversationPane::refreshResults);
        connect(m_search, &models::MessageSearchModel::serverSearchFinished, this,
                &ConversationPane::refreshResults);
    }
    m_ownAvatar->setSession(session);
    m_list->setModel(session ? session->filteredConversations() : nullptr);
    if (session) {
        session->filteredConversations()->setFilter(m_filter->text());
        connect(session->client()->connection(), &ChatConnection::stateChanged, this,
                &ConversationPane::refreshStatus);
        connect(session->client()->connection(), &ChatConnection::synced, this,
                &ConversationPane::refreshStatus);
        auto *model = session->filteredConversations();
        connect(model, &QAbstractItemModel::rowsInserted, this,
                &ConversationPane::refreshEmptyState);
        connect(model, &QAbstractItemModel::rowsRemoved, this,
                &ConversationPane::refreshEmptyState);
        connect(model, &QAbstractItemModel::modelReset, this, &ConversationPane::refreshEmptyState);
        connect(model, &QAbstractItemModel::layoutChanged, this,
                &ConversationPane::refreshEmptyState);
    }
    refreshStatus();
    refreshEmptyState();
}

void ConversationPane::setMainMenu(QMenu *menu)
{
    m_mainMenu = menu;
}

void ConversationPane::selectConversation(const QString &conversation)
{
    QAbstractItemModel *model = m_list->model();
    if (!model)
        return;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(ConversationListModel::ConversationIdRole).toString() == conversation) {
            m_list->setCurrentIndex(index);
            m_list->scrollTo(index);
            return;
        }
    }
    m_list->clearSelection();
}

void ConversationPane::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

QString ConversationPane::neighbour(const QString &from, int step) const
{
    QAbstractItemModel *model = m_list->model();
    if (!model || model->rowCount() == 0)
        return QString();
    int row = -1;
    for (int i = 0; i < model->rowCount(); ++i) {
        if (model->index(i, 0).data(ConversationListModel::ConversationIdRole).toString() == from)
            row = i;
    }
    const int next = row < 0 ? 0 : row + step;
    if (next < 0 || next >= model->rowCount())
        return QString();
    return model->index(next, 0).data(ConversationListModel::ConversationIdRole).toString();
}

QString ConversationPane::nextUnread(const QString &from) const
{
    QAbstractItemModel *model = m_list->model();
    if (!model)
        return QString();
    const int count = model->rowCount();
    int start = 0;
    for (int i = 0; i < count; ++i) {
        if (model->index(i, 0).data(ConversationListModel::ConversationIdRole).toString() == from)
            start = i + 1;
    }
    for (int step = 0; step < count; ++step) {
        const QModelIndex index = model->index((start + step) % count, 0);
        const QString id = index.data(ConversationListModel::ConversationIdRole).toString();
        if (id != from && index.data(ConversationListModel::UnreadCountRole).toInt() > 0)
            return id;
    }
    return QString();
}

QSize ConversationPane::minimumSizeHint() const
{
    // Wide enough for a readable row, and never narrower than the buttons above the list.
    const QSize content = QWidget::minimumSizeHint();
    return {qMax(content.width(), fontMetrics().averageCharWidth() * 34), content.height()};
}

QString ConversationPane::statusText() const
{
    return m_status->text();
}

bool ConversationPane::eventFilter(QObject *watched, QEvent *event)
{
    // Esc is the window's shortcut too; with text in the filter it clears the filter first.
    if (watched == m_filter && event->type() == QEvent::ShortcutOverride &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape && !m_filter->text().isEmpty()) {
        event->accept();
        return true;
    }
    if (event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (watched == m_filter && key->key() == Qt::Key_Down && m_list->model() &&
            m_list->model()->rowCount() > 0) {
            m_list->setFocus(Qt::TabFocusReason);
            if (!m_list->currentIndex().isValid())
                m_list->setCurrentIndex(m_list->model()->index(0, 0));
            return true;
        }
        // Arrows go on from the chats into the message results and back; headers are skipped.
        const bool searching = m_results->isVisible();
        if (searching && key->key() == Qt::Key_Down &&
            (watched == m_filter || (watched == m_list && m_list->currentIndex().row() ==
                                                              m_list->model()->rowCount() - 1))) {
            if (stepResult(-1, 1))
                m_results->setFocus(Qt::TabFocusReason);
            return true;
        }
        if (watched == m_results && (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up)) {
            const int step = key->key() == Qt::Key_Down ? 1 : -1;
            if (!stepResult(m_results->currentIndex().row(), step) && step < 0) {
                const int chats = m_list->model() ? m_list->model()->rowCount() : 0;
                if (chats > 0) {
                    m_list->setFocus(Qt::TabFocusReason);
                    m_list->setCurrentIndex(m_list->model()->index(chats - 1, 0));
                } else {
                    m_filter->setFocus(Qt::TabFocusReason);
                }
            }
            return true;
        }
        if (watched == m_results && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)) {
            activateResult(m_results->currentIndex());
            return true;
        }
        if (watched == m_filter && key->key() == Qt::Key_Escape && !m_filter->text().isEmpty()) {
            m_filter->clear();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ConversationPane::refreshStatus()
{
    QString text;
    if (m_session) {
        switch (m_session->client()->connection()->state()) {
        case ChatConnection::State::Online:
            break;
        case ChatConnection::State::Syncing:
            text = tr("Updating…");
            break;
        case ChatConnection::State::Connecting:
        case ChatConnection::State::Authenticating:
            text = tr("Connecting…");
            break;
        case ChatConnection::State::Offline:
            text = tr("Offline");
            break;
        }
    }
    m_status->setText(text);
    m_status->setAccessibleName(text);
    m_status->setVisible(!text.isEmpty());
}

void ConversationPane::refreshEmptyState()
{
    QAbstractItemModel *model = m_list->model();
    const bool empty = !model || (model->rowCount() == 0 && m_filter->text().isEmpty());
    m_stack->setCurrentWidget(empty ? m_empty : m_listPage);
}

void ConversationPane::refreshResults()
{
    const bool searching = m_search && !m_filter->text().trimmed().isEmpty();
    const bool any = searching && m_search->hitCount() + m_search->serverHitCount() > 0;
    m_resultsTitle->setVisible(any);
    m_results->setVisible(any);
    // While searching, the chats take the room their rows need (at most half), messages the rest.
    const int chats = m_list->model() ? m_list->model()->rowCount() : 0;
    if (any) {
        const int row = chats > 0 ? m_list->sizeHintForRow(0) : 0;
        m_list->setMaximumHeight(std::min(row * chats, m_listPage->height() / 2));
    } else {
        m_list->setMaximumHeight(QWIDGETSIZE_MAX);
    }
}

bool ConversationPane::stepResult(int from, int step)
{
    if (!m_search)
        return false;
    for (int row = from + step; row >= 0 && row < m_search->rowCount(); row += step) {
        const QModelIndex index = m_search->index(row, 0);
        if (!index.data(models::MessageSearchModel::IsHeaderRole).toBool()) {
            m_results->setCurrentIndex(index);
            m_results->scrollTo(index);
            return true;
        }
    }
    return false;
}

void ConversationPane::activateResult(const QModelIndex &index)
{
    if (!index.isValid() || index.data(models::MessageSearchModel::IsHeaderRole).toBool())
        return;
    if (index.data(models::MessageSearchModel::IsMoreRole).toBool()) {
        m_search->fetchMoreFromServer(); // the row is replaced by the next page
        return;
    }
    m_results->setCurrentIndex(index);
    // The search stays: the next result is an arrow key away.
    emit messageActivated(index.data(models::MessageSearchModel::ConversationIdRole).toString(),
                          index.data(models::MessageSearchModel::SeqRole).toLongLong());
}

void ConversationPane::activateIndex(const QModelIndex &index)
{
    if (!index.isValid())
        return;
    const QString conversation = index.data(ConversationListModel::ConversationIdRole).toString();
    m_list->setCurrentIndex(index);
    // A chat is chosen: the filter has done its job, the whole list comes back (Ctrl+K, type,
    // Enter used to leave it filtered), with the chosen row still selected.
    if (!m_filter->text().isEmpty()) {
        m_filter->clear();
        selectConversation(conversation);
    }
    emit conversationActivated(conversation);
}

} // namespace tern::app::ui
