// Wire codec: round trips of every type and hostile client frames.

#include <functional>
#include <tuple>
#include <variant>

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>
#include <QStringDecoder>
#include <QTest>

#include "shared/model/Limits.h"
#include "shared/protocol/Codec.h"
#include "shared/protocol/HttpAnswers.h"

using namespace Qt::StringLiterals;
using namespace tern;
using namespace tern::protocol;

// The wire structs define no equality; the tests compare every field.
namespace tern::protocol {
auto fields(const RegisterRequest &v)
{
    return std::tie(v.user, v.password, v.displayName);
}
auto fields(const LoginRequest &v)
{
    return std::tie(v.user, v.password, v.device);
}
auto fields(const AuthRequest &v)
{
    return std::tie(v.token);
}
auto fields(const LogoutRequest &)
{
    return std::tie();
}
auto fields(const CreateGroupRequest &v)
{
    return std::tie(v.name, v.members);
}
auto fields(const AddMembersRequest &v)
{
    return std::tie(v.conversation, v.members);
}
auto fields(const RemoveMemberRequest &v)
{
    return std::tie(v.conversation, v.user);
}
auto fields(const LeaveRequest &v)
{
    return std::tie(v.conversation);
}
auto fields(const RenameRequest &v)
{
    return std::tie(v.conversation, v.name);
}
auto fields(const SetRoleRequest &v)
{
    return std::tie(v.conversation, v.user, v.role);
}
auto fields(const ConversationsRequest &)
{
    return std::tie();
}
auto fields(const HistoryRequest &v)
{
    return std::tie(v.conversation, v.beforeSeq, v.limit);
}
auto fields(const UserSearchRequest &v)
{
    return std::tie(v.query);
}
auto fields(const SendMessageRequest &v)
{
    return std::tie(v.to, v.kind, v.content, v.media, v.ts);
}
auto fields(const DeliveryRequest &v)
{
    return std::tie(v.conversation, v.seq, v.messageIds);
}
auto fields(const ReadRequest &v)
{
    return std::tie(v.conversation, v.seq, v.messageIds);
}
auto fields(const ReceiptsRequest &v)
{
    return std::tie(v.conversation, v.seq);
}
auto fields(const SyncRequest &)
{
    return std::tie();
}
auto fields(const HeartbeatRequest &)
{
    return std::tie();
}
auto fields(const TypingRequest &v)
{
    return std::tie(v.conversation);
}
auto fields(const PresenceRequest &v)
{
    return std::tie(v.users);
}
auto fields(const UsersRequest &v)
{
    return std::tie(v.users);
}
auto fields(const SetDisplayNameRequest &v)
{
    return std::tie(v.displayName);
}
auto fields(const SearchRequest &v)
{
    return std::tie(v.query, v.conversation, v.cursor, v.limit);
}
auto fields(const HideRequest &v)
{
    return std::tie(v.conversation, v.seqs);
}
auto fields(const HiddenEvent &v)
{
    return std::tie(v.conversation, v.seqs);
}
auto fields(const SearchHit &v)
{
    return std::tie(v.conversation, v.seq, v.id, v.from, v.serverTs, v.snippet);
}
auto fields(const SearchReply &v)
{
    return std::tie(v.hits, v.nextCursor);
}
auto fields(const UserUpdatedEvent &v)
{
    return std::tie(v.userId, v.displayName);
}
auto fields(const MessageEvent &v)
{
    return std::tie(v.id, v.conversation, v.seq, v.from, v.fromDevice, v.to, v.kind, v.kindName,
                    v.content, v.media, v.ts, v.serverTs);
}
auto fields(const ReceiptEvent &v)
{
    return std::tie(v.conversation, v.user, v.status, v.seq, v.ts);
}
auto fields(const PresenceEvent &v)
{
    return std::tie(v.userId, v.status, v.lastSeen);
}
auto fields(const TypingEvent &v)
{
    return std::tie(v.conversation, v.userId);
}
auto fields(const MemberInfo &v)
{
    return std::tie(v.userId, v.role);
}
auto fields(const ConversationSummary &v)
{
    return std::tie(v.conversation, v.kind, v.name, v.members, v.lastSeq, v.lastMessage, v.unread,
                    v.readSeq);
}
auto fields(const UserInfo &v)
{
    return std::tie(v.userId, v.user, v.displayName);
}
auto fields(const MemberReceipt &v)
{
    return std::tie(v.userId, v.delivered, v.read, v.deliveredSeq, v.readSeq);
}
auto fields(const ErrorEvent &v)
{
    return std::tie(v.id, v.code, v.message);
}
auto fields(const AckEvent &v)
{
    return std::tie(v.id, v.fields);
}
auto fields(const EmptyReply &)
{
    return std::tie();
}
auto fields(const RegisterReply &v)
{
    return std::tie(v.userId);
}
auto fields(const LoginReply &v)
{
    return std::tie(v.token, v.userId, v.deviceId);
}
auto fields(const AuthReply &v)
{
    return std::tie(v.userId, v.deviceId);
}
auto fields(const SetDisplayNameReply &v)
{
    return std::tie(v.displayName);
}
auto fields(const CreateGroupReply &v)
{
    return std::tie(v.conversation);
}
auto fields(const ConversationsPage &v)
{
    return std::tie(v.conversations, v.nextCursor);
}
auto fields(const HistoryPage &v)
{
    return std::tie(v.messages, v.nextBeforeSeq);
}
auto fields(const SyncReply &v)
{
    return std::tie(v.complete);
}
auto fields(const UserSearchReply &v)
{
    return std::tie(v.users);
}
auto fields(const UsersReply &v)
{
    return std::tie(v.users);
}
auto fields(const PresenceReply &v)
{
    return std::tie(v.users);
}
auto fields(const ReceiptsReply &v)
{
    return std::tie(v.members);
}
auto fields(const SendAck &v)
{
    return std::tie(v.conversation, v.seq, v.serverTs, v.status);
}
auto fields(const HealthAnswer &v)
{
    return std::tie(v.status, v.version);
}
auto fields(const StoredMedia &v)
{
    return std::tie(v.mediaId, v.name, v.mime, v.size, v.sha256);
}
auto fields(const UploadCreatedAnswer &v)
{
    return std::tie(v.media, v.offset);
}
auto fields(const UploadOffsetAnswer &v)
{
    return std::tie(v.offset);
}
auto fields(const UploadStateAnswer &v)
{
    return std::tie(v.offset, v.size, v.complete);
}
auto fields(const HttpErrorAnswer &v)
{
    return std::tie(v.code, v.message, v.offset, v.limit, v.quota);
}

template <typename T>
requires requires(const T &v)
{
    fields(v);
}
bool operator==(const T &a, const T &b)
{
    return fields(a) == fields(b);
}
} // namespace tern::protocol

