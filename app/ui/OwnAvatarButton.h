#pragma once

//! A small round button with our own avatar (initials, avatar colour, online dot) at the top of
//! the conversation list; clicking it opens the profile card.

#include <QAbstractButton>
#include <QPointer>

namespace tern::app::session {
class AccountSession;
}

namespace tern::app::ui {

class OwnAvatarButton : public QAbstractButton
{
    Q_OBJECT
public:
    explicit OwnAvatarButton(QWidget *parent = nullptr);

    void setSession(session::AccountSession *session);
    //! Our display name as shown (tooltip and accessible description).
    QString displayName() const { return m_name; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void refresh();

    QPointer<session::AccountSession> m_session;
    QString m_name;
    QString m_initials;
    int m_hue = 0;
    bool m_online = false;
};

} // namespace tern::app::ui
