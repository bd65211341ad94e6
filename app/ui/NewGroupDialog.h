#pragma once

//! "New group": a name and the members to invite; creates the group on the server.
//
// The create request runs in a QCoro coroutine that re-checks a QPointer to the dialog after its
// co_await (the dialog may be closed meanwhile). The client is not owned and must outlive it.

#include "shared/protocol/Messages.h"

#include <QDialog>
#include <QPointer>
#include <QStringList>

#include <qcoro/qcorotask.h>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace tern::app::client {
class ChatClient;
}

namespace tern::app::ui {

class UserSearchWidget;

class NewGroupDialog : public QDialog
{
    Q_OBJECT
public:
    explicit NewGroupDialog(client::ChatClient *client, QWidget *parent = nullptr);

    QString groupName() const;
    void setGroupName(const QString &name);
    //! Adds a member (checked) to the list of picked members.
    void addMember(const protocol::UserInfo &user);
    //! The checked members' user ids, in the order they were picked.
    QStringList memberIds() const;
    //! The new group's id (valid after accept()).
    QString conversationId() const { return m_conversationId; }
    //! The inline error ("" when none is shown).
    QString errorText() const;
    bool isBusy() const { return m_busy; }
    UserSearchWidget *search() const { return m_search; }

public slots:
    //! Sends create_group (does nothing unless canCreate()).
    void create();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    bool canCreate() const;
    void updateButtons();
    void setBusy(bool busy);
    void showError(const QString &message);
    void pickFromSearch(const QString &userId);
    void excludePicked();
    QCoro::Task<> runCreate(QString name, QStringList members);
    bool eventFilter(QObject *watched, QEvent *event) override;

    QPointer<client::ChatClient> m_client;
    QString m_conversationId;
    bool m_busy = false;

    QLabel *m_nameLabel;
    QLineEdit *m_name;
    QLabel *m_searchLabel;
    UserSearchWidget *m_search;
    QLabel *m_membersLabel;
    QListWidget *m_members;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    QPushButton *m_create;
};

} // namespace tern::app::ui
