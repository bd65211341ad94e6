#pragma once

// Plain records passed across the storage interface (no SQL, no Qt Sql types).

#include "shared/protocol/Messages.h"
#include "shared/protocol/Replies.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace tern::server::store {

//! Who still wants a read's result: the store skips a queued read whose interest has expired
//! (its link closed), so a closed link's pipelined work costs nothing. Empty = always wanted.
using Interest = std::weak_ptr<const void>;

//! How much one reply page may hold: rows, and bytes of encoded JSON (protocol/JsonSize.h).
//! At least one row is always returned, whatever its size.
struct PageBudget
{
    int rows = 0;
    qint64 bytes = 0;
};

struct HistoryPage
{
    QList<protocol::MessageEvent> messages; // oldest first
    //! Set when older visible messages remain: the `before_seq` of the next page.
    std::optional<qint64> nextBeforeSeq;
};

struct ConversationPage
{
    QList<protocol::ConversationSummary> conversations;
    QString nextCursor; // empty: this was the last page
};

struct UserRecord
{
    QString id;
    QString name;
    QString displayName;
    QString passwordHash;
    bool disabled = false;
};

struct DeviceSession
{
    QString userId;
    QString deviceId;
    qint64 lastUsedMs = 0; // when the token was last used (or created), ms since the epoch
};

struct NewMessage
{
    QString senderUser;
    QString senderDevice;
    QString clientId; // the client's message id; idempotency key together with senderDevice
    QString to;
    protocol::MessageKind kind = protocol::MessageKind::Text;
    QString content;
    std::optional<protocol::Media> media;
    qint64 ts = 0;
    qint64 serverTs = 0;
    std::optional<qint64> replyTo;
    bool forwarded = false;
    QStringList mentions;
    std::optional<qint64> ref; // change kinds: the target's seq
    bool on = true;            // reaction: add (true) or remove
    qint64 editWindowMs = 0;   // edits of messages older than this are refused; 0 = no limit
};

struct AppendOutcome
{
    protocol::MessageEvent message;
    bool duplicate = false;    // an earlier send with the same id; nothing new was stored
    QStringList memberUserIds; // current members, for fan-out
    //! Of memberUserIds, those who joined after a change's target: they get the event without
    //! its content, as history and sync give it to them.
    QStringList blindUserIds;
    //! Media a delete left unreferenced: its record is gone; the caller removes the files.
    QStringList forgottenMedia;
};

//! A media object as stored: the declaration made at upload time (name already sanitised).
struct MediaRecord
{
    QString id;
    QString uploader;
    QString name;
    QString mime;
    qint64 size = 0;
    QString sha256; // lowercase hex
    bool complete = false;
    qint64 createdMs = 0;
};

//! What one user may hold in media (ServerConfig's media bounds), checked at createUpload.
struct UploadLimits
{
    qint64 quotaBytes = 0; // finished and in progress; 0 = no quota
    int maxOpen = 0;       // incomplete uploads at once; 0 = no bound
    qint64 minCharge = 0;  // each upload counts at least this against the quota
};

//! A watermark move, for receipt events.
struct WatermarkOutcome
{
    QString conversation;
    QString userId;
    bool deliveredMoved = false;
    bool readMoved = false;
    qint64 deliveredSeq = 0;
    qint64 readSeq = 0;
    QStringList notifyUserIds; // other users whose messages the move newly passed
};

//! The outcome of a group operation: the system messages it wrote (seq order) and who must
//! receive them. The first message goes to `recipients` (the members after the change plus a
//! removed or leaving member, who gets their own departure and nothing after it); any later
//! ones (an owner's hand-over) go to `members` only.
struct GroupChange
{
    QString conversation;
    QList<protocol::MessageEvent> systemMessages;
    QStringList recipients;
    QStringList members; // current members after the change
};

//! One conversation's slice of a device's sync backlog: messages with seq in (after, upTo].
struct SyncRange
{
    QString conversation;
    qint64 after = 0;
    qint64 upTo = 0;
    qint64 joinedSeq = 0; // the reader's: changes of older messages come without their content
};

//! A `search` as the store runs it (the request already validated by the codec).
struct SearchQuery
{
    QString userId;
    QString text;
    QString conversation; // empty: every conversation of the user
    QString cursor;       // empty: the first page
    int limit = 20;
};

struct SearchPage
{
    QList<protocol::SearchHit> hits;
    QString nextCursor; // empty: no more hits
};

//! The hides a device has not been told of yet, and the position that covers them.
struct HiddenReplay
{
    QList<protocol::HiddenEvent> events;
    qint64 upToPos = 0;
};

} // namespace tern::server::store
