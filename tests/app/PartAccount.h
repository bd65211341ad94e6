#pragma once

// One account for the client-part tests (tst_chatconnection, tst_outbox, tst_grouprequests):
// its cache file and a real ChatConnection, registered and logged in against a child ternd.
// The parts a test adds are made over `connection` and must be destroyed before it (reset()).
//
// Threading/lifetime: the test thread; waits spin its event loop.

#include "app/cache/LocalStore.h"
#include "app/client/BackoffPolicy.h"
#include "app/client/ChatConnection.h"
#include "tests/support/TestUtil.h"

#include <QFuture>
#include <QUrl>

#include <qcoro/qcorotask.h>

#include <memory>

namespace tern::test {

inline constexpr int kPartWaitMs = 20'000;

template <typename T> T take(QFuture<T> future)
{
    future.waitForFinished();
    return future.result();
}

struct PartAccount
{
    QString name;
    QString userId;
    std::unique_ptr<app::cache::LocalStore> store;
    std::unique_ptr<app::client::ChatConnection> connection;

    //! A cache file at `path` and a connection to `url` (short reconnect delays).
    bool build(const QString &path, const QUrl &url)
    {
        store = std::make_unique<app::cache::LocalStore>(path);
        if (!store->open().ok())
            return false;
        connection = std::make_unique<app::client::ChatConnection>(store.get());
        connection->setServerUrl(url);
        connection->setBackoffPolicy(app::client::BackoffPolicy(100, 800, 0.3));
        return true;
    }
    //! Registers `prefix`-unique and logs in; true once Online.
    bool signUp(const QString &prefix)
    {
        name = uniqueName(prefix);
        const Result<QString> registered = QCoro::waitFor(
            connection->registerAccount(name, QStringLiteral("password-123"), name.toUpper()));
        if (!registered) {
            qWarning("register failed: %s", qPrintable(registered.error().message));
            return false;
        }
        const Result<app::client::Session> session = QCoro::waitFor(
            connection->login(name, QStringLiteral("password-123"), QStringLiteral("laptop")));
        if (!session) {
            qWarning("login failed: %s", qPrintable(session.error().message));
            return false;
        }
        userId = session->userId;
        return spinUntil(
            [this] { return connection->state() == app::client::ChatConnection::State::Online; },
            kPartWaitMs);
    }
    //! The connection before its store: the connection uses the store.
    void reset()
    {
        connection.reset();
        store.reset();
    }
};

} // namespace tern::test
