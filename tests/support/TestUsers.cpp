#include "tests/support/TestUsers.h"

#include "tests/support/TestUtil.h"

namespace tern::test {

TestUser createUser(const QUrl &url, const QString &prefix, const QString &displayName)
{
    TestUser user;
    user.name = uniqueName(prefix);
    user.password = QStringLiteral("password-123");
    user.displayName =
        displayName.isEmpty() ? QStringLiteral("User %1").arg(user.name) : displayName;
    std::unique_ptr<TestClient> client = connectClient(url);
    if (!client)
        return user;
    const QJsonObject reply = client->registerUser(user.name, user.password, user.displayName);
    if (!isAck(reply)) {
        qWarning("createUser(%s) failed: %s", qPrintable(user.name), qPrintable(toJson(reply)));
        return user;
    }
    user.userId = reply.value(QStringLiteral("user_id")).toString();
    return user;
}

Device loginDevice(const QUrl &url, const TestUser &user, const QString &deviceName)
{
    Device device;
    device.client = connectClient(url);
    if (!device.client)
        return device;
    device.login = device.client->login(user.name, user.password, deviceName);
    if (!device.login.ok())
        qWarning("loginDevice(%s, %s) failed: %s", qPrintable(user.name), qPrintable(deviceName),
                 qPrintable(toJson(device.login.reply)));
    return device;
}

Device reconnectDevice(const QUrl &url, const LoginInfo &login)
{
    Device device;
    device.client = connectClient(url);
    if (!device.client)
        return device;
    const QJsonObject reply = device.client->auth(login.token);
    if (isAck(reply)) {
        device.login = login;
        device.login.reply = reply;
    } else {
        qWarning("reconnectDevice failed: %s", qPrintable(toJson(reply)));
    }
    return device;
}

} // namespace tern::test
