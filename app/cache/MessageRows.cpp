#include "MessageRows.h"

#include "shared/protocol/Codec.h"
#include "shared/protocol/Reactions.h"
#include "shared/sql/MessageRow.h"
#include "shared/sql/SqlDb.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace tern::app::cache::rows {

using protocol::MessageEvent;
using protocol::MessageKind;
using sql::SqlDb;

const QString kColumns = QStringLiteral(
    "conversation, seq, id, sender, from_device, recipient, kind, content, media, ts, server_ts, "
    "reply_to, forwarded, mentions, ref_seq, reaction_on, edited_ts, deleted, reactions");

namespace {

// A null QString binds as SQL NULL: text columns get "" instead.
QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

QString compact(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QVariant optional(const std::optional<qint64> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<qint64>());
}

std::optional<qint64> optionalFrom(const QVariant &value)
{
    return value.isNull() ? std::nullopt : std::optional<qint64>(value.toLongLong());
}

QVariant nullText()
{
    return QVariant(QMetaType::fromType<QString>());
}

} // namespace

QVariant mentionsColumn(const QStringList &mentions)
{
    return mentions.isEmpty() ? nullText()
                              : QVariant(compact(QJsonArray::fromStringList(mentions)));
}

QStringList mentionsFrom(const QVariant &value)
{
    QStringList ids;
    if (value.isNull())
        return ids;
    for (const QJsonValue &id : QJsonDocument::fromJson(value.toString().toUtf8()).array()) {
        if (id.isString())
            ids << id.toString();
    }
    return ids;
}

