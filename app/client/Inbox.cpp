#include "Inbox.h"

#include "app/cache/LocalStore.h"
#include "app/client/ChatConnection.h"
#include "shared/core/Log.h"
#include "shared/model/Limits.h"

#include <QPointer>
#include <QSet>

#include <algorithm>

namespace tern::app::client {

namespace {

// Pages of one paged read at most: a guard against a server whose cursors never repeat.
constexpr int kMaxPages = 10'000;

//! The server answers at most this many ids per `presence`/`users` request.
constexpr qsizetype kChunk = limits::kMaxPresenceUsers;

Error clientGone()
{
    return transportError(TransportFailure::Cancelled, QStringLiteral("client destroyed"));
}

//! Transport trouble (offline, timeout, lost connection, an unreadable answer) or a server that
//! could not do it this time (`internal`): the cache answers instead. A real refusal from the
//! server (not_found, forbidden...) is passed on.
bool useCache(const Error &error)
{
    return error.isTransport() || error.code == ErrorCode::Internal;
}

//! Asks about `ids` (duplicates dropped) in requests of at most kChunk ids, the answers in
//! order; the first failure ends it. The server answers at most kChunk per request.
template <typename Req>
QCoro::Task<Result<decltype(Req::Reply::users)>> askInChunks(QPointer<ChatConnection> connection,
                                                             QStringList ids)
{
    decltype(Req::Reply::users) all;
    ids.removeDuplicates();
    for (qsizetype from = 0; from < ids.size(); from += kChunk) {
        if (!connection)
            co_return clientGone();
        QCoro::Task<Result<typename Req::Reply>> request =
            connection->call(Req{ids.mid(from, kChunk)});
        const Result<typename Req::Reply> reply = co_await request;
        if (!reply)
            co_return reply.error();
        all.append(reply->users);
    }
    co_return all;
}

} // namespace

using State = ChatConnection::State;

Inbox::Inbox(ChatConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection)
{
    m_clock.start();
    // Receipts of a burst (a sync page) go out as one watermark per conversation.
    m_deliveryTimer.setSingleShot(true);
    m_deliveryTimer.setInterval(100);
    connect(&m_deliveryTimer, &QTimer::timeout, this, &Inbox::sendDeliveries);
    // New conversations show up as messages first; one list refresh covers a burst of them.
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(200);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        if (m_connection->isAuthenticated())
            refreshConversations();
    });
    connect(connection, &ChatConnection::connectionLost, this, [this] {
        m_pendingDelivery.clear(); // the next sync re-sends the tail; watermarks follow it
        m_deliveryTimer.stop();
    });
    connect(connection, &ChatConnection::messageEvent, this,
            [this](const protocol::MessageEvent &message) {
                ++m_messagesReceived;
                storeIncoming(message);
            });
    connect(connection, &ChatConnection::receiptEvent, this, &Inbox::receiptReceived);
    connect(connection, &ChatConnection::presenceEvent, this, &Inbox::presenceChanged);
    connect(connection, &ChatConnection::typingEvent, this, &Inbox::typingReceived);
    connect(connection, &ChatConnection::userUpdatedEvent, this, &Inbox::userUpdated);
    connect(connection, &ChatConnection::hiddenEvent, this,
            [this](const protocol::HiddenEvent &hidden) { storeHidden(hidden); });
    connection->addSyncStep(this, [this](quint64 generation) { return sync(generation); });
    // Presence events only report changes: without this, everyone looks offline until then.
    connect(connection, &ChatConnection::onlineAfterSync, this,
            [this](quint64 generation) { refreshPresence(generation); });
}

QCoro::Task<Status> Inbox::sync(quint64 generation)
{
    QPointer<Inbox> self(this);
    // The backlog arrives as message events before each ack; more rounds while incomplete. The
    // messages received so far serve as the cursor: a round that brings none repeats it, so a
    // server that says "incomplete" forever is not asked forever.
    QCoro::Task<Status> syncing = followPages<protocol::SyncRequest>(
        [] { return protocol::SyncRequest{}; },
        [this](const protocol::SyncReply &ack) -> Result<std::optional<QString>> {
            if (ack.complete)
                return std::optional<QString>();
            return std::optional<QString>(QString::number(m_messagesReceived));
        });
    const Status backlog = co_await syncing;
    if (!self || generation != m_connection->generation())
        co_return Ok{}; // the connection checks its generation itself
    if (!backlog)
        co_return backlog.error();
    QCoro::Task<Result<QList<protocol::ConversationSummary>>> listing = conversations();
    const Result<QList<protocol::ConversationSummary>> list = co_await listing;
    if (self && !list)
        qCWarning(lcNet) << "conversation list failed:" << list.error().message;
    co_return Ok{};
}

