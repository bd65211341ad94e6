#include "app/client/TrustedServers.h"

#include "shared/core/Log.h"
#include "shared/model/CertificateFingerprint.h"

#include <QDir>
#include <QSettings>

namespace tern::app::client {

namespace {
const QString kGroup = QStringLiteral("servers");

quint16 portOf(const QUrl &server)
{
    const QString scheme = server.scheme().toLower();
    const bool secure = scheme == QLatin1String("wss") || scheme == QLatin1String("https");
    return quint16(server.port(secure ? 443 : 80));
}

QByteArray digestOf(const QSslCertificate &certificate)
{
    return fingerprint::sha256(certificate.toDer());
}
} // namespace

TrustedServers::TrustedServers(const QString &profileDir, QObject *parent)
    : QObject(parent), m_settings(new QSettings(QDir(profileDir).filePath(QLatin1String(kFileName)),
                                                QSettings::IniFormat, this))
{
    load();
}

TrustedServers::~TrustedServers() = default;

QString TrustedServers::keyOf(const QString &host, quint16 port)
{
    // Brackets keep an IPv6 host apart from the port, as in a URL; no '/' (a QSettings group).
    const QString h = host.toLower();
    return (h.contains(QLatin1Char(':')) ? QLatin1Char('[') + h + QLatin1Char(']') : h) +
           QLatin1Char(':') + QString::number(port);
}

void TrustedServers::load()
{
    m_settings->beginGroup(kGroup);
    const QStringList keys = m_settings->childGroups();
    for (const QString &key : keys) {
        m_settings->beginGroup(key);
        Pin pin;
        pin.host = m_settings->value(QStringLiteral("host")).toString().toLower();
        pin.port = quint16(m_settings->value(QStringLiteral("port")).toUInt());
        pin.certificate = QSslCertificate(
            m_settings->value(QStringLiteral("certificate")).toByteArray(), QSsl::Pem);
        pin.firstSeen = QDateTime::fromString(
            m_settings->value(QStringLiteral("first_seen")).toString(), Qt::ISODate);
        m_settings->endGroup();
        // A damaged entry is skipped (the server is asked about again), never fatal.
        if (pin.host.isEmpty() || pin.port == 0 || pin.certificate.isNull()) {
            qCWarning(lcStore) << "ignored a damaged trusted-server entry" << key;
            continue;
        }
        m_pins.insert(keyOf(pin.host, pin.port), pin);
    }
    m_settings->endGroup();
}

std::optional<TrustedServers::Pin> TrustedServers::pin(const QString &host, quint16 port) const
{
    const auto it = m_pins.constFind(keyOf(host, port));
    if (it == m_pins.cend())
        return std::nullopt;
    return *it;
}

std::optional<TrustedServers::Pin> TrustedServers::pin(const QUrl &server) const
{
    if (server.host().isEmpty())
        return std::nullopt;
    return pin(server.host(), portOf(server));
}

void TrustedServers::setPin(const QUrl &server, const QSslCertificate &certificate)
{
    if (server.host().isEmpty() || certificate.isNull())
        return;
    Pin pin{server.host().toLower(), portOf(server), certificate, QDateTime::currentDateTimeUtc()};
    const QString key = keyOf(pin.host, pin.port);
    m_pins.insert(key, pin);
    m_settings->beginGroup(kGroup);
    m_settings->remove(key);
    m_settings->beginGroup(key);
    m_settings->setValue(QStringLiteral("host"), pin.host);
    m_settings->setValue(QStringLiteral("port"), pin.port);
    m_settings->setValue(QStringLiteral("certificate"), QString::fromLatin1(certificate.toPem()));
    m_settings->setValue(QStringLiteral("sha256"), fingerprint::hex(digestOf(certificate)));
    m_settings->setValue(QStringLiteral("first_seen"), pin.firstSeen.toString(Qt::ISODate));
    m_settings->endGroup();
    m_settings->endGroup();
    m_settings->sync();
    emit changed(server);
}

void TrustedServers::removePin(const QUrl &server)
{
    if (server.host().isEmpty())
        return;
    const QString key = keyOf(server.host(), portOf(server));
    if (!m_pins.remove(key))
        return;
    m_settings->beginGroup(kGroup);
    m_settings->remove(key);
    m_settings->endGroup();
    m_settings->sync();
    emit changed(server);
}

std::optional<TrustedServers::Pin> TrustedServers::findByDigest(const QByteArray &sha256) const
{
    if (sha256.isEmpty())
        return std::nullopt;
    for (const Pin &pin : m_pins) {
        if (digestOf(pin.certificate) == sha256)
            return pin;
    }
    return std::nullopt;
}

QList<TrustedServers::Pin> TrustedServers::pins() const
{
    return m_pins.values();
}

CertificateProblem TrustedServers::problemFor(const TrustedServers *trusted, const QUrl &server,
                                              const QSslCertificate &presented,
                                              transport::PinVerifier::Verdict verdict)
{
    CertificateProblem problem;
    problem.server = server;
    problem.presented = presented;
    const std::optional<Pin> pinned = trusted ? trusted->pin(server) : std::nullopt;
    if (verdict == transport::PinVerifier::Verdict::Changed && pinned) {
        problem.kind = CertificateProblem::Kind::Changed;
        problem.pinned = pinned->certificate;
        problem.pinnedSince = pinned->firstSeen;
    }
    return problem;
}

bool TrustedServers::isSaved() const
{
    return m_settings->status() == QSettings::NoError;
}

} // namespace tern::app::client
