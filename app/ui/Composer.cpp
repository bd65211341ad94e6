#include "app/ui/Composer.h"

#include "app/ui/ComposerBar.h"
#include "app/ui/EmojiHighlighter.h"
#include "app/ui/EmojiPicker.h"
#include "app/ui/Icons.h"
#include "app/ui/MentionCompleter.h"

#include <QAbstractTextDocumentLayout>
#include <QClipboard>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QImage>
#include <QKeyEvent>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

namespace tern::app::ui {

Composer::Composer(QWidget *parent)
    : QWidget(parent), m_bar(new ComposerBar(this)), m_edit(new QPlainTextEdit(this)),
      m_send(new QToolButton(this)), m_attach(new QToolButton(this)),
      m_emojiButton(new QToolButton(this)), m_picker(new EmojiPicker(this)), m_mentions(nullptr)
{
    setObjectName(QStringLiteral("composer"));
    m_edit->setObjectName(QStringLiteral("composerEdit"));
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_attach->setObjectName(QStringLiteral("attachButton"));
    m_emojiButton->setObjectName(QStringLiteral("emojiButton"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    outer->addWidget(m_bar);
    auto *layout = new QHBoxLayout;
    outer->addLayout(layout);
    const int gap = fontMetrics().height() / 2;
    layout->setContentsMargins(gap, gap, gap, gap);
    layout->setSpacing(gap);
    layout->addWidget(m_attach, 0, Qt::AlignBottom);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_emojiButton, 0, Qt::AlignBottom);
    layout->addWidget(m_send, 0, Qt::AlignBottom);

    m_edit->setObjectName(QStringLiteral("composerEdit"));
    m_edit->setTabChangesFocus(true);
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_edit->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_edit->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_edit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_edit->installEventFilter(this);
    new EmojiHighlighter(m_edit->document()); // colour emoji as they are typed
    // After our own filter: its filter sees the keys first while its list is open.
    m_mentions = new MentionCompleter(m_edit);

    // Icons only (the arrow in the accent, as the one action here), named by tooltips and
    // accessible names; the theme's icons were missing on many desktops, leaving bare words.
    Icons::bind(m_send, Icons::Icon::Send, Icons::Style::Accent);
    Icons::bind(m_attach, Icons::Icon::Attach);
    Icons::bind(m_emojiButton, Icons::Icon::Emoji);
    for (QToolButton *button : {m_attach, m_emojiButton, m_send}) {
        button->setToolButtonStyle(Qt::ToolButtonIconOnly);
        button->setIconSize(Icons::buttonIconSize(fontMetrics()));
        button->setAutoRaise(true);
        button->setFocusPolicy(Qt::TabFocus);
    }
    m_send->setEnabled(false);
    connect(m_attach, &QToolButton::clicked, this, &Composer::attachRequested);
    connect(m_send, &QToolButton::clicked, this, [this] {
        if (m_editSeq > 0)
            saveEdit();
        else
            send();
    });
    connect(m_bar, &ComposerBar::closeClicked, this, [this] {
        if (m_editSeq > 0)
            cancelEdit();
        else
            cancelReply();
        focusEditor();
    });
    connect(m_emojiButton, &QToolButton::clicked, this, &Composer::openEmojiPicker);
    connect(m_picker, &EmojiPicker::emojiChosen, this, [this](const QString &emoji) {
        m_edit->textCursor().insertText(emoji);
        m_edit->ensureCursorVisible();
    });
    // Back to writing after a choice or Esc.
    connect(m_picker, &EmojiPicker::closed, this, &Composer::focusEditor);
    connect(m_edit, &QPlainTextEdit::textChanged, this, &Composer::onTextChanged);
    // Wrapped lines change with the width too, not only with the text.
    connect(m_edit->document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged,
            this, &Composer::updateHeight);
    retranslate();
    updateHeight();
}

void Composer::retranslate()
{
    m_edit->setPlaceholderText(tr("Write a message…"));
    m_edit->setAccessibleName(tr("Message"));
    if (m_editSeq > 0) {
        m_edit->setAccessibleDescription(tr("Enter saves, Esc cancels the edit"));
        m_send->setText(tr("Save"));
        m_send->setAccessibleName(tr("Save"));
        m_send->setToolTip(tr("Save (Enter)"));
    } else {
        m_edit->setAccessibleDescription(tr("Enter sends, Shift+Enter starts a new line"));
        m_send->setText(tr("Send"));
        m_send->setAccessibleName(tr("Send"));
        m_send->setToolTip(tr("Send (Enter)"));
    }
    m_attach->setText(tr("Attach"));
    m_attach->setAccessibleName(tr("Attach a photo or file"));
    m_attach->setToolTip(tr("Attach a photo or file (or drop it on the chat, or paste it)"));
    m_emojiButton->setText(tr("Emoji"));
    m_emojiButton->setAccessibleName(tr("Insert emoji"));
    m_emojiButton->setToolTip(tr("Insert emoji (Ctrl+E)"));
    setAccessibleName(tr("Message composer"));
}

void Composer::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::FontChange)
        updateHeight();
    QWidget::changeEvent(event);
}

QString Composer::draft() const
{
    return m_editSeq > 0 ? m_draftBeforeEdit : m_mentions->toMarkup(m_edit->toPlainText());
}

void Composer::setDraft(const QString &text)
{
    resetModes();
    setText(text);
}

void Composer::setText(const QString &text)
{
    ++m_programmatic;
    m_edit->setPlainText(m_mentions->fromMarkup(text));
    m_edit->moveCursor(QTextCursor::End);
    --m_programmatic;
    updateSendButton();
    updateHeight();
}

