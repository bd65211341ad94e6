#pragma once

//! A search field with a result list of users (display name + @user), shared by the new-chat
//! and new-group dialogs and the group panel's "Add members".
//
// Typing starts a search 250 ms after the last key (ChatClient::searchUsers, in a QCoro
// coroutine that re-checks a QPointer to the widget after its co_await; answers to older
// queries are dropped by a serial number). Keyboard: Up/Down in the field move through the
// results, Enter picks the current one (or searches at once when results are not in yet).
// The client is not owned and must outlive the widget.

#include "shared/protocol/Messages.h"

#include <QList>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <qcoro/qcorotask.h>

#include <optional>

class QLabel;
class QLineEdit;
class QListWidget;

namespace tern::app::client {
class ChatClient;
}

namespace tern::app::ui {

class UserSearchWidget : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kDebounceMs = 250;

    explicit UserSearchWidget(client::ChatClient *client, QWidget *parent = nullptr);

    //! Users never listed (yourself always; members already in the group when adding).
    void setExcludedUserIds(const QSet<QString> &ids);
    //! Shown while the field is empty ("New chat": the people of recent chats), as results.
    void setSuggestions(const QList<protocol::UserInfo> &users);
    QString query() const;
    //! The results shown now (after exclusions).
    QList<protocol::UserInfo> results() const { return m_results; }
    //! The highlighted result, if any.
    std::optional<protocol::UserInfo> currentUser() const;
    //! The status line under the field ("Searching…", "No users found", an error); "" when none.
    QString statusText() const;
    //! Where keyboard focus should start.
    QLineEdit *searchField() const { return m_field; }
    //! One line per user, as shown in every list of users: "Display Name  @user".
    static QString describe(const protocol::UserInfo &user);

public slots:
    void clear();
    //! Skips the debounce.
    void searchNow();

signals:
    //! Enter or double-click on a result.
    void userActivated(const QString &userId);
    //! The highlighted result changed (or disappeared).
    void currentUserChanged();
    //! A search answered (successfully or not).
    void searchFinished();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void onTextChanged();
    QCoro::Task<> runSearch(QString query, quint64 serial);
    void showResults(const QList<protocol::UserInfo> &users);
    void showSuggestions();
    void setStatus(const QString &text, bool isError);
    void activateCurrent();

    QPointer<client::ChatClient> m_client;
    QSet<QString> m_excluded;
    QList<protocol::UserInfo> m_results;
    QList<protocol::UserInfo> m_suggestions;
    QTimer m_debounce;
    quint64 m_serial = 0;
    bool m_searching = false;
    QString m_lastQuery; // of the results shown

    QLineEdit *m_field;
    QListWidget *m_list;
    QLabel *m_status;
};

} // namespace tern::app::ui
