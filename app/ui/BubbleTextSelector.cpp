#include "app/ui/BubbleTextSelector.h"

#include "app/ui/EmojiHighlighter.h"

#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QTextBlock>

namespace tern::app::ui {

BubbleTextSelector::BubbleTextSelector(QWidget *parent) : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("messageTextSelector"));
    setReadOnly(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    // The delegate's wrapping (MessageLayoutCache), so the lines break where the bubble's do.
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setContentsMargins(0, 0, 0, 0);
    setViewportMargins(0, 0, 0, 0);
    document()->setDocumentMargin(0);
    // Transparent: the bubble shows through; only the text and the selection are drawn.
    setAutoFillBackground(false);
    viewport()->setAutoFillBackground(false);
    setBackgroundVisible(false);
    QPalette p = palette();
    p.setColor(QPalette::Base, Qt::transparent);
    setPalette(p);
    setStyleSheet(QStringLiteral("QPlainTextEdit { background: transparent; }"));
    new EmojiHighlighter(document()); // emoji in colour, as the bubble drew them
    retranslate();
    hide();
}

void BubbleTextSelector::retranslate()
{
    setAccessibleName(tr("Message text"));
    setAccessibleDescription(tr("Select with Shift and the arrow keys; Ctrl+C copies, Esc closes"));
}

void BubbleTextSelector::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QPlainTextEdit::changeEvent(event);
}

void BubbleTextSelector::open(const QModelIndex &index, const QString &text, const QFont &font,
                              const QColor &color, const QRect &rect)
{
    m_index = index;
    setFont(font);
    QPalette p = palette();
    p.setColor(QPalette::Text, color);
    setPalette(p);
    setPlainText(text); // never rich text: the sender's words
    setGeometry(rect);
    show();
    raise();
    setFocus(Qt::OtherFocusReason);
}

void BubbleTextSelector::close()
{
    if (!isVisible())
        return;
    hide();
    QTextCursor cursor = textCursor();
    cursor.clearSelection();
    setTextCursor(cursor);
    m_index = QPersistentModelIndex();
    emit closed();
}

QString BubbleTextSelector::selectedText() const
{
    // QTextCursor uses U+2029 between paragraphs; the clipboard wants newlines.
    return textCursor().selectedText().replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
}

bool BubbleTextSelector::event(QEvent *event)
{
    // Esc is the window's shortcut too (closing panels); here it ends the selection first.
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier) {
            event->accept();
            return true;
        }
    }
    return QPlainTextEdit::event(event);
}

void BubbleTextSelector::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape) {
        close();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
}

void BubbleTextSelector::focusOutEvent(QFocusEvent *event)
{
    QPlainTextEdit::focusOutEvent(event);
    // A menu takes the focus for a moment, and another window may (the selection stays, as in
    // any text field); anything else in this window ends the selection.
    if (!m_inMenu && event->reason() != Qt::PopupFocusReason &&
        event->reason() != Qt::ActiveWindowFocusReason)
        close();
}

void BubbleTextSelector::contextMenuEvent(QContextMenuEvent *event)
{
    m_inMenu = true;
    QMenu *menu = createStandardContextMenu(event->pos());
    menu->setObjectName(QStringLiteral("messageTextMenu"));
    menu->exec(event->globalPos());
    delete menu;
    m_inMenu = false;
}

} // namespace tern::app::ui
