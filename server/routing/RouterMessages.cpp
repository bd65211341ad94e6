// Router: messages, history, receipts and sync (accounts and dispatch live in Router.cpp).

#include "Router.h"

#include "server/routing/FutureAwaiter.h"

#include "shared/core/Clock.h"
#include "shared/model/Limits.h"
#include "shared/protocol/Codec.h"

#include <QCoroFuture>
#include <QCoroTimer>
#include <QJsonArray>
#include <QPointer>

#include <chrono>

namespace tern::server::routing {

using namespace tern::protocol;

namespace {
constexpr int kSyncPageMessages = 256;
// Sync sends the next message only while less than this is waiting to be written: a slow
// reader slows its own sync instead of growing the server's memory.
constexpr qint64 kSyncHighWaterBytes = 1024 * 1024;
constexpr int kUserSearchLimit = 20;

SendAck sendAckOf(const MessageEvent &stored)
{
    SendAck ack;
    ack.conversation = stored.conversation;
    ack.seq = stored.seq;
    ack.serverTs = stored.serverTs;
    return ack;
}

QByteArray frameOf(const MessageEvent &event)
{
    return encodeEvent(event);
}
} // namespace

QCoro::Task<> Router::onMessage(quint64 linkId, ReqId id, SendMessageRequest request)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    const Session *s = session(linkId);
    store::NewMessage m;
    m.senderUser = s->userId;
    m.senderDevice = s->deviceId;
    m.clientId = id.value_or(QString());
    m.to = request.to;
    m.kind = request.kind;
    m.content = request.content;
    m.media = request.media;
    m.serverTs = nowMs();
    m.ts = request.ts.value_or(m.serverTs);
    m.replyTo = request.replyTo;
    m.forwarded = request.forwarded;
    m.mentions = std::move(request.mentions);
    m.ref = request.ref;
    m.on = request.on;
    m.editWindowMs = qint64(m_config.editWindowHours) * 3'600'000;
    // Queued synchronously, before the first suspension: messages sent on one connection get
    // seqs in the order they were sent.
    const quint64 ticket = takeTicket();
    QFuture<Result<store::AppendOutcome>> appending = m_store.appendMessage(m);
    Result<store::AppendOutcome> outcome = co_await resumedHere(std::move(appending));
    if (!self)
        co_return;
    release(ticket, [this, linkId, id, outcome, senderDevice = m.senderDevice] {
        if (Session *now = session(linkId)) {
            if (!outcome)
                now->link->replyError(id, outcome.error());
            else
                now->link->reply(id, sendAckOf(outcome->message));
        }
        // Fan out even when the sender has gone: the message is stored.
        if (outcome && !outcome->duplicate && outcome->blindUserIds.isEmpty()) {
            sendToUsers(outcome->memberUserIds, frameOf(outcome->message), senderDevice);
        } else if (outcome && !outcome->duplicate) {
            // Members who joined after the target get the event without its content.
            QStringList seeing = outcome->memberUserIds;
            for (const QString &user : outcome->blindUserIds)
                seeing.removeAll(user);
            sendToUsers(seeing, frameOf(outcome->message), senderDevice);
            protocol::MessageEvent blinded = outcome->message;
            blinded.content.clear(); // as history and sync give it to them
            sendToUsers(outcome->blindUserIds, frameOf(blinded), senderDevice);
        }
        if (outcome && !outcome->forgottenMedia.isEmpty() && m_mediaForgotten)
            m_mediaForgotten(outcome->forgottenMedia);
    });
}

