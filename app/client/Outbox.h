#pragma once

//! The durable outbox of one account: a message is queued in the LocalStore before anything is
//! sent, sent with its own id as the request id (so a re-send after a reconnect is acked again,
//! never stored twice), kept on transient failures and dropped on a refusal.
//
// Threading/lifetime: main thread, like its ChatConnection (not owned; it must outlive the
// outbox, ChatClient destroys the parts first). Coroutines take parameters by value and re-check
// a QPointer to the outbox after every co_await; a coroutine of an earlier connection
// (generation) does not touch the in-flight set of the current one. The outbox fails nothing
// when destroyed: the connection's tracker fails the pending sends. The queue is flushed as a
// sync step after every authentication (registered in the constructor), on the retry timer and
// on flush().

#include "app/cache/CacheTypes.h"
#include "shared/core/Result.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <qcoro/qcorotask.h>

namespace tern::app::client {

class ChatConnection;

class Outbox : public QObject
{
    Q_OBJECT
public:
    explicit Outbox(ChatConnection *connection, QObject *parent = nullptr);

    //! Queues a text message (durably, before anything is sent) and returns its new id.
    //! `options`: the seq it replies to, the users it mentions, the forward mark.
    QString sendText(const QString &to, const QString &text,
                     const cache::MessageOptions &options = {});
    //! Queues an edit of our message `seq` (its new text or caption); returns the new id.
    QString sendEdit(const QString &to, qint64 seq, const QString &text);
    //! Queues "delete for everyone" of message `seq`; returns the new id.
    QString sendDelete(const QString &to, qint64 seq);
    //! Queues adding (`on`) or removing our `emoji` on message `seq`; returns the new id.
    QString sendReaction(const QString &to, qint64 seq, const QString &emoji, bool on);
    //! Queues a copy of `original` (its kind, content and media: no new upload) marked as
    //! forwarded; returns the new id.
    QString forward(const QString &to, const protocol::MessageEvent &original);
    //! Queues a prepared item (a media message with its upload state) and sends it when online.
    QCoro::Task<> queue(cache::OutboxItem item);
    //! Sends one queued item on the current connection (at most one copy in flight); a media
    //! item whose upload has not finished asks for it (uploadNeeded) instead.
    void send(const cache::OutboxItem &item);
    //! The item will never be sent: removes it from the queue, then messageCancelled.
    void withdraw(const QString &id);
    //! The item failed for good: removes it from the queue when `queued`, then messageFailed.
    void fail(const QString &id, const Error &error, bool queued);
    //! Starts the retry timer (while authenticated) unless it runs already.
    void scheduleRetry();
    //! True while a transient failure waits for the retry timer (tests wait for it).
    bool isRetryScheduled() const { return m_retryTimer.isActive(); }

public slots:
    //! Re-send every queued message (done after each (re)authentication anyway).
    void flush();

signals:
    void messageQueued(const tern::app::cache::OutboxItem &item);
    void messageSent(const QString &id, const QString &conversation, qint64 seq);
    void messageFailed(const QString &id, const QString &code, const QString &text);
    //! A queued message was withdrawn (withdraw()) and will never be sent.
    void messageCancelled(const QString &id);
    //! A media item's upload must run (or be left running) before it can be sent.
    void uploadNeeded(const tern::app::cache::OutboxItem &item);

private:
    QCoro::Task<Status> flushNow(quint64 generation);
    QCoro::Task<> sendAndAwaitAck(cache::OutboxItem item, quint64 generation);

    ChatConnection *m_connection;
    QTimer m_retryTimer;
    QSet<QString> m_inFlight; // message ids sent on the current connection, not yet acked
};

} // namespace tern::app::client