namespace {

QVariant reactionsColumn(const QList<protocol::Reaction> &reactions)
{
    if (reactions.isEmpty())
        return nullText();
    QJsonArray array;
    for (const protocol::Reaction &reaction : reactions)
        array.append(protocol::toJson(reaction));
    return compact(array);
}

QList<protocol::Reaction> reactionsFrom(const QVariant &value)
{
    QList<protocol::Reaction> reactions;
    if (value.isNull())
        return reactions;
    for (const QJsonValue &item : QJsonDocument::fromJson(value.toString().toUtf8()).array()) {
        Result<protocol::Reaction> reaction =
            protocol::fromJson<protocol::Reaction>(item.toObject());
        if (reaction)
            reactions.append(*reaction);
    }
    return reactions;
}

bool isContentKind(MessageKind kind)
{
    return kind == MessageKind::Text || kind == MessageKind::Image || kind == MessageKind::File;
}

//! The cached row of (conversation, seq), also when hidden.
Result<std::optional<MessageEvent>> read(SqlDb &db, const QString &conversation, qint64 seq,
                                         bool *hidden = nullptr)
{
    QSqlQuery *q = db.prepared(QStringLiteral("SELECT ") + kColumns +
                               QStringLiteral(", hidden FROM messages WHERE conversation = ? AND "
                                              "seq = ?"));
    if (!db.run(q, {conversation, seq}))
        return db.failure();
    std::optional<MessageEvent> m;
    if (q->next()) {
        m = fromRow(*q);
        if (hidden)
            *hidden = q->value(19).toInt() != 0;
    }
    q->finish();
    return m;
}

//! The conversation list shows the last message as it is now (edited, a tombstone).
Status refreshLastMessage(SqlDb &db, const QString &conversation, qint64 seq)
{
    Result<std::optional<MessageEvent>> m = read(db, conversation, seq);
    if (!m)
        return m.error();
    if (!*m)
        return Ok{};
    QSqlQuery *q = db.prepared(
        QStringLiteral("UPDATE conversations SET last_message = ? WHERE conversation = ? AND "
                       "json_valid(last_message) AND json_extract(last_message, '$.seq') = ?"));
    const QString json =
        QString::fromUtf8(QJsonDocument(protocol::toJson(**m)).toJson(QJsonDocument::Compact));
    if (!db.run(q, {json, conversation, seq}))
        return db.failure();
    return Ok{};
}

//! A deleted message's state (the server's tombstone): no text, media, reply, mentions,
//! forward mark nor reactions; its edit events lose their text too.
Status tombstone(SqlDb &db, const QString &conversation, qint64 seq)
{
    QSqlQuery *q = db.prepared(QStringLiteral(
        "UPDATE messages SET deleted = 1, content = '', media = NULL, reply_to = NULL, "
        "mentions = NULL, forwarded = 0, reactions = NULL WHERE conversation = ? AND seq = ?"));
    QSqlQuery *edits = db.prepared(
        QStringLiteral("UPDATE messages SET content = '' WHERE conversation = ? AND kind = 'edit' "
                       "AND ref_seq = ? AND content <> ''"));
    if (!db.run(q, {conversation, seq}) || !db.run(edits, {conversation, seq}))
        return db.failure();
    return Ok{};
}

//! Applies a newly stored change event to its cached, visible, not deleted target.
Result<bool> applyChange(SqlDb &db, const MessageEvent &change)
{
    if (!change.ref)
        return false;
    bool hidden = false;
    Result<std::optional<MessageEvent>> target =
        read(db, change.conversation, *change.ref, &hidden);
    if (!target)
        return target.error();
    if (!*target || hidden || (*target)->deleted || !isContentKind((*target)->kind)) {
        // The server still sends edits of a message this user hid (or one deleted meanwhile):
        // their new text is not kept either.
        if (*target && (hidden || (*target)->deleted) && change.kind == MessageKind::Edit &&
            !change.content.isEmpty()) {
            QSqlQuery *blank = db.prepared(QStringLiteral(
                "UPDATE messages SET content = '' WHERE conversation = ? AND seq = ?"));
            if (!db.run(blank, {change.conversation, change.seq}))
                return db.failure();
        }
        return false;
    }
    bool textRemoved = false;
    switch (change.kind) {
    case MessageKind::Edit: {
        // A member who joined later gets edits without their text: nothing to apply. An edit
        // older than the state already cached (history brought it in) changes nothing either.
        const qint64 edited = change.editedTs.value_or(change.serverTs);
        if ((change.content.isEmpty() && !(*target)->media) ||
            (*target)->editedTs.value_or(0) > edited)
            return false;
        QSqlQuery *q = db.prepared(QStringLiteral(
            "UPDATE messages SET content = ?, edited_ts = ? WHERE conversation = ? AND seq = ?"));
        if (!db.run(q, {text(change.content), edited, change.conversation, *change.ref}))
            return db.failure();
        break;
    }
    case MessageKind::Delete: {
        const Status done = tombstone(db, change.conversation, *change.ref);
        if (!done)
            return done.error();
        textRemoved = true;
        break;
    }
    case MessageKind::Reaction: {
        if (change.content.isEmpty())
            return false; // a reaction on a message from before we joined: no emoji for us
        const QList<protocol::Reaction> now =
            protocol::applyReaction((*target)->reactions, change.from, change.content, change.on);
        QSqlQuery *q = db.prepared(
            QStringLiteral("UPDATE messages SET reactions = ? WHERE conversation = ? AND seq = ?"));
        if (!db.run(q, {reactionsColumn(now), change.conversation, *change.ref}))
            return db.failure();
        break;
    }
    default:
        return false;
    }
    const Status refreshed = refreshLastMessage(db, change.conversation, *change.ref);
    if (!refreshed)
        return refreshed.error();
    return textRemoved;
}

//! A cached message seen again (history, sync): takes the state the server has now.
Result<bool> takeState(SqlDb &db, const MessageEvent &m)
{
    bool hidden = false;
    Result<std::optional<MessageEvent>> cached = read(db, m.conversation, m.seq, &hidden);
    if (!cached)
        return cached.error();
    if (!*cached || hidden || !isContentKind((*cached)->kind))
        return false;
    const MessageEvent &old = **cached;
    // Never back: a page read before a live change was applied must not undo it.
    if (old.deleted || old.editedTs.value_or(0) > m.editedTs.value_or(0))
        return false;
    if (m.deleted) {
        const Status done = tombstone(db, m.conversation, m.seq);
        if (!done)
            return done.error();
    } else if (old.content != m.content || old.media != m.media || old.editedTs != m.editedTs ||
               old.reactions != m.reactions || old.replyTo != m.replyTo ||
               old.mentions != m.mentions || old.forwarded != m.forwarded) {
        QSqlQuery *q = db.prepared(QStringLiteral(
            "UPDATE messages SET content = ?, media = ?, edited_ts = ?, reactions = ?, "
            "reply_to = ?, mentions = ?, forwarded = ? WHERE conversation = ? AND seq = ?"));
        if (!db.run(q, {text(m.content), sql::mediaToColumn(m.media), optional(m.editedTs),
                        reactionsColumn(m.reactions), optional(m.replyTo),
                        mentionsColumn(m.mentions), m.forwarded ? 1 : 0, m.conversation, m.seq}))
            return db.failure();
    } else {
        return false;
    }
    const Status refreshed = refreshLastMessage(db, m.conversation, m.seq);
    if (!refreshed)
        return refreshed.error();
    return m.deleted;
}

} // namespace

