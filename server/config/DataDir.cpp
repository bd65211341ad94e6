#include "server/config/DataDir.h"

#include "shared/core/Log.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace tern::server::config {

bool prepareDataDir(const QString &dir)
{
    constexpr QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup |
                                          QFile::ReadOther | QFile::WriteOther | QFile::ExeOther;
    if (QFileInfo(dir).isDir()) {
        if (QFile::permissions(dir) & others)
            qCWarning(lcServer).noquote()
                << "the data dir" << dir
                << "is open to other users of this computer: it holds every message and the "
                   "password hashes (chmod 700 it unless that is meant)";
        return true;
    }
    if (!QDir().mkpath(dir))
        return false;
    return QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

QString tlsDirectory(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("tls"));
}

QString tlsCertPath(const QString &dataDir)
{
    return QDir(tlsDirectory(dataDir)).filePath(QStringLiteral("cert.pem"));
}

QString tlsKeyPath(const QString &dataDir)
{
    return QDir(tlsDirectory(dataDir)).filePath(QStringLiteral("key.pem"));
}

QString adminSocketPath(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("ternd.admin"));
}

} // namespace tern::server::config
