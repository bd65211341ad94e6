#include "LanBeacon.h"

#include "shared/core/Log.h"
#include "shared/model/Validation.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tern::server::net {

LanBeacon::LanBeacon(QHostAddress target, quint16 targetPort, QObject *parent)
    : QObject(parent), m_target(std::move(target)), m_targetPort(targetPort)
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &LanBeacon::send);
}

LanBeacon::~LanBeacon() = default;

QByteArray LanBeacon::datagram(const Announcement &announcement)
{
    // Control characters could only confuse a listener's display; they carry no meaning.
    // Bidi and zero-width characters make the app ignore the beacon: they go too.
    QString name;
    for (const QChar c : announcement.name.left(kMaxNameLength)) {
        if (!c.isNull() && c.category() != QChar::Other_Control &&
            !validation::hasDisguisingCharacters(QString(c)))
            name.append(c);
    }
    auto encode = [&](const QString &n) {
        QJsonObject o{{QStringLiteral("tern"), 1},
                      {QStringLiteral("name"), n},
                      {QStringLiteral("port"), int(announcement.port)},
                      {QStringLiteral("tls"), announcement.tls}};
        if (!announcement.version.isEmpty())
            o.insert(QStringLiteral("version"), announcement.version.left(32));
        // 95 characters: with a 64-character name the datagram still fits (tst_lanbeacon).
        if (announcement.tls && !announcement.fingerprint.isEmpty())
            o.insert(QStringLiteral("fp"), announcement.fingerprint.left(95));
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    };
    QByteArray bytes = encode(name);
    // 64 characters fit easily, but escaping can grow a name; shorten rather than send a
    // datagram every listener would drop.
    while (bytes.size() > kMaxDatagramBytes && !name.isEmpty()) {
        name.chop(1);
        bytes = encode(name);
    }
    return bytes;
}

void LanBeacon::start(const Announcement &announcement)
{
    m_datagram = datagram(announcement);
    m_warned = false;
    qCInfo(lcNet) << "announcing" << announcement.name << "to" << m_target.toString() << "port"
                  << m_targetPort;
    // Announce at once so a listener sees a freshly started server without waiting a tick.
    send();
    m_timer.start();
}

void LanBeacon::stop()
{
    m_timer.stop();
}

void LanBeacon::send()
{
    const qint64 written = m_socket.writeDatagram(m_datagram, m_target, m_targetPort);
    if (written == m_datagram.size())
        return;
    // A network that is down (or has no broadcast route) is normal on a laptop; say so once
    // per start(), then keep trying quietly.
    if (!m_warned)
        qCWarning(lcNet) << "LAN announcement not sent:" << m_socket.errorString();
    else
        qCDebug(lcNet) << "LAN announcement not sent:" << m_socket.errorString();
    m_warned = true;
}

} // namespace tern::server::net