MessageEvent fromRow(const QSqlQuery &query)
{
    MessageEvent m = sql::messageFromRow(query);
    m.replyTo = optionalFrom(query.value(11));
    m.forwarded = query.value(12).toInt() != 0;
    m.mentions = mentionsFrom(query.value(13));
    m.ref = optionalFrom(query.value(14));
    m.on = query.value(15).isNull() || query.value(15).toInt() != 0;
    m.editedTs = optionalFrom(query.value(16));
    m.deleted = query.value(17).toInt() != 0;
    m.reactions = reactionsFrom(query.value(18));
    return m;
}

Result<Stored> store(SqlDb &db, const MessageEvent &m)
{
    // Not INSERT OR IGNORE: that would also drop rows violating NOT NULL, silently.
    QSqlQuery *q = db.prepared(
        QStringLiteral("INSERT INTO messages (") + kColumns +
        QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (conversation, seq) DO NOTHING"));
    const bool change = protocol::isChangeKind(m.kind);
    if (!db.run(q, {text(m.conversation), m.seq, text(m.id), text(m.from), text(m.fromDevice),
                    text(m.to), text(m.kindWireName()), text(m.content),
                    sql::mediaToColumn(m.media), m.ts, m.serverTs, optional(m.replyTo),
                    m.forwarded ? 1 : 0, mentionsColumn(m.mentions), optional(m.ref),
                    m.kind == MessageKind::Reaction ? QVariant(m.on ? 1 : 0)
                                                    : QVariant(QMetaType::fromType<int>()),
                    optional(m.editedTs), m.deleted ? 1 : 0, reactionsColumn(m.reactions)}))
        return db.failure();
    Stored stored;
    stored.inserted = q->numRowsAffected() > 0;
    Result<bool> removed = stored.inserted ? (change ? applyChange(db, m) : Result<bool>(false))
                                           : (change ? Result<bool>(false) : takeState(db, m));
    if (!removed)
        return removed.error();
    stored.textRemoved = *removed;
    // Change events never become last_message nor move the chat list order, only last_seq.
    QSqlQuery *touch = change
                           ? db.prepared(QStringLiteral("UPDATE conversations SET last_seq = ? "
                                                        "WHERE conversation = ? AND last_seq < ?"))
                           : db.prepared(QStringLiteral(
                                 "UPDATE conversations SET last_seq = ?, last_message = ?, "
                                 "last_activity = ? WHERE conversation = ? AND last_seq < ?"));
    const bool touched =
        change
            ? db.run(touch, {m.seq, m.conversation, m.seq})
            : db.run(touch, {m.seq,
                             QString::fromUtf8(
                                 QJsonDocument(protocol::toJson(m)).toJson(QJsonDocument::Compact)),
                             m.serverTs, m.conversation, m.seq});
    if (!touched)
        return db.failure();
    return stored;
}

//! A hidden message is not the chat list's preview: the newest message still shown takes its
//! place (none: no preview), as the server's `conversations` list does.
Status replaceHiddenLastMessage(SqlDb &db, const QString &conversation, qint64 seq)
{
    QSqlQuery *shows = db.prepared(
        QStringLiteral("SELECT 1 FROM conversations WHERE conversation = ? AND "
                       "json_valid(last_message) AND json_extract(last_message, '$.seq') = ?"));
    if (!db.run(shows, {conversation, seq}))
        return db.failure();
    const bool previewed = shows->next();
    shows->finish();
    if (!previewed)
        return Ok{};
    QSqlQuery *newest = db.prepared(
        QStringLiteral("SELECT ") + kColumns +
        QStringLiteral(" FROM messages WHERE conversation = ? AND hidden = 0 AND kind NOT IN "
                       "('edit', 'delete', 'reaction') ORDER BY seq DESC LIMIT 1"));
    if (!db.run(newest, {conversation}))
        return db.failure();
    QVariant json(QMetaType::fromType<QString>());
    if (newest->next())
        json = QString::fromUtf8(
            QJsonDocument(protocol::toJson(fromRow(*newest))).toJson(QJsonDocument::Compact));
    newest->finish();
    QSqlQuery *update = db.prepared(
        QStringLiteral("UPDATE conversations SET last_message = ? WHERE conversation = ?"));
    if (!db.run(update, {json, conversation}))
        return db.failure();
    return Ok{};
}

Result<bool> hide(SqlDb &db, const QString &conversation, const QList<qint64> &seqs)
{
    QSqlQuery *q = db.prepared(QStringLiteral(
        "UPDATE messages SET hidden = 1, content = '', media = NULL, reactions = NULL, "
        "mentions = NULL, reply_to = NULL WHERE conversation = ? AND seq = ? AND hidden = 0"));
    QSqlQuery *edits = db.prepared(
        QStringLiteral("UPDATE messages SET content = '' WHERE conversation = ? AND kind = 'edit' "
                       "AND ref_seq = ? AND content <> ''"));
    bool changed = false;
    for (const qint64 seq : seqs) {
        if (!db.run(q, {conversation, seq}))
            return db.failure();
        const bool hidden = q->numRowsAffected() > 0;
        if (hidden && !db.run(edits, {conversation, seq}))
            return db.failure();
        if (hidden) {
            if (Status replaced = replaceHiddenLastMessage(db, conversation, seq); !replaced)
                return replaced.error();
        }
        changed = changed || hidden;
    }
    return changed;
}

Status purgeSearchIndex(SqlDb &db)
{
    // FTS5 (SQLite 3.40) only marks a removed row's words as deleted in a newer segment; merging
    // every segment into one drops them. Steps of 256 pages, until a step changes nothing (as
    // the server's SearchIndexPurger), bounded against an index that never settles.
    QSqlQuery *changes = db.prepared(QStringLiteral("SELECT total_changes()"));
    QSqlQuery *merge = db.prepared(
        QStringLiteral("INSERT INTO messages_fts (messages_fts, rank) VALUES ('merge', -256)"));
    for (int step = 0; step < 100'000; ++step) {
        if (!db.run(changes) || !changes->next())
            return db.failure();
        const qint64 before = changes->value(0).toLongLong();
        changes->finish();
        if (!db.run(merge) || !db.run(changes) || !changes->next())
            return db.failure();
        const qint64 after = changes->value(0).toLongLong();
        changes->finish();
        if (after - before < 2)
            break;
    }
    return Ok{};
}

} // namespace tern::app::cache::rows
