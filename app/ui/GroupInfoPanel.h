#pragma once

//! The group panel at the chat's right side: name (editable by owner/admin), members with role
//! and presence, add/remove members, admin roles, mute, leave.
//
// Threading/lifetime: main thread. The client and the user directory are not owned and must
// outlive the panel; the MemberListModel is owned (rebuilt by setConversation). Each request
// runs in a QCoro coroutine that re-checks a QPointer to the panel after its co_await and drops
// the answer if the panel moved to another conversation meanwhile. Failures show inline.

#include "shared/core/Result.h"
#include "shared/protocol/Messages.h"

#include <QPointer>
#include <QWidget>

#include <qcoro/qcorotask.h>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QToolButton;

namespace tern::app::client {
class ChatClient;
}
namespace tern::app::models {
class MemberListModel;
class UserDirectory;
} // namespace tern::app::models

namespace tern::app::ui {

class UserSearchWidget;

class GroupInfoPanel : public QWidget
{
    Q_OBJECT
public:
    GroupInfoPanel(client::ChatClient *client, models::UserDirectory *directory,
                   QWidget *parent = nullptr);
    ~GroupInfoPanel() override;
    QSize sizeHint() const override;

    //! Shows `conversation` (a group); builds a fresh member model for it.
    void setConversation(const protocol::ConversationSummary &conversation);
    QString conversationId() const { return m_conversation.conversation; }
    QString groupName() const { return m_conversation.name; }
    models::MemberListModel *members() const { return m_members; }
    //! Owner or admin: may rename, add and remove.
    bool canManage() const;
    bool isOwner() const;
    //! The inline error ("" when none is shown).
    QString errorText() const;
    bool isMuted() const;

public slots:
    void setMuted(bool muted);
    //! Shows the inline search for adding members.
    void showAddMembers();
    //! Asks "Leave this group?" inline; confirmLeave() does it.
    void askLeave();
    void confirmLeave();
    //! Sends a rename when `name` differs from the current one (owner/admin only).
    void rename(const QString &name);
    void removeMember(const QString &userId);
    //! `admin` true makes the member an admin, false a plain member (owner only).
    void setAdmin(const QString &userId, bool admin);
    void addMembers(const QStringList &userIds);

signals:
    void closeRequested();
    void muteToggled(bool muted);
    //! We left the group (the caller closes the chat).
    void left(const QString &conversation);
    //! The group was renamed by us.
    void renamed(const QString &conversation, const QString &name);
    //! A request finished (tests wait on it); `ok` false when it failed.
    void requestFinished(bool ok);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    enum class Action { Rename, Add, Remove, SetRole, Leave };

    void retranslate();
    void refresh();
    void refreshCounts();
    void showError(const QString &message);
    QString selectedUserId() const;
    void showMemberMenu(const QPoint &pos);
    void onConversationsUpdated(const QList<protocol::ConversationSummary> &list);
    //! Awaits one group request (already started) and reports it through onRequestDone().
    QCoro::Task<> runRequest(QCoro::Task<Status> request, QString conversation, Action action);
    void onRequestDone(Action action, const QString &conversation, const Status &status);

    QPointer<client::ChatClient> m_client;
    models::UserDirectory *m_directory;
    models::MemberListModel *m_members = nullptr;
    protocol::ConversationSummary m_conversation;
    QString m_pendingName;

    QLabel *m_title;
    QToolButton *m_close;
    QLineEdit *m_name;
    QLabel *m_counts;
    QCheckBox *m_mute;
    QLabel *m_membersLabel;
    QListView *m_memberView;
    QPushButton *m_add;
    QPushButton *m_remove;
    QPushButton *m_admin;
    UserSearchWidget *m_search;
    QWidget *m_leaveConfirm;
    QLabel *m_leaveQuestion;
    QPushButton *m_leaveYes;
    QPushButton *m_leaveNo;
    QPushButton *m_leave;
    QLabel *m_error;
};

} // namespace tern::app::ui
