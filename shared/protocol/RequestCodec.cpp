// toJson/fromJson of every client request. fromJson is the server's validation of client input.

#include "CodecSpecializations.h"

#include <algorithm>
#include <utility>

#include <QJsonArray>
#include <QJsonValue>

#include "shared/model/Limits.h"
#include "shared/model/Validation.h"
#include "shared/protocol/FieldReader.h"
#include "shared/protocol/MediaFields.h"

using namespace Qt::StringLiterals;

namespace tern::protocol {

namespace {

QJsonObject withoutEmpty(QJsonObject object, const char *key)
{
    if (object.value(QLatin1String(key)).toString().isEmpty())
        object.remove(QLatin1String(key));
    return object;
}

// delivery and read share one shape: message_id(s), or conversation + seq.
template <typename Watermark> QJsonObject watermarkToJson(const Watermark &value, bool singleIdKey)
{
    QJsonObject o;
    if (value.messageIds.isEmpty() || !value.conversation.isEmpty()) {
        o.insert(u"conversation"_s, value.conversation);
        o.insert(u"seq"_s, value.seq);
    }
    if (singleIdKey && value.messageIds.size() == 1)
        o.insert(u"message_id"_s, value.messageIds.first());
    else if (!value.messageIds.isEmpty())
        o.insert(u"message_ids"_s, QJsonArray::fromStringList(value.messageIds));
    return o;
}

template <typename Watermark> Result<Watermark> watermarkFromJson(const QJsonObject &object)
{
    FieldReader r(object);
    Watermark value;
    if (r.has("message_ids")) {
        value.messageIds = r.idList("message_ids");
        r.require(!value.messageIds.isEmpty() || !r.ok(), "message_ids", u"must not be empty"_s);
    }
    if (r.has("message_id"))
        value.messageIds.append(r.opaqueId("message_id"));
    if (value.messageIds.isEmpty() || r.has("conversation"))
        value.conversation = r.opaqueId("conversation");
    if (value.messageIds.isEmpty() || r.has("seq"))
        value.seq = r.integer("seq");
    return r.finish(std::move(value));
}

QJsonObject mediaToJson(QJsonObject object, const std::optional<Media> &media)
{
    if (media)
        object.insert(u"media"_s, toJson(*media));
    return object;
}

//! The rest of an edit, delete or reaction (`to`, `id` and `kind` already read): `ref` is
//! required, `content` is the new text (edit) or the emoji (reaction); media, reply_to,
//! forwarded and mentions are ignored like unknown fields.
Result<SendMessageRequest> changeFromJson(FieldReader &r, SendMessageRequest value)
{
    value.ref = r.integer("ref");
    if (value.kind == MessageKind::Edit) {
        // May be empty: a caption can be removed (the server checks the target's kind).
        value.content = r.string("content");
        if (r.ok() && value.content.toUtf8().size() > limits::kMaxContentBytes)
            r.fail("content", u"is larger than %1 bytes"_s.arg(limits::kMaxContentBytes),
                   ErrorCode::TooLarge);
    } else if (value.kind == MessageKind::Reaction) {
        value.content = r.string("content");
        const QString wrong = r.ok() ? validation::validateReactionEmoji(value.content) : QString();
        r.require(wrong.isEmpty(), "content", wrong);
        value.on = r.optionalBoolean("on", true);
    }
    value.ts = r.optionalInteger("ts");
    return r.finish(std::move(value));
}

} // namespace

template <> QJsonObject toJson<RegisterRequest>(const RegisterRequest &value)
{
    return withoutEmpty({{u"user"_s, value.user},
                         {u"password"_s, value.password},
                         {u"display_name"_s, value.displayName}},
                        "display_name");
}

template <> Result<RegisterRequest> fromJson<RegisterRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    RegisterRequest value;
    value.user = r.string("user");
    if (r.ok() && !validation::isValidUserName(value.user))
        r.fail("user", u"must be "_s +
                           FieldReader::charactersText(limits::kMinUserNameChars,
                                                       limits::kMaxUserNameChars) +
                           u" of a-z, 0-9, '.', '_' and '-'"_s);
    value.password = r.string("password");
    if (r.ok() && !validation::isValidPassword(value.password))
        r.fail("password", u"must be "_s + FieldReader::charactersText(limits::kMinPasswordChars,
                                                                       limits::kMaxPasswordChars));
    if (r.has("display_name"))
        value.displayName = r.displayText("display_name", limits::kMaxDisplayNameChars);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<LoginRequest>(const LoginRequest &value)
{
    return {{u"user"_s, value.user}, {u"password"_s, value.password}, {u"device"_s, value.device}};
}

template <> Result<LoginRequest> fromJson<LoginRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    LoginRequest value;
    // Only the length: a name that cannot exist is a failed login, not a malformed request.
    value.user = r.boundedString("user", limits::kMaxUserNameChars);
    value.password = r.boundedString("password", limits::kMaxPasswordChars);
    value.device = r.displayText("device", limits::kMaxDeviceNameChars);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<AuthRequest>(const AuthRequest &value)
{
    return {{u"token"_s, value.token}};
}

template <> Result<AuthRequest> fromJson<AuthRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    AuthRequest value;
    value.token = r.boundedString("token", limits::kMaxTokenChars);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<LogoutRequest>(const LogoutRequest &)
{
    return {};
}

template <> Result<LogoutRequest> fromJson<LogoutRequest>(const QJsonObject &)
{
    return LogoutRequest{};
}

template <> QJsonObject toJson<CreateGroupRequest>(const CreateGroupRequest &value)
{
    return {{u"name"_s, value.name}, {u"members"_s, QJsonArray::fromStringList(value.members)}};
}

template <> Result<CreateGroupRequest> fromJson<CreateGroupRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    CreateGroupRequest value;
    value.name = r.displayText("name", limits::kMaxGroupNameChars);
    // May be empty: the creator alone is a valid group.
    value.members = r.idList("members");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<AddMembersRequest>(const AddMembersRequest &value)
{
    return {{u"conversation"_s, value.conversation},
            {u"members"_s, QJsonArray::fromStringList(value.members)}};
}

template <> Result<AddMembersRequest> fromJson<AddMembersRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    AddMembersRequest value;
    value.conversation = r.opaqueId("conversation");
    value.members = r.idList("members");
    r.require(!value.members.isEmpty() || !r.ok(), "members", u"must not be empty"_s);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<RemoveMemberRequest>(const RemoveMemberRequest &value)
{
    return {{u"conversation"_s, value.conversation}, {u"user"_s, value.user}};
}

template <> Result<RemoveMemberRequest> fromJson<RemoveMemberRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    RemoveMemberRequest value;
    value.conversation = r.opaqueId("conversation");
    value.user = r.opaqueId("user");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<LeaveRequest>(const LeaveRequest &value)
{
    return {{u"conversation"_s, value.conversation}};
}

template <> Result<LeaveRequest> fromJson<LeaveRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    LeaveRequest value;
    value.conversation = r.opaqueId("conversation");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<RenameRequest>(const RenameRequest &value)
{
    return {{u"conversation"_s, value.conversation}, {u"name"_s, value.name}};
}

template <> Result<RenameRequest> fromJson<RenameRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    RenameRequest value;
    value.conversation = r.opaqueId("conversation");
    value.name = r.displayText("name", limits::kMaxGroupNameChars);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<SetRoleRequest>(const SetRoleRequest &value)
{
    return {{u"conversation"_s, value.conversation},
            {u"user"_s, value.user},
            {u"role"_s, wireName(value.role)}};
}

template <> Result<SetRoleRequest> fromJson<SetRoleRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    SetRoleRequest value;
    value.conversation = r.opaqueId("conversation");
    value.user = r.opaqueId("user");
    const std::optional<Role> role = fromWireName<Role>(r.string("role"));
    r.require(!r.ok() || (role && *role != Role::Owner), "role", u"must be admin or member"_s);
    value.role = role.value_or(Role::Member);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<ConversationsRequest>(const ConversationsRequest &value)
{
    if (value.cursor.isEmpty())
        return {};
    return {{u"cursor"_s, value.cursor}};
}

template <> Result<ConversationsRequest> fromJson<ConversationsRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    ConversationsRequest value;
    if (r.has("cursor"))
        value.cursor = r.boundedString("cursor", limits::kMaxCursorChars);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<HistoryRequest>(const HistoryRequest &value)
{
    QJsonObject o{{u"conversation"_s, value.conversation}, {u"limit"_s, value.limit}};
    if (value.beforeSeq)
        o.insert(u"before_seq"_s, *value.beforeSeq);
    return o;
}

template <> Result<HistoryRequest> fromJson<HistoryRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    HistoryRequest value;
    value.conversation = r.opaqueId("conversation");
    value.beforeSeq = r.optionalInteger("before_seq");
    if (const std::optional<qint64> limit = r.optionalInteger("limit")) {
        r.require(*limit >= 1 || !r.ok(), "limit", u"must be at least 1"_s);
        value.limit = int(std::clamp<qint64>(*limit, 1, limits::kMaxHistoryLimit));
    } else {
        value.limit = limits::kDefaultHistoryLimit;
    }
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<UserSearchRequest>(const UserSearchRequest &value)
{
    return {{u"query"_s, value.query}};
}

template <> Result<UserSearchRequest> fromJson<UserSearchRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    UserSearchRequest value;
    value.query = r.string("query");
    if (r.ok() && value.query.trimmed().isEmpty())
        r.fail("query", u"must not be blank"_s);
    if (r.ok() && validation::characterCount(value.query) > limits::kMaxSearchQueryChars)
        r.fail("query", u"must be at most %1 characters"_s.arg(limits::kMaxSearchQueryChars));
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<SendMessageRequest>(const SendMessageRequest &value)
{
    QJsonObject o = mediaToJson(
        {{u"to"_s, value.to}, {u"kind"_s, wireName(value.kind)}, {u"content"_s, value.content}},
        value.media);
    if (value.ts)
        o.insert(u"ts"_s, *value.ts);
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
    return o;
}

template <> Result<SendMessageRequest> fromJson<SendMessageRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    SendMessageRequest value;
    value.to = r.opaqueId("to");
    const std::optional<MessageKind> kind = fromWireName<MessageKind>(r.string("kind"));
    value.kind = kind.value_or(MessageKind::Unknown);
    const bool text = kind == MessageKind::Text;
    const bool media = kind == MessageKind::Image || kind == MessageKind::File;
    const bool change = kind && isChangeKind(*kind);
    // "system" is the server's own kind; clients may not send it.
    r.require(!r.ok() || text || media || change, "kind",
              u"must be text, image, file, edit, delete or reaction"_s);
    if (!r.ok())
        return r.finish(std::move(value));
    if (change)
        return changeFromJson(r, std::move(value));

