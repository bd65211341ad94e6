#include "tests/support/TestClient.h"

#include "tests/support/TestUtil.h"

#include <QJsonDocument>
#include <QUuid>

namespace tern::test {

namespace {
const QString kType = QStringLiteral("type");
const QString kId = QStringLiteral("id");
} // namespace

TestClient::TestClient(QObject *parent)
    : QObject(parent), m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
{
    connect(m_socket, &QWebSocket::textMessageReceived, this, &TestClient::onText);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &) {
        ++m_binaryFrames;
        emit frameReceived();
    });
    connect(m_socket, &QWebSocket::connected, this, [this] { m_connected = true; });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        m_connected = false;
        m_disconnected = true;
        m_closeCode = int(m_socket->closeCode());
        m_closeReason = m_socket->closeReason();
        m_heartbeat.stop();
    });
    connect(m_socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError error) {
                m_hadError = true;
                m_lastError = error;
            });
    m_heartbeat.setInterval(5'000);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        if (m_connected)
            m_socket->sendTextMessage(QStringLiteral("{\"type\":\"heartbeat\"}"));
    });
}

TestClient::~TestClient()
{
    m_heartbeat.stop();
    // Abort instead of a close handshake: the socket is destroyed right away anyway.
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
}

bool TestClient::open(const QUrl &url, int timeoutMs)
{
    m_connected = false;
    m_disconnected = false;
    m_hadError = false;
    m_closeCode = -1;
    m_socket->open(url);
    const bool done =
        spinUntil([this] { return m_connected || m_disconnected || m_hadError; }, timeoutMs);
    if (!done || !m_connected) {
        qWarning("TestClient: cannot open %s: %s", qPrintable(url.toString()),
                 qPrintable(m_socket->errorString()));
        m_socket->abort();
        return false;
    }
    if (m_autoHeartbeat)
        m_heartbeat.start();
    return true;
}

void TestClient::close(QWebSocketProtocol::CloseCode code)
{
    m_heartbeat.stop();
    m_socket->close(code);
}

void TestClient::abort()
{
    m_heartbeat.stop();
    m_socket->abort();
}

bool TestClient::waitForDisconnected(int timeoutMs)
{
    return spinUntil(
        [this] { return m_disconnected || m_socket->state() == QAbstractSocket::UnconnectedState; },
        timeoutMs);
}

void TestClient::setAutoHeartbeat(bool on)
{
    m_autoHeartbeat = on;
    if (on && m_connected)
        m_heartbeat.start();
    else
        m_heartbeat.stop();
}

QString TestClient::post(QJsonObject object)
{
    if (!object.contains(kId))
        object.insert(kId, newId());
    send(object);
    return object.value(kId).toString();
}

