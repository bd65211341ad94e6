#include "app/ui/MainWindow.h"

#include "app/models/ConversationFilterModel.h"
#include "app/session/AccountSession.h"
#include "app/session/AppSettings.h"
#include "app/ui/AboutDialog.h"
#include "app/ui/Announcer.h"
#include "app/ui/ChatPane.h"
#include "app/ui/Composer.h"
#include "app/ui/ConnectWidget.h"
#include "app/ui/ConversationPane.h"
#include "app/ui/Icons.h"
#include "app/ui/NotificationToast.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QKeySequence>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
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
      m_placeholder(new QWidget(m_chatStack)), m_chat(new ChatPane(m_chatStack)),
      m_toast(new NotificationToast(this)), m_menu(new QMenu(this))
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
    m_chat->composer()->setSettings(m_settings);

    const int em = fontMetrics().averageCharWidth();
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
    connect(m_list, &ConversationPane::messageActivated, this,
            [this](const QString &conversation, qint64 seq) {
                if (!openConversation(conversation))
                    return;
                m_chat->showMessage(conversation, seq);
                // Beside the chat, the results keep the keyboard: the next one is an arrow away.
                if (!isNarrow())
                    m_list->messageResults()->setFocus(Qt::OtherFocusReason);
            });
    connect(m_list, &ConversationPane::newChatRequested, this, &MainWindow::newChatRequested);
    connect(m_list, &ConversationPane::newGroupRequested, this, &MainWindow::newGroupRequested);
    connect(m_list, &ConversationPane::profileRequested, this, &MainWindow::profileRequested);
    connect(m_chat, &ChatPane::backRequested, this, &MainWindow::showList);
    connect(m_chat, &ChatPane::conversationClosed, this, &MainWindow::showList);
    connect(m_chat, &ChatPane::conversationOpened, this, [this](const QString &conversation) {
        m_list->selectConversation(conversation);
        if (m_chatOpen)
            emit openConversationChanged(conversation);
    });
    m_splitter->installEventFilter(this);
    m_announcer = new Announcer(m_settings, this);
    connect(this, &MainWindow::openConversationChanged, m_announcer,
            &Announcer::setOpenConversation);
    connect(m_toast, &NotificationToast::activated, this, [this](const QString &conversation) {
        showNormal();
        raise();
        activateWindow();
        openWhenListed(conversation); // a new chat may not be listed yet
    });
    installShortcuts();
    buildMainMenu();
}

void MainWindow::buildMainMenu()
{
    m_menu->setObjectName(QStringLiteral("mainMenu"));
    m_menu->setAccessibleName(tr("Main menu"));
    const auto add = [this](const char *name, const QString &text, Icons::Icon icon) {
        QAction *action = m_menu->addAction(text);
        action->setObjectName(QLatin1String(name));
        action->setData(int(icon));
        return action;
    };
    connect(add("settingsAction", tr("Settings…"), Icons::Icon::Settings), &QAction::triggered,
            this, &MainWindow::settingsRequested);
    connect(add("profileAction", tr("Profile…"), Icons::Icon::Profile), &QAction::triggered, this,
            &MainWindow::profileRequested);
    connect(add("hostedServerAction", tr("Hosted server…"), Icons::Icon::Server),
            &QAction::triggered, this, &MainWindow::hostedServerRequested);
    m_menu->addSeparator();
    connect(add("aboutAction", tr("About Tern"), Icons::Icon::Info), &QAction::triggered, this,
            &MainWindow::showAbout);
    connect(add("quitAction", tr("Quit"), Icons::Icon::Quit), &QAction::triggered, this,
            &MainWindow::requestQuit);
    // Tinted for the palette the menu shows with (a dark theme may have come since).
    const auto tint = [this] {
        for (QAction *action : m_menu->actions())
            if (!action->isSeparator())
                Icons::setIcon(action, Icons::Icon(action->data().toInt()), m_menu->palette());
    };
    tint();
    connect(m_menu, &QMenu::aboutToShow, this, tint);
    m_list->setMainMenu(m_menu);
}

void MainWindow::showAbout()
{
    if (auto *open = findChild<AboutDialog *>(); open && open->isVisible()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog = new AboutDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::requestQuit()
{
    saveState();
    emit quitRequested();
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
            if (m_chatOpen && isNarrow())
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
    add(QKeySequence(Qt::CTRL | Qt::Key_Q), [this] { requestQuit(); });
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
        if (m_chatOpen && isNarrow())
            showList();
    });
}

