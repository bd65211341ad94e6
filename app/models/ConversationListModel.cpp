#include "app/models/ConversationListModel.h"
#include "app/models/WhenReady.h"

#include "app/cache/LocalStore.h"
#include "app/client/ChatClient.h"
#include "app/client/Inbox.h"
#include "app/client/Outbox.h"
#include "app/models/Avatar.h"
#include "app/models/MessageText.h"

#include <QDateTime>
#include <QLocale>

#include <algorithm>

namespace tern::app::models {

using protocol::ConversationSummary;
using protocol::MessageEvent;

const QString ConversationListModel::kMutedKeyPrefix = QStringLiteral("muted/");

namespace {

constexpr auto kDirect = protocol::ConversationKind::Direct;
constexpr auto kGroup = protocol::ConversationKind::Group;
constexpr auto kSystem = protocol::MessageKind::System;

} // namespace

ConversationListModel::ConversationListModel(client::ChatClient *client, cache::LocalStore *store,
                                             QObject *parent)
    : QAbstractListModel(parent), m_client(client), m_store(store)
{
    m_clock.start();
    m_typingTimer.setSingleShot(true);
    connect(&m_typingTimer, &QTimer::timeout, this, &ConversationListModel::expireTyping);
    using client::ChatConnection;
    using client::Inbox;
    using client::Outbox;
    connect(client->inbox(), &Inbox::conversationsUpdated, this,
            &ConversationListModel::onConversationsUpdated);
    connect(client->inbox(), &Inbox::messageReceived, this,
            &ConversationListModel::onMessageReceived);
    connect(client->inbox(), &Inbox::changeReceived, this,
            &ConversationListModel::onChangeReceived);
    connect(client->inbox(), &Inbox::messagesHidden, this,
            &ConversationListModel::onMessagesHidden);
    connect(client->outbox(), &Outbox::messageQueued, this,
            &ConversationListModel::onMessageQueued);
    connect(client->outbox(), &Outbox::messageSent, this, &ConversationListModel::onMessageSent);
    connect(client->inbox(), &Inbox::receiptReceived, this, &ConversationListModel::onReceipt);
    connect(client->inbox(), &Inbox::presenceChanged, this, &ConversationListModel::onPresence);
    connect(client->inbox(), &Inbox::typingReceived, this, &ConversationListModel::onTyping);
    connect(client->connection(), &ChatConnection::stateChanged, this,
            [this](ChatConnection::State state) {
                if (state != ChatConnection::State::Online &&
                    state != ChatConnection::State::Syncing)
                    forgetOnline();
            });

    // Cache first so the window opens with the list; the server's list is merged when it comes.
    // Both reads are queued before any later write, and the settings come back first.
    whenReady(this, m_store->settings(), [this](const Result<QHash<QString, QString>> &settings) {
        if (!settings)
            return;
        for (auto it = settings->cbegin(); it != settings->cend(); ++it) {
            if (it.key().startsWith(kMutedKeyPrefix) && it.value() == QLatin1String("1"))
                m_muted.insert(it.key().mid(kMutedKeyPrefix.size()));
        }
        for (int i = 0; i < m_rows.size(); ++i)
            rowChanged(i, {IsMutedRole});
        updateTotalUnread();
    });
    whenReady(this, m_store->unreadMentions(), [this](const Result<QHash<QString, int>> &counts) {
        if (!counts)
            return;
        // Read before any message of this session was saved: what was counted live since
        // comes on top.
        for (auto it = counts->cbegin(); it != counts->cend(); ++it)
            m_mentions[it.key()] += std::max(0, it.value());
        for (int i = 0; i < m_rows.size(); ++i)
            rowChanged(i, {UnreadMentionsRole, Qt::AccessibleTextRole});
    });
    whenReady(this, m_store->conversations(),
              [this](const Result<QList<ConversationSummary>> &list) {
                  if (list)
                      applyList(*list, false);
                  m_loaded = true;
                  emit loaded();
              });
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const ConversationSummary &summary = row.summary;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return summary.name;
    case ConversationIdRole:
        return summary.conversation;
    case KindRole:
        return protocol::wireName(summary.kind);
    case LastMessagePreviewRole:
        return previewOf(row);
    case LastActivityRole:
        // Shown as the row's time: dated like the bubble. The order stays by server time.
        return summary.lastMessage
                   ? MessageText::writtenAt(summary.lastMessage->ts, summary.lastMessage->serverTs)
                   : qint64(0);
    case UnreadCountRole:
        return int(summary.unread);
    case IsMutedRole:
        return m_muted.contains(summary.conversation);
    case IsTypingRole:
        return !row.typingUntil.isEmpty();
    case TypingUsersRole:
        return typingNames(row);
    case AvatarInitialsRole:
        return Avatar::initials(summary.name);
    case AvatarHueRole:
        // Direct chats take the person's colour, so it matches their avatar everywhere.
        return Avatar::hue(row.otherUser.isEmpty() ? summary.conversation : row.otherUser);
    case OtherUserOnlineRole:
        return !row.otherUser.isEmpty() && m_online.value(row.otherUser, false);
    case MemberCountRole:
        return int(summary.members.size());
    case UnreadMentionsRole:
        return m_mentions.value(summary.conversation, 0);
    case LastSeenRole:
        return row.otherUser.isEmpty() ? qint64(0) : m_lastSeen.value(row.otherUser, 0);
    case Qt::AccessibleTextRole:
        return accessibleText(row);
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {{ConversationIdRole, "conversationId"},
            {NameRole, "name"},
            {KindRole, "kind"},
            {LastMessagePreviewRole, "lastMessagePreview"},
            {LastActivityRole, "lastActivity"},
            {UnreadCountRole, "unreadCount"},
            {IsMutedRole, "isMuted"},
            {IsTypingRole, "isTyping"},
            {TypingUsersRole, "typingUsers"},
            {AvatarInitialsRole, "avatarInitials"},
            {AvatarHueRole, "avatarHue"},
            {OtherUserOnlineRole, "otherUserOnline"},
            {MemberCountRole, "memberCount"},
            {LastSeenRole, "lastSeen"},
            {UnreadMentionsRole, "unreadMentions"}};
}

int ConversationListModel::rowOf(const QString &conversation) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).summary.conversation == conversation)
            return i;
    }
    return -1;
}