void TestClient::send(const QJsonObject &object)
{
    m_socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

void TestClient::sendRaw(const QString &text)
{
    m_socket->sendTextMessage(text);
}

void TestClient::sendRaw(const QByteArray &utf8)
{
    m_socket->sendTextMessage(QString::fromUtf8(utf8));
}

void TestClient::sendBinary(const QByteArray &data)
{
    m_socket->sendBinaryMessage(data);
}

QJsonObject TestClient::request(QJsonObject object, int timeoutMs)
{
    const QString id = post(std::move(object));
    const std::optional<QJsonObject> reply = waitForReply(id, timeoutMs);
    if (!reply) {
        qWarning("TestClient: no reply to request %s within %d ms", qPrintable(id), timeoutMs);
        return {};
    }
    return *reply;
}

std::optional<QJsonObject> TestClient::waitForReply(const QString &id, int timeoutMs)
{
    if (!spinUntil([&] { return m_replies.contains(id) || m_disconnected; }, timeoutMs))
        return std::nullopt;
    if (!m_replies.contains(id)) {
        // Disconnected: give frames already received a last chance to be processed.
        return std::nullopt;
    }
    return m_replies.value(id).constFirst();
}

bool TestClient::waitForReplies(const QStringList &ids, int timeoutMs)
{
    qsizetype checkedUpTo = 0; // ids before this index are known to have replies
    return spinUntil(
               [&] {
                   while (checkedUpTo < ids.size() && m_replies.contains(ids.at(checkedUpTo)))
                       ++checkedUpTo;
                   return checkedUpTo == ids.size() || m_disconnected;
               },
               timeoutMs) &&
           checkedUpTo == ids.size();
}

std::optional<QJsonObject> TestClient::reply(const QString &id) const
{
    const auto it = m_replies.constFind(id);
    if (it == m_replies.cend())
        return std::nullopt;
    return it->constFirst();
}

int TestClient::replyCount(const QString &id) const
{
    return int(m_replies.value(id).size());
}

std::optional<std::size_t> TestClient::findEvent(const QString &type,
                                                 const Predicate &predicate) const
{
    if (m_eventCounts.value(type) == 0)
        return std::nullopt;
    for (std::size_t i = 0; i < m_events.size(); ++i) {
        const QJsonObject &event = m_events[i];
        if (event.value(kType).toString() == type && (!predicate || predicate(event)))
            return i;
    }
    return std::nullopt;
}

std::optional<QJsonObject> TestClient::waitForEvent(const QString &type, int timeoutMs,
                                                    const Predicate &predicate)
{
    std::optional<std::size_t> index;
    spinUntil(
        [&] {
            index = findEvent(type, predicate);
            return index.has_value();
        },
        timeoutMs);
    if (!index)
        return std::nullopt;
    QJsonObject event = m_events[*index];
    m_events.erase(m_events.begin() + std::ptrdiff_t(*index));
    --m_eventCounts[type];
    return event;
}

bool TestClient::expectNoEvent(const QString &type, const Predicate &predicate)
{
    const std::optional<std::size_t> index = findEvent(type, predicate);
    if (index) {
        qWarning("TestClient: unexpected %s event: %s", qPrintable(type),
                 qPrintable(toJson(m_events[*index])));
        return false;
    }
    return true;
}

bool TestClient::barrier(int timeoutMs)
{
    const QString id = post({{kType, QStringLiteral("heartbeat")}});
    const std::optional<QJsonObject> ack = waitForReply(id, timeoutMs);
    if (!ack || !isAck(*ack)) {
        qWarning("TestClient: barrier %s not acknowledged: %s", qPrintable(id),
                 qPrintable(ack ? toJson(*ack) : QStringLiteral("no reply")));
        return false;
    }
    return true;
}

bool TestClient::waitForEventCount(const QString &type, int count, int timeoutMs)
{
    return spinUntil([&] { return m_eventCounts.value(type) >= count; }, timeoutMs);
}

QList<QJsonObject> TestClient::takeEvents(const QString &type)
{
    QList<QJsonObject> taken;
    if (type.isEmpty()) {
        taken.reserve(qsizetype(m_events.size()));
        for (QJsonObject &event : m_events)
            taken.append(std::move(event));
        m_events.clear();
        m_eventCounts.clear();
        return taken;
    }
    std::deque<QJsonObject> kept;
    for (QJsonObject &event : m_events) {
        if (event.value(kType).toString() == type)
            taken.append(std::move(event));
        else
            kept.push_back(std::move(event));
    }
    m_events.swap(kept);
    m_eventCounts.remove(type);
    return taken;
}

void TestClient::clearEvents()
{
    m_events.clear();
    m_eventCounts.clear();
}

void TestClient::onText(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        ++m_unparsable;
        qWarning("TestClient: server sent a frame that is not a JSON object: %s",
                 qPrintable(text.left(300)));
        emit frameReceived();
        return;
    }
    QJsonObject object = document.object();
    const QString type = object.value(kType).toString();
    const QJsonValue id = object.value(kId);
    if ((type == QStringLiteral("ack") || type == QStringLiteral("error")) && id.isString()) {
        m_replies[id.toString()].append(object);
        m_replyLog.append(object);
        ++m_totalReplies;
    } else {
        if (m_stripContent && type == QStringLiteral("message"))
            object.remove(QStringLiteral("content"));
        m_events.push_back(std::move(object));
        ++m_eventCounts[type];
    }
    emit frameReceived();
}

QJsonObject TestClient::registerUser(const QString &user, const QString &password,
                                     const QString &displayName)
{
    QJsonObject object{{kType, QStringLiteral("register")},
                       {QStringLiteral("user"), user},
                       {QStringLiteral("password"), password}};
    if (!displayName.isEmpty())
        object.insert(QStringLiteral("display_name"), displayName);
    return request(object);
}

LoginInfo TestClient::login(const QString &user, const QString &password, const QString &device)
{
    LoginInfo info;
    info.reply = request({{kType, QStringLiteral("login")},
                          {QStringLiteral("user"), user},
                          {QStringLiteral("password"), password},
                          {QStringLiteral("device"), device}});
    if (isAck(info.reply)) {
        info.token = info.reply.value(QStringLiteral("token")).toString();
        info.userId = info.reply.value(QStringLiteral("user_id")).toString();
        info.deviceId = info.reply.value(QStringLiteral("device_id")).toString();
    }
    return info;
}

QJsonObject TestClient::auth(const QString &token)
{
    return request({{kType, QStringLiteral("auth")}, {QStringLiteral("token"), token}});
}

QJsonObject TestClient::messageObject(const QString &to, const QString &content, const QString &id)
{
    return {{kType, QStringLiteral("message")},
            {kId, id.isEmpty() ? newId() : id},
            {QStringLiteral("to"), to},
            {QStringLiteral("kind"), QStringLiteral("text")},
            {QStringLiteral("content"), content}};
}

QJsonObject TestClient::sendMessage(const QString &to, const QString &content, const QString &id)
{
    return request(messageObject(to, content, id));
}

QString TestClient::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

std::unique_ptr<TestClient> connectClient(const QUrl &url)
{
    auto client = std::make_unique<TestClient>();
    if (!client->open(url))
        return nullptr;
    return client;
}

} // namespace tern::test
