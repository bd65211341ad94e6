#pragma once

// One parsed HTTP/1.1 request head, with the limits ternd accepts (docs/protocol.md, "Media").
// Pure parsing, no I/O: the connection and the fuzz target feed it bytes.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <optional>

namespace tern::server::http {

constexpr qsizetype kMaxHeadBytes = 16 * 1024;
constexpr int kMaxHeaderLines = 100;

struct HttpRequestHead
{
    QByteArray method; // as sent (methods are case-sensitive)
    QString path;      // percent-decoded
    QUrlQuery query;
    int versionMinor = 1;                         // HTTP/1.x
    QList<QPair<QByteArray, QByteArray>> headers; // names in lower case, values trimmed
    qint64 contentLength = 0;
    bool keepAlive = true;

    //! The first value of a header (name in lower case), or a null array.
    QByteArray header(const QByteArray &name) const;
    bool isWebSocketUpgrade() const;

    struct Failure
    {
        int status = 400;
        QString message;
    };
    //! Parses a head (everything up to and including the blank line).
    static std::optional<HttpRequestHead> parse(const QByteArray &head, Failure *failure);
    //! Where the head ends (just after CRLF CRLF) in `buffer`, or -1.
    static qsizetype headEnd(const QByteArray &buffer);
};

} // namespace tern::server::http
