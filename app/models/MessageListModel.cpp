#include "app/models/MessageListModel.h"

#include "app/cache/LocalStore.h"
#include "app/client/ChatClient.h"
#include "app/client/GroupRequests.h"
#include "app/client/Inbox.h"
#include "app/client/MediaDownloads.h"
#include "app/client/MediaTransfers.h"
#include "app/client/Outbox.h"
#include "app/models/Avatar.h"
#include "app/models/MessageText.h"
#include "shared/core/Clock.h"
#include "shared/protocol/Codec.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QPointer>

#include <qcoro/qcorofuture.h>

#include <algorithm>

namespace tern::app::models {

using protocol::MessageEvent;
using protocol::MessageKind;

namespace {

constexpr qint64 kGroupWindowMs = 5 * 60 * 1000;

QDate localDay(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).date();
}

std::shared_ptr<const protocol::Media> shared(const std::optional<protocol::Media> &media)
{
    return media ? std::make_shared<const protocol::Media>(*media) : nullptr;
}

//! The local day of a run of timestamps: a page is mostly messages of the same few days, and
//! a time-zone conversion per row was a large part of merging 100,000 of them.
class LocalDays
{
public:
    qint64 julianDay(qint64 ms)
    {
        if (ms < m_start || ms >= m_end) {
            const QDate day = localDay(ms);
            m_day = day.toJulianDay();
            m_start = day.startOfDay().toMSecsSinceEpoch();
            m_end = day.addDays(1).startOfDay().toMSecsSinceEpoch();
        }
        return m_day;
    }

private:
    qint64 m_start = 0;
    qint64 m_end = 0; // empty until the first call
    qint64 m_day = 0;
};

//! A cache page can be trusted only when it has no hole: the cache may hold recent live
//! messages and an old history page with unloaded messages in between.
bool isContiguousPage(const QList<MessageEvent> &page, qint64 beforeSeq, int limit)
{
    if (page.size() < limit || page.isEmpty())
        return false;
    if (beforeSeq > 0 && page.last().seq != beforeSeq - 1)
        return false;
    for (qsizetype i = 1; i < page.size(); ++i) {
        if (page.at(i).seq != page.at(i - 1).seq + 1)
            return false;
    }
    return true;
}

} // namespace

