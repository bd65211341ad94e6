#include "Codec.h"

#include <algorithm>
#include <limits>
#include <type_traits>
#include <utility>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include "shared/model/Limits.h"
#include "shared/model/Validation.h"

using namespace Qt::StringLiterals;

namespace tern::protocol {

namespace {

// Server frames nest further than client frames (a media object inside last_message inside a
// conversations ack), and the client trusts its server more; the bound only stops runaways.
constexpr int kMaxServerFrameDepth = 4 * limits::kMaxJsonDepth;

QString safeIntegerText()
{
    return u"must be a whole number from 0 to %1"_s.arg(limits::kMaxSafeInteger);
}

QString charsRange(int min, int max)
{
    return u"%1-%2 characters"_s.arg(min).arg(max);
}

QString invalidIdText()
{
    return u"must be a valid id (%1 without control characters)"_s.arg(
        charsRange(1, limits::kMaxOpaqueIdChars));
}

//! Reads fields of one JSON object strictly. The first failure is kept (with a message naming
//! the field) and later reads still return harmless defaults, so decoders read straight through
//! and call finish() once.
class Reader
{
public:
    explicit Reader(const QJsonObject &object) : m_object(object) {}

    template <typename T>
    Result<T> finish(T value) const
    {
        if (m_error)
            return *m_error;
        return Result<T>(std::move(value));
    }

    bool ok() const { return !m_error.has_value(); }

    void fail(const char *key, const QString &what, ErrorCode code = ErrorCode::BadRequest)
    {
        if (!m_error)
            m_error = makeError(code, u"field '%1' %2"_s.arg(QLatin1String(key), what));
    }

    void require(bool condition, const char *key, const QString &what)
    {
        if (!condition)
            fail(key, what);
    }

    //! Optional fields: absent and null both mean "not given".
    bool has(const char *key) const
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        return !v.isUndefined() && !v.isNull();
    }

    QString string(const char *key)
    {
        const QJsonValue v = required(key);
        if (v.isUndefined())
            return {};
        if (!v.isString()) {
            fail(key, u"must be a string"_s);
            return {};
        }
        return v.toString();
    }

    std::optional<QString> optionalString(const char *key)
    {
        if (!has(key))
            return std::nullopt;
        return string(key);
    }

    //! A non-empty string of at most maxChars characters.
    QString boundedString(const char *key, int maxChars)
    {
        const QString s = string(key);
        if (ok() && (s.isEmpty() || validation::characterCount(s) > maxChars))
            fail(key, u"must be "_s + charsRange(1, maxChars));
        return s;
    }

    QString displayText(const char *key, int maxChars)
    {
        const QString s = string(key);
        if (ok() && !validation::isValidDisplayText(s, maxChars))
            fail(key, u"must be "_s + charsRange(1, maxChars) +
                          u", not blank, without control characters"_s);
        return s;
    }

    QString opaqueId(const char *key)
    {
        const QString s = string(key);
        if (ok() && !validation::isValidOpaqueId(s, limits::kMaxOpaqueIdChars))
            fail(key, invalidIdText());
        return s;
    }

    //! A whole JSON number in 0..2^53. Strings, fractions, negatives, 1e300 and 2^60 all fail.
    qint64 integer(const char *key)
    {
        const QJsonValue v = required(key);
        if (v.isUndefined())
            return 0;
        // toInteger() yields the fallback for fractions and for doubles outside qint64; as the
        // valid range starts at 0, a fallback of -1 cannot pass for a real value.
        const qint64 n = v.isDouble() ? v.toInteger(-1) : -1;
        if (n < 0 || n > limits::kMaxSafeInteger) {
            fail(key, safeIntegerText());
            return 0;
        }
        return n;
    }

    std::optional<qint64> optionalInteger(const char *key)
    {
        if (!has(key))
            return std::nullopt;
        return integer(key);
    }

    bool boolean(const char *key)
    {
        const QJsonValue v = required(key);
        if (v.isUndefined())
            return false;
        if (!v.isBool()) {
            fail(key, u"must be a boolean"_s);
            return false;
        }
        return v.toBool();
    }

