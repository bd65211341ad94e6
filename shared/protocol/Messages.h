#pragma once

//! One plain struct per request and event of the wire contract (shared/protocol.md).

#include "shared/protocol/Media.h"
#include "shared/protocol/WireEnums.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace tern::protocol {

// Each request names its ack's payload as `Reply`; the reply structs live in Replies.h.
struct EmptyReply;
struct RegisterReply;
struct LoginReply;
struct AuthReply;
struct SetDisplayNameReply;
struct CreateGroupReply;
struct ConversationsPage;
struct HistoryPage;
struct SyncReply;
struct UserSearchReply;
struct UsersReply;
struct PresenceReply;
struct ReceiptsReply;
struct SendAck;
struct SearchReply;

// ---- Requests (client -> server) --------------------------------------------------------

struct RegisterRequest
{
    static constexpr const char *kType = "register";
    using Reply = RegisterReply;
    QString user;
    QString password;
    QString displayName; // optional on the wire; empty means "same as user"
};

struct LoginRequest
{
    static constexpr const char *kType = "login";
    using Reply = LoginReply;
    QString user;
    QString password;
    QString device;
};

struct AuthRequest
{
    static constexpr const char *kType = "auth";
    using Reply = AuthReply;
    QString token;
};

struct LogoutRequest
{
    static constexpr const char *kType = "logout";
    using Reply = EmptyReply;
};

struct CreateGroupRequest
{
    static constexpr const char *kType = "create_group";
    using Reply = CreateGroupReply;
    QString name;
    QStringList members;
};

struct AddMembersRequest
{
    static constexpr const char *kType = "add_members";
    using Reply = EmptyReply;
    QString conversation;
    QStringList members;
};

struct RemoveMemberRequest
{
    static constexpr const char *kType = "remove_member";
    using Reply = EmptyReply;
    QString conversation;
    QString user;
};

struct LeaveRequest
{
    static constexpr const char *kType = "leave";
    using Reply = EmptyReply;
    QString conversation;
};

struct RenameRequest
{
    static constexpr const char *kType = "rename";
    using Reply = EmptyReply;
    QString conversation;
    QString name;
};

struct SetRoleRequest
{
    static constexpr const char *kType = "set_role";
    using Reply = EmptyReply;
    QString conversation;
    QString user;
    Role role = Role::Member; // admin or member (never owner)
};

struct ConversationsRequest
{
    static constexpr const char *kType = "conversations";
    using Reply = ConversationsPage;
    //! Empty: the first page. Otherwise a previous ack's `next_cursor` (opaque).
    QString cursor;
};

struct HistoryRequest
{
    static constexpr const char *kType = "history";
    using Reply = HistoryPage;
    QString conversation;
    std::optional<qint64> beforeSeq;
    int limit = 50; // 1..200, defaults to 50; larger values are capped at 200
};

struct UserSearchRequest
{
    static constexpr const char *kType = "user_search";
    using Reply = UserSearchReply;
    QString query;
};

//! A message as a client sends it. `content` is opaque; `media` holds the documented fields.
struct SendMessageRequest
{
    static constexpr const char *kType = "message";
    using Reply = SendAck;
    QString to;
    MessageKind kind = MessageKind::Text; // text, image, file, edit, delete, reaction
    QString content;                      // for a reaction: the emoji
    std::optional<Media> media;
    std::optional<qint64> ts;
    std::optional<qint64> replyTo; // text/image/file: the seq replied to
    bool forwarded = false;
    QStringList mentions;      // user ids
    std::optional<qint64> ref; // change kinds: the target's seq (required for them)
    bool on = true;            // reaction: added (true) or removed (false)
};

//! Delivery watermark: either (conversation, seq) or the per-id form (messageIds non-empty).
struct DeliveryRequest
{
    static constexpr const char *kType = "delivery";
    using Reply = EmptyReply;
    QString conversation;
    qint64 seq = 0;
    QStringList messageIds;
};

struct ReadRequest
{
    static constexpr const char *kType = "read";
    using Reply = EmptyReply;
    QString conversation;
    qint64 seq = 0;
    QStringList messageIds;
};

struct ReceiptsRequest
{
    static constexpr const char *kType = "receipts";
    using Reply = ReceiptsReply;
    QString conversation;
    qint64 seq = 0;
};

struct SyncRequest
{
    static constexpr const char *kType = "sync";
    using Reply = SyncReply;
};

struct HeartbeatRequest
{
    static constexpr const char *kType = "heartbeat";
    using Reply = EmptyReply;
};

struct TypingRequest
{
    static constexpr const char *kType = "typing";
    using Reply = EmptyReply;
    QString conversation;
};

struct PresenceRequest
{
    static constexpr const char *kType = "presence";
    using Reply = PresenceReply;
    QStringList users;
};

//! Names of up to 500 users the asker shares a conversation with (others are left out).
struct UsersRequest
{
    static constexpr const char *kType = "users";
    using Reply = UsersReply;
    QStringList users;
};

