#pragma once

//! Find in chat: the bar above the messages with the match count ("3 of 12"), older/newer
//! buttons (Enter/Shift+Enter, F3/Shift+F3) and the matches highlighted in the bubbles.
//
// Matches are the loaded text messages containing the typed text (case-insensitive), newest
// first, held as persistent indexes so older pages arriving on top do not move them. Typing
// scans the loaded rows' text once (no layout); only the visible rows repaint their
// highlights. Hiding the bar (close, Esc, another chat) removes the highlights.

#include <QPersistentModelIndex>
#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QToolButton;

namespace tern::app::ui {

class MessageView;

class FindBar : public QWidget
{
    Q_OBJECT
public:
    //! `view` shows the chat searched; `shortcutScope` gets F3/Shift+F3.
    FindBar(MessageView *view, QWidget *shortcutScope, QWidget *parent = nullptr);

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

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    //! Recomputes the matches for the field's text, keeping the current one when it still is.
    void refresh();
    void select(int match);
    void updateCount();
    void updateHighlight();

    MessageView *m_view;
    QLineEdit *m_field;
    QLabel *m_count;
    QToolButton *m_newer;
    QToolButton *m_older;
    QList<QPersistentModelIndex> m_matches; // newest first
    int m_current = -1;
    QTimer m_modelChanged; // coalesces model changes into one refresh
};

} // namespace tern::app::ui