ConversationSummary ConversationListModel::summary(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).summary : ConversationSummary{};
}

QStringList ConversationListModel::recentPeople(int max) const
{
    const QString me = m_client->connection()->userId();
    QStringList people;
    QSet<QString> seen{me};
    // Rows are kept in activity order, newest first.
    for (const Row &row : m_rows) {
        for (const protocol::MemberInfo &member : row.summary.members) {
            if (people.size() >= max)
                return people;
            if (!seen.contains(member.userId)) {
                seen.insert(member.userId);
                people << member.userId;
            }
        }
    }
    return people;
}

void ConversationListModel::setMuted(const QString &conversation, bool muted)
{
    if (m_muted.contains(conversation) == muted)
        return;
    if (muted)
        m_muted.insert(conversation);
    else
        m_muted.remove(conversation);
    m_store->setSetting(kMutedKeyPrefix + conversation,
                        muted ? QStringLiteral("1") : QStringLiteral("0"));
    const int row = rowOf(conversation);
    if (row >= 0)
        rowChanged(row, {IsMutedRole});
    updateTotalUnread();
}

void ConversationListModel::markRead(const QString &conversation)
{
    const int row = rowOf(conversation);
    if (row < 0)
        return;
    ConversationSummary &summary = m_rows[row].summary;
    summary.readSeq = std::max(summary.readSeq, summary.lastSeq);
    m_client->inbox()->markRead(conversation, summary.readSeq);
    clearMentions(row);
    if (summary.unread != 0) {
        summary.unread = 0;
        rowChanged(row, {UnreadCountRole, Qt::AccessibleTextRole});
        updateTotalUnread();
    }
}

