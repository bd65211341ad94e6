#include "ServerCertificate.h"

#include "server/config/DataDir.h"
#include "shared/core/Log.h"
#include "shared/model/CertificateFingerprint.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QNetworkInterface>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tern::server::tls {

namespace {
QString systemError(const QString &what, const QString &path)
{
    return QStringLiteral("cannot %1 %2: %3")
        .arg(what, path, QString::fromLocal8Bit(std::strerror(errno)));
}

//! Writes `bytes` to `path` through `path.tmp`: created O_EXCL with exactly `mode`, fsynced,
//! renamed over `path`. A reader sees the old file or the new one, never half of one.
Status writeFileAtomically(const QString &path, const QByteArray &bytes, mode_t mode)
{
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temp = target + ".tmp";
    ::unlink(temp.constData()); // left over from a run that died mid-write
    const int fd = ::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return Error{ErrorCode::Internal, systemError(QStringLiteral("create"), path + ".tmp")};
    // The umask may only have taken bits away; set exactly what is asked for.
    bool ok = ::fchmod(fd, mode) == 0;
    for (qsizetype done = 0; ok && done < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        done += ok ? n : 0;
    }
    ok = ok && ::fsync(fd) == 0;
    const QString error = ok ? QString() : systemError(QStringLiteral("write"), path + ".tmp");
    ::close(fd);
    if (!ok || ::rename(temp.constData(), target.constData()) != 0) {
        const QString message = ok ? systemError(QStringLiteral("rename to"), path) : error;
        ::unlink(temp.constData());
        return Error{ErrorCode::Internal, message};
    }
    return Ok{};
}

void syncDirectory(const QString &dir)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

Result<QByteArray> readFile(const QString &path, const QString &what)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{
            ErrorCode::Internal,
            QStringLiteral("cannot read the TLS %1 %2: %3").arg(what, path, file.errorString())};
    return file.readAll();
}

Result<QSslCertificate> writePair(const QString &dataDir, const QString &serverName)
{
    const QString dir = ServerCertificate::directory(dataDir);
    if (!QDir().mkpath(dir) || ::chmod(QFile::encodeName(dir).constData(), 0700) != 0)
        return Error{ErrorCode::Internal, systemError(QStringLiteral("create"), dir)};
    auto pair = CertificateMaker::generate(ServerCertificate::subjectFor(serverName));
    if (!pair)
        return pair.error();
    // The key first: a crash between the two renames leaves a pair that does not match, which
    // ternd refuses to serve with (it never silently serves a certificate without its key).
    if (Status written =
            writeFileAtomically(ServerCertificate::keyPath(dataDir), pair->keyPem, 0600);
        !written)
        return written.error();
    if (Status written =
            writeFileAtomically(ServerCertificate::certPath(dataDir), pair->certPem, 0644);
        !written)
        return written.error();
    syncDirectory(dir);
    const QList<QSslCertificate> certs = QSslCertificate::fromData(pair->certPem);
    if (certs.isEmpty())
        return Error{ErrorCode::Internal, QStringLiteral("the new certificate does not parse")};
    return certs.first();
}

bool isHostName(const QString &name)
{
    static const QRegularExpression valid(
        QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$"));
    return valid.match(name).hasMatch();
}
} // namespace

QString ServerCertificate::directory(const QString &dataDir)
{
    return config::tlsDirectory(dataDir);
}

QString ServerCertificate::certPath(const QString &dataDir)
{
    return config::tlsCertPath(dataDir);
}

QString ServerCertificate::keyPath(const QString &dataDir)
{
    return config::tlsKeyPath(dataDir);
}

Result<QSslCertificate> ServerCertificate::loadCertificate(const QString &certFile)
{
    auto pem = readFile(certFile, QStringLiteral("certificate"));
    if (!pem)
        return pem.error();
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*pem);
    if (chain.isEmpty() || chain.first().isNull())
        return Error{ErrorCode::BadRequest,
                     QStringLiteral("%1 is not a PEM certificate (corrupt?)").arg(certFile)};
    return chain.first();
}

