#pragma once

//! "Forward…": choose one or more chats (a filterable list with check boxes) to forward a
//! message to; the caller sends it once the dialog is accepted.
//
// Keyboard: type to filter, Down into the list, Space checks a chat, Enter forwards (with at
// least one chat checked), Esc cancels. Chat names are shown as plain text.

#include <QDialog>
#include <QStringList>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace tern::app::models {
class ConversationListModel;
}

namespace tern::app::ui {

class ForwardDialog : public QDialog
{
    Q_OBJECT
public:
    //! The chats are read from `list` once, in its order (not owned).
    explicit ForwardDialog(const models::ConversationListModel *list, QWidget *parent = nullptr);

    //! The conversations checked, in list order.
    QStringList chosenConversations() const;
    //! Checks the chat `conversation` (tests, and the keyboard path's own toggling).
    void setChosen(const QString &conversation, bool chosen);
    QLineEdit *filterEdit() const { return m_filter; }
    QListWidget *chatList() const { return m_list; }
    QPushButton *forwardButton() const { return m_forward; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void applyFilter(const QString &text);
    void toggle(QListWidgetItem *item);
    void updateButton();
    void retranslate();

    QLineEdit *m_filter;
    QListWidget *m_list;
    QLabel *m_empty;
    QDialogButtonBox *m_buttons;
    QPushButton *m_forward;
};

} // namespace tern::app::ui