namespace {

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray text(const QJsonObject &o)
{
    return serialize(o);
}

#define COMPARE_JSON(actual, expected)                                                             \
    do {                                                                                           \
        const QJsonObject a_ = (actual);                                                           \
        const QJsonObject e_ = (expected);                                                         \
        QVERIFY2(a_ == e_, "actual " + text(a_) + "\n   expected " + text(e_));                    \
    } while (false)

template <typename T, typename Variant> struct IsAlternative;
template <typename T, typename... Ts>
struct IsAlternative<T, std::variant<Ts...>> : std::bool_constant<(std::is_same_v<T, Ts> || ...)>
{
};

// Every request names a reply type that the codec (and this test) knows.
template <typename Variant> struct RepliesKnown;
template <typename... Requests>
struct RepliesKnown<std::variant<Requests...>>
    : std::bool_constant<(IsAlternative<typename Requests::Reply, AnyReply>::value && ...)>
{
};
static_assert(RepliesKnown<RequestBody>::value, "a request's Reply is missing from AnyReply");

template <typename T> void checkRoundTrip(const QJsonObject &wire)
{
    const Result<T> decoded = fromJson<T>(wire);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    COMPARE_JSON(toJson(*decoded), wire);

    const Result<T> again = fromJson<T>(toJson(*decoded));
    QVERIFY(again.ok());
    QVERIFY(*again == *decoded);

    if constexpr (IsAlternative<T, RequestBody>::value) {
        const Request request{u"rt-1"_s, *decoded};
        const QJsonObject frame = encodeRequest(request);
        QCOMPARE(frame.value("type"_L1).toString(), QString::fromLatin1(T::kType));
        QCOMPARE(frame.value("id"_L1).toString(), u"rt-1"_s);
        const DecodeResult result = decodeRequest(serialize(frame));
        QVERIFY2(result.ok(), qPrintable(result.error.message));
        QCOMPARE(result.id.value_or(u"<none>"_s), u"rt-1"_s);
        QCOMPARE(result.request->id.value_or(u"<none>"_s), u"rt-1"_s);
        QVERIFY(std::holds_alternative<T>(result.request->body));
        QVERIFY(std::get<T>(result.request->body) == *decoded);
    }
    if constexpr (IsAlternative<T, ServerFrame>::value) {
        const QByteArray frame = encodeEvent(*decoded);
        QCOMPARE(object(frame).value("type"_L1).toString(), QString::fromLatin1(T::kType));
        const Result<ServerFrame> result = decodeServerFrame(frame);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
        QVERIFY(std::holds_alternative<T>(*result));
        QVERIFY(std::get<T>(*result) == *decoded);
    }
    if constexpr (IsAlternative<T, AnyReply>::value) {
        // As the server sends it (encodeReply) and the client reads it (an AckEvent's fields).
        const QByteArray frame = encodeReply(u"r-9"_s, *decoded);
        // The same JSON as the generic ack; the same bytes too, but for the send ack's own writer.
        COMPARE_JSON(object(frame), object(encodeAck(u"r-9"_s, wire)));
        if constexpr (!std::is_same_v<T, SendAck>)
            QCOMPARE(frame, encodeAck(u"r-9"_s, wire));
        const Result<ServerFrame> result = decodeServerFrame(frame);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
        QVERIFY(std::holds_alternative<AckEvent>(*result));
        const AckEvent &ack = std::get<AckEvent>(*result);
        QCOMPARE(ack.id, u"r-9"_s);
        const Result<T> read = fromJson<T>(ack.fields);
        QVERIFY(read.ok());
        QVERIFY(*read == *decoded);
    }
    if constexpr (IsAlternative<T, AnyHttpAnswer>::value) {
        // As the server writes the body and the app reads it.
        const QByteArray body = encodeHttpAnswer(*decoded);
        QCOMPARE(body, serialize(wire));
        const Result<T> read = decodeHttpAnswer<T>(body);
        QVERIFY2(read.ok(), qPrintable(read.ok() ? QString() : read.error().message));
        QVERIFY(*read == *decoded);
    }
}

using Checker = void (*)(const QJsonObject &);
struct TypeEntry
{
    const char *name;
    Checker check;
};

#define TERN_TYPE(T)                                                                               \
    TypeEntry                                                                                      \
    {                                                                                              \
#T, &checkRoundTrip < T>                                                                   \
    }
const TypeEntry kTypes[] = {
    TERN_TYPE(RegisterRequest),
    TERN_TYPE(LoginRequest),
    TERN_TYPE(AuthRequest),
    TERN_TYPE(LogoutRequest),
    TERN_TYPE(CreateGroupRequest),
    TERN_TYPE(AddMembersRequest),
    TERN_TYPE(RemoveMemberRequest),
    TERN_TYPE(LeaveRequest),
    TERN_TYPE(RenameRequest),
    TERN_TYPE(SetRoleRequest),
    TERN_TYPE(ConversationsRequest),
    TERN_TYPE(HistoryRequest),
    TERN_TYPE(UserSearchRequest),
    TERN_TYPE(SendMessageRequest),
    TERN_TYPE(DeliveryRequest),
    TERN_TYPE(ReadRequest),
    TERN_TYPE(ReceiptsRequest),
    TERN_TYPE(SyncRequest),
    TERN_TYPE(HeartbeatRequest),
    TERN_TYPE(TypingRequest),
    TERN_TYPE(PresenceRequest),
    TERN_TYPE(UsersRequest),
    TERN_TYPE(SetDisplayNameRequest),
    TERN_TYPE(SearchRequest),
    TERN_TYPE(HideRequest),
    TERN_TYPE(HiddenEvent),
    TERN_TYPE(SearchHit),
    TERN_TYPE(MessageEvent),
    TERN_TYPE(ReceiptEvent),
    TERN_TYPE(PresenceEvent),
    TERN_TYPE(TypingEvent),
    TERN_TYPE(UserUpdatedEvent),
    TERN_TYPE(MemberInfo),
    TERN_TYPE(ConversationSummary),
    TERN_TYPE(UserInfo),
    TERN_TYPE(MemberReceipt),
    TERN_TYPE(ErrorEvent),
    TERN_TYPE(AckEvent),
    TERN_TYPE(Media),
    TERN_TYPE(GroupEvent),
    TERN_TYPE(EmptyReply),
    TERN_TYPE(RegisterReply),
    TERN_TYPE(LoginReply),
    TERN_TYPE(AuthReply),
    TERN_TYPE(SetDisplayNameReply),
    TERN_TYPE(CreateGroupReply),
    TERN_TYPE(ConversationsPage),
    TERN_TYPE(HistoryPage),
    TERN_TYPE(SyncReply),
    TERN_TYPE(UserSearchReply),
    TERN_TYPE(UsersReply),
    TERN_TYPE(PresenceReply),
    TERN_TYPE(ReceiptsReply),
    TERN_TYPE(SendAck),
    TERN_TYPE(SearchReply),
    TERN_TYPE(HealthAnswer),
    TERN_TYPE(StoredMedia),
    TERN_TYPE(UploadCreatedAnswer),
    TERN_TYPE(UploadOffsetAnswer),
    TERN_TYPE(UploadStateAnswer),
    TERN_TYPE(HttpErrorAnswer),
};
#undef TERN_TYPE

struct Row
{
    const char *type;
    QByteArray json;
};

const QByteArray kMessageJson =
    R"({"id":"uuid-123","conversation":"c1","seq":42,"from":"u1","from_device":"d1","to":"u2",)"
    R"("kind":"text","content":"Hello!","ts":1705312200000,"server_ts":1705312201000})";

QList<Row> roundTripRows()
{
    return {
        {"RegisterRequest", R"({"user":"alice","password":"correct horse","display_name":"Al"})"},
        {"RegisterRequest", R"({"user":"bob_1.x-y","password":"12345678"})"},
        {"RegisterRequest", R"({"user":"zoe","password":"pässwörd🔑","display_name":"Zoë 🌸"})"},
        {"LoginRequest", R"({"user":"alice","password":"correct horse","device":"laptop"})"},
        {"LoginRequest", R"({"user":"Not A Valid Name!","password":"x","device":"phone"})"},
        {"AuthRequest", R"({"token":"abc-DEF_123"})"},
        {"LogoutRequest", "{}"},
        {"CreateGroupRequest", R"({"name":"Friends 🎉","members":["u1","u2"]})"},
        {"CreateGroupRequest", R"({"name":"Solo","members":[]})"},
        {"AddMembersRequest", R"({"conversation":"c1","members":["u3","u4"]})"},
        {"RemoveMemberRequest", R"({"conversation":"c1","user":"u3"})"},
        {"LeaveRequest", R"({"conversation":"c1"})"},
        {"RenameRequest", R"({"conversation":"c1","name":"New name"})"},
        {"SetRoleRequest", R"({"conversation":"c1","user":"u2","role":"admin"})"},
        {"SetRoleRequest", R"({"conversation":"c1","user":"u2","role":"member"})"},
        {"ConversationsRequest", "{}"},
        {"HistoryRequest", R"({"conversation":"c1","before_seq":42,"limit":20})"},
        {"HistoryRequest", R"({"conversation":"c1","limit":50})"},
        {"HistoryRequest", R"({"conversation":"c1","before_seq":0,"limit":200})"},
        {"HistoryRequest", R"({"conversation":"c1","before_seq":9007199254740992,"limit":1})"},
        {"UserSearchRequest", R"({"query":"ali"})"},
        {"SendMessageRequest",
         R"({"to":"u2","kind":"text","content":"Hello!","ts":1705312200000})"},
        {"SendMessageRequest", R"({"to":"c1","kind":"text","content":"no ts"})"},
        {"SendMessageRequest",
         R"({"to":"c1","kind":"image","content":"","media":{"media_id":"m1","name":"cat.jpg",)"
         R"("mime":"image/jpeg","size":1234,"sha256":"ab12","thumbnail":"/9j/"},"ts":0})"},
        {"SendMessageRequest",
         R"({"to":"c1","kind":"file","content":"the report","media":{"media_id":"m2"}})"},
        {"SendMessageRequest",
         R"({"to":"c1","kind":"text","content":"hi <@u2>","reply_to":7,"forwarded":true,)"
         R"("mentions":["u2","u3"]})"},
        {"SendMessageRequest", R"({"to":"c1","kind":"edit","content":"fixed","ref":7,"ts":3})"},
        {"SendMessageRequest", R"({"to":"c1","kind":"edit","content":"","ref":7})"},
        {"SendMessageRequest", R"({"to":"c1","kind":"delete","content":"","ref":7})"},
        {"SendMessageRequest", R"({"to":"c1","kind":"reaction","content":"👍","ref":7,"on":true})"},
        {"SendMessageRequest",
         R"({"to":"c1","kind":"reaction","content":"👨‍👩‍👧","ref":9,"on":false})"},
        {"DeliveryRequest", R"({"conversation":"c1","seq":42})"},
        {"DeliveryRequest", R"({"message_id":"uuid-123"})"},
        {"DeliveryRequest", R"({"message_ids":["a","b"]})"},
        {"ReadRequest", R"({"conversation":"c1","seq":42})"},
        {"ReadRequest", R"({"message_ids":["uuid-123"]})"},
        {"ReadRequest", R"({"message_ids":["a","b"],"conversation":"c1","seq":3})"},
        {"ReceiptsRequest", R"({"conversation":"c1","seq":42})"},
        {"SyncRequest", "{}"},
        {"HeartbeatRequest", "{}"},
        {"TypingRequest", R"({"conversation":"c1"})"},
        {"PresenceRequest", R"({"users":["u1","u2"]})"},
        {"PresenceRequest", R"({"users":[]})"},
        {"UsersRequest", R"({"users":["u1","u2"]})"},
        {"UsersRequest", R"({"users":[]})"},
        {"SetDisplayNameRequest", R"({"display_name":"Alice Smith 🌸"})"},
        {"SearchRequest", R"({"query":"cat pictures","limit":20})"},
        {"SearchRequest", R"({"query":"\"x* OR y","conversation":"c1","cursor":"o1","limit":50})"},
        {"HideRequest", R"({"conversation":"c1","seqs":[3,9007199254740992]})"},
        {"HiddenEvent", R"({"conversation":"c1","seqs":[3,4]})"},
        {"SearchHit", R"({"conversation":"c1","seq":4,"id":"m4","from":"u1","server_ts":7,)"
                      R"("snippet":"a \u0002cat\u0003 here"})"},
        {"MessageEvent", kMessageJson},
        {"MessageEvent",
         R"({"id":"m-9","conversation":"c1","seq":9007199254740992,"from":"u1",)"
         R"("from_device":"d1","to":"c1","kind":"image","content":"","media":{"media_id":"m1"},)"
         R"("ts":0,"server_ts":1})"},
        {"MessageEvent",
         R"({"id":"s-1","conversation":"c1","seq":1,"from":"u1","from_device":"","to":"",)"
         "\"kind\":\"system\",\"content\":\"{\\\"event\\\":\\\"created\\\",\\\"by\\\":\\\"u1\\\"}"
         "\","
         R"("ts":5,)"
         R"("server_ts":5})"},
        {"MessageEvent",
         R"({"id":"m-2","conversation":"c1","seq":5,"from":"u1","from_device":"d1","to":"c1",)"
         R"("kind":"text","content":"hi <@u2>","ts":1,"server_ts":2,"reply_to":3,)"
         R"("forwarded":true,"mentions":["u2"],"edited_ts":9,)"
         R"("reactions":[{"emoji":"👍","users":["u2","u1"]},{"emoji":"🎉","users":["u3"]}]})"},
        {"MessageEvent",
         R"({"id":"m-3","conversation":"c1","seq":6,"from":"u1","from_device":"d1","to":"c1",)"
         R"("kind":"image","content":"","ts":1,"server_ts":2,"deleted":true})"},
        {"MessageEvent",
         R"({"id":"e-1","conversation":"c1","seq":7,"from":"u1","from_device":"d1","to":"c1",)"
         R"("kind":"edit","content":"fixed","ts":1,"server_ts":2,"ref":5,"edited_ts":2})"},
        {"MessageEvent",
         R"({"id":"r-1","conversation":"c1","seq":8,"from":"u2","from_device":"d2","to":"c1",)"
         R"("kind":"reaction","content":"👍","ts":1,"server_ts":2,"ref":5,"on":false})"},
        {"ReceiptEvent",
         R"({"conversation":"c1","user":"u2","status":"read","seq":42,"ts":1705312201000})"},
        {"PresenceEvent", R"({"user_id":"u1","status":"online"})"},
        {"PresenceEvent", R"({"user_id":"u1","status":"offline","last_seen":1705312201000})"},
        {"TypingEvent", R"({"conversation":"c1","user_id":"u1"})"},
        {"UserUpdatedEvent", R"({"user_id":"u1","display_name":"Alice Smith"})"},
        {"MemberInfo", R"({"user_id":"u1","role":"owner"})"},
        {"ConversationSummary",
         R"({"conversation":"c1","kind":"group","name":"Friends","members":[{"user_id":"u1",)"
         R"("role":"owner"},{"user_id":"u2","role":"member"}],"last_seq":42,"last_message":)" +
             kMessageJson.chopped(1) + R"(,"type":"message"},"unread":3,"read_seq":39})"},
        {"ConversationSummary",
         R"({"conversation":"c2","kind":"direct","name":"Bob","members":[],"last_seq":0,)"
         R"("unread":0,"read_seq":0})"},
        {"UserInfo", R"({"user_id":"u1","user":"alice","display_name":"Alice"})"},
        {"MemberReceipt",
         R"({"user_id":"u2","delivered":true,"read":false,"delivered_seq":42,"read_seq":40})"},
        {"ErrorEvent", R"({"id":"r1","code":"not_found","message":"no such conversation"})"},
        {"ErrorEvent", R"({"code":"bad_frame","message":"frame is not a JSON object"})"},
        {"AckEvent",
         R"({"id":"r1","status":"sent","conversation":"c1","seq":42,"server_ts":1705312201000})"},
        {"AckEvent", R"({"id":"s1","complete":true})"},
        {"AckEvent", R"({"id":"x"})"},
        {"MessageEvent",
         R"({"id":"p-1","conversation":"c1","seq":3,"from":"u1","from_device":"d1","to":"c1",)"
         R"("kind":"poll","content":"{}","ts":1,"server_ts":2})"},
        {"Media", R"({"media_id":"m1","name":"cat.jpg","mime":"image/jpeg","size":1234,)"
                  R"("sha256":"ab12","thumbnail":"/9j/","width":640,"height":480})"},
        {"Media", R"({"media_id":"m2"})"},
        {"Media", "{}"},
        {"GroupEvent", R"({"event":"created","by":"u1","users":["u2","u3"],"name":"Team"})"},
        {"GroupEvent", R"({"event":"member_added","by":"u1","users":["u4"]})"},
        {"GroupEvent", R"({"event":"member_removed","by":"u1","users":["u4"]})"},
        {"GroupEvent", R"({"event":"member_left","by":"u2","users":["u2"]})"},
        {"GroupEvent", R"({"event":"renamed","by":"u1","name":"New 🎉"})"},
        {"GroupEvent", R"({"event":"role_changed","by":"u1","users":["u2"],"role":"admin"})"},
        {"GroupEvent", R"({"event":"role_changed","by":"u1","users":["u3"],"role":"owner"})"},
        {"EmptyReply", "{}"},
        {"RegisterReply", R"({"user_id":"u1"})"},
        {"LoginReply", R"({"token":"t0k-EN_1","user_id":"u1","device_id":"d1"})"},
        {"AuthReply", R"({"user_id":"u1","device_id":"d1"})"},
        {"SetDisplayNameReply", R"({"display_name":"Alice Smith 🌸"})"},
        {"CreateGroupReply", R"({"conversation":"c9"})"},
        {"ConversationsPage",
         R"({"conversations":[{"conversation":"c2","kind":"direct","name":"Bob","members":[],)"
         R"("last_seq":0,"unread":0,"read_seq":0}],"next_cursor":"opaque=="})"},
        {"ConversationsPage", R"({"conversations":[]})"},
        {"HistoryPage", R"({"messages":[)" + kMessageJson.chopped(1) +
                            R"(,"type":"message"}],"next_before_seq":42})"},
        {"HistoryPage", R"({"messages":[]})"},
        {"SyncReply", R"({"complete":true})"},
        {"SyncReply", R"({"complete":false})"},
        {"UserSearchReply",
         R"({"users":[{"user_id":"u1","user":"alice","display_name":"Alice"}]})"},
        {"UsersReply", R"({"users":[]})"},
        {"UsersReply", R"({"users":[{"user_id":"u1","user":"alice","display_name":"Alice"}]})"},
        {"PresenceReply", R"({"users":[{"user_id":"u1","status":"online"},)"
                          R"({"user_id":"u2","status":"offline","last_seen":5}]})"},
        {"ReceiptsReply",
         R"({"members":[{"user_id":"u2","delivered":true,"read":false,"delivered_seq":42,)"
         R"("read_seq":40}]})"},
        {"SendAck", R"({"status":"sent","conversation":"c1","seq":42,"server_ts":1705312201000})"},
        {"SearchReply", R"({"hits":[]})"},
        {"SearchReply", R"({"hits":[{"conversation":"c1","seq":4,"id":"m4","from":"u1",)"
                        R"("server_ts":7,"snippet":"\u0002cat\u0003"}],"next_cursor":"abc"})"},
        {"HealthAnswer", R"({"status":"ok","version":"0.9.1"})"},
        {"HealthAnswer", R"({"status":"ok","version":""})"},
        {"StoredMedia", R"({"media_id":"0123456789abcdef0123456789abcdef","name":"cat.jpg",)"
                        R"("mime":"image/jpeg","size":1234,"sha256":")" +
                            QByteArray(64, 'a') + R"("})"},
        {"UploadCreatedAnswer",
         R"({"media_id":"0123456789abcdef0123456789abcdef","name":"file","offset":0,)"
         R"("mime":"application/octet-stream","size":9007199254740992,"sha256":")" +
             QByteArray(64, 'f') + R"("})"},
        {"UploadOffsetAnswer", R"({"offset":0})"},
        {"UploadOffsetAnswer", R"({"offset":4194304})"},
        {"UploadStateAnswer", R"({"offset":3,"size":10,"complete":false})"},
        {"UploadStateAnswer", R"({"offset":10,"size":10,"complete":true})"},
        {"HttpErrorAnswer", R"({"code":"not_found","message":"no such media"})"},
        {"HttpErrorAnswer", R"({"code":"conflict","message":"continue there","offset":3})"},
        {"HttpErrorAnswer", R"({"code":"too_large","message":"too big","limit":16777216})"},
        {"HttpErrorAnswer", R"({"code":"rate_limited","message":"finish one","limit":100})"},
        {"HttpErrorAnswer", R"({"code":"quota_exceeded","message":"full","quota":0})"},
    };
}

//! A frame text with `field` set to a raw JSON literal (exactly as written, e.g. 1e300).
QByteArray withRaw(const QJsonObject &base, const QString &field, const QByteArray &raw)
{
    QJsonObject o = base;
    o.remove(field);
    QByteArray frame = serialize(o);
    frame.chop(1);
    if (!o.isEmpty())
        frame += ',';
    return frame + '"' + field.toUtf8() + "\":" + raw + '}';
}

QByteArray without(const QJsonObject &base, const QString &field)
{
    QJsonObject o = base;
    o.remove(field);
    return serialize(o);
}

QByteArray frameOf(const char *type, const QByteArray &body, const QString &id = u"r1"_s)
{
    QJsonObject o = object(body);
    o.insert(u"type"_s, QString::fromLatin1(type));
    if (!id.isNull())
        o.insert(u"id"_s, id);
    return serialize(o);
}

//! A heartbeat padded to exactly `size` bytes.
QByteArray frameOfSize(qsizetype size)
{
    QByteArray frame = R"({"type":"heartbeat","pad":""})";
    frame.insert(frame.size() - 2, QByteArray(size - frame.size(), 'a'));
    return frame;
}

QByteArray nested(int depth)
{
    return R"({"type":"heartbeat","x":)" + QByteArray(depth - 1, '[') + QByteArray(depth - 1, ']') +
           '}';
}

const QList<QByteArray> kBadIntegers = {
    "1e300",
    "1152921504606846976",
    "9007199254740993",
    "-1",
    "-0.5",
    "1.5",
    "1e-300",
    "\"1\"",
    "true",
    "[1]",
    "{}",
};

} // namespace