void ConversationListModel::markRead(const QString &conversation, qint64 seq, int unreadLeft)
{
    const int row = rowOf(conversation);
    if (row < 0)
        return;
    ConversationSummary &summary = m_rows[row].summary;
    if (seq < summary.readSeq)
        return; // scrolled back up: the reading position stays where it was
    if (seq > summary.readSeq) {
        summary.readSeq = seq;
        m_client->inbox()->markRead(conversation, seq);
    }
    const qint64 unread = std::max(0, unreadLeft);
    if (unread == 0)
        clearMentions(row);
    if (summary.unread != unread) {
        summary.unread = unread;
        rowChanged(row, {UnreadCountRole, Qt::AccessibleTextRole});
        updateTotalUnread();
    }
}

void ConversationListModel::setDisplayNames(const QHash<QString, QString> &names)
{
    m_names = names;
    // A direct chat is called by the other user's display name (our own for saved messages):
    // a rename shows at once, not with the next list from the server.
    const QString me = m_client->connection()->userId();
    for (int row = 0; row < m_rows.size(); ++row) {
        Row &r = m_rows[row];
        if (r.summary.kind != kDirect)
            continue;
        const auto name = names.constFind(r.otherUser.isEmpty() ? me : r.otherUser);
        if (name != names.constEnd() && !name->isEmpty() && *name != r.summary.name) {
            r.summary.name = *name;
            rowChanged(row);
        }
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0), index(int(m_rows.size()) - 1),
                         {LastMessagePreviewRole, TypingUsersRole});
}

void ConversationListModel::reload()
{
    // A list from the server arrives as conversationsUpdated, which merges it; a cache answer
    // (offline) is what the model already shows. A Task may be dropped unfinished: it runs on.
    QCoro::Task<Result<QList<ConversationSummary>>> listing = m_client->inbox()->conversations();
    Q_UNUSED(listing);
}

// ---- events ------------------------------------------------------------------------------

void ConversationListModel::onConversationsUpdated(const QList<ConversationSummary> &list)
{
    applyList(list, true);
}

void ConversationListModel::onMessageReceived(const MessageEvent &message)
{
    const int row = rowOf(message.conversation);
    if (row < 0)
        return; // a new conversation: the client refreshes the list, which adds it
    // A message ends that sender's "typing…" at once instead of after the timeout.
    if (m_rows[row].typingUntil.remove(message.from) > 0)
        rowChanged(row, {IsTypingRole, TypingUsersRole});
    countMention(row, message);
    applyLastMessage(rowOf(message.conversation), message, true);
}

void ConversationListModel::onMessageQueued(const cache::OutboxItem &item)
{
    // `to` is a conversation id (groups) or a user id (direct chats).
    int row = rowOf(item.to);
    for (int i = 0; row < 0 && i < m_rows.size(); ++i) {
        if (m_rows.at(i).otherUser == item.to)
            row = i;
    }
    if (row < 0)
        return;
    if (protocol::isChangeKind(item.kind)) {
        // A change is no message of its own: it never becomes the preview.
        if (item.ref)
            applyChange(row, item.kind, *item.ref, item.content);
        return;
    }
    MessageEvent message;
    message.id = item.id;
    message.conversation = m_rows.at(row).summary.conversation;
    message.from = m_client->connection()->userId();
    message.kind = item.kind;
    message.content = item.content;
    message.media = item.media; // a file's name for the preview
    message.ts = item.ts;
    // Not stored yet: seq 0 keeps lastSeq, the ack fills it in.
    message.seq = m_rows.at(row).summary.lastSeq;
    applyLastMessage(row, message, false);
}

void ConversationListModel::onChangeReceived(const protocol::MessageEvent &change)
{
    const int row = rowOf(change.conversation);
    if (row >= 0 && change.ref)
        applyChange(row, change.kind, *change.ref, change.content);
}