QCoro::Task<> Router::onConversations(quint64 linkId, ReqId id, ConversationsRequest request)
{
    QPointer<Router> self(this);
    const qint64 budget = replyPageBytes();
    const RequestSlot slot = admit(linkId, budget);
    ReadGate::Entry entering = m_heavyReads.enter();
    ReadGate::Place place = co_await entering;
    const Session *asker = self ? session(linkId) : nullptr;
    if (!asker || !asker->interest) // gone while waiting: nothing is read
        co_return;
    QFuture<Result<store::ConversationPage>> loading = m_store.conversationsPage(
        asker->userId, request.cursor, {limits::kConversationsPageRows, budget}, asker->interest);
    Result<store::ConversationPage> page = co_await loading;
    place.release(); // read: building the reply needs no place
    Session *s = self ? session(linkId) : nullptr;
    if (!s || !s->interest) // closed or closing: nobody reads the reply
        co_return;
    if (!page) {
        s->link->replyError(id, page.error());
        co_return;
    }
    ConversationsPage reply{std::move(page->conversations), std::nullopt};
    if (!page->nextCursor.isEmpty())
        reply.nextCursor = page->nextCursor;
    s->link->reply(id, reply);
}

QCoro::Task<> Router::onHistory(quint64 linkId, ReqId id, HistoryRequest request)
{
    QPointer<Router> self(this);
    const qint64 budget = replyPageBytes();
    const RequestSlot slot = admit(linkId, budget);
    const int limit = std::clamp(request.limit, 1, limits::kMaxHistoryLimit);
    ReadGate::Entry entering = m_heavyReads.enter();
    ReadGate::Place place = co_await entering;
    const Session *asker = self ? session(linkId) : nullptr;
    if (!asker || !asker->interest) // gone while waiting: nothing is read
        co_return;
    QFuture<Result<store::HistoryPage>> loading = m_store.historyPage(
        asker->userId, request.conversation, request.beforeSeq, {limit, budget}, asker->interest);
    Result<store::HistoryPage> page = co_await loading;
    place.release(); // read: building the reply needs no place
    Session *s = self ? session(linkId) : nullptr;
    if (!s || !s->interest) // closed or closing: nobody reads the reply
        co_return;
    if (!page) {
        s->link->replyError(id, page.error());
        co_return;
    }
    s->link->reply(id, protocol::HistoryPage{std::move(page->messages), page->nextBeforeSeq});
}

QCoro::Task<> Router::onUserSearch(quint64 linkId, ReqId id, UserSearchRequest request)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    QFuture<Result<QList<UserInfo>>> searching =
        m_store.searchUsers(request.query, kUserSearchLimit);
    Result<QList<UserInfo>> users = co_await searching;
    Session *s = self ? session(linkId) : nullptr;
    if (!s)
        co_return;
    if (!users)
        s->link->replyError(id, users.error());
    else
        s->link->reply(id, UserSearchReply{std::move(users).value()});
}

QCoro::Task<> Router::onUsers(quint64 linkId, ReqId id, UsersRequest request)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    // The codec has already refused more than 500 ids (bad_request).
    QFuture<Result<QList<UserInfo>>> loading =
        m_store.users(session(linkId)->userId, request.users);
    Result<QList<UserInfo>> users = co_await loading;
    Session *s = self ? session(linkId) : nullptr;
    if (!s)
        co_return;
    if (!users)
        s->link->replyError(id, users.error());
    else
        s->link->reply(id, UsersReply{std::move(users).value()});
}

