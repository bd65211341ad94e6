#pragma once

//! The strip above the composer's text box while replying ("Reply to Alice" and an excerpt of
//! the message) or editing ("Editing message" and the original text), with a close button.
//
// Display only: the Composer owns the mode and decides what closing means. Texts come from the
// network, so both lines are plain, one-line, elided labels.

#include <QWidget>

class QToolButton;

namespace tern::app::ui {

class ElidedLabel;

class ComposerBar : public QWidget
{
    Q_OBJECT
public:
    explicit ComposerBar(QWidget *parent = nullptr);

    //! Shows the bar with a title (accent, bold) and one line of context.
    void showFor(const QString &title, const QString &excerpt);
    QString title() const;
    QString excerpt() const;
    QToolButton *closeButton() const { return m_close; }

signals:
    //! The close button was pressed.
    void closeClicked();

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    ElidedLabel *m_title;
    ElidedLabel *m_excerpt;
    QToolButton *m_close;
};

} // namespace tern::app::ui