void Composer::resetModes()
{
    const bool editing = m_editSeq > 0;
    m_replyTo = 0;
    m_editSeq = 0;
    m_editOriginal.clear();
    m_bar->hide();
    if (editing)
        retranslate();
}

void Composer::startReply(qint64 seq, const QString &senderName, const QString &excerpt)
{
    if (seq <= 0)
        return;
    if (m_editSeq > 0)
        cancelEdit();
    m_replyTo = seq;
    m_bar->showFor(tr("Reply to %1").arg(senderName), excerpt);
    focusEditor();
}

void Composer::cancelReply()
{
    if (m_replyTo == 0)
        return;
    m_replyTo = 0;
    m_bar->hide();
}

void Composer::startEdit(qint64 seq, const QString &text, bool allowEmpty)
{
    if (seq <= 0)
        return;
    if (m_editSeq == 0)
        m_draftBeforeEdit = m_mentions->toMarkup(m_edit->toPlainText());
    m_replyTo = 0;
    m_editSeq = seq;
    m_editAllowsEmpty = allowEmpty;
    m_editOriginal = text;
    retranslate();
    setText(text);
    // The editor's text, not `text`: mention markup shows as names there.
    m_bar->showFor(tr("Editing message"), m_edit->toPlainText());
    focusEditor();
}

void Composer::cancelEdit()
{
    if (m_editSeq == 0)
        return;
    const QString draft = m_draftBeforeEdit;
    m_draftBeforeEdit.clear();
    resetModes();
    setText(draft);
}

void Composer::saveEdit()
{
    const qint64 seq = m_editSeq;
    const QString text = m_mentions->toMarkup(m_edit->toPlainText()).trimmed();
    if (seq <= 0 || (text.isEmpty() && !m_editAllowsEmpty))
        return;
    const bool changed = text != m_editOriginal.trimmed();
    cancelEdit();
    // Saving the same text again would only mark the message "edited".
    if (changed)
        emit editSaveRequested(seq, text);
}

void Composer::setSettings(session::AppSettings *settings)
{
    m_picker->setSettings(settings);
}

void Composer::openEmojiPicker()
{
    m_picker->popup(m_emojiButton);
}

void Composer::focusEditor()
{
    m_edit->setFocus(Qt::OtherFocusReason);
}

void Composer::send()
{
    if (m_editSeq > 0) {
        saveEdit();
        return;
    }
    const QString text = m_mentions->toMarkup(m_edit->toPlainText()).trimmed();
    if (text.isEmpty())
        return;
    const qint64 replyTo = m_replyTo;
    setDraft(QString());
    emit sendRequested(text, replyTo);
}

void Composer::onTextChanged()
{
    updateSendButton();
    // Editing a sent message is not writing a new one: no typing notice, no draft.
    if (m_programmatic == 0 && m_editSeq == 0)
        emit typingActivity();
}

void Composer::updateSendButton()
{
    m_send->setEnabled(!m_edit->toPlainText().trimmed().isEmpty() ||
                       (m_editSeq > 0 && m_editAllowsEmpty));
}

void Composer::updateHeight()
{
    // Count laid-out lines (wrapped ones included); blocks not laid out yet count as one.
    int lines = 0;
    for (QTextBlock block = m_edit->document()->begin(); block.isValid(); block = block.next())
        lines += qMax(1, block.layout() ? block.layout()->lineCount() : 1);
    lines = qBound(1, lines, kMaxLines);
    const QFontMetrics fm(m_edit->font());
    const int height = lines * fm.lineSpacing() + qRound(m_edit->document()->documentMargin() * 2) +
                       m_edit->frameWidth() * 2;
    if (m_edit->height() != height || m_edit->minimumHeight() != height)
        m_edit->setFixedHeight(height);
    // Below the cap everything fits; a scroll bar would only flicker in and out.
    m_edit->setVerticalScrollBarPolicy(lines < kMaxLines ? Qt::ScrollBarAlwaysOff
                                                         : Qt::ScrollBarAsNeeded);
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    // Esc is the window's shortcut too; claim it so the key reaches the editor first.
    if (watched == m_edit && event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier) {
            event->accept();
            return true;
        }
    }
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Paste)) {
            // Pictures and files in the clipboard become attachments; text pastes as text.
            const QMimeData *data = QGuiApplication::clipboard()->mimeData();
            QStringList files;
            if (data && data->hasUrls()) {
                for (const QUrl &url : data->urls())
                    if (url.isLocalFile())
                        files << url.toLocalFile();
            }
            if (!files.isEmpty()) {
                emit filesPasted(files);
                return true;
            }
            if (data && data->hasImage()) {
                emit imagePasted(qvariant_cast<QImage>(data->imageData()));
                return true;
            }
        }
        if (key->key() == Qt::Key_E && key->modifiers() == Qt::ControlModifier) {
            openEmojiPicker();
            return true;
        }
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (enter && (key->modifiers() & Qt::ShiftModifier)) {
            // A real newline (QPlainTextEdit would insert U+2028 for Shift+Enter).
            m_edit->textCursor().insertBlock();
            m_edit->ensureCursorVisible();
            return true;
        }
        if (enter &&
            !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))) {
            send(); // saves while editing
            return true;
        }
        if (key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier) {
            // Esc undoes the mode first (edit, then reply), and only then leaves the box.
            if (m_editSeq > 0)
                cancelEdit();
            else if (m_replyTo > 0)
                cancelReply();
            else
                m_edit->clearFocus();
            return true;
        }
        if (key->key() == Qt::Key_Up && key->modifiers() == Qt::NoModifier && m_editSeq == 0 &&
            m_edit->document()->isEmpty()) {
            emit editLastRequested();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace tern::app::ui
