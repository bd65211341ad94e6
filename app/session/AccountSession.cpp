#include "app/session/AccountSession.h"

#include "app/cache/LocalStore.h"
#include "app/client/MediaDownloads.h"
#include "app/client/MediaTransfers.h"
#include "app/models/ConversationFilterModel.h"
#include "app/models/ConversationListModel.h"
#include "app/models/MessageListModel.h"
#include "app/models/UserDirectory.h"
#include "app/session/TokenVault.h"

#include <QDir>
#include <QRegularExpression>

namespace tern::app::session {

namespace {
// Message models kept loaded besides the open one: switching between a few chats is instant.
constexpr int kLoadedChats = 8;
} // namespace

QString AccountSession::accountKey(const QUrl &server, const QString &user)
{
    QString key = QStringLiteral("%1_%2_%3")
                      .arg(server.host().isEmpty() ? QStringLiteral("local") : server.host())
                      .arg(server.port(7070))
                      .arg(user.toLower());
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    return key.replace(unsafe, QStringLiteral("_"));
}

AccountSession::AccountSession(QString cacheDir, QString key, TokenVault *vault, QObject *parent)
    : QObject(parent), m_cacheDir(std::move(cacheDir)), m_key(std::move(key)), m_vault(vault)
{}

AccountSession::~AccountSession()
{
    qDeleteAll(m_messageModels);
    m_messageModels.clear();
    m_filter.reset();
    m_conversations.reset();
    m_users.reset();
    m_client.reset();
    m_store.reset();
}

Status AccountSession::open()
{
    QDir().mkpath(m_cacheDir);
    m_store = std::make_unique<cache::LocalStore>(
        QDir(m_cacheDir).filePath(m_key + QStringLiteral(".sqlite")));
    if (Status opened = m_store->open(); !opened.ok())
        return opened;
    m_client = std::make_unique<client::ChatClient>(m_store.get());
    m_client->connection()->setTrustedServers(m_trusted); // before its first connection
    m_client->media()->downloads()->setCacheDir(mediaCacheDir());
    m_users = std::make_unique<models::UserDirectory>(m_client.get(), m_store.get());
    m_conversations =
        std::make_unique<models::ConversationListModel>(m_client.get(), m_store.get());
    m_filter = std::make_unique<models::ConversationFilterModel>();
    m_filter->setSourceModel(m_conversations.get());
    connect(m_users.get(), &models::UserDirectory::namesChanged, this, &AccountSession::applyNames);
    applyNames();
    connect(m_client->connection(), &client::ChatConnection::authFailed, this,
            [this](const QString &, const QString &text) {
                if (m_vault && m_tokenInKeychain) {
                    QCoro::Task<Status> removing = m_vault->remove(m_key);
                    Q_UNUSED(removing);
                }
                emit sessionExpired(text);
            });
    m_tokenInKeychain = m_vault && m_vault->keychainAvailable();
    return Ok{};
}

void AccountSession::applyNames()
{
    const QHash<QString, QString> names = m_users->names();
    m_conversations->setDisplayNames(names);
    for (models::MessageListModel *model : std::as_const(m_messageModels))
        model->setDisplayNames(names);
}

QCoro::Task<Status> AccountSession::signIn(QUrl server, QString user, QString password,
                                           QString deviceName, QString displayName)
{
    QPointer<AccountSession> self(this);
    m_client->connection()->setServerUrl(server);
    if (!displayName.isEmpty()) {
        QCoro::Task<Result<QString>> registering =
            m_client->connection()->registerAccount(user, password, displayName);
        const Result<QString> registered = co_await std::move(registering);
        if (!self)
            co_return Error{ErrorCode::Internal, QStringLiteral("closed")};
        if (!registered.ok())
            co_return registered.error();
    }
    QCoro::Task<Result<client::Session>> loggingIn =
        m_client->connection()->login(user, password, deviceName);
    const Result<client::Session> session = co_await std::move(loggingIn);
    if (!self)
        co_return Error{ErrorCode::Internal, QStringLiteral("closed")};
    if (!session.ok())
        co_return session.error();
    if (m_vault && m_vault->keychainAvailable())
        moveTokenToKeychain(session->token);
    co_return Ok{};
}

QCoro::Task<> AccountSession::moveTokenToKeychain(QString token)
{
    QPointer<AccountSession> self(this);
    QCoro::Task<Status> writing = m_vault->write(m_key, token);
    const Status written = co_await std::move(writing);
    if (!self)
        co_return;
    if (!written.ok()) {
        // The cache file keeps it (ChatClient stored it there first): tell the user.
        m_tokenInKeychain = false;
        emit tokenStorageChanged(false);
        co_return;
    }
    QFuture<Status> cleared = m_store->setSetting(client::ChatConnection::kTokenKey, QString());
    co_await cleared;
    if (!self)
        co_return;
    m_tokenInKeychain = true;
    emit tokenStorageChanged(true);
}

QCoro::Task<Status> AccountSession::resume()
{
    QPointer<AccountSession> self(this);
    // The cache file first: it holds a token only when the keychain did not take it (none
    // works here, or the session predates it), and then that token is the newest one. So a
    // box without a keyring never asks one (and never waits out a hung keychain) on start.
    QCoro::Task<Status> fromCache = m_client->connection()->resume();
    const Status cached = co_await std::move(fromCache);
    if (!self)
        co_return Error{ErrorCode::Internal, QStringLiteral("closed")};
    if (cached.ok() || cached.error().code != ErrorCode::Unauthenticated) {
        m_tokenInKeychain = false;
        if (cached.ok() && m_vault && m_vault->keychainAvailable())
            emit tokenStorageChanged(false); // the UI says so once
        co_return cached;
    }
    if (!m_vault || !m_vault->keychainAvailable())
        co_return cached; // no token anywhere: signed out
    QCoro::Task<Result<QString>> reading = m_vault->read(m_key);
    const Result<QString> stored = co_await std::move(reading);
    if (!self)
        co_return Error{ErrorCode::Internal, QStringLiteral("closed")};
    if (!stored.ok()) {
        if (stored.error().code == ErrorCode::NotFound)
            co_return cached;
        // A locked or broken keychain is not a signed-out user: the caller keeps the account.
        co_return Error{ErrorCode::Internal, stored.error().message};
    }
    QCoro::Task<Status> resuming = m_client->connection()->resume(*stored);
    const Status resumed = co_await std::move(resuming);
    if (!self)
        co_return Error{ErrorCode::Internal, QStringLiteral("closed")};
    m_tokenInKeychain = true;
    co_return resumed;
}

QCoro::Task<Status> AccountSession::signOut()
{
    QPointer<AccountSession> self(this);
    QCoro::Task<Status> loggingOut = m_client->connection()->logout();
    const Status loggedOut = co_await std::move(loggingOut);
    if (!self)
        co_return loggedOut;
    if (m_vault && m_vault->keychainAvailable()) {
        QCoro::Task<Status> removing = m_vault->remove(m_key);
        co_await std::move(removing);
    }
    co_return loggedOut;
}

models::MessageListModel *
AccountSession::messages(const protocol::ConversationSummary &conversation)
{
    const QString id = conversation.conversation;
    m_recentChats.removeAll(id);
    m_recentChats.append(id);
    if (models::MessageListModel *model = m_messageModels.value(id))
        return model;
    auto *model = new models::MessageListModel(m_client.get(), m_store.get(), conversation);
    model->setDisplayNames(m_users->names());
    m_messageModels.insert(id, model);
    while (m_recentChats.size() > kLoadedChats + 1) {
        const QString oldest = m_recentChats.takeFirst();
        delete m_messageModels.take(oldest);
    }
    return model;
}

QFuture<Result<QString>> AccountSession::draft(const QString &conversation) const
{
    return m_store->draft(conversation);
}

QFuture<Result<QList<cache::LocalSearchHit>>>
AccountSession::searchMessages(const cache::SearchQuery &query) const
{
    return m_store->search(query);
}

QFuture<Status> AccountSession::setDraft(const QString &conversation, const QString &text)
{
    return m_store->setDraft(conversation, text);
}

} // namespace tern::app::session
