#pragma once

// A self-signed certificate for localhost and 127.0.0.1, made with the `openssl` CLI in a
// temporary dir, for tests of wss:// (scripts/deps.sh installs openssl).

#include <QSslCertificate>
#include <QString>
#include <QTemporaryDir>

namespace tern::test {

//! The PEM certificate in `path`; null when the file cannot be read or holds none.
QSslCertificate readCertificate(const QString &path);

struct TestCertificate
{
    QTemporaryDir dir;
    QString certFile;
    QString keyFile;
    QString error; // empty when the files were made

    //! Makes a P-256 key and a certificate valid for two days.
    TestCertificate();
    bool ok() const { return error.isEmpty(); }
    //! The certificate in certFile (null when it was not made).
    QSslCertificate certificate() const { return readCertificate(certFile); }
};

} // namespace tern::test
