#include "app/models/MemberListModel.h"

#include "app/client/ChatClient.h"
#include "app/client/Inbox.h"
#include "app/models/Avatar.h"
#include "app/models/UserDirectory.h"
#include "shared/core/Log.h"
#include "shared/protocol/Codec.h"

#include <QCoreApplication>
#include <QPointer>

#include <algorithm>

namespace tern::app::models {

using protocol::GroupEvent;
using protocol::MemberInfo;

namespace {

// Owner first, then admins, then members.
int rank(protocol::Role role)
{
    switch (role) {
    case protocol::Role::Owner:
        return 0;
    case protocol::Role::Admin:
        return 1;
    case protocol::Role::Member:
        break;
    }
    return 2;
}

} // namespace

QString MemberListModel::roleText(protocol::Role role)
{
    switch (role) {
    case protocol::Role::Owner:
        return tr("owner");
    case protocol::Role::Admin:
        return tr("admin");
    case protocol::Role::Member:
        break;
    }
    return tr("member");
}

MemberListModel::MemberListModel(client::ChatClient *client, UserDirectory *directory,
                                 protocol::ConversationSummary conversation, QObject *parent)
    : QAbstractListModel(parent), m_client(client), m_directory(directory),
      m_conversation(std::move(conversation))
{
    using client::Inbox;
    connect(client->inbox(), &Inbox::messageReceived, this, &MemberListModel::onMessageReceived);
    connect(client->inbox(), &Inbox::conversationsUpdated, this,
            [this](const QList<protocol::ConversationSummary> &list) {
                for (const protocol::ConversationSummary &summary : list) {
                    if (summary.conversation == m_conversation.conversation) {
                        setMembers(summary.members);
                        return;
                    }
                }
            });
    connect(directory, &UserDirectory::presenceChanged, this, &MemberListModel::onPresenceChanged);
    connect(directory, &UserDirectory::namesChanged, this, &MemberListModel::onNamesChanged);

    m_rows = m_conversation.members;
    std::sort(m_rows.begin(), m_rows.end(),
              [this](const MemberInfo &a, const MemberInfo &b) { return lessThan(a, b); });
    QStringList ids;
    for (const MemberInfo &member : std::as_const(m_rows))
        ids << member.userId;
    m_directory->resolve(ids);
}

int MemberListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MemberListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MemberInfo &member = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole:
        return m_directory->displayName(member.userId);
    case Qt::AccessibleTextRole:
        //: Member list entry for screen readers: name, role, online state.
        return tr("%1, %2, %3")
            .arg(m_directory->displayName(member.userId), roleText(member.role),
                 isOnline(member.userId) ? tr("online") : tr("offline"));
    case UserIdRole:
        return member.userId;
    case RoleRole:
        return protocol::wireName(member.role);
    case IsOnlineRole:
        return isOnline(member.userId);
    case LastSeenRole:
        return m_directory->lastSeen(member.userId);
    case IsMeRole:
        return member.userId == m_client->connection()->userId();
    case AvatarInitialsRole:
        return Avatar::initials(m_directory->displayName(member.userId));
    case AvatarHueRole:
        return Avatar::hue(member.userId);
    default:
        return {};
    }
}

QHash<int, QByteArray> MemberListModel::roleNames() const
{
    return {{UserIdRole, "userId"},
            {DisplayNameRole, "displayName"},
            {RoleRole, "role"},
            {IsOnlineRole, "isOnline"},
            {LastSeenRole, "lastSeen"},
            {IsMeRole, "isMe"},
            {AvatarInitialsRole, "avatarInitials"},
            {AvatarHueRole, "avatarHue"}};
}

int MemberListModel::onlineCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(),
                             [this](const MemberInfo &m) { return isOnline(m.userId); }));
}

std::optional<protocol::Role> MemberListModel::roleOf(const QString &userId) const
{
    const int row = rowOf(userId);
    return row < 0 ? std::nullopt : std::optional<protocol::Role>(m_rows.at(row).role);
}

std::optional<protocol::Role> MemberListModel::myRole() const
{
    return roleOf(m_client->connection()->userId());
}

int MemberListModel::rowOf(const QString &userId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).userId == userId)
            return i;
    }
    return -1;
}

bool MemberListModel::isOnline(const QString &userId) const
{
    // The server does not report our own presence; we are online while connected.
    if (userId == m_client->connection()->userId())
        return m_client->connection()->state() == client::ChatConnection::State::Online;
    return m_directory->isOnline(userId);
}

bool MemberListModel::lessThan(const MemberInfo &a, const MemberInfo &b) const
{
    const int ra = rank(a.role);
    const int rb = rank(b.role);
    if (ra != rb)
        return ra < rb;
    const int byName =
        QString::localeAwareCompare(m_directory->displayName(a.userId).toCaseFolded(),
                                    m_directory->displayName(b.userId).toCaseFolded());
    if (byName != 0)
        return byName < 0;
    return a.userId < b.userId;
}

