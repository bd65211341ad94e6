#pragma once

//! Declarations of every toJson/fromJson specialization, included by Codec.h so each is
//! declared before any use; the definitions live in RequestCodec.cpp, EventCodec.cpp and
//! ReplyCodec.cpp.

#include "shared/protocol/Codec.h"

namespace tern::protocol {

// Requests
template <> QJsonObject toJson<RegisterRequest>(const RegisterRequest &value);
template <> Result<RegisterRequest> fromJson<RegisterRequest>(const QJsonObject &object);
template <> QJsonObject toJson<LoginRequest>(const LoginRequest &value);
template <> Result<LoginRequest> fromJson<LoginRequest>(const QJsonObject &object);
template <> QJsonObject toJson<AuthRequest>(const AuthRequest &value);
template <> Result<AuthRequest> fromJson<AuthRequest>(const QJsonObject &object);
template <> QJsonObject toJson<LogoutRequest>(const LogoutRequest &value);
template <> Result<LogoutRequest> fromJson<LogoutRequest>(const QJsonObject &object);
template <> QJsonObject toJson<CreateGroupRequest>(const CreateGroupRequest &value);
template <> Result<CreateGroupRequest> fromJson<CreateGroupRequest>(const QJsonObject &object);
template <> QJsonObject toJson<AddMembersRequest>(const AddMembersRequest &value);
template <> Result<AddMembersRequest> fromJson<AddMembersRequest>(const QJsonObject &object);
template <> QJsonObject toJson<RemoveMemberRequest>(const RemoveMemberRequest &value);
template <> Result<RemoveMemberRequest> fromJson<RemoveMemberRequest>(const QJsonObject &object);
template <> QJsonObject toJson<LeaveRequest>(const LeaveRequest &value);
template <> Result<LeaveRequest> fromJson<LeaveRequest>(const QJsonObject &object);
template <> QJsonObject toJson<RenameRequest>(const RenameRequest &value);
template <> Result<RenameRequest> fromJson<RenameRequest>(const QJsonObject &object);
template <> QJsonObject toJson<SetRoleRequest>(const SetRoleRequest &value);
template <> Result<SetRoleRequest> fromJson<SetRoleRequest>(const QJsonObject &object);
template <> QJsonObject toJson<ConversationsRequest>(const ConversationsRequest &value);
template <> Result<ConversationsRequest> fromJson<ConversationsRequest>(const QJsonObject &object);
template <> QJsonObject toJson<HistoryRequest>(const HistoryRequest &value);
template <> Result<HistoryRequest> fromJson<HistoryRequest>(const QJsonObject &object);
template <> QJsonObject toJson<UserSearchRequest>(const UserSearchRequest &value);
template <> Result<UserSearchRequest> fromJson<UserSearchRequest>(const QJsonObject &object);
template <> QJsonObject toJson<SendMessageRequest>(const SendMessageRequest &value);
template <> Result<SendMessageRequest> fromJson<SendMessageRequest>(const QJsonObject &object);
template <> QJsonObject toJson<DeliveryRequest>(const DeliveryRequest &value);
template <> Result<DeliveryRequest> fromJson<DeliveryRequest>(const QJsonObject &object);
template <> QJsonObject toJson<ReadRequest>(const ReadRequest &value);
template <> Result<ReadRequest> fromJson<ReadRequest>(const QJsonObject &object);
template <> QJsonObject toJson<ReceiptsRequest>(const ReceiptsRequest &value);
template <> Result<ReceiptsRequest> fromJson<ReceiptsRequest>(const QJsonObject &object);
template <> QJsonObject toJson<SyncRequest>(const SyncRequest &value);
template <> Result<SyncRequest> fromJson<SyncRequest>(const QJsonObject &object);
template <> QJsonObject toJson<HeartbeatRequest>(const HeartbeatRequest &value);
template <> Result<HeartbeatRequest> fromJson<HeartbeatRequest>(const QJsonObject &object);
template <> QJsonObject toJson<TypingRequest>(const TypingRequest &value);
template <> Result<TypingRequest> fromJson<TypingRequest>(const QJsonObject &object);
template <> QJsonObject toJson<PresenceRequest>(const PresenceRequest &value);
template <> Result<PresenceRequest> fromJson<PresenceRequest>(const QJsonObject &object);
template <> QJsonObject toJson<UsersRequest>(const UsersRequest &value);
template <> Result<UsersRequest> fromJson<UsersRequest>(const QJsonObject &object);
template <> QJsonObject toJson<SetDisplayNameRequest>(const SetDisplayNameRequest &value);
template <>
Result<SetDisplayNameRequest> fromJson<SetDisplayNameRequest>(const QJsonObject &object);
template <> QJsonObject toJson<SearchRequest>(const SearchRequest &value);
template <> Result<SearchRequest> fromJson<SearchRequest>(const QJsonObject &object);
template <> QJsonObject toJson<HideRequest>(const HideRequest &value);
template <> Result<HideRequest> fromJson<HideRequest>(const QJsonObject &object);

// Events and reply payloads
template <> QJsonObject toJson<HiddenEvent>(const HiddenEvent &value);
template <> Result<HiddenEvent> fromJson<HiddenEvent>(const QJsonObject &object);
template <> QJsonObject toJson<SearchHit>(const SearchHit &value);
template <> Result<SearchHit> fromJson<SearchHit>(const QJsonObject &object);
template <> QJsonObject toJson<MessageEvent>(const MessageEvent &value);
template <> Result<MessageEvent> fromJson<MessageEvent>(const QJsonObject &object);
template <> QJsonObject toJson<Reaction>(const Reaction &value);
template <> Result<Reaction> fromJson<Reaction>(const QJsonObject &object);
//! Adds a message's optional fields (reply_to, forwarded, mentions, ref, on, edited_ts,
//! deleted, reactions) to `o`, each only when set.
void insertMessageExtras(QJsonObject &o, const MessageEvent &value);
//! True when a message has any field insertMessageExtras() writes.
inline bool hasMessageExtras(const MessageEvent &m)
{
    return m.replyTo || m.forwarded || !m.mentions.isEmpty() || m.ref ||
           m.kind == MessageKind::Reaction || m.editedTs || m.deleted || !m.reactions.isEmpty();
}
template <> QJsonObject toJson<ReceiptEvent>(const ReceiptEvent &value);
template <> Result<ReceiptEvent> fromJson<ReceiptEvent>(const QJsonObject &object);
template <> QJsonObject toJson<PresenceEvent>(const PresenceEvent &value);
template <> Result<PresenceEvent> fromJson<PresenceEvent>(const QJsonObject &object);
template <> QJsonObject toJson<TypingEvent>(const TypingEvent &value);
template <> Result<TypingEvent> fromJson<TypingEvent>(const QJsonObject &object);
template <> QJsonObject toJson<UserUpdatedEvent>(const UserUpdatedEvent &value);
template <> Result<UserUpdatedEvent> fromJson<UserUpdatedEvent>(const QJsonObject &object);
template <> QJsonObject toJson<MemberInfo>(const MemberInfo &value);
template <> Result<MemberInfo> fromJson<MemberInfo>(const QJsonObject &object);
template <> QJsonObject toJson<ConversationSummary>(const ConversationSummary &value);
template <> Result<ConversationSummary> fromJson<ConversationSummary>(const QJsonObject &object);
template <> QJsonObject toJson<UserInfo>(const UserInfo &value);
template <> Result<UserInfo> fromJson<UserInfo>(const QJsonObject &object);
template <> QJsonObject toJson<MemberReceipt>(const MemberReceipt &value);
template <> Result<MemberReceipt> fromJson<MemberReceipt>(const QJsonObject &object);
template <> QJsonObject toJson<ErrorEvent>(const ErrorEvent &value);
template <> Result<ErrorEvent> fromJson<ErrorEvent>(const QJsonObject &object);
template <> QJsonObject toJson<AckEvent>(const AckEvent &value);
template <> Result<AckEvent> fromJson<AckEvent>(const QJsonObject &object);

// Parts of messages (MediaCodec.cpp)
template <> QJsonObject toJson<Media>(const Media &value);
template <> Result<Media> fromJson<Media>(const QJsonObject &object);
template <> QJsonObject toJson<GroupEvent>(const GroupEvent &value);
template <> Result<GroupEvent> fromJson<GroupEvent>(const QJsonObject &object);

// Replies (the payload of each request's ack)
template <> QJsonObject toJson<EmptyReply>(const EmptyReply &value);
template <> Result<EmptyReply> fromJson<EmptyReply>(const QJsonObject &object);
template <> QJsonObject toJson<RegisterReply>(const RegisterReply &value);
template <> Result<RegisterReply> fromJson<RegisterReply>(const QJsonObject &object);
template <> QJsonObject toJson<LoginReply>(const LoginReply &value);
template <> Result<LoginReply> fromJson<LoginReply>(const QJsonObject &object);
template <> QJsonObject toJson<AuthReply>(const AuthReply &value);
template <> Result<AuthReply> fromJson<AuthReply>(const QJsonObject &object);
template <> QJsonObject toJson<SetDisplayNameReply>(const SetDisplayNameReply &value);
template <> Result<SetDisplayNameReply> fromJson<SetDisplayNameReply>(const QJsonObject &object);
template <> QJsonObject toJson<CreateGroupReply>(const CreateGroupReply &value);
template <> Result<CreateGroupReply> fromJson<CreateGroupReply>(const QJsonObject &object);
template <> QJsonObject toJson<ConversationsPage>(const ConversationsPage &value);
template <> Result<ConversationsPage> fromJson<ConversationsPage>(const QJsonObject &object);
template <> QJsonObject toJson<HistoryPage>(const HistoryPage &value);
template <> Result<HistoryPage> fromJson<HistoryPage>(const QJsonObject &object);
template <> QJsonObject toJson<SyncReply>(const SyncReply &value);
template <> Result<SyncReply> fromJson<SyncReply>(const QJsonObject &object);
template <> QJsonObject toJson<UserSearchReply>(const UserSearchReply &value);
template <> Result<UserSearchReply> fromJson<UserSearchReply>(const QJsonObject &object);
template <> QJsonObject toJson<UsersReply>(const UsersReply &value);
template <> Result<UsersReply> fromJson<UsersReply>(const QJsonObject &object);
template <> QJsonObject toJson<PresenceReply>(const PresenceReply &value);
template <> Result<PresenceReply> fromJson<PresenceReply>(const QJsonObject &object);
template <> QJsonObject toJson<ReceiptsReply>(const ReceiptsReply &value);
template <> Result<ReceiptsReply> fromJson<ReceiptsReply>(const QJsonObject &object);
template <> QJsonObject toJson<SendAck>(const SendAck &value);
template <> Result<SendAck> fromJson<SendAck>(const QJsonObject &object);
template <> QJsonObject toJson<SearchReply>(const SearchReply &value);
template <> Result<SearchReply> fromJson<SearchReply>(const QJsonObject &object);

} // namespace tern::protocol
