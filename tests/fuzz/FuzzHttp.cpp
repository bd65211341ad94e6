// libFuzzer target: ternd's HTTP request parsing for the media API (HttpRequestHead, ByteRange)
// and the media names it stores (sanitizeFileName, normalizeMime, isMediaId). Pure functions:
// any bytes must give an answer that keeps the promises the rest of the server relies on.

#include "server/http/ByteRange.h"
#include "server/http/HttpRequestHead.h"
#include "server/http/WsHandshake.h"
#include "server/media/MediaName.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace tern::server;

namespace {
[[noreturn]] void fail(const char *what, const QByteArray &detail)
{
    std::fprintf(stderr, "fuzz_http: %s: %s\n", what,
                 detail.left(300).toPercentEncoding().constData());
    std::abort();
}

[[noreturn]] void fail(const char *what, const QString &detail)
{
    // UTF-16 code units in hex, so lone surrogates show.
    QByteArray units;
    for (const QChar c : detail.left(300))
        units += QByteArray::number(c.unicode(), 16) + ' ';
    std::fprintf(stderr, "fuzz_http: %s: UTF-16 %s\n", what, units.constData());
    std::abort();
}

void checkRange(const QByteArray &header, qint64 size)
{
    const http::ByteRange range = http::ByteRange::parse(header, size);
    if (range.kind == http::ByteRange::Kind::Partial &&
        (range.first < 0 || range.first > range.last || range.last >= size))
        fail("a partial range outside the resource", header);
    if (range.kind == http::ByteRange::Kind::Whole && range.length() != size)
        fail("a whole range that is not the resource", header);
}

bool hasBrokenSurrogate(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate())
            ++i;
        else if (text.at(i).isSurrogate())
            return true;
    }
    return false;
}

bool forbiddenInName(char32_t c)
{
    return c == u'/' || c == u'\\' || c == u':' || c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
           (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
           (c >= 0x2060 && c <= 0x2069) || c == 0xfeff || c == 0x061c;
}

void checkName(const QString &name)
{
    const QString safe = media::sanitizeFileName(name);
    if (safe.isEmpty() || safe.size() > 255)
        fail("a sanitized name empty or longer than 255", safe);
    if (safe.startsWith(u'.'))
        fail("a sanitized name starting with a dot", safe);
    if (hasBrokenSurrogate(safe))
        fail("a sanitized name that is not valid UTF-16", safe);
    for (const char32_t c : safe.toUcs4()) {
        if (forbiddenInName(c))
            fail("a sanitized name with a forbidden character", safe);
    }
    if (safe != safe.trimmed())
        fail("a sanitized name that is not trimmed", safe);
    if (media::sanitizeFileName(safe) != safe)
        fail("sanitizing a sanitized name changes it", safe);

    const QString mime = media::normalizeMime(name);
    if (!mime.isEmpty()) {
        if (mime.count(u'/') != 1 || mime != mime.toLower() || media::normalizeMime(mime) != mime)
            fail("a normalized MIME type that is not one lower-case type/subtype", mime);
        for (const QChar c : mime) {
            if (c.unicode() < 0x21 || c.unicode() > 0x7e)
                fail("a normalized MIME type with a non-token character", mime);
        }
    }

    if (media::isMediaId(name)) {
        // Ids name files on disk: exactly 32 lower-case hex digits, nothing around them.
        if (name.size() != 32)
            fail("a media id that is not 32 characters", name);
        for (const QChar c : name) {
            if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
                fail("a media id with a character other than a hex digit", name);
        }
    }
}
} // namespace

namespace {
// An upgrade is answered with 101 and the key's accept value, or refused with a reason.
void checkHandshake(const http::HttpRequestHead &head)
{
    const http::WsHandshake answer = http::WsHandshake::answer(head);
    if (answer.ok()) {
        const QByteArray accept =
            http::WsHandshake::acceptKey(head.header("sec-websocket-key").trimmed());
        if (!answer.response.startsWith("HTTP/1.1 101 ") ||
            !answer.response.contains("\r\nSec-WebSocket-Accept: " + accept + "\r\n") ||
            !answer.response.endsWith("\r\n\r\n"))
            fail("a 101 answer without the accept value", answer.response);
    } else if ((answer.status != 400 && answer.status != 426) || answer.message.isEmpty() ||
               !answer.response.isEmpty()) {
        fail("a handshake refusal without a status or reason", answer.message);
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype end = http::HttpRequestHead::headEnd(bytes);
    if (end > bytes.size() || (end >= 0 && !bytes.left(end).endsWith("\r\n\r\n")))
        fail("a head end not just after a blank line", bytes);
    http::HttpRequestHead::Failure failure;
    // HttpConnection parses everything up to the head's end, or nothing when there is none.
    const auto head = http::HttpRequestHead::parse(end > 0 ? bytes.left(end) : bytes, &failure);
    if (head) {
        if (head->method.isEmpty() || head->contentLength < 0)
            fail("an accepted head without a method or with a negative length", bytes);
        if (!head->path.startsWith(u'/'))
            fail("an accepted head whose path does not start with /", bytes);
        for (const auto &[name, value] : head->headers) {
            if (name.isEmpty() || name != name.toLower())
                fail("a header name empty or not in lower case", name);
            if (value.contains('\r') || value.contains('\n') || value != value.trimmed())
                fail("a header value with CR/LF or untrimmed", value);
        }
        const QByteArray length = head->header("content-length");
        if (!length.isNull() && length.toLongLong() != head->contentLength)
            fail("a Content-Length other than the header's", bytes);
        if (length.isNull() && head->contentLength != 0)
            fail("a body length without a Content-Length", bytes);
        const QByteArray range = head->header("range");
        if (!range.isNull()) {
            for (const qint64 resourceSize : {qint64(1), qint64(1000), qint64(1) << 40})
                checkRange(range, resourceSize);
        }
        if (head->isWebSocketUpgrade())
            checkHandshake(*head);
        // MediaApi takes the id from the path.
        for (const QString &part : head->path.split(u'/', Qt::SkipEmptyParts))
            checkName(part);
        checkName(head->path);
    } else if (failure.status < 400 || failure.status > 599 || failure.message.isEmpty()) {
        fail("a refusal without an error status and a message", bytes);
    }
    for (const qint64 resourceSize : {qint64(0), qint64(1), qint64(4096), qint64(1) << 40})
        checkRange(bytes, resourceSize);
    checkName(QString::fromUtf8(bytes));
    // Names and types reach the server inside JSON, whose \u escapes can carry any UTF-16,
    // unpaired surrogates included: the same bytes read as UTF-16.
    QString utf16(qsizetype(size / 2), Qt::Uninitialized);
    std::memcpy(utf16.data(), data, (size / 2) * 2);
    checkName(utf16);
    return 0;
}