class TestCodec : public QObject
{
    Q_OBJECT

private slots:
    void everyTypeHasRows();
    void roundTrip_data();
    void roundTrip();
    void wireFieldNames();
    void decodeAccepts_data();
    void decodeAccepts();
    void decodedValues();
    void decodeRejects_data();
    void decodeRejects();
    void tooLargeKeepsId();
    void nestingDepth_data();
    void nestingDepth();
    void serverFrames_data();
    void serverFrames();
    void encodeAckAndError();
    void replyRejects_data();
    void replyRejects();
    void replyListBounds();
    void httpAnswerBytes();
    void httpAnswerRejects_data();
    void httpAnswerRejects();
    void directEncodersMatchTheGenericCodec_data();
    void directEncodersMatchTheGenericCodec();
    void directEncoderMatchesOnRandomText();
    void hostileInputNeverCrashes();
    void wireNamesRoundTrip();
    void unknownWireNames_data();
    void unknownWireNames();
    void unknownKindsOnTheClient();
    void mediaKeepsOnlyDocumentedFields_data();
    void mediaKeepsOnlyDocumentedFields();
    void groupEventRejectsWrongTypes_data();
    void groupEventRejectsWrongTypes();
    void groupEventContent();
    void messageChangeFields();
};

void TestCodec::everyTypeHasRows()
{
    // MemberInfo, ConversationSummary, UserInfo, MemberReceipt, Media, GroupEvent, SearchHit
    constexpr size_t kOthers = 7;
    QCOMPARE(std::size(kTypes),
             std::variant_size_v<RequestBody> + std::variant_size_v<ServerFrame> +
                 std::variant_size_v<AnyReply> + std::variant_size_v<AnyHttpAnswer> + kOthers);
    const QList<Row> rows = roundTripRows();
    for (const TypeEntry &entry : kTypes) {
        const bool covered = std::any_of(rows.begin(), rows.end(), [&](const Row &row) {
            return qstrcmp(row.type, entry.name) == 0;
        });
        QVERIFY2(covered, entry.name);
    }
}

void TestCodec::roundTrip_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("json");
    int index = 0;
    for (const Row &row : roundTripRows())
        QTest::addRow("%d %s", index++, row.type) << QString::fromLatin1(row.type) << row.json;
}

void TestCodec::roundTrip()
{
    QFETCH(QString, type);
    QFETCH(QByteArray, json);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
    for (const TypeEntry &entry : kTypes) {
        if (type == QLatin1String(entry.name)) {
            entry.check(doc.object());
            return;
        }
    }
    QFAIL("no checker for this type");
}

void TestCodec::wireFieldNames()
{
    SendMessageRequest send;
    send.to = u"u2"_s;
    send.kind = MessageKind::Image;
    send.media = Media{};
    send.media->mediaId = u"m1"_s;
    send.ts = 7;
    COMPARE_JSON(encodeRequest(Request{u"m-1"_s, send}),
                 object(R"({"type":"message","id":"m-1","to":"u2","kind":"image","content":"",)"
                        R"("media":{"media_id":"m1"},"ts":7})"));

    MessageEvent message;
    message.id = u"i"_s;
    message.conversation = u"c"_s;
    message.seq = 1;
    message.from = u"f"_s;
    message.fromDevice = u"fd"_s;
    message.to = u"t"_s;
    message.kind = MessageKind::Text;
    message.content = u"x"_s;
    message.ts = 2;
    message.serverTs = 3;
    COMPARE_JSON(object(encodeEvent(message)),
                 object(R"({"type":"message","id":"i","conversation":"c","seq":1,"from":"f",)"
                        R"("from_device":"fd","to":"t","kind":"text","content":"x","ts":2,)"
                        R"("server_ts":3})"));

    HistoryRequest history;
    history.conversation = u"c1"_s;
    COMPARE_JSON(toJson(history), object(R"({"conversation":"c1","limit":50})"));

    RegisterRequest reg{u"alice"_s, u"12345678"_s, QString()};
    COMPARE_JSON(toJson(reg), object(R"({"user":"alice","password":"12345678"})"));

    DeliveryRequest delivery;
    delivery.messageIds = {u"a"_s};
    COMPARE_JSON(toJson(delivery), object(R"({"message_id":"a"})"));
    ReadRequest read;
    read.messageIds = {u"a"_s};
    COMPARE_JSON(toJson(read), object(R"({"message_ids":["a"]})"));

    ConversationSummary summary;
    summary.lastMessage = message;
    QCOMPARE(toJson(summary).value("last_message"_L1).toObject().value("type"_L1).toString(),
             u"message"_s);

    COMPARE_JSON(toJson(UserInfo{u"u1"_s, u"alice"_s, u"Alice"_s}),
                 object(R"({"user_id":"u1","user":"alice","display_name":"Alice"})"));
    COMPARE_JSON(toJson(MemberReceipt{u"u2"_s, true, true, 5, 4, std::nullopt, std::nullopt}),
                 object(R"({"user_id":"u2","delivered":true,"read":true,"delivered_seq":5,)"
                        R"("read_seq":4})"));
    COMPARE_JSON(toJson(MemberReceipt{u"u2"_s, true, false, 5, 4, 1700000000000, std::nullopt}),
                 object(R"({"user_id":"u2","delivered":true,"read":false,"delivered_seq":5,)"
                        R"("read_seq":4,"delivered_ts":1700000000000})"));
    {
        const Result<MemberReceipt> timed = fromJson<MemberReceipt>(
            object(R"({"user_id":"u2","delivered":true,"read":true,"delivered_seq":5,)"
                   R"("read_seq":5,"delivered_ts":1,"read_ts":2})"));
        QVERIFY(timed.ok());
        QCOMPARE(timed->deliveredTs, std::optional<qint64>(1));
        QCOMPARE(timed->readTs, std::optional<qint64>(2));
        // A time that is not a whole number is refused like any other bad field.
        QVERIFY(!fromJson<MemberReceipt>(
                     object(R"({"user_id":"u2","delivered":true,"read":true,"delivered_seq":5,)"
                            R"("read_seq":5,"read_ts":"soon"})"))
                     .ok());
    }
    COMPARE_JSON(toJson(PresenceEvent{u"u1"_s, PresenceStatus::Online, 9}),
                 object(R"({"user_id":"u1","status":"online","last_seen":9})"));
    COMPARE_JSON(toJson(TypingEvent{u"c1"_s, u"u1"_s}),
                 object(R"({"conversation":"c1","user_id":"u1"})"));
    // The send ack's bytes exactly as the server has always written them (field order included).
    SendAck sent;
    sent.conversation = u"c1"_s;
    sent.seq = 42;
    sent.serverTs = 1705312201000;
    QCOMPARE(encodeReply(u"uuid-123"_s, sent),
             QByteArray(R"({"type":"ack","id":"uuid-123","status":"sent","conversation":"c1",)"
                        R"("seq":42,"server_ts":1705312201000})"));
    QCOMPARE(encodeReply(u"s1"_s, SyncReply{true}),
             QByteArray(R"({"complete":true,"id":"s1","type":"ack"})"));
    COMPARE_JSON(toJson(ReceiptEvent{u"c1"_s, u"u2"_s, ReceiptStatus::Delivered, 4, 5}),
                 object(R"({"conversation":"c1","user":"u2","status":"delivered","seq":4,)"
                        R"("ts":5})"));
}

void TestCodec::decodeAccepts_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("id"); // null: no id
    QTest::addColumn<QString>("type");

    QTest::newRow("heartbeat without id")
        << QByteArray(R"({"type":"heartbeat"})") << QString() << u"heartbeat"_s;
    QTest::newRow("heartbeat with id")
        << QByteArray(R"({"type":"heartbeat","id":"h1"})") << u"h1"_s << u"heartbeat"_s;
    QTest::newRow("typing without id")
        << QByteArray(R"({"type":"typing","conversation":"c1"})") << QString() << u"typing"_s;
    QTest::newRow("delivery without id")
        << QByteArray(R"({"type":"delivery","conversation":"c1","seq":42})") << QString()
        << u"delivery"_s;
    QTest::newRow("read without id")
        << QByteArray(R"({"type":"read","message_ids":["x"]})") << QString() << u"read"_s;
    QTest::newRow("unknown fields ignored")
        << QByteArray(R"({"type":"sync","id":"s1","extra":{"deep":[1,2]},"x":null,"y":1e300})")
        << u"s1"_s << u"sync"_s;
    QTest::newRow("whitespace around")
        << QByteArray(" \n\t{ \"type\" : \"logout\" , \"id\" : \"l\" }\r\n ") << u"l"_s
        << u"logout"_s;
    QTest::newRow("id of 64 characters")
        << frameOf("sync", "{}", QString(64, u'x')) << QString(64, u'x') << u"sync"_s;
    QString emojiId;
    for (int i = 0; i < 64; ++i)
        emojiId += u"🦜"_s;
    QTest::newRow("id of 64 code points, 128 UTF-16 units")
        << frameOf("sync", "{}", emojiId) << emojiId << u"sync"_s;
    QTest::newRow("depth 16") << nested(16) << QString() << u"heartbeat"_s;
    QTest::newRow("brackets inside strings")
        << QByteArray(
               "{\"type\":\"heartbeat\",\"x\":\"[[[[[[[[[[[[[[[[[[[[\\\"{{{{{{{{{{{{{{{{{{{\"}")
        << QString() << u"heartbeat"_s;
    QTest::newRow("frame of exactly 64 KiB")
        << frameOfSize(limits::kMaxFrameBytes) << QString() << u"heartbeat"_s;
    QTest::newRow("content of exactly 32 KiB")
        << frameOf("message", R"({"to":"u2","kind":"text","content":")" +
                                  QByteArray(limits::kMaxContentBytes, 'a') + "\"}")
        << u"r1"_s << u"message"_s;
    QTest::newRow("seq 2^53") << frameOf("receipts",
                                         R"({"conversation":"c","seq":9007199254740992})")
                              << u"r1"_s << u"receipts"_s;
    QTest::newRow("seq written as 4.0")
        << frameOf("receipts", R"({"conversation":"c","seq":4.0})") << u"r1"_s << u"receipts"_s;
    QTest::newRow("seq written as 1e3")
        << frameOf("receipts", R"({"conversation":"c","seq":1e3})") << u"r1"_s << u"receipts"_s;
    QTest::newRow("optional fields null")
        << frameOf("history", R"({"conversation":"c","before_seq":null,"limit":null})") << u"r1"_s
        << u"history"_s;
    QTest::newRow("login with non-pattern user")
        << frameOf("login", R"({"user":"Ärger Name","password":"p","device":"d"})") << u"r1"_s
        << u"login"_s;
    QTest::newRow("group with 1000 members")
        << frameOf(
               "create_group",
               serialize({{u"name"_s, u"big"_s},
                          {u"members"_s, QJsonArray::fromStringList(QStringList(1000, u"u1"_s))}}))
        << u"r1"_s << u"create_group"_s;
}

void TestCodec::decodeAccepts()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, id);
    QFETCH(QString, type);
    const DecodeResult result = decodeRequest(frame);
    QVERIFY2(result.ok(),
             qPrintable(errorCodeName(result.error.code) + u": "_s + result.error.message));
    QCOMPARE(result.id.has_value(), !id.isNull());
    QCOMPARE(result.request->id.has_value(), !id.isNull());
    if (!id.isNull()) {
        QCOMPARE(*result.id, id);
        QCOMPARE(*result.request->id, id);
    }
    const QString decodedType = std::visit(
        [](const auto &body) { return QString::fromLatin1(std::decay_t<decltype(body)>::kType); },
        result.request->body);
    QCOMPARE(decodedType, type);
}

void TestCodec::decodedValues()
{
    auto decode = [](const QByteArray &frame) {
        const DecodeResult result = decodeRequest(frame);
        if (!result.ok())
            qWarning() << result.error.message;
        return result.ok() ? result.request->body : RequestBody{};
    };

    const RequestBody defaults = decode(frameOf("history", R"({"conversation":"c1"})"));
    const auto *history = std::get_if<HistoryRequest>(&defaults);
    QVERIFY(history);
    QCOMPARE(history->limit, limits::kDefaultHistoryLimit);
    QVERIFY(!history->beforeSeq);
    const RequestBody capped = decode(frameOf("history", R"({"conversation":"c1","limit":1e9})"));
    QCOMPARE(std::get<HistoryRequest>(capped).limit, limits::kMaxHistoryLimit);
    const RequestBody before =
        decode(frameOf("history", R"({"conversation":"c1","before_seq":7,"limit":1})"));
    QCOMPARE(std::get<HistoryRequest>(before).beforeSeq.value_or(-1), qint64(7));
    QCOMPARE(std::get<HistoryRequest>(before).limit, 1);

    const RequestBody image = decode(frameOf(
        "message", R"({"to":"c1","kind":"image","media":{"media_id":"m1","size":3},"ts":9})"));
    const auto &send = std::get<SendMessageRequest>(image);
    QCOMPARE(send.to, u"c1"_s);
    QCOMPARE(send.kind, MessageKind::Image);
    QVERIFY(send.content.isEmpty());
    QVERIFY(send.media);
    QCOMPARE(send.media->size, 3);
    QCOMPARE(send.ts.value_or(-1), qint64(9));

    const RequestBody text =
        decode(frameOf("message", R"({"to":"u2","kind":"text","content":"hi","media":"ignored"})"));
    QVERIFY(!std::get<SendMessageRequest>(text).media);
    QVERIFY(!std::get<SendMessageRequest>(text).ts);

    const RequestBody both =
        decode(frameOf("delivery", R"({"message_ids":["a","b"],"message_id":"c"})"));
    QCOMPARE(std::get<DeliveryRequest>(both).messageIds, (QStringList{u"a"_s, u"b"_s, u"c"_s}));
    QVERIFY(std::get<DeliveryRequest>(both).conversation.isEmpty());
    const RequestBody readOne = decode(frameOf("read", R"({"message_id":"z"})", QString()));
    QCOMPARE(std::get<ReadRequest>(readOne).messageIds, QStringList{u"z"_s});
    const RequestBody watermark =
        decode(frameOf("read", R"({"conversation":"c1","seq":12})", QString()));
    QCOMPARE(std::get<ReadRequest>(watermark).conversation, u"c1"_s);
    QCOMPARE(std::get<ReadRequest>(watermark).seq, qint64(12));
    QVERIFY(std::get<ReadRequest>(watermark).messageIds.isEmpty());

    const RequestBody roles =
        decode(frameOf("set_role", R"({"conversation":"c","user":"u","role":"member"})"));
    QCOMPARE(std::get<SetRoleRequest>(roles).role, Role::Member);
}

