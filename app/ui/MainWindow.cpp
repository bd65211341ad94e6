#include "app/ui/MainWindow.h"

#include "app/models/ConversationFilterModel.h"
#include "app/session/AccountSession.h"
#include "app/session/AppSettings.h"
#include "app/ui/ChatPane.h"
#include "app/ui/ConnectWidget.h"
#include "app/ui/ConversationPane.h"

#include <QCloseEvent>
#include <QKeySequence>
#include <QLabel>
#include <QListView>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace tern::app::ui {

MainWindow::MainWindow(session::AppSettings *settings, ConnectWidget *connectWidget,
                       QWidget *parent)
    : QMainWindow(parent), m_settings(settings), m_pages(new QStackedWidget(this)),
      m_connect(connectWidget), m_splitter(new QSplitter(Qt::Horizontal, m_pages)),
      m_list(new ConversationPane(m_splitter)), m_chatStack(new QStackedWidget(m_splitter)),
      m_placeholder(new QWidget(m_chatStack)), m_chat(new ChatPane(m_chatStack))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Tern"));
    setWindowIcon(QIcon(QStringLiteral(":/tern/icons/tern.svg")));
    m_connect->setParent(m_pages);
    m_pages->addWidget(m_connect);
    m_pages->addWidget(m_splitter);
    setCentralWidget(m_pages);

    auto *hint = new QLabel(tr("Select a chat to start messaging"), m_placeholder);
    hint->setAlignment(Qt::AlignCenter);
    auto *placeholderLayout = new QVBoxLayout(m_placeholder);
    placeholderLayout->addWidget(hint);
    m_chatStack->addWidget(m_placeholder);
    m_chatStack->addWidget(m_chat);

    const int em = fontMetrics().averageCharWidth();
    m_list->setMinimumWidth(em * 34);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 7);
    if (!m_settings->splitterState().isEmpty())
        m_splitter->restoreState(m_settings->splitterState());
    else
        m_splitter->setSizes({em * 40, em * 90});
    if (!m_settings->windowGeometry().isEmpty())
        restoreGeometry(m_settings->windowGeometry());
    else
        resize(em * 130, fontMetrics().height() * 42);

    connect(m_list, &ConversationPane::conversationActivated, this, &MainWindow::openConversation);
    connect(m_list, &ConversationPane::newChatRequested, this, &MainWindow::newChatRequested);
    connect(m_list, &ConversationPane::newGroupRequested, this, &MainWindow::newGroupRequested);
    connect(m_list, &ConversationPane::settingsRequested, this, &MainWindow::settingsRequested);
    connect(m_chat, &ChatPane::backRequested, this, &MainWindow::showList);
    connect(m_chat, &ChatPane::conversationClosed, this, &MainWindow::showList);
    connect(m_chat, &ChatPane::conversationOpened, this, [this](const QString &conversation) {
        m_list->selectConversation(conversation);
        if (m_chatOpen)
            emit openConversationChanged(conversation);
    });
    installShortcuts();
}

void MainWindow::showNotice(const QString &text)
{
    constexpr int kNoticeMs = 30'000;
    auto *bar = findChild<QStatusBar *>(QStringLiteral("noticeBar"));
    if (!bar) {
        bar = new QStatusBar(this);
        bar->setObjectName(QStringLiteral("noticeBar"));
        bar->setSizeGripEnabled(false);
        // The bar takes room only while it says something.
        connect(bar, &QStatusBar::messageChanged, bar,
                [bar](const QString &message) { bar->setVisible(!message.isEmpty()); });
        setStatusBar(bar);
    }
    bar->setAccessibleName(text);
    bar->showMessage(text, kNoticeMs);
    bar->show();
}

QString MainWindow::notice() const
{
    auto *bar = findChild<QStatusBar *>(QStringLiteral("noticeBar"));
    return bar ? bar->currentMessage() : QString();
}

MainWindow::~MainWindow()
{
    m_chat->saveDraft();
}