//! Changes the asker's own display name (validated like register's `display_name`).
struct SetDisplayNameRequest
{
    static constexpr const char *kType = "set_display_name";
    using Reply = SetDisplayNameReply;
    QString displayName;
};

//! Full-text search of the messages the asker may read (docs/protocol.md, "Search").
struct SearchRequest
{
    static constexpr const char *kType = "search";
    using Reply = SearchReply;
    QString query;        // 1..64 characters of user words (never FTS syntax)
    QString conversation; // empty: every conversation of the asker
    QString cursor;       // a previous reply's next_cursor (opaque); empty: the first page
    int limit = 20;       // 1..50 (limits::kDefaultSearchLimit, kMaxSearchLimit)
};

//! "Delete for me": hides messages from the asker's own devices only.
struct HideRequest
{
    static constexpr const char *kType = "hide";
    using Reply = EmptyReply;
    QString conversation;
    QList<qint64> seqs; // 1..100
};

using RequestBody =
    std::variant<RegisterRequest, LoginRequest, AuthRequest, LogoutRequest, CreateGroupRequest,
                 AddMembersRequest, RemoveMemberRequest, LeaveRequest, RenameRequest,
                 SetRoleRequest, ConversationsRequest, HistoryRequest, UserSearchRequest,
                 SendMessageRequest, DeliveryRequest, ReadRequest, ReceiptsRequest, SyncRequest,
                 HeartbeatRequest, TypingRequest, PresenceRequest, UsersRequest,
                 SetDisplayNameRequest, SearchRequest, HideRequest>;

//! A decoded client frame: the request id (absent only for notifications) and its body.
struct Request
{
    std::optional<QString> id;
    RequestBody body;
};

// ---- Events and reply payloads (server -> client) ---------------------------------------

//! One emoji on a message and who put it there, in the order they did.
struct Reaction
{
    QString emoji;
    QStringList users;
    bool operator==(const Reaction &) const = default;
};

//! A stored message as delivered live, by sync, in history and as last_message.
struct MessageEvent
{
    static constexpr const char *kType = "message";
    QString id;
    QString conversation;
    qint64 seq = 0;
    QString from;
    QString fromDevice;
    QString to;
    MessageKind kind = MessageKind::Text;
    //! The server's name of a kind this build does not know (set only with MessageKind::Unknown),
    //! kept so the cache stores what was sent and a newer build can show it.
    QString kindName;
    QString content;
    std::optional<Media> media;
    qint64 ts = 0;
    qint64 serverTs = 0;
    std::optional<qint64> replyTo;
    bool forwarded = false;
    QStringList mentions;
    std::optional<qint64> ref; // change kinds: the target's seq
    bool on = true;            // reaction events
    std::optional<qint64> editedTs;
    bool deleted = false;
    QList<Reaction> reactions; // current state, first-reaction order

    //! The kind as named on the wire (kindName for an unknown kind).
    QString kindWireName() const
    {
        return kind == MessageKind::Unknown ? kindName : wireName(kind);
    }
};

struct ReceiptEvent
{
    static constexpr const char *kType = "receipt";
    QString conversation;
    QString user;
    ReceiptStatus status = ReceiptStatus::Delivered;
    qint64 seq = 0;
    qint64 ts = 0;
};

struct PresenceEvent
{
    static constexpr const char *kType = "presence";
    QString userId;
    PresenceStatus status = PresenceStatus::Offline;
    std::optional<qint64> lastSeen;
};

struct TypingEvent
{
    static constexpr const char *kType = "typing";
    QString conversation;
    QString userId;
};

//! A user changed their display name (sent to their devices and to those sharing a chat).
struct UserUpdatedEvent
{
    static constexpr const char *kType = "user_updated";
    QString userId;
    QString displayName;
};

//! Messages the user hid (sent to all of their devices, live and during sync).
struct HiddenEvent
{
    static constexpr const char *kType = "hidden";
    QString conversation;
    QList<qint64> seqs;
};

struct MemberInfo
{
    QString userId;
    Role role = Role::Member;
};

struct ConversationSummary
{
    QString conversation;
    ConversationKind kind = ConversationKind::Direct;
    QString name;
    QList<MemberInfo> members;
    qint64 lastSeq = 0;
    std::optional<MessageEvent> lastMessage;
    qint64 unread = 0;
    qint64 readSeq = 0;
};

struct UserInfo
{
    QString userId;
    QString user;
    QString displayName;
};

//! One member's state for the `receipts` request.
struct MemberReceipt
{
    QString userId;
    bool delivered = false;
    bool read = false;
    qint64 deliveredSeq = 0;
    qint64 readSeq = 0;
    //! When the asked message was delivered to / read by the member (ms, to the minute; groups
    //! only, the last 30 days); absent when unknown.
    std::optional<qint64> deliveredTs;
    std::optional<qint64> readTs;
};

struct ErrorEvent
{
    static constexpr const char *kType = "error";
    std::optional<QString> id;
    QString code;
    QString message;
};

//! A reply `ack`: the request id plus any fields the request's ack carries.
struct AckEvent
{
    static constexpr const char *kType = "ack";
    QString id;
    QJsonObject fields;
};

} // namespace tern::protocol
