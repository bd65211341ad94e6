#pragma once

//! Asks a server's `GET /api/v1/health` whether a Tern server answers at an address, so the
//! connect screen can say so before it asks for a password.
//
// Threading/lifetime: main thread; one check at a time (a new check() abandons the previous
// one). The reply is owned by the probe's QNetworkAccessManager and bounded by kTimeoutMs, so
// nothing blocks and a silent address ends as NoAnswer.

#include "app/client/CertificateProblem.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

class QNetworkReply;

namespace tern::app::client {

class PinnedNetworkAccess;
class TrustedServers;

class ServerProbe : public QObject
{
    Q_OBJECT
public:
    enum class Outcome {
        Ok,        //!< a Tern server answered
        NoAnswer,  //!< refused, no such host, or silent until the timeout
        NotTern,   //!< something answered, but not a Tern server's health check
        Untrusted, //!< a TLS server whose certificate is neither CA-trusted nor pinned
        Changed,   //!< a TLS server whose certificate is not the one pinned for it
    };
    Q_ENUM(Outcome)
    static constexpr int kTimeoutMs = 5'000;

    explicit ServerProbe(QObject *parent = nullptr);
    ~ServerProbe() override;

    //! Checks the server of a ws(s):// URL; emits finished() once (unless abandoned).
    void check(const QUrl &server);
    bool isChecking() const;
    //! The profile's pins (not owned): a pinned certificate is Ok, another one Changed.
    void setTrustedServers(TrustedServers *trusted);
    //! Of the last Untrusted/Changed outcome.
    const CertificateProblem &problem() const { return m_problem; }
    //! The certificate the last Ok wss:// check saw (null for ws:// or before one).
    QSslCertificate certificate() const { return m_certificate; }

signals:
    //! `detail` is the network's own words (for the error line), "" when Ok.
    void finished(const QUrl &server, tern::app::client::ServerProbe::Outcome outcome,
                  const QString &detail);

private:
    void onFinished(QNetworkReply *reply, const QUrl &server);

    PinnedNetworkAccess *m_http;
    QPointer<QNetworkReply> m_reply;
    CertificateProblem m_problem;
    QSslCertificate m_certificate;
};

} // namespace tern::app::client