MessageListModel::MessageListModel(client::ChatClient *client, cache::LocalStore *store,
                                   protocol::ConversationSummary conversation, QObject *parent)
    : QAbstractListModel(parent), m_client(client), m_store(store),
      m_conversation(std::move(conversation))
{
    // MediaRole holds a protocol::Media; views and tests that want the wire object still get it.
    static const bool mediaConverts = QMetaType::registerConverter<protocol::Media, QJsonObject>(
        [](const protocol::Media &media) { return protocol::toJson(media); });
    Q_UNUSED(mediaConverts);
    identify(client->connection()->userId());
    using client::ChatConnection;
    using client::Inbox;
    using client::MediaTransfers;
    using client::Outbox;
    // A chat opened from the cache before resume has read who we are: our own messages would
    // show as the other person's until the model was rebuilt.
    // Ticks come from the server's watermarks, asked when the chat loads online; a chat opened
    // offline (from the cache after a restart) asks as soon as the client is online.
    connect(client->connection(), &ChatConnection::stateChanged, this,
            [this](ChatConnection::State state) {
                if (state == ChatConnection::State::Online && !m_fetching)
                    seedReceipts();
            });
    connect(client->connection(), &ChatConnection::userIdChanged, this, [this] {
        identify(m_client->connection()->userId());
        for (Row &row : m_rows) {
            if (row.from.isEmpty())
                row.from = m_me; // written in that moment
        }
        if (!m_rows.isEmpty())
            emit dataChanged(index(0), index(int(m_rows.size()) - 1));
    });
    connect(client->inbox(), &Inbox::messageReceived, this, &MessageListModel::onMessageReceived);
    connect(client->inbox(), &Inbox::changeReceived, this, &MessageListModel::onChangeReceived);
    connect(client->inbox(), &Inbox::messagesHidden, this,
            [this](const QString &conversation, const QList<qint64> &seqs) {
                if (conversation == m_conversation.conversation)
                    hideRows(seqs);
            });
    connect(client->outbox(), &Outbox::messageQueued, this, &MessageListModel::onMessageQueued);
    connect(client->outbox(), &Outbox::messageSent, this, &MessageListModel::onMessageSent);
    connect(client->outbox(), &Outbox::messageFailed, this, &MessageListModel::onMessageFailed);
    connect(client->media(), &MediaTransfers::uploadProgress, this,
            &MessageListModel::onUploadProgress);
    connect(client->outbox(), &Outbox::messageCancelled, this,
            &MessageListModel::onMessageCancelled);
    connect(client->media(), &MediaTransfers::mediaUploaded, this,
            &MessageListModel::onMediaUploaded);
    client::MediaDownloads *downloads = client->media()->downloads();
    connect(downloads, &client::MediaDownloads::progressChanged, this,
            &MessageListModel::mediaRowsChanged);
    connect(downloads, &client::MediaDownloads::finished, this,
            &MessageListModel::mediaRowsChanged);
    connect(downloads, &client::MediaDownloads::ready, this,
            &MessageListModel::allMediaRowsChanged);
    connect(client->inbox(), &Inbox::receiptReceived, this, &MessageListModel::onReceipt);
    // Not from here: when the cache answers before each co_await looks (its thread got the CPU
    // first), loadNewest runs to its end without suspending and `loaded` would be emitted before
    // anyone could connect to it.
    QMetaObject::invokeMethod(
        this, [this] { loadNewest(); }, Qt::QueuedConnection);
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case MessageIdRole:
        return row.id;
    case SeqRole:
        return row.seq;
    case SenderRole:
        return row.from;
    case SenderNameRole:
        // Direct chats are named after the peer, so that name needs no directory.
        if (row.from != m_me && m_conversation.kind == protocol::ConversationKind::Direct)
            return m_names.value(row.from, m_conversation.name);
        return m_names.value(row.from, row.from);
    case IsOwnRole:
        return row.from == m_me;
    case KindRole:
        return row.kind == MessageKind::Unknown ? row.kindName : protocol::wireName(row.kind);
    case Qt::DisplayRole:
    case TextRole:
        if (row.kind == MessageKind::Unknown)
            return MessageText::unsupported();
        // Mention markup as "@Name", never raw.
        return row.kind == MessageKind::System ? MessageText::systemText(row.content, m_names, m_me)
                                               : MessageText::renderMentions(row.content, m_names);
    case MentionSpansRole:
        return mentionSpans(row);
    case TimestampRole:
        return row.ts;
    case DayStartRole:
        return dayStart(index.row());
    case GroupedWithPreviousRole:
        return grouped(index.row());
    case StatusRole:
        return QVariant::fromValue(statusOf(row));
    case SenderHueRole:
        return Avatar::hue(row.from);
    case MediaRole:
        return row.media ? QVariant::fromValue(*row.media) : QVariant();
    case ThumbnailRole:
        return thumbnail(row);
    case ProgressRole:
        return progressOf(row);
    case DownloadedRole:
        return isDownloaded(row);
    case LocalPathRole:
        return row.state == State::Sent ? QString() : row.localPath;
    case DownloadingRole:
        return row.state != State::Pending && row.media &&
               m_client->media()->downloads()->progress(row.media->mediaId) >= 0;
    case Qt::AccessibleTextRole:
        return accessibleText(index.row());
    case ReplyToRole:
    case ReplyPreviewRole:
    case ForwardedRole:
    case EditedRole:
    case DeletedRole:
    case MentionsMeRole:
    case CanEditRole:
    case CanDeleteForEveryoneRole:
    case ReactionsRole:
    case MentionsRole:
        return changeData(row, role);
    default:
        return {};
    }
}

void MessageListModel::identify(const QString &me)
{
    m_me = me;
    m_others.clear();
    for (const protocol::MemberInfo &member : std::as_const(m_conversation.members)) {
        if (member.userId != m_me)
            m_others << member.userId;
    }
    m_sendAddress =
        m_conversation.kind == protocol::ConversationKind::Direct && m_others.size() == 1
            ? m_others.first()
            : m_conversation.conversation;
}

void MessageListModel::onMessageCancelled(const QString &id)
{
    m_uploadProgress.remove(id);
    const int row = pendingRow(id);
    if (row < 0)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    if (row > 0)
        neighbourChanged(row - 1);
}