    QJsonObject object(const char *key)
    {
        const QJsonValue v = required(key);
        if (v.isUndefined())
            return {};
        if (!v.isObject()) {
            fail(key, u"must be an object"_s);
            return {};
        }
        return v.toObject();
    }

    std::optional<QJsonObject> optionalObject(const char *key)
    {
        if (!has(key))
            return std::nullopt;
        return object(key);
    }

    //! An array of at most kMaxArrayLength entries.
    QJsonArray array(const char *key)
    {
        const QJsonValue v = required(key);
        if (v.isUndefined())
            return {};
        if (!v.isArray()) {
            fail(key, u"must be an array"_s);
            return {};
        }
        QJsonArray a = v.toArray();
        if (a.size() > limits::kMaxArrayLength) {
            fail(key, u"must have at most %1 entries"_s.arg(limits::kMaxArrayLength));
            return {};
        }
        return a;
    }

    QStringList idList(const char *key)
    {
        const QJsonArray a = array(key);
        QStringList ids;
        ids.reserve(a.size());
        for (qsizetype i = 0; i < a.size() && ok(); ++i) {
            const QJsonValue e = a.at(i);
            if (!e.isString() || !validation::isValidOpaqueId(e.toString(),
                                                              limits::kMaxOpaqueIdChars))
                fail(key, u"entry %1 "_s.arg(i) + invalidIdText());
            else
                ids.append(e.toString());
        }
        return ids;
    }

    //! Records a nested object's error as this object's, e.g. "field 'members' entry 2: ...".
    void failNested(const char *key, const QString &where, const Error &inner)
    {
        if (!m_error)
            m_error = makeError(inner.code,
                                u"field '%1'%2: %3"_s.arg(QLatin1String(key), where, inner.message));
    }

private:
    QJsonValue required(const char *key)
    {
        const QJsonValue v = m_object.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) {
            fail(key, u"is required"_s);
            return QJsonValue(QJsonValue::Undefined);
        }
        return v;
    }

    const QJsonObject &m_object;
    std::optional<Error> m_error;
};

