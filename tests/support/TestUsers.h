#pragma once

// Test accounts and logged-in devices, built over TestClient. Same thread rules as TestClient.

#include "tests/support/TestClient.h"

#include <QString>
#include <QUrl>

#include <memory>

namespace tern::test {

struct TestUser
{
    QString name;
    QString password;
    QString displayName;
    QString userId; // empty when registration failed
    bool ok() const { return !userId.isEmpty(); }
};

//! One logged-in (or re-authenticated) device: its connection and its credentials.
struct Device
{
    std::unique_ptr<TestClient> client;
    LoginInfo login;
    TestClient *operator->() const { return client.get(); }
    bool ok() const { return client && login.ok(); }
    const QString &userId() const { return login.userId; }
    const QString &deviceId() const { return login.deviceId; }
    const QString &token() const { return login.token; }
};

//! Registers a fresh user with a unique name derived from `prefix` (password "password-123").
TestUser createUser(const QUrl &url, const QString &prefix, const QString &displayName = {});
//! New connection + `login` as a new device; `ok()` is false on failure (logged).
Device loginDevice(const QUrl &url, const TestUser &user, const QString &deviceName);
//! New connection + `auth` with an existing device's token (a reconnect of that device).
Device reconnectDevice(const QUrl &url, const LoginInfo &login);

} // namespace tern::test
