#include "app/ui/TrayNotifier.h"

#include "app/client/ChatClient.h"
#include "app/client/Inbox.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageText.h"
#include "app/models/UserDirectory.h"
#include "app/session/AccountSession.h"
#include "app/session/AppSettings.h"
#include "app/ui/Theme.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>
#include <QWidget>

namespace tern::app::ui {

namespace {
// Messages of one chat within this window become one "3 new messages" notification.
constexpr qint64 kBurstMs = 10'000;
// How long and for how many messages a notification waits for its sender's name.
constexpr int kNameWaitMs = 3'000;
constexpr qsizetype kMaxHeld = 20;

//! A body as plain text for the desktop's notification service. On freedesktop systems the body
//! is markup (<a>, <img>, <b>…) for most daemons: a message's text must not become a link or
//! load an image there, so it is escaped. Elsewhere the services show plain text as given.
QString plainBody(const QString &text)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    return text.toHtmlEscaped();
#else
    return text;
#endif
}
} // namespace

TrayNotifier::TrayNotifier(session::AppSettings *settings, QWidget *window, QObject *parent)
    : QObject(parent), m_settings(settings), m_window(window),
      m_baseIcon(QStringLiteral(":/tern/icons/tern.svg"))
{
    m_clock.start();
    m_nameWait.setSingleShot(true);
    m_nameWait.setInterval(kNameWaitMs);
    connect(&m_nameWait, &QTimer::timeout, this, [this] { releaseHeld(true); });
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(m_baseIcon, this);
    // No parent: the window is deleted before us, and the menu is ours to delete.
    m_menu = new QMenu();
    m_menu->addAction(tr("Open Tern"), this, &TrayNotifier::showWindowRequested);
    m_menu->addSeparator();
    m_menu->addAction(tr("Quit"), this, &TrayNotifier::quitRequested);
    m_tray->setContextMenu(m_menu);
    m_tray->setToolTip(tr("Tern"));
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
        if (r == QSystemTrayIcon::Trigger || r == QSystemTrayIcon::DoubleClick)
            emit showWindowRequested();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        if (!m_lastNotified.isEmpty())
            emit openConversationRequested(m_lastNotified);
        else
            emit showWindowRequested();
    });
    m_tray->show();
}

TrayNotifier::~TrayNotifier()
{
    delete m_menu;
}

void TrayNotifier::setSession(session::AccountSession *session)
{
    if (m_session) {
        disconnect(m_session->client(), nullptr, this, nullptr);
        disconnect(m_session->conversations(), nullptr, this, nullptr);
        disconnect(m_session->users(), nullptr, this, nullptr);
    }
    m_held.clear();
    m_nameWait.stop();
    m_session = session;
    if (!session) {
        setUnread(0);
        return;
    }
    connect(session->client()->inbox(), &client::Inbox::messageReceived, this,
            &TrayNotifier::onMessage);
    connect(session->conversations(), &models::ConversationListModel::totalUnreadChanged, this,
            &TrayNotifier::setUnread);
    connect(session->users(), &models::UserDirectory::namesChanged, this,
            [this] { releaseHeld(false); });
    setUnread(session->conversations()->totalUnread());
}

void TrayNotifier::setOpenConversation(const QString &conversation)
{
    m_openConversation = conversation;
    m_burst.remove(conversation);
}

bool TrayNotifier::trayAvailable() const
{
    return m_tray && m_tray->isVisible();
}

