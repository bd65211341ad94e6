#pragma once

// Collects users' last_seen times and writes them in one store transaction a second later (and
// on destruction), instead of one commit (one fsync) per user who goes offline. When thousands
// of sessions close at once — a restart, a switch going down — per-user writes queued between
// the presence reads made ternd spend ~10 s on 15,000 fsyncs. A crash loses at most the last
// second of last_seen updates; messages are not involved. Lives on the socket thread.

#include "server/store/Store.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <optional>

namespace tern::server::routing {

class LastSeenBatch : public QObject
{
    Q_OBJECT
public:
    explicit LastSeenBatch(store::Store &store, QObject *parent = nullptr);
    ~LastSeenBatch() override;

    void record(const QString &userId, qint64 lastSeenMs);
    //! A time recorded but not yet handed to the store (newer than what the store holds).
    std::optional<qint64> pending(const QString &userId) const;
    //! Hand everything recorded to the store now.
    void flush();

    static constexpr int kFlushDelayMs = 1000;

private:
    store::Store &m_store;
    QHash<QString, qint64> m_pending;
    QTimer m_timer;
};

} // namespace tern::server::routing