void ConversationListModel::onMessagesHidden(const QString &conversation, const QList<qint64> &seqs)
{
    const int row = rowOf(conversation);
    if (row < 0)
        return;
    std::optional<MessageEvent> &last = m_rows[row].summary.lastMessage;
    if (!last || !seqs.contains(last->seq))
        return;
    // Nothing of it stays on screen while the cache is read.
    last.reset();
    rowChanged(row, {LastMessagePreviewRole, Qt::AccessibleTextRole});
    // The cache stored the hide (and the new preview) before messagesHidden was emitted.
    whenReady(this, m_store->conversations(),
              [this, conversation](const Result<QList<ConversationSummary>> &list) {
                  const int at = rowOf(conversation);
                  if (!list || at < 0 || m_rows.at(at).summary.lastMessage)
                      return;
                  for (const ConversationSummary &cached : *list) {
                      if (cached.conversation == conversation && cached.lastMessage) {
                          m_rows[at].summary.lastMessage = cached.lastMessage;
                          rowChanged(at, {LastMessagePreviewRole, Qt::AccessibleTextRole});
                      }
                  }
              });
}

void ConversationListModel::applyChange(int row, protocol::MessageKind kind, qint64 ref,
                                        const QString &content)
{
    std::optional<MessageEvent> &last = m_rows[row].summary.lastMessage;
    if (!last || last->seq != ref || last->deleted)
        return;
    if (kind == protocol::MessageKind::Delete) {
        last->deleted = true;
        last->content.clear();
        last->media.reset();
        last->mentions.clear();
        last->reactions.clear();
    } else if (kind == protocol::MessageKind::Edit) {
        last->content = content;
        last->editedTs = last->editedTs.value_or(0) + 1; // only "edited" matters here
    } else {
        return; // a reaction does not change the preview
    }
    rowChanged(row, {LastMessagePreviewRole, Qt::AccessibleTextRole});
}

void ConversationListModel::onMessageSent(const QString &id, const QString &conversation,
                                          qint64 seq)
{
    const int row = rowOf(conversation);
    if (row < 0)
        return;
    ConversationSummary &summary = m_rows[row].summary;
    summary.lastSeq = std::max(summary.lastSeq, seq);
    if (summary.lastMessage && summary.lastMessage->id == id)
        summary.lastMessage->seq = seq;
    // Sending means the user saw the chat up to here: the badge goes, and the server hears it
    // when others wrote since our read position. A quick reply (before the view's debounced
    // read check) otherwise left their messages "delivered" for good (issue 16, tst_appdriver).
    if (seq > summary.readSeq + 1) {
        m_client->inbox()->markRead(conversation, seq);
        clearMentions(row);
        if (summary.unread != 0) {
            summary.unread = 0;
            rowChanged(row, {UnreadCountRole, Qt::AccessibleTextRole});
            updateTotalUnread();
        }
    }
    summary.readSeq = std::max(summary.readSeq, seq);
}

void ConversationListModel::onReceipt(const protocol::ReceiptEvent &receipt)
{
    // Our own read receipt (from another device of ours) clears the badge here too.
    if (receipt.user != m_client->connection()->userId() ||
        receipt.status != protocol::ReceiptStatus::Read)
        return;
    const int row = rowOf(receipt.conversation);
    if (row < 0)
        return;
    ConversationSummary &summary = m_rows[row].summary;
    summary.readSeq = std::max(summary.readSeq, receipt.seq);
    if (summary.readSeq >= summary.lastSeq)
        clearMentions(row);
    if (summary.readSeq >= summary.lastSeq && summary.unread != 0) {
        summary.unread = 0;
        rowChanged(row, {UnreadCountRole, Qt::AccessibleTextRole});
        updateTotalUnread();
    }
}