void TestCodec::decodeRejects_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("id");       // null: the error must carry no id
    QTest::addColumn<QString>("mentions"); // a part of the human message

    const QString badFrame = u"bad_frame"_s;
    const QString badRequest = u"bad_request"_s;
    const QString tooLarge = u"too_large"_s;
    const QString unknownType = u"unknown_type"_s;
    const QString none;

    // Frames that are not a JSON object.
    QTest::newRow("empty") << QByteArray() << badFrame << none << u"JSON"_s;
    QTest::newRow("whitespace only") << QByteArray("  \n") << badFrame << none << u"JSON"_s;
    QTest::newRow("truncated") << QByteArray(R"({"type":"login","id":"r1","user":"al)") << badFrame
                               << none << u"JSON"_s;
    QTest::newRow("truncated after brace") << QByteArray("{") << badFrame << none << u"JSON"_s;
    QTest::newRow("array") << QByteArray(R"([{"type":"sync","id":"s"}])") << badFrame << none
                           << u"object"_s;
    QTest::newRow("number") << QByteArray("42") << badFrame << none << QString();
    QTest::newRow("string") << QByteArray(R"("hello")") << badFrame << none << QString();
    QTest::newRow("null") << QByteArray("null") << badFrame << none << QString();
    QTest::newRow("true") << QByteArray("true") << badFrame << none << QString();
    QTest::newRow("trailing garbage")
        << QByteArray(R"({"type":"heartbeat"} x)") << badFrame << none << QString();
    QTest::newRow("two objects") << QByteArray(R"({"type":"heartbeat"}{"type":"heartbeat"})")
                                 << badFrame << none << QString();
    QTest::newRow("single quotes")
        << QByteArray("{'type':'heartbeat'}") << badFrame << none << QString();
    QTest::newRow("binary garbage")
        << QByteArray("\x00\x01\xff\xfe\x80", 5) << badFrame << none << u"UTF-8"_s;
    QTest::newRow("NUL byte") << QByteArray("{\"type\":\"heartbeat\"}\0", 21) << badFrame << none
                              << QString();
    QTest::newRow("invalid utf8 in string")
        << QByteArray("{\"type\":\"heartbeat\",\"x\":\"\xc3\x28\"}") << badFrame << none
        << u"UTF-8"_s;
    QTest::newRow("overlong utf8") << QByteArray("{\"type\":\"heartbeat\",\"x\":\"\xc0\xaf\"}")
                                   << badFrame << none << u"UTF-8"_s;
    QTest::newRow("utf8 surrogate") << QByteArray("{\"type\":\"heartbeat\",\"x\":\"\xed\xa0\x80\"}")
                                    << badFrame << none << u"UTF-8"_s;
    QTest::newRow("beyond U+10FFFF")
        << QByteArray("{\"type\":\"heartbeat\",\"x\":\"\xf4\x90\x80\x80\"}") << badFrame << none
        << u"UTF-8"_s;
    QTest::newRow("truncated sequence at end")
        << QByteArray("{\"type\":\"heartbeat\"}\xe2\x82") << badFrame << none << u"UTF-8"_s;
    QTest::newRow("latin1 id") << QByteArray("{\"type\":\"sync\",\"id\":\"caf\xe9\"}") << badFrame
                               << none << u"UTF-8"_s;
    QTest::newRow("10000 [") << QByteArray(10000, '[') << badFrame << none << u"nesting"_s;
    QTest::newRow("10000 { unterminated")
        << QByteArray(R"({"type":"sync","id":"s",)") + QByteArray(10000, '{') << badFrame << none
        << u"nesting"_s;
    QTest::newRow("depth 10000 balanced") << nested(10000) << badFrame << none << u"nesting"_s;
    QTest::newRow("depth 17") << nested(17) << badFrame << none << u"nesting"_s;

    // Size.
    QTest::newRow("frame of 64 KiB + 1")
        << frameOfSize(limits::kMaxFrameBytes + 1) << tooLarge << none << QString();
    QTest::newRow("65 KiB message keeps id")
        << frameOf("message",
                   R"({"to":"u2","kind":"text","content":")" + QByteArray(65 * 1024, 'a') + "\"}",
                   u"big-1"_s)
        << tooLarge << u"big-1"_s << QString();
    QTest::newRow("70 KB of garbage") << QByteArray(70000, 'x') << tooLarge << none << QString();
    QTest::newRow("over 2 MiB: id not recovered")
        << frameOf("message",
                   R"({"to":"u2","kind":"text","content":")" +
                       QByteArray(limits::kMaxTolerableFrameBytes, 'a') + "\"}",
                   u"huge"_s)
        << tooLarge << none << QString();
    QTest::newRow("33 KiB content")
        << frameOf("message",
                   R"({"to":"u2","kind":"text","content":")" + QByteArray(33 * 1024, 'a') + "\"}",
                   u"m-33"_s)
        << tooLarge << u"m-33"_s << u"content"_s;
    QTest::newRow("32 KiB + 1 content")
        << frameOf("message", R"({"to":"u2","kind":"text","content":")" +
                                  QByteArray(limits::kMaxContentBytes + 1, 'a') + "\"}")
        << tooLarge << u"r1"_s << u"content"_s;
    QTest::newRow("content counted in UTF-8 bytes")
        << frameOf("message", R"({"to":"u2","kind":"file","media":{"media_id":"m"},"content":")" +
                                  QString(16385, u'é').toUtf8() + "\"}")
        << tooLarge << u"r1"_s << u"content"_s;

    // Envelope.
    QTest::newRow("type missing") << QByteArray(R"({"id":"r1"})") << badRequest << u"r1"_s
                                  << u"'type'"_s;
    QTest::newRow("type number") << QByteArray(R"({"type":5,"id":"r1"})") << badRequest << u"r1"_s
                                 << u"'type'"_s;
    QTest::newRow("type null") << QByteArray(R"({"type":null})") << badRequest << none
                               << u"'type'"_s;
    QTest::newRow("type object") << QByteArray(R"({"type":{"a":1},"id":"r1"})") << badRequest
                                 << u"r1"_s << u"'type'"_s;
    QTest::newRow("id number") << QByteArray(R"({"type":"sync","id":5})") << badRequest << none
                               << u"'id'"_s;
    QTest::newRow("id null") << QByteArray(R"({"type":"sync","id":null})") << badRequest << none
                             << u"'id'"_s;
    QTest::newRow("id empty") << frameOf("sync", "{}", u""_s) << badRequest << none << u"'id'"_s;
    QTest::newRow("id 65 characters")
        << frameOf("sync", "{}", QString(65, u'x')) << badRequest << none << u"'id'"_s;
    QTest::newRow("id with control character")
        << frameOf("sync", "{}", u"a\u0001b"_s) << badRequest << none << u"'id'"_s;
    QTest::newRow("id with broken surrogate")
        << QByteArray(R"({"type":"sync","id":"a\ud800b"})") << badRequest << none << u"'id'"_s;
    QTest::newRow("id array") << QByteArray(R"({"type":"sync","id":["r1"]})") << badRequest << none
                              << u"'id'"_s;
    QTest::newRow("notification with bad id")
        << QByteArray(R"({"type":"heartbeat","id":7})") << badRequest << none << u"'id'"_s;
    QTest::newRow("unknown type keeps id") << QByteArray(R"({"type":"frobnicate","id":"r9"})")
                                           << unknownType << u"r9"_s << u"frobnicate"_s;
    QTest::newRow("unknown type without id")
        << QByteArray(R"({"type":"frobnicate"})") << unknownType << none << QString();
    QTest::newRow("empty type") << QByteArray(R"({"type":"","id":"r9"})") << unknownType << u"r9"_s
                                << QString();
    QTest::newRow("type is case-sensitive")
        << QByteArray(R"({"type":"Login","id":"r9"})") << unknownType << u"r9"_s << QString();
    QTest::newRow("server type from client")
        << QByteArray(R"({"type":"ack","id":"r9"})") << unknownType << u"r9"_s << QString();
    QTest::newRow("long unknown type")
        << QByteArray(R"({"type":")" + QByteArray(5000, 'z') + R"(","id":"r9"})") << unknownType
        << u"r9"_s << QString();
    QTest::newRow("missing id: sync")
        << QByteArray(R"({"type":"sync"})") << badRequest << none << u"'id'"_s;
    QTest::newRow("missing id: login")
        << frameOf("login", R"({"user":"a","password":"b","device":"c"})", QString()) << badRequest
        << none << u"'id'"_s;
    QTest::newRow("missing id: message")
        << frameOf("message", R"({"to":"u","kind":"text","content":"x"})", QString()) << badRequest
        << none << u"'id'"_s;
    QTest::newRow("invalid notification without id")
        << QByteArray(R"({"type":"typing"})") << badRequest << none << u"'conversation'"_s;

    // Every field of every request: missing and wrong types.
    struct FieldCase
    {
        const char *type;
        QByteArray valid;
        QString field;
        bool required;
        bool integer;
    };
    const QList<FieldCase> fieldCases = {
        {"register", R"({"user":"alice","password":"12345678","display_name":"A"})", u"user"_s,
         true, false},
        {"register", R"({"user":"alice","password":"12345678","display_name":"A"})", u"password"_s,
         true, false},
        {"register", R"({"user":"alice","password":"12345678","display_name":"A"})",
         u"display_name"_s, false, false},
        {"login", R"({"user":"a","password":"b","device":"c"})", u"user"_s, true, false},
        {"login", R"({"user":"a","password":"b","device":"c"})", u"password"_s, true, false},
        {"login", R"({"user":"a","password":"b","device":"c"})", u"device"_s, true, false},
        {"auth", R"({"token":"t"})", u"token"_s, true, false},
        {"create_group", R"({"name":"g","members":["u1"]})", u"name"_s, true, false},
        {"create_group", R"({"name":"g","members":["u1"]})", u"members"_s, true, false},
        {"add_members", R"({"conversation":"c","members":["u1"]})", u"conversation"_s, true, false},
        {"add_members", R"({"conversation":"c","members":["u1"]})", u"members"_s, true, false},
        {"remove_member", R"({"conversation":"c","user":"u"})", u"conversation"_s, true, false},
        {"remove_member", R"({"conversation":"c","user":"u"})", u"user"_s, true, false},
        {"leave", R"({"conversation":"c"})", u"conversation"_s, true, false},
        {"rename", R"({"conversation":"c","name":"n"})", u"conversation"_s, true, false},
        {"rename", R"({"conversation":"c","name":"n"})", u"name"_s, true, false},
        {"set_role", R"({"conversation":"c","user":"u","role":"admin"})", u"conversation"_s, true,
         false},
        {"set_role", R"({"conversation":"c","user":"u","role":"admin"})", u"user"_s, true, false},
        {"set_role", R"({"conversation":"c","user":"u","role":"admin"})", u"role"_s, true, false},
        {"history", R"({"conversation":"c","before_seq":5,"limit":5})", u"conversation"_s, true,
         false},
        {"history", R"({"conversation":"c","before_seq":5,"limit":5})", u"before_seq"_s, false,
         true},
        {"history", R"({"conversation":"c","before_seq":5,"limit":5})", u"limit"_s, false, true},
        {"user_search", R"({"query":"q"})", u"query"_s, true, false},
        {"message", R"({"to":"u","kind":"text","content":"x","ts":1})", u"to"_s, true, false},
        {"message", R"({"to":"u","kind":"text","content":"x","ts":1})", u"kind"_s, true, false},
        {"message", R"({"to":"u","kind":"text","content":"x","ts":1})", u"content"_s, true, false},
        {"message", R"({"to":"u","kind":"text","content":"x","ts":1})", u"ts"_s, false, true},
        {"message", R"({"to":"u","kind":"image","media":{"media_id":"m"}})", u"media"_s, true,
         false},
        {"message", R"({"to":"u","kind":"text","content":"x","reply_to":1})", u"reply_to"_s, false,
         true},
        {"message", R"({"to":"u","kind":"text","content":"x","forwarded":true})", u"forwarded"_s,
         false, false},
        {"message", R"({"to":"u","kind":"text","content":"x","mentions":["u"]})", u"mentions"_s,
         false, false},
        {"message", R"({"to":"u","kind":"edit","content":"x","ref":1})", u"ref"_s, true, true},
        {"message", R"({"to":"u","kind":"edit","content":"x","ref":1})", u"content"_s, true, false},
        {"message", R"({"to":"u","kind":"delete","ref":1})", u"ref"_s, true, true},
        {"message", R"({"to":"u","kind":"reaction","content":"👍","ref":1})", u"ref"_s, true, true},
        {"message", R"({"to":"u","kind":"reaction","content":"👍","ref":1})", u"content"_s, true,
         false},
        {"message", R"({"to":"u","kind":"reaction","content":"👍","ref":1,"on":false})", u"on"_s,
         false, false},
        {"delivery", R"({"conversation":"c","seq":1})", u"conversation"_s, true, false},
        {"delivery", R"({"conversation":"c","seq":1})", u"seq"_s, true, true},
        {"read", R"({"conversation":"c","seq":1})", u"conversation"_s, true, false},
        {"read", R"({"conversation":"c","seq":1})", u"seq"_s, true, true},
        {"delivery", R"({"message_id":"m"})", u"message_id"_s, false, false},
        {"read", R"({"message_ids":["m"]})", u"message_ids"_s, false, false},
        {"receipts", R"({"conversation":"c","seq":1})", u"conversation"_s, true, false},
        {"receipts", R"({"conversation":"c","seq":1})", u"seq"_s, true, true},
        {"typing", R"({"conversation":"c"})", u"conversation"_s, true, false},
        {"presence", R"({"users":["u"]})", u"users"_s, true, false},
        {"users", R"({"users":["u"]})", u"users"_s, true, false},
        {"search", R"({"query":"q","limit":5})", u"query"_s, true, false},
        {"search", R"({"query":"q","limit":5})", u"limit"_s, false, true},
        {"search", R"({"query":"q","conversation":"c"})", u"conversation"_s, false, false},
        {"search", R"({"query":"q","cursor":"x"})", u"cursor"_s, false, false},
        {"hide", R"({"conversation":"c","seqs":[1]})", u"conversation"_s, true, false},
    };
    for (const FieldCase &c : fieldCases) {
        const QJsonObject base =
            object(frameOf(c.type, c.valid, qstrcmp(c.type, "typing") == 0 ? QString() : u"r1"_s));
        const QString id = base.contains("id"_L1) ? u"r1"_s : none;
        const QString mention = u"'"_s + c.field + u"'"_s;
        const QByteArray tag = QByteArray(c.type) + '.' + c.field.toUtf8();
        if (c.required) {
            // A per-id delivery/read without its id falls back to conversation+seq.
            QTest::newRow((tag + " missing").constData())
                << without(base, c.field) << badRequest << id << QString();
            QTest::newRow((tag + " null").constData())
                << withRaw(base, c.field, "null") << badRequest << id << QString();
        }
        QList<QByteArray> wrong = {"true", "{}", "[]", "[1]"};
        if (c.integer)
            wrong = kBadIntegers;
        else if (c.field != "media"_L1)
            wrong << "5"
                  << "1.5";
        if (c.field == "media"_L1)
            wrong = {
                "true",         "5", "\"m\"", "[]", "{}", R"({"media_id":5})", R"({"media_id":""})",
                R"({"id":"m"})"};
        if (c.field == "forwarded"_L1 || c.field == "on"_L1)
            wrong = {"5", "1.5", "\"true\"", "{}", "[]", "[true]"};
        if (c.field == "members"_L1 || c.field == "users"_L1 || c.field == "message_ids"_L1 ||
            c.field == "mentions"_L1)
            wrong = {"\"u1\"",        "5",      "{}",        "[5]",
                     "[null]",        "[\"\"]", "[[\"u\"]]", "[\"" + QByteArray(65, 'u') + "\"]",
                     "[\"a\\u0000\"]"};
        for (const QByteArray &raw : wrong) {
            QTest::newRow((tag + " = " + raw.left(40)).constData())
                << withRaw(base, c.field, raw) << badRequest << id << mention;
        }
    }

    // Values of the right type that break a rule.
    auto reject = [&](const char *tag, const char *type, const QByteArray &body,
                      const QString &mentions, const QString &code = u"bad_request"_s) {
        QTest::newRow(tag) << frameOf(type, body) << code << u"r1"_s << mentions;
    };
    const QByteArray long33 = QByteArray(33, 'a');
    reject("register: user too short", "register", R"({"user":"al","password":"12345678"})",
           u"'user'"_s);
    reject("register: user 33 chars", "register",
           R"({"user":")" + long33 + R"(","password":"12345678"})", u"'user'"_s);
    reject("register: user upper case", "register", R"({"user":"Alice","password":"12345678"})",
           u"'user'"_s);
    reject("register: user with space", "register", R"({"user":"al ice","password":"12345678"})",
           u"'user'"_s);
    reject("register: user non-ascii", "register", R"({"user":"élan","password":"12345678"})",
           u"'user'"_s);
    reject("register: password 7 chars", "register", R"({"user":"alice","password":"1234567"})",
           u"'password'"_s);
    reject("register: password 7 chars in 14 bytes", "register",
           R"({"user":"alice","password":"ééééééé"})", u"'password'"_s);
    reject("register: password 1025 chars", "register",
           R"({"user":"alice","password":")" + QByteArray(1025, 'p') + "\"}", u"'password'"_s);
    reject("register: display_name empty", "register",
           R"({"user":"alice","password":"12345678","display_name":""})", u"'display_name'"_s);
    reject("register: display_name blank", "register",
           R"({"user":"alice","password":"12345678","display_name":"   "})", u"'display_name'"_s);
    reject("register: display_name newline", "register",
           R"({"user":"alice","password":"12345678","display_name":"a\nb"})", u"'display_name'"_s);
    reject("register: display_name 65 chars", "register",
           R"({"user":"alice","password":"12345678","display_name":")" + QByteArray(65, 'd') +
               "\"}",
           u"'display_name'"_s);
    reject("login: user empty", "login", R"({"user":"","password":"p","device":"d"})", u"'user'"_s);
    reject("login: user 33 chars", "login",
           R"({"user":")" + long33 + R"(","password":"p","device":"d"})", u"'user'"_s);
    reject("login: password empty", "login", R"({"user":"u","password":"","device":"d"})",
           u"'password'"_s);
    reject("login: password 1025 chars", "login",
           R"({"user":"u","device":"d","password":")" + QByteArray(1025, 'p') + "\"}",
           u"'password'"_s);
    reject("login: device empty", "login", R"({"user":"u","password":"p","device":""})",
           u"'device'"_s);
    reject("login: device tab", "login", R"({"user":"u","password":"p","device":"\t"})",
           u"'device'"_s);
    reject("login: device 65 chars", "login",
           R"({"user":"u","password":"p","device":")" + QByteArray(65, 'd') + "\"}", u"'device'"_s);
    reject("auth: token empty", "auth", R"({"token":""})", u"'token'"_s);
    reject("auth: token 129 chars", "auth", R"({"token":")" + QByteArray(129, 't') + "\"}",
           u"'token'"_s);
    reject("create_group: name empty", "create_group", R"({"name":"","members":[]})", u"'name'"_s);
    reject("create_group: name 101 chars", "create_group",
           R"({"members":[],"name":")" + QByteArray(101, 'n') + "\"}", u"'name'"_s);
    reject("create_group: name with DEL", "create_group", R"({"name":"a\u007f","members":[]})",
           u"'name'"_s);
    reject("create_group: 1001 members", "create_group",
           serialize({{u"name"_s, u"big"_s},
                      {u"members"_s, QJsonArray::fromStringList(QStringList(1001, u"u1"_s))}}),
           u"'members'"_s);
    reject("add_members: empty", "add_members", R"({"conversation":"c","members":[]})",
           u"'members'"_s);
    reject("set_role: owner", "set_role", R"({"conversation":"c","user":"u","role":"owner"})",
           u"'role'"_s);
    reject("set_role: ADMIN", "set_role", R"({"conversation":"c","user":"u","role":"ADMIN"})",
           u"'role'"_s);
    reject("history: limit 0", "history", R"({"conversation":"c","limit":0})", u"'limit'"_s);
    reject("history: conversation 65 chars", "history",
           R"({"conversation":")" + QByteArray(65, 'c') + "\"}", u"'conversation'"_s);
    reject("user_search: empty", "user_search", R"({"query":""})", u"'query'"_s);
    reject("user_search: blank", "user_search", R"({"query":"  \t "})", u"'query'"_s);
    reject("user_search: 65 chars", "user_search", R"({"query":")" + QByteArray(65, 'q') + "\"}",
           u"'query'"_s);
    reject("search: blank", "search", R"({"query":" \t"})", u"'query'"_s);
    reject("search: 65 chars", "search", R"({"query":")" + QByteArray(65, 'q') + "\"}",
           u"'query'"_s);
    reject("search: limit 0", "search", R"({"query":"q","limit":0})", u"'limit'"_s);
    reject("search: limit 51", "search", R"({"query":"q","limit":51})", u"'limit'"_s);
    // Checked before narrowing to int: 2^32 + 5 is not 5.
    reject("search: limit 2^32+5", "search", R"({"query":"q","limit":4294967301})", u"'limit'"_s);
    reject("search: cursor 129 chars", "search",
           R"({"query":"q","cursor":")" + QByteArray(129, 'c') + "\"}", u"'cursor'"_s);
    reject("hide: no seqs", "hide", R"({"conversation":"c","seqs":[]})", u"'seqs'"_s);
    reject("hide: seqs missing", "hide", R"({"conversation":"c"})", u"'seqs'"_s);
    reject("hide: seqs string", "hide", R"({"conversation":"c","seqs":"1"})", u"'seqs'"_s);
    reject("hide: negative seq", "hide", R"({"conversation":"c","seqs":[1,-1]})", u"'seqs'"_s);
    reject("hide: fractional seq", "hide", R"({"conversation":"c","seqs":[1.5]})", u"'seqs'"_s);
    reject("hide: string seq", "hide", R"({"conversation":"c","seqs":["1"]})", u"'seqs'"_s);
    reject("hide: 2^53+1", "hide", R"({"conversation":"c","seqs":[9007199254740993]})",
           u"'seqs'"_s);
    {
        QJsonArray seqs;
        for (int i = 1; i <= limits::kMaxHideSeqs + 1; ++i)
            seqs.append(i);
        reject("hide: 101 seqs", "hide",
               serialize({{u"conversation"_s, u"c"_s}, {u"seqs"_s, seqs}}), u"'seqs'"_s);
    }
    reject("message: kind system", "message", R"({"to":"u","kind":"system","content":"x"})",
           u"'kind'"_s);
    reject("message: kind video", "message", R"({"to":"u","kind":"video","content":"x"})",
           u"'kind'"_s);
    reject("message: kind TEXT", "message", R"({"to":"u","kind":"TEXT","content":"x"})",
           u"'kind'"_s);
    reject("message: text content empty", "message", R"({"to":"u","kind":"text","content":""})",
           u"'content'"_s);
    reject("message: image without media", "message", R"({"to":"u","kind":"image"})", u"'media'"_s);
    reject("message: file media null", "message", R"({"to":"u","kind":"file","media":null})",
           u"'media'"_s);
    reject("message: image content number", "message",
           R"({"to":"u","kind":"image","media":{"media_id":"m"},"content":5})", u"'content'"_s);
    reject("message: to empty", "message", R"({"to":"","kind":"text","content":"x"})", u"'to'"_s);
    reject("message: 51 mentions", "message",
           serialize({{u"to"_s, u"c"_s},
                      {u"kind"_s, u"text"_s},
                      {u"content"_s, u"x"_s},
                      {u"mentions"_s, QJsonArray::fromStringList(QStringList(51, u"u1"_s))}}),
           u"'mentions'"_s);
    reject("reaction: letters", "message", R"({"to":"c","kind":"reaction","ref":1,"content":"ok"})",
           u"'content'"_s);
    reject("reaction: digit", "message", R"({"to":"c","kind":"reaction","ref":1,"content":"1"})",
           u"'content'"_s);
    reject("reaction: empty", "message", R"({"to":"c","kind":"reaction","ref":1,"content":""})",
           u"'content'"_s);
    reject("reaction: space", "message", R"({"to":"c","kind":"reaction","ref":1,"content":"👍 👍"})",
           u"'content'"_s);
    reject("reaction: newline", "message",
           R"({"to":"c","kind":"reaction","ref":1,"content":"👍\n"})", u"'content'"_s);
    reject("reaction: bidi override", "message",
           R"({"to":"c","kind":"reaction","ref":1,"content":"\u202e👍"})", u"'content'"_s);
    reject("reaction: 33 bytes", "message",
           R"({"to":"c","kind":"reaction","ref":1,"content":")" +
               QString(11, QChar(0x2764)).toUtf8() + "\"}",
           u"'content'"_s);
    reject("edit: content too large", "message",
           R"({"to":"c","kind":"edit","ref":1,"content":")" + QByteArray(32 * 1024 + 1, 'x') +
               "\"}",
           u"'content'"_s, u"too_large"_s);
    reject("delivery: nothing", "delivery", "{}", u"'conversation'"_s);
    reject("delivery: conversation only", "delivery", R"({"conversation":"c"})", u"'seq'"_s);
    reject("delivery: seq only", "delivery", R"({"seq":4})", u"'conversation'"_s);
    reject("read: message_ids empty", "read", R"({"message_ids":[]})", u"'message_ids'"_s);
    reject("read: message_ids 1001", "read",
           serialize({{u"message_ids"_s, QJsonArray::fromStringList(QStringList(1001, u"m"_s))}}),
           u"'message_ids'"_s);
    reject("read: ids with bad seq", "read", R"({"message_ids":["m"],"seq":-1})", u"'seq'"_s);
    reject("presence: 1001 users", "presence",
           serialize({{u"users"_s, QJsonArray::fromStringList(QStringList(1001, u"u"_s))}}),
           u"'users'"_s);
    reject("users: 501 ids", "users",
           serialize({{u"users"_s, QJsonArray::fromStringList(QStringList(501, u"u"_s))}}),
           u"'users'"_s);
}

