#pragma once

//! The message input of a chat: a plain-text box that grows to about six lines, and a send
//! button, an attach button and an emoji button (EmojiPicker; Ctrl+E from the box). Enter sends,
//! Shift+Enter starts a new line, Esc leaves the box; pasting an image or files attaches them.
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

class EmojiPicker;
class MentionCompleter;

class Composer : public QWidget
{
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    //! The text being written (the draft of the open conversation), mentions as markup.
    QString draft() const;
    //! Replaces the text without emitting typingActivity (switching conversations); mention
    //! markup shows as names again.
    void setDraft(const QString &text);
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
    //! The user wants `text` sent (trimmed, never blank; mentions as `<@userId>` markup); the
    //! composer has cleared itself.
    void sendRequested(const QString &text);
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

    QPlainTextEdit *m_edit;
    QToolButton *m_send;
    QToolButton *m_attach;
    QToolButton *m_emojiButton;
    EmojiPicker *m_picker;
    MentionCompleter *m_mentions;
    int m_programmatic = 0; // >0 while the text is set by code, not typed
};

} // namespace tern::app::ui
