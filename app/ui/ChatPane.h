#pragma once

//! The open chat: header, connection banner, messages, typing line, find bar and composer.
//
// It renders the AccountSession's models and turns the user's actions into intents on them
// (send, typing, read position, drafts, mute). Each chat's scroll position is kept while the
// app runs; drafts are saved to the account's cache (debounced) and so survive restarts.

#include "app/ui/MessageView.h"
#include "shared/protocol/Media.h"

#include <QHash>
#include <QPersistentModelIndex>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>

class QDialog;
class QLabel;
class QLineEdit;

namespace tern::protocol {
struct ConversationSummary;
}
namespace tern::app::session {
class AccountSession;
}
namespace tern::app::models {
class MessageListModel;
}

namespace tern::app::ui {

class FileOpener;
class FindBar;
class ImageViewer;

class ChatHeader;
class Composer;
class EmojiPicker;
class ForwardDialog;
class ConnectionBanner;
class GroupInfoPanel;

class ChatPane : public QWidget
{
    Q_OBJECT
public:
    explicit ChatPane(QWidget *parent = nullptr);
    ~ChatPane() override;

    //! The account whose chats are shown (not owned); null closes the open chat.
    void setSession(session::AccountSession *session);
    //! Opens a conversation of the list; false when the list does not have it (yet).
    bool openConversation(const QString &conversation);
    QString currentConversation() const { return m_conversation; }
    //! Opens the direct chat with a user; when none exists yet, an empty chat whose first
    //! message creates it (the pane then switches to the real conversation).
    void openDirectChat(const QString &userId, const QString &displayName);
    //! The user of a direct chat that does not exist yet ("" otherwise).
    QString pendingPeer() const { return m_pendingPeer; }
    //! Saves the open chat's draft now (before quitting or switching accounts).
    void saveDraft();
    void setBackVisible(bool visible);
    void showFindBar();
    //! Opens the conversation and shows the message `seq` in context, selected for a moment:
    //! older pages are loaded (cache, else server) until it is there. `messageShown` tells when
    //! it is on screen; false when the conversation is not in the list.
    bool showMessage(const QString &conversation, qint64 seq);
    //! Esc: closes the find bar or the info panel; false when there was nothing to close.
    bool closePanels();
    void focusComposer();
    //! Sends files as media messages to the open chat (images with a thumbnail), as the attach
    //! button, a drop and a paste do (ChatPaneMedia.cpp).
    void attachFiles(const QStringList &paths);
    void attachImage(const QImage &image);
    //! Opens the picture or file of a media message (downloading it first if needed).
    void openMedia(const QModelIndex &index);
    //! Asks where to save a media message's file, then downloads (or copies from the cache).
    void saveMedia(const QModelIndex &index);
    //! Saves without asking (what the dialog's choice leads to); `mediaSaved` tells the outcome.
    void saveMediaTo(const QModelIndex &index, const QString &target);
    //! Stops the download of a media message's file and drops what had arrived.
    void cancelDownload(const QModelIndex &index);

    ChatHeader *header() const { return m_header; }
    MessageView *messageView() const { return m_view; }
    Composer *composer() const { return m_composer; }
    ConnectionBanner *banner() const { return m_banner; }
    //! The "Alice is typing…" line ("" when nobody types).
    QString typingText() const;
    GroupInfoPanel *infoPanel() const { return m_info; }
    FindBar *findBar() const { return m_findBar; }
    //! The picker of "React → More…" (a popup; hidden when not choosing).
    EmojiPicker *reactionPicker() const { return m_reactionPicker; }

