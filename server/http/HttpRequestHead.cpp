#include "HttpRequestHead.h"

#include <QUrl>

namespace tern::server::http {

namespace {
bool isToken(const QByteArray &s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 32 || u >= 127 || QByteArrayView("()<>@,;:\\\"/[]?={}").contains(c))
            return false;
    }
    return true;
}

bool hasControl(const QByteArray &s)
{
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 32 && c != '\t') || u == 127)
            return true;
    }
    return false;
}

bool listContains(const QByteArray &value, const QByteArray &token)
{
    for (const QByteArray &part : value.split(','))
        if (part.trimmed().toLower() == token)
            return true;
    return false;
}
} // namespace

QByteArray HttpRequestHead::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers)
        if (key == name)
            return value.isNull() ? QByteArray("") : value;
    return {};
}

bool HttpRequestHead::isWebSocketUpgrade() const
{
    return method == "GET" && listContains(header("connection"), "upgrade") &&
           header("upgrade").toLower() == "websocket";
}

qsizetype HttpRequestHead::headEnd(const QByteArray &buffer)
{
    const qsizetype at = buffer.indexOf("\r\n\r\n");
    return at < 0 ? -1 : at + 4;
}

std::optional<HttpRequestHead> HttpRequestHead::parse(const QByteArray &head, Failure *failure)
{
    auto fail = [failure](int status, const QString &message) {
        if (failure)
            *failure = {status, message};
        return std::nullopt;
    };
    if (head.size() > kMaxHeadBytes)
        return fail(431, QStringLiteral("request head larger than 16 KiB"));
    QList<QByteArray> lines = head.split('\n');
    // The head ends with an empty line: drop it (and the empty piece after the final LF).
    while (!lines.isEmpty() && lines.last().trimmed().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return fail(400, QStringLiteral("empty request"));
    if (lines.size() - 1 > kMaxHeaderLines)
        return fail(431, QStringLiteral("more than %1 header lines").arg(kMaxHeaderLines));
    for (QByteArray &line : lines) {
        if (!line.endsWith('\r'))
            return fail(400, QStringLiteral("lines must end with CRLF"));
        line.chop(1);
    }

    HttpRequestHead out;
    const QList<QByteArray> start = lines.first().split(' ');
    if (start.size() != 3 || !isToken(start[0]))
        return fail(400, QStringLiteral("malformed request line"));
    out.method = start[0];
    if (start[2] == "HTTP/1.1")
        out.versionMinor = 1;
    else if (start[2] == "HTTP/1.0")
        out.versionMinor = 0;
    else
        return fail(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are served"));
    const QByteArray &target = start[1];
    if (!target.startsWith('/') || hasControl(target))
        return fail(400, QStringLiteral("the request target must be a path"));
    const qsizetype question = target.indexOf('?');
    const QByteArray rawPath = question < 0 ? target : target.left(question);
    out.path = QUrl::fromPercentEncoding(rawPath);
    if (question >= 0)
        out.query = QUrlQuery(QString::fromLatin1(target.mid(question + 1)));

    bool sawLength = false;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(400, QStringLiteral("malformed header line"));
        const QByteArray name = line.left(colon).toLower();
        if (!isToken(name))
            return fail(400, QStringLiteral("malformed header name"));
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (hasControl(value))
            return fail(400, QStringLiteral("control characters in a header"));
        if (name == "content-length") {
            bool ok = false;
            const qint64 length = value.toLongLong(&ok);
            // Two different lengths is request smuggling; refuse rather than guess.
            if (!ok || length < 0 || (sawLength && length != out.contentLength) ||
                !std::all_of(value.begin(), value.end(),
                             [](char c) { return c >= '0' && c <= '9'; }))
                return fail(400, QStringLiteral("invalid Content-Length"));
            out.contentLength = length;
            sawLength = true;
        } else if (name == "transfer-encoding") {
            return fail(411,
                        QStringLiteral("send a Content-Length; chunked bodies are not accepted"));
        }
        out.headers.append({name, value});
    }
    const QByteArray connection = out.header("connection");
    out.keepAlive = out.versionMinor == 1 ? !listContains(connection, "close")
                                          : listContains(connection, "keep-alive");
    return out;
}

} // namespace tern::server::http
