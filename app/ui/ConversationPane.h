#pragma once

//! The left pane: the conversation list with its filter box, "new chat" actions and the
//! list's own status ("Updating…") and empty state.

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QMenu;
class QPushButton;
class QStackedWidget;
class QToolButton;

namespace tern::app::session {
class AccountSession;
}
namespace tern::app::models {
class MessageSearchModel;
}

namespace tern::app::ui {

class OwnAvatarButton;

class ConversationPane : public QWidget
{
    Q_OBJECT
public:
    explicit ConversationPane(QWidget *parent = nullptr);

    void setSession(session::AccountSession *session);
    //! Highlights the conversation's row (without emitting activated).
    void selectConversation(const QString &conversation);
    //! Moves the filter focus (Ctrl+K).
    void focusFilter();
    //! The conversation `step` rows away from `from` in the visible order ("" at the ends).
    QString neighbour(const QString &from, int step) const;
    //! The next conversation with unread messages after `from`, wrapping ("" when none).
    QString nextUnread(const QString &from) const;
    QListView *listView() const { return m_list; }
    //! The "≡" button: it pops up `menu` (the window's) below itself, without blocking.
    QToolButton *menuButton() const { return m_menuButton; }
    void setMainMenu(QMenu *menu);
    QLineEdit *filterEdit() const { return m_filter; }
    //! The "Messages" results of the search box under the matching chats (hidden while the box
    //! is empty), and their model (null without a session).
    QListView *messageResults() const { return m_results; }
    models::MessageSearchModel *messageSearch() const { return m_search; }
    //! "Updating…", "Offline" … ("" when online and synced).
    QString statusText() const;
    QSize minimumSizeHint() const override;

signals:
    void conversationActivated(const QString &conversation);
    //! A message search result was chosen (Enter, click): show that message in its chat.
    void messageActivated(const QString &conversation, qint64 seq);
    void newChatRequested();
    void newGroupRequested();
    //! Our own avatar was clicked: show the profile card.
    void profileRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refreshStatus();
    void refreshEmptyState();
    void activateIndex(const QModelIndex &index);
    void activateResult(const QModelIndex &index);
    //! Selects the next hit row from `from` in direction `step` (headers are skipped); false
    //! at the ends.
    bool stepResult(int from, int step);
    void refreshResults();

    QPointer<session::AccountSession> m_session;
    QLabel *m_title;
    QLabel *m_status;
    QToolButton *m_newChat;
    QToolButton *m_newGroup;
    QToolButton *m_menuButton;
    QPointer<QMenu> m_mainMenu;
    QLineEdit *m_filter;
    QStackedWidget *m_stack;
    QListView *m_list;
    QWidget *m_listPage; // the chats, and under them the message results while searching
    QLabel *m_resultsTitle;
    QListView *m_results;
    models::MessageSearchModel *m_search = nullptr; // per session, owned
    QWidget *m_empty;
    QPushButton *m_startChat;
    OwnAvatarButton *m_ownAvatar = nullptr;
};

} // namespace tern::app::ui