void ConversationListModel::onPresence(const protocol::PresenceEvent &presence)
{
    const bool online = presence.status == protocol::PresenceStatus::Online;
    const qint64 lastSeen = presence.lastSeen.value_or(m_lastSeen.value(presence.userId, 0));
    if (m_online.value(presence.userId, false) == online &&
        m_lastSeen.value(presence.userId, 0) == lastSeen)
        return;
    m_online.insert(presence.userId, online);
    m_lastSeen.insert(presence.userId, lastSeen);
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).otherUser == presence.userId)
            rowChanged(i, {OtherUserOnlineRole, LastSeenRole, Qt::AccessibleTextRole});
    }
}

void ConversationListModel::forgetOnline()
{
    for (auto it = m_online.begin(); it != m_online.end(); ++it) {
        if (!it.value())
            continue;
        it.value() = false;
        for (int i = 0; i < m_rows.size(); ++i) {
            if (m_rows.at(i).otherUser == it.key())
                rowChanged(i, {OtherUserOnlineRole, LastSeenRole, Qt::AccessibleTextRole});
        }
    }
}

void ConversationListModel::onTyping(const protocol::TypingEvent &typing)
{
    const int row = rowOf(typing.conversation);
    if (row < 0 || typing.userId == m_client->connection()->userId())
        return;
    const bool wasTyping = m_rows.at(row).typingUntil.contains(typing.userId);
    m_rows[row].typingUntil.insert(typing.userId, m_clock.elapsed() + m_typingTimeoutMs);
    if (!wasTyping)
        rowChanged(row, {IsTypingRole, TypingUsersRole});
    scheduleTypingExpiry();
}

void ConversationListModel::expireTyping()
{
    const qint64 now = m_clock.elapsed();
    for (int i = 0; i < m_rows.size(); ++i) {
        const qsizetype removed = m_rows[i].typingUntil.removeIf(
            [now](const QHash<QString, qint64>::iterator &it) { return it.value() <= now; });
        if (removed > 0)
            rowChanged(i, {IsTypingRole, TypingUsersRole});
    }
    scheduleTypingExpiry();
}

void ConversationListModel::scheduleTypingExpiry()
{
    // One timer for the whole list, aimed at the earliest expiry.
    qint64 next = -1;
    for (const Row &row : std::as_const(m_rows)) {
        for (const qint64 until : row.typingUntil) {
            if (next < 0 || until < next)
                next = until;
        }
    }
    if (next < 0) {
        m_typingTimer.stop();
        return;
    }
    m_typingTimer.start(int(std::max<qint64>(0, next - m_clock.elapsed())));
}

// ---- rows --------------------------------------------------------------------------------

void ConversationListModel::applyList(const QList<ConversationSummary> &list, bool removeMissing)
{
    if (m_rows.isEmpty() && !list.isEmpty()) {
        // First fill: one reset is cheaper than N sorted inserts and nothing is selected yet.
        beginResetModel();
        for (const ConversationSummary &summary : list)
            m_rows.append(makeRow(summary));
        std::stable_sort(m_rows.begin(), m_rows.end(), [](const Row &a, const Row &b) {
            return activityOf(a.summary) > activityOf(b.summary);
        });
        endResetModel();
        updateTotalUnread();
        return;
    }
    QSet<QString> seen;
    for (const ConversationSummary &incoming : list) {
        seen.insert(incoming.conversation);
        const int row = rowOf(incoming.conversation);
        if (row < 0) {
            const Row fresh = makeRow(incoming);
            const int at = sortedPosition(fresh, -1);
            beginInsertRows(QModelIndex(), at, at);
            m_rows.insert(at, fresh);
            endInsertRows();
            continue;
        }
        Row &existing = m_rows[row];
        ConversationSummary merged = incoming;
        // A live or just-queued message may be newer than the list the server built: keep it.
        if (existing.summary.lastSeq > incoming.lastSeq ||
            activityOf(existing.summary) > activityOf(incoming)) {
            merged.lastSeq = existing.summary.lastSeq;
            merged.lastMessage = existing.summary.lastMessage;
            merged.unread = existing.summary.unread;
        }
        merged.readSeq = std::max(merged.readSeq, existing.summary.readSeq);
        existing.summary = merged;
        existing.otherUser = makeRow(merged).otherUser;
        rowChanged(placeRow(row));
    }
    for (int i = int(m_rows.size()) - 1; removeMissing && i >= 0; --i) {
        if (seen.contains(m_rows.at(i).summary.conversation))
            continue;
        beginRemoveRows(QModelIndex(), i, i);
        m_rows.removeAt(i);
        endRemoveRows();
    }
    updateTotalUnread();
}