void MemberListModel::setMembers(const QList<MemberInfo> &members)
{
    const int countBefore = int(m_rows.size());
    const int onlineBefore = onlineCount();
    QHash<QString, protocol::Role> wanted;
    for (const MemberInfo &member : members)
        wanted.insert(member.userId, member.role);

    // Row by row (no reset), so a view keeps its selection and scroll position.
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (!wanted.contains(m_rows.at(i).userId)) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    QStringList added;
    for (const MemberInfo &member : members) {
        const int row = rowOf(member.userId);
        if (row < 0) {
            // Appended, then sorted into place below.
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.append(member);
            endInsertRows();
            added << member.userId;
        } else if (m_rows.at(row).role != member.role) {
            m_rows[row].role = member.role;
            emit dataChanged(index(row), index(row), {RoleRole, Qt::AccessibleTextRole});
        }
    }
    resort();
    if (!added.isEmpty())
        m_directory->resolve(added);
    if (countBefore != m_rows.size() || onlineBefore != onlineCount())
        emit countsChanged();
}

void MemberListModel::resort()
{
    QList<MemberInfo> sorted = m_rows;
    std::sort(sorted.begin(), sorted.end(),
              [this](const MemberInfo &a, const MemberInfo &b) { return lessThan(a, b); });
    for (int i = 0; i < sorted.size(); ++i) {
        if (m_rows.at(i).userId == sorted.at(i).userId)
            continue;
        int from = i + 1;
        while (m_rows.at(from).userId != sorted.at(i).userId)
            ++from;
        beginMoveRows({}, from, from, {}, i);
        m_rows.move(from, i);
        endMoveRows();
    }
}

void MemberListModel::applySystemMessage(const QString &content)
{
    const Result<GroupEvent> decoded = protocol::decodeGroupEvent(content);
    if (!decoded)
        return; // the server's list (reload) tells
    const GroupEvent &event = *decoded;
    QStringList users = event.users;
    QList<MemberInfo> members = m_rows;
    switch (event.kind) {
    case GroupEvent::Kind::MemberAdded:
        for (const QString &user : std::as_const(users)) {
            if (rowOf(user) < 0)
                members.append(MemberInfo{user, protocol::Role::Member});
        }
        break;
    case GroupEvent::Kind::MemberLeft:
        // member_left names the leaver in `users` or only in `by`.
        if (users.isEmpty())
            users << event.by;
        [[fallthrough]];
    case GroupEvent::Kind::MemberRemoved:
        members.removeIf([&users](const MemberInfo &m) { return users.contains(m.userId); });
        break;
    case GroupEvent::Kind::RoleChanged:
        for (MemberInfo &member : members) {
            if (users.contains(member.userId) && event.role)
                member.role = *event.role;
        }
        break;
    default:
        return;
    }
    setMembers(members);
}

void MemberListModel::reload()
{
    if (m_reading) {
        m_readAgain = true;
        return;
    }
    readMembers();
}

QCoro::Task<> MemberListModel::readMembers()
{
    QPointer<MemberListModel> self(this);
    m_reading = true;
    do {
        m_readAgain = false;
        // A server list arrives as conversationsUpdated (handled in the constructor); a cache
        // answer (offline) is older than what the system messages already applied, so it is
        // not used here.
        QCoro::Task<Result<QList<protocol::ConversationSummary>>> listing =
            m_client->inbox()->conversations();
        const Result<QList<protocol::ConversationSummary>> list = co_await listing;
        if (!self)
            co_return;
        if (!list)
            qCInfo(lcNet) << "member list not refreshed:" << list.error().message;
    } while (m_readAgain);
    m_reading = false;
}

void MemberListModel::onMessageReceived(const protocol::MessageEvent &message)
{
    if (message.conversation != m_conversation.conversation ||
        message.kind != protocol::MessageKind::System)
        return;
    // At once from the event itself (offline too), then confirmed by the server's list.
    applySystemMessage(message.content);
    reload();
}

void MemberListModel::onPresenceChanged(const QString &userId)
{
    const int row = rowOf(userId);
    if (row < 0)
        return;
    emit dataChanged(index(row), index(row), {IsOnlineRole, LastSeenRole, Qt::AccessibleTextRole});
    emit countsChanged();
}

void MemberListModel::onNamesChanged()
{
    if (m_rows.isEmpty())
        return;
    emit dataChanged(
        index(0), index(int(m_rows.size()) - 1),
        {Qt::DisplayRole, DisplayNameRole, AvatarInitialsRole, Qt::AccessibleTextRole});
    resort();
}

} // namespace tern::app::models
