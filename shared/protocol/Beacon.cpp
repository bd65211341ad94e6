#include "shared/protocol/Beacon.h"

#include "shared/model/CertificateFingerprint.h"
#include "shared/model/Validation.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <cmath>

namespace tern::protocol {

namespace {
// The hex form is 95 characters: with a 64-character name it still fits (tst_lanbeacon).
constexpr qsizetype kSentFingerprintLength = 95;
// Read back in either form fingerprint::parse knows; room for spaces, nothing like a flood.
constexpr qsizetype kMaxFingerprintLength = 128;

bool hasControlCharacters(const QString &s)
{
    return std::any_of(s.cbegin(), s.cend(),
                       [](QChar c) { return c.isNull() || c.category() == QChar::Other_Control; });
}
} // namespace

QByteArray encodeBeacon(const Beacon &beacon)
{
    // Control characters could only confuse a listener's display; they carry no meaning.
    // Bidi and zero-width characters make the app ignore the beacon: they go too.
    QString name;
    for (const QChar c : beacon.name.left(kBeaconMaxNameLength)) {
        if (!c.isNull() && c.category() != QChar::Other_Control &&
            !validation::hasDisguisingCharacters(QString(c)))
            name.append(c);
    }
    auto encode = [&](const QString &n) {
        QJsonObject o{{QStringLiteral("tern"), kBeaconFormat},
                      {QStringLiteral("name"), n},
                      {QStringLiteral("port"), int(beacon.port)},
                      {QStringLiteral("tls"), beacon.tls}};
        if (!beacon.version.isEmpty())
            o.insert(QStringLiteral("version"), beacon.version.left(kBeaconMaxVersionLength));
        if (beacon.tls && !beacon.fingerprint.isEmpty())
            o.insert(QStringLiteral("fp"), beacon.fingerprint.left(kSentFingerprintLength));
        return QJsonDocument(o).toJson(QJsonDocument::Compact);
    };
    QByteArray bytes = encode(name);
    // 64 characters fit easily, but escaping can grow a name; shorten rather than send a
    // datagram every listener would drop.
    while (bytes.size() > kBeaconMaxDatagramBytes && !name.isEmpty()) {
        name.chop(1);
        bytes = encode(name);
    }
    return bytes;
}

std::optional<Beacon> decodeBeacon(const QByteArray &datagram)
{
    if (datagram.isEmpty() || datagram.size() > kBeaconMaxDatagramBytes)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(datagram, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();

    // Required fields are strict; a later beacon format would bump "tern".
    const QJsonValue tern = o.value(QLatin1String("tern"));
    if (!tern.isDouble() || tern.toDouble() != double(kBeaconFormat))
        return std::nullopt;
    const QJsonValue port = o.value(QLatin1String("port"));
    if (!port.isDouble())
        return std::nullopt;
    const double p = port.toDouble();
    if (!(p >= 1 && p <= 65535) || std::floor(p) != p)
        return std::nullopt;
    const QJsonValue name = o.value(QLatin1String("name"));
    // Shown in the server list: a name that could pose as another server's is not listed.
    if (!name.isString() || name.toString().size() > kBeaconMaxNameLength ||
        hasControlCharacters(name.toString()) ||
        validation::hasDisguisingCharacters(name.toString()))
        return std::nullopt;
    const QJsonValue tls = o.value(QLatin1String("tls"));
    if (!tls.isBool())
        return std::nullopt;

    Beacon beacon;
    beacon.port = quint16(p);
    beacon.name = name.toString();
    beacon.tls = tls.toBool();
    // Optional and informational only: a wrong type is ignored rather than fatal.
    const QJsonValue version = o.value(QLatin1String("version"));
    if (version.isString() && version.toString().size() <= kBeaconMaxVersionLength &&
        !hasControlCharacters(version.toString()))
        beacon.version = version.toString();
    // A malformed fingerprint is dropped, the beacon still listed.
    const QJsonValue fp = o.value(QLatin1String("fp"));
    if (beacon.tls && fp.isString() && fp.toString().size() <= kMaxFingerprintLength) {
        if (const std::optional<QByteArray> digest = fingerprint::parse(fp.toString()))
            beacon.fingerprint = fingerprint::hex(*digest);
    }
    return beacon;
}

} // namespace tern::protocol
