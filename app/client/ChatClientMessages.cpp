// ChatClient, part two: the outbox, incoming messages, receipts and the request helpers.

#include "ChatClient.h"

#include "app/cache/LocalStore.h"
#include "app/client/RequestTracker.h"
#include "shared/core/Clock.h"
#include "shared/core/Log.h"
#include "shared/transport/ClientConnection.h"

#include <QJsonArray>
#include <QPointer>
#include <QSet>
#include <QUuid>

namespace tern::app::client {

namespace {

// Pages of one paged read at most: a guard against a server whose cursors never repeat.
constexpr int kMaxPages = 10'000;

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

} // namespace

// ---- outbox ----------------------------------------------------------------------------------

QString ChatClient::sendText(const QString &to, const QString &text)
{
    cache::OutboxItem item;
    item.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    item.to = to;
    item.kind = protocol::MessageKind::Text;
    item.content = text;
    item.ts = nowMs();
    queueAndSend(item);
    return item.id;
}

QCoro::Task<> ChatClient::queueAndSend(cache::OutboxItem item)
{
    QPointer<ChatClient> self(this);
    // Durable first: once messageQueued is out, a crash or kill cannot lose the message.
    QFuture<Status> queued = m_store->addToOutbox(item);
    const Status status = co_await queued;
    if (!self)
        co_return;
    if (!status) {
        emit messageFailed(item.id, errorCodeName(status.error().code), status.error().message);
        co_return;
    }
    emit messageQueued(item);
    // While syncing, the flush that ends the sync sends it (it reads the outbox after us).
    if (m_state == State::Online)
        sendOutboxItem(item);
}

void ChatClient::sendOutboxItem(const cache::OutboxItem &item)
{
    // One copy in flight per connection; a retry waits for the next connection or the timer.
    if (!isAuthenticated() || m_inFlight.contains(item.id))
        return;
    // A media message goes out only once its upload has finished.
    if (item.media && item.media->mediaId.isEmpty()) {
        ensureUpload(item);
        return;
    }
    m_inFlight.insert(item.id);
    QFuture<RawReply> reply = m_requests->track(item.id);
    // protocol::Media holds nothing of this device (its path and upload id are the outbox's).
    const protocol::SendMessageRequest body{item.to, item.kind, item.content, item.media, item.ts};
    if (!m_connection->send(protocol::Request{item.id, body}))
        m_requests->resolve(
            item.id, transportError(TransportFailure::Offline, QStringLiteral("send refused")));
    m_store->noteAttempt({item.id});
    awaitMessageAck(item, reply, m_generation);
}

QCoro::Task<> ChatClient::awaitMessageAck(cache::OutboxItem item, QFuture<RawReply> reply,
                                          quint64 generation)
{
    QPointer<ChatClient> self(this);
    const RawReply raw = co_await reply;
    const Result<protocol::SendAck> result = decodeReply<protocol::SendAck>(raw);
    if (!self)
        co_return;
    if (generation == m_generation)
        m_inFlight.remove(item.id);
    if (result) {
        protocol::MessageEvent stored;
        stored.id = item.id;
        stored.conversation = result->conversation;
        stored.seq = result->seq;
        stored.from = m_userId;
        stored.fromDevice = m_deviceId;
        stored.to = item.to;
        stored.kind = item.kind;
        stored.content = item.content;
        stored.media = item.media;
        stored.ts = item.ts;
        stored.serverTs = result->serverTs;
        QFuture<Result<bool>> completing = m_store->completeOutboxItem(item.id, stored);
        const Result<bool> completed = co_await completing;
        if (!self)
            co_return;
        if (!completed) {
            // Still queued: the next flush re-sends it and the server answers the same ack.
            qCWarning(lcStore) << "acked message not stored:" << completed.error().message;
            co_return;
        }
        if (*completed) {
            noteConversation(stored.conversation);
            emit messageSent(item.id, stored.conversation, stored.seq);
        }
        co_return;
    }
    const ErrorCode code = result.error().code;
    if (result.error().isTransport() || code == ErrorCode::Internal ||
        code == ErrorCode::RateLimited) {
        // Transient (timeout, lost connection, an unreadable ack; server trouble, rate limit):
        // keep it queued.
        if (isAuthenticated() && !m_outboxRetryTimer.isActive())
            m_outboxRetryTimer.start();
        co_return;
    }
    QFuture<Result<bool>> removing = m_store->removeFromOutbox(item.id);
    const Result<bool> removed = co_await removing;
    if (!self)
        co_return;
    if (!removed)
        qCWarning(lcStore) << "refused message not removed:" << removed.error().message;
    emit messageFailed(item.id, errorCodeName(code), result.error().message);
}

// ---- incoming --------------------------------------------------------------------------------

QCoro::Task<> ChatClient::storeIncoming(protocol::MessageEvent message)
{
    QPointer<ChatClient> self(this);
    QFuture<Result<cache::SaveOutcome>> saving = m_store->saveMessages({message}, true);
    const Result<cache::SaveOutcome> outcome = co_await saving;
    if (!self)
        co_return;
    if (!outcome) {
        // Not stored means not acknowledged by a watermark: sync brings it again.
        qCWarning(lcStore) << "incoming message not stored:" << outcome.error().message;
        co_return;
    }
    if (!outcome->inserted.isEmpty() && outcome->inserted.first()) {
        noteConversation(message.conversation);
        emit messageReceived(message);
    }
    // Duplicates report the watermark too, so a tail re-sent by sync is acknowledged.
    queueDelivery(outcome->delivered);
}

void ChatClient::queueDelivery(const QHash<QString, qint64> &watermarks)
{
    for (auto it = watermarks.cbegin(); it != watermarks.cend(); ++it) {
        qint64 &seq = m_pendingDelivery[it.key()];
        seq = qMax(seq, it.value());
    }
    if (!m_pendingDelivery.isEmpty() && !m_deliveryTimer.isActive())
        m_deliveryTimer.start();
}

void ChatClient::sendDeliveries()
{
    QHash<QString, qint64> pending;
    pending.swap(m_pendingDelivery);
    if (!isAuthenticated())
        return;
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        if (it.value() > 0)
            m_connection->send(protocol::Request{
                std::nullopt, protocol::DeliveryRequest{it.key(), it.value(), {}}});
    }
}

