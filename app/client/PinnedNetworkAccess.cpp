#include "app/client/PinnedNetworkAccess.h"

#include "app/client/TrustedServers.h"
#include "shared/core/Log.h"
#include "shared/transport/PinVerifier.h"

#include <QNetworkReply>
#include <QSslConfiguration>

namespace tern::app::client {

using transport::PinVerifier;

namespace {
const char *const kRefusedProperty = "ternCertificateRefused";
} // namespace

PinnedNetworkAccess::PinnedNetworkAccess(QObject *parent) : QNetworkAccessManager(parent)
{
    qRegisterMetaType<tern::app::client::CertificateProblem>();
}

PinnedNetworkAccess::~PinnedNetworkAccess() = default;

void PinnedNetworkAccess::setTrustedServers(TrustedServers *trusted)
{
    if (m_trusted)
        m_trusted->disconnect(this);
    m_trusted = trusted;
    if (trusted) {
        // A kept-alive connection was accepted under the old pin: never reuse it.
        connect(trusted, &TrustedServers::changed, this, [this] { clearConnectionCache(); });
    }
    clearConnectionCache();
}

bool PinnedNetworkAccess::wasRefused(const QNetworkReply *reply)
{
    return reply->property(kRefusedProperty).toBool();
}

QString PinnedNetworkAccess::errorText(const QNetworkReply *reply)
{
    if (wasRefused(reply))
        return QStringLiteral("the server's certificate is not the trusted one; nothing was sent");
    return reply->errorString();
}

QNetworkReply *PinnedNetworkAccess::createRequest(Operation op, const QNetworkRequest &request,
                                                  QIODevice *outgoingData)
{
    const QUrl url = request.url();
    if (url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) != 0)
        return QNetworkAccessManager::createRequest(op, request, outgoingData);
    QSslCertificate pin;
    if (m_trusted) {
        if (const std::optional<TrustedServers::Pin> pinned = m_trusted->pin(url))
            pin = pinned->certificate;
    }
    QNetworkRequest pinnedRequest(request);
    if (!pin.isNull())
        pinnedRequest.setSslConfiguration(
            PinVerifier::pinnedConfiguration(pinnedRequest.sslConfiguration(), pin));
    QNetworkReply *reply = QNetworkAccessManager::createRequest(op, pinnedRequest, outgoingData);
    if (!pin.isNull())
        reply->ignoreSslErrors(PinVerifier::expectedErrors(pin));
    connect(reply, &QNetworkReply::sslErrors, this,
            [this, reply, pin, url](const QList<QSslError> &errors) {
                QSslCertificate presented = reply->sslConfiguration().peerCertificate();
                if (presented.isNull() && !errors.isEmpty())
                    presented = errors.first().certificate();
                const PinVerifier::Verdict verdict = PinVerifier::judge(errors, presented, pin);
                if (verdict == PinVerifier::Verdict::Accept) {
                    reply->ignoreSslErrors(errors); // exactly these, for this certificate
                    return;
                }
                // Not ignored: the handshake fails and the reply finishes with
                // SslHandshakeFailedError.
                qCWarning(lcNet) << "certificate refused for" << url.host() << url.port() << errors;
                reply->setProperty(kRefusedProperty, true);
                const CertificateProblem problem =
                    TrustedServers::problemFor(m_trusted, url, presented, verdict);
                // Queued: this runs while Qt's HTTP thread waits for the verdict; a slot that opens
                // a dialog must not hold it.
                QMetaObject::invokeMethod(
                    this, [this, problem] { emit certificateRefused(problem); },
                    Qt::QueuedConnection);
            });
    return reply;
}

} // namespace tern::app::client
