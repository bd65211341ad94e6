#pragma once

//! ternd's TLS certificate files: DATA_DIR/tls/{cert,key}.pem made on first start, then kept.
//
// The certificate is the server's identity: apps pin it on first use, so it must never change
// behind the admin's back. A missing pair is made (CertificateMaker); anything else that is
// wrong (one file missing, unreadable, corrupt, key not matching) is an error naming the file,
// and ternd refuses to start. Only `ternd tls regenerate` replaces a pair.
//
// Files: tls/ is 0700; key.pem is created with O_EXCL at 0600 whatever the umask, cert.pem is
// 0644; each is written to a temporary name, fsynced and renamed. Blocking disk and CPU work:
// call at startup or from the CLI, never on the socket thread while it serves.

#include "server/tls/CertificateMaker.h"
#include "shared/core/Result.h"

#include <QSslCertificate>
#include <QString>

namespace tern::server::tls {

class ServerCertificate
{
public:
    static QString directory(const QString &dataDir);
    static QString certPath(const QString &dataDir);
    static QString keyPath(const QString &dataDir);

    //! Reads and checks a pair (the key must belong to the certificate).
    static Result<QSslCertificate> load(const QString &certFile, const QString &keyFile);
    //! Reads only a certificate (`ternd fingerprint`); the error names the file.
    static Result<QSslCertificate> loadCertificate(const QString &certFile);
    //! The pair in DATA_DIR/tls, made when neither file exists (`*created` then true).
    static Result<QSslCertificate> loadOrCreate(const QString &dataDir, const QString &serverName,
                                                bool *created = nullptr);
    //! Replaces the pair in DATA_DIR/tls with a new one.
    static Result<QSslCertificate> regenerate(const QString &dataDir, const QString &serverName);

    //! CN `ternd <name>` (host name when empty); SAN: host, host.local, localhost, loopback
    //! and this machine's current (non-link-local) interface addresses.
    static CertificateMaker::Subject subjectFor(const QString &serverName);
    //! Both fingerprint forms on one line each, for the log and `ternd fingerprint`.
    static QString describe(const QSslCertificate &certificate);
};

} // namespace tern::server::tls
