#include "app/models/ConversationFilterModel.h"

#include "app/models/ConversationListModel.h"

namespace tern::app::models {

ConversationFilterModel::ConversationFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    // The source keeps its own order (newest activity first); the proxy only filters.
    setDynamicSortFilter(true);
}

void ConversationFilterModel::setFilter(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_filter)
        return;
    m_filter = trimmed;
    invalidateFilter();
    emit filterChanged(m_filter);
}

bool ConversationFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_filter.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const QString name = index.data(ConversationListModel::NameRole).toString();
    return name.contains(m_filter, Qt::CaseInsensitive);
}

} // namespace tern::app::models
