#pragma once

//! The open chat's header: avatar, name, a status line, and the chat's buttons.

#include <QWidget>

class QLabel;
class QToolButton;

namespace tern::app::ui {

class AvatarWidget;

class ChatHeader : public QWidget
{
    Q_OBJECT
public:
    explicit ChatHeader(QWidget *parent = nullptr);
    void setTitle(const QString &title);
    //! "online", "last seen …", "typing…" (accent), "12 members, 3 online".
    void setSubtitle(const QString &subtitle, bool accent = false);
    void setAvatar(const QString &initials, int hue, int online);
    //! The avatar's presence dot as set: -1 none (group), 0 offline or unknown, 1 online.
    int avatarOnline() const;
    void setMuted(bool muted);
    //! The back button of the narrow one-pane layout.
    void setBackVisible(bool visible);
    //! The details button (groups have an info panel).
    void setInfoVisible(bool visible);
    QString title() const;
    QString subtitle() const;

signals:
    void backClicked();
    void searchClicked();
    void infoClicked();
    void muteToggled(bool muted);

private:
    AvatarWidget *m_avatar;
    QLabel *m_title;
    QLabel *m_subtitle;
    QToolButton *m_back;
    QToolButton *m_search;
    QToolButton *m_mute;
    QToolButton *m_info;
};

} // namespace tern::app::ui
