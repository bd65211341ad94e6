#pragma once

// Answers a WebSocket upgrade request (RFC 6455 section 4.2): checks the version, the key and the
// Origin (a web page must not use a visitor's browser and network position to reach us; the app
// sends no Origin) and builds the 101 response, or says which HTTP error to send instead. Pure,
// no I/O.

#include "server/http/HttpRequestHead.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace tern::server::http {

struct WsHandshake
{
    int status = 101;    // 101, or the HTTP error to answer with
    QString message;     // why, when status is not 101
    QByteArray response; // the whole 101 response, when status is 101

    bool ok() const { return status == 101; }
    //! `allowedOrigins`: browser origins accepted ("*": any).
    static WsHandshake answer(const HttpRequestHead &request,
                              const QStringList &allowedOrigins = {});
    //! No Origin (not a browser), or a listed one. An Origin equal to the Host header proves
    //! nothing: after DNS rebinding a hostile page's requests carry its own name in both.
    static bool originAllowed(const HttpRequestHead &request, const QStringList &allowedOrigins);
    //! Sec-WebSocket-Accept for a Sec-WebSocket-Key.
    static QByteArray acceptKey(const QByteArray &key);
};

} // namespace tern::server::http