// ---- incoming --------------------------------------------------------------------------------

QCoro::Task<> Inbox::storeIncoming(protocol::MessageEvent message)
{
    QPointer<Inbox> self(this);
    QFuture<Result<cache::SaveOutcome>> saving =
        m_connection->store()->saveMessages({message}, true);
    const Result<cache::SaveOutcome> outcome = co_await saving;
    if (!self)
        co_return;
    if (!outcome) {
        // Not stored means not acknowledged by a watermark: sync brings it again.
        qCWarning(lcStore) << "incoming message not stored:" << outcome.error().message;
        co_return;
    }
    // Edits, deletions and reactions are no messages of their own: they were applied to their
    // cached target, and only the models showing it are told.
    if (!outcome->inserted.isEmpty() && outcome->inserted.first()) {
        if (protocol::isChangeKind(message.kind)) {
            emit changeReceived(message);
        } else {
            noteConversation(message.conversation);
            emit messageReceived(message);
        }
    }
    // Duplicates report the watermark too, so a tail re-sent by sync is acknowledged.
    queueDelivery(outcome->delivered);
}

QCoro::Task<> Inbox::storeHidden(protocol::HiddenEvent hidden)
{
    QPointer<Inbox> self(this);
    if (hidden.seqs.isEmpty())
        co_return;
    QFuture<Status> hiding = m_connection->store()->hideMessages(hidden.conversation, hidden.seqs);
    const Status status = co_await hiding;
    if (!self)
        co_return;
    if (!status) {
        qCWarning(lcStore) << "hidden messages not stored:" << status.error().message;
        co_return;
    }
    emit messagesHidden(hidden.conversation, hidden.seqs);
}

void Inbox::queueDelivery(const QHash<QString, qint64> &watermarks)
{
    for (auto it = watermarks.cbegin(); it != watermarks.cend(); ++it) {
        qint64 &seq = m_pendingDelivery[it.key()];
        seq = qMax(seq, it.value());
    }
    if (!m_pendingDelivery.isEmpty() && !m_deliveryTimer.isActive())
        m_deliveryTimer.start();
}

void Inbox::sendDeliveries()
{
    QHash<QString, qint64> pending;
    pending.swap(m_pendingDelivery);
    if (!m_connection->isAuthenticated())
        return;
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        if (it.value() > 0)
            m_connection->notify(protocol::DeliveryRequest{it.key(), it.value(), {}});
    }
}

void Inbox::markRead(const QString &conversation, qint64 seq)
{
    m_connection->store()->setReadSeq(conversation, seq);
    if (m_connection->isAuthenticated())
        m_connection->notify(protocol::ReadRequest{conversation, seq, {}});
}

void Inbox::sendTyping(const QString &conversation)
{
    if (m_connection->state() != State::Online)
        return;
    const qint64 now = m_clock.elapsed();
    const auto last = m_lastTypingMs.constFind(conversation);
    if (last != m_lastTypingMs.cend() && now - *last < 1000)
        return;
    m_lastTypingMs.insert(conversation, now);
    m_connection->notify(protocol::TypingRequest{conversation});
}

// ---- requests ----------------------------------------------------------------------------------

void Inbox::noteConversation(const QString &conversation)
{
    if (!m_knownConversations.contains(conversation) && !m_refreshTimer.isActive())
        m_refreshTimer.start();
}

QCoro::Task<> Inbox::refreshConversations()
{
    QCoro::Task<Result<QList<protocol::ConversationSummary>>> listing = conversations();
    const Result<QList<protocol::ConversationSummary>> list = co_await listing;
    if (!list)
        qCInfo(lcNet) << "conversation list not refreshed:" << list.error().message;
}

QCoro::Task<> Inbox::saveConversationList(QList<protocol::ConversationSummary> list)
{
    QPointer<Inbox> self(this);
    QStringList newMembers; // people we share a chat with since the last list: no presence yet
    for (const protocol::ConversationSummary &summary : list) {
        m_knownConversations.insert(summary.conversation);
        for (const protocol::MemberInfo &member : summary.members) {
            if (member.userId != m_connection->userId() &&
                !m_knownMembers.contains(member.userId)) {
                m_knownMembers.insert(member.userId);
                newMembers << member.userId;
            }
        }
    }
    QFuture<Status> saving = m_connection->store()->saveConversations(list);
    const Status status = co_await saving;
    if (!self)
        co_return;
    if (!status)
        qCWarning(lcStore) << "conversations not cached:" << status.error().message;
    emit conversationsUpdated(list);
    // After a (re)sync every member is asked anyway; a list refreshed while online (a new chat
    // or group) brings people whose presence we have never heard.
    if (self && m_connection->state() == State::Online && !newMembers.isEmpty())
        refreshPresence(m_connection->generation(), newMembers);
}