void MainWindow::showConnect()
{
    m_chat->setSession(nullptr);
    m_list->setSession(nullptr);
    m_announcer->setSession(nullptr);
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
    m_announcer->setSession(session);
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
    if (m_toast->conversation() == conversation)
        m_toast->hide(); // what it announced is on screen now
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
    m_chatOpen = !isNarrow() && m_chatStack->currentWidget() == m_chat &&
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

bool MainWindow::isNarrow() const
{
    // Also narrow when both panes would not fit at their minimum (a large font, the info
    // panel open): one pane at a time instead of a window that grows by itself.
    const int both = m_list->minimumSizeHint().width() + m_splitter->handleWidth() +
                     m_chatStack->minimumSizeHint().width();
    return width() < kNarrowWidth || width() < both;
}

void MainWindow::updateNarrowLayout()
{
    // The splitter would ask for both panes' minimums side by side, and Qt would clamp a
    // narrower window to that before any resize event could switch to one pane at a time.
    m_splitter->setMinimumWidth(
        std::max(m_list->minimumSizeHint().width(), m_chatStack->minimumSizeHint().width()));
    const bool narrow = isNarrow();
    m_chat->setBackVisible(narrow);
    m_list->setVisible(!narrow || !m_chatOpen);
    m_chatStack->setVisible(!narrow || m_chatOpen);
}

void MainWindow::saveState()
{
    m_chat->saveDraft();
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setSplitterState(m_splitter->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    if (m_hideOnClose) {
        hide();
        event->ignore();
        return;
    }
    // No tray to keep running in: by default Tern stays in the taskbar (minimised) so that it
    // can still notify, as Telegram Desktop does without a tray; it asks the first time, as
    // a window that does not close is a surprise. Quit stays one choice away (Ctrl+Q).
    if (!m_trayAvailable && isShowingMain() && m_settings->closeToTray()) {
        event->ignore();
        if (m_settings->closeAsked())
            showMinimized();
        else
            askKeepRunning();
        return;
    }
    event->accept();
    emit quitRequested();
}

void MainWindow::askKeepRunning()
{
    if (auto *asking = findChild<QMessageBox *>(QStringLiteral("keepRunningQuestion"));
        asking && asking->isVisible())
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Keep Tern running?"),
                                tr("This desktop has no system tray. Keep Tern running in the "
                                   "taskbar so it can tell you about new messages?"),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("keepRunningQuestion"));
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(tr("You can quit at any time with Ctrl+Q."));
    QPushButton *keep = box->addButton(tr("Keep running"), QMessageBox::AcceptRole);
    keep->setObjectName(QStringLiteral("keepRunningButton"));
    QPushButton *quit = box->addButton(tr("Quit"), QMessageBox::DestructiveRole);
    quit->setObjectName(QStringLiteral("quitButton"));
    box->setDefaultButton(keep);
    auto *remember = new QCheckBox(tr("Do not ask again"), box);
    remember->setObjectName(QStringLiteral("rememberCloseChoice"));
    remember->setChecked(true);
    box->setCheckBox(remember);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, box, keep, remember](QAbstractButton *b) {
                const bool keepRunning = b == keep;
                if (remember->isChecked()) {
                    m_settings->setCloseToTray(keepRunning);
                    m_settings->setCloseAsked(true);
                }
                box->close();
                if (keepRunning) {
                    showMinimized();
                } else {
                    m_chat->saveDraft();
                    emit quitRequested();
                }
            });
    box->open(); // window-modal, no nested event loop
}

void MainWindow::showNotification(const QString &conversation, const QString &title,
                                  const QString &text)
{
    // The chat being read in a visible window needs no banner; the taskbar alert still comes.
    if (m_chatOpen && conversation == m_chat->currentConversation() && isActiveWindow())
        return;
    m_toast->showNotification(conversation, title, text);
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // A pane's minimum changed (a panel opened): the splitter hears of it first, before the
    // window's layout applies a new minimum. Pick the panes that fit now, so the window's size
    // stays the user's.
    if (watched == m_splitter && event->type() == QEvent::LayoutRequest && isShowingMain())
        updateNarrowLayout();
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    updateNarrowLayout();
    if (m_toast->isVisible())
        m_toast->reposition();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    // A chat shown in a window that just became active may now count as read.
    if (event->type() == QEvent::ActivationChange && isActiveWindow())
        emit openConversationChanged(m_chatOpen ? m_chat->currentConversation() : QString());
}

} // namespace tern::app::ui
