#pragma once

//! A QNetworkAccessManager whose every https reply accepts the same certificates as the WebSocket:
//! CA-trusted, or exactly the one pinned for its host and port (TrustedServers, PinVerifier).
//
// Threading/lifetime: main thread. The pin is applied in createRequest(), i.e. right after each
// get()/post()/put()/deleteResource(), before the handshake starts; a refused handshake is
// aborted, so the request (its bearer token included) is never written. The manager's
// connection cache is cleared whenever a pin changes, so no connection made under the old pin
// is reused.

#include "app/client/CertificateProblem.h"

#include <QNetworkAccessManager>
#include <QPointer>

namespace tern::app::client {

class TrustedServers;

class PinnedNetworkAccess : public QNetworkAccessManager
{
    Q_OBJECT
public:
    explicit PinnedNetworkAccess(QObject *parent = nullptr);
    ~PinnedNetworkAccess() override;

    //! Not owned; null = CA-trusted certificates only.
    void setTrustedServers(TrustedServers *trusted);

    //! Whether `reply` failed because its certificate was refused.
    static bool wasRefused(const QNetworkReply *reply);
    //! The reply's error for a person: a clear one for a refused certificate, else Qt's.
    static QString errorText(const QNetworkReply *reply);

signals:
    //! A reply's handshake was refused for its certificate (`problem.server` is its URL).
    void certificateRefused(const tern::app::client::CertificateProblem &problem);

protected:
    QNetworkReply *createRequest(Operation op, const QNetworkRequest &request,
                                 QIODevice *outgoingData) override;

private:
    QPointer<TrustedServers> m_trusted;
};

} // namespace tern::app::client
