#include "DirectCache.h"

namespace tern::server::store {

const DirectCache::Entry *DirectCache::find(const QString &pairKey, quint64 rollbackCount)
{
    forgetIfRolledBack(rollbackCount);
    auto it = m_entries.constFind(pairKey);
    return it == m_entries.constEnd() ? nullptr : &it.value();
}

void DirectCache::insert(const QString &pairKey, Entry entry, quint64 rollbackCount)
{
    forgetIfRolledBack(rollbackCount);
    if (m_entries.size() >= kMaxEntries)
        m_entries.clear();
    m_entries.insert(pairKey, std::move(entry));
}

void DirectCache::forgetIfRolledBack(quint64 rollbackCount)
{
    // An entry inserted by a job whose savepoint or transaction was then rolled back would
    // name a conversation that does not exist; which entries those were is not worth tracking.
    if (rollbackCount == m_rollbackCount)
        return;
    m_entries.clear();
    m_rollbackCount = rollbackCount;
}

} // namespace tern::server::store
