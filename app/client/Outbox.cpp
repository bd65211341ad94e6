#include "Outbox.h"

#include "app/cache/LocalStore.h"
#include "app/client/ChatConnection.h"
#include "shared/core/Clock.h"
#include "shared/core/Log.h"

#include <QPointer>
#include <QUuid>

namespace tern::app::client {

using State = ChatConnection::State;

Outbox::Outbox(ChatConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection)
{
    qRegisterMetaType<tern::app::cache::OutboxItem>();
    // Items the server answered `internal`/`rate_limited` are tried again on this connection.
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setInterval(5000);
    connect(&m_retryTimer, &QTimer::timeout, this, &Outbox::flush);
    connect(connection, &ChatConnection::connectionLost, this, [this] {
        m_inFlight.clear();
        m_retryTimer.stop();
    });
    connection->addSyncStep(this, [this](quint64 generation) { return flushNow(generation); });
}

namespace {

cache::OutboxItem newItem(const QString &to, protocol::MessageKind kind, const QString &content)
{
    cache::OutboxItem item;
    item.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    item.to = to;
    item.kind = kind;
    item.content = content;
    item.ts = nowMs();
    return item;
}

} // namespace

QString Outbox::sendText(const QString &to, const QString &text,
                         const cache::MessageOptions &options)
{
    cache::OutboxItem item = newItem(to, protocol::MessageKind::Text, text);
    item.replyTo = options.replyTo;
    item.mentions = options.mentions;
    item.forwarded = options.forwarded;
    queue(item);
    return item.id;
}

QString Outbox::sendEdit(const QString &to, qint64 seq, const QString &text)
{
    cache::OutboxItem item = newItem(to, protocol::MessageKind::Edit, text);
    item.ref = seq;
    queue(item);
    return item.id;
}

QString Outbox::sendDelete(const QString &to, qint64 seq)
{
    cache::OutboxItem item = newItem(to, protocol::MessageKind::Delete, QString());
    item.ref = seq;
    queue(item);
    return item.id;
}

QString Outbox::sendReaction(const QString &to, qint64 seq, const QString &emoji, bool on)
{
    cache::OutboxItem item = newItem(to, protocol::MessageKind::Reaction, emoji);
    item.ref = seq;
    item.on = on;
    queue(item);
    return item.id;
}

QString Outbox::forward(const QString &to, const protocol::MessageEvent &original)
{
    cache::OutboxItem item = newItem(to, original.kind, original.content);
    item.media = original.media; // the server lets us send media we may download: no upload
    item.forwarded = true;
    queue(item);
    return item.id;
}

QCoro::Task<> Outbox::queue(cache::OutboxItem item)
{
    QPointer<Outbox> self(this);
    // Durable first: once messageQueued is out, a crash or kill cannot lose the message.
    QFuture<Status> queued = m_connection->store()->addToOutbox(item);
    const Status status = co_await queued;
    if (!self)
        co_return;
    if (!status) {
        emit messageFailed(item.id, errorCodeName(status.error().code), status.error().message);
        co_return;
    }
    emit messageQueued(item);
    // While syncing, the flush that ends the sync sends it (it reads the outbox after us).
    if (m_connection->state() == State::Online)
        send(item);
}

void Outbox::flush()
{
    if (m_connection->isAuthenticated())
        flushNow(m_connection->generation());
}

QCoro::Task<Status> Outbox::flushNow(quint64 generation)
{
    QPointer<Outbox> self(this);
    QFuture<Result<QList<cache::OutboxItem>>> loading = m_connection->store()->outbox();
    const Result<QList<cache::OutboxItem>> items = co_await loading;
    if (!self || generation != m_connection->generation())
        co_return Ok{};
    if (!items) {
        qCWarning(lcStore) << "outbox not readable:" << items.error().message;
        co_return Ok{}; // not a reason to drop the connection
    }
    // In creation order, with the original ids: the server acks known ids again, creates nothing.
    for (const cache::OutboxItem &item : *items)
        send(item);
    co_return Ok{};
}

void Outbox::send(const cache::OutboxItem &item)
{
    // One copy in flight per connection; a retry waits for the next connection or the timer.
    if (!m_connection->isAuthenticated() || m_inFlight.contains(item.id))
        return;
    // A media message goes out only once its upload has finished.
    if (item.media && item.media->mediaId.isEmpty()) {
        emit uploadNeeded(item);
        return;
    }
    m_inFlight.insert(item.id);
    // Sends at once (QCoro tasks run to their first suspension), then waits for the ack.
    sendAndAwaitAck(item, m_connection->generation());
    m_connection->store()->noteAttempt({item.id});
}

QCoro::Task<> Outbox::sendAndAwaitAck(cache::OutboxItem item, quint64 generation)
{
    QPointer<Outbox> self(this);
    // protocol::Media holds nothing of this device (its path and upload id are the outbox's).
    QCoro::Task<Result<protocol::SendAck>> sending = m_connection->call(
        protocol::SendMessageRequest{item.to, item.kind, item.content, item.media, item.ts,
                                     item.replyTo, item.forwarded, item.mentions, item.ref,
                                     item.on},
        true, item.id);
    const Result<protocol::SendAck> result = co_await sending;
    if (!self)
        co_return;
    if (generation == m_connection->generation())
        m_inFlight.remove(item.id);
    if (result) {
        protocol::MessageEvent stored;
        stored.id = item.id;
        stored.conversation = result->conversation;
        stored.seq = result->seq;
        stored.from = m_connection->userId();
        stored.fromDevice = m_connection->deviceId();
        stored.to = item.to;
        stored.kind = item.kind;
        stored.content = item.content;
        stored.media = item.media;
        stored.ts = item.ts;
        stored.serverTs = result->serverTs;
        stored.replyTo = item.replyTo;
        stored.forwarded = item.forwarded;
        stored.mentions = item.mentions;
        stored.ref = item.ref;
        stored.on = item.on;
        if (item.kind == protocol::MessageKind::Edit)
            stored.editedTs = result->serverTs;
        QFuture<Result<bool>> completing =
            m_connection->store()->completeOutboxItem(item.id, stored);
        const Result<bool> completed = co_await completing;
        if (!self)
            co_return;
        if (!completed) {
            // Still queued: the next flush re-sends it and the server answers the same ack.
            qCWarning(lcStore) << "acked message not stored:" << completed.error().message;
            co_return;
        }
        if (*completed)
            emit messageSent(item.id, stored.conversation, stored.seq);
        co_return;
    }
    const ErrorCode code = result.error().code;
    if (result.error().isTransport() || code == ErrorCode::Internal ||
        code == ErrorCode::RateLimited) {
        // Transient (timeout, lost connection, an unreadable ack; server trouble, rate limit):
        // keep it queued.
        scheduleRetry();
        co_return;
    }
    QFuture<Result<bool>> removing = m_connection->store()->removeFromOutbox(item.id);
    const Result<bool> removed = co_await removing;
    if (!self)
        co_return;
    if (!removed)
        qCWarning(lcStore) << "refused message not removed:" << removed.error().message;
    emit messageFailed(item.id, errorCodeName(code), result.error().message);
}

void Outbox::scheduleRetry()
{
    if (m_connection->isAuthenticated() && !m_retryTimer.isActive())
        m_retryTimer.start();
}

void Outbox::withdraw(const QString &id)
{
    QFuture<Result<bool>> removing = m_connection->store()->removeFromOutbox(id);
    Q_UNUSED(removing);
    emit messageCancelled(id);
}

void Outbox::fail(const QString &id, const Error &error, bool queued)
{
    if (queued) {
        QFuture<Result<bool>> removing = m_connection->store()->removeFromOutbox(id);
        Q_UNUSED(removing);
    }
    emit messageFailed(id, errorCodeName(error.code), error.message);
}

} // namespace tern::app::client
