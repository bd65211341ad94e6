#pragma once

//! The app's one window: the connect screen before sign-in, then the two panes (conversation
//! list | open chat), or one pane at a time with a back button when the window is narrow.

#include <QMainWindow>
#include <QPointer>

class QMenu;
class QSplitter;
class QStackedWidget;

namespace tern::app::session {
class AccountSession;
class AppSettings;
} // namespace tern::app::session

namespace tern::app::ui {

class Announcer;
class ChatPane;
class ConnectWidget;
class ConversationPane;
class NotificationToast;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    //! Below this width the window shows one pane at a time.
    static constexpr int kNarrowWidth = 700;

    MainWindow(session::AppSettings *settings, ConnectWidget *connectWidget,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    void showConnect();
    void showMain(session::AccountSession *session);
    bool isShowingMain() const;
    //! Opens a chat of the list (selects its row, shows the chat pane).
    bool openConversation(const QString &conversation);
    //! Opens the direct chat with a user (an empty one when none exists yet).
    void openDirectChat(const QString &userId, const QString &displayName);
    //! Opens the conversation as soon as the list has it (a group just created), for up to
    //! 10 s; at once when it is already listed.
    void openWhenListed(const QString &conversation);
    //! A quiet note at the bottom of the window that goes away by itself (no dialog).
    void showNotice(const QString &text);
    QString notice() const;
    //! Set by the controller: whether closing the window should only hide it.
    void setHideOnClose(bool hide) { m_hideOnClose = hide; }
    //! Set by the controller: without a tray, closing asks once whether to keep running
    //! (minimised, still notifying) or quit, and then does what was chosen.
    void setTrayAvailable(bool available) { m_trayAvailable = available; }
    //! A notification shown inside the window (no tray to show it): a click opens the chat.
    void showNotification(const QString &conversation, const QString &title, const QString &text);
    NotificationToast *notificationToast() const { return m_toast; }
    //! The "≡" menu: Settings…, Profile…, Hosted server…, About Tern, Quit.
    QMenu *mainMenu() const { return m_menu; }
    //! Opens the About dialog (once; a second call raises it).
    void showAbout();
    //! Says new messages to screen readers.
    Announcer *announcer() const { return m_announcer; }

    ConnectWidget *connectWidget() const { return m_connect; }
    ConversationPane *conversationPane() const { return m_list; }
    ChatPane *chatPane() const { return m_chat; }

signals:
    void newChatRequested();
    void newGroupRequested();
    void settingsRequested();
    //! The user asked to see their profile (name, status, avatar).
    void profileRequested();
    //! The user asked where the server hosted on this computer can be reached.
    void hostedServerRequested();
    //! The window closed for good (not just hidden to the tray).
    void quitRequested();
    //! The open chat changed ("" when none).
    void openConversationChanged(const QString &conversation);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void installShortcuts();
    void buildMainMenu();
    //! Saves the state and asks the controller to quit (Ctrl+Q, the menu's Quit).
    void requestQuit();
    //! One pane at a time: below kNarrowWidth, or when both panes' minimums do not fit.
    bool isNarrow() const;
    void updateNarrowLayout();
    void showList();
    void step(int direction);
    void askKeepRunning();
    //! Draft, geometry and splitter into the settings (before closing or quitting).
    void saveState();

    session::AppSettings *m_settings;
    QPointer<session::AccountSession> m_session;
    QStackedWidget *m_pages;
    ConnectWidget *m_connect;
    QSplitter *m_splitter;
    ConversationPane *m_list;
    QStackedWidget *m_chatStack;
    QWidget *m_placeholder;
    ChatPane *m_chat;
    NotificationToast *m_toast;
    QMenu *m_menu;
    Announcer *m_announcer = nullptr;
    bool m_hideOnClose = false;
    bool m_trayAvailable = false;
    bool m_chatOpen = false;
};

} // namespace tern::app::ui
