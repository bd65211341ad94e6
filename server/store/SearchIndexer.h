#pragma once

//! Indexes committed messages for search in batches after their acks (a send's transaction
//! does not carry the index work), every interval and back to back while a backlog remains.

#include <QObject>
#include <QTimer>

namespace tern::server::store {

class Store;

class SearchIndexer : public QObject
{
    Q_OBJECT
public:
    //! Messages indexed per step: one job on the storage thread of a few milliseconds, so a send
    //! queued behind it waits little; at 10,000 messages/s and 100 ms one step a tick.
    static constexpr int kRowsPerStep = 1000;

    SearchIndexer(Store &store, int intervalMs, QObject *parent = nullptr);
    //! Indexes what is waiting now and then every interval.
    void start();
    //! Runs steps now until nothing waits, unless they run already.
    void indexNow();
    bool isIndexing() const { return m_running; }

signals:
    //! A run of steps ended (steps taken); what was committed before it began is indexed.
    void indexed(int steps);

private:
    void step();

    Store &m_store;
    QTimer m_timer;
    bool m_running = false;
    int m_steps = 0;
};

} // namespace tern::server::store
