#pragma once

//! One signed-in account: its cache file, its ChatClient and the app-wide models over them.
//
// The UI holds one AccountSession at a time and reaches the network and the cache only through
// it (client(), the models). Destruction order matters: models and the client go before the
// store they read (members are declared in that order). The session token lives in the OS
// keychain through TokenVault when one works; otherwise ChatClient keeps it in the account's
// cache file and tokenInKeychain() is false, so the UI can warn.

#include "app/cache/CacheTypes.h"
#include "app/client/ChatClient.h"
#include "app/client/TrustedServers.h"
#include "shared/core/Result.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <qcoro/qcorotask.h>

#include <memory>

namespace tern::app::cache {
class LocalStore;
}
namespace tern::app::models {
class ConversationListModel;
class ConversationFilterModel;
class MessageListModel;
class UserDirectory;
} // namespace tern::app::models

namespace tern::app::session {

class TokenVault;

class AccountSession : public QObject
{
    Q_OBJECT
public:
    //! A file-name-safe key for an account on a server ("host_port_user").
    static QString accountKey(const QUrl &server, const QString &user);

    //! `cacheDir/<key>.sqlite` is the account's cache; `vault` may be null (no keychain).
    AccountSession(QString cacheDir, QString key, TokenVault *vault, QObject *parent = nullptr);
    ~AccountSession() override;

    //! The profile's pins (not owned), given to the client: call before open().
    void setTrustedServers(client::TrustedServers *trusted) { m_trusted = trusted; }
    //! Opens (creating) the cache file; milliseconds, once, before anything else.
    Status open();
    QString key() const { return m_key; }
    //! Downloaded media of this account (by media id), and pasted pictures waiting to be sent.
    QString mediaCacheDir() const
    {
        return m_cacheDir + QLatin1Char('/') + m_key + QStringLiteral("-media");
    }
    QString outgoingDir() const { return mediaCacheDir() + QStringLiteral("/outgoing"); }

    client::ChatClient *client() const { return m_client.get(); }
    cache::LocalStore *store() const { return m_store.get(); }
    models::ConversationListModel *conversations() const { return m_conversations.get(); }
    models::ConversationFilterModel *filteredConversations() const { return m_filter.get(); }
    models::UserDirectory *users() const { return m_users.get(); }

    //! Registers (when `displayName` is set) and then logs in as a new device.
    [[nodiscard]] QCoro::Task<Status> signIn(QUrl server, QString user, QString password,
                                             QString deviceName, QString displayName);
    //! Goes online with the stored session: the token in the cache file, else the keychain's.
    //! Unauthenticated when there is none; Internal (keep the account) when the keychain
    //! could not be read.
    [[nodiscard]] QCoro::Task<Status> resume();
    //! Revokes this device's token, forgets it everywhere.
    [[nodiscard]] QCoro::Task<Status> signOut();
    //! False when the token had to be kept in the cache file (no working keychain).
    bool tokenInKeychain() const { return m_tokenInKeychain; }

    //! The message model of a chat, created on first use; the few most recent stay loaded so
    //! switching back is instant and keeps its rows.
    models::MessageListModel *messages(const protocol::ConversationSummary &conversation);

    //! A chat's unsent text, kept in the cache (the UI reaches the cache only through here).
    QFuture<Result<QString>> draft(const QString &conversation) const;
    //! An empty text removes the draft.
    QFuture<Status> setDraft(const QString &conversation, const QString &text);
    //! Full-text search of the cached messages (LocalStore::search), e.g. find in one chat.
    QFuture<Result<QList<cache::LocalSearchHit>>>
    searchMessages(const cache::SearchQuery &query) const;

signals:
    //! The server refused the stored session; the UI goes back to the connect screen.
    void sessionExpired(const QString &reason);
    //! false also when resume() used the cache's token although a keychain seemed available.
    void tokenStorageChanged(bool inKeychain);

private:
    QCoro::Task<> moveTokenToKeychain(QString token);
    void applyNames();

    QString m_cacheDir;
    QString m_key;
    QPointer<TokenVault> m_vault;
    QPointer<client::TrustedServers> m_trusted;
    bool m_tokenInKeychain = false;
    std::unique_ptr<cache::LocalStore> m_store;
    std::unique_ptr<client::ChatClient> m_client;
    std::unique_ptr<models::UserDirectory> m_users;
    std::unique_ptr<models::ConversationListModel> m_conversations;
    std::unique_ptr<models::ConversationFilterModel> m_filter;
    QHash<QString, models::MessageListModel *> m_messageModels; // owned (children of this)
    QStringList m_recentChats;                                  // most recent last
};

} // namespace tern::app::session
