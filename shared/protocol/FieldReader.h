#pragma once

//! Strict reading of one JSON object's fields for the codec (internal to shared/protocol).

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

#include "shared/core/Result.h"
#include "shared/model/Limits.h"
#include "shared/protocol/Codec.h"

namespace tern::protocol {

//! Reads the fields of one JSON object strictly. The first failure is kept, with a message that
//! names the field ("field 'user' must be a string"); later reads return harmless defaults, so a
//! decoder reads straight through and calls finish() once. Required fields must be present and
//! non-null; for optional ones, absent and null both mean "not given".
class FieldReader
{
public:
    explicit FieldReader(QJsonObject object) : m_object(std::move(object)) {}

    template <typename T> Result<T> finish(T value) const
    {
        if (m_error)
            return *m_error;
        return Result<T>(std::move(value));
    }

    bool ok() const { return !m_error.has_value(); }
    void fail(const char *key, const QString &what, ErrorCode code = ErrorCode::BadRequest);
    void require(bool condition, const char *key, const QString &what);
    //! Records a nested object's error as this one's: "field 'members' entry 2: field ...".
    void failNested(const char *key, const QString &where, const Error &inner);

    bool has(const char *key) const;

    QString string(const char *key);
    std::optional<QString> optionalString(const char *key);
    //! A non-empty string of at most maxChars characters.
    QString boundedString(const char *key, int maxChars);
    //! A display, device or group name (validation::isValidDisplayText).
    QString displayText(const char *key, int maxChars);
    //! An opaque id (user, conversation, media, message): 1-64 characters, no control chars.
    QString opaqueId(const char *key);
    //! A whole JSON number in 0..2^53: strings, fractions, negatives, 1e300 and 2^60 all fail.
    qint64 integer(const char *key);
    std::optional<qint64> optionalInteger(const char *key);
    bool boolean(const char *key);
    //! A boolean, or `fallback` when absent or null.
    bool optionalBoolean(const char *key, bool fallback);
    QJsonObject object(const char *key);
    std::optional<QJsonObject> optionalObject(const char *key);
    //! For array() and objects(): no bound on the entries but the incoming message's size.
    static constexpr qsizetype kUnbounded = -1;

    //! An array of at most `maxEntries` entries (kUnbounded: any number).
    QJsonArray array(const char *key, qsizetype maxEntries = limits::kMaxArrayLength);
    //! An array of objects, each read with fromJson<T>; an entry's failure is this one's, named
    //! ("field 'members' entry 2: field 'role' is required"). At most `maxEntries` entries.
    template <typename T> QList<T> objects(const char *key, qsizetype maxEntries);
    //! An array of opaque ids.
    QStringList idList(const char *key);
    //! An array of whole numbers in 0..2^53, at most `maxEntries` of them.
    QList<qint64> integerList(const char *key, qsizetype maxEntries);

    // Wording shared by the codec's messages.
    static QString charactersText(int min, int max);
    static QString validIdText();

private:
    QJsonValue required(const char *key);

    QJsonObject m_object;
    std::optional<Error> m_error;
};

template <typename T> QList<T> FieldReader::objects(const char *key, qsizetype maxEntries)
{
    const QJsonArray entries = array(key, maxEntries);
    QList<T> list;
    list.reserve(entries.size());
    for (qsizetype i = 0; i < entries.size() && ok(); ++i) {
        const QJsonValue entry = entries.at(i);
        Result<T> item =
            entry.isObject()
                ? fromJson<T>(entry.toObject())
                : Result<T>(makeError(ErrorCode::BadRequest, QStringLiteral("must be an object")));
        if (item)
            list.append(std::move(item).value());
        else
            failNested(key, QStringLiteral(" entry %1").arg(i), item.error());
    }
    return list;
}

//! The writing side of FieldReader::integerList: whole numbers as a JSON array.
QJsonArray integerArray(const QList<qint64> &values);

} // namespace tern::protocol
