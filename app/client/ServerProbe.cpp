#include "app/client/ServerProbe.h"

#include "app/client/MediaUpload.h"
#include "app/client/PinnedNetworkAccess.h"
#include "app/client/TrustedServers.h"
#include "shared/protocol/HttpAnswers.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace tern::app::client {

namespace {
// A health answer is a small JSON object; anything bigger is not one.
constexpr qint64 kMaxAnswerBytes = 4096;
} // namespace

ServerProbe::ServerProbe(QObject *parent) : QObject(parent), m_http(new PinnedNetworkAccess(this))
{
    // The refusal comes queued, before the reply's finished(): kept for onFinished().
    connect(m_http, &PinnedNetworkAccess::certificateRefused, this,
            [this](const CertificateProblem &problem) {
                // Only the current check's (an abandoned one may still report).
                if (m_reply && m_reply->url().authority() == problem.server.authority())
                    m_problem = problem;
            });
}

void ServerProbe::setTrustedServers(TrustedServers *trusted)
{
    m_http->setTrustedServers(trusted);
}

ServerProbe::~ServerProbe() = default;

bool ServerProbe::isChecking() const
{
    return !m_reply.isNull();
}

void ServerProbe::check(const QUrl &server)
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    QNetworkRequest request(mediaApiBase(server).resolved(QUrl(QStringLiteral("/api/v1/health"))));
    request.setTransferTimeout(kTimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    m_problem = CertificateProblem();
    QNetworkReply *reply = m_http->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, server] { onFinished(reply, server); });
}

void ServerProbe::onFinished(QNetworkReply *reply, const QUrl &server)
{
    reply->deleteLater();
    if (m_reply == reply)
        m_reply = nullptr;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply->error();
    if (error == QNetworkReply::SslHandshakeFailedError) {
        m_problem.server = server;
        if (m_problem.presented.isNull()) // refused without a verdict (e.g. no certificate)
            m_problem.presented = reply->sslConfiguration().peerCertificate();
        emit finished(server,
                      m_problem.kind == CertificateProblem::Kind::Changed ? Outcome::Changed
                                                                          : Outcome::Untrusted,
                      reply->errorString());
        return;
    }
    if (status == 0) { // no HTTP answer at all
        emit finished(server, Outcome::NoAnswer, reply->errorString());
        return;
    }
    const Result<protocol::HealthAnswer> answer =
        protocol::decodeHttpAnswer<protocol::HealthAnswer>(reply->read(kMaxAnswerBytes));
    if (status == 200 && answer && answer->status == QLatin1String("ok")) {
        m_certificate = reply->sslConfiguration().peerCertificate();
        emit finished(server, Outcome::Ok, QString());
    } else
        emit finished(server, Outcome::NotTern, QStringLiteral("HTTP %1").arg(status));
}

} // namespace tern::app::client
