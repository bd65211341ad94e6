#include "app/ui/Announcer.h"

#include "app/client/ChatClient.h"
#include "app/client/Inbox.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageText.h"
#include "app/models/UserDirectory.h"
#include "app/session/AccountSession.h"
#include "app/session/AppSettings.h"

#include <QAccessible>
#include <QAccessibleWidget>

namespace tern::app::ui {

namespace {

//! The announcer as screen readers see it: a notification named by its latest announcement.
class AnnouncerAccessible : public QAccessibleWidget
{
public:
    explicit AnnouncerAccessible(Announcer *announcer)
        : QAccessibleWidget(announcer, QAccessible::Notification)
    {}
    QString text(QAccessible::Text kind) const override
    {
        if (kind == QAccessible::Name)
            return static_cast<const Announcer *>(widget())->text();
        return QAccessibleWidget::text(kind);
    }
};

QAccessibleInterface *announcerFactory(const QString &className, QObject *object)
{
    if (className == QLatin1String(Announcer::staticMetaObject.className()) && object &&
        object->isWidgetType())
        return new AnnouncerAccessible(static_cast<Announcer *>(object));
    return nullptr;
}

} // namespace

Announcer::Announcer(session::AppSettings *settings, QWidget *window)
    : QWidget(window), m_settings(settings)
{
    static const bool installed = [] {
        QAccessible::installFactory(announcerFactory);
        return true;
    }();
    Q_UNUSED(installed);
    setObjectName(QStringLiteral("announcer"));
    // Shown but never seen or hit: screen readers ignore objects that are not showing.
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setFocusPolicy(Qt::NoFocus);
    setGeometry(0, 0, 1, 1);
    lower();
    m_quiet.setSingleShot(true);
    m_quiet.setInterval(kQuietMs);
    connect(&m_quiet, &QTimer::timeout, this, &Announcer::flush);
}

void Announcer::setSession(session::AccountSession *session)
{
    if (m_session)
        disconnect(m_session->client(), nullptr, this, nullptr);
    m_session = session;
    m_pending.clear();
    if (session)
        connect(session->client()->inbox(), &client::Inbox::messageReceived, this,
                &Announcer::onMessage);
}

void Announcer::setOpenConversation(const QString &conversation)
{
    m_openConversation = conversation;
}

void Announcer::announce(const QString &text)
{
    m_text = text;
    QAccessibleEvent renamed(this, QAccessible::NameChanged);
    QAccessible::updateAccessibility(&renamed);
    QAccessibleEvent shown(this, QAccessible::ObjectShow);
    QAccessible::updateAccessibility(&shown);
    emit announced(text);
}

void Announcer::onMessage(const protocol::MessageEvent &message)
{
    client::ChatClient *client = m_session ? m_session->client() : nullptr;
    if (!client || message.kind == protocol::MessageKind::System ||
        message.from == client->connection()->userId() ||
        client->connection()->state() != client::ChatConnection::State::Online)
        return;
    QWidget *top = window();
    if (!top->isVisible() || !top->isActiveWindow() || top->isMinimized())
        return;
    models::ConversationListModel *list = m_session->conversations();
    const int row = list->rowOf(message.conversation);
    const bool open = message.conversation == m_openConversation;
    const bool mentionsMe = message.mentions.contains(client->connection()->userId());
    if (!open && !mentionsMe && row >= 0 &&
        list->index(row).data(models::ConversationListModel::IsMutedRole).toBool())
        return;

    const QString sender = m_session->users()->displayName(message.from);
    const QString caption =
        models::MessageText::renderMentions(message.content, m_session->users()->names());
    const QString body = models::MessageText::spoken(message.kind, caption,
                                                     message.media ? &*message.media : nullptr);
    const QString chatName = row >= 0 ? list->summary(row).name : sender;
    const bool group = row >= 0 && list->summary(row).kind == protocol::ConversationKind::Group;
    QString text;
    if (open) {
        //: Said by a screen reader for a new message in the open chat: sender, then the text.
        text = tr("%1: %2").arg(sender, body);
    } else if (m_settings && m_settings->hidePreviews()) {
        text = group ? tr("New message from %1 in %2").arg(sender, chatName)
                     : tr("New message from %1").arg(sender);
    } else {
        text = group ? tr("New message from %1 in %2: %3").arg(sender, chatName, body)
                     : tr("New message from %1: %2").arg(sender, body);
    }
    if (!m_quiet.isActive()) {
        announce(text);
        m_quiet.start();
        return;
    }
    Pending &pending = m_pending[message.conversation];
    pending.chatName = chatName;
    pending.group = group;
    pending.text = text;
    ++pending.count;
}

void Announcer::flush()
{
    if (m_pending.isEmpty())
        return;
    int total = 0;
    for (const Pending &pending : std::as_const(m_pending))
        total += pending.count;
    const Pending first = *m_pending.cbegin();
    const int chats = int(m_pending.size());
    m_pending.clear();
    if (total == 1)
        announce(first.text);
    else if (chats == 1 && first.group)
        announce(tr("%n new message(s) in %1", nullptr, total).arg(first.chatName));
    else if (chats == 1)
        announce(tr("%n new message(s) from %1", nullptr, total).arg(first.chatName));
    else
        announce(tr("%n new message(s) in %1 chats", nullptr, total).arg(chats));
    m_quiet.start();
}

} // namespace tern::app::ui
