#pragma once

//! `ternd fingerprint` and `ternd tls regenerate`: the certificate's commands, no server needed.

#include <QString>
#include <QTextStream>

namespace tern::server::tls {

class TlsCli
{
public:
    TlsCli(QTextStream &out, QTextStream &err) : m_out(out), m_err(err) {}

    //! Prints the two fingerprint forms of `certFile`; the process exit code.
    int fingerprint(const QString &certFile);
    //! Replaces DATA_DIR/tls's pair; refused while a ternd serves `dataDir`.
    int regenerate(const QString &dataDir, const QString &serverName);
    //! True when a ternd answers on `dataDir`'s admin socket.
    static bool serverRunning(const QString &dataDir);

private:
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace tern::server::tls
