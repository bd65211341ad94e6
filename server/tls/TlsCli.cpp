#include "TlsCli.h"

#include "server/config/DataDir.h"
#include "server/tls/ServerCertificate.h"

#include <QFileInfo>
#include <QLocalSocket>

namespace tern::server::tls {

int TlsCli::fingerprint(const QString &certFile)
{
    if (!QFileInfo::exists(certFile)) {
        m_err << "ternd: no TLS certificate at " << certFile
              << " yet; ternd makes it on its first start\n"
              << Qt::flush;
        return 1;
    }
    const auto certificate = ServerCertificate::loadCertificate(certFile);
    if (!certificate) {
        m_err << "ternd: " << certificate.error().message << "\n" << Qt::flush;
        return 1;
    }
    m_out << ServerCertificate::describe(*certificate) << "\n" << Qt::flush;
    return 0;
}

int TlsCli::regenerate(const QString &dataDir, const QString &serverName)
{
    // A live server keeps serving its old certificate from memory: the files and what apps see
    // would disagree until it restarts. Stop it first.
    if (serverRunning(dataDir)) {
        m_err << "ternd: a server is running on " << dataDir
              << "; stop it first, then regenerate its certificate\n"
              << Qt::flush;
        return 1;
    }
    const auto certificate = ServerCertificate::regenerate(dataDir, serverName);
    if (!certificate) {
        m_err << "ternd: " << certificate.error().message << "\n" << Qt::flush;
        return 1;
    }
    m_out << "New TLS certificate: " << ServerCertificate::certPath(dataDir) << "\n"
          << ServerCertificate::describe(*certificate) << "\n"
          << Qt::flush;
    m_err << "Warning: every app that trusted this server will now see that its identity "
             "changed and refuse to connect until its user compares and accepts the new "
             "fingerprint above. Hand it out to them.\n"
          << Qt::flush;
    return 0;
}

bool TlsCli::serverRunning(const QString &dataDir)
{
    // As admin::AdminChannel::listen decides: a socket that answers belongs to a live server.
    QLocalSocket probe;
    probe.connectToServer(config::adminSocketPath(dataDir));
    return probe.waitForConnected(1000);
}

} // namespace tern::server::tls
