#pragma once

// The storage thread's memory of direct conversations: id and members per pair of users, so a
// 1:1 message skips three lookups. Direct conversations never change members once committed,
// so an entry can only go wrong if the write that created it was undone; any rollback on the
// connection therefore empties the cache. Used only on the storage thread.

#include <QHash>
#include <QString>
#include <QStringList>

namespace tern::server::store {

class DirectCache
{
public:
    struct Entry
    {
        QString conversation;
        QStringList members;
    };

    //! The entry for `pairKey`, or nullptr. `rollbackCount` is the connection's current count;
    //! if it moved since the cache last looked, everything is forgotten first.
    const Entry *find(const QString &pairKey, quint64 rollbackCount);
    void insert(const QString &pairKey, Entry entry, quint64 rollbackCount);

    //! Bound on entries (about 200 bytes each); when reached the cache starts over.
    static constexpr qsizetype kMaxEntries = 50000;

private:
    void forgetIfRolledBack(quint64 rollbackCount);

    QHash<QString, Entry> m_entries;
    quint64 m_rollbackCount = 0;
};

} // namespace tern::server::store
