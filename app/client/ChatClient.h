#pragma once

//! One account's client as the session holds it: the connection core and its feature parts.
//! The UI and the models talk to the part they need (connection(), outbox(), inbox(),
//! groups(), media()); this class only makes and wires them.
//
// Threading/lifetime: main thread. Every part states its own rules in its header; the common
// ones: coroutines take parameters by value and re-check a QPointer to their part after every
// co_await; a coroutine that started on an earlier connection (ChatConnection::generation())
// stops instead of acting on the new one; destroying the client destroys the parts first and
// the connection last, whose destructor fails every pending request (Cancelled), so no
// awaiting coroutine is left suspended and none resumes into a destroyed part. The LocalStore
// is not owned and must outlive the client.

#include "app/client/ChatConnection.h"

#include <QObject>

#include <memory>

namespace tern::app::cache {
class LocalStore;
}

namespace tern::app::client {

class GroupRequests;
class Inbox;
class MediaTransfers;
class Outbox;

class ChatClient : public QObject
{
    Q_OBJECT
public:
    explicit ChatClient(cache::LocalStore *store, QObject *parent = nullptr);
    ~ChatClient() override;

    //! State, reconnect, pins, login/resume/logout, typed calls, raw server events.
    ChatConnection *connection() const { return m_connection.get(); }
    //! Durable outgoing messages.
    Outbox *outbox() const { return m_outbox.get(); }
    //! Sync, incoming messages and events, conversation list, history, presence, user names.
    Inbox *inbox() const { return m_inbox.get(); }
    //! Group management and receipts.
    GroupRequests *groups() const { return m_groups.get(); }
    //! Media messages (uploads) and downloads.
    MediaTransfers *media() const { return m_media.get(); }

private:
    // Declared in this order so that they are destroyed in the reverse one: parts first.
    std::unique_ptr<ChatConnection> m_connection;
    std::unique_ptr<Inbox> m_inbox;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<GroupRequests> m_groups;
    std::unique_ptr<MediaTransfers> m_media;
};

} // namespace tern::app::client
