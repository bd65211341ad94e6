// Router: `search` (server-side message search) and `hide` ("delete for me"); the replay of
// missed hides in `sync` is hiddenReplay(), called by onSync before its `complete` ack.

#include "Router.h"

#include "server/routing/FutureAwaiter.h"

#include "shared/core/Clock.h"
#include "shared/protocol/Codec.h"

#include <QCoroFuture>
#include <QPointer>

namespace tern::server::routing {

using namespace tern::protocol;

QCoro::Task<> Router::onSearch(quint64 linkId, ReqId id, SearchRequest request)
{
    QPointer<Router> self(this);
    const RequestSlot slot = admit(linkId, replyPageBytes());
    Session *asker = session(linkId);
    const qint64 now = nowMs();
    if (m_searches.isLimited(asker->userId, now)) {
        asker->link->replyError(
            id, Error{ErrorCode::RateLimited, QStringLiteral("too many searches; try again in a "
                                                             "minute")});
        co_return;
    }
    m_searches.recordFailure(asker->userId, now); // counts every search, not only failures
    // A search reads like a history page (and may take longer): it waits at the same gate, so
    // a crowd of searchers cannot put every send behind their reads.
    ReadGate::Entry entering = m_heavyReads.enter();
    ReadGate::Place place = co_await entering;
    asker = self ? session(linkId) : nullptr;
    if (!asker || !asker->interest) // gone while waiting: nothing is read
        co_return;
    QFuture<Result<store::SearchPage>> searching = m_store.searchMessages(
        store::SearchQuery{asker->userId, request.query, request.conversation, request.cursor,
                           request.limit},
        asker->interest);
    Result<store::SearchPage> page = co_await searching;
    place.release();
    Session *s = self ? session(linkId) : nullptr;
    if (!s || !s->interest)
        co_return;
    if (!page)
        s->link->replyError(id, page.error());
    else
        s->link->reply(id, SearchReply{std::move(page->hits), std::move(page->nextCursor)});
}

QCoro::Task<> Router::onHide(quint64 linkId, ReqId id, HideRequest request)
{
    QPointer<Router> self(this);
    const RequestSlot slot = admit(linkId);
    const QString userId = session(linkId)->userId;
    QFuture<Result<QList<qint64>>> hiding =
        m_store.hideMessages(userId, request.conversation, request.seqs);
    Result<QList<qint64>> hidden = co_await hiding;
    if (!self)
        co_return;
    Session *s = session(linkId);
    if (s && s->userId == userId) {
        if (!hidden)
            s->link->replyError(id, hidden.error());
        else
            s->link->reply(id, EmptyReply{});
    }
    // Every session of the user, the asker's own included (once acked, everywhere).
    if (hidden && !hidden->isEmpty())
        sendToUser(userId, encodeEvent(HiddenEvent{request.conversation, *hidden}));
}

QCoro::Task<std::optional<Error>> Router::replayHidden(quint64 linkId, QString userId,
                                                       QString deviceId, store::Interest interest)
{
    QPointer<Router> self(this);
    QFuture<Result<store::HiddenReplay>> reading = m_store.hiddenSince(userId, deviceId, interest);
    Result<store::HiddenReplay> replay = co_await reading;
    if (!replay)
        co_return replay.error();
    Session *s = self ? session(linkId) : nullptr;
    if (!s || s->deviceId != deviceId || replay->events.isEmpty())
        co_return std::nullopt;
    for (const HiddenEvent &event : std::as_const(replay->events))
        s->link->sendFrame(encodeEvent(event));
    // Moved only once the events are queued: a sync cut short replays them next time.
    QFuture<Status> moving = m_store.setHiddenPosition(deviceId, replay->upToPos);
    Status moved = co_await moving;
    if (!moved)
        co_return moved.error();
    co_return std::nullopt;
}

} // namespace tern::server::routing