void TrayNotifier::onMessage(const protocol::MessageEvent &message)
{
    if (!m_session || message.kind == protocol::MessageKind::System ||
        message.from == m_session->client()->connection()->userId())
        return;
    models::ConversationListModel *list = m_session->conversations();
    const int row = list->rowOf(message.conversation);
    // A mention reaches us even in a muted chat: someone asked for us by name.
    if (row >= 0 && list->index(row).data(models::ConversationListModel::IsMutedRole).toBool() &&
        !mentionsMe(message))
        return;
    const bool windowActive =
        m_window && m_window->isVisible() && m_window->isActiveWindow() && !m_window->isMinimized();
    if (windowActive && message.conversation == m_openConversation)
        return;

    const qint64 now = m_clock.elapsed();
    if (now - m_burstStart.value(message.conversation, -kBurstMs) > kBurstMs) {
        m_burstStart.insert(message.conversation, now);
        m_burst.insert(message.conversation, 0);
    }
    const int inBurst = ++m_burst[message.conversation];

    models::UserDirectory *users = m_session->users();
    if (!users->isKnown(message.from)) {
        if (m_held.size() >= kMaxHeld) {
            const Held oldest = m_held.takeFirst();
            notify(oldest.message, oldest.inBurst);
        }
        m_held.append(Held{message, inBurst});
        users->resolve({message.from});
        if (!m_nameWait.isActive())
            m_nameWait.start();
        return;
    }
    notify(message, inBurst);
}

void TrayNotifier::releaseHeld(bool all)
{
    if (!m_session) {
        m_held.clear();
        return;
    }
    // In arrival order, so a chat's burst count reads the same as it would have.
    QList<Held> waiting;
    for (Held &held : m_held) {
        if (all || m_session->users()->isKnown(held.message.from))
            notify(held.message, held.inBurst);
        else
            waiting.append(std::move(held));
    }
    m_held = std::move(waiting);
    if (m_held.isEmpty())
        m_nameWait.stop();
}

void TrayNotifier::notify(const protocol::MessageEvent &message, int inBurst)
{
    models::ConversationListModel *list = m_session->conversations();
    const int row = list->rowOf(message.conversation);
    models::UserDirectory *users = m_session->users();
    const QString sender =
        users->isKnown(message.from) ? users->displayName(message.from) : tr("Someone new");
    const QString chatName = row >= 0 ? list->summary(row).name : sender;
    const bool group = row >= 0 && list->summary(row).kind == protocol::ConversationKind::Group;
    const bool mention = mentionsMe(message);
    const QString title = !group    ? sender
                          : mention ? tr("%1 mentioned you in %2").arg(sender, chatName)
                                    : tr("%1 in %2").arg(sender, chatName);
    QString text;
    if (inBurst > 1 && !mention) // a mention is told on its own, never summed up
        text = tr("%n new message(s)", nullptr, inBurst);
    else if (m_settings->hidePreviews())
        text = tr("New message");
    else
        text = models::MessageText::summary(message, users->names());
    const QString body = plainBody(text);
    m_lastNotified = message.conversation;
    emit notified(message.conversation, title, body);
    if (m_tray && QSystemTrayIcon::supportsMessages()) {
        m_tray->showMessage(title, body, m_baseIcon, 5000);
        return;
    }
    // No tray: the window says it, and the taskbar entry asks for attention.
    emit inAppNotification(message.conversation, title, text);
    if (m_window)
        QApplication::alert(m_window);
}

bool TrayNotifier::mentionsMe(const protocol::MessageEvent &message) const
{
    const QString me = m_session ? m_session->client()->connection()->userId() : QString();
    return !me.isEmpty() && message.mentions.contains(me);
}

void TrayNotifier::setUnread(int total)
{
    m_unread = total;
    if (m_window)
        m_window->setWindowTitle(total > 0 ? tr("Tern (%1)").arg(total) : tr("Tern"));
    if (!m_tray)
        return;
    m_tray->setIcon(badgeIcon(total));
    m_tray->setToolTip(total > 0 ? tr("Tern — %n unread message(s)", nullptr, total) : tr("Tern"));
}

QIcon TrayNotifier::badgeIcon(int count) const
{
    if (count <= 0)
        return m_baseIcon;
    const int side = 64;
    QPixmap pixmap = m_baseIcon.pixmap(side, side);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF badge(side * 0.42, 0, side * 0.58, side * 0.58);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0xd9, 0x30, 0x25));
    painter.drawEllipse(badge);
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(int(side * 0.32));
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(badge, Qt::AlignCenter,
                     count > 99 ? QStringLiteral("99+") : QString::number(count));
    return QIcon(pixmap);
}

} // namespace tern::app::ui