bool isValidUtf8(const QByteArray &bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.constData());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        const unsigned char b = p[i];
        if (b < 0x80) {
            ++i;
            continue;
        }
        int length = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if ((b & 0xe0) == 0xc0) {
            length = 2;
            cp = b & 0x1f;
            min = 0x80;
        } else if ((b & 0xf0) == 0xe0) {
            length = 3;
            cp = b & 0x0f;
            min = 0x800;
        } else if ((b & 0xf8) == 0xf0) {
            length = 4;
            cp = b & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        if (n - i < length)
            return false;
        for (int k = 1; k < length; ++k) {
            const unsigned char c = p[i + k];
            if ((c & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (c & 0x3f);
        }
        // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += length;
    }
    return true;
}

//! UTF-8 check, nesting bound, then the JSON parser; any failure is bad_frame.
Result<QJsonObject> parseFrameObject(const QByteArray &utf8, int maxDepth)
{
    if (!isValidUtf8(utf8))
        return makeError(ErrorCode::BadFrame, u"frame is not valid UTF-8"_s);
    if (jsonNestingDepth(utf8) > maxDepth)
        return makeError(ErrorCode::BadFrame, u"JSON nesting is deeper than %1"_s.arg(maxDepth));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(utf8, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError(ErrorCode::BadFrame, u"frame is not valid JSON (%1 at offset %2)"_s.arg(
                                                  parseError.errorString())
                                                  .arg(parseError.offset));
    if (!doc.isObject())
        return makeError(ErrorCode::BadFrame, u"frame is not a JSON object"_s);
    return doc.object();
}

std::optional<QString> usableRequestId(const QJsonObject &object)
{
    const QJsonValue v = object.value("id"_L1);
    if (v.isString() && validation::isValidOpaqueId(v.toString(), limits::kMaxRequestIdChars))
        return v.toString();
    return std::nullopt;
}

QString shortened(const QString &text)
{
    constexpr qsizetype kMax = 64;
    return text.size() <= kMax ? text : text.left(kMax) + u"..."_s;
}

QJsonObject withoutEmpty(QJsonObject object, const char *key)
{
    if (object.value(QLatin1String(key)).toString().isEmpty())
        object.remove(QLatin1String(key));
    return object;
}

// delivery and read share one shape: message_id(s), or conversation + seq.
template <typename Watermark>
QJsonObject watermarkToJson(const Watermark &value, bool singleIdKey)
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

template <typename Watermark>
Result<Watermark> watermarkFromJson(const QJsonObject &object)
{
    Reader r(object);
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

QJsonObject mediaToJson(QJsonObject object, const std::optional<QJsonObject> &media)
{
    if (media)
        object.insert(u"media"_s, *media);
    return object;
}

} // namespace

// ---- Requests ----------------------------------------------------------------------------

template <>
QJsonObject toJson<RegisterRequest>(const RegisterRequest &value)
{
    return withoutEmpty({{u"user"_s, value.user},
                         {u"password"_s, value.password},
                         {u"display_name"_s, value.displayName}},
                        "display_name");
}

template <>
Result<RegisterRequest> fromJson<RegisterRequest>(const QJsonObject &object)
{
    Reader r(object);
    RegisterRequest value;
    value.user = r.string("user");
    if (r.ok() && !validation::isValidUserName(value.user))
        r.fail("user", u"must be "_s +
                           charsRange(limits::kMinUserNameChars, limits::kMaxUserNameChars) +
                           u" of a-z, 0-9, '.', '_' and '-'"_s);
    value.password = r.string("password");
    if (r.ok() && !validation::isValidPassword(value.password))
        r.fail("password", u"must be "_s + charsRange(limits::kMinPasswordChars,
                                                       limits::kMaxPasswordChars));
    if (r.has("display_name"))
        value.displayName = r.displayText("display_name", limits::kMaxDisplayNameChars);
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<LoginRequest>(const LoginRequest &value)
{
    return {{u"user"_s, value.user},
            {u"password"_s, value.password},
            {u"device"_s, value.device}};
}

template <>
Result<LoginRequest> fromJson<LoginRequest>(const QJsonObject &object)
{
    Reader r(object);
    LoginRequest value;
    // Only the length: a name that cannot exist is a failed login, not a malformed request.
    value.user = r.boundedString("user", limits::kMaxUserNameChars);
    value.password = r.boundedString("password", limits::kMaxPasswordChars);
    value.device = r.displayText("device", limits::kMaxDeviceNameChars);
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<AuthRequest>(const AuthRequest &value)
{
    return {{u"token"_s, value.token}};
}

template <>
Result<AuthRequest> fromJson<AuthRequest>(const QJsonObject &object)
{
    Reader r(object);
    AuthRequest value;
    value.token = r.boundedString("token", limits::kMaxTokenChars);
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<LogoutRequest>(const LogoutRequest &)
{
    return {};
}

template <>
Result<LogoutRequest> fromJson<LogoutRequest>(const QJsonObject &)
{
    return LogoutRequest{};
}

template <>
QJsonObject toJson<CreateGroupRequest>(const CreateGroupRequest &value)
{
    return {{u"name"_s, value.name}, {u"members"_s, QJsonArray::fromStringList(value.members)}};
}

template <>
Result<CreateGroupRequest> fromJson<CreateGroupRequest>(const QJsonObject &object)
{
    Reader r(object);
    CreateGroupRequest value;
    value.name = r.displayText("name", limits::kMaxGroupNameChars);
    // May be empty: the creator alone is a valid group.
    value.members = r.idList("members");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<AddMembersRequest>(const AddMembersRequest &value)
{
    return {{u"conversation"_s, value.conversation},
            {u"members"_s, QJsonArray::fromStringList(value.members)}};
}

template <>
Result<AddMembersRequest> fromJson<AddMembersRequest>(const QJsonObject &object)
{
    Reader r(object);
    AddMembersRequest value;
    value.conversation = r.opaqueId("conversation");
    value.members = r.idList("members");
    r.require(!value.members.isEmpty() || !r.ok(), "members", u"must not be empty"_s);
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<RemoveMemberRequest>(const RemoveMemberRequest &value)
{
    return {{u"conversation"_s, value.conversation}, {u"user"_s, value.user}};
}

template <>
Result<RemoveMemberRequest> fromJson<RemoveMemberRequest>(const QJsonObject &object)
{
    Reader r(object);
    RemoveMemberRequest value;
    value.conversation = r.opaqueId("conversation");
    value.user = r.opaqueId("user");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<LeaveRequest>(const LeaveRequest &value)
{
    return {{u"conversation"_s, value.conversation}};
}

template <>
Result<LeaveRequest> fromJson<LeaveRequest>(const QJsonObject &object)
{
    Reader r(object);
    LeaveRequest value;
    value.conversation = r.opaqueId("conversation");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<RenameRequest>(const RenameRequest &value)
{
    return {{u"conversation"_s, value.conversation}, {u"name"_s, value.name}};
}

template <>
Result<RenameRequest> fromJson<RenameRequest>(const QJsonObject &object)
{
    Reader r(object);
    RenameRequest value;
    value.conversation = r.opaqueId("conversation");
    value.name = r.displayText("name", limits::kMaxGroupNameChars);
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<SetRoleRequest>(const SetRoleRequest &value)
{
    return {{u"conversation"_s, value.conversation},
            {u"user"_s, value.user},
            {u"role"_s, value.role}};
}

template <>
Result<SetRoleRequest> fromJson<SetRoleRequest>(const QJsonObject &object)
{
    Reader r(object);
    SetRoleRequest value;
    value.conversation = r.opaqueId("conversation");
    value.user = r.opaqueId("user");
    value.role = r.string("role");
    r.require(!r.ok() || value.role == "admin"_L1 || value.role == "member"_L1, "role",
              u"must be admin or member"_s);
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<ConversationsRequest>(const ConversationsRequest &)
{
    return {};
}

template <>
Result<ConversationsRequest> fromJson<ConversationsRequest>(const QJsonObject &)
{
    return ConversationsRequest{};
}

template <>
QJsonObject toJson<HistoryRequest>(const HistoryRequest &value)
{
    QJsonObject o{{u"conversation"_s, value.conversation}, {u"limit"_s, value.limit}};
    if (value.beforeSeq)
        o.insert(u"before_seq"_s, *value.beforeSeq);
    return o;
}

template <>
Result<HistoryRequest> fromJson<HistoryRequest>(const QJsonObject &object)
{
    Reader r(object);
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

template <>
QJsonObject toJson<UserSearchRequest>(const UserSearchRequest &value)
{
    return {{u"query"_s, value.query}};
}

template <>
Result<UserSearchRequest> fromJson<UserSearchRequest>(const QJsonObject &object)
{
    Reader r(object);
    UserSearchRequest value;
    value.query = r.string("query");
    if (r.ok() && value.query.trimmed().isEmpty())
        r.fail("query", u"must not be blank"_s);
    if (r.ok() && validation::characterCount(value.query) > limits::kMaxSearchQueryChars)
        r.fail("query", u"must be at most %1 characters"_s.arg(limits::kMaxSearchQueryChars));
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<SendMessageRequest>(const SendMessageRequest &value)
{
    QJsonObject o = mediaToJson(
        {{u"to"_s, value.to}, {u"kind"_s, value.kind}, {u"content"_s, value.content}},
        value.media);
    if (value.ts)
        o.insert(u"ts"_s, *value.ts);
    return o;
}

template <>
Result<SendMessageRequest> fromJson<SendMessageRequest>(const QJsonObject &object)
{
    Reader r(object);
    SendMessageRequest value;
    value.to = r.opaqueId("to");
    value.kind = r.string("kind");
    const bool text = value.kind == "text"_L1;
    const bool media = value.kind == "image"_L1 || value.kind == "file"_L1;
    // "system" is the server's own kind; clients may not send it.
    r.require(!r.ok() || text || media, "kind", u"must be text, image or file"_s);
    if (!r.ok())
        return r.finish(std::move(value));

    if (text || r.has("content"))
        value.content = r.string("content");
    if (r.ok() && value.content.toUtf8().size() > limits::kMaxContentBytes)
        r.fail("content", u"is larger than %1 bytes"_s.arg(limits::kMaxContentBytes),
               ErrorCode::TooLarge);
    r.require(!r.ok() || !text || !value.content.isEmpty(), "content",
              u"must not be empty in a text message"_s);

    // Text messages carry no media; a "media" there is ignored like an unknown field.
    if (media) {
        value.media = r.object("media");
        if (r.ok()) {
            const QJsonValue mediaId = value.media->value("media_id"_L1);
            r.require(mediaId.isString() && validation::isValidOpaqueId(
                                                mediaId.toString(), limits::kMaxOpaqueIdChars),
                      "media.media_id", invalidIdText());
        }
    }
    value.ts = r.optionalInteger("ts");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<DeliveryRequest>(const DeliveryRequest &value)
{
    return watermarkToJson(value, true);
}

template <>
Result<DeliveryRequest> fromJson<DeliveryRequest>(const QJsonObject &object)
{
    return watermarkFromJson<DeliveryRequest>(object);
}

template <>
QJsonObject toJson<ReadRequest>(const ReadRequest &value)
{
    return watermarkToJson(value, false);
}

template <>
Result<ReadRequest> fromJson<ReadRequest>(const QJsonObject &object)
{
    return watermarkFromJson<ReadRequest>(object);
}

template <>
QJsonObject toJson<ReceiptsRequest>(const ReceiptsRequest &value)
{
    return {{u"conversation"_s, value.conversation}, {u"seq"_s, value.seq}};
}

template <>
Result<ReceiptsRequest> fromJson<ReceiptsRequest>(const QJsonObject &object)
{
    Reader r(object);
    ReceiptsRequest value;
    value.conversation = r.opaqueId("conversation");
    value.seq = r.integer("seq");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<SyncRequest>(const SyncRequest &)
{
    return {};
}

template <>
Result<SyncRequest> fromJson<SyncRequest>(const QJsonObject &)
{
    return SyncRequest{};
}

template <>
QJsonObject toJson<HeartbeatRequest>(const HeartbeatRequest &)
{
    return {};
}

template <>
Result<HeartbeatRequest> fromJson<HeartbeatRequest>(const QJsonObject &)
{
    return HeartbeatRequest{};
}

template <>
QJsonObject toJson<TypingRequest>(const TypingRequest &value)
{
    return {{u"conversation"_s, value.conversation}};
}

template <>
Result<TypingRequest> fromJson<TypingRequest>(const QJsonObject &object)
{
    Reader r(object);
    TypingRequest value;
    value.conversation = r.opaqueId("conversation");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<PresenceRequest>(const PresenceRequest &value)
{
    return {{u"users"_s, QJsonArray::fromStringList(value.users)}};
}

template <>
Result<PresenceRequest> fromJson<PresenceRequest>(const QJsonObject &object)
{
    Reader r(object);
    PresenceRequest value;
    value.users = r.idList("users");
    return r.finish(std::move(value));
}

// ---- Events and reply payloads -----------------------------------------------------------
// Decoded on the client: strict about types, lenient about content (new kinds and statuses
// pass through for the app to judge).

template <>
QJsonObject toJson<MessageEvent>(const MessageEvent &value)
{
    return mediaToJson({{u"id"_s, value.id},
                        {u"conversation"_s, value.conversation},
                        {u"seq"_s, value.seq},
                        {u"from"_s, value.from},
                        {u"from_device"_s, value.fromDevice},
                        {u"to"_s, value.to},
                        {u"kind"_s, value.kind},
                        {u"content"_s, value.content},
                        {u"ts"_s, value.ts},
                        {u"server_ts"_s, value.serverTs}},
                       value.media);
}

template <>
Result<MessageEvent> fromJson<MessageEvent>(const QJsonObject &object)
{
    Reader r(object);
    MessageEvent value;
    value.id = r.string("id");
    value.conversation = r.string("conversation");
    value.seq = r.integer("seq");
    value.from = r.string("from");
    // System messages need no device, recipient or content.
    value.fromDevice = r.optionalString("from_device").value_or(QString());
    value.to = r.optionalString("to").value_or(QString());
    value.kind = r.string("kind");
    value.content = r.optionalString("content").value_or(QString());
    value.media = r.optionalObject("media");
    value.ts = r.integer("ts");
    value.serverTs = r.integer("server_ts");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<ReceiptEvent>(const ReceiptEvent &value)
{
    return {{u"conversation"_s, value.conversation},
            {u"user"_s, value.user},
            {u"status"_s, value.status},
            {u"seq"_s, value.seq},
            {u"ts"_s, value.ts}};
}

template <>
Result<ReceiptEvent> fromJson<ReceiptEvent>(const QJsonObject &object)
{
    Reader r(object);
    ReceiptEvent value;
    value.conversation = r.string("conversation");
    value.user = r.string("user");
    value.status = r.string("status");
    value.seq = r.integer("seq");
    value.ts = r.integer("ts");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<PresenceEvent>(const PresenceEvent &value)
{
    QJsonObject o{{u"user_id"_s, value.userId}, {u"status"_s, value.status}};
    if (value.lastSeen)
        o.insert(u"last_seen"_s, *value.lastSeen);
    return o;
}

template <>
Result<PresenceEvent> fromJson<PresenceEvent>(const QJsonObject &object)
{
    Reader r(object);
    PresenceEvent value;
    value.userId = r.string("user_id");
    value.status = r.string("status");
    value.lastSeen = r.optionalInteger("last_seen");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<TypingEvent>(const TypingEvent &value)
{
    return {{u"conversation"_s, value.conversation}, {u"user_id"_s, value.userId}};
}

template <>
Result<TypingEvent> fromJson<TypingEvent>(const QJsonObject &object)
{
    Reader r(object);
    TypingEvent value;
    value.conversation = r.string("conversation");
    value.userId = r.string("user_id");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<MemberInfo>(const MemberInfo &value)
{
    return {{u"user_id"_s, value.userId}, {u"role"_s, value.role}};
}

template <>
Result<MemberInfo> fromJson<MemberInfo>(const QJsonObject &object)
{
    Reader r(object);
    MemberInfo value;
    value.userId = r.string("user_id");
    value.role = r.string("role");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<ConversationSummary>(const ConversationSummary &value)
{
    QJsonArray members;
    for (const MemberInfo &member : value.members)
        members.append(toJson(member));
    QJsonObject o{{u"conversation"_s, value.conversation},
                  {u"kind"_s, value.kind},
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

template <>
Result<ConversationSummary> fromJson<ConversationSummary>(const QJsonObject &object)
{
    Reader r(object);
    ConversationSummary value;
    value.conversation = r.string("conversation");
    value.kind = r.string("kind");
    value.name = r.string("name");
    const QJsonArray members = r.array("members");
    for (qsizetype i = 0; i < members.size() && r.ok(); ++i) {
        const QJsonValue entry = members.at(i);
        Result<MemberInfo> member = entry.isObject()
                                        ? fromJson<MemberInfo>(entry.toObject())
                                        : Result<MemberInfo>(makeError(
                                              ErrorCode::BadRequest, u"must be an object"_s));
        if (member)
            value.members.append(std::move(member).value());
        else
            r.failNested("members", u" entry %1"_s.arg(i), member.error());
    }
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

template <>
QJsonObject toJson<UserInfo>(const UserInfo &value)
{
    return {{u"user_id"_s, value.userId},
            {u"user"_s, value.user},
            {u"display_name"_s, value.displayName}};
}

template <>
Result<UserInfo> fromJson<UserInfo>(const QJsonObject &object)
{
    Reader r(object);
    UserInfo value;
    value.userId = r.string("user_id");
    value.user = r.string("user");
    value.displayName = r.string("display_name");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<MemberReceipt>(const MemberReceipt &value)
{
    return {{u"user_id"_s, value.userId},
            {u"delivered"_s, value.delivered},
            {u"read"_s, value.read},
            {u"delivered_seq"_s, value.deliveredSeq},
            {u"read_seq"_s, value.readSeq}};
}

template <>
Result<MemberReceipt> fromJson<MemberReceipt>(const QJsonObject &object)
{
    Reader r(object);
    MemberReceipt value;
    value.userId = r.string("user_id");
    value.delivered = r.boolean("delivered");
    value.read = r.boolean("read");
    value.deliveredSeq = r.integer("delivered_seq");
    value.readSeq = r.integer("read_seq");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<ErrorEvent>(const ErrorEvent &value)
{
    QJsonObject o{{u"code"_s, value.code}, {u"message"_s, value.message}};
    if (value.id)
        o.insert(u"id"_s, *value.id);
    return o;
}

template <>
Result<ErrorEvent> fromJson<ErrorEvent>(const QJsonObject &object)
{
    Reader r(object);
    ErrorEvent value;
    value.id = r.optionalString("id");
    value.code = r.string("code");
    value.message = r.string("message");
    return r.finish(std::move(value));
}

template <>
QJsonObject toJson<AckEvent>(const AckEvent &value)
{
    QJsonObject o = value.fields;
    o.remove(u"type"_s);
    o.insert(u"id"_s, value.id);
    return o;
}

template <>
Result<AckEvent> fromJson<AckEvent>(const QJsonObject &object)
{
    Reader r(object);
    AckEvent value;
    value.id = r.string("id");
    value.fields = object;
    value.fields.remove(u"type"_s);
    value.fields.remove(u"id"_s);
    return r.finish(std::move(value));
}

// ---- Frames -------------------------------------------------------------------------------

namespace {

template <typename Variant>
using BodyDecoder = Result<Variant> (*)(const QJsonObject &);

template <typename Variant, typename T>
Result<Variant> decodeAs(const QJsonObject &object)
{
    Result<T> decoded = fromJson<T>(object);
    if (!decoded)
        return decoded.error();
    return Result<Variant>(Variant(std::move(decoded).value()));
}

//! The decoder of the alternative of Variant whose kType is `type`, or nullptr. Built from the
//! variant itself, so a type added to the variant is decodable without touching a table.
template <typename Variant, std::size_t... I>
BodyDecoder<Variant> decoderFor(const QString &type, std::index_sequence<I...>)
{
    BodyDecoder<Variant> found = nullptr;
    auto match = [&]<typename T>(std::type_identity<T>) {
        if (!found && type == QLatin1String(T::kType))
            found = &decodeAs<Variant, T>;
    };
    (match(std::type_identity<std::variant_alternative_t<I, Variant>>{}), ...);
    return found;
}

template <typename Variant>
BodyDecoder<Variant> decoderFor(const QString &type)
{
    return decoderFor<Variant>(type, std::make_index_sequence<std::variant_size_v<Variant>>{});
}

bool isNotification(const QString &type)
{
    return type == QLatin1String(HeartbeatRequest::kType) ||
           type == QLatin1String(TypingRequest::kType) ||
           type == QLatin1String(DeliveryRequest::kType) ||
           type == QLatin1String(ReadRequest::kType);
}

DecodeResult decodeFailure(ErrorCode code, QString message, std::optional<QString> id = {})
{
    DecodeResult result;
    result.error = makeError(code, std::move(message));
    result.id = std::move(id);
    return result;
}

} // namespace

int jsonNestingDepth(const QByteArray &utf8)
{
    qsizetype depth = 0;
    qsizetype deepest = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : utf8) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            deepest = std::max(deepest, ++depth);
            break;
        case ']':
        case '}':
            // Stray closers must not hide openers that follow them.
            depth = std::max<qsizetype>(depth - 1, 0);
            break;
        default:
            break;
        }
    }
    return int(std::min<qsizetype>(deepest, std::numeric_limits<int>::max()));
}

DecodeResult decodeRequest(const QByteArray &utf8)
{
    if (utf8.size() > limits::kMaxFrameBytes) {
        std::optional<QString> id;
        if (utf8.size() <= limits::kMaxTolerableFrameBytes) {
            const Result<QJsonObject> object = parseFrameObject(utf8, limits::kMaxJsonDepth);
            if (object)
                id = usableRequestId(*object);
        }
        return decodeFailure(ErrorCode::TooLarge,
                             u"frame is larger than %1 bytes"_s.arg(limits::kMaxFrameBytes), id);
    }

    const Result<QJsonObject> parsed = parseFrameObject(utf8, limits::kMaxJsonDepth);
    if (!parsed)
        return decodeFailure(parsed.error().code, parsed.error().message);
    const QJsonObject &object = *parsed;
    const std::optional<QString> id = usableRequestId(object);

    const QJsonValue typeValue = object.value("type"_L1);
    if (typeValue.isUndefined())
        return decodeFailure(ErrorCode::BadRequest, u"field 'type' is required"_s, id);
    if (!typeValue.isString())
        return decodeFailure(ErrorCode::BadRequest, u"field 'type' must be a string"_s, id);
    const QString type = typeValue.toString();

    if (object.contains("id"_L1) && !id)
        return decodeFailure(ErrorCode::BadRequest,
                             u"field 'id' must be a string of "_s +
                                 charsRange(1, limits::kMaxRequestIdChars) +
                                 u" without control characters"_s);

    const BodyDecoder<RequestBody> decode = decoderFor<RequestBody>(type);
    if (!decode)
        return decodeFailure(ErrorCode::UnknownType, u"unknown type '%1'"_s.arg(shortened(type)),
                             id);
    if (!id && !isNotification(type))
        return decodeFailure(ErrorCode::BadRequest, u"field 'id' is required"_s);

    Result<RequestBody> body = decode(object);
    if (!body)
        return decodeFailure(body.error().code, body.error().message, id);

    DecodeResult result;
    result.id = id;
    result.request = Request{id, std::move(body).value()};
    return result;
}

QJsonObject encodeRequest(const Request &request)
{
    QJsonObject object = std::visit(
        [](const auto &body) {
            QJsonObject o = toJson(body);
            o.insert(u"type"_s, QString::fromLatin1(std::decay_t<decltype(body)>::kType));
            return o;
        },
        request.body);
    if (request.id)
        object.insert(u"id"_s, *request.id);
    return object;
}

Result<ServerFrame> decodeServerFrame(const QByteArray &utf8)
{
    const Result<QJsonObject> parsed = parseFrameObject(utf8, kMaxServerFrameDepth);
    if (!parsed)
        return parsed.error();
    const QJsonValue type = parsed->value("type"_L1);
    if (!type.isString())
        return makeError(ErrorCode::BadRequest, type.isUndefined()
                                                    ? u"field 'type' is required"_s
                                                    : u"field 'type' must be a string"_s);
    const BodyDecoder<ServerFrame> decode = decoderFor<ServerFrame>(type.toString());
    if (!decode)
        return makeError(ErrorCode::UnknownType,
                         u"unknown type '%1'"_s.arg(shortened(type.toString())));
    return decode(*parsed);
}

QByteArray serialize(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray encodeAck(const QString &id, const QJsonObject &fields)
{
    return encodeEvent(AckEvent{id, fields});
}

QByteArray encodeError(const std::optional<QString> &id, const Error &error)
{
    return encodeEvent(ErrorEvent{id, errorCodeName(error.code), error.message});
}

} // namespace tern::protocol
