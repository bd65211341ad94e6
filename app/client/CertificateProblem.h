#pragma once

//! Why a server's TLS certificate was refused: what the UI shows to trust it or to warn.

#include <QDateTime>
#include <QMetaType>
#include <QSslCertificate>
#include <QUrl>

namespace tern::app::client {

struct CertificateProblem
{
    enum class Kind {
        Untrusted, //!< not CA-trusted and no pin for the server: ask the user once
        Changed,   //!< the server presented another certificate than the pinned one: refuse
    };
    Kind kind = Kind::Untrusted;
    QUrl server;
    QSslCertificate presented;
    QSslCertificate pinned; // null unless Changed
    QDateTime pinnedSince;  // Changed only
};

} // namespace tern::app::client

Q_DECLARE_METATYPE(tern::app::client::CertificateProblem)
