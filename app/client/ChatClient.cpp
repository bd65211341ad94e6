#include "ChatClient.h"

#include "app/client/GroupRequests.h"
#include "app/client/Inbox.h"
#include "app/client/MediaTransfers.h"
#include "app/client/Outbox.h"

namespace tern::app::client {

ChatClient::ChatClient(cache::LocalStore *store, QObject *parent)
    : QObject(parent), m_connection(std::make_unique<ChatConnection>(store)),
      // The inbox first: its sync step (backlog, conversation list) runs before the outbox flush.
      m_inbox(std::make_unique<Inbox>(m_connection.get())),
      m_outbox(std::make_unique<Outbox>(m_connection.get())),
      m_groups(std::make_unique<GroupRequests>(m_connection.get())),
      m_media(std::make_unique<MediaTransfers>(m_connection.get(), m_outbox.get()))
{
    // A sent message may open a conversation the list does not know yet (a new direct chat).
    // Connected before anyone else listens, as the inbox learnt it before messageSent went out.
    connect(m_outbox.get(), &Outbox::messageSent, m_inbox.get(),
            [inbox = m_inbox.get()](const QString &, const QString &conversation, qint64) {
                inbox->noteConversation(conversation);
            });
}

ChatClient::~ChatClient() = default;

} // namespace tern::app::client
