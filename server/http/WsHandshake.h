#pragma once

// Answers a WebSocket upgrade request (RFC 6455 section 4.2): checks the version and key and
// builds the 101 response, or says which HTTP error to send instead. Pure, no I/O.

#include "server/http/HttpRequestHead.h"

#include <QByteArray>
#include <QString>

namespace tern::server::http {

struct WsHandshake
{
    int status = 101;    // 101, or the HTTP error to answer with
    QString message;     // why, when status is not 101
    QByteArray response; // the whole 101 response, when status is 101

    bool ok() const { return status == 101; }
    static WsHandshake answer(const HttpRequestHead &request);
    //! Sec-WebSocket-Accept for a Sec-WebSocket-Key.
    static QByteArray acceptKey(const QByteArray &key);
};

} // namespace tern::server::http
