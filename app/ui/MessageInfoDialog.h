#pragma once

//! "Message info" of one's own message in a group: "Read by N of M" and every other member with
//! read / delivered (and when, once a receipt told us) or not yet. Asked through the client's
//! `receipts` request when it opens; receipt events keep it current while it is open.
//
// Only for one's own messages, as in WhatsApp: others' receipts are theirs. The `receipts`
// answer carries the server's times (to the minute, the last 30 days); a receipt that arrives
// while the dialog is open adds its own. Main thread; the coroutine re-checks a QPointer after
// its co_await.

#include <QDialog>
#include <QHash>

#include <qcoro/qcorotask.h>

class QLabel;
class QListWidget;

namespace tern::protocol {
struct ReceiptEvent;
}

namespace tern::app::client {
class ChatClient;
}

namespace tern::app::models {
class UserDirectory;
}

namespace tern::app::ui {

class MessageInfoDialog : public QDialog
{
    Q_OBJECT
public:
    //! The message `seq` of `conversation` (not owned: `client` and `users` outlive it or the
    //! dialog is closed first).
    MessageInfoDialog(client::ChatClient *client, models::UserDirectory *users,
                      const QString &conversation, qint64 seq, const QString &preview,
                      QWidget *parent = nullptr);

    //! "Read by 1 of 2"; "" until the answer came.
    QString summary() const;
    int readCount() const;
    int memberCount() const { return int(m_members.size()); }
    //! The answer to `receipts` arrived (or failed: then summary() says why).
    bool isLoaded() const { return m_loaded; }
    QListWidget *memberList() const { return m_list; }

signals:
    void loaded();

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Member
    {
        bool delivered = false;
        bool read = false;
        qint64 deliveredTs = 0; // from the answer or a receipt event; 0 = unknown
        qint64 readTs = 0;
    };

    QCoro::Task<> load();
    void onReceipt(const protocol::ReceiptEvent &receipt);
    void render();
    void retranslate();

    client::ChatClient *m_client;
    models::UserDirectory *m_users;
    QString m_conversation;
    qint64 m_seq;
    QHash<QString, Member> m_members; // by user id, every member but us
    QHash<QString, Member> m_early;   // receipts that came before the answer
    QLabel *m_preview;
    QLabel *m_summary;
    QListWidget *m_list;
    QString m_error;
    bool m_loaded = false;
};

} // namespace tern::app::ui
