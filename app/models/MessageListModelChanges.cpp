// MessageListModel, issue 19: replies, forwards, mentions, edits, deletions, reactions and
// "delete for me" (docs/protocol.md "Changes", "Replies, forwards, mentions", "hide").

#include "app/models/MessageListModel.h"

#include "app/cache/CacheTypes.h"
#include "app/cache/LocalStore.h"
#include "app/client/ChatClient.h"
#include "app/client/ChatConnection.h"
#include "app/models/MessageText.h"
#include "shared/core/Clock.h"
#include "shared/protocol/Reactions.h"

#include <QPointer>

#include <qcoro/qcorofuture.h>

namespace tern::app::models {

using protocol::MessageEvent;
using protocol::MessageKind;

namespace {

bool isContentKind(MessageKind kind)
{
    return kind == MessageKind::Text || kind == MessageKind::Image || kind == MessageKind::File;
}

const QList<int> kChangeRoles = {MessageListModel::TextRole,
                                 MessageListModel::MediaRole,
                                 MessageListModel::ThumbnailRole,
                                 MessageListModel::EditedRole,
                                 MessageListModel::DeletedRole,
                                 MessageListModel::ReactionsRole,
                                 MessageListModel::ReplyToRole,
                                 MessageListModel::ReplyPreviewRole,
                                 MessageListModel::ForwardedRole,
                                 MessageListModel::MentionsRole,
                                 MessageListModel::MentionsMeRole,
                                 MessageListModel::CanEditRole,
                                 MessageListModel::CanDeleteForEveryoneRole,
                                 Qt::AccessibleTextRole};

} // namespace

QVariant MessageListModel::changeData(const Row &row, int role) const
{
    switch (role) {
    case ReplyToRole:
        return row.replyTo;
    case ReplyPreviewRole:
        return row.replyTo > 0 ? QVariant(replyPreview(row)) : QVariant(QVariantMap());
    case ForwardedRole:
        return row.forwarded;
    case EditedRole:
        return row.editedTs.has_value() && !row.deleted;
    case DeletedRole:
        return row.deleted;
    case ReactionsRole:
        return reactionsOf(row);
    case MentionsRole:
        return row.mentions;
    case MentionsMeRole:
        return !m_me.isEmpty() && row.mentions.contains(m_me);
    case CanEditRole:
        return canEdit(row);
    case CanDeleteForEveryoneRole:
        return canDeleteForEveryone(row);
    default:
        return {};
    }
}

QVariantMap MessageListModel::replyPreview(const Row &row) const
{
    QVariantMap preview{{QStringLiteral("seq"), row.replyTo}};
    MessageEvent original;
    const int at = rowOfSeq(row.replyTo);
    if (at >= 0) {
        original = messageAt(at);
    } else if (const auto it = m_previews.constFind(row.replyTo); it != m_previews.cend()) {
        original = *it;
    } else {
        // Looked up once, in a batch, after this paint: data() must not block nor change rows.
        if (!m_previewsAsked.contains(row.replyTo) && !m_previewsWanted.contains(row.replyTo)) {
            if (m_previewsWanted.isEmpty()) {
                auto *self = const_cast<MessageListModel *>(this);
                QMetaObject::invokeMethod(
                    self, [self] { self->loadPreviews(); }, Qt::QueuedConnection);
            }
            m_previewsWanted.insert(row.replyTo);
        }
        preview.insert(QStringLiteral("known"), false);
        preview.insert(QStringLiteral("deleted"), false);
        preview.insert(QStringLiteral("sender"), QString());
        preview.insert(QStringLiteral("senderName"), QString());
        preview.insert(QStringLiteral("text"), QString());
        return preview;
    }
    const QString name = original.from == m_me ? tr("You") : m_names.value(original.from);
    preview.insert(QStringLiteral("known"), true);
    preview.insert(QStringLiteral("deleted"), original.deleted);
    preview.insert(QStringLiteral("sender"), original.from);
    preview.insert(QStringLiteral("senderName"), name.isEmpty() ? original.from : name);
    preview.insert(QStringLiteral("text"),
                   original.deleted ? QString() : MessageText::summary(original, m_names, m_me));
    return preview;
}

QVariantList MessageListModel::reactionsOf(const Row &row) const
{
    QVariantList list;
    for (const protocol::Reaction &reaction : row.reactions) {
        QStringList names;
        for (const QString &user : reaction.users)
            names << (user == m_me ? tr("You") : m_names.value(user, user));
        list.append(QVariantMap{{QStringLiteral("emoji"), reaction.emoji},
                                {QStringLiteral("count"), int(reaction.users.size())},
                                {QStringLiteral("users"), reaction.users},
                                {QStringLiteral("names"), names},
                                {QStringLiteral("mine"), reaction.users.contains(m_me)}});
    }
    return list;
}

bool MessageListModel::canEdit(const Row &row) const
{
    return row.state == State::Sent && row.from == m_me && !m_me.isEmpty() &&
           isContentKind(row.kind) && !row.deleted && row.serverTs > 0 &&
           nowMs() - row.serverTs < kEditWindowMs;
}

bool MessageListModel::canDeleteForEveryone(const Row &row) const
{
    if (row.state != State::Sent || row.deleted || !isContentKind(row.kind) || m_me.isEmpty())
        return false;
    if (row.from == m_me)
        return true;
    if (m_conversation.kind != protocol::ConversationKind::Group)
        return false;
    for (const protocol::MemberInfo &member : m_conversation.members) {
        if (member.userId == m_me)
            return member.role == protocol::Role::Owner || member.role == protocol::Role::Admin;
    }
    return false;
}

bool MessageListModel::applyChange(const MessageEvent &change)
{
    if (!change.ref)
        return false;
    const int at = rowOfSeq(*change.ref);
    if (at < 0) {
        m_previews.remove(*change.ref); // a quote of it is looked up again
        m_previewsAsked.remove(*change.ref);
        return false;
    }
    Row &row = m_rows[at];
    if (row.deleted || !isContentKind(row.kind))
        return false;
    switch (change.kind) {
    case MessageKind::Edit: {
        const qint64 edited =
            change.editedTs.value_or(change.serverTs > 0 ? change.serverTs : nowMs());
        if ((change.content.isEmpty() && !row.media) || row.editedTs.value_or(0) > edited)
            return false; // no text for us (joined later), or older than what is shown
        row.content = change.content;
        row.editedTs = edited;
        break;
    }
    case MessageKind::Delete:
        row.deleted = true;
        row.content.clear();
        row.media.reset();
        row.replyTo = 0;
        row.mentions.clear();
        row.forwarded = false;
        row.reactions.clear();
        break;
    case MessageKind::Reaction:
        if (change.content.isEmpty())
            return false;
        row.reactions = protocol::applyReaction(
            row.reactions, change.from.isEmpty() ? m_me : change.from, change.content, change.on);
        break;
    default:
        return false;
    }
    emit dataChanged(index(at), index(at), kChangeRoles);
    // Replies quoting it show its new state.
    for (int r = at + 1; r < m_sentCount; ++r) {
        if (m_rows.at(r).replyTo == *change.ref)
            emit dataChanged(index(r), index(r), {ReplyPreviewRole});
    }
    return true;
}

void MessageListModel::takeState(int at, const MessageEvent &message)
{
    Row &row = m_rows[at];
    if (row.deleted || row.editedTs.value_or(0) > message.editedTs.value_or(0))
        return; // never backwards: a page read before a live change must not undo it
    Row fresh = rowOf(message, row.day);
    if (fresh.content == row.content && fresh.editedTs == row.editedTs &&
        fresh.deleted == row.deleted && fresh.reactions == row.reactions &&
        fresh.replyTo == row.replyTo && fresh.mentions == row.mentions &&
        fresh.forwarded == row.forwarded && bool(fresh.media) == bool(row.media))
        return;
    fresh.localPath = row.localPath;
    fresh.ts = row.ts;
    row = fresh;
    emit dataChanged(index(at), index(at), kChangeRoles);
}

void MessageListModel::onChangeReceived(const MessageEvent &change)
{
    if (change.conversation == m_conversation.conversation)
        applyChange(change);
}

void MessageListModel::applyQueuedChange(const cache::OutboxItem &item)
{
    if (!item.ref)
        return;
    m_queuedChanges.insert(item.id, *item.ref);
    MessageEvent change;
    change.id = item.id;
    change.conversation = m_conversation.conversation;
    change.from = m_me;
    change.kind = item.kind;
    change.content = item.content;
    change.ref = item.ref;
    change.on = item.on;
    change.editedTs = item.ts;
    applyChange(change);
}

QCoro::Task<> MessageListModel::revertChange(qint64 seq)
{
    // The cache holds the state the server agreed to: the row shows that again.
    QPointer<MessageListModel> self(this);
    QFuture<Result<QList<MessageEvent>>> reading =
        m_store->messagesBySeq(m_conversation.conversation, {seq});
    const Result<QList<MessageEvent>> found = co_await reading;
    if (!self || !found || found->isEmpty())
        co_return;
    const int at = rowOfSeq(seq);
    if (at < 0)
        co_return;
    Row fresh = rowOf(found->first(), m_rows.at(at).day);
    fresh.ts = m_rows.at(at).ts;
    m_rows[at] = fresh;
    emit dataChanged(index(at), index(at), kChangeRoles);
}

QCoro::Task<> MessageListModel::loadPreviews()
{
    QPointer<MessageListModel> self(this);
    const QList<qint64> seqs(m_previewsWanted.cbegin(), m_previewsWanted.cend());
    m_previewsWanted.clear();
    for (const qint64 seq : seqs)
        m_previewsAsked.insert(seq);
    if (seqs.isEmpty())
        co_return;
    QFuture<Result<QList<MessageEvent>>> reading =
        m_store->messagesBySeq(m_conversation.conversation, seqs);
    const Result<QList<MessageEvent>> found = co_await reading;
    if (!self || !found)
        co_return;
    QSet<qint64> known;
    for (const MessageEvent &original : *found) {
        m_previews.insert(original.seq, original);
        known.insert(original.seq);
    }
    // Not cached: the quote stays "not known" (the jump to it pages the history in).
    for (int r = 0; r < m_sentCount; ++r) {
        if (known.contains(m_rows.at(r).replyTo))
            emit dataChanged(index(r), index(r), {ReplyPreviewRole});
    }
}

void MessageListModel::hideRows(const QList<qint64> &seqs)
{
    for (const qint64 seq : seqs) {
        m_previews.remove(seq);
        const int at = rowOfSeq(seq);
        if (at < 0)
            continue;
        beginRemoveRows(QModelIndex(), at, at);
        m_rows.removeAt(at);
        --m_sentCount;
        endRemoveRows();
        if (at < m_rows.size())
            neighbourChanged(at);
    }
}

void MessageListModel::noteFetched(qint64 seq)
{
    if (seq > 0 && (m_oldestFetched <= 0 || seq < m_oldestFetched))
        m_oldestFetched = seq;
}

} // namespace tern::app::models
