#pragma once

//! "New chat": find a user by name and pick them; the caller then opens the direct chat.

#include "shared/protocol/Messages.h"

#include <QDialog>

class QDialogButtonBox;
class QPushButton;

namespace tern::app::client {
class ChatClient;
}

namespace tern::app::ui {

class UserSearchWidget;

class NewChatDialog : public QDialog
{
    Q_OBJECT
public:
    //! The client (not owned) answers the searches and must outlive the dialog.
    explicit NewChatDialog(client::ChatClient *client, QWidget *parent = nullptr);

    //! The user picked (valid after accept()).
    protocol::UserInfo selectedUser() const { return m_selected; }
    UserSearchWidget *search() const { return m_search; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void pick(const QString &userId);

    UserSearchWidget *m_search;
    QDialogButtonBox *m_buttons;
    QPushButton *m_open;
    protocol::UserInfo m_selected;
};

} // namespace tern::app::ui
