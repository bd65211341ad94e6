#include "JsonWriter.h"

#include <QJsonDocument>

#include <charconv>

namespace tern::protocol {

namespace {
constexpr char kHex[] = "0123456789abcdef";

bool needsEscape(char c)
{
    return c == '"' || c == '\\' || uchar(c) < 0x20;
}

//! Escapes as RFC 8259 asks (quote, backslash, control characters); other bytes, UTF-8
//! included, pass through, as in Qt's own writer.
void appendEscaped(QByteArray &out, const QByteArray &utf8)
{
    const char *begin = utf8.constData();
    const char *end = begin + utf8.size();
    const char *run = begin;
    for (const char *p = begin; p != end; ++p) {
        if (!needsEscape(*p))
            continue;
        out.append(run, p - run);
        run = p + 1;
        switch (*p) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        case '\b':
            out.append("\\b", 2);
            break;
        case '\f':
            out.append("\\f", 2);
            break;
        default: {
            const char escaped[] = {
                '\\', 'u', '0', '0', kHex[uchar(*p) >> 4], kHex[uchar(*p) & 0xF]};
            out.append(escaped, sizeof escaped);
        }
        }
    }
    out.append(run, end - run);
}
} // namespace

JsonWriter::JsonWriter(qsizetype reserve)
{
    m_out.reserve(reserve);
    m_out.append('{');
}

void JsonWriter::key(const char *key)
{
    if (!m_first)
        m_out.append(',');
    m_first = false;
    m_out.append('"');
    m_out.append(key); // keys are our own ASCII literals
    m_out.append("\":", 2);
}

void JsonWriter::appendString(const QString &value)
{
    m_out.append('"');
    // A lone surrogate (a client may send "\ud800") has no UTF-8 form; like Qt's writer, it
    // goes out as a \u escape, so the text arrives as it was sent and the frame stays UTF-8.
    const QStringView text(value);
    qsizetype run = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (!QChar::isSurrogate(c))
            continue;
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() &&
            QChar::isLowSurrogate(text[i + 1].unicode())) {
            ++i;
            continue;
        }
        appendEscaped(m_out, text.sliced(run, i - run).toUtf8());
        const char escaped[] = {
            '\\', 'u', kHex[c >> 12], kHex[(c >> 8) & 0xF], kHex[(c >> 4) & 0xF], kHex[c & 0xF]};
        m_out.append(escaped, sizeof escaped);
        run = i + 1;
    }
    appendEscaped(m_out, text.sliced(run).toUtf8());
    m_out.append('"');
}

JsonWriter &JsonWriter::field(const char *k, const QString &value)
{
    key(k);
    appendString(value);
    return *this;
}

JsonWriter &JsonWriter::field(const char *k, QLatin1StringView value)
{
    key(k);
    m_out.append('"');
    appendEscaped(m_out, QByteArray::fromRawData(value.data(), value.size()));
    m_out.append('"');
    return *this;
}

JsonWriter &JsonWriter::field(const char *k, qint64 value)
{
    key(k);
    char digits[24];
    const auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
    m_out.append(digits, end - digits);
    return *this;
}

JsonWriter &JsonWriter::field(const char *k, const QJsonObject &value)
{
    key(k);
    m_out.append(QJsonDocument(value).toJson(QJsonDocument::Compact));
    return *this;
}

QByteArray JsonWriter::take()
{
    m_out.append('}');
    return std::move(m_out);
}

} // namespace tern::protocol