Result<QSslCertificate> ServerCertificate::load(const QString &certFile, const QString &keyFile)
{
    auto certificate = loadCertificate(certFile);
    if (!certificate)
        return certificate;
    auto certPem = readFile(certFile, QStringLiteral("certificate"));
    auto keyPem = readFile(keyFile, QStringLiteral("key"));
    if (!keyPem)
        return keyPem.error();
    if (!certPem)
        return certPem.error();
    if (Status matching = CertificateMaker::checkPair(*certPem, *keyPem); !matching) {
        if (matching.error().code == ErrorCode::Conflict)
            return Error{ErrorCode::Conflict,
                         QStringLiteral("the TLS key %1 does not belong to the certificate %2")
                             .arg(keyFile, certFile)};
        return Error{ErrorCode::BadRequest, QStringLiteral("%1 is not a usable private key (%2)")
                                                .arg(keyFile, matching.error().message)};
    }
    const QFileInfo key(keyFile);
    if (key.permissions() & (QFile::ReadGroup | QFile::ReadOther))
        qCWarning(lcServer).noquote()
            << "the TLS key" << keyFile << "is readable by other users; chmod 600 it";
    return certificate;
}

Result<QSslCertificate> ServerCertificate::loadOrCreate(const QString &dataDir,
                                                        const QString &serverName, bool *created)
{
    if (created)
        *created = false;
    const QString cert = certPath(dataDir);
    const QString key = keyPath(dataDir);
    const bool haveCert = QFileInfo::exists(cert);
    const bool haveKey = QFileInfo::exists(key);
    if (haveCert && haveKey)
        return load(cert, key);
    if (haveCert || haveKey)
        return Error{ErrorCode::Conflict,
                     QStringLiteral("%1 is missing but %2 is there: restore it from a backup, or "
                                    "run `ternd tls regenerate` (every app will then see a "
                                    "changed server identity)")
                         .arg(haveCert ? key : cert, haveCert ? cert : key)};
    auto made = writePair(dataDir, serverName);
    if (made && created)
        *created = true;
    return made;
}

Result<QSslCertificate> ServerCertificate::regenerate(const QString &dataDir,
                                                      const QString &serverName)
{
    return writePair(dataDir, serverName);
}

CertificateMaker::Subject ServerCertificate::subjectFor(const QString &serverName)
{
    const QString host = QHostInfo::localHostName();
    CertificateMaker::Subject subject;
    subject.commonName = QStringLiteral("ternd ") + (serverName.isEmpty() ? host : serverName);
    if (isHostName(host)) {
        subject.dnsNames << host;
        if (!host.endsWith(QLatin1String(".local"), Qt::CaseInsensitive))
            subject.dnsNames << host + QStringLiteral(".local");
    }
    if (!subject.dnsNames.contains(QLatin1String("localhost"), Qt::CaseInsensitive))
        subject.dnsNames << QStringLiteral("localhost");
    subject.ipAddresses << QStringLiteral("127.0.0.1") << QStringLiteral("::1");
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        // Link-local addresses need a scope (%eth0) that a certificate cannot hold.
        if (address.isLoopback() || address.isLinkLocal() || !address.scopeId().isEmpty())
            continue;
        const QString text = address.toString();
        if (!subject.ipAddresses.contains(text))
            subject.ipAddresses << text;
    }
    return subject;
}

QString ServerCertificate::describe(const QSslCertificate &certificate)
{
    const QByteArray digest = fingerprint::sha256(certificate.toDer());
    return QStringLiteral("SHA-256 fingerprint: %1\nSHA-256 (OpenSSL form): %2")
        .arg(fingerprint::grouped(digest), fingerprint::hex(digest));
}

} // namespace tern::server::tls