    if (text || r.has("content"))
        value.content = r.string("content");
    if (r.ok() && value.content.toUtf8().size() > limits::kMaxContentBytes)
        r.fail("content", u"is larger than %1 bytes"_s.arg(limits::kMaxContentBytes),
               ErrorCode::TooLarge);
    r.require(!r.ok() || !text || !value.content.isEmpty(), "content",
              u"must not be empty in a text message"_s);

    // Text messages carry no media; a "media" there is ignored like an unknown field.
    if (media) {
        const QJsonObject object = r.object("media");
        if (r.ok()) {
            // Only what the contract documents is stored and relayed (issue 15: a relayed
            // "local_path" was opened by the receiving app): fromJson<Media> keeps nothing else.
            value.media = fromJson<Media>(object).value();
            r.require(validation::isValidOpaqueId(value.media->mediaId, limits::kMaxOpaqueIdChars),
                      "media", u"must have a 'media_id' that is "_s + FieldReader::validIdText());
            const QString &thumbnail = value.media->thumbnail;
            if (r.ok() && thumbnail.size() > limits::kMaxThumbnailBase64Chars)
                r.fail("media",
                       u"'thumbnail' is longer than %1 characters (16 KiB of JPEG)"_s.arg(
                           limits::kMaxThumbnailBase64Chars),
                       ErrorCode::TooLarge);
            // A thumbnail declaring a huge picture costs every receiver memory to decode.
            if (r.ok() && !thumbnail.isEmpty()) {
                const auto size = declaredJpegSize(QByteArray::fromBase64(thumbnail.toLatin1()));
                if (size && (size->first > kMaxThumbnailSide || size->second > kMaxThumbnailSide))
                    r.fail("media", u"'thumbnail' declares %1×%2 pixels (at most %3 a side)"_s.arg(
                                        QString::number(size->first), QString::number(size->second),
                                        QString::number(kMaxThumbnailSide)));
            }
        }
    }
    value.ts = r.optionalInteger("ts");
    value.replyTo = r.optionalInteger("reply_to");
    value.forwarded = r.optionalBoolean("forwarded", false);
    if (r.has("mentions")) {
        value.mentions = r.idList("mentions");
        const QString wrong = validation::validateMentions(value.mentions);
        r.require(!r.ok() || wrong.isEmpty(), "mentions", wrong);
    }
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<DeliveryRequest>(const DeliveryRequest &value)
{
    return watermarkToJson(value, true);
}

template <> Result<DeliveryRequest> fromJson<DeliveryRequest>(const QJsonObject &object)
{
    return watermarkFromJson<DeliveryRequest>(object);
}

template <> QJsonObject toJson<ReadRequest>(const ReadRequest &value)
{
    return watermarkToJson(value, false);
}

template <> Result<ReadRequest> fromJson<ReadRequest>(const QJsonObject &object)
{
    return watermarkFromJson<ReadRequest>(object);
}

template <> QJsonObject toJson<ReceiptsRequest>(const ReceiptsRequest &value)
{
    return {{u"conversation"_s, value.conversation}, {u"seq"_s, value.seq}};
}

template <> Result<ReceiptsRequest> fromJson<ReceiptsRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    ReceiptsRequest value;
    value.conversation = r.opaqueId("conversation");
    value.seq = r.integer("seq");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<SyncRequest>(const SyncRequest &)
{
    return {};
}

template <> Result<SyncRequest> fromJson<SyncRequest>(const QJsonObject &)
{
    return SyncRequest{};
}

template <> QJsonObject toJson<HeartbeatRequest>(const HeartbeatRequest &)
{
    return {};
}

template <> Result<HeartbeatRequest> fromJson<HeartbeatRequest>(const QJsonObject &)
{
    return HeartbeatRequest{};
}

template <> QJsonObject toJson<TypingRequest>(const TypingRequest &value)
{
    return {{u"conversation"_s, value.conversation}};
}

template <> Result<TypingRequest> fromJson<TypingRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    TypingRequest value;
    value.conversation = r.opaqueId("conversation");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<PresenceRequest>(const PresenceRequest &value)
{
    return {{u"users"_s, QJsonArray::fromStringList(value.users)}};
}

template <> Result<PresenceRequest> fromJson<PresenceRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    PresenceRequest value;
    value.users = r.idList("users");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<UsersRequest>(const UsersRequest &value)
{
    return {{u"users"_s, QJsonArray::fromStringList(value.users)}};
}

template <> Result<UsersRequest> fromJson<UsersRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    UsersRequest value;
    value.users = r.idList("users");
    // Unlike `presence` (limit_exceeded), more than 500 ids make a malformed `users` request.
    r.require(!r.ok() || value.users.size() <= limits::kMaxPresenceUsers, "users",
              u"must hold at most %1 ids"_s.arg(limits::kMaxPresenceUsers));
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<SetDisplayNameRequest>(const SetDisplayNameRequest &value)
{
    return {{u"display_name"_s, value.displayName}};
}

template <> Result<SetDisplayNameRequest> fromJson<SetDisplayNameRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    SetDisplayNameRequest value;
    // The rules of register's display_name (docs/protocol.md, "Decisions").
    value.displayName = r.displayText("display_name", limits::kMaxDisplayNameChars);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<SearchRequest>(const SearchRequest &value)
{
    QJsonObject o{{u"query"_s, value.query}, {u"limit"_s, value.limit}};
    if (!value.conversation.isEmpty())
        o.insert(u"conversation"_s, value.conversation);
    if (!value.cursor.isEmpty())
        o.insert(u"cursor"_s, value.cursor);
    return o;
}

template <> Result<SearchRequest> fromJson<SearchRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    SearchRequest value;
    value.query = r.string("query");
    if (r.ok() && value.query.trimmed().isEmpty())
        r.fail("query", u"must not be blank"_s);
    if (r.ok() && validation::characterCount(value.query) > limits::kMaxSearchQueryChars)
        r.fail("query", u"must be at most %1 characters"_s.arg(limits::kMaxSearchQueryChars));
    if (r.has("conversation"))
        value.conversation = r.opaqueId("conversation");
    if (r.has("cursor"))
        value.cursor = r.boundedString("cursor", limits::kMaxCursorChars);
    // Checked before narrowing: 2^32 + 5 must not pass as 5.
    const qint64 limit = r.optionalInteger("limit").value_or(limits::kDefaultSearchLimit);
    r.require(!r.ok() || (limit >= 1 && limit <= limits::kMaxSearchLimit), "limit",
              u"must be from 1 to %1"_s.arg(limits::kMaxSearchLimit));
    value.limit = int(std::clamp<qint64>(limit, 1, limits::kMaxSearchLimit));
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<HideRequest>(const HideRequest &value)
{
    return {{u"conversation"_s, value.conversation}, {u"seqs"_s, integerArray(value.seqs)}};
}

template <> Result<HideRequest> fromJson<HideRequest>(const QJsonObject &object)
{
    FieldReader r(object);
    HideRequest value;
    value.conversation = r.opaqueId("conversation");
    value.seqs = r.integerList("seqs", limits::kMaxHideSeqs);
    r.require(!r.ok() || !value.seqs.isEmpty(), "seqs", u"must not be empty"_s);
    return r.finish(std::move(value));
}

} // namespace tern::protocol
