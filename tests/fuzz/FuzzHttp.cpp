// libFuzzer target: ternd's HTTP request parsing for the media API (HttpRequestHead, ByteRange)
// and the media names it stores (sanitizeFileName, normalizeMime, isMediaId). Pure functions:
// any bytes must give an answer that keeps the promises the rest of the server relies on.

#include "server/http/ByteRange.h"
#include "server/http/HttpRequestHead.h"
#include "server/media/MediaName.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace tern::server;

namespace {
[[noreturn]] void fail(const char *what, const QByteArray &detail)
{
    std::fprintf(stderr, "fuzz_http: %s: %s\n", what,
                 detail.left(300).toPercentEncoding().constData());
    std::abort();
}

void checkRange(const QByteArray &header, qint64 size)
{
    const http::ByteRange range = http::ByteRange::parse(header, size);
    if (range.kind == http::ByteRange::Kind::Partial &&
        (range.first < 0 || range.first > range.last || range.last >= size))
        fail("a partial range outside the resource", header);
}

void checkName(const QString &name)
{
    const QString safe = media::sanitizeFileName(name);
    if (safe.size() > 255)
        fail("a sanitized name longer than 255", safe.toUtf8());
    if (safe.startsWith(QLatin1Char('.')))
        fail("a sanitized name starting with a dot", safe.toUtf8());
    for (const QChar c : safe) {
        const char16_t u = c.unicode();
        if (u == u'/' || u == u'\\' || u == u':' || u < 0x20 || u == 0x7f ||
            (u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069))
            fail("a sanitized name with a forbidden character", safe.toUtf8());
    }
    const QString mime = media::normalizeMime(name);
    for (const QChar c : mime) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            fail("a normalized MIME type with a non-token character", mime.toUtf8());
    }
    if (media::isMediaId(name) && name.size() != 32)
        fail("a media id that is not 32 characters", name.toUtf8());
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype end = http::HttpRequestHead::headEnd(bytes);
    if (end > bytes.size())
        fail("a head end past the buffer", bytes);
    http::HttpRequestHead::Failure failure;
    const auto head = http::HttpRequestHead::parse(end > 0 ? bytes.left(end) : bytes, &failure);
    if (head) {
        if (head->method.isEmpty() || head->contentLength < 0)
            fail("an accepted head without a method or with a negative length", bytes);
        for (const auto &[name, value] : head->headers) {
            if (name != name.toLower())
                fail("a header name not in lower case", name);
        }
        const QByteArray range = head->header("range");
        if (!range.isNull()) {
            for (const qint64 resourceSize : {qint64(1), qint64(1000), qint64(1) << 40})
                checkRange(range, resourceSize);
        }
        checkName(head->path);
    } else if (failure.status < 400 || failure.status > 599 || failure.message.isEmpty()) {
        fail("a refusal without an error status and a message", bytes);
    }
    for (const qint64 resourceSize : {qint64(0), qint64(1), qint64(4096), qint64(1) << 40})
        checkRange(bytes, resourceSize);
    checkName(QString::fromUtf8(bytes));
    return 0;
}
