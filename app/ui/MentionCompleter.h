#pragma once

//! The `@` completion of the composer: typing "@" (then part of a name) in a group lists its
//! members; Up/Down pick, Enter/Tab insert "@Display Name", Esc closes. Inserted names are kept
//! as tokens that toMarkup() turns into mention markup (`<@userId>`) when the text is sent.
//
// The list is a child of the window laid over the messages above the editor, never a separate
// window: keyboard focus stays in the editor (this filter sees the keys first) and it works the
// same on every platform. A token edited by hand (a letter of the name removed) is plain text.

#include <QList>
#include <QListWidget>
#include <QObject>
#include <QPointer>
#include <QString>

class QPlainTextEdit;

namespace tern::app::ui {

class MentionCompleter : public QObject
{
    Q_OBJECT
public:
    struct Candidate
    {
        QString userId;
        QString name;
    };
    //! Rows the list shows at most (the rest are reached by typing more of the name).
    static constexpr int kMaxRows = 8;

    explicit MentionCompleter(QPlainTextEdit *edit);
    ~MentionCompleter() override;

    //! Who can be mentioned (a group's members without us); empty turns completion off.
    void setCandidates(const QList<Candidate> &candidates);
    //! The text with each inserted "@Name" token as markup.
    QString toMarkup(const QString &text) const;
    //! Text with markup as the editor shows it ("@Name"), the mentions becoming tokens again
    //! (a draft coming back). Tokens of the previous text are dropped.
    QString fromMarkup(const QString &text);
    void clearTokens() { m_tokens.clear(); }
    bool isOpen() const;
    //! The list (tests, accessibility); null until first shown.
    QListWidget *popup() const { return m_popup; }
    //! Inserts the highlighted candidate (as Enter does); false when the list is closed.
    bool complete();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    //! The "@word" before the cursor: its start, or -1 when the cursor is not in one.
    int triggerStart(QString *typed) const;
    void update();
    void close();
    void place();

    QPlainTextEdit *m_edit;
    QPointer<QListWidget> m_popup;
    QList<Candidate> m_candidates;
    QList<Candidate> m_tokens; // inserted mentions, matched by "@" + name when sending
    int m_start = -1;          // where the open completion's "@" is
    int m_dismissedAt = -1;    // Esc closed the completion at this "@": stays closed there
};

} // namespace tern::app::ui