void MainWindow::installShortcuts()
{
    auto add = [this](const QKeySequence &keys, auto slot) {
        auto *shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WindowShortcut);
        connect(shortcut, &QShortcut::activated, this, slot);
    };
    add(QKeySequence(Qt::CTRL | Qt::Key_K), [this] {
        if (isShowingMain()) {
            if (m_chatOpen && width() < kNarrowWidth)
                showList();
            m_list->focusFilter();
        }
    });
    add(QKeySequence::Find, [this] {
        if (!isShowingMain())
            return;
        if (m_chatOpen)
            m_chat->showFindBar();
        else
            m_list->focusFilter();
    });
    add(QKeySequence(Qt::CTRL | Qt::Key_N), [this] {
        if (isShowingMain())
            emit newChatRequested();
    });
    add(QKeySequence(Qt::ALT | Qt::Key_Up), [this] { step(-1); });
    add(QKeySequence(Qt::ALT | Qt::Key_Down), [this] { step(1); });
    add(QKeySequence(Qt::CTRL | Qt::Key_Tab), [this] {
        const QString next = m_list->nextUnread(m_chat->currentConversation());
        if (!next.isEmpty())
            openConversation(next);
    });
    add(QKeySequence(Qt::Key_Escape), [this] {
        if (m_chat->closePanels())
            return;
        if (m_chatOpen && width() < kNarrowWidth)
            showList();
    });
}

void MainWindow::showConnect()
{
    m_chat->setSession(nullptr);
    m_list->setSession(nullptr);
    m_session = nullptr;
    m_chatOpen = false;
    m_chatStack->setCurrentWidget(m_placeholder);
    m_pages->setCurrentWidget(m_connect);
    emit openConversationChanged(QString());
}

void MainWindow::showMain(session::AccountSession *session)
{
    m_session = session;
    m_list->setSession(session);
    m_chat->setSession(session);
    m_chatOpen = false;
    m_chatStack->setCurrentWidget(m_placeholder);
    m_pages->setCurrentWidget(m_splitter);
    updateNarrowLayout();
    m_list->listView()->setFocus(Qt::OtherFocusReason);
}

bool MainWindow::isShowingMain() const
{
    return m_pages->currentWidget() == m_splitter;
}

bool MainWindow::openConversation(const QString &conversation)
{
    if (!m_chat->openConversation(conversation))
        return false;
    m_list->selectConversation(conversation);
    m_chatStack->setCurrentWidget(m_chat);
    m_chatOpen = true;
    updateNarrowLayout();
    m_chat->focusComposer();
    emit openConversationChanged(conversation);
    return true;
}

void MainWindow::openDirectChat(const QString &userId, const QString &displayName)
{
    m_chat->openDirectChat(userId, displayName);
    m_chatStack->setCurrentWidget(m_chat);
    m_chatOpen = true;
    if (!m_chat->currentConversation().isEmpty())
        m_list->selectConversation(m_chat->currentConversation());
    updateNarrowLayout();
    m_chat->focusComposer();
    emit openConversationChanged(m_chat->currentConversation());
}

void MainWindow::openWhenListed(const QString &conversation)
{
    if (openConversation(conversation) || !m_session)
        return;
    auto *list = m_session->filteredConversations();
    auto *context = new QObject(this);
    auto attempt = [this, conversation, context] {
        if (openConversation(conversation))
            context->deleteLater();
    };
    connect(list, &QAbstractItemModel::rowsInserted, context, attempt);
    connect(list, &QAbstractItemModel::dataChanged, context, attempt);
    connect(list, &QAbstractItemModel::modelReset, context, attempt);
    QTimer::singleShot(10'000, context, &QObject::deleteLater);
}

void MainWindow::showList()
{
    m_chatOpen = width() >= kNarrowWidth && m_chatStack->currentWidget() == m_chat &&
                 !m_chat->currentConversation().isEmpty();
    if (!m_chatOpen) {
        m_chat->saveDraft();
        m_chatStack->setCurrentWidget(m_placeholder);
        emit openConversationChanged(QString());
    }
    updateNarrowLayout();
    m_list->listView()->setFocus(Qt::OtherFocusReason);
}

void MainWindow::step(int direction)
{
    if (!isShowingMain())
        return;
    const QString next = m_list->neighbour(m_chat->currentConversation(), direction);
    if (!next.isEmpty())
        openConversation(next);
}

void MainWindow::updateNarrowLayout()
{
    const bool narrow = width() < kNarrowWidth;
    m_chat->setBackVisible(narrow);
    m_list->setVisible(!narrow || !m_chatOpen);
    m_chatStack->setVisible(!narrow || m_chatOpen);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_chat->saveDraft();
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setSplitterState(m_splitter->saveState());
    if (m_hideOnClose) {
        hide();
        event->ignore();
        return;
    }
    event->accept();
    emit quitRequested();
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    updateNarrowLayout();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    // A chat shown in a window that just became active may now count as read.
    if (event->type() == QEvent::ActivationChange && isActiveWindow())
        emit openConversationChanged(m_chatOpen ? m_chat->currentConversation() : QString());
}

} // namespace tern::app::ui