void MessageListModel::onUploadProgress(const QString &id, qint64 sent, qint64 total)
{
    const int row = pendingRow(id);
    if (row < 0 || total <= 0)
        return;
    m_uploadProgress.insert(id, double(sent) / double(total));
    const QModelIndex at = index(row);
    emit dataChanged(at, at, {ProgressRole});
}

protocol::MessageKind MessageListModel::kindAt(const QModelIndex &index)
{
    return protocol::fromWireName<MessageKind>(index.data(KindRole).toString())
        .value_or(MessageKind::Unknown);
}

std::optional<protocol::Media> MessageListModel::mediaAt(const QModelIndex &index)
{
    const QVariant media = index.data(MediaRole);
    if (!media.isValid())
        return std::nullopt;
    return media.value<protocol::Media>();
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {{MessageIdRole, "messageId"}, {SeqRole, "seq"},
            {SenderRole, "sender"},       {SenderNameRole, "senderName"},
            {IsOwnRole, "isOwn"},         {KindRole, "kind"},
            {TextRole, "text"},           {TimestampRole, "timestamp"},
            {DayStartRole, "dayStart"},   {GroupedWithPreviousRole, "groupedWithPrevious"},
            {StatusRole, "status"},       {SenderHueRole, "senderHue"},
            {ReplyToRole, "replyTo"},     {ReplyPreviewRole, "replyPreview"},
            {ForwardedRole, "forwarded"}, {EditedRole, "edited"},
            {DeletedRole, "deleted"},     {ReactionsRole, "reactions"},
            {MentionsRole, "mentions"},   {MentionsMeRole, "mentionsMe"},
            {CanEditRole, "canEdit"},     {CanDeleteForEveryoneRole, "canDeleteForEveryone"}};
}

QString MessageListModel::accessibleText(int row) const
{
    const Row &r = m_rows.at(row);
    const QModelIndex at = index(row);
    const QString text =
        r.kind == MessageKind::System
            ? at.data(TextRole).toString()
            : MessageText::spoken(r.kind, MessageText::renderMentions(r.content, m_names),
                                  r.media.get());
    const QString time =
        QLocale().toString(QDateTime::fromMSecsSinceEpoch(r.ts).time(), QLocale::ShortFormat);
    if (r.kind == MessageKind::System)
        //: Screen reader text of a system message: "14:05: Bob joined".
        return tr("%1: %2").arg(time, text);
    if (r.from != m_me)
        //: Screen reader text of someone else's message: "Alice, 14:05: Hello".
        return tr("%1, %2: %3").arg(at.data(SenderNameRole).toString(), time, text);
    QString status;
    switch (statusOf(r)) {
    case Status::Pending:
        status = tr("sending");
        break;
    case Status::Sent:
        status = tr("sent");
        break;
    case Status::Delivered:
        status = tr("delivered");
        break;
    case Status::Read:
        status = tr("read");
        break;
    case Status::Failed:
        status = tr("not sent");
        break;
    }
    //: Screen reader text of one's own message: "You, 14:05, read: Hello".
    return tr("You, %1, %2: %3").arg(time, status, text);
}

int MessageListModel::trimOldest(int keep)
{
    const int excess = m_sentCount - std::max(keep, 0);
    if (excess <= 0 || m_fetching)
        return 0;
    beginRemoveRows(QModelIndex(), 0, excess - 1);
    m_rows.remove(0, excess);
    m_sentCount -= excess;
    m_oldestFetched = m_sentCount > 0 ? m_rows.first().seq : 0;
    m_atStart = false;
    endRemoveRows();
    // The new first row starts a day and a run: its separator and corners change.
    if (!m_rows.isEmpty())
        emit dataChanged(index(0), index(0));
    return excess;
}

protocol::MessageEvent MessageListModel::messageAt(int row) const
{
    MessageEvent message;
    if (row < 0 || row >= m_rows.size())
        return message;
    const Row &r = m_rows.at(row);
    message.id = r.id;
    message.conversation = m_conversation.conversation;
    message.seq = r.state == State::Sent ? r.seq : 0;
    message.from = r.from;
    message.kind = r.kind;
    message.kindName = r.kindName;
    message.content = r.content;
    if (r.media)
        message.media = *r.media;
    message.ts = r.ts;
    message.serverTs = r.serverTs;
    if (r.replyTo > 0)
        message.replyTo = r.replyTo;
    message.forwarded = r.forwarded;
    message.mentions = r.mentions;
    message.editedTs = r.editedTs;
    message.deleted = r.deleted;
    message.reactions = r.reactions;
    return message;
}

