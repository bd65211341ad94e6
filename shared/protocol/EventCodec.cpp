// toJson/fromJson of every server event and reply payload. fromJson runs on the client: strict
// about types, lenient about content (new kinds and statuses pass through for the app to judge).

#include "CodecSpecializations.h"

#include <utility>

#include <QJsonArray>
#include <QJsonValue>

#include "shared/protocol/FieldReader.h"

using namespace Qt::StringLiterals;

namespace tern::protocol {

namespace {

QJsonObject mediaToJson(QJsonObject object, const std::optional<Media> &media)
{
    if (media)
        object.insert(u"media"_s, toJson(*media));
    return object;
}

//! A required enum field: its wire name, or a failure naming the field and the names allowed.
template <typename E> E enumField(FieldReader &r, const char *key, E fallback, const QString &names)
{
    const QString name = r.string(key);
    const std::optional<E> value = fromWireName<E>(name);
    r.require(value.has_value() || !r.ok(), key, u"must be "_s + names);
    return value.value_or(fallback);
}

} // namespace

// Decoded on the client: strict about types, lenient about content (new kinds and statuses
// pass through for the app to judge).

template <> QJsonObject toJson<MessageEvent>(const MessageEvent &value)
{
    QJsonObject o = mediaToJson({{u"id"_s, value.id},
                                 {u"conversation"_s, value.conversation},
                                 {u"seq"_s, value.seq},
                                 {u"from"_s, value.from},
                                 {u"from_device"_s, value.fromDevice},
                                 {u"to"_s, value.to},
                                 {u"kind"_s, value.kindWireName()},
                                 {u"content"_s, value.content},
                                 {u"ts"_s, value.ts},
                                 {u"server_ts"_s, value.serverTs}},
                                value.media);
    insertMessageExtras(o, value);
    return o;
}

template <> Result<MessageEvent> fromJson<MessageEvent>(const QJsonObject &object)
{
    FieldReader r(object);
    MessageEvent value;
    value.id = r.string("id");
    value.conversation = r.string("conversation");
    value.seq = r.integer("seq");
    value.from = r.string("from");
    // System messages need no device, recipient or content.
    value.fromDevice = r.optionalString("from_device").value_or(QString());
    value.to = r.optionalString("to").value_or(QString());
    // Lenient: a kind this build does not know is kept by name for a newer build to show.
    const QString kind = r.string("kind");
    value.kind = fromWireName<MessageKind>(kind).value_or(MessageKind::Unknown);
    if (value.kind == MessageKind::Unknown)
        value.kindName = kind;
    value.content = r.optionalString("content").value_or(QString());
    // Device state a hostile or old peer put in the object never reaches the app.
    if (const std::optional<QJsonObject> media = r.optionalObject("media"))
        value.media = fromJson<Media>(*media).value();
    value.ts = r.integer("ts");
    value.serverTs = r.integer("server_ts");
    value.replyTo = r.optionalInteger("reply_to");
    value.forwarded = r.optionalBoolean("forwarded", false);
    if (r.has("mentions"))
        value.mentions = r.idList("mentions");
    value.ref = r.optionalInteger("ref");
    value.on = r.optionalBoolean("on", true);
    value.editedTs = r.optionalInteger("edited_ts");
    value.deleted = r.optionalBoolean("deleted", false);
    if (r.has("reactions"))
        value.reactions = r.objects<Reaction>("reactions", limits::kMaxArrayLength);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<Reaction>(const Reaction &value)
{
    return {{u"emoji"_s, value.emoji}, {u"users"_s, QJsonArray::fromStringList(value.users)}};
}

template <> Result<Reaction> fromJson<Reaction>(const QJsonObject &object)
{
    FieldReader r(object);
    Reaction value;
    value.emoji = r.string("emoji");
    value.users = r.idList("users");
    return r.finish(std::move(value));
}

void insertMessageExtras(QJsonObject &o, const MessageEvent &value)
{
    if (value.replyTo)
        o.insert(u"reply_to"_s, *value.replyTo);
    if (value.forwarded)
        o.insert(u"forwarded"_s, true);
    if (!value.mentions.isEmpty())
        o.insert(u"mentions"_s, QJsonArray::fromStringList(value.mentions));
    if (value.ref)
        o.insert(u"ref"_s, *value.ref);
    if (value.kind == MessageKind::Reaction)
        o.insert(u"on"_s, value.on);
    if (value.editedTs)
        o.insert(u"edited_ts"_s, *value.editedTs);
    if (value.deleted)
        o.insert(u"deleted"_s, true);
    if (!value.reactions.isEmpty()) {
        QJsonArray reactions;
        for (const Reaction &reaction : value.reactions)
            reactions.append(toJson(reaction));
        o.insert(u"reactions"_s, reactions);
    }
}

template <> QJsonObject toJson<ReceiptEvent>(const ReceiptEvent &value)
{
    return {{u"conversation"_s, value.conversation},
            {u"user"_s, value.user},
            {u"status"_s, wireName(value.status)},
            {u"seq"_s, value.seq},
            {u"ts"_s, value.ts}};
}

template <> Result<ReceiptEvent> fromJson<ReceiptEvent>(const QJsonObject &object)
{
    FieldReader r(object);
    ReceiptEvent value;
    value.conversation = r.string("conversation");
    value.user = r.string("user");
    // A status this build does not know counts as the weaker one (delivered), as it always did:
    // a newer server's receipt still moves the delivery tick.
    value.status =
        fromWireName<ReceiptStatus>(r.string("status")).value_or(ReceiptStatus::Delivered);
    value.seq = r.integer("seq");
    value.ts = r.integer("ts");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<PresenceEvent>(const PresenceEvent &value)
{
    QJsonObject o{{u"user_id"_s, value.userId}, {u"status"_s, wireName(value.status)}};
    if (value.lastSeen)
        o.insert(u"last_seen"_s, *value.lastSeen);
    return o;
}

template <> Result<PresenceEvent> fromJson<PresenceEvent>(const QJsonObject &object)
{
    FieldReader r(object);
    PresenceEvent value;
    value.userId = r.string("user_id");
    // Any status but "online" (a newer server's "away") shows as not online, as it always did.
    value.status =
        fromWireName<PresenceStatus>(r.string("status")).value_or(PresenceStatus::Offline);
    value.lastSeen = r.optionalInteger("last_seen");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<TypingEvent>(const TypingEvent &value)
{
    return {{u"conversation"_s, value.conversation}, {u"user_id"_s, value.userId}};
}

template <> Result<TypingEvent> fromJson<TypingEvent>(const QJsonObject &object)
{
    FieldReader r(object);
    TypingEvent value;
    value.conversation = r.string("conversation");
    value.userId = r.string("user_id");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<UserUpdatedEvent>(const UserUpdatedEvent &value)
{
    return {{u"user_id"_s, value.userId}, {u"display_name"_s, value.displayName}};
}

template <> Result<UserUpdatedEvent> fromJson<UserUpdatedEvent>(const QJsonObject &object)
{
    FieldReader r(object);
    UserUpdatedEvent value;
    value.userId = r.string("user_id");
    value.displayName = r.string("display_name");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<HiddenEvent>(const HiddenEvent &value)
{
    return {{u"conversation"_s, value.conversation}, {u"seqs"_s, integerArray(value.seqs)}};
}

template <> Result<HiddenEvent> fromJson<HiddenEvent>(const QJsonObject &object)
{
    FieldReader r(object);
    HiddenEvent value;
    value.conversation = r.string("conversation");
    // The server sends at most kMaxHideSeqs per event (docs/protocol.md "hide"): a longer
    // list is refused, not read into memory.
    value.seqs = r.integerList("seqs", limits::kMaxHideSeqs);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<SearchHit>(const SearchHit &value)
{
    return {{u"conversation"_s, value.conversation},
            {u"seq"_s, value.seq},
            {u"id"_s, value.id},
            {u"from"_s, value.from},
            {u"server_ts"_s, value.serverTs},
            {u"snippet"_s, value.snippet}};
}

template <> Result<SearchHit> fromJson<SearchHit>(const QJsonObject &object)
{
    FieldReader r(object);
    SearchHit value;
    value.conversation = r.string("conversation");
    value.seq = r.integer("seq");
    value.id = r.string("id");
    value.from = r.string("from");
    value.serverTs = r.integer("server_ts");
    value.snippet = r.string("snippet");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<MemberInfo>(const MemberInfo &value)
{
    return {{u"user_id"_s, value.userId}, {u"role"_s, wireName(value.role)}};
}

template <> Result<MemberInfo> fromJson<MemberInfo>(const QJsonObject &object)
{
    FieldReader r(object);
    MemberInfo value;
    value.userId = r.string("user_id");
    value.role = enumField(r, "role", Role::Member, u"owner, admin or member"_s);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<ConversationSummary>(const ConversationSummary &value)
{
    QJsonArray members;
    for (const MemberInfo &member : value.members)
        members.append(toJson(member));
    QJsonObject o{{u"conversation"_s, value.conversation},
                  {u"kind"_s, wireName(value.kind)},
                  {u"name"_s, value.name},
                  {u"members"_s, members},
                  {u"last_seq"_s, value.lastSeq},
                  {u"unread"_s, value.unread},
                  {u"read_seq"_s, value.readSeq}};
    if (value.lastMessage) {
        QJsonObject last = toJson(*value.lastMessage);
        last.insert(u"type"_s, QString::fromLatin1(MessageEvent::kType));
        o.insert(u"last_message"_s, last);
    }
    return o;
}

template <> Result<ConversationSummary> fromJson<ConversationSummary>(const QJsonObject &object)
{
    FieldReader r(object);
    ConversationSummary value;
    value.conversation = r.string("conversation");
    value.kind = enumField(r, "kind", ConversationKind::Direct, u"direct or group"_s);
    value.name = r.string("name");
    // Not the client arrays' bound: the server sets a group's size (--group-member-limit may be
    // up to 100,000), and a count here would make every page holding a big group unreadable.
    // The incoming message's size bounds it, as it bounds the lists of replies.
    value.members = r.objects<MemberInfo>("members", FieldReader::kUnbounded);
    value.lastSeq = r.integer("last_seq");
    if (const std::optional<QJsonObject> last = r.optionalObject("last_message")) {
        Result<MessageEvent> message = fromJson<MessageEvent>(*last);
        if (message)
            value.lastMessage = std::move(message).value();
        else
            r.failNested("last_message", QString(), message.error());
    }
    value.unread = r.integer("unread");
    value.readSeq = r.integer("read_seq");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<UserInfo>(const UserInfo &value)
{
    return {{u"user_id"_s, value.userId},
            {u"user"_s, value.user},
            {u"display_name"_s, value.displayName}};
}

template <> Result<UserInfo> fromJson<UserInfo>(const QJsonObject &object)
{
    FieldReader r(object);
    UserInfo value;
    value.userId = r.string("user_id");
    value.user = r.string("user");
    value.displayName = r.string("display_name");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<MemberReceipt>(const MemberReceipt &value)
{
    return {{u"user_id"_s, value.userId},
            {u"delivered"_s, value.delivered},
            {u"read"_s, value.read},
            {u"delivered_seq"_s, value.deliveredSeq},
            {u"read_seq"_s, value.readSeq}};
}

template <> Result<MemberReceipt> fromJson<MemberReceipt>(const QJsonObject &object)
{
    FieldReader r(object);
    MemberReceipt value;
    value.userId = r.string("user_id");
    value.delivered = r.boolean("delivered");
    value.read = r.boolean("read");
    value.deliveredSeq = r.integer("delivered_seq");
    value.readSeq = r.integer("read_seq");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<ErrorEvent>(const ErrorEvent &value)
{
    QJsonObject o{{u"code"_s, value.code}, {u"message"_s, value.message}};
    if (value.id)
        o.insert(u"id"_s, *value.id);
    return o;
}

template <> Result<ErrorEvent> fromJson<ErrorEvent>(const QJsonObject &object)
{
    FieldReader r(object);
    ErrorEvent value;
    value.id = r.optionalString("id");
    value.code = r.string("code");
    value.message = r.string("message");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<AckEvent>(const AckEvent &value)
{
    QJsonObject o = value.fields;
    o.remove(u"type"_s);
    o.insert(u"id"_s, value.id);
    return o;
}

template <> Result<AckEvent> fromJson<AckEvent>(const QJsonObject &object)
{
    FieldReader r(object);
    AckEvent value;
    value.id = r.string("id");
    value.fields = object;
    value.fields.remove(u"type"_s);
    value.fields.remove(u"id"_s);
    return r.finish(std::move(value));
}

} // namespace tern::protocol
