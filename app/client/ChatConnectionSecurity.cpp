// ChatConnection: certificate pins and the security of the connection (see ChatConnection.h).
#include "ChatConnection.h"

#include "app/client/TrustedServers.h"
#include "shared/core/Log.h"
#include "shared/model/CertificateFingerprint.h"
#include "shared/transport/ClientConnection.h"

#include <QSslConfiguration>

namespace tern::app::client {

namespace {
QString protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_3:
        return QStringLiteral("TLS 1.3");
    case QSsl::TlsV1_2:
        return QStringLiteral("TLS 1.2");
    default:
        return QStringLiteral("TLS");
    }
}

bool sameServer(const QUrl &a, const QUrl &b)
{
    const auto portOf = [](const QUrl &url) {
        const QString scheme = url.scheme().toLower();
        return url.port(scheme == QLatin1String("wss") || scheme == QLatin1String("https") ? 443
                                                                                           : 80);
    };
    return a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && portOf(a) == portOf(b);
}
} // namespace

void ChatConnection::setTrustedServers(TrustedServers *trusted)
{
    if (m_trusted)
        m_trusted->disconnect(this);
    m_trusted = trusted;
    if (trusted)
        connect(trusted, &TrustedServers::changed, this, &ChatConnection::onPinChanged);
    emit trustedServersChanged(trusted);
}

TrustedServers *ChatConnection::trustedServers() const
{
    return m_trusted;
}

QSslCertificate ChatConnection::pinFor(const QUrl &url) const
{
    if (!m_trusted)
        return QSslCertificate();
    const std::optional<TrustedServers::Pin> pin = m_trusted->pin(url);
    return pin ? pin->certificate : QSslCertificate();
}

void ChatConnection::onCertificateRefused(const QSslCertificate &presented,
                                          transport::PinVerifier::Verdict verdict)
{
    // Set before `disconnected` (which follows at once): no automatic retry.
    m_refused = true;
    m_problem = TrustedServers::problemFor(m_trusted, m_url, presented, verdict);
    emit certificateRefused(*m_problem);
}

void ChatConnection::noteCertificateProblem(const CertificateProblem &problem)
{
    m_problem = problem;
    emit certificateRefused(problem);
}

void ChatConnection::onPinChanged(const QUrl &server)
{
    if (!sameServer(server, m_url))
        return;
    // The HTTP manager clears its own connection cache (PinnedNetworkAccess).
    emit trustMayHaveChanged(); // restarts the uploads that were refused
    if (!m_refused)
        return;
    m_refused = false;
    if (m_wantOnline && !m_token.isEmpty())
        connectNow();
}

void ChatConnection::updateSecurity()
{
    ConnectionSecurity security;
    const QSslConfiguration ssl = m_connection->sslConfiguration();
    const QSslCertificate peer = ssl.isNull() ? QSslCertificate() : ssl.peerCertificate();
    if (!peer.isNull()) {
        security.encrypted = true;
        security.certificate = peer;
        const QSslCertificate pin = pinFor(m_url);
        security.pinned =
            !pin.isNull() && fingerprint::sha256(pin.toDer()) == fingerprint::sha256(peer.toDer());
        security.protocol = protocolName(ssl.sessionProtocol());
    }
    m_security = security;
    emit connectionSecurityChanged();
}

Error ChatConnection::refusedError() const
{
    // A transport failure (code `internal`, like every other failure to connect); the UI also
    // has certificateProblem(), which is set, and shows the certificate dialog from
    // certificateRefused.
    if (m_problem && m_problem->kind == CertificateProblem::Kind::Changed)
        return transportError(
            TransportFailure::CertificateRefused,
            QStringLiteral("the server's certificate has changed; nothing was sent"));
    return transportError(
        TransportFailure::CertificateRefused,
        QStringLiteral("the server's certificate is not trusted yet; nothing was sent"));
}

} // namespace tern::app::client