ConversationListModel::Row ConversationListModel::makeRow(const ConversationSummary &summary) const
{
    Row row;
    row.summary = summary;
    if (summary.kind == kDirect) {
        const QString me = m_client->connection()->userId();
        for (const protocol::MemberInfo &member : summary.members) {
            if (member.userId != me)
                row.otherUser = member.userId;
        }
    }
    return row;
}

void ConversationListModel::applyLastMessage(int row, const MessageEvent &message, bool countUnread)
{
    ConversationSummary &summary = m_rows[row].summary;
    const bool isNewer = message.seq == 0 || message.seq >= summary.lastSeq || !summary.lastMessage;
    if (!isNewer)
        return; // an old message (sync backfill): the preview stays on the newest
    summary.lastMessage = message;
    summary.lastSeq = std::max(summary.lastSeq, message.seq);
    // Only other people's real messages past our reading position count, as on the server.
    const bool counts = countUnread && message.from != m_client->connection()->userId() &&
                        message.kind != kSystem && message.seq > summary.readSeq;
    if (counts)
        ++summary.unread;
    const int at = placeRow(row);
    rowChanged(at,
               {LastMessagePreviewRole, LastActivityRole, UnreadCountRole, Qt::AccessibleTextRole});
    if (counts)
        updateTotalUnread();
}

void ConversationListModel::countMention(int row, const MessageEvent &message)
{
    const ConversationSummary &summary = m_rows.at(row).summary;
    const QString me = m_client->connection()->userId();
    const bool counts = !me.isEmpty() && message.from != me && message.mentions.contains(me) &&
                        message.seq > summary.readSeq &&
                        (message.kind == protocol::MessageKind::Text ||
                         message.kind == protocol::MessageKind::Image ||
                         message.kind == protocol::MessageKind::File);
    if (!counts)
        return;
    ++m_mentions[summary.conversation];
    rowChanged(row, {UnreadMentionsRole, Qt::AccessibleTextRole});
}

void ConversationListModel::clearMentions(int row)
{
    const QString &conversation = m_rows.at(row).summary.conversation;
    if (m_mentions.remove(conversation) == 0)
        return;
    m_store->clearUnreadMentions(conversation);
    rowChanged(row, {UnreadMentionsRole, Qt::AccessibleTextRole});
}

int ConversationListModel::sortedPosition(const Row &row, int exclude) const
{
    const qint64 activity = activityOf(row.summary);
    int position = 0;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (i == exclude)
            continue;
        const qint64 other = activityOf(m_rows.at(i).summary);
        // Ties keep their current order: a row only passes rows strictly older than itself.
        if (other > activity || (other == activity && (exclude < 0 || i < exclude)))
            ++position;
    }
    return position;
}

int ConversationListModel::placeRow(int row)
{
    const int target = sortedPosition(m_rows.at(row), row);
    if (target == row)
        return row;
    beginMoveRows(QModelIndex(), row, row, QModelIndex(), target > row ? target + 1 : target);
    m_rows.move(row, target);
    endMoveRows();
    return target;
}

void ConversationListModel::rowChanged(int row, const QList<int> &roles)
{
    const QModelIndex at = index(row);
    emit dataChanged(at, at, roles);
}

void ConversationListModel::updateTotalUnread()
{
    int total = 0;
    for (const Row &row : std::as_const(m_rows)) {
        if (!m_muted.contains(row.summary.conversation))
            total += int(row.summary.unread);
    }
    if (total == m_totalUnread)
        return;
    m_totalUnread = total;
    emit totalUnreadChanged(total);
}

