#include "app/ui/OwnAvatarButton.h"

#include "app/client/ChatClient.h"
#include "app/models/Avatar.h"
#include "app/models/UserDirectory.h"
#include "app/session/AccountSession.h"
#include "app/ui/AvatarWidget.h"
#include "app/ui/Theme.h"

#include <QPainter>

namespace tern::app::ui {

OwnAvatarButton::OwnAvatarButton(QWidget *parent) : QAbstractButton(parent)
{
    setObjectName(QStringLiteral("ownAvatarButton"));
    setCursor(Qt::PointingHandCursor);
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setAccessibleName(tr("Your profile"));
    refresh();
}

void OwnAvatarButton::setSession(session::AccountSession *session)
{
    if (m_session) {
        disconnect(m_session->users(), nullptr, this, nullptr);
        disconnect(m_session->client(), nullptr, this, nullptr);
    }
    m_session = session;
    if (session) {
        connect(session->users(), &models::UserDirectory::namesChanged, this,
                &OwnAvatarButton::refresh);
        connect(session->client()->connection(), &client::ChatConnection::stateChanged, this,
                &OwnAvatarButton::refresh);
    }
    refresh();
}

void OwnAvatarButton::refresh()
{
    const QString me = m_session ? m_session->client()->connection()->userId() : QString();
    m_name = m_session && m_session->users()->isKnown(me) ? m_session->users()->displayName(me)
                                                          : QString();
    m_initials = models::Avatar::initials(m_name);
    m_hue = models::Avatar::hue(me);
    m_online = m_session &&
               m_session->client()->connection()->state() == client::ChatConnection::State::Online;
    setToolTip(m_name.isEmpty() ? tr("Your profile") : tr("Your profile: %1").arg(m_name));
    setAccessibleDescription(m_name);
    update();
}

QSize OwnAvatarButton::sizeHint() const
{
    const int side = fontMetrics().height() * 2;
    return {side, side};
}

void OwnAvatarButton::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRectF circle = QRectF(rect()).adjusted(1, 1, -1, -1);
    AvatarWidget::paint(&painter, circle, m_initials, m_hue, m_online, palette());
    if (hasFocus() || isDown()) {
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(Theme::accent(palette()), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(circle.adjusted(1, 1, -1, -1));
    }
}

} // namespace tern::app::ui