void TestCodec::decodeRejects()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, code);
    QFETCH(QString, id);
    QFETCH(QString, mentions);
    const DecodeResult result = decodeRequest(frame);
    QVERIFY2(!result.ok(), "decoded a frame that must be refused");
    QVERIFY(!result.request);
    QCOMPARE(errorCodeName(result.error.code), code);
    QVERIFY(!result.error.message.isEmpty());
    QVERIFY2(result.error.message.contains(mentions), qPrintable(result.error.message));
    QCOMPARE(result.id.value_or(u"<none>"_s), id.isNull() ? u"<none>"_s : id);
}

void TestCodec::tooLargeKeepsId()
{
    // Just under the tolerable bound the id is still recovered.
    QByteArray frame = frameOf("message", R"({"to":"u2","kind":"text","content":"x"})", u"t1"_s);
    frame.insert(frame.size() - 1,
                 ",\"pad\":\"" +
                     QByteArray(limits::kMaxTolerableFrameBytes - frame.size() - 9, 'p') + '"');
    QCOMPARE(frame.size(), limits::kMaxTolerableFrameBytes);
    DecodeResult result = decodeRequest(frame);
    QCOMPARE(result.error.code, ErrorCode::TooLarge);
    QCOMPARE(result.id.value_or(QString()), u"t1"_s);

    frame.insert(frame.size() - 2, 'p');
    result = decodeRequest(frame);
    QCOMPARE(result.error.code, ErrorCode::TooLarge);
    QVERIFY(!result.id);

    // Oversized and deeply nested: too_large, without parsing the nesting.
    result = decodeRequest(QByteArray(limits::kMaxFrameBytes + 1, '['));
    QCOMPARE(result.error.code, ErrorCode::TooLarge);
    QVERIFY(!result.id);
}