    // Message actions (ChatPaneActions.cpp): what the message menu, the chips, the quote and the
    // composer ask for. Each works on the open chat's row at `index`.
    //! Puts the composer into reply mode for the message.
    void replyTo(const QModelIndex &index);
    //! Puts the composer into edit mode for an own editable message.
    void editMessage(const QModelIndex &index);
    //! Up in an empty composer: edits the newest own editable message; false when none.
    bool editLastMessage();
    //! Asks to confirm, then deletes for everyone (a delete event) or for me (hide).
    void deleteMessage(const QModelIndex &index, bool forEveryone);
    //! Puts our reaction on the message (`on`) or takes it off.
    void toggleReaction(const QModelIndex &index, const QString &emoji, bool on);
    //! Opens the emoji picker for a reaction to the message.
    void pickReaction(const QModelIndex &index);
    //! Opens the forward dialog for the message; accepted, forwards it to each chosen chat.
    void forwardMessage(const QModelIndex &index);
    //! Forwards the message at `row` of the open chat to `conversations` (what the dialog
    //! does once accepted); returns the new message ids.
    QStringList forwardTo(int row, const QStringList &conversations);

signals:
    void backRequested();
    //! A conversation was opened (also when a pending direct chat became a real one).
    void conversationOpened(const QString &conversation);
    //! The user left the open group (or was removed): the window shows the list.
    void conversationClosed();
    //! A confirmation ("Delete for everyone?") or the forward dialog opened (tests).
    void deleteConfirmationOpened(QDialog *box);
    void forwardDialogOpened(tern::app::ui::ForwardDialog *dialog);
    //! A picture viewer opened (tests).
    void imageViewerOpened(tern::app::ui::ImageViewer *viewer);
    //! No app could open a downloaded file; the pane says so (tests watch this).
    void openFailed(const QString &path);
    //! A "Save as…" copy finished (or failed: `ok` false).
    void mediaSaved(const QString &target, bool ok);
    //! showMessage() put the message on screen (selected); `found` false when it could not be
    //! loaded (not in the history any more, or too far back).
    void messageShown(const QString &conversation, qint64 seq, bool found);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    //! Downloads `media` (or finds it in the cache) and calls `done` with the file, unless
    //! `context` is gone by then.
    void whenDownloaded(const protocol::Media &media, QObject *context,
                        std::function<void(const QString &path)> done);
    //! Where messages to the open chat go: the peer of a pending direct chat or the chat's own.
    QString sendAddress() const;
    void chooseFiles();
    //! "No app opens budget.xlsx", where it was saved, and "Open folder".
    void showOpenFailed(const QString &path);
    void closeConversation();
    //! Switches from a pending direct chat to the real one once the list has it.
    void adoptPendingChat();
    //! Unloads old rows of a chat read at its bottom once no page is being fetched.
    void trimWhenIdle(models::MessageListModel *model, int delayMs);
    QString directChatWith(const QString &userId) const;
    void refreshHeader();
    //! Who the composer's `@` completion offers: the open group's members without us.
    void updateMentionCandidates(const protocol::ConversationSummary &summary);
    void toggleInfo();
    //! Hides the group info panel and brings back the chat it may have taken the place of.
    void hideInfo();
    void onReadUpTo(qint64 seq);
    //! Goes on with showMessage(): lands when the message is loaded, else pages further back.
    void continueJump();
    void onTextSent(const QString &text, qint64 replyTo);
    //! Where a message to `conversation` is sent: the peer of a direct chat, else the chat.
    QString addressOf(const QString &conversation) const;
    void connectMessageActions();
    //! A request of the message actions failed: says so under the chat (e.g. hide offline).
    void showActionError(const QString &text);

    QPointer<session::AccountSession> m_session;
    QString m_conversation;
    QString m_pendingPeer;
    QHash<QString, MessageView::ScrollState> m_scroll;
    ChatHeader *m_header;
    ConnectionBanner *m_banner;
    MessageView *m_view;
    QLabel *m_typing;
    FindBar *m_findBar;
    Composer *m_composer;
    FileOpener *m_opener;
    GroupInfoPanel *m_info = nullptr;
    //! Header, messages and composer: hidden while the info panel takes their place in a pane
    //! too narrow for both.
    QWidget *m_column = nullptr;
    QTimer m_draftTimer;
    QString m_savedDraft; // last draft written for m_conversation
    bool m_trimPending = false;
    qint64 m_jumpSeq = 0;          // the message showMessage() is loading, 0 when none
    int m_jumpPageSize = 0;        // the model's own page size while a jump pages, 0 when none
    qint64 m_jumpOldestAsked = -1; // oldest seq fetched when the jump asked for its last page
    QTimer m_jumpHighlight;        // ends the selection of a message jumped to
    EmojiPicker *m_reactionPicker = nullptr;
    QPersistentModelIndex m_reactionTarget; // the message "More…" picks a reaction for
};

} // namespace tern::app::ui
