#pragma once

//! Says new messages to screen readers: "Bob: hello" in the open chat, "New message from Bob in
//! Team: hello" from other chats, "5 new messages in Team" for a burst.
//
// How it is heard (Qt 6.4, no QAccessibleAnnouncementEvent before 6.8): this widget is a
// permanent, invisible (1 px, painted nothing, under the central widget) accessible object of
// role Notification whose name is the latest announcement. Each announcement posts NameChanged
// and then ObjectShow. Qt's AT-SPI bridge (atspiadaptor.cpp, notify()) turns ObjectShow into
// object:state-changed:showing and NameChanged into object:property-change:accessible-name;
// its role table maps Notification to ATSPI_ROLE_NOTIFICATION. Orca speaks a NOTIFICATION
// object when it gets state-changed:showing for it (default script, onShowingChanged), whatever
// has focus, which is what a live region needs. QAccessible::Alert, the obvious choice, is
// dropped by that bridge, and a name change is spoken only for the focused object.
//
// Rules: nothing for our own messages, system events, the backlog a reconnect syncs (only while
// Online), muted chats other than the open one (unless the message mentions us), or while the
// window is not active (the desktop notification speaks then). Messages within kQuietMs of the last
// announcement are counted and said once at its end, so a burst is one sentence per quiet period,
// never a queue.

#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QWidget>

namespace tern::protocol {
struct MessageEvent;
}
namespace tern::app::session {
class AccountSession;
class AppSettings;
} // namespace tern::app::session

namespace tern::app::ui {

class Announcer : public QWidget
{
    Q_OBJECT
public:
    //! Quiet period after an announcement; what arrives meanwhile is summed up at its end.
    static constexpr int kQuietMs = 1500;

    Announcer(session::AppSettings *settings, QWidget *window);

    void setSession(session::AccountSession *session);
    //! The chat shown in the window ("" for none).
    void setOpenConversation(const QString &conversation);
    //! Says `text` now (screen readers get NameChanged, then ObjectShow).
    void announce(const QString &text);
    //! The latest announcement (the accessible name).
    QString text() const { return m_text; }

signals:
    void announced(const QString &text);

private:
    struct Pending
    {
        QString chatName;
        bool group = false;
        QString text; // the full sentence, said as it is when it is the only one
        int count = 0;
    };
    void onMessage(const protocol::MessageEvent &message);
    void flush();

    session::AppSettings *m_settings;
    QPointer<session::AccountSession> m_session;
    QString m_openConversation;
    QString m_text;
    QTimer m_quiet;
    QHash<QString, Pending> m_pending; // by conversation: bounded by the chats there are
};

} // namespace tern::app::ui
