#pragma once

// One user's app for the model tests (header-only, test thread): a LocalStore file and a
// ChatClient logged in to the fixture's in-process ternd. The client goes before its store.

#include "app/cache/LocalStore.h"
#include "app/client/BackoffPolicy.h"
#include "app/client/ChatClient.h"
#include "app/client/TrustedServers.h"
#include "tests/support/TestUtil.h"

#include <QDir>
#include <QUrl>

#include <qcoro/qcorotask.h>

#include <memory>

namespace tern::test {

//! Blocks on a store future (fine in tests: the store runs on its own thread).
template <typename T> T take(QFuture<T> future)
{
    future.waitForFinished();
    return future.result();
}

struct AppTestAccount
{
    QString name;
    QString path;
    QString userId;
    std::unique_ptr<app::cache::LocalStore> store;
    std::unique_ptr<app::client::ChatClient> client;

    //! A store on `path` and a client aimed at `url` (not connected).
    bool build(const QUrl &url)
    {
        store = std::make_unique<app::cache::LocalStore>(path);
        if (!store->open().ok())
            return false;
        client = std::make_unique<app::client::ChatClient>(store.get());
        if (url.isValid())
            client->connection()->setServerUrl(url);
        client->connection()->setBackoffPolicy(app::client::BackoffPolicy(100, 800, 0.3));
        return true;
    }
    void destroy()
    {
        client.reset();
        store.reset();
    }
    //! Registers (unless `registered`) and logs in; true once online. `trusted`: the pins a
    //! wss:// server's self-signed certificate is accepted by.
    bool login(const QString &dir, const QUrl &url, const QString &user, bool registered = false,
               app::client::TrustedServers *trusted = nullptr)
    {
        static const QString password = QStringLiteral("password-123");
        name = user;
        path = QDir(dir).filePath(user + QString::number(registered) + QStringLiteral(".sqlite"));
        if (!build(url))
            return false;
        if (trusted)
            client->connection()->setTrustedServers(trusted);
        if (!registered) {
            const Result<QString> created = QCoro::waitFor(
                client->connection()->registerAccount(user, password, user.toUpper()));
            if (!created)
                return false;
        }
        const auto session =
            QCoro::waitFor(client->connection()->login(user, password, QStringLiteral("pc")));
        if (!session)
            return false;
        userId = session->userId;
        return spinUntil(
            [this] {
                return client->connection()->state() == app::client::ChatConnection::State::Online;
            },
            20'000);
    }
};

} // namespace tern::test
