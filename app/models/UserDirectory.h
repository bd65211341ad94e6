#pragma once

//! One place for other users' display names (cached, fetched on demand) and their presence.
//
// Threading/lifetime: main thread only. The client and the store are not owned and must
// outlive the directory. The cached names are read at construction (a QFuture continuation
// bound to the directory); missing names are asked with ChatClient::users in a QCoro coroutine
// that re-checks a QPointer to the directory after every co_await, so a directory destroyed
// mid-request just stops. Names and presence live in plain hashes: a lookup is O(1).

#include "shared/protocol/Messages.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <qcoro/qcorotask.h>

namespace tern::app::cache {
class LocalStore;
}
namespace tern::app::client {
class ChatClient;
}

namespace tern::app::models {

class UserDirectory : public QObject
{
    Q_OBJECT
public:
    UserDirectory(client::ChatClient *client, cache::LocalStore *store, QObject *parent = nullptr);

    //! The user's display name; the id itself while it is unknown.
    QString displayName(const QString &userId) const;
    //! Every known user id -> display name (what the list models' setDisplayNames take).
    QHash<QString, QString> names() const { return m_names; }
    bool isKnown(const QString &userId) const { return m_names.contains(userId); }
    //! Id, user name and display name, as the user lists show them ("" for what is unknown).
    protocol::UserInfo userInfo(const QString &userId) const;
    //! False for everyone while we are not connected: presence is then unknown, not "online".
    bool isOnline(const QString &userId) const;
    //! Whether the server currently tells us presence (we are connected and signed in).
    bool presenceKnown() const;
    //! Milliseconds since the epoch of the user's last activity; 0 when unknown.
    qint64 lastSeen(const QString &userId) const;
    //! True once the cached names have been read.
    bool isLoaded() const { return m_loaded; }

    //! Adds (or updates) users learned elsewhere, e.g. search results; saved to the cache.
    void remember(const QList<protocol::UserInfo> &users);
    //! Asks the server for any of `userIds` not known yet (no request when all are known).
    void resolve(const QStringList &userIds);

signals:
    //! Some display names were added or changed.
    void namesChanged();
    void presenceChanged(const QString &userId);
    //! The cached names have been read.
    void loaded();

private:
    struct Presence
    {
        bool online = false;
        qint64 lastSeen = 0;
    };

    void onConversationsUpdated(const QList<protocol::ConversationSummary> &list);
    void onMessageReceived(const protocol::MessageEvent &message);
    void onPresence(const protocol::PresenceEvent &presence);
    void onUserUpdated(const protocol::UserUpdatedEvent &update);
    //! After each (re)sync: names may have changed while we were offline (no event reached
    //! us), so every known name is asked again (ChatClient::users sends 500 ids a request).
    void refreshKnown();
    void forgetOnline();
    //! Merges users into m_names; true when anything changed.
    bool merge(const QList<protocol::UserInfo> &users);
    QCoro::Task<> fetch(QStringList userIds);

    client::ChatClient *m_client;
    cache::LocalStore *m_store;
    QHash<QString, QString> m_names;
    QHash<QString, QString> m_userNames; // id -> user name (the @handle), where known
    QHash<QString, Presence> m_presence;
    QSet<QString> m_requested; // asked and not answered yet (or left out by the server)
    bool m_loaded = false;
};

} // namespace tern::app::models
