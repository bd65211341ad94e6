#pragma once

//! The conversation list narrowed by a case-insensitive name filter (the list's search box).

#include <QSortFilterProxyModel>

namespace tern::app::models {

class ConversationFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
public:
    explicit ConversationFilterModel(QObject *parent = nullptr);

    QString filter() const { return m_filter; }
    //! Rows whose name contains `text` (ignoring case); empty shows every row.
    void setFilter(const QString &text);

signals:
    void filterChanged(const QString &filter);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_filter;
};

} // namespace tern::app::models