QCoro::Task<> Router::onSetDisplayName(quint64 linkId, ReqId id, SetDisplayNameRequest request)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    const QString userId = session(linkId)->userId;
    // Every rename is announced to everyone sharing a chat: bounded per user, like group changes.
    const qint64 now = nowMs();
    if (m_nameChanges.isLimited(userId, now)) {
        session(linkId)->link->replyError(
            id, Error{ErrorCode::RateLimited,
                      QStringLiteral("display name changed too often; at most %1 a minute")
                          .arg(m_config.displayNameChangesPerMinute)});
        co_return;
    }
    m_nameChanges.recordFailure(userId, now); // counts every change, not only failures
    const QString name = request.displayName.trimmed();
    QFuture<Status> saving = m_store.setDisplayName(userId, name);
    Status saved = co_await saving;
    if (!self)
        co_return;
    if (!saved) {
        if (Session *s = session(linkId))
            s->link->replyError(id, saved.error());
        co_return;
    }
    if (Session *s = session(linkId))
        s->link->reply(id, SetDisplayNameReply{name});
    // The same recipients as a presence announcement (everyone sharing a current chat), plus
    // the user's own devices; one frame, sent through the fan-out's batches. Devices offline
    // now read the name with their next `conversations`/`users` request.
    QFuture<Result<QStringList>> loading = m_store.contacts(userId);
    Result<QStringList> contacts = co_await loading;
    if (!self || !contacts)
        co_return;
    QStringList recipients = std::move(*contacts);
    recipients.append(userId);
    sendToUsers(recipients, encodeEvent(UserUpdatedEvent{userId, name}));
}

QCoro::Task<> Router::onWatermark(quint64 linkId, ReqId id, QString conversation, qint64 seq,
                                  QStringList messageIds, bool read)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    const QString userId = session(linkId)->userId;
    const QString deviceId = session(linkId)->deviceId;

    // Per-id forms become one watermark per conversation, at the highest id given.
    QHash<QString, qint64> targets;
    if (messageIds.isEmpty()) {
        targets.insert(conversation, seq);
    } else {
        QFuture<Result<QList<QPair<QString, qint64>>>> resolving =
            m_store.resolveMessageIds(userId, messageIds);
        Result<QList<QPair<QString, qint64>>> resolved = co_await resolving;
        if (!self)
            co_return;
        if (!resolved) {
            if (Session *s = session(linkId))
                s->link->replyError(id, resolved.error());
            co_return;
        }
        for (const auto &[conv, at] : *resolved)
            targets[conv] = std::max(targets.value(conv), at);
    }

    Error failure;
    bool failed = false;
    for (auto it = targets.cbegin(); it != targets.cend(); ++it) {
        QFuture<Result<store::WatermarkOutcome>> moving =
            m_store.moveWatermark(userId, deviceId, it.key(), it.value(), read);
        Result<store::WatermarkOutcome> outcome = co_await moving;
        if (!self)
            co_return;
        if (!outcome) {
            failure = outcome.error();
            failed = true;
            continue;
        }
        publishWatermark(*outcome, deviceId);
    }
    if (Session *s = session(linkId)) {
        if (failed)
            s->link->replyError(id, failure);
        else
            s->link->reply(id, EmptyReply{});
    }
}

void Router::publishWatermark(const store::WatermarkOutcome &outcome, const QString &readerDevice)
{
    if (!outcome.readMoved && !outcome.deliveredMoved)
        return;
    // One event per move; a read move implies delivery, so it is sent as "read" alone.
    ReceiptEvent event;
    event.conversation = outcome.conversation;
    event.user = outcome.userId;
    event.status =
        outcome.readMoved ? protocol::ReceiptStatus::Read : protocol::ReceiptStatus::Delivered;
    event.seq = outcome.readMoved ? outcome.readSeq : outcome.deliveredSeq;
    event.ts = nowMs();
    const QByteArray frame = encodeEvent(event);
    sendToUsers(outcome.notifyUserIds, frame);
    sendToUser(outcome.userId, frame, readerDevice);
}

QCoro::Task<> Router::onReceipts(quint64 linkId, ReqId id, ReceiptsRequest request)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    QFuture<Result<QList<MemberReceipt>>> loading =
        m_store.receipts(session(linkId)->userId, request.conversation, request.seq);
    Result<QList<MemberReceipt>> members = co_await loading;
    Session *s = self ? session(linkId) : nullptr;
    if (!s)
        co_return;
    if (!members)
        s->link->replyError(id, members.error());
    else
        s->link->reply(id, ReceiptsReply{std::move(members).value()});
}