template <typename Req>
QCoro::Task<Status> Inbox::followPages(PageRequest<Req> request, PageTaker<Req> take)
{
    using PageReply = typename Req::Reply;
    QPointer<Inbox> self(this);
    QSet<QString> followed;
    for (int page = 0; page < kMaxPages; ++page) {
        QCoro::Task<Result<PageReply>> asking = m_connection->call(request());
        const Result<PageReply> reply = co_await asking;
        if (!self)
            co_return clientGone();
        if (!reply)
            co_return reply.error();
        const Result<std::optional<QString>> next = take(*reply);
        if (!next)
            co_return next.error();
        if (!*next)
            co_return Ok{};
        // A server whose cursors come round again would be followed round forever.
        const QString &key = **next;
        if (followed.contains(key)) {
            qCWarning(lcNet) << "paging stopped: the server repeated the cursor" << key;
            co_return transportError(TransportFailure::Protocol,
                                     QStringLiteral("the server's cursor repeats"));
        }
        followed.insert(key);
    }
    co_return transportError(TransportFailure::Protocol, QStringLiteral("too many pages"));
}

QCoro::Task<Result<QList<protocol::ConversationSummary>>> Inbox::conversations()
{
    using List = QList<protocol::ConversationSummary>;
    QPointer<Inbox> self(this);
    if (m_connection->isAuthenticated()) {
        // The server pages a long list (next_cursor); the list is complete only at its end.
        List all;
        QSet<QString> listed;
        QString cursor; // empty: the first page
        QCoro::Task<Status> paging = followPages<protocol::ConversationsRequest>(
            [&cursor] { return protocol::ConversationsRequest{cursor}; },
            [&all, &listed,
             &cursor](const protocol::ConversationsPage &page) -> Result<std::optional<QString>> {
                const qsizetype before = all.size();
                for (const protocol::ConversationSummary &summary : page.conversations) {
                    if (!listed.contains(summary.conversation)) { // else: moved while we paged
                        listed.insert(summary.conversation);
                        all << summary;
                    }
                }
                if (!page.nextCursor || page.nextCursor->isEmpty())
                    return std::optional<QString>();
                // Every page of a real server brings someone new; the cursor is opaque, so
                // this is how we see that it still moves.
                if (all.size() == before)
                    return transportError(TransportFailure::Protocol,
                                          QStringLiteral("conversation pages repeat"));
                cursor = *page.nextCursor;
                return page.nextCursor;
            });
        const Status paged = co_await paging;
        if (!self)
            co_return clientGone();
        if (paged) {
            QCoro::Task<> saving = saveConversationList(all);
            co_await saving;
            co_return all;
        }
        if (!useCache(paged.error()))
            co_return paged.error();
        qCInfo(lcNet) << "conversation list from the cache:" << paged.error().message;
    }
    QFuture<Result<List>> cached = m_connection->store()->conversations();
    const Result<List> list = co_await cached;
    co_return list;
}

QCoro::Task<Result<QList<protocol::MessageEvent>>> Inbox::history(QString conversation,
                                                                  qint64 beforeSeq, int limit)
{
    using List = QList<protocol::MessageEvent>;
    QPointer<Inbox> self(this);
    if (m_connection->isAuthenticated() && limit > 0) {
        // A page the server cut by size says where the next (older) one starts; follow it
        // until `limit` messages or the start, so callers still see a short page only there.
        List collected;
        qint64 before = beforeSeq;
        QCoro::Task<Status> paging = followPages<protocol::HistoryRequest>(
            [&collected, &before, conversation, limit] {
                protocol::HistoryRequest body{conversation, std::nullopt,
                                              limit - int(collected.size())};
                if (before > 0)
                    body.beforeSeq = before;
                return body;
            },
            [&collected, &before,
             limit](const protocol::HistoryPage &page) -> Result<std::optional<QString>> {
                collected = page.messages + collected;
                if (collected.size() >= limit || page.messages.isEmpty() || !page.nextBeforeSeq)
                    return std::optional<QString>();
                const qint64 nextBefore = *page.nextBeforeSeq;
                if (nextBefore <= 0 || (before > 0 && nextBefore >= before))
                    return std::optional<QString>(); // a cursor must move back, or it would loop
                before = nextBefore;
                return std::optional<QString>(QString::number(nextBefore));
            });
        const Status paged = co_await paging;
        if (!self)
            co_return clientGone();
        if (paged || !collected.isEmpty()) {
            QFuture<Result<cache::SaveOutcome>> saving =
                m_connection->store()->saveMessages(collected, false);
            const Result<cache::SaveOutcome> saved = co_await saving;
            if (!saved)
                qCWarning(lcStore) << "history not cached:" << saved.error().message;
            co_return collected;
        }
        if (!useCache(paged.error()))
            co_return paged.error();
    }
    QFuture<Result<List>> cached = m_connection->store()->messages(conversation, beforeSeq, limit);
    const Result<List> list = co_await cached;
    co_return list;
}

