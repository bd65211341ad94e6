#pragma once

//! Decides whether a TLS server's certificate is acceptable: CA-trusted, or exactly the pinned one.
//
// Pure functions, shared by the WebSocket (ClientConnection) and the media HTTP replies
// (PinnedNetworkAccess), so both accept the same certificates. A pinned connection ignores only
// the errors a self-signed certificate raises (self-signed, name mismatch), and only for the
// pinned certificate itself: QSslError compares its certificate, so a different certificate
// still fails.
// Never the no-argument ignoreSslErrors().
// A pin is exact: a pinned connection trusts no CA but the pin itself (pinnedConfiguration), so
// even a certificate the system would trust is refused as Changed when it is not the pinned one
// (a CA-signed impostor, or a server that moved to a CA certificate: the user confirms it once).

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>

namespace tern::transport {

class PinVerifier
{
public:
    enum class Verdict {
        Accept,    //!< no errors (CA-trusted), or the pinned certificate with only pinnable errors
        Untrusted, //!< not CA-trusted and no pin (or the pinned one with another error)
        Changed,   //!< a pin exists and the server presented another certificate
    };

    //! The errors to ignore in advance on a socket/reply to a server pinned to `pin` (empty
    //! for a null pin): every pinnable error, each bound to `pin`.
    static QList<QSslError> expectedErrors(const QSslCertificate &pin);
    //! The verdict on `errors` reported for `presented`; `pin` null = no pin for this server.
    static Verdict judge(const QList<QSslError> &errors, const QSslCertificate &presented,
                         const QSslCertificate &pin);
    //! `base` with `pin` as its only trusted certificate: no system or app CA vouches for a
    //! pinned server.
    static QSslConfiguration pinnedConfiguration(QSslConfiguration base,
                                                 const QSslCertificate &pin);
    //! An error a self-signed certificate raises by nature, ignored for the pinned certificate.
    static bool isPinnable(QSslError::SslError error);
};

} // namespace tern::transport