bool MessageListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_fetching && !m_atStart;
}

void MessageListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    // From the oldest seq fetched, not the oldest row: a page of only change events adds no
    // row, and asking before the first row again would bring the same page forever.
    const qint64 firstRow = m_sentCount > 0 ? m_rows.first().seq : 0;
    loadOlder(m_oldestFetched > 0 && (firstRow <= 0 || m_oldestFetched < firstRow) ? m_oldestFetched
                                                                                   : firstRow);
}

int MessageListModel::firstUnreadRow() const
{
    for (int row = lowerBound(m_conversation.readSeq + 1); row < m_sentCount; ++row) {
        const Row &candidate = m_rows.at(row);
        if (candidate.from != m_me && candidate.kind != MessageKind::System)
            return row;
    }
    return -1;
}

bool MessageListModel::unreadLoaded() const
{
    return m_atStart || (m_sentCount > 0 && m_rows.first().seq <= m_conversation.readSeq + 1);
}

int MessageListModel::unreadAfter(qint64 seq) const
{
    int count = 0;
    for (int row = lowerBound(seq + 1); row < m_sentCount; ++row) {
        const Row &candidate = m_rows.at(row);
        if (candidate.from != m_me && candidate.kind != MessageKind::System)
            ++count;
    }
    return count;
}

int MessageListModel::rowOfSeq(qint64 seq) const
{
    const int row = lowerBound(seq);
    return row < m_sentCount && m_rows.at(row).seq == seq ? row : -1;
}

void MessageListModel::setDisplayNames(const QHash<QString, QString> &names)
{
    m_names = names;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0), index(int(m_rows.size()) - 1), {SenderNameRole, TextRole});
}

void MessageListModel::addMessages(QList<MessageEvent> messages)
{
    // Edits, deletions and reactions come in history pages like messages (their seqs keep a
    // page's size and contiguity meaningful) but are no rows: a page (cache or server) has every
    // message in its current state already, and live changes come by changeReceived. They
    // count for how far back the pages reached.
    for (const MessageEvent &m : std::as_const(messages))
        noteFetched(m.seq);
    const auto change = [](const MessageEvent &m) { return protocol::isChangeKind(m.kind); };
    if (std::any_of(std::as_const(messages).begin(), std::as_const(messages).end(), change))
        messages.removeIf(change);
    const auto bySeq = [](const MessageEvent &a, const MessageEvent &b) { return a.seq < b.seq; };
    // Pages come sorted; sorting anyway would detach (copy) the caller's list first.
    if (!std::is_sorted(std::as_const(messages).begin(), std::as_const(messages).end(), bySeq))
        std::sort(messages.begin(), messages.end(), bySeq);
    // The common page: entirely older than what is shown, none of it ours in the outbox.
    const qint64 firstSeq = m_sentCount > 0 ? m_rows.first().seq : -1;
    bool olderPage =
        !messages.isEmpty() && (firstSeq < 0 ? m_rows.isEmpty() : messages.last().seq < firstSeq);
    for (qsizetype i = 0; olderPage && i < messages.size(); ++i) {
        const bool duplicate = i > 0 && messages.at(i).seq == messages.at(i - 1).seq;
        olderPage = !duplicate && messages.at(i).seq > 0;
    }
    if (olderPage) {
        QList<Row> rows;
        rows.reserve(messages.size());
        LocalDays days;
        for (const MessageEvent &message : std::as_const(messages))
            rows.append(rowOf(
                message, days.julianDay(MessageText::writtenAt(message.ts, message.serverTs))));
        beginInsertRows(QModelIndex(), 0, int(rows.size()) - 1);
        rows.append(m_rows);
        m_rows = std::move(rows);
        m_sentCount += int(messages.size());
        endInsertRows();
        neighbourChanged(int(messages.size()));
        return;
    }
    for (const MessageEvent &message : std::as_const(messages))
        insertStored(message);
}

// ---- loading -----------------------------------------------------------------------------

