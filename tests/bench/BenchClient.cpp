#include "BenchClient.h"

#include <QJsonDocument>

namespace tern::bench {

BenchClient::BenchClient(QObject *parent) : QObject(parent)
{
    m_socket.setParent(this);
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        m_open = true;
        m_wasOpen = true;
        emit opened();
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_open = false;
        m_closed = true;
    });
    // Qt 6.4 names the signal error(), like the getter.
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this] {
        if (!m_wasOpen)
            m_failed = true;
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &BenchClient::onText);
    m_heartbeat.setInterval(10'000);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        if (m_open)
            m_socket.sendTextMessage(QStringLiteral("{\"type\":\"heartbeat\"}"));
    });
    m_heartbeat.start();
}

void BenchClient::open(const QUrl &url)
{
    m_failed = false;
    m_closed = false;
    m_socket.open(url);
}

void BenchClient::request(QJsonObject request, Reply onReply)
{
    const QString id = QStringLiteral("b%1").arg(m_nextId++);
    request.insert(QStringLiteral("id"), id);
    if (onReply)
        m_pending.insert(id, std::move(onReply));
    m_socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(request).toJson(QJsonDocument::Compact)));
}

QStringView rawField(const QString &frame, QLatin1StringView key)
{
    const QString pattern = QLatin1Char('"') + key + QLatin1String("\":");
    const qsizetype at = frame.indexOf(pattern);
    if (at < 0)
        return {};
    qsizetype begin = at + pattern.size();
    const bool quoted = begin < frame.size() && frame.at(begin) == QLatin1Char('"');
    if (quoted)
        ++begin;
    qsizetype end = begin;
    while (end < frame.size()) {
        const QChar c = frame.at(end);
        if (quoted ? c == QLatin1Char('"') : (c == QLatin1Char(',') || c == QLatin1Char('}')))
            break;
        ++end;
    }
    return QStringView(frame).mid(begin, end - begin);
}

void BenchClient::onText(const QString &text)
{
    if (onRawMessage && text.contains(QLatin1String("\"type\":\"message\""))) {
        onRawMessage(text);
        return;
    }
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = frame.value(QLatin1String("type")).toString();
    if (type == QLatin1String("ack") || type == QLatin1String("error")) {
        const QString id = frame.value(QLatin1String("id")).toString();
        auto it = m_pending.find(id);
        if (it != m_pending.end()) {
            Reply reply = std::move(it.value());
            m_pending.erase(it);
            reply(frame);
        } else if (onUnmatchedReply) {
            onUnmatchedReply(frame);
        }
        return;
    }
    if (type == QLatin1String("message")) {
        if (onMessage)
            onMessage(frame);
    } else if (onOtherEvent) {
        onOtherEvent(frame);
    }
}

} // namespace tern::bench
