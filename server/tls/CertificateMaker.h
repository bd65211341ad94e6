#pragma once

//! ternd's self-signed certificate, made and checked with OpenSSL (the only OpenSSL user).
//
// Pure functions on PEM bytes: no files, no Qt TLS. ServerCertificate keeps the files. Every
// call leaves OpenSSL's per-thread error queue empty: an error left behind there makes Qt's
// next TLS read on the same thread fail (Mumble saw this break every client's connection).

#include "shared/core/Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace tern::server::tls {

class CertificateMaker
{
public:
    struct Subject
    {
        QString commonName;   // cut to 64 characters (X.509's bound)
        QStringList dnsNames; // subjectAltName DNS entries
        QStringList ipAddresses;
    };
    struct Pair
    {
        QByteArray keyPem; // PKCS#8, unencrypted
        QByteArray certPem;
    };

    static constexpr int kValidityDays = 20 * 365;
    static constexpr long kBackdateSeconds = 3600; // notBefore = now - 1 h: clients' clock skew

    //! A new ECDSA P-256 key and a self-signed certificate for it (serverAuth, CA:FALSE).
    static Result<Pair> generate(const Subject &subject);
    //! Ok when `keyPem` is the private key of the first certificate in `certPem`; otherwise an
    //! error saying which of the two could not be read or that they do not belong together.
    static Status checkPair(const QByteArray &certPem, const QByteArray &keyPem);
};

} // namespace tern::server::tls
