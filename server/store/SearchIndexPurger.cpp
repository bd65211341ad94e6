#include "SearchIndexPurger.h"

#include "server/store/Store.h"
#include "shared/core/ContinueOn.h"
#include "shared/core/Log.h"

namespace tern::server::store {

namespace {
// Bounds one purge: the merge needs about (index pages / kPagesPerStep) steps, far below this.
constexpr int kMaxStepsPerPurge = 1'000'000;
} // namespace

SearchIndexPurger::SearchIndexPurger(Store &store, int intervalMs, QObject *parent)
    : QObject(parent), m_store(store)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &SearchIndexPurger::purgeNow);
}

void SearchIndexPurger::start()
{
    m_timer.start();
    purgeNow();
}

void SearchIndexPurger::purgeNow()
{
    if (m_running)
        return;
    m_running = true;
    m_steps = 0;
    step();
}

void SearchIndexPurger::step()
{
    // One job per step: the storage thread interleaves sends between them.
    continueOn(m_store.purgeSearchIndexStep(kPagesPerStep), this, [this](Result<bool> more) {
        if (more.ok() && *more && ++m_steps < kMaxStepsPerPurge) {
            step();
            return;
        }
        if (!more.ok())
            qCWarning(lcStore).noquote()
                << "purging deleted text from the search index:" << more.error().message;
        m_running = false;
        emit purged(m_steps);
    });
}

} // namespace tern::server::store
