// SqlStore: groups, membership and presence data.

#include "SqlStore.h"

#include "server/store/SqlHelpers.h"
#include "shared/core/Clock.h"
#include "shared/crypto/Crypto.h"
#include "shared/protocol/Codec.h"

#include <QSet>
#include <QSqlQuery>

namespace tern::server::store {

using namespace ops;
using protocol::GroupEvent;
using protocol::Role;

namespace {

Error forbidden(const QString &why)
{
    return Error{ErrorCode::Forbidden, why};
}

Error notAGroup()
{
    return Error{ErrorCode::BadRequest, QStringLiteral("not a group conversation")};
}

bool canManage(const Membership &m)
{
    return m.role == Role::Owner || m.role == Role::Admin;
}

Result<std::optional<protocol::ConversationKind>> conversationKind(SqlDb &db,
                                                                   const QString &conversation)
{
    QSqlQuery *q = db.prepared(QStringLiteral("SELECT kind FROM conversations WHERE id = ?"));
    if (!db.run(q, {conversation}))
        return db.failure();
    if (!q->next())
        return conversationNotFound();
    return protocol::fromWireName<protocol::ConversationKind>(q->value(0).toString());
}

//! The actor's membership of a group they belong to.
Result<Membership> groupMembership(SqlDb &db, const QString &conversation, const QString &actor)
{
    Result<Membership> membership = currentMembership(db, conversation, actor);
    if (!membership)
        return membership;
    Result<std::optional<protocol::ConversationKind>> kind = conversationKind(db, conversation);
    if (!kind)
        return kind.error();
    if (*kind != protocol::ConversationKind::Group)
        return notAGroup();
    return membership;
}

Status usersExist(SqlDb &db, const QStringList &users)
{
    QSqlQuery *q = db.prepared(QStringLiteral("SELECT 1 FROM users WHERE id = ?"));
    for (const QString &u : users) {
        if (!db.run(q, {u}))
            return db.failure();
        if (!q->next())
            return Error{ErrorCode::NotFound, QStringLiteral("no such user: ") + u};
    }
    return Ok{};
}

//! A `system` message: `content` is the JSON text of the event (its `by` is the actor).
Result<protocol::MessageEvent> appendSystem(SqlDb &db, const QString &conversation,
                                            const QString &actor, GroupEvent content)
{
    const qint64 now = nowMs();
    Result<qint64> seq = nextSeq(db, conversation, now);
    if (!seq)
        return seq.error();
    content.by = actor;
    protocol::MessageEvent m;
    m.id = crypto::randomId(QStringLiteral("sys-"));
    m.conversation = conversation;
    m.seq = *seq;
    m.from = actor;
    m.fromDevice = QStringLiteral(""); // the server's, never a device's
    m.to = conversation;
    m.kind = protocol::MessageKind::System;
    m.content = protocol::encodeGroupEvent(content);
    m.ts = m.serverTs = now;
    if (Status inserted = insertMessage(db, m); !inserted)
        return inserted.error();
    return m;
}

GroupEvent event(GroupEvent::Kind kind, const QStringList &users = {})
{
    GroupEvent e;
    e.kind = kind;
    e.users = users;
    return e;
}

//! Add or re-add members who join at `joinedSeq` (they see history from there on).
Status joinMembers(SqlDb &db, const QString &conversation, const QStringList &users, Role role,
                   qint64 joinedSeq)
{
    QSqlQuery *q = db.prepared(QStringLiteral(
        "INSERT INTO members (conversation_id, user_id, role, joined_seq, joined_ms, "
        "delivered_seq, read_seq) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, "
        "user_id) DO UPDATE SET role = excluded.role, joined_seq = excluded.joined_seq, "
        "joined_ms = excluded.joined_ms, left_seq = NULL, delivered_seq = excluded.delivered_seq, "
        "read_seq = excluded.read_seq"));
    const qint64 now = nowMs();
    for (const QString &u : users) {
        if (!db.run(q, {conversation, u, protocol::wireName(role), joinedSeq, now, joinedSeq - 1,
                        joinedSeq - 1}))
            return db.failure();
    }
    return Ok{};
}

Status markLeft(SqlDb &db, const QString &conversation, const QString &user, qint64 seq)
{
    QSqlQuery *q = db.prepared(QStringLiteral(
        "UPDATE members SET left_seq = ? WHERE conversation_id = ? AND user_id = ?"));
    if (!db.run(q, {seq, conversation, user}))
        return db.failure();
    return Ok{};
}

Status setMemberRole(SqlDb &db, const QString &conversation, const QString &user, Role role)
{
    QSqlQuery *q = db.prepared(
        QStringLiteral("UPDATE members SET role = ? WHERE conversation_id = ? AND user_id = ?"));
    if (!db.run(q, {protocol::wireName(role), conversation, user}))
        return db.failure();
    return Ok{};
}

//! Fill `members` and `recipients` (members plus `alsoTell`) of a change.
Status finish(SqlDb &db, GroupChange &change, const QStringList &alsoTell = {})
{
    Result<QStringList> members = currentMembers(db, change.conversation);
    if (!members)
        return members.error();
    change.members = *members;
    QSet<QString> recipients(members->begin(), members->end());
    for (const QString &u : alsoTell)
        recipients.insert(u);
    change.recipients = QStringList(recipients.begin(), recipients.end());
    return Ok{};
}

QStringList distinctWithout(const QStringList &users, const QString &without)
{
    QStringList out;
    QSet<QString> seen{without};
    for (const QString &u : users) {
        if (!seen.contains(u)) {
            seen.insert(u);
            out << u;
        }
    }
    return out;
}

} // namespace

QFuture<Result<GroupChange>> SqlStore::createGroup(QString creator, QString name,
                                                   QStringList members, int memberLimit)
{
    return m_worker->write<GroupChange>([=](SqlDb &db) -> Result<GroupChange> {
        const QStringList others = distinctWithout(members, creator);
        if (others.size() + 1 > memberLimit)
            return Error{ErrorCode::LimitExceeded,
                         QStringLiteral("a group has at most %1 members").arg(memberLimit)};
        if (Status exist = usersExist(db, others); !exist)
            return exist.error();
        GroupChange change;
        change.conversation = crypto::randomId(QStringLiteral("c"));
        const qint64 now = nowMs();
        QSqlQuery *create = db.prepared(QStringLiteral(
            "INSERT INTO conversations (id, kind, name, last_activity_ms, created_ms) "
            "VALUES (?, 'group', ?, ?, ?)"));
        if (!db.run(create, {change.conversation, name, now, now}))
            return db.failure();
        // Everyone joins at seq 1, the "created" message.
        if (Status s = joinMembers(db, change.conversation, {creator}, Role::Owner, 1); !s)
            return s.error();
        if (Status s = joinMembers(db, change.conversation, others, Role::Member, 1); !s)
            return s.error();
        GroupEvent content = event(GroupEvent::Kind::Created, others);
        content.name = name;
        Result<protocol::MessageEvent> created =
            appendSystem(db, change.conversation, creator, content);
        if (!created)
            return created.error();
        change.systemMessages << *created;
        if (Status s = finish(db, change); !s)
            return s.error();
        return change;
    });
}

QFuture<Result<GroupChange>> SqlStore::addMembers(QString actor, QString conversation,
                                                  QStringList users, int memberLimit)
{
    return m_worker->write<GroupChange>([=](SqlDb &db) -> Result<GroupChange> {
        Result<Membership> me = groupMembership(db, conversation, actor);
        if (!me)
            return me.error();
        if (!canManage(*me))
            return forbidden(QStringLiteral("only the owner and admins add members"));
        Result<QStringList> current = currentMembers(db, conversation);
        if (!current)
            return current.error();
        QStringList added;
        for (const QString &u : distinctWithout(users, actor)) {
            if (!current->contains(u))
                added << u;
        }
        if (added.isEmpty())
            return Error{ErrorCode::Conflict, QStringLiteral("already members")};
        if (current->size() + added.size() > memberLimit)
            return Error{ErrorCode::LimitExceeded,
                         QStringLiteral("a group has at most %1 members").arg(memberLimit)};
        if (Status exist = usersExist(db, added); !exist)
            return exist.error();
        Result<protocol::MessageEvent> message =
            appendSystem(db, conversation, actor, event(GroupEvent::Kind::MemberAdded, added));
        if (!message)
            return message.error();
        if (Status s = joinMembers(db, conversation, added, Role::Member, message->seq); !s)
            return s.error();
        GroupChange change;
        change.conversation = conversation;
        change.systemMessages << *message;
        if (Status s = finish(db, change); !s)
            return s.error();
        return change;
    });
}

QFuture<Result<GroupChange>> SqlStore::removeMember(QString actor, QString conversation,
                                                    QString user)
{
    return m_worker->write<GroupChange>([=](SqlDb &db) -> Result<GroupChange> {
        Result<Membership> me = groupMembership(db, conversation, actor);
        if (!me)
            return me.error();
        if (user == actor)
            return Error{ErrorCode::BadRequest, QStringLiteral("to remove yourself, use leave")};
        if (!canManage(*me))
            return forbidden(QStringLiteral("only the owner and admins remove members"));
        Result<Membership> target = currentMembership(db, conversation, user);
        if (!target)
            return Error{ErrorCode::NotFound, QStringLiteral("not a member of this group")};
        if (me->role == Role::Admin && target->role != Role::Member)
            return forbidden(QStringLiteral("admins cannot remove admins or the owner"));
        Result<protocol::MessageEvent> message =
            appendSystem(db, conversation, actor, event(GroupEvent::Kind::MemberRemoved, {user}));
        if (!message)
            return message.error();
        if (Status s = markLeft(db, conversation, user, message->seq); !s)
            return s.error();
        GroupChange change;
        change.conversation = conversation;
        change.systemMessages << *message;
        if (Status s = finish(db, change, {user}); !s)
            return s.error();
        return change;
    });
}

QFuture<Result<GroupChange>> SqlStore::leaveConversation(QString actor, QString conversation)
{
    return m_worker->write<GroupChange>([=](SqlDb &db) -> Result<GroupChange> {
        Result<Membership> me = groupMembership(db, conversation, actor);
        if (!me)
            return me.error();
        GroupChange change;
        change.conversation = conversation;
        Result<protocol::MessageEvent> left =
            appendSystem(db, conversation, actor, event(GroupEvent::Kind::MemberLeft, {actor}));
        if (!left)
            return left.error();
        change.systemMessages << *left;
        if (Status s = markLeft(db, conversation, actor, left->seq); !s)
            return s.error();

        if (me->role == Role::Owner) {
            // Ownership passes to the longest-standing admin, else the longest-standing member.
            QSqlQuery *heir = db.prepared(QStringLiteral(
                "SELECT user_id FROM members WHERE conversation_id = ? AND left_seq IS NULL "
                "ORDER BY CASE role WHEN 'admin' THEN 0 ELSE 1 END, joined_seq, joined_ms, "
                "user_id LIMIT 1"));
            if (!db.run(heir, {conversation}))
                return db.failure();
            if (heir->next()) {
                const QString next = heir->value(0).toString();
                heir->finish();
                if (Status s = setMemberRole(db, conversation, next, Role::Owner); !s)
                    return s.error();
                GroupEvent content = event(GroupEvent::Kind::RoleChanged, {next});
                content.role = Role::Owner;
                Result<protocol::MessageEvent> handed =
                    appendSystem(db, conversation, actor, content);
                if (!handed)
                    return handed.error();
                change.systemMessages << *handed;
            }
        }
        if (Status s = finish(db, change, {actor}); !s)
            return s.error();
        if (change.members.isEmpty()) {
            QSqlQuery *archive =
                db.prepared(QStringLiteral("UPDATE conversations SET archived = 1 WHERE id = ?"));
            if (!db.run(archive, {conversation}))
                return db.failure();
        }
        return change;
    });
}

QFuture<Result<GroupChange>> SqlStore::renameGroup(QString actor, QString conversation,
                                                   QString name)
{
    return m_worker->write<GroupChange>([=](SqlDb &db) -> Result<GroupChange> {
        Result<Membership> me = groupMembership(db, conversation, actor);
        if (!me)
            return me.error();
        if (!canManage(*me))
            return forbidden(QStringLiteral("only the owner and admins rename the group"));
        QSqlQuery *rename =
            db.prepared(QStringLiteral("UPDATE conversations SET name = ? WHERE id = ?"));
        if (!db.run(rename, {name, conversation}))
            return db.failure();
        GroupEvent content = event(GroupEvent::Kind::Renamed);
        content.name = name;
        Result<protocol::MessageEvent> message = appendSystem(db, conversation, actor, content);
        if (!message)
            return message.error();
        GroupChange change;
        change.conversation = conversation;
        change.systemMessages << *message;
        if (Status s = finish(db, change); !s)
            return s.error();
        return change;
    });
}

QFuture<Result<GroupChange>> SqlStore::setRole(QString actor, QString conversation, QString user,
                                               Role role)
{
    return m_worker->write<GroupChange>([=](SqlDb &db) -> Result<GroupChange> {
        Result<Membership> me = groupMembership(db, conversation, actor);
        if (!me)
            return me.error();
        if (me->role != Role::Owner)
            return forbidden(QStringLiteral("only the owner grants or takes the admin role"));
        if (user == actor)
            return Error{ErrorCode::BadRequest, QStringLiteral("the owner's role cannot change")};
        Result<Membership> target = currentMembership(db, conversation, user);
        if (!target)
            return Error{ErrorCode::NotFound, QStringLiteral("not a member of this group")};
        GroupChange change;
        change.conversation = conversation;
        if (target->role != role) {
            if (Status s = setMemberRole(db, conversation, user, role); !s)
                return s.error();
            GroupEvent content = event(GroupEvent::Kind::RoleChanged, {user});
            content.role = role;
            Result<protocol::MessageEvent> message = appendSystem(db, conversation, actor, content);
            if (!message)
                return message.error();
            change.systemMessages << *message;
        }
        if (Status s = finish(db, change); !s)
            return s.error();
        return change;
    });
}

QFuture<Result<QStringList>> SqlStore::members(QString asker, QString conversation)
{
    return m_worker->read<QStringList>([=](SqlDb &db) -> Result<QStringList> {
        if (Result<Membership> me = currentMembership(db, conversation, asker); !me)
            return me.error();
        return currentMembers(db, conversation);
    });
}

QFuture<Result<QStringList>> SqlStore::contacts(QString userId)
{
    return m_worker->read<QStringList>([=](SqlDb &db) -> Result<QStringList> {
        QSqlQuery *q = db.prepared(QStringLiteral(
            "SELECT DISTINCT other.user_id FROM members mine JOIN members other ON "
            "other.conversation_id = mine.conversation_id WHERE mine.user_id = ? AND "
            "mine.left_seq IS NULL AND other.left_seq IS NULL AND other.user_id <> ?"));
        if (!db.run(q, {userId, userId}))
            return db.failure();
        QStringList users;
        while (q->next())
            users << q->value(0).toString();
        return users;
    });
}

QFuture<Status> SqlStore::setLastSeen(QHash<QString, qint64> lastSeenMs)
{
    return m_worker->write<Ok>([=](SqlDb &db) -> Status {
        QSqlQuery *q =
            db.prepared(QStringLiteral("UPDATE users SET last_seen_ms = ? WHERE id = ?"));
        for (auto it = lastSeenMs.cbegin(); it != lastSeenMs.cend(); ++it) {
            if (!db.run(q, {it.value(), it.key()}))
                return db.failure();
        }
        return Ok{};
    });
}

QFuture<Result<QHash<QString, qint64>>> SqlStore::lastSeen(QStringList users)
{
    return m_worker->read<QHash<QString, qint64>>([=](SqlDb &db) -> Result<QHash<QString, qint64>> {
        QSqlQuery *q = db.prepared(QStringLiteral(
            "SELECT last_seen_ms FROM users WHERE id = ? AND last_seen_ms IS NOT NULL"));
        QHash<QString, qint64> out;
        for (const QString &u : users) {
            if (!db.run(q, {u}))
                return db.failure();
            if (q->next())
                out.insert(u, q->value(0).toLongLong());
        }
        return out;
    });
}

} // namespace tern::server::store
