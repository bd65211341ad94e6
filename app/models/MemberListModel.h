#pragma once

//! The members of one group for the info panel: owner first, then admins, then members, each
//! by name; follows membership changes (system messages), names and presence.
//
// Threading/lifetime: main thread only. The client and the user directory are not owned and
// must outlive the model. A membership change re-reads the conversation list through
// ChatClient::conversations() in a QCoro coroutine that re-checks a QPointer to the model after
// its co_await; changes that arrive while a read is running trigger one more read after it.

#include "shared/protocol/Messages.h"

#include <QAbstractListModel>
#include <QList>
#include <QString>

#include <qcoro/qcorotask.h>

namespace tern::app::client {
class ChatClient;
}

namespace tern::app::models {

class UserDirectory;

class MemberListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int onlineCount READ onlineCount NOTIFY countsChanged)
public:
    enum Role {
        UserIdRole = Qt::UserRole + 1,
        DisplayNameRole,
        RoleRole, // "owner", "admin" or "member"
        IsOnlineRole,
        LastSeenRole, // ms since the epoch, 0 when unknown
        IsMeRole,
        AvatarInitialsRole,
        AvatarHueRole,
    };
    Q_ENUM(Role)

    MemberListModel(client::ChatClient *client, UserDirectory *directory,
                    protocol::ConversationSummary conversation, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString conversationId() const { return m_conversation.conversation; }
    //! Members online now (ourselves included).
    int onlineCount() const;
    //! The role of a member; nullopt when not a member.
    std::optional<protocol::Role> roleOf(const QString &userId) const;
    //! Our own role in the group (what the info panel's actions depend on).
    std::optional<protocol::Role> myRole() const;
    //! A role as the user reads it ("owner", "admin", "member"): the one place roles get words.
    static QString roleText(protocol::Role role);
    //! -1 when the user is not a member.
    int rowOf(const QString &userId) const;
    //! Re-reads the member list (server when online, else cache).
    void reload();

signals:
    //! The number of members or of online members may have changed.
    void countsChanged();

private:
    void setMembers(const QList<protocol::MemberInfo> &members);
    //! Moves rows (beginMoveRows) until they are in lessThan order.
    void resort();
    //! A membership change from a `system` message's JSON content, applied to the rows.
    void applySystemMessage(const QString &content);
    void onMessageReceived(const protocol::MessageEvent &message);
    void onPresenceChanged(const QString &userId);
    void onNamesChanged();
    QCoro::Task<> readMembers();
    bool lessThan(const protocol::MemberInfo &a, const protocol::MemberInfo &b) const;
    bool isOnline(const QString &userId) const;

    client::ChatClient *m_client;
    UserDirectory *m_directory;
    protocol::ConversationSummary m_conversation;
    QList<protocol::MemberInfo> m_rows; // sorted
    bool m_reading = false;
    bool m_readAgain = false;
};

} // namespace tern::app::models
