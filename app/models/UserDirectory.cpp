#include "app/models/UserDirectory.h"
#include "app/models/WhenReady.h"

#include "app/cache/LocalStore.h"
#include "app/client/ChatClient.h"
#include "app/client/Inbox.h"
#include "shared/core/Log.h"

#include <QPointer>

namespace tern::app::models {

using protocol::UserInfo;

UserDirectory::UserDirectory(client::ChatClient *client, cache::LocalStore *store, QObject *parent)
    : QObject(parent), m_client(client), m_store(store)
{
    using client::ChatConnection;
    using client::Inbox;
    connect(client->inbox(), &Inbox::conversationsUpdated, this,
            &UserDirectory::onConversationsUpdated);
    connect(client->inbox(), &Inbox::messageReceived, this, &UserDirectory::onMessageReceived);
    connect(client->inbox(), &Inbox::presenceChanged, this, &UserDirectory::onPresence);
    connect(client->inbox(), &Inbox::userUpdated, this, &UserDirectory::onUserUpdated);
    connect(client->connection(), &ChatConnection::synced, this, &UserDirectory::refreshKnown);
    connect(client->connection(), &ChatConnection::stateChanged, this, [this] {
        if (!presenceKnown())
            forgetOnline();
    });

    // Cached names first, so nothing shows ids while the server is asked (or unreachable).
    whenReady(this, m_store->users(), [this](const Result<QList<UserInfo>> &users) {
        if (!users)
            qCWarning(lcStore) << "cached users not readable:" << users.error().message;
        // Names learned meanwhile (remember(), a server answer) are newer: they win.
        bool changed = false;
        if (users) {
            for (const UserInfo &user : *users) {
                if (!m_names.contains(user.userId) && !user.displayName.isEmpty()) {
                    m_names.insert(user.userId, user.displayName);
                    changed = true;
                }
                if (!user.user.isEmpty() && !m_userNames.contains(user.userId))
                    m_userNames.insert(user.userId, user.user);
            }
        }
        m_loaded = true;
        if (changed)
            emit namesChanged();
        emit loaded();
    });
}

QString UserDirectory::displayName(const QString &userId) const
{
    return m_names.value(userId, userId);
}

protocol::UserInfo UserDirectory::userInfo(const QString &userId) const
{
    return protocol::UserInfo{userId, m_userNames.value(userId), m_names.value(userId)};
}

bool UserDirectory::isOnline(const QString &userId) const
{
    return m_presence.value(userId).online;
}

bool UserDirectory::presenceKnown() const
{
    const auto state = m_client->connection()->state();
    return state == client::ChatConnection::State::Online ||
           state == client::ChatConnection::State::Syncing;
}

void UserDirectory::forgetOnline()
{
    // Nobody tells us when they leave while we are away; the next connection asks afresh.
    for (auto it = m_presence.begin(); it != m_presence.end(); ++it) {
        if (it->online) {
            it->online = false;
            emit presenceChanged(it.key());
        }
    }
}

qint64 UserDirectory::lastSeen(const QString &userId) const
{
    return m_presence.value(userId).lastSeen;
}

void UserDirectory::remember(const QList<UserInfo> &users)
{
    if (!merge(users))
        return;
    m_store->saveUsers(users);
    emit namesChanged();
}

bool UserDirectory::merge(const QList<UserInfo> &users)
{
    bool changed = false;
    for (const UserInfo &user : users) {
        if (user.userId.isEmpty() || user.displayName.isEmpty())
            continue;
        m_requested.remove(user.userId);
        if (!user.user.isEmpty())
            m_userNames.insert(user.userId, user.user);
        auto it = m_names.find(user.userId);
        if (it == m_names.end()) {
            m_names.insert(user.userId, user.displayName);
            changed = true;
        } else if (*it != user.displayName) {
            *it = user.displayName;
            changed = true;
        }
    }
    return changed;
}

void UserDirectory::resolve(const QStringList &userIds)
{
    QStringList missing;
    for (const QString &id : userIds) {
        if (!id.isEmpty() && !m_names.contains(id) && !m_requested.contains(id)) {
            m_requested.insert(id);
            missing << id;
        }
    }
    if (!missing.isEmpty())
        fetch(missing);
}

QCoro::Task<> UserDirectory::fetch(QStringList userIds)
{
    QPointer<UserDirectory> self(this);
    QCoro::Task<Result<QList<UserInfo>>> asking = m_client->inbox()->users(userIds);
    const Result<QList<UserInfo>> users = co_await asking;
    if (!self)
        co_return;
    if (!users) {
        // Offline or a transient error: allow asking again on the next list or message.
        for (const QString &id : userIds)
            m_requested.remove(id);
        qCInfo(lcNet) << "user names not fetched:" << users.error().message;
        co_return;
    }
    // Ids the server left out stay in m_requested: asking again would get the same answer.
    if (!merge(*users))
        co_return;
    m_store->saveUsers(*users);
    emit namesChanged();
}

void UserDirectory::onConversationsUpdated(const QList<protocol::ConversationSummary> &list)
{
    const QString me = m_client->connection()->userId();
    QStringList ids{me};
    QList<UserInfo> directNames; // a direct chat's name is the other user's display name, now
    for (const protocol::ConversationSummary &summary : list) {
        for (const protocol::MemberInfo &member : summary.members)
            ids << member.userId;
        if (summary.kind == protocol::ConversationKind::Direct && summary.members.size() == 2) {
            for (const protocol::MemberInfo &member : summary.members) {
                if (member.userId != me && m_names.contains(member.userId))
                    directNames.append(
                        {member.userId, m_userNames.value(member.userId), summary.name});
            }
        }
    }
    if (merge(directNames)) {
        m_store->saveUsers(directNames);
        emit namesChanged();
    }
    resolve(ids);
}

void UserDirectory::onUserUpdated(const protocol::UserUpdatedEvent &update)
{
    const QList<UserInfo> users{
        {update.userId, m_userNames.value(update.userId), update.displayName}};
    if (!merge(users))
        return;
    m_store->saveUsers(users);
    emit namesChanged();
}

void UserDirectory::refreshKnown()
{
    if (!m_loaded)
        return; // the cached names are not read yet; resolve() asks for what is missing
    QStringList ids = m_names.keys();
    if (!ids.contains(m_client->connection()->userId()))
        ids << m_client->connection()->userId();
    fetch(ids);
}

void UserDirectory::onMessageReceived(const protocol::MessageEvent &message)
{
    if (!m_names.contains(message.from))
        resolve({message.from});
}

void UserDirectory::onPresence(const protocol::PresenceEvent &presence)
{
    Presence &state = m_presence[presence.userId];
    const bool online = presence.status == protocol::PresenceStatus::Online;
    const qint64 lastSeen = presence.lastSeen.value_or(state.lastSeen);
    if (state.online == online && state.lastSeen == lastSeen)
        return;
    state.online = online;
    state.lastSeen = lastSeen;
    emit presenceChanged(presence.userId);
}

} // namespace tern::app::models
