#pragma once

//! The text of one message bubble made selectable in place: a read-only plain-text editor laid
//! exactly over the painted text (same font, width and wrapping), so dragging across a bubble,
//! double-clicking a word or "Select text" selects like in any text field; Ctrl+C copies.
//
// Bubbles are painted by MessageDelegate (no widget per message); MessageView opens one of these
// over the bubble being selected and the delegate leaves that bubble's text unpainted meanwhile.
// It closes on Esc, when it loses focus, and when the view scrolls or its rows change. The text
// is the sender's: set as plain text only.

#include <QPersistentModelIndex>
#include <QPlainTextEdit>

namespace tern::app::ui {

class BubbleTextSelector : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit BubbleTextSelector(QWidget *parent = nullptr);

    //! Shows `text` in `font` over `rect` (parent coordinates) for the message at `index`.
    void open(const QModelIndex &index, const QString &text, const QFont &font, const QColor &color,
              const QRect &rect);
    //! Hides it (and emits closed once) when open.
    void close();
    bool isOpen() const { return isVisible(); }
    QPersistentModelIndex index() const { return m_index; }
    QString selectedText() const;

signals:
    void closed();

protected:
    bool event(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    QPersistentModelIndex m_index;
    bool m_inMenu = false;
};

} // namespace tern::app::ui
