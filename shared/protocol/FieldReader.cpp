#include "FieldReader.h"

#include <QJsonValue>

#include "shared/model/Limits.h"
#include "shared/model/Validation.h"

using namespace Qt::StringLiterals;

namespace tern::protocol {

QString FieldReader::charactersText(int min, int max)
{
    return u"%1-%2 characters"_s.arg(min).arg(max);
}

QString FieldReader::validIdText()
{
    return u"a valid id (%1 without control characters)"_s.arg(
        charactersText(1, limits::kMaxOpaqueIdChars));
}

void FieldReader::fail(const char *key, const QString &what, ErrorCode code)
{
    if (!m_error)
        m_error = makeError(code, u"field '%1' %2"_s.arg(QLatin1String(key), what));
}

void FieldReader::require(bool condition, const char *key, const QString &what)
{
    if (!condition)
        fail(key, what);
}

void FieldReader::failNested(const char *key, const QString &where, const Error &inner)
{
    if (!m_error)
        m_error = makeError(inner.code,
                            u"field '%1'%2: %3"_s.arg(QLatin1String(key), where, inner.message));
}

bool FieldReader::has(const char *key) const
{
    const QJsonValue v = m_object.value(QLatin1String(key));
    return !v.isUndefined() && !v.isNull();
}

QJsonValue FieldReader::required(const char *key)
{
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        fail(key, u"is required"_s);
        return QJsonValue(QJsonValue::Undefined);
    }
    return v;
}

QString FieldReader::string(const char *key)
{
    const QJsonValue v = required(key);
    if (v.isUndefined())
        return {};
    if (!v.isString()) {
        fail(key, u"must be a string"_s);
        return {};
    }
    return v.toString();
}

std::optional<QString> FieldReader::optionalString(const char *key)
{
    if (!has(key))
        return std::nullopt;
    return string(key);
}

QString FieldReader::boundedString(const char *key, int maxChars)
{
    const QString s = string(key);
    if (ok() && (s.isEmpty() || validation::characterCount(s) > maxChars))
        fail(key, u"must be "_s + charactersText(1, maxChars));
    return s;
}

QString FieldReader::displayText(const char *key, int maxChars)
{
    const QString s = string(key);
    if (ok() && !validation::isValidDisplayText(s, maxChars))
        fail(key, u"must be "_s + charactersText(1, maxChars) +
                      u", not blank, without control, bidirectional or zero-width characters"_s);
    return s;
}

QString FieldReader::opaqueId(const char *key)
{
    const QString s = string(key);
    if (ok() && !validation::isValidOpaqueId(s, limits::kMaxOpaqueIdChars))
        fail(key, u"must be "_s + validIdText());
    return s;
}

qint64 FieldReader::integer(const char *key)
{
    const QJsonValue v = required(key);
    if (v.isUndefined())
        return 0;
    // toInteger() returns the fallback for fractions and for doubles outside qint64; as the valid
    // range starts at 0, a fallback of -1 cannot pass for a real value.
    const qint64 n = v.isDouble() ? v.toInteger(-1) : -1;
    if (n < 0 || n > limits::kMaxSafeInteger) {
        fail(key, u"must be a whole number from 0 to %1"_s.arg(limits::kMaxSafeInteger));
        return 0;
    }
    return n;
}

std::optional<qint64> FieldReader::optionalInteger(const char *key)
{
    if (!has(key))
        return std::nullopt;
    return integer(key);
}

bool FieldReader::boolean(const char *key)
{
    const QJsonValue v = required(key);
    if (v.isUndefined())
        return false;
    if (!v.isBool()) {
        fail(key, u"must be a boolean"_s);
        return false;
    }
    return v.toBool();
}

bool FieldReader::optionalBoolean(const char *key, bool fallback)
{
    return has(key) ? boolean(key) : fallback;
}

QJsonObject FieldReader::object(const char *key)
{
    const QJsonValue v = required(key);
    if (v.isUndefined())
        return {};
    if (!v.isObject()) {
        fail(key, u"must be an object"_s);
        return {};
    }
    return v.toObject();
}

std::optional<QJsonObject> FieldReader::optionalObject(const char *key)
{
    if (!has(key))
        return std::nullopt;
    return object(key);
}

QJsonArray FieldReader::array(const char *key, qsizetype maxEntries)
{
    const QJsonValue v = required(key);
    if (v.isUndefined())
        return {};
    if (!v.isArray()) {
        fail(key, u"must be an array"_s);
        return {};
    }
    QJsonArray a = v.toArray();
    if (maxEntries != kUnbounded && a.size() > maxEntries) {
        fail(key, u"must have at most %1 entries"_s.arg(maxEntries));
        return {};
    }
    return a;
}

QStringList FieldReader::idList(const char *key)
{
    const QJsonArray a = array(key);
    QStringList ids;
    ids.reserve(a.size());
    for (qsizetype i = 0; i < a.size() && ok(); ++i) {
        const QJsonValue e = a.at(i);
        if (e.isString() && validation::isValidOpaqueId(e.toString(), limits::kMaxOpaqueIdChars))
            ids.append(e.toString());
        else
            fail(key, u"entry %1 must be "_s.arg(i) + validIdText());
    }
    return ids;
}

QList<qint64> FieldReader::integerList(const char *key, qsizetype maxEntries)
{
    const QJsonArray a = array(key, maxEntries);
    QList<qint64> numbers;
    numbers.reserve(a.size());
    for (qsizetype i = 0; i < a.size() && ok(); ++i) {
        const QJsonValue e = a.at(i);
        const qint64 n = e.isDouble() ? e.toInteger(-1) : -1;
        if (n >= 0 && n <= limits::kMaxSafeInteger)
            numbers.append(n);
        else
            fail(key, u"entry %1 must be a whole number from 0 to %2"_s.arg(i).arg(
                          limits::kMaxSafeInteger));
    }
    return numbers;
}

QJsonArray integerArray(const QList<qint64> &values)
{
    QJsonArray array;
    for (const qint64 value : values)
        array.append(value);
    return array;
}

} // namespace tern::protocol
