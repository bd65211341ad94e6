#pragma once

//! Find in chat: the bar above the messages with the match count ("3 of 12"), older/newer
//! buttons (Enter/Shift+Enter, F3/Shift+F3) and the matches highlighted in the bubbles.
//
// Matches, newest first: the loaded text messages containing the typed text (case-insensitive,
// found at once), together with what the cache's search index finds in the whole chat (each word
// as a word start, a moment later), so messages not loaded yet are found too. Matches are held
// by seq and id, so pages arriving on top do not move them; a match not loaded is asked for with
// showRequested (the pane pages back to it). Only the visible rows repaint their highlights.
// Hiding the bar (close, Esc, another chat) removes the highlights.

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

namespace tern::app::session {
class AccountSession;
}

namespace tern::app::ui {

class MessageView;

class FindBar : public QWidget
{
    Q_OBJECT
public:
    //! `view` shows the chat searched; `shortcutScope` gets F3/Shift+F3.
    FindBar(MessageView *view, QWidget *shortcutScope, QWidget *parent = nullptr);

    //! The chat searched in the cache's index (null: only the loaded rows are searched).
    void setChat(session::AccountSession *session, const QString &conversation);
    //! Shows the bar, focuses the field and selects its text.
    void open();
    //! The next older match (Enter, F3); wraps to the newest.
    void findOlder();
    //! The next newer match (Shift+Enter, Shift+F3); wraps to the oldest.
    void findNewer();
    int matchCount() const { return int(m_matches.size()); }
    //! 1-based position of the current match, counted from the newest; 0 without one.
    int currentMatch() const { return m_current + 1; }
    QLineEdit *field() const { return m_field; }

signals:
    //! The close button was pressed (the pane hides the bar and focuses the composer).
    void closeRequested();
    //! The current match is not loaded in the view: show message `seq` (ChatPane::showMessage).
    void showRequested(qint64 seq);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    //! Recomputes the matches for the field's text, keeping the current one when it still is.
    void refresh();
    //! Asks the index for the field's text (after a short pause in typing).
    void searchIndex();
    void select(int match);
    void updateCount();
    void updateHighlight();

    MessageView *m_view;
    QLineEdit *m_field;
    QLabel *m_count;
    QToolButton *m_newer;
    QToolButton *m_older;
    struct Match
    {
        qint64 seq = 0; // 0: our message still in the outbox (newest of all)
        QString id;
    };
    QList<Match> m_matches; // newest first
    int m_current = -1;
    QPointer<session::AccountSession> m_session;
    QString m_conversation;
    QString m_indexText;         // what m_indexMatches were found for
    QList<Match> m_indexMatches; // the index's matches in the whole chat
    QTimer m_indexDelay;
    QTimer m_modelChanged; // coalesces model changes into one refresh
};

} // namespace tern::app::ui