QCoro::Task<> Router::onSync(quint64 linkId, ReqId id)
{
    const RequestSlot slot = admit(linkId);
    QPointer<Router> self(this);
    Session *s = session(linkId);
    if (s->syncing) {
        s->link->replyError(
            id, Error{ErrorCode::Conflict, QStringLiteral("a sync is already running on this "
                                                          "connection")});
        co_return;
    }
    s->syncing = true;
    const QString userId = s->userId;
    const QString deviceId = s->deviceId;
    // Like history pages: reads wait at the heavy-read gate, and the store skips those of a
    // link that has started closing.
    const store::Interest interest = s->interest;
    // The link may close, log out or be re-authenticated as someone else at any suspension.
    auto current = [&]() -> Session * {
        Session *now = self ? session(linkId) : nullptr;
        return now && now->deviceId == deviceId && now->interest ? now : nullptr;
    };
    auto end = [&](const std::optional<Error> &error) {
        if (Session *now = self ? session(linkId) : nullptr) {
            now->syncing = false;
            if (error && now == current())
                now->link->replyError(id, *error);
        }
    };
    ReadGate::Entry planEntry = m_heavyReads.enter();
    ReadGate::Place place = co_await planEntry;
    if (!current()) { // gone while waiting: nothing is read
        end(std::nullopt);
        co_return;
    }
    QFuture<Result<QList<store::SyncRange>>> planning =
        m_store.syncRanges(userId, deviceId, interest);
    Result<QList<store::SyncRange>> ranges = co_await planning;
    place.release();
    if (!current() || !ranges) {
        end(ranges ? std::nullopt : std::optional<Error>(ranges.error()));
        co_return;
    }
    // Pause well below the link's bound, so a sync never trips the overflow close, and below
    // half the read-pause bound, so a slow reader's link stays read during a long sync (its
    // heartbeats and `delivery` watermarks must get through, or the idle timeout closes it
    // mid-sync and the next connection syncs the same backlog again).
    const qint64 highWater =
        std::min({kSyncHighWaterBytes, m_config.sendQueueLimitBytes / 2,
                  std::min(m_config.readPauseBytes, m_config.sendQueueLimitBytes / 2) / 2});
    for (store::SyncRange range : *ranges) {
        range.after = std::max(range.after, current()->syncCursor.value(range.conversation));
        while (range.after < range.upTo) {
            ReadGate::Entry pageEntry = m_heavyReads.enter();
            place = co_await pageEntry;
            if (!current()) {
                end(std::nullopt);
                co_return;
            }
            QFuture<Result<QList<MessageEvent>>> paging =
                m_store.syncPage(deviceId, range, kSyncPageMessages, replyPageBytes(), interest);
            Result<QList<MessageEvent>> page = co_await paging;
            place.release(); // sending the page waits for the reader, not for a place
            if (!current() || !page) {
                end(page ? std::nullopt : std::optional<Error>(page.error()));
                co_return;
            }
            for (const MessageEvent &message : *page) {
                while (current() && current()->link->pendingBytes() > highWater)
                    co_await QCoro::sleepFor(std::chrono::milliseconds(5));
                Session *now = current();
                if (!now) {
                    end(std::nullopt);
                    co_return;
                }
                now->link->sendFrame(frameOf(message));
                now->syncCursor[range.conversation] = message.seq;
                range.after = message.seq;
            }
            // A page cut by its byte budget is short too: only an empty one ends the range.
            if (page->isEmpty())
                break;
        }
    }
    if (current()) {
        // The hides ("delete for me") this device missed, before `complete`.
        QCoro::Task<std::optional<Error>> replaying =
            replayHidden(linkId, userId, deviceId, interest);
        const std::optional<Error> replayError = co_await replaying;
        if (replayError || !current()) {
            end(replayError);
            co_return;
        }
    }
    if (Session *now = current()) {
        now->syncing = false;
        now->link->reply(id, SyncReply{true});
    }
}

} // namespace tern::server::routing