void TestCodec::nestingDepth_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("depth");
    QTest::newRow("empty") << QByteArray() << 0;
    QTest::newRow("scalar") << QByteArray("42") << 0;
    QTest::newRow("object") << QByteArray("{}") << 1;
    QTest::newRow("siblings") << QByteArray("[][][]") << 1;
    QTest::newRow("two") << QByteArray("[[]]") << 2;
    QTest::newRow("mixed") << QByteArray(R"({"a":[{"b":[]}],"c":{}})") << 4;
    QTest::newRow("in string") << QByteArray(R"("[[[{{")") << 0;
    QTest::newRow("escaped quote") << QByteArray("[\"a\\\"[[{{\"]") << 1;
    QTest::newRow("escaped backslash") << QByteArray("[\"a\\\\\"[[]") << 3;
    QTest::newRow("key with brackets") << QByteArray(R"({"[[[":{"}}}":[]}})") << 3;
    QTest::newRow("unterminated string") << QByteArray(R"(["[[[)") << 1;
    QTest::newRow("stray closers first") << QByteArray("]]]}}[[") << 2;
    QTest::newRow("10000") << QByteArray(10000, '[') << 10000;
    QTest::newRow("utf8 in strings") << QByteArray("[\"é[🦜\"]") << 1;
}

void TestCodec::nestingDepth()
{
    QFETCH(QByteArray, json);
    QFETCH(int, depth);
    QCOMPARE(jsonNestingDepth(json), depth);
}

void TestCodec::serverFrames_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("type"); // decoded kType, or the error code
    QTest::addColumn<bool>("ok");

    QTest::newRow("ack") << QByteArray(R"({"type":"ack","id":"r1","user_id":"u1"})") << u"ack"_s
                         << true;
    QTest::newRow("error") << QByteArray(R"({"type":"error","code":"x","message":"m"})")
                           << u"error"_s << true;
    QTest::newRow("message")
        << QByteArray(R"({"type":"message","id":"i","conversation":"c","seq":1,"from":"u",)"
                      R"("kind":"text","ts":1,"server_ts":2,"future":{"a":[1]}})")
        << u"message"_s << true;
    QTest::newRow("message with deep media")
        << QByteArray(R"({"type":"message","id":"i","conversation":"c","seq":1,"from":"u",)"
                      R"("kind":"file","ts":1,"server_ts":2,"media":{"media_id":"m","x":)" +
                      QByteArray(20, '[') + QByteArray(20, ']') + "}}")
        << u"message"_s << true;
    QTest::newRow("receipt with a future status")
        << QByteArray(R"({"type":"receipt","conversation":"c","user":"u","status":"seen",)"
                      R"("seq":1,"ts":2})")
        << u"receipt"_s << true;
    QTest::newRow("presence") << QByteArray(R"({"type":"presence","user_id":"u","status":"away"})")
                              << u"presence"_s << true;
    QTest::newRow("typing") << QByteArray(R"({"type":"typing","conversation":"c","user_id":"u"})")
                            << u"typing"_s << true;
    QTest::newRow("user_updated")
        << QByteArray(R"({"type":"user_updated","user_id":"u","display_name":"Al"})")
        << u"user_updated"_s << true;
    QTest::newRow("unknown event")
        << QByteArray(R"({"type":"future_event","x":1})") << u"unknown_type"_s << false;
    QTest::newRow("not JSON") << QByteArray("{") << u"bad_frame"_s << false;
    QTest::newRow("array") << QByteArray("[]") << u"bad_frame"_s << false;
    QTest::newRow("invalid utf8") << QByteArray("{\"type\":\"ack\",\"id\":\"\xff\"}")
                                  << u"bad_frame"_s << false;
    QTest::newRow("deep") << QByteArray(10000, '[') << u"bad_frame"_s << false;
    QTest::newRow("no type") << QByteArray(R"({"id":"r1"})") << u"bad_request"_s << false;
    QTest::newRow("ack without id") << QByteArray(R"({"type":"ack"})") << u"bad_request"_s << false;
    QTest::newRow("error without code")
        << QByteArray(R"({"type":"error","message":"m"})") << u"bad_request"_s << false;
    QTest::newRow("message with string seq")
        << QByteArray(R"({"type":"message","id":"i","conversation":"c","seq":"1","from":"u",)"
                      R"("kind":"text","ts":1,"server_ts":2})")
        << u"bad_request"_s << false;
    QTest::newRow("presence with negative last_seen")
        << QByteArray(R"({"type":"presence","user_id":"u","status":"online","last_seen":-5})")
        << u"bad_request"_s << false;
    QTest::newRow("receipt with fractional seq")
        << QByteArray(R"({"type":"receipt","conversation":"c","user":"u","status":"read",)"
                      R"("seq":1.5,"ts":2})")
        << u"bad_request"_s << false;
}

void TestCodec::serverFrames()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, type);
    QFETCH(bool, ok);
    const Result<ServerFrame> result = decodeServerFrame(frame);
    QCOMPARE(result.ok(), ok);
    if (ok) {
        const QString decoded = std::visit(
            [](const auto &event) {
                return QString::fromLatin1(std::decay_t<decltype(event)>::kType);
            },
            *result);
        QCOMPARE(decoded, type);
    } else {
        QCOMPARE(errorCodeName(result.error().code), type);
        QVERIFY(!result.error().message.isEmpty());
    }
}

void TestCodec::encodeAckAndError()
{
    const QByteArray ack = encodeAck(
        u"r1"_s,
        {{u"status"_s, u"sent"_s}, {u"seq"_s, 42}, {u"id"_s, u"spoof"_s}, {u"type"_s, u"spoof"_s}});
    QVERIFY(!ack.contains('\n'));
    QVERIFY(!ack.contains(' '));
    COMPARE_JSON(object(ack), object(R"({"type":"ack","id":"r1","status":"sent","seq":42})"));
    const Result<ServerFrame> decoded = decodeServerFrame(ack);
    QVERIFY(decoded.ok());
    const auto &ackEvent = std::get<AckEvent>(*decoded);
    QCOMPARE(ackEvent.id, u"r1"_s);
    COMPARE_JSON(ackEvent.fields, object(R"({"status":"sent","seq":42})"));

    COMPARE_JSON(object(encodeAck(u"s1"_s)), object(R"({"type":"ack","id":"s1"})"));

    const QByteArray error =
        encodeError(std::nullopt, makeError(ErrorCode::BadFrame, u"not an object"_s));
    COMPARE_JSON(object(error),
                 object(R"({"type":"error","code":"bad_frame","message":"not an object"})"));
    const QByteArray withId =
        encodeError(u"r7"_s, makeError(ErrorCode::RateLimited, u"slow down"_s));
    COMPARE_JSON(object(withId), object(R"({"type":"error","id":"r7","code":"rate_limited",)"
                                        R"("message":"slow down"})"));

    // What decodeRequest refuses, encodeError answers with (id only when usable).
    const DecodeResult refused = decodeRequest(R"({"type":"nope","id":"q"})");
    COMPARE_JSON(object(encodeError(refused.id, refused.error)),
                 object(R"({"type":"error","id":"q","code":"unknown_type",)"
                        R"("message":"unknown type 'nope'"})"));
    QCOMPARE(serialize(QJsonObject{{u"a"_s, 1}}), QByteArray(R"({"a":1})"));
}

namespace {
using Rejecter = QString (*)(const QJsonObject &); // the error's message; null when it decoded
template <typename T> QString rejectionOf(const QJsonObject &object)
{
    const Result<T> result = fromJson<T>(object);
    return result.ok() ? QString() : result.error().message;
}
#define TERN_REPLY(T) std::pair<const char *, Rejecter>(#T, &rejectionOf<T>)
const std::pair<const char *, Rejecter> kReplyRejecters[] = {
    TERN_REPLY(RegisterReply),    TERN_REPLY(LoginReply),
    TERN_REPLY(AuthReply),        TERN_REPLY(SetDisplayNameReply),
    TERN_REPLY(CreateGroupReply), TERN_REPLY(ConversationsPage),
    TERN_REPLY(HistoryPage),      TERN_REPLY(SyncReply),
    TERN_REPLY(UserSearchReply),  TERN_REPLY(UsersReply),
    TERN_REPLY(PresenceReply),    TERN_REPLY(ReceiptsReply),
    TERN_REPLY(SendAck),          TERN_REPLY(SearchReply),
};
#undef TERN_REPLY
} // namespace

void TestCodec::replyRejects_data()
{
    // A wrong type or a missing field of an ack is refused, naming the field (the client then
    // reports a transport Protocol failure instead of acting on half an answer).
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    QSet<QString> covered;
    const auto row = [&covered](const char *type, const char *name, const QByteArray &json,
                                const char *field) {
        covered.insert(QString::fromLatin1(type));
        QTest::addRow("%s: %s", type, name)
            << QString::fromLatin1(type) << json << u"'%1'"_s.arg(QLatin1String(field));
    };
    row("RegisterReply", "missing", "{}", "user_id");
    row("RegisterReply", "number", R"({"user_id":5})", "user_id");
    row("LoginReply", "missing device", R"({"token":"t","user_id":"u"})", "device_id");
    row("LoginReply", "numeric token", R"({"token":1,"user_id":"u","device_id":"d"})", "token");
    row("AuthReply", "missing device", R"({"user_id":"u"})", "device_id");
    row("AuthReply", "null user", R"({"user_id":null,"device_id":"d"})", "user_id");
    row("SetDisplayNameReply", "missing", "{}", "display_name");
    row("SetDisplayNameReply", "array", R"({"display_name":[]})", "display_name");
    row("CreateGroupReply", "missing", "{}", "conversation");
    row("CreateGroupReply", "object", R"({"conversation":{}})", "conversation");
    row("ConversationsPage", "missing", "{}", "conversations");
    row("ConversationsPage", "object", R"({"conversations":{}})", "conversations");
    row("ConversationsPage", "number entry", R"({"conversations":[1]})", "conversations");
    row("ConversationsPage", "bad entry", R"({"conversations":[{"conversation":"c"}]})",
        "conversations");
    row("ConversationsPage", "numeric cursor", R"({"conversations":[],"next_cursor":7})",
        "next_cursor");
    row("HistoryPage", "missing", "{}", "messages");
    const QByteArray message = kMessageJson.chopped(1);
    row("HistoryPage", "string edited_ts", R"({"messages":[)" + message + R"(,"edited_ts":"1"}]})",
        "edited_ts");
    row("HistoryPage", "numeric deleted", R"({"messages":[)" + message + R"(,"deleted":1}]})",
        "deleted");
    row("HistoryPage", "string reply_to", R"({"messages":[)" + message + R"(,"reply_to":"1"}]})",
        "reply_to");
    row("HistoryPage", "string forwarded",
        R"({"messages":[)" + message + R"(,"forwarded":"yes"}]})", "forwarded");
    row("HistoryPage", "numeric mention", R"({"messages":[)" + message + R"(,"mentions":[5]}]})",
        "mentions");
    row("HistoryPage", "negative ref", R"({"messages":[)" + message + R"(,"ref":-1}]})", "ref");
    row("HistoryPage", "string on", R"({"messages":[)" + message + R"(,"on":"no"}]})", "on");
    row("HistoryPage", "reactions object", R"({"messages":[)" + message + R"(,"reactions":{}}]})",
        "reactions");
    row("HistoryPage", "reaction without users",
        R"({"messages":[)" + message + R"(,"reactions":[{"emoji":"👍"}]}]})", "users");
    row("HistoryPage", "bad message", R"({"messages":[{"id":"m"}]})", "messages");
    row("HistoryPage", "string cursor", R"({"messages":[],"next_before_seq":"5"})",
        "next_before_seq");
    row("HistoryPage", "negative cursor", R"({"messages":[],"next_before_seq":-1})",
        "next_before_seq");
    row("SyncReply", "missing", "{}", "complete");
    row("SyncReply", "string", R"({"complete":"yes"})", "complete");
    row("UserSearchReply", "null", R"({"users":null})", "users");
    row("UsersReply", "half a user", R"({"users":[{"user_id":"u"}]})", "users");
    row("PresenceReply", "string", R"({"users":"u1"})", "users");
    row("ReceiptsReply", "numeric flag",
        R"({"members":[{"user_id":"u","delivered":1,"read":false,"delivered_seq":1,)"
        R"("read_seq":0}]})",
        "members");
    row("ReceiptsReply", "missing", "{}", "members");
    row("SendAck", "string seq",
        R"({"status":"sent","conversation":"c1","seq":"42","server_ts":1})", "seq");
    row("SendAck", "missing server_ts", R"({"status":"sent","conversation":"c1","seq":42})",
        "server_ts");
    row("SendAck", "missing status", R"({"conversation":"c1","seq":42,"server_ts":1})", "status");
    // A field missing anywhere, also inside a list's entry, refuses the whole reply.
    row("RegisterReply", "null", R"({"user_id":null})", "user_id");
    row("LoginReply", "missing token", R"({"user_id":"u","device_id":"d"})", "token");
    row("LoginReply", "missing user", R"({"token":"t","device_id":"d"})", "user_id");
    row("AuthReply", "missing user", R"({"device_id":"d"})", "user_id");
    row("ConversationsPage", "entry without unread",
        R"({"conversations":[{"conversation":"c","kind":"direct","name":"B","members":[],)"
        R"("last_seq":0,"read_seq":0}]})",
        "unread");
    row("ConversationsPage", "member without role",
        R"({"conversations":[{"conversation":"c","kind":"group","name":"G",)"
        R"("members":[{"user_id":"u1"}],"last_seq":0,"unread":0,"read_seq":0}]})",
        "role");
    row("HistoryPage", "message without server_ts",
        R"({"messages":[{"id":"m","conversation":"c","seq":1,"from":"u","kind":"text",)"
        R"("ts":1}]})",
        "server_ts");
    row("HistoryPage", "null messages", R"({"messages":null})", "messages");
    row("SyncReply", "null", R"({"complete":null})", "complete");
    row("UserSearchReply", "missing", "{}", "users");
    row("UserSearchReply", "user without display name",
        R"({"users":[{"user_id":"u1","user":"alice"}]})", "display_name");
    row("UsersReply", "missing", "{}", "users");
    row("PresenceReply", "missing", "{}", "users");
    row("PresenceReply", "entry without status", R"({"users":[{"user_id":"u1"}]})", "status");
    row("ReceiptsReply", "entry without read_seq",
        R"({"members":[{"user_id":"u","delivered":true,"read":false,"delivered_seq":1}]})",
        "read_seq");
    row("SendAck", "missing conversation", R"({"status":"sent","seq":42,"server_ts":1})",
        "conversation");
    row("SendAck", "missing seq", R"({"status":"sent","conversation":"c1","server_ts":1})", "seq");
    row("SearchReply", "missing", "{}", "hits");
    row("SearchReply", "hit without snippet",
        R"({"hits":[{"conversation":"c","seq":1,"id":"m","from":"u","server_ts":1}]})", "snippet");

    // Every reply type with fields has a row here.
    QCOMPARE(std::size(kReplyRejecters), std::variant_size_v<AnyReply> - 1); // all but EmptyReply
    for (const auto &entry : kReplyRejecters)
        QVERIFY2(covered.contains(QString::fromLatin1(entry.first)), entry.first);
}

void TestCodec::replyRejects()
{
    QFETCH(QString, type);
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    for (const auto &[name, rejecter] : kReplyRejecters) {
        if (type == QLatin1String(name)) {
            const QString message = rejecter(object(json));
            QVERIFY2(!message.isNull(), "decoded a reply that must be refused");
            QVERIFY2(message.contains(mentions), qPrintable(message));
            return;
        }
    }
    QFAIL("no decoder for this type");
}

void TestCodec::replyListBounds()
{
    // One reader for every list of objects (FieldReader::objects), its bound a parameter. The
    // lists a server sends are not counted by the client: the server bounds a group by its own
    // --group-member-limit (up to 100,000), which may pass the client arrays' 1000, and a
    // receipts answer names every member; only the incoming message's size bounds them.
    const auto members = [](int count, const char *entry) {
        QJsonArray array;
        for (int i = 0; i < count; ++i)
            array.append(object(entry));
        return array;
    };
    QJsonObject summary = object(R"({"conversation":"c","kind":"group","name":"G","last_seq":0,)"
                                 R"("unread":0,"read_seq":0})");
    summary.insert(u"members"_s,
                   members(limits::kMaxArrayLength + 1, R"({"user_id":"u","role":"member"})"));
    const Result<ConversationSummary> big = fromJson<ConversationSummary>(summary);
    QVERIFY2(big.ok(), qPrintable(big.ok() ? QString() : big.error().message));
    QCOMPARE(big->members.size(), limits::kMaxArrayLength + 1);

    const QJsonObject receipts{
        {u"members"_s,
         members(limits::kMaxArrayLength + 1, R"({"user_id":"u","delivered":true,"read":true,)"
                                              R"("delivered_seq":1,"read_seq":1})")}};
    const Result<ReceiptsReply> all = fromJson<ReceiptsReply>(receipts);
    QVERIFY2(all.ok(), qPrintable(all.ok() ? QString() : all.error().message));
    QCOMPARE(all->members.size(), limits::kMaxArrayLength + 1);
    const QJsonObject presence{
        {u"users"_s, members(limits::kMaxArrayLength + 1, R"({"user_id":"u","status":"online"})")}};
    QVERIFY(fromJson<PresenceReply>(presence).ok());

    // An entry's failure names the list, the entry and the entry's field.
    const Result<ReceiptsReply> bad = fromJson<ReceiptsReply>(
        object(R"({"members":[{"user_id":"u","delivered":true,"read":true,"delivered_seq":1,)"
               R"("read_seq":1},7]})"));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().message, u"field 'members' entry 1: must be an object"_s);
}

void TestCodec::httpAnswerBytes()
{
    // Exactly the bytes the server wrote before the answers were typed (Qt's compact JSON with
    // its keys sorted): what tests/server/tst_media and every deployed app read.
    QCOMPARE(encodeHttpAnswer(HealthAnswer{u"ok"_s, u"0.9.1"_s}),
             QByteArray(R"({"status":"ok","version":"0.9.1"})"));
    const StoredMedia stored{u"0123456789abcdef0123456789abcdef"_s, u"a b.png"_s, u"image/png"_s, 5,
                             QString(64, u'e')};
    const QByteArray storedBytes =
        R"({"media_id":"0123456789abcdef0123456789abcdef","mime":"image/png","name":"a b.png",)"
        R"("sha256":")" +
        QByteArray(64, 'e') + R"(","size":5})";
    QCOMPARE(encodeHttpAnswer(stored), storedBytes);
    QCOMPARE(encodeHttpAnswer(UploadCreatedAnswer{stored, 0}),
             QByteArray(storedBytes).replace(R"(,"sha256")", R"(,"offset":0,"sha256")"));
    QCOMPARE(encodeHttpAnswer(UploadOffsetAnswer{4194304}), QByteArray(R"({"offset":4194304})"));
    QCOMPARE(encodeHttpAnswer(UploadStateAnswer{3, 10, false}),
             QByteArray(R"({"complete":false,"offset":3,"size":10})"));
    QCOMPARE(encodeHttpAnswer(HttpErrorAnswer{u"not_found"_s, u"no such media"_s}),
             QByteArray(R"({"code":"not_found","message":"no such media"})"));
    HttpErrorAnswer conflict{u"conflict"_s, u"the upload holds 3 bytes"_s};
    conflict.offset = 3;
    QCOMPARE(encodeHttpAnswer(conflict),
             QByteArray(R"({"code":"conflict","message":"the upload holds 3 bytes","offset":3})"));
    HttpErrorAnswer tooLarge{u"too_large"_s, u"big"_s};
    tooLarge.limit = 16777216;
    QCOMPARE(encodeHttpAnswer(tooLarge),
             QByteArray(R"({"code":"too_large","limit":16777216,"message":"big"})"));
    HttpErrorAnswer quota{u"quota_exceeded"_s, u"full"_s};
    quota.quota = qint64(10) << 30;
    QCOMPARE(encodeHttpAnswer(quota),
             QByteArray(R"({"code":"quota_exceeded","message":"full","quota":10737418240})"));
    QCOMPARE(encodeHttpAnswer(HttpErrorAnswer{u"service_unavailable"_s,
                                              u"the server is full; try again later"_s}),
             QByteArray(R"({"code":"service_unavailable","message":"the server is full; try )"
                        R"(again later"})"));
}

