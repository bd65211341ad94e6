#pragma once

//! Value types of the app's local cache (outbox rows, results of saving messages).

#include "shared/protocol/Messages.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace tern::app::cache {

//! A message written locally before it is sent; `id` is reused for every retry.
struct OutboxItem
{
    QString id;
    QString to;
    // text, image, file; or a change of an earlier message: edit, delete, reaction (issue 19)
    protocol::MessageKind kind = protocol::MessageKind::Text;
    QString content;
    std::optional<protocol::Media> media; // what goes on the wire, nothing of this device
    qint64 ts = 0;
    qint64 created = 0; // creation order, assigned by the store
    int attempts = 0;
    // This device's own state of a media message, never part of `media` (issue 15): the file
    // being sent and the server's id of its unfinished upload (to resume it after a restart).
    QString localPath;
    QString uploadId;
    // Issue 19, as on the wire: a change's target seq and a reaction's on/off; a reply's
    // original, the forward mark and the mentioned user ids.
    std::optional<qint64> ref;
    bool on = true;
    std::optional<qint64> replyTo;
    bool forwarded = false;
    QStringList mentions;
};

//! What a new message carries besides its content (issue 19): the seq it replies to, the
//! users it mentions and whether it is a forward.
struct MessageOptions
{
    std::optional<qint64> replyTo;
    QStringList mentions;
    bool forwarded = false;
};

//! What saveMessages() did.
struct SaveOutcome
{
    //! Per input message: true when it was new (false: a duplicate by (conversation, seq)).
    QList<bool> inserted;
    //! For received (live/sync) messages: each touched conversation's delivery watermark.
    QHash<QString, qint64> delivered;
    int insertedCount() const { return int(inserted.count(true)); }
};

//! A local full-text search (LocalStore::search): the user's words, each matched as a word
//! start; `conversation` empty = every chat.
struct SearchQuery
{
    QString text;
    QString conversation;
    int limit = 20;
};

//! One cached message that matched, best first (bm25, then newest).
struct LocalSearchHit
{
    QString conversation;
    qint64 seq = 0;
    QString id;
    QString sender;
    qint64 serverTs = 0;
    //! Plain text around the match, the matched words between U+0002 and U+0003 (STX/ETX); the
    //! UI escapes it and turns the markers into highlighting. At most 200 characters.
    QString snippet;
    double rank = 0; // bm25: lower is better
};

} // namespace tern::app::cache

Q_DECLARE_METATYPE(tern::app::cache::OutboxItem)
