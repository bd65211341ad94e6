#pragma once

// The one byte range of an HTTP `Range` header that ternd serves (RFC 9110 §14).

#include <QByteArray>
#include <QtGlobal>

namespace tern::server::http {

struct ByteRange
{
    enum class Kind { Whole, Partial, Unsatisfiable };
    Kind kind = Kind::Whole;
    qint64 first = 0; // inclusive
    qint64 last = 0;  // inclusive

    qint64 length() const { return last - first + 1; }
    //! The range of a `Range` header for a resource of `size` bytes. No header, another unit,
    //! several ranges or a malformed header → Whole (the header may be ignored).
    static ByteRange parse(const QByteArray &header, qint64 size);
};

} // namespace tern::server::http