namespace {
#define TERN_ANSWER(T) std::pair<const char *, Rejecter>(#T, &rejectionOf<T>)
const std::pair<const char *, Rejecter> kAnswerRejecters[] = {
    TERN_ANSWER(HealthAnswer),        TERN_ANSWER(StoredMedia),
    TERN_ANSWER(UploadCreatedAnswer), TERN_ANSWER(UploadOffsetAnswer),
    TERN_ANSWER(UploadStateAnswer),   TERN_ANSWER(HttpErrorAnswer),
};
#undef TERN_ANSWER
} // namespace

void TestCodec::httpAnswerRejects_data()
{
    // The app reads an answer strictly: a missing or mistyped field is an error naming it
    // (MediaUpload then retries later instead of, say, uploading to an empty media id).
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("mentions");
    QSet<QString> covered;
    const auto row = [&covered](const char *type, const char *name, const QByteArray &body,
                                const QString &mentions) {
        covered.insert(QString::fromLatin1(type));
        QTest::addRow("%s: %s", type, name) << QString::fromLatin1(type) << body << mentions;
    };
    const QByteArray sha = QByteArray(64, 'a');
    row("HealthAnswer", "missing status", R"({"version":"1"})", u"'status'"_s);
    row("HealthAnswer", "missing version", R"({"status":"ok"})", u"'version'"_s);
    row("HealthAnswer", "not JSON", "<html>ok</html>", u"not JSON"_s);
    row("HealthAnswer", "an array", R"(["ok"])", u"not a JSON object"_s);
    row("StoredMedia", "missing media_id",
        R"({"name":"a","mime":"text/plain","size":1,"sha256":")" + sha + R"("})", u"'media_id'"_s);
    row("StoredMedia", "empty media_id",
        R"({"media_id":"","name":"a","mime":"text/plain","size":1,"sha256":")" + sha + R"("})",
        u"'media_id'"_s);
    row("StoredMedia", "string size",
        R"({"media_id":"m","name":"a","mime":"text/plain","size":"1","sha256":")" + sha + R"("})",
        u"'size'"_s);
    row("StoredMedia", "missing sha256", R"({"media_id":"m","name":"a","mime":"t","size":1})",
        u"'sha256'"_s);
    row("UploadCreatedAnswer", "missing offset",
        R"({"media_id":"m","name":"a","mime":"text/plain","size":1,"sha256":")" + sha + R"("})",
        u"'offset'"_s);
    row("UploadCreatedAnswer", "missing name",
        R"({"media_id":"m","mime":"text/plain","size":1,"sha256":")" + sha + R"(","offset":0})",
        u"'name'"_s);
    row("UploadOffsetAnswer", "missing", "{}", u"'offset'"_s);
    row("UploadOffsetAnswer", "negative", R"({"offset":-1})", u"'offset'"_s);
    row("UploadOffsetAnswer", "fraction", R"({"offset":1.5})", u"'offset'"_s);
    row("UploadStateAnswer", "missing complete", R"({"offset":1,"size":2})", u"'complete'"_s);
    row("UploadStateAnswer", "missing size", R"({"offset":1,"complete":false})", u"'size'"_s);
    row("UploadStateAnswer", "string complete", R"({"offset":1,"size":2,"complete":"no"})",
        u"'complete'"_s);
    row("HttpErrorAnswer", "missing code", R"({"message":"m"})", u"'code'"_s);
    row("HttpErrorAnswer", "missing message", R"({"code":"conflict"})", u"'message'"_s);
    row("HttpErrorAnswer", "string offset", R"({"code":"c","message":"m","offset":"3"})",
        u"'offset'"_s);
    row("HttpErrorAnswer", "string limit", R"({"code":"c","message":"m","limit":"3"})",
        u"'limit'"_s);
    row("HttpErrorAnswer", "negative quota", R"({"code":"c","message":"m","quota":-1})",
        u"'quota'"_s);
    for (const auto &entry : kAnswerRejecters)
        QVERIFY2(covered.contains(QString::fromLatin1(entry.first)), entry.first);
    QCOMPARE(std::size(kAnswerRejecters), std::variant_size_v<AnyHttpAnswer>);
}

void TestCodec::httpAnswerRejects()
{
    QFETCH(QString, type);
    QFETCH(QByteArray, body);
    QFETCH(QString, mentions);
    // Through the app's entry point (the body's bytes), which also refuses non-objects.
    const Result<QJsonObject> parsed = parseHttpBody(body);
    QString message;
    if (!parsed.ok()) {
        message = parsed.error().message;
    } else {
        for (const auto &[name, rejecter] : kAnswerRejecters) {
            if (type == QLatin1String(name))
                message = rejecter(*parsed);
        }
    }
    QVERIFY2(!message.isNull(), "decoded an answer that must be refused");
    QVERIFY2(message.contains(mentions), qPrintable(message));
}

void TestCodec::hostileInputNeverCrashes()
{
    // Every prefix of every valid frame, then random byte mutations. Nothing may crash, and a
    // result is always either a request or an error with a message.
    QList<QByteArray> seeds;
    for (const Row &row : roundTripRows())
        seeds << row.json;
    seeds << frameOf("message",
                     "{\"to\":\"u\",\"kind\":\"text\",\"content\":\"\\\"\\\\\\u00e9[{\"}")
          << frameOf("history", R"({"conversation":"c","before_seq":1,"limit":2})");

    auto check = [](const QByteArray &frame) {
        const DecodeResult result = decodeRequest(frame);
        if (result.ok())
            return true;
        const Result<ServerFrame> server = decodeServerFrame(frame);
        Q_UNUSED(server);
        (void)jsonNestingDepth(frame);
        return !result.error.message.isEmpty() && result.error.code != ErrorCode::Internal;
    };

    for (const QByteArray &seed : seeds) {
        for (qsizetype n = 0; n <= seed.size(); ++n)
            QVERIFY(check(seed.left(n)));
    }

    QRandomGenerator random(20240601);
    const char interesting[] = {'{', '}', '[',  ']',    '"',    '\\',   ',', ':', '0', '-',
                                'e', '.', '\0', '\x80', '\xc3', '\xff', 'u', 'n', 't'};
    for (int i = 0; i < 20000; ++i) {
        QByteArray frame = seeds.at(random.bounded(int(seeds.size())));
        const int edits = 1 + random.bounded(8);
        for (int e = 0; e < edits && !frame.isEmpty(); ++e) {
            const int pos = random.bounded(int(frame.size()));
            const char c = random.bounded(2) ? interesting[random.bounded(int(sizeof interesting))]
                                             : char(random.bounded(256));
            switch (random.bounded(3)) {
            case 0:
                frame[pos] = c;
                break;
            case 1:
                frame.insert(pos, c);
                break;
            default:
                frame.remove(pos, 1);
                break;
            }
        }
        QVERIFY2(check(frame), frame.toPercentEncoding().constData());
    }
}

void TestCodec::directEncodersMatchTheGenericCodec_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("withMedia");
    QTest::newRow("plain") << QStringLiteral("hello") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("quotes and backslashes") << QStringLiteral(R"(say "hi" \ \\n \u0041)") << false;
    QTest::newRow("control characters")
        << QString::fromUtf8("a\nb\rc\td\be\ff\x01g\x1fh\x7fi") + QChar(0) << false;
    QTest::newRow("non-ASCII") << QString::fromUtf8("grüße – 你好 😀 \u2028\u2029") << false;
    QTest::newRow("media") << QStringLiteral("a picture") << true;
    QTest::newRow("lone surrogate")
        << QStringLiteral("x") + QChar(0xD800) + QStringLiteral("y") << false;
    QString every;
    for (char16_t c = 1; c < 0x100; ++c)
        every += QChar(c);
    QTest::newRow("every Latin-1 character") << every << true;
}

