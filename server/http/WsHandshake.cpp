#include "WsHandshake.h"

#include <QCryptographicHash>

namespace tern::server::http {

QByteArray WsHandshake::acceptKey(const QByteArray &key)
{
    return QCryptographicHash::hash(key + QByteArrayLiteral("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"),
                                    QCryptographicHash::Sha1)
        .toBase64();
}

bool WsHandshake::originAllowed(const HttpRequestHead &request, const QStringList &allowedOrigins)
{
    const QByteArray origin = request.header("origin").trimmed();
    if (origin.isEmpty() || allowedOrigins.contains(QStringLiteral("*")))
        return true;
    // Tern has no web client: a browser's page reaches us only where one is listed.
    const QString text = QString::fromLatin1(origin);
    for (const QString &allowed : allowedOrigins) {
        if (allowed.compare(text, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

WsHandshake WsHandshake::answer(const HttpRequestHead &request, const QStringList &allowedOrigins)
{
    if (!originAllowed(request, allowedOrigins))
        return {403, QStringLiteral("this Origin may not open a WebSocket here"), {}};
    if (request.header("sec-websocket-version").trimmed() != "13")
        return {426, QStringLiteral("WebSocket version 13 is required"), {}};
    const QByteArray key = request.header("sec-websocket-key").trimmed();
    const auto decoded =
        QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16)
        return {400, QStringLiteral("Sec-WebSocket-Key must be 16 bytes in base64"), {}};
    QByteArray response = QByteArrayLiteral("HTTP/1.1 101 Switching Protocols\r\n"
                                            "Upgrade: websocket\r\n"
                                            "Connection: Upgrade\r\n"
                                            "Sec-WebSocket-Accept: ");
    response += acceptKey(key);
    response += "\r\n\r\n";
    return {101, {}, response};
}

} // namespace tern::server::http