QCoro::Task<> MessageListModel::loadNewest()
{
    QPointer<MessageListModel> self(this);
    const QString conversation = m_conversation.conversation;
    const int limit = m_pageSize;
    QFuture<Result<QList<MessageEvent>>> cached = m_store->messages(conversation, 0, limit);
    QFuture<Result<QList<cache::OutboxItem>>> outbox = m_store->outbox();
    const Result<QList<MessageEvent>> page = co_await cached;
    if (!self)
        co_return;
    if (page)
        addMessages(*page);
    const Result<QList<cache::OutboxItem>> queued = co_await outbox;
    if (!self)
        co_return;
    if (queued) {
        for (const cache::OutboxItem &item : *queued) {
            if (!isOurs(item))
                continue;
            if (protocol::isChangeKind(item.kind))
                applyQueuedChange(item); // our change not acked yet: shown already
            else
                addPending(item);
        }
    }
    QCoro::Task<Result<QList<MessageEvent>>> fetching =
        m_client->inbox()->history(conversation, 0, limit);
    const Result<QList<MessageEvent>> fresh = co_await fetching;
    if (!self)
        co_return;
    if (fresh) {
        addMessages(*fresh);
        // Offline, history() answers from the cache: a short page then proves nothing.
        const bool online =
            m_client->connection()->state() == client::ChatConnection::State::Online;
        m_atStart =
            (online && fresh->size() < limit) || (m_oldestFetched > 0 && m_oldestFetched <= 1);
    }
    QCoro::Task<> seeding = seedReceipts();
    co_await seeding;
    if (!self)
        co_return;
    m_fetching = false;
    emit loaded();
}

QCoro::Task<> MessageListModel::seedReceipts()
{
    QPointer<MessageListModel> self(this);
    if (m_others.isEmpty() ||
        m_client->connection()->state() != client::ChatConnection::State::Online)
        co_return;
    qint64 newestOwn = 0;
    for (int row = m_sentCount - 1; row >= 0 && newestOwn == 0; --row) {
        if (m_rows.at(row).from == m_me && m_rows.at(row).kind != MessageKind::System)
            newestOwn = m_rows.at(row).seq;
    }
    if (newestOwn <= 0)
        co_return;
    // The answer carries each member's watermarks, which cover every older message too.
    QCoro::Task<Result<QList<protocol::MemberReceipt>>> asking =
        m_client->groups()->receipts(m_conversation.conversation, newestOwn);
    const Result<QList<protocol::MemberReceipt>> receipts = co_await asking;
    if (!self || !receipts)
        co_return;
    for (const protocol::MemberReceipt &receipt : *receipts)
        applyWatermarks(receipt.userId, receipt.deliveredSeq, receipt.readSeq);
}

QCoro::Task<> MessageListModel::loadOlder(qint64 beforeSeq)
{
    QPointer<MessageListModel> self(this);
    const QString conversation = m_conversation.conversation;
    const int limit = m_pageSize;
    const int before = int(m_rows.size());
    QFuture<Result<QList<MessageEvent>>> cached = m_store->messages(conversation, beforeSeq, limit);
    Result<QList<MessageEvent>> page = co_await cached;
    if (!self)
        co_return;
    bool reachedStart = false;
    if (!page || !isContiguousPage(*page, beforeSeq, limit)) {
        QCoro::Task<Result<QList<MessageEvent>>> fetching =
            m_client->inbox()->history(conversation, beforeSeq, limit);
        Result<QList<MessageEvent>> fresh = co_await fetching;
        if (!self)
            co_return;
        if (fresh) {
            const bool online =
                m_client->connection()->state() == client::ChatConnection::State::Online;
            reachedStart = online && fresh->size() < limit;
            page = std::move(fresh);
        }
    }
    if (page)
        addMessages(*page);
    m_atStart =
        reachedStart || (m_oldestFetched > 0 && m_oldestFetched <= 1) || (page && page->isEmpty());
    m_fetching = false;
    emit fetchFinished(int(m_rows.size()) - before);
}

// ---- events ------------------------------------------------------------------------------

void MessageListModel::onMessageReceived(const MessageEvent &message)
{
    if (message.conversation == m_conversation.conversation)
        insertStored(message);
}

void MessageListModel::onMessageQueued(const cache::OutboxItem &item)
{
    if (!isOurs(item))
        return;
    if (protocol::isChangeKind(item.kind))
        applyQueuedChange(item);
    else
        addPending(item);
}