void ChatClient::markRead(const QString &conversation, qint64 seq)
{
    m_store->setReadSeq(conversation, seq);
    if (isAuthenticated())
        m_connection->send(
            protocol::Request{std::nullopt, protocol::ReadRequest{conversation, seq, {}}});
}

void ChatClient::sendTyping(const QString &conversation)
{
    if (m_state != State::Online)
        return;
    const qint64 now = m_clock.elapsed();
    const auto last = m_lastTypingMs.constFind(conversation);
    if (last != m_lastTypingMs.cend() && now - *last < 1000)
        return;
    m_lastTypingMs.insert(conversation, now);
    m_connection->send(protocol::Request{std::nullopt, protocol::TypingRequest{conversation}});
}

// ---- requests --------------------------------------------------------------------------------

void ChatClient::noteConversation(const QString &conversation)
{
    if (!m_knownConversations.contains(conversation) && !m_refreshTimer.isActive())
        m_refreshTimer.start();
}

QCoro::Task<> ChatClient::refreshConversations()
{
    QCoro::Task<Result<QList<protocol::ConversationSummary>>> listing = conversations();
    const Result<QList<protocol::ConversationSummary>> list = co_await listing;
    if (!list)
        qCInfo(lcNet) << "conversation list not refreshed:" << list.error().message;
}

