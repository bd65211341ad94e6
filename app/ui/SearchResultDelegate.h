#pragma once

//! Paints the message search results under the chat list: a chat's name as a small header,
//! then each hit as its sender and time over a one-line snippet with the matched words marked.
//
// The snippet is never rich text: MessageSearchModel::plainSnippet removes the STX/ETX markers
// and the matches are drawn as format ranges over the plain text, so "<b>x</b>" in a message
// shows as those characters.

#include <QStyledItemDelegate>
#include <QTextLayout>

namespace tern::app::ui {

class SearchResultDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit SearchResultDelegate(QObject *parent = nullptr);

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

    //! The snippet line of a hit as drawn: plain text, elided to `width`, and its highlights.
    static QString snippetLine(const QString &snippet, const QFontMetrics &metrics, int width,
                               QList<QTextLayout::FormatRange> *ranges,
                               const QTextCharFormat &highlight);
};

} // namespace tern::app::ui