void MessageListModel::onMessageSent(const QString &id, const QString &conversation, qint64 seq)
{
    if (conversation != m_conversation.conversation)
        return;
    if (m_queuedChanges.remove(id) > 0)
        return; // our change, shown since it was queued
    m_uploadProgress.remove(id);
    const int row = pendingRow(id);
    if (row >= 0)
        completePending(row, seq, 0);
}

void MessageListModel::onMessageFailed(const QString &id)
{
    if (const auto change = m_queuedChanges.constFind(id); change != m_queuedChanges.cend()) {
        const qint64 seq = *change;
        m_queuedChanges.erase(change);
        revertChange(seq); // refused for good: the row shows what the cache holds again
        return;
    }
    const int row = pendingRow(id);
    if (row < 0)
        return;
    m_rows[row].state = State::Failed;
    const QModelIndex at = index(row);
    emit dataChanged(at, at, {StatusRole, Qt::AccessibleTextRole});
}

void MessageListModel::onReceipt(const protocol::ReceiptEvent &receipt)
{
    if (receipt.conversation != m_conversation.conversation || receipt.user == m_me)
        return;
    const bool read = receipt.status == protocol::ReceiptStatus::Read;
    applyWatermarks(receipt.user, receipt.seq, read ? receipt.seq : 0);
}

void MessageListModel::applyWatermarks(const QString &user, qint64 deliveredSeq, qint64 readSeq)
{
    if (user == m_me)
        return;
    // Read implies delivered: a read watermark moves both.
    qint64 &delivered = m_delivered[user];
    delivered = std::max({delivered, deliveredSeq, readSeq});
    if (readSeq > 0) {
        qint64 &read = m_read[user];
        read = std::max(read, readSeq);
    }
    const qint64 oldLow = std::min(m_minDelivered, m_minRead);
    m_minDelivered = othersWatermark(m_delivered);
    m_minRead = othersWatermark(m_read);
    const qint64 oldHigh = std::max(m_minDelivered, m_minRead);
    // Only rows whose seq lies between the old and the new watermarks can change their tick.
    const int first = lowerBound(oldLow + 1);
    const int last = lowerBound(oldHigh + 1) - 1;
    if (first <= last)
        emit dataChanged(index(first), index(last), {StatusRole, Qt::AccessibleTextRole});
}

// ---- rows --------------------------------------------------------------------------------

bool MessageListModel::isOurs(const cache::OutboxItem &item) const
{
    return item.to == m_sendAddress || item.to == m_conversation.conversation;
}

void MessageListModel::addPending(const cache::OutboxItem &item)
{
    if (pendingRow(item.id) >= 0)
        return;
    for (int row = 0; row < m_sentCount; ++row) {
        if (m_rows.at(m_sentCount - 1 - row).id == item.id)
            return; // already stored (an outbox row read before its ack landed)
        if (row > 200)
            break; // acks land on recent rows; do not scan 100,000 for nothing
    }
    Row row;
    row.id = item.id;
    row.from = m_me;
    row.kind = item.kind;
    row.content = item.content;
    row.media = shared(item.media);
    row.localPath = item.localPath;
    row.replyTo = item.replyTo.value_or(0);
    row.forwarded = item.forwarded;
    row.mentions = item.mentions;
    row.ts = item.ts;
    row.day = localDay(row.ts).toJulianDay();
    row.state = State::Pending;
    const int at = int(m_rows.size());
    beginInsertRows(QModelIndex(), at, at);
    m_rows.append(row);
    endInsertRows();
}

void MessageListModel::insertStored(const MessageEvent &message)
{
    if (message.seq <= 0)
        return;
    const int pending = pendingRow(message.id);
    if (pending >= 0) {
        // Our own message came back (sync to this device, history) before or instead of its ack.
        completePending(pending, message.seq, message.serverTs);
        return;
    }
    noteFetched(message.seq);
    const int at = lowerBound(message.seq);
    if (at < m_sentCount && m_rows.at(at).seq == message.seq) {
        takeState(at, message); // seen again (history): the server's current state
        return;
    }
    beginInsertRows(QModelIndex(), at, at);
    m_rows.insert(at, rowOf(message));
    ++m_sentCount;
    endInsertRows();
    neighbourChanged(at + 1);
}