QString ConversationListModel::previewOf(const Row &row) const
{
    if (!row.summary.lastMessage)
        return {};
    const MessageEvent &message = *row.summary.lastMessage;
    const QString text = MessageText::summary(message, m_names, m_client->connection()->userId());
    if (message.kind == kSystem)
        return text;
    if (message.from == m_client->connection()->userId())
        return tr("You: %1").arg(text);
    if (row.summary.kind == kGroup)
        //: Preview in a group: sender's name, then the message.
        return tr("%1: %2").arg(m_names.value(message.from, message.from), text);
    return text;
}

QString ConversationListModel::spokenWhen(qint64 msecsSinceEpoch, const QDateTime &now)
{
    if (msecsSinceEpoch <= 0)
        return {};
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch);
    const QLocale locale;
    const QDate day = when.date();
    if (day == now.date())
        return MessageText::shortTime(when.time());
    if (day == now.date().addDays(-1))
        return tr("yesterday");
    if (day < now.date() && day > now.date().addDays(-7))
        return locale.dayName(day.dayOfWeek(), QLocale::LongFormat);
    return locale.toString(day, QLocale::ShortFormat);
}

QString ConversationListModel::presenceText(const Row &row) const
{
    if (row.otherUser.isEmpty())
        return {};
    if (m_online.value(row.otherUser, false))
        //: Screen reader text of a direct chat whose person is online now.
        return tr("online");
    const qint64 lastSeen = m_lastSeen.value(row.otherUser, 0);
    if (lastSeen <= 0)
        return {};
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(lastSeen);
    const QDate today = QDate::currentDate();
    const QString time = MessageText::shortTime(when.time());
    if (when.date() == today)
        return tr("last seen today at %1").arg(time);
    if (when.date() == today.addDays(-1))
        return tr("last seen yesterday at %1").arg(time);
    return tr("last seen %1").arg(QLocale().toString(when.date(), QLocale::ShortFormat));
}

QString ConversationListModel::accessibleText(const Row &row) const
{
    // Name, presence, unread, then the last message with its time: what the row shows.
    QStringList parts{row.summary.name};
    const QString presence = presenceText(row);
    if (!presence.isEmpty())
        parts << presence;
    if (row.summary.unread > 0)
        // Two strings so the untranslated English reads right too; %n keeps plural forms.
        parts << (row.summary.unread == 1 ? tr("1 unread message")
                                          : tr("%n unread messages", "", int(row.summary.unread)));
    if (m_mentions.value(row.summary.conversation, 0) > 0)
        //: Screen reader text of a chat with unread messages that mention the user.
        parts << tr("you were mentioned");
    const QString preview = previewOf(row);
    if (!preview.isEmpty()) {
        // The time the row shows (LastActivityRole): when the message was written.
        const MessageEvent &last = *row.summary.lastMessage;
        const QString when = spokenWhen(MessageText::writtenAt(last.ts, last.serverTs),
                                        QDateTime::currentDateTime());
        //: Screen reader text of a conversation: what the last message was.
        parts << (when.isEmpty() ? tr("last message: %1").arg(preview)
                                 //: Screen reader text of a conversation: when (a time,
                                 //: "yesterday", a weekday or a date), then the last message.
                                 : tr("last message, %1: %2").arg(when, preview));
    }
    return parts.join(QStringLiteral(", "));
}

QStringList ConversationListModel::typingNames(const Row &row) const
{
    QStringList names;
    for (auto it = row.typingUntil.cbegin(); it != row.typingUntil.cend(); ++it)
        names << m_names.value(it.key(), it.key());
    names.sort();
    return names;
}

qint64 ConversationListModel::activityOf(const ConversationSummary &summary)
{
    if (!summary.lastMessage)
        return 0;
    return summary.lastMessage->serverTs > 0 ? summary.lastMessage->serverTs
                                             : summary.lastMessage->ts;
}

} // namespace tern::app::models
