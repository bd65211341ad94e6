#pragma once

//! Drives the purge of deleted messages' text from the search index: small steps on the
//! storage thread, at start (a mark left by a crash) and every interval, so sends wait at most
//! one step behind it.

#include <QObject>
#include <QTimer>

namespace tern::server::store {

class Store;

class SearchIndexPurger : public QObject
{
    Q_OBJECT
public:
    //! Index pages merged per step: a few milliseconds of work between other writes.
    static constexpr int kPagesPerStep = 64;

    SearchIndexPurger(Store &store, int intervalMs, QObject *parent = nullptr);
    //! Runs a purge now (if one is marked) and then every interval.
    void start();
    //! Runs the purge now unless one is running.
    void purgeNow();
    bool isPurging() const { return m_running; }

signals:
    //! A purge ran to its end (steps taken; 0 when nothing was marked).
    void purged(int steps);

private:
    void step();

    Store &m_store;
    QTimer m_timer;
    bool m_running = false;
    int m_steps = 0;
};

} // namespace tern::server::store
