#pragma once

//! The payload of every request's `ack`, one struct per kind (each request's `Reply`).

#include "shared/protocol/Messages.h"

#include <QList>
#include <QString>

#include <optional>
#include <variant>

namespace tern::protocol {

//! An ack with no fields: logout, the group changes, and notifications sent with an id.
struct EmptyReply
{
};

struct RegisterReply
{
    QString userId;
};

struct LoginReply
{
    QString token;
    QString userId;
    QString deviceId;
};

struct AuthReply
{
    QString userId;
    QString deviceId;
};

//! The name as the server stored it (trimmed).
struct SetDisplayNameReply
{
    QString displayName;
};

struct CreateGroupReply
{
    QString conversation;
};

//! One page of the conversation list; `nextCursor` while more remain (opaque).
struct ConversationsPage
{
    QList<ConversationSummary> conversations;
    std::optional<QString> nextCursor;
};

//! One page of history, oldest first; `nextBeforeSeq` while older visible messages remain.
struct HistoryPage
{
    QList<MessageEvent> messages;
    std::optional<qint64> nextBeforeSeq;
};

//! The end of one sync round (the backlog came before it as message events).
struct SyncReply
{
    bool complete = true;
};

struct UserSearchReply
{
    QList<UserInfo> users;
};

struct UsersReply
{
    QList<UserInfo> users;
};

struct PresenceReply
{
    QList<PresenceEvent> users;
};

//! Every member but the asker.
struct ReceiptsReply
{
    QList<MemberReceipt> members;
};

//! A stored (or already stored) message: where it went. Written on the server's fast path.
struct SendAck
{
    QString conversation;
    qint64 seq = 0;
    qint64 serverTs = 0;
    QString status = QStringLiteral("sent"); // the only status the contract has
};

//! One search result; `snippet` is plain text with each match between U+0002 and U+0003.
struct SearchHit
{
    QString conversation;
    qint64 seq = 0;
    QString id;
    QString from;
    qint64 serverTs = 0;
    QString snippet;
};

//! Best first; `nextCursor` (opaque) while more hits remain, empty otherwise.
struct SearchReply
{
    QList<SearchHit> hits;
    QString nextCursor;
};

//! Every reply type (tests check that each has codec rows).
using AnyReply =
    std::variant<EmptyReply, RegisterReply, LoginReply, AuthReply, SetDisplayNameReply,
                 CreateGroupReply, ConversationsPage, HistoryPage, SyncReply, UserSearchReply,
                 UsersReply, PresenceReply, ReceiptsReply, SendAck, SearchReply>;

} // namespace tern::protocol
