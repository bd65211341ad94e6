#include "ByteRange.h"

#include <algorithm>

namespace tern::server::http {

namespace {
bool digits(const QByteArray &s)
{
    return !s.isEmpty() && s.size() <= 18 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
} // namespace

ByteRange ByteRange::parse(const QByteArray &header, qint64 size)
{
    ByteRange whole{Kind::Whole, 0, size - 1};
    const QByteArray h = header.trimmed();
    if (!h.startsWith("bytes="))
        return whole;
    const QByteArray spec = h.mid(6).trimmed();
    if (spec.contains(','))
        return whole;
    const qsizetype dash = spec.indexOf('-');
    if (dash < 0)
        return whole;
    const QByteArray from = spec.left(dash).trimmed();
    const QByteArray to = spec.mid(dash + 1).trimmed();
    if (from.isEmpty()) { // suffix: the last N bytes
        if (!digits(to))
            return whole;
        const qint64 n = to.toLongLong();
        if (n == 0 || size == 0)
            return {Kind::Unsatisfiable, 0, 0};
        return {Kind::Partial, std::max<qint64>(0, size - n), size - 1};
    }
    if (!digits(from) || (!to.isEmpty() && !digits(to)))
        return whole;
    const qint64 first = from.toLongLong();
    qint64 last = to.isEmpty() ? size - 1 : to.toLongLong();
    if (!to.isEmpty() && last < first)
        return whole; // invalid: ignore the header
    if (first >= size)
        return {Kind::Unsatisfiable, 0, 0};
    last = std::min(last, size - 1);
    return {Kind::Partial, first, last};
}

} // namespace tern::server::http
