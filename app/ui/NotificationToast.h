#pragma once

//! A notification inside the window, for desktops without a system tray: "Bob in Lunch crew:
//! Pizza?" floating over the bottom of the window; a click opens the chat. It stays until the
//! user has had the window active for a few seconds, or closes it.

#include <QFrame>
#include <QTimer>

class QLabel;
class QToolButton;

namespace tern::app::ui {

class ElidedLabel;

class NotificationToast : public QFrame
{
    Q_OBJECT
public:
    explicit NotificationToast(QWidget *parent);
    //! Shows (or replaces) the notification; `text` is plain text from another user.
    void showNotification(const QString &conversation, const QString &title, const QString &text);
    QString conversation() const { return m_conversation; }
    QString title() const;
    QString text() const;
    //! Places it over the bottom of the parent (the parent calls this when it resizes).
    void reposition();

signals:
    void activated(const QString &conversation);

protected:
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void activate();

    QString m_conversation;
    ElidedLabel *m_title;
    ElidedLabel *m_text;
    QToolButton *m_close;
    QTimer m_hide;
};

} // namespace tern::app::ui
