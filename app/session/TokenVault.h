#pragma once

//! Keeps session tokens in the OS keychain (QtKeychain) when there is one, so the cache file on
//! disk need not hold them.
//
// Threading/lifetime: lives on the app's main thread. Each call starts one QKeychain job
// (parented to the vault) and awaits its finished() signal through a QFuture; a job that never
// finishes is given up after kJobTimeoutMs, so no caller stays suspended. Destroying the vault
// destroys its jobs, which completes their futures with an error; the coroutines re-check a
// QPointer after co_await and end without touching the vault.
//
// Availability: false when built without QtKeychain, when TERN_NO_KEYCHAIN=1 (tests, headless
// boxes) and, for the rest of the process, after a job reported that no backend works
// (NoBackendAvailable, OtherError such as "no D-Bus session", or a timeout). The caller then
// keeps the token where it did before (the account's cache).

#include "shared/core/Result.h"

#include <QObject>
#include <QString>

#include <qcoro/qcorotask.h>

namespace tern::app::session {

class TokenVault : public QObject
{
    Q_OBJECT
public:
    //! The keychain "service" every entry is filed under.
    static const QString kService;
    static constexpr int kJobTimeoutMs = 10'000;

    explicit TokenVault(QObject *parent = nullptr);
    ~TokenVault() override;

    //! Whether calls can reach a keychain (see the header comment for when it is false).
    bool keychainAvailable() const { return m_available; }

    //! The token stored under `key`; NotFound when there is none; Internal when the keychain
    //! is unavailable or failed (keychainAvailable() then tells whether to stop trying).
    [[nodiscard]] QCoro::Task<Result<QString>> read(QString key);
    [[nodiscard]] QCoro::Task<Status> write(QString key, QString token);
    //! Removing a key that is not there succeeds.
    [[nodiscard]] QCoro::Task<Status> remove(QString key);

signals:
    //! Emitted once when a failing backend turns the keychain off for this process.
    void keychainAvailableChanged(bool available);

private:
    void markUnavailable(const QString &why);

    bool m_available = false;
};

} // namespace tern::app::session