QCoro::Task<> ChatClient::saveConversationList(QList<protocol::ConversationSummary> list)
{
    QPointer<ChatClient> self(this);
    QStringList newMembers; // people we share a chat with since the last list: no presence yet
    for (const protocol::ConversationSummary &summary : list) {
        m_knownConversations.insert(summary.conversation);
        for (const protocol::MemberInfo &member : summary.members) {
            if (member.userId != m_userId && !m_knownMembers.contains(member.userId)) {
                m_knownMembers.insert(member.userId);
                newMembers << member.userId;
            }
        }
    }
    QFuture<Status> saving = m_store->saveConversations(list);
    const Status status = co_await saving;
    if (!self)
        co_return;
    if (!status)
        qCWarning(lcStore) << "conversations not cached:" << status.error().message;
    emit conversationsUpdated(list);
    // After a (re)sync every member is asked anyway; a list refreshed while online (a new chat
    // or group) brings people whose presence we have never heard.
    if (self && m_state == State::Online && !newMembers.isEmpty())
        refreshPresence(m_generation, newMembers);
}

template <typename Req>
QCoro::Task<Status> ChatClient::followPages(PageRequest<Req> request, PageTaker<Req> take)
{
    using PageReply = typename Req::Reply;
    QPointer<ChatClient> self(this);
    QSet<QString> followed;
    for (int page = 0; page < kMaxPages; ++page) {
        QCoro::Task<Result<PageReply>> asking = call(request());
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

QCoro::Task<Result<QList<protocol::ConversationSummary>>> ChatClient::conversations()
{
    using List = QList<protocol::ConversationSummary>;
    QPointer<ChatClient> self(this);
    if (isAuthenticated()) {
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
    QFuture<Result<List>> cached = m_store->conversations();
    const Result<List> list = co_await cached;
    co_return list;
}

QCoro::Task<Result<QList<protocol::MessageEvent>>> ChatClient::history(QString conversation,
                                                                       qint64 beforeSeq, int limit)
{
    using List = QList<protocol::MessageEvent>;
    QPointer<ChatClient> self(this);
    if (isAuthenticated() && limit > 0) {
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
            QFuture<Result<cache::SaveOutcome>> saving = m_store->saveMessages(collected, false);
            const Result<cache::SaveOutcome> saved = co_await saving;
            if (!saved)
                qCWarning(lcStore) << "history not cached:" << saved.error().message;
            co_return collected;
        }
        if (!useCache(paged.error()))
            co_return paged.error();
    }
    QFuture<Result<List>> cached = m_store->messages(conversation, beforeSeq, limit);
    const Result<List> list = co_await cached;
    co_return list;
}

QCoro::Task<Result<QString>> ChatClient::createGroup(QString name, QStringList members)
{
    QCoro::Task<Result<protocol::CreateGroupReply>> request =
        call(protocol::CreateGroupRequest{name, members});
    const Result<protocol::CreateGroupReply> reply = co_await request;
    if (!reply)
        co_return reply.error();
    co_return reply->conversation;
}

QCoro::Task<Result<QList<protocol::UserInfo>>> ChatClient::searchUsers(QString query)
{
    QCoro::Task<Result<protocol::UserSearchReply>> request =
        call(protocol::UserSearchRequest{query});
    const Result<protocol::UserSearchReply> reply = co_await request;
    if (!reply)
        co_return reply.error();
    co_return reply->users;
}

// The paged reads (followPages is declared in ChatClient.h and used in ChatClient.cpp too).
template QCoro::Task<Status>
    ChatClient::followPages<protocol::SyncRequest>(PageRequest<protocol::SyncRequest>,
                                                   PageTaker<protocol::SyncRequest>);
template QCoro::Task<Status> ChatClient::followPages<protocol::ConversationsRequest>(
    PageRequest<protocol::ConversationsRequest>, PageTaker<protocol::ConversationsRequest>);
template QCoro::Task<Status>
    ChatClient::followPages<protocol::HistoryRequest>(PageRequest<protocol::HistoryRequest>,
                                                      PageTaker<protocol::HistoryRequest>);

} // namespace tern::app::client
