#pragma once

//! The message input of a chat: a plain-text box that grows to about six lines, and a send
//! button, an attach button and an emoji button (EmojiPicker; Ctrl+E from the box). Enter sends,
//! Shift+Enter starts a new line, Esc leaves the box; pasting an image or files attaches them.
//! Two modes show a bar above the box (ComposerBar): replying (the next message quotes one;
//! Esc or the bar's close button cancels) and editing (the box holds a sent message's text;
//! Enter saves, Esc cancels and brings the draft back). Up in an empty box asks to edit the
//! last own message (editLastRequested).
//
// Emits intents only (sendRequested, typingActivity); sending and typing throttling belong to
// ChatClient. Drafts are kept by the caller per conversation via draft()/setDraft().

#include <QWidget>

class QPlainTextEdit;
class QToolButton;

namespace tern::app::session {
class AppSettings;
}

namespace tern::app::ui {

class ComposerBar;
class EmojiPicker;
class MentionCompleter;

class Composer : public QWidget
{
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    //! The text being written (the draft of the open conversation), mentions as markup; while
    //! editing, the draft put aside for the edit (editor() holds the text being edited).
    QString draft() const;
    //! Replaces the text without emitting typingActivity (switching conversations); mention
    //! markup shows as names again. Ends a reply or an edit.
    void setDraft(const QString &text);
    //! Replying to the message `seq`: the bar says "Reply to `senderName`" with `excerpt`; the
    //! next send carries the seq. Ends an edit.
    void startReply(qint64 seq, const QString &senderName, const QString &excerpt);
    void cancelReply();
    //! The message being replied to, 0 when none.
    qint64 replyTo() const { return m_replyTo; }
    //! Editing the message `seq`: the box holds `text` (the draft is put aside); Enter emits
    //! editSaveRequested. `allowEmpty`: a blank text may be saved (a picture's caption).
    void startEdit(qint64 seq, const QString &text, bool allowEmpty = false);
    //! Leaves edit mode and brings the draft back.
    void cancelEdit();
    //! The message being edited, 0 when none.
    qint64 editingSeq() const { return m_editSeq; }
    ComposerBar *bar() const { return m_bar; }
    //! Sends the text as if the user pressed Enter; does nothing when it is blank.
    void send();
    void focusEditor();
    QPlainTextEdit *editor() const { return m_edit; }
    QToolButton *sendButton() const { return m_send; }
    QToolButton *attachButton() const { return m_attach; }
    QToolButton *emojiButton() const { return m_emojiButton; }
    EmojiPicker *emojiPicker() const { return m_picker; }
    //! The `@` completion (who can be mentioned is set by the chat pane).
    MentionCompleter *mentions() const { return m_mentions; }
    //! Opens the emoji picker above the emoji button; a choice is inserted at the cursor.
    void openEmojiPicker();
    //! Where the picker keeps the recently used emoji (not owned).
    void setSettings(session::AppSettings *settings);
    //! Lines the box grows to before it scrolls.
    static constexpr int kMaxLines = 6;

signals:
    //! The user wants `text` sent (trimmed, never blank; mentions as `<@userId>` markup) as a
    //! reply to `replyTo` (0: none); the composer has cleared itself (and its reply bar).
    void sendRequested(const QString &text, qint64 replyTo);
    //! Enter while editing: save `text` (trimmed) as the new text of the message `seq`; the
    //! composer is back to the draft.
    void editSaveRequested(qint64 seq, const QString &text);
    //! Up in an empty box (not editing): the caller may startEdit() the last own message.
    void editLastRequested();
    //! The user edited the text (not emitted for setDraft or the clear after sending).
    void typingActivity();
    //! The attach button was pressed: the caller asks which files.
    void attachRequested();
    //! Pasted from the clipboard: an image without a file, or local files.
    void imagePasted(const QImage &image);
    void filesPasted(const QStringList &paths);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onTextChanged();
    void updateHeight();
    void updateSendButton();
    void retranslate();
    void saveEdit();
    //! Sets the box's text as code (no typingActivity).
    void setText(const QString &text);
    //! Ends the reply/edit modes without touching the text.
    void resetModes();

    ComposerBar *m_bar;
    QPlainTextEdit *m_edit;
    QToolButton *m_send;
    QToolButton *m_attach;
    QToolButton *m_emojiButton;
    EmojiPicker *m_picker;
    MentionCompleter *m_mentions;
    int m_programmatic = 0; // >0 while the text is set by code, not typed
    qint64 m_replyTo = 0;
    qint64 m_editSeq = 0;
    bool m_editAllowsEmpty = false;
    QString m_editOriginal;
    QString m_draftBeforeEdit;
};

} // namespace tern::app::ui
