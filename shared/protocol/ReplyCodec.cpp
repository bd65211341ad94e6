// toJson/fromJson of every reply (the payload of an ack), and the send ack's direct encoder.
// fromJson runs on the client: strict about types, as the events are.

#include "CodecSpecializations.h"

#include <utility>

#include <QJsonArray>
#include <QJsonValue>

#include "shared/protocol/FieldReader.h"
#include "shared/protocol/JsonWriter.h"

using namespace Qt::StringLiterals;

namespace tern::protocol {

namespace {

template <typename T> QJsonArray arrayOf(const QList<T> &items)
{
    QJsonArray array;
    for (const T &item : items)
        array.append(toJson(item));
    return array;
}

//! History and last_message entries carry the fields of a `message` event, "type" included.
QJsonArray messagesOf(const QList<MessageEvent> &messages)
{
    QJsonArray array;
    for (const MessageEvent &m : messages) {
        QJsonObject object = toJson(m);
        object.insert(u"type"_s, QString::fromLatin1(MessageEvent::kType));
        array.append(object);
    }
    return array;
}

// Reply lists are read with FieldReader::kUnbounded: the server bounds its own pages (history,
// conversations, search), and a receipts or presence answer lists every member of a group,
// however large, so a client-side count would refuse honest answers. What bounds them is the
// size of the incoming message (the client's frame limit).
constexpr qsizetype kServerBounded = FieldReader::kUnbounded;

} // namespace

template <> QJsonObject toJson<EmptyReply>(const EmptyReply &)
{
    return {};
}

template <> Result<EmptyReply> fromJson<EmptyReply>(const QJsonObject &)
{
    return EmptyReply{}; // unknown fields are ignored
}

template <> QJsonObject toJson<RegisterReply>(const RegisterReply &value)
{
    return {{u"user_id"_s, value.userId}};
}

template <> Result<RegisterReply> fromJson<RegisterReply>(const QJsonObject &object)
{
    FieldReader r(object);
    RegisterReply value;
    value.userId = r.string("user_id");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<LoginReply>(const LoginReply &value)
{
    return {
        {u"token"_s, value.token}, {u"user_id"_s, value.userId}, {u"device_id"_s, value.deviceId}};
}

template <> Result<LoginReply> fromJson<LoginReply>(const QJsonObject &object)
{
    FieldReader r(object);
    LoginReply value;
    value.token = r.string("token");
    value.userId = r.string("user_id");
    value.deviceId = r.string("device_id");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<AuthReply>(const AuthReply &value)
{
    return {{u"user_id"_s, value.userId}, {u"device_id"_s, value.deviceId}};
}

template <> Result<AuthReply> fromJson<AuthReply>(const QJsonObject &object)
{
    FieldReader r(object);
    AuthReply value;
    value.userId = r.string("user_id");
    value.deviceId = r.string("device_id");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<SetDisplayNameReply>(const SetDisplayNameReply &value)
{
    return {{u"display_name"_s, value.displayName}};
}

template <> Result<SetDisplayNameReply> fromJson<SetDisplayNameReply>(const QJsonObject &object)
{
    FieldReader r(object);
    SetDisplayNameReply value;
    value.displayName = r.string("display_name");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<CreateGroupReply>(const CreateGroupReply &value)
{
    return {{u"conversation"_s, value.conversation}};
}

template <> Result<CreateGroupReply> fromJson<CreateGroupReply>(const QJsonObject &object)
{
    FieldReader r(object);
    CreateGroupReply value;
    value.conversation = r.string("conversation");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<ConversationsPage>(const ConversationsPage &value)
{
    QJsonObject o{{u"conversations"_s, arrayOf(value.conversations)}};
    if (value.nextCursor)
        o.insert(u"next_cursor"_s, *value.nextCursor);
    return o;
}

template <> Result<ConversationsPage> fromJson<ConversationsPage>(const QJsonObject &object)
{
    FieldReader r(object);
    ConversationsPage value;
    value.conversations = r.objects<ConversationSummary>("conversations", kServerBounded);
    value.nextCursor = r.optionalString("next_cursor");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<HistoryPage>(const HistoryPage &value)
{
    QJsonObject o{{u"messages"_s, messagesOf(value.messages)}};
    if (value.nextBeforeSeq)
        o.insert(u"next_before_seq"_s, *value.nextBeforeSeq);
    return o;
}

template <> Result<HistoryPage> fromJson<HistoryPage>(const QJsonObject &object)
{
    FieldReader r(object);
    HistoryPage value;
    value.messages = r.objects<MessageEvent>("messages", kServerBounded);
    value.nextBeforeSeq = r.optionalInteger("next_before_seq");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<SyncReply>(const SyncReply &value)
{
    return {{u"complete"_s, value.complete}};
}

template <> Result<SyncReply> fromJson<SyncReply>(const QJsonObject &object)
{
    FieldReader r(object);
    SyncReply value;
    value.complete = r.boolean("complete");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<UserSearchReply>(const UserSearchReply &value)
{
    return {{u"users"_s, arrayOf(value.users)}};
}

template <> Result<UserSearchReply> fromJson<UserSearchReply>(const QJsonObject &object)
{
    FieldReader r(object);
    UserSearchReply value;
    value.users = r.objects<UserInfo>("users", kServerBounded);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<UsersReply>(const UsersReply &value)
{
    return {{u"users"_s, arrayOf(value.users)}};
}

template <> Result<UsersReply> fromJson<UsersReply>(const QJsonObject &object)
{
    FieldReader r(object);
    UsersReply value;
    value.users = r.objects<UserInfo>("users", kServerBounded);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<PresenceReply>(const PresenceReply &value)
{
    return {{u"users"_s, arrayOf(value.users)}};
}

template <> Result<PresenceReply> fromJson<PresenceReply>(const QJsonObject &object)
{
    FieldReader r(object);
    PresenceReply value;
    value.users = r.objects<PresenceEvent>("users", kServerBounded);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<ReceiptsReply>(const ReceiptsReply &value)
{
    return {{u"members"_s, arrayOf(value.members)}};
}

template <> Result<ReceiptsReply> fromJson<ReceiptsReply>(const QJsonObject &object)
{
    FieldReader r(object);
    ReceiptsReply value;
    value.members = r.objects<MemberReceipt>("members", kServerBounded);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<SendAck>(const SendAck &value)
{
    return {{u"status"_s, value.status},
            {u"conversation"_s, value.conversation},
            {u"seq"_s, value.seq},
            {u"server_ts"_s, value.serverTs}};
}

template <> Result<SendAck> fromJson<SendAck>(const QJsonObject &object)
{
    FieldReader r(object);
    SendAck value;
    value.status = r.string("status");
    value.conversation = r.string("conversation");
    value.seq = r.integer("seq");
    value.serverTs = r.integer("server_ts");
    return r.finish(std::move(value));
}

template <> QByteArray encodeReply<SendAck>(const QString &id, const SendAck &ack)
{
    return JsonWriter(160)
        .field("type", QLatin1StringView(AckEvent::kType))
        .field("id", id)
        .field("status", ack.status)
        .field("conversation", ack.conversation)
        .field("seq", ack.seq)
        .field("server_ts", ack.serverTs)
        .take();
}

template <> QJsonObject toJson<SearchReply>(const SearchReply &value)
{
    QJsonObject o{{u"hits"_s, arrayOf(value.hits)}};
    if (!value.nextCursor.isEmpty())
        o.insert(u"next_cursor"_s, value.nextCursor);
    return o;
}

template <> Result<SearchReply> fromJson<SearchReply>(const QJsonObject &object)
{
    FieldReader r(object);
    SearchReply value;
    value.hits = r.objects<SearchHit>("hits", kServerBounded);
    value.nextCursor = r.optionalString("next_cursor").value_or(QString());
    return r.finish(std::move(value));
}

} // namespace tern::protocol