void TestCodec::directEncodersMatchTheGenericCodec()
{
    // The socket thread writes message events and send acks with JsonWriter; a client must not
    // be able to tell them from the QJsonObject codec's output.
    QFETCH(QString, text);
    QFETCH(bool, withMedia);
    MessageEvent event{text + QStringLiteral("-id"),
                       QStringLiteral("c\"1"),
                       42,
                       text,
                       QStringLiteral("dev"),
                       QString(),
                       MessageKind::Text,
                       QString(),
                       text,
                       std::nullopt,
                       -1700000000000,
                       std::numeric_limits<qint64>::max(),
                       {},
                       false,
                       {},
                       {},
                       true,
                       {},
                       false,
                       {}};
    if (withMedia)
        event.media = Media{QStringLiteral("m1"), text, QString(), 12345, QString(), QString(), 7,
                            std::nullopt};

    const QByteArray direct = encodeEvent(event);
    QJsonObject generic = toJson(event);
    generic.insert("type", "message");
    QJsonParseError error;
    const QJsonDocument parsed = QJsonDocument::fromJson(direct, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    // Compared as a client sees both: parsed from the bytes each writer produced.
    QCOMPARE(parsed.object(), QJsonDocument::fromJson(serialize(generic)).object());
    QStringDecoder utf8(QStringDecoder::Utf8);
    (void)QString(utf8(direct));
    QVERIFY(!utf8.hasError());

    SendAck sent;
    sent.conversation = QStringLiteral("c1");
    sent.seq = 7;
    sent.serverTs = 1700000000001;
    const QByteArray ack = encodeReply(text, sent);
    const QByteArray genericAck = encodeAck(text, {{"status", "sent"},
                                                   {"conversation", "c1"},
                                                   {"seq", 7},
                                                   {"server_ts", qint64(1700000000001)}});
    QCOMPARE(QJsonDocument::fromJson(ack).object(), QJsonDocument::fromJson(genericAck).object());
    QVERIFY(!QJsonDocument::fromJson(ack).isNull());
}

void TestCodec::directEncoderMatchesOnRandomText()
{
    // Random UTF-16, surrogates (paired or not) and control characters included; the seed is
    // fixed so a failure reproduces.
    QRandomGenerator random(20261129);
    for (int round = 0; round < 3000; ++round) {
        QString text;
        const int length = int(random.bounded(40));
        for (int i = 0; i < length; ++i) {
            switch (random.bounded(4)) {
            case 0:
                text += QChar(char16_t(random.bounded(0x80)));
                break;
            case 1:
                text += QChar(char16_t(0xD800 + random.bounded(0x800))); // a surrogate
                break;
            default:
                text += QChar(char16_t(random.bounded(0x10000)));
            }
        }
        const MessageEvent event{QStringLiteral("id"),
                                 QStringLiteral("c1"),
                                 1,
                                 QStringLiteral("u1"),
                                 QStringLiteral("d1"),
                                 QStringLiteral("u2"),
                                 MessageKind::Text,
                                 QString(),
                                 text,
                                 std::nullopt,
                                 1,
                                 2,
                                 {},
                                 false,
                                 {},
                                 {},
                                 true,
                                 {},
                                 false,
                                 {}};
        QJsonObject generic = toJson(event);
        generic.insert("type", "message");
        const QByteArray direct = encodeEvent(event);
        QStringDecoder utf8(QStringDecoder::Utf8);
        (void)QString(utf8(direct));
        QVERIFY2(!utf8.hasError(), direct.toHex().constData());
        QCOMPARE(QJsonDocument::fromJson(direct).object(),
                 QJsonDocument::fromJson(serialize(generic)).object());
    }
}

namespace {

//! Every value of E round-trips through its wire name; `count` values, all named.
template <typename E> void checkEveryValue(int count, const QStringList &names)
{
    QCOMPARE(names.size(), count);
    for (int i = 0; i < count; ++i) {
        const E value = static_cast<E>(i);
        QCOMPARE(wireName(value), names.at(i));
        QCOMPARE(QString(wireNameView(value)), names.at(i));
        const std::optional<E> back = fromWireName<E>(wireName(value));
        QVERIFY(back.has_value());
        QVERIFY(*back == value);
    }
}

} // namespace

void TestCodec::wireNamesRoundTrip()
{
    // The tables of docs/protocol.md, value by value (the enums count from 0).
    checkEveryValue<MessageKind>(4, {u"text"_s, u"image"_s, u"file"_s, u"system"_s});
    QVERIFY(wireName(MessageKind::Unknown).isEmpty()); // no name of its own
    checkEveryValue<Role>(3, {u"owner"_s, u"admin"_s, u"member"_s});
    checkEveryValue<ReceiptStatus>(2, {u"delivered"_s, u"read"_s});
    checkEveryValue<PresenceStatus>(2, {u"online"_s, u"offline"_s});
    checkEveryValue<ConversationKind>(2, {u"direct"_s, u"group"_s});
}

void TestCodec::unknownWireNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("other case") << u"Text"_s;
    QTest::newRow("padded") << u" admin"_s;
    QTest::newRow("unknown") << u"poll"_s;
    QTest::newRow("C++ name") << u"Unknown"_s;
    QTest::newRow("another table's name") << u"group"_s;
}

void TestCodec::unknownWireNames()
{
    QFETCH(QString, name);
    QVERIFY(!fromWireName<MessageKind>(name));
    QVERIFY(!fromWireName<Role>(name));
    QVERIFY(!fromWireName<ReceiptStatus>(name));
    QVERIFY(!fromWireName<PresenceStatus>(name));
    // "group" names a conversation kind, and nothing in the other tables.
    QCOMPARE(fromWireName<ConversationKind>(name).has_value(), name == u"group"_s);
}

void TestCodec::unknownKindsOnTheClient()
{
    // A newer server's message kind is kept by name (the cache stores what was sent).
    const Result<ServerFrame> poll = decodeServerFrame(
        R"({"type":"message","id":"i","conversation":"c","seq":1,"from":"u","kind":"poll",)"
        R"("ts":1,"server_ts":2})");
    QVERIFY(poll.ok());
    const auto &message = std::get<MessageEvent>(*poll);
    QCOMPARE(message.kind, MessageKind::Unknown);
    QCOMPARE(message.kindName, u"poll"_s);
    QCOMPARE(message.kindWireName(), u"poll"_s);
    QCOMPARE(object(encodeEvent(message)).value("kind"_L1).toString(), u"poll"_s);
    // Receipts and presence decode as before: an unknown status is the weaker one.
    const Result<ServerFrame> seen = decodeServerFrame(
        R"({"type":"receipt","conversation":"c","user":"u","status":"seen","seq":1,"ts":2})");
    QVERIFY(seen.ok());
    QCOMPARE(std::get<ReceiptEvent>(*seen).status, ReceiptStatus::Delivered);
    const Result<ServerFrame> away =
        decodeServerFrame(R"({"type":"presence","user_id":"u","status":"away"})");
    QVERIFY(away.ok());
    QCOMPARE(std::get<PresenceEvent>(*away).status, PresenceStatus::Offline);
    // Roles and conversation kinds are closed: the item does not decode, naming the field.
    const Result<MemberInfo> king =
        fromJson<MemberInfo>(object(R"({"user_id":"u","role":"king"})"));
    QVERIFY(!king.ok());
    QVERIFY2(king.error().message.contains(u"'role'"_s), qPrintable(king.error().message));
    const Result<ConversationSummary> channel = fromJson<ConversationSummary>(
        object(R"({"conversation":"c","kind":"channel","name":"n","members":[],"last_seq":0,)"
               R"("unread":0,"read_seq":0})"));
    QVERIFY(!channel.ok());
    QVERIFY2(channel.error().message.contains(u"'kind'"_s), qPrintable(channel.error().message));
    // The server is strict: a client may send none of "system", "poll" or an owner role.
    for (const QByteArray &frame :
         {frameOf("message", R"({"to":"u2","kind":"system","content":"{}"})"),
          frameOf("message", R"({"to":"u2","kind":"poll","content":"x"})"),
          frameOf("set_role", R"({"conversation":"c1","user":"u2","role":"owner"})"),
          frameOf("set_role", R"({"conversation":"c1","user":"u2","role":"Admin"})")}) {
        const DecodeResult result = decodeRequest(frame);
        QVERIFY2(!result.ok(), frame.constData());
        QCOMPARE(result.error.code, ErrorCode::BadRequest);
    }
}

void TestCodec::mediaKeepsOnlyDocumentedFields_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("kept");
    QTest::newRow("device state")
        << QByteArray(R"({"media_id":"m1","local_path":"/etc/passwd","upload_id":"u1",)"
                      R"("is_image":true,"path":"C:\x"})")
        << QByteArray(R"({"media_id":"m1"})");
    QTest::newRow("wrong types")
        << QByteArray(R"({"media_id":7,"name":["a"],"mime":{},"size":"12","sha256":null,)"
                      R"("thumbnail":false,"width":"640","height":{}})")
        << QByteArray("{}");
    QTest::newRow("numbers that are no sizes")
        << QByteArray(R"({"media_id":"m","size":-1,"width":1.5,"height":1e300})")
        << QByteArray(R"({"media_id":"m"})");
    QTest::newRow("numbers kept")
        << QByteArray(R"({"media_id":"m","size":9007199254740992,"width":0,"height":2147483647})")
        << QByteArray(R"({"media_id":"m","size":9007199254740992,"width":0,"height":2147483647})");
    QTest::newRow("nested junk") << QByteArray(
                                        R"({"media_id":"m","x":{"y":[[[]]]},"name":"a.pdf"})")
                                 << QByteArray(R"({"media_id":"m","name":"a.pdf"})");
}

void TestCodec::mediaKeepsOnlyDocumentedFields()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, kept);
    const Result<Media> media = fromJson<Media>(object(json));
    QVERIFY(media.ok()); // never an error: what is not documented is dropped
    COMPARE_JSON(toJson(*media), object(kept));
    // The same on each path a media object takes: a client's send, a server's message.
    const DecodeResult sent =
        decodeRequest(frameOf("message", R"({"to":"u2","kind":"file","media":)" + json + "}"));
    if (object(kept).value("media_id"_L1).isString()) {
        QVERIFY2(sent.ok(), qPrintable(sent.error.message));
        COMPARE_JSON(toJson(*std::get<SendMessageRequest>(sent.request->body).media), object(kept));
    }
    const Result<ServerFrame> received = decodeServerFrame(
        R"({"type":"message","id":"i","conversation":"c","seq":1,"from":"u","kind":"file",)"
        R"("ts":1,"server_ts":2,"media":)" +
        json + "}");
    QVERIFY(received.ok());
    COMPARE_JSON(toJson(*std::get<MessageEvent>(*received).media), object(kept));
}

void TestCodec::groupEventRejectsWrongTypes_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::newRow("no event") << QByteArray(R"({"by":"u1"})") << u"event"_s;
    QTest::newRow("event a number") << QByteArray(R"({"event":3,"by":"u1"})") << u"event"_s;
    QTest::newRow("by a number") << QByteArray(R"({"event":"created","by":1})") << u"by"_s;
    QTest::newRow("users a string")
        << QByteArray(R"({"event":"member_added","users":"u2"})") << u"users"_s;
    QTest::newRow("users of numbers")
        << QByteArray(R"({"event":"member_added","users":["u2",3]})") << u"users"_s;
    QTest::newRow("name a list") << QByteArray(R"({"event":"renamed","name":["x"]})") << u"name"_s;
    QTest::newRow("unknown role") << QByteArray(
                                         R"({"event":"role_changed","users":["u2"],"role":"king"})")
                                  << u"role"_s;
    QTest::newRow("role a bool") << QByteArray(
                                        R"({"event":"role_changed","users":["u2"],"role":true})")
                                 << u"role"_s;
}

void TestCodec::groupEventRejectsWrongTypes()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    const Result<GroupEvent> event = fromJson<GroupEvent>(object(json));
    QVERIFY(!event.ok());
    QVERIFY2(event.error().message.contains(u"'"_s + field + u"'"_s),
             qPrintable(event.error().message));
}

void TestCodec::groupEventContent()
{
    // What the server writes into a system message's content, byte for byte as before.
    GroupEvent created;
    created.kind = GroupEvent::Kind::Created;
    created.by = u"u1"_s;
    created.users = {u"u2"_s};
    created.name = u"Team"_s;
    QCOMPARE(encodeGroupEvent(created),
             uR"({"by":"u1","event":"created","name":"Team","users":["u2"]})"_s);
    const Result<GroupEvent> back = decodeGroupEvent(encodeGroupEvent(created));
    QVERIFY(back.ok());
    QVERIFY(*back == created);
    // A newer server's event is Unknown (shown as "group updated"), not an error.
    const Result<GroupEvent> future = decodeGroupEvent(uR"({"event":"pinned","by":"u1"})"_s);
    QVERIFY(future.ok());
    QCOMPARE(future->kind, GroupEvent::Kind::Unknown);
    QCOMPARE(future->by, u"u1"_s);
    // Content that is no object at all.
    QVERIFY(!decodeGroupEvent(u"[1]"_s).ok());
    QVERIFY(!decodeGroupEvent(u"not json"_s).ok());
    QVERIFY(!decodeGroupEvent(QString()).ok());
}

void TestCodec::messageChangeFields()
{
    // Issue 19's fields decode to their values; absent ones keep their defaults.
    DecodeResult plain =
        decodeRequest(frameOf("message", R"({"to":"c","kind":"text","content":"x"})"));
    QVERIFY(plain.ok());
    const auto &p = std::get<SendMessageRequest>(plain.request->body);
    QVERIFY(!p.replyTo && !p.forwarded && p.mentions.isEmpty() && !p.ref && p.on);

    DecodeResult reply = decodeRequest(frameOf(
        "message",
        R"({"to":"c","kind":"text","content":"x","reply_to":4,"forwarded":true,"mentions":["u2"],)"
        R"("ref":9,"on":false})"));
    QVERIFY(reply.ok());
    const auto &r = std::get<SendMessageRequest>(reply.request->body);
    QCOMPARE(r.replyTo, std::optional<qint64>(4));
    QVERIFY(r.forwarded);
    QCOMPARE(r.mentions, QStringList{u"u2"_s});
    QVERIFY(!r.ref); // ref/on belong to the change kinds only
    QVERIFY(r.on);

    DecodeResult reaction = decodeRequest(
        frameOf("message",
                R"({"to":"c","kind":"reaction","content":"🎉","ref":3,"on":false,"reply_to":1})"));
    QVERIFY(reaction.ok());
    const auto &x = std::get<SendMessageRequest>(reaction.request->body);
    QCOMPARE(x.kind, MessageKind::Reaction);
    QCOMPARE(x.ref, std::optional<qint64>(3));
    QVERIFY(!x.on);
    QVERIFY(!x.replyTo);
    QCOMPARE(x.content, u"🎉"_s);

    DecodeResult del = decodeRequest(frameOf("message", R"({"to":"c","kind":"delete","ref":3})"));
    QVERIFY(del.ok());
    QCOMPARE(std::get<SendMessageRequest>(del.request->body).kind, MessageKind::Delete);

    // The socket thread's direct encoder writes the new fields like the generic codec.
    MessageEvent event;
    event.id = u"i"_s;
    event.conversation = u"c"_s;
    event.seq = 3;
    event.from = u"u1"_s;
    event.kind = MessageKind::Text;
    event.content = u"hi"_s;
    event.replyTo = 1;
    event.forwarded = true;
    event.mentions = {u"u2"_s};
    event.editedTs = 5;
    event.reactions = {Reaction{u"👍"_s, {u"u1"_s, u"u2"_s}}};
    QJsonObject generic = toJson(event);
    generic.insert(u"type"_s, u"message"_s);
    COMPARE_JSON(object(encodeEvent(event)), generic);
    Result<MessageEvent> back = fromJson<MessageEvent>(generic);
    QVERIFY(back);
    QCOMPARE(back->reactions, event.reactions);
    QCOMPARE(back->editedTs, event.editedTs);

    MessageEvent tombstone = event;
    tombstone.kind = MessageKind::Reaction;
    tombstone.deleted = true;
    tombstone.on = false;
    tombstone.ref = 2;
    generic = toJson(tombstone);
    generic.insert(u"type"_s, u"message"_s);
    COMPARE_JSON(object(encodeEvent(tombstone)), generic);
    QCOMPARE(generic.value("on"_L1), QJsonValue(false));
    QCOMPARE(generic.value("deleted"_L1), QJsonValue(true));
}

QTEST_APPLESS_MAIN(TestCodec)
#include "tst_codec.moc"
