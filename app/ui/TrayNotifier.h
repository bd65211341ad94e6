#pragma once

//! Desktop notifications and the tray icon: one notification per incoming message (grouped per
//! chat when several arrive quickly), the unread total on the icon, click opens the chat.
//
// Rules (ux.md): nothing for your own messages, for muted chats (unless the message mentions us),
// or for the chat being read in the focused window; previews can be hidden. Notifications are
// decided here whether or not a system tray exists, so tests observe `notified` on offscreen
// platforms; they are shown only when QSystemTrayIcon::supportsMessages().

#include "shared/protocol/Messages.h"

#include <QElapsedTimer>
#include <QHash>
#include <QIcon>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QMenu;
class QSystemTrayIcon;
class QWidget;

namespace tern::app::session {
class AccountSession;
class AppSettings;
} // namespace tern::app::session

namespace tern::app::ui {

class TrayNotifier : public QObject
{
    Q_OBJECT
public:
    TrayNotifier(session::AppSettings *settings, QWidget *window, QObject *parent = nullptr);
    ~TrayNotifier() override;

    void setSession(session::AccountSession *session);
    //! The chat shown in the window (no notifications for it while the window is active).
    void setOpenConversation(const QString &conversation);
    //! True when a tray icon is visible (closing the window can keep the app running).
    bool trayAvailable() const;
    int unreadTotal() const { return m_unread; }

signals:
    //! A notification was decided (shown when the platform can): title and body exactly as
    //! handed to the notification service (the body escaped where the service reads markup).
    void notified(const QString &conversation, const QString &title, const QString &body);
    //! The user clicked a notification or picked "Open" in the tray menu.
    void openConversationRequested(const QString &conversation);
    //! No tray can show `notified`: the window shows it instead (`text` is plain, unescaped).
    void inAppNotification(const QString &conversation, const QString &title, const QString &text);
    void showWindowRequested();
    void quitRequested();

private:
    void onMessage(const protocol::MessageEvent &message);
    //! Shows one decided notification; `inBurst` is its place in the chat's current burst.
    void notify(const protocol::MessageEvent &message, int inBurst);
    //! Notifies the held messages whose sender now has a name, or all of them when `all`.
    void releaseHeld(bool all);
    void setUnread(int total);
    bool mentionsMe(const protocol::MessageEvent &message) const;
    QIcon badgeIcon(int count) const;

    QPointer<session::AccountSession> m_session;
    session::AppSettings *m_settings;
    QPointer<QWidget> m_window;
    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    QIcon m_baseIcon;
    QString m_openConversation;
    QString m_lastNotified;      // the chat a notification click opens
    QHash<QString, int> m_burst; // chat -> messages notified in the current burst
    QHash<QString, qint64> m_burstStart;
    QElapsedTimer m_clock;
    // A first message from someone new arrives before their name: it waits for the name
    // (bounded in count and time) so the notification does not title itself with a user id.
    struct Held
    {
        protocol::MessageEvent message;
        int inBurst = 0;
    };
    QList<Held> m_held;
    QTimer m_nameWait;
    int m_unread = 0;
};

} // namespace tern::app::ui
