// SqlStore: groups, membership and presence data.

#include "SqlStore.h"

#include "server/store/SqlHelpers.h"
#include "shared/core/Clock.h"
#include "shared/crypto/Crypto.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QSqlQuery>

namespace tern::server::store {

using namespace ops;

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
    return m.role == QLatin1String("owner") || m.role == QLatin1String("admin");
}

Result<QString> conversationKind(SqlDb &db, const QString &conversation)
{
    QSqlQuery *q = db.prepared(QStringLiteral("SELECT kind FROM conversations WHERE id = ?"));
    if (!db.run(q, {conversation}))
        return db.failure();
    if (!q->next())
        return conversationNotFound();
    return q->value(0).toString();
}

//! The actor's membership of a group they belong to.
Result<Membership> groupMembership(SqlDb &db, const QString &conversation, const QString &actor)
{
    Result<Membership> membership = currentMembership(db, conversation, actor);
    if (!membership)
        return membership;
    Result<QString> kind = conversationKind(db, conversation);
    if (!kind)
        return kind.error();
    if (*kind != QLatin1String("group"))
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

//! A `system` message: `content` is the JSON text of {event, by, users, name, role}.
Result<protocol::MessageEvent> appendSystem(SqlDb &db, const QString &conversation,
                                            const QString &actor, QJsonObject content)
{
    const qint64 now = nowMs();
    Result<qint64> seq = nextSeq(db, conversation, now);
    if (!seq)
        return seq.error();
    content.insert(QStringLiteral("by"), actor);
    protocol::MessageEvent m;
    m.id = crypto::randomId(QStringLiteral("sys-"));
    m.conversation = conversation;
    m.seq = *seq;
    m.from = actor;
    m.fromDevice = QStringLiteral(""); // the server's, never a device's
    m.to = conversation;
    m.kind = QStringLiteral("system");
    m.content = QString::fromUtf8(QJsonDocument(content).toJson(QJsonDocument::Compact));
    m.ts = m.serverTs = now;
    if (Status inserted = insertMessage(db, m); !inserted)
        return inserted.error();
    return m;
}

QJsonObject event(const char *name, const QStringList &users = {})
{
    QJsonObject o{{QStringLiteral("event"), QString::fromLatin1(name)}};
    if (!users.isEmpty())
        o.insert(QStringLiteral("users"), QJsonArray::fromStringList(users));
    return o;
}

//! Add or re-add members who join at `joinedSeq` (they see history from there on).
Status joinMembers(SqlDb &db, const QString &conversation, const QStringList &users,
                   const QString &role, qint64 joinedSeq)
{
    QSqlQuery *q = db.prepared(QStringLiteral(
        "INSERT INTO members (conversation_id, user_id, role, joined_seq, joined_ms, "
        "delivered_seq, read_seq) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id, "
        "user_id) DO UPDATE SET role = excluded.role, joined_seq = excluded.joined_seq, "
        "joined_ms = excluded.joined_ms, left_seq = NULL, delivered_seq = excluded.delivered_seq, "
        "read_seq = excluded.read_seq"));
    const qint64 now = nowMs();
    for (const QString &u : users) {
        if (!db.run(q, {conversation, u, role, joinedSeq, now, joinedSeq - 1, joinedSeq - 1}))
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

Status setMemberRole(SqlDb &db, const QString &conversation, const QString &user,
                     const QString &role)
{
    QSqlQuery *q = db.prepared(
        QStringLiteral("UPDATE members SET role = ? WHERE conversation_id = ? AND user_id = ?"));
    if (!db.run(q, {role, conversation, user}))
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
        if (Status s = joinMembers(db, change.conversation, {creator}, QStringLiteral("owner"), 1);
            !s)
            return s.error();
        if (Status s = joinMembers(db, change.conversation, others, QStringLiteral("member"), 1);
            !s)
            return s.error();
        QJsonObject content = event("created", others);
        content.insert(QStringLiteral("name"), name);
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
            appendSystem(db, conversation, actor, event("member_added", added));
        if (!message)
            return message.error();
        if (Status s = joinMembers(db, conversation, added, QStringLiteral("member"), message->seq);
            !s)
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
        if (me->role == QLatin1String("admin") && target->role != QLatin1String("member"))
            return forbidden(QStringLiteral("admins cannot remove admins or the owner"));
        Result<protocol::MessageEvent> message =
            appendSystem(db, conversation, actor, event("member_removed", {user}));
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
            appendSystem(db, conversation, actor, event("member_left", {actor}));
        if (!left)
            return left.error();
        change.systemMessages << *left;
        if (Status s = markLeft(db, conversation, actor, left->seq); !s)
            return s.error();

        if (me->role == QLatin1String("owner")) {
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
                if (Status s = setMemberRole(db, conversation, next, QStringLiteral("owner")); !s)
                    return s.error();
                QJsonObject content = event("role_changed", {next});
                content.insert(QStringLiteral("role"), QStringLiteral("owner"));
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
        QJsonObject content = event("renamed");
        content.insert(QStringLiteral("name"), name);
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
                                               QString role)
{
    return m_worker->write<GroupChange>([=](SqlDb &db) -> Result<GroupChange> {
        Result<Membership> me = groupMembership(db, conversation, actor);
        if (!me)
            return me.error();
        if (me->role != QLatin1String("owner"))
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
            QJsonObject content = event("role_changed", {user});
            content.insert(QStringLiteral("role"), role);
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