void MessageListModel::completePending(int row, qint64 seq, qint64 serverTs)
{
    const int existing = rowOfSeq(seq);
    if (existing >= 0) {
        // Stored already (e.g. from history): the pending copy goes, one row per message.
        beginRemoveRows(QModelIndex(), row, row);
        m_rows.removeAt(row);
        endRemoveRows();
        return;
    }
    const int target = lowerBound(seq);
    if (target != row) {
        beginMoveRows(QModelIndex(), row, row, QModelIndex(), target);
        m_rows.move(row, target);
        endMoveRows();
    }
    Row &moved = m_rows[target];
    moved.seq = seq;
    moved.state = State::Sent;
    moved.serverTs = serverTs > 0 ? serverTs : nowMs(); // the ack's time is not passed on
    // The time it was written stays (issue 16: an offline message showed the time it was sent).
    const qint64 written = MessageText::writtenAt(moved.ts, serverTs);
    if (written != moved.ts) {
        moved.ts = written;
        moved.day = localDay(written).toJulianDay();
    }
    ++m_sentCount;
    const QModelIndex at = index(target);
    emit dataChanged(at, at);
    neighbourChanged(target + 1);
}

int MessageListModel::pendingRow(const QString &id) const
{
    for (int row = m_sentCount; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id == id)
            return row;
    }
    return -1;
}

int MessageListModel::lowerBound(qint64 seq) const
{
    const auto end = m_rows.cbegin() + m_sentCount;
    const auto it = std::lower_bound(m_rows.cbegin(), end, seq,
                                     [](const Row &row, qint64 value) { return row.seq < value; });
    return int(it - m_rows.cbegin());
}

bool MessageListModel::dayStart(int row) const
{
    // Converting to local time costs a time-zone lookup: done once per row, not per data() call.
    return row == 0 || m_rows.at(row).day != m_rows.at(row - 1).day;
}

bool MessageListModel::grouped(int row) const
{
    if (row == 0 || dayStart(row))
        return false;
    const Row &current = m_rows.at(row);
    const Row &previous = m_rows.at(row - 1);
    return current.from == previous.from && current.kind != MessageKind::System &&
           previous.kind != MessageKind::System && current.ts - previous.ts < kGroupWindowMs &&
           current.ts >= previous.ts;
}

MessageListModel::Status MessageListModel::statusOf(const Row &row) const
{
    if (row.state == State::Pending)
        return Status::Pending;
    if (row.state == State::Failed)
        return Status::Failed;
    if (row.from != m_me || m_others.isEmpty())
        return Status::Sent;
    if (row.seq <= m_minRead)
        return Status::Read;
    if (row.seq <= m_minDelivered)
        return Status::Delivered;
    return Status::Sent;
}

qint64 MessageListModel::othersWatermark(const QHash<QString, qint64> &marks) const
{
    qint64 low = -1;
    for (const QString &member : m_others) {
        const qint64 mark = marks.value(member, 0);
        low = low < 0 ? mark : std::min(low, mark);
    }
    return std::max<qint64>(low, 0);
}

void MessageListModel::neighbourChanged(int row)
{
    // DayStart and GroupedWithPrevious depend on the row above, which just changed.
    if (row <= 0 || row >= m_rows.size())
        return;
    const QModelIndex at = index(row);
    emit dataChanged(at, at, {DayStartRole, GroupedWithPreviousRole});
}

MessageListModel::Row MessageListModel::rowOf(const MessageEvent &message)
{
    const qint64 written = MessageText::writtenAt(message.ts, message.serverTs);
    return rowOf(message, localDay(written).toJulianDay());
}

MessageListModel::Row MessageListModel::rowOf(const MessageEvent &message, qint64 julianDay)
{
    Row row;
    row.id = message.id;
    row.from = message.from;
    row.kind = message.kind;
    row.kindName = message.kindName;
    row.content = message.content;
    // Only the documented fields (protocol::Media): never a peer's "local_path" (issue 15).
    row.media = shared(message.media);
    row.seq = message.seq;
    row.ts = MessageText::writtenAt(message.ts, message.serverTs);
    row.day = julianDay;
    row.state = State::Sent;
    row.serverTs = message.serverTs;
    row.replyTo = message.replyTo.value_or(0);
    row.editedTs = message.editedTs;
    row.mentions = message.mentions;
    row.reactions = message.reactions;
    row.forwarded = message.forwarded;
    row.deleted = message.deleted;
    return row;
}

} // namespace tern::app::models
