#include "JsonWriter.h"

#include <QJsonDocument>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <utility>

namespace tern::protocol {

namespace {
constexpr char kHex[] = "0123456789abcdef";

bool needsEscape(char c)
{
    return c == '"' || c == '\\' || uchar(c) < 0x20;
}

//! `\uXXXX`: control characters, and lone surrogates (which have no UTF-8 form).
void appendUnicodeEscape(QByteArray &out, char16_t c)
{
    const char escaped[] = {
        '\\', 'u', kHex[c >> 12], kHex[(c >> 8) & 0xF], kHex[(c >> 4) & 0xF], kHex[c & 0xF]};
    out.append(escaped, sizeof escaped);
}

//! Escapes as RFC 8259 asks (quote, backslash, control characters), with the short forms where
//! JSON has them; other bytes, UTF-8 included, pass through, as in Qt's own writer.
void appendEscaped(QByteArray &out, const QByteArray &utf8)
{
    static constexpr std::pair<char, char> kShortForms[] = {
        {'"', '"'}, {'\\', '\\'}, {'\n', 'n'}, {'\r', 'r'}, {'\t', 't'}, {'\b', 'b'}, {'\f', 'f'}};
    const char *begin = utf8.constData();
    const char *end = begin + utf8.size();
    const char *run = begin;
    for (const char *p = begin; p != end; ++p) {
        if (!needsEscape(*p))
            continue;
        out.append(run, p - run);
        run = p + 1;
        const auto shortForm = std::find_if(std::begin(kShortForms), std::end(kShortForms),
                                            [c = *p](const auto &form) { return form.first == c; });
        if (shortForm != std::end(kShortForms)) {
            const char escaped[] = {'\\', shortForm->second};
            out.append(escaped, sizeof escaped);
        } else {
            appendUnicodeEscape(out, char16_t(uchar(*p)));
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
        appendUnicodeEscape(m_out, c);
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

JsonWriter &JsonWriter::fields(const QJsonObject &object)
{
    if (object.isEmpty())
        return *this;
    const QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Compact);
    if (!m_first)
        m_out.append(',');
    m_first = false;
    m_out.append(json.constData() + 1, json.size() - 2); // without the braces
    return *this;
}

QByteArray JsonWriter::take()
{
    m_out.append('}');
    return std::move(m_out);
}

} // namespace tern::protocol