QCoro::Task<Status> Inbox::hideMessages(QString conversation, QList<qint64> seqs)
{
    QPointer<Inbox> self(this);
    std::sort(seqs.begin(), seqs.end());
    seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
    // The server takes at most kMaxHideSeqs per request.
    for (qsizetype from = 0; from < seqs.size(); from += limits::kMaxHideSeqs) {
        const QList<qint64> chunk = seqs.mid(from, limits::kMaxHideSeqs);
        QCoro::Task<Result<protocol::EmptyReply>> request =
            m_connection->call(protocol::HideRequest{conversation, chunk});
        const Result<protocol::EmptyReply> reply = co_await request;
        if (!self)
            co_return clientGone();
        if (!reply)
            co_return reply.error();
        // The `hidden` event to this device follows too; storing twice changes nothing.
        QFuture<Status> hiding = m_connection->store()->hideMessages(conversation, chunk);
        const Status stored = co_await hiding;
        if (!self)
            co_return clientGone();
        if (!stored)
            co_return stored.error();
        emit messagesHidden(conversation, chunk);
    }
    co_return Ok{};
}

QCoro::Task<Result<protocol::SearchReply>> Inbox::searchServer(QString query, QString conversation,
                                                               QString cursor)
{
    QCoro::Task<Result<protocol::SearchReply>> request = m_connection->call(
        protocol::SearchRequest{query, conversation, cursor, limits::kDefaultSearchLimit});
    co_return co_await request;
}

QCoro::Task<Result<QList<protocol::UserInfo>>> Inbox::searchUsers(QString query)
{
    QCoro::Task<Result<protocol::UserSearchReply>> request =
        m_connection->call(protocol::UserSearchRequest{query});
    const Result<protocol::UserSearchReply> reply = co_await request;
    if (!reply)
        co_return reply.error();
    co_return reply->users;
}

QCoro::Task<Result<QList<protocol::PresenceEvent>>> Inbox::presence(QStringList users)
{
    return askInChunks<protocol::PresenceRequest>(m_connection, std::move(users));
}

QCoro::Task<Result<QList<protocol::UserInfo>>> Inbox::users(QStringList ids)
{
    return askInChunks<protocol::UsersRequest>(m_connection, std::move(ids));
}

QCoro::Task<Result<QString>> Inbox::setDisplayName(QString displayName)
{
    QPointer<Inbox> self(this);
    QCoro::Task<Result<protocol::SetDisplayNameReply>> request =
        m_connection->call(protocol::SetDisplayNameRequest{displayName});
    const Result<protocol::SetDisplayNameReply> reply = co_await request;
    if (!self)
        co_return clientGone();
    if (!reply)
        co_return reply.error();
    const QString stored = reply->displayName;
    // The server's user_updated event follows; the UI need not wait for it.
    emit userUpdated(protocol::UserUpdatedEvent{m_connection->userId(), stored});
    co_return stored;
}

QCoro::Task<> Inbox::refreshPresence(quint64 generation, QStringList members)
{
    QPointer<Inbox> self(this);
    if (members.isEmpty())
        members = QStringList(m_knownMembers.cbegin(), m_knownMembers.cend());
    if (members.isEmpty())
        co_return;
    QCoro::Task<Result<QList<protocol::PresenceEvent>>> asking = presence(members);
    const Result<QList<protocol::PresenceEvent>> answer = co_await asking;
    if (!self || generation != m_connection->generation())
        co_return;
    if (!answer) {
        qCInfo(lcNet) << "presence not refreshed:" << answer.error().message;
        co_return;
    }
    for (const protocol::PresenceEvent &event : *answer)
        emit presenceChanged(event);
}

} // namespace tern::app::client
