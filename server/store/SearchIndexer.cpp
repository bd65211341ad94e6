#include "SearchIndexer.h"

#include "server/store/Store.h"
#include "shared/core/ContinueOn.h"
#include "shared/core/Log.h"

namespace tern::server::store {

namespace {
// Bounds one run; a backlog larger than this many steps is finished by the next runs.
constexpr int kMaxStepsPerRun = 10'000;
} // namespace

SearchIndexer::SearchIndexer(Store &store, int intervalMs, QObject *parent)
    : QObject(parent), m_store(store)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &SearchIndexer::indexNow);
}

void SearchIndexer::start()
{
    m_timer.start();
    indexNow();
}

void SearchIndexer::indexNow()
{
    if (m_running)
        return;
    m_running = true;
    m_steps = 0;
    step();
}

void SearchIndexer::step()
{
    // One job per step: sends queued meanwhile run between steps.
    continueOn(m_store.indexSearchStep(kRowsPerStep), this, [this](Result<bool> more) {
        ++m_steps;
        if (more.ok() && *more && m_steps < kMaxStepsPerRun) {
            step();
            return;
        }
        if (!more.ok())
            qCWarning(lcStore).noquote() << "indexing messages for search:" << more.error().message;
        m_running = false;
        emit indexed(m_steps);
    });
}

} // namespace tern::server::store
