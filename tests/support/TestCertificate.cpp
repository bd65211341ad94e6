#include "tests/support/TestCertificate.h"

#include <QFile>
#include <QProcess>

namespace tern::test {

QSslCertificate readCertificate(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QSslCertificate(file.readAll(), QSsl::Pem)
                                          : QSslCertificate();
}

TestCertificate::TestCertificate()
    : certFile(dir.filePath(QStringLiteral("cert.pem"))),
      keyFile(dir.filePath(QStringLiteral("key.pem")))
{
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                   "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                   "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", keyFile, "-out",
                   certFile});
    if (!openssl.waitForFinished(30'000))
        error = QStringLiteral("openssl did not finish");
    else if (openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0)
        error = QString::fromUtf8(openssl.readAllStandardError());
}

} // namespace tern::test
