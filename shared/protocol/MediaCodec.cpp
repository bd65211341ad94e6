// toJson/fromJson of the parts of a message: its media object and a system message's group
// event. Both are lenient in the documented way: what the contract does not document is dropped.

#include "CodecSpecializations.h"

#include <array>
#include <cmath>
#include <limits>
#include <utility>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

#include "shared/protocol/FieldReader.h"

using namespace Qt::StringLiterals;

namespace tern::protocol {

namespace {

//! A whole JSON number in [0, max], else nullopt (a fraction, a string, a negative number).
std::optional<qint64> wholeNumber(const QJsonValue &value, qint64 max)
{
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (!(number >= 0.0 && number <= double(max)) || std::trunc(number) != number)
        return std::nullopt;
    return qint64(number);
}

QString stringField(const QJsonObject &object, QLatin1StringView key)
{
    const QJsonValue value = object.value(key);
    return value.isString() ? value.toString() : QString();
}

void insertNonEmpty(QJsonObject &object, QLatin1StringView key, const QString &value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

constexpr std::array<std::pair<GroupEvent::Kind, QLatin1StringView>, 6> kGroupEvents{
    {{GroupEvent::Kind::Created, QLatin1StringView("created")},
     {GroupEvent::Kind::MemberAdded, QLatin1StringView("member_added")},
     {GroupEvent::Kind::MemberRemoved, QLatin1StringView("member_removed")},
     {GroupEvent::Kind::MemberLeft, QLatin1StringView("member_left")},
     {GroupEvent::Kind::Renamed, QLatin1StringView("renamed")},
     {GroupEvent::Kind::RoleChanged, QLatin1StringView("role_changed")}}};

} // namespace

template <> QJsonObject toJson<Media>(const Media &value)
{
    QJsonObject o;
    insertNonEmpty(o, "media_id"_L1, value.mediaId);
    insertNonEmpty(o, "name"_L1, value.name);
    insertNonEmpty(o, "mime"_L1, value.mime);
    if (value.size > 0)
        o.insert("size"_L1, value.size);
    insertNonEmpty(o, "sha256"_L1, value.sha256);
    insertNonEmpty(o, "thumbnail"_L1, value.thumbnail);
    if (value.width)
        o.insert("width"_L1, *value.width);
    if (value.height)
        o.insert("height"_L1, *value.height);
    return o;
}

// Never fails: a field of another JSON type is dropped like an undocumented one, so device state
// (a local path, an upload id) from an old cache or a hostile peer never reaches the app.
template <> Result<Media> fromJson<Media>(const QJsonObject &object)
{
    Media value;
    value.mediaId = stringField(object, "media_id"_L1);
    value.name = stringField(object, "name"_L1);
    value.mime = stringField(object, "mime"_L1);
    value.size = wholeNumber(object.value("size"_L1), qint64(1) << 53).value_or(0);
    value.sha256 = stringField(object, "sha256"_L1);
    value.thumbnail = stringField(object, "thumbnail"_L1);
    constexpr qint64 kMaxSide = std::numeric_limits<int>::max();
    if (const auto width = wholeNumber(object.value("width"_L1), kMaxSide))
        value.width = int(*width);
    if (const auto height = wholeNumber(object.value("height"_L1), kMaxSide))
        value.height = int(*height);
    return value;
}

template <> QJsonObject toJson<GroupEvent>(const GroupEvent &value)
{
    QJsonObject o{{u"by"_s, value.by}};
    for (const auto &[kind, name] : kGroupEvents) {
        if (kind == value.kind)
            o.insert(u"event"_s, QString(name));
    }
    if (!value.users.isEmpty())
        o.insert(u"users"_s, QJsonArray::fromStringList(value.users));
    if (!value.name.isEmpty())
        o.insert(u"name"_s, value.name);
    if (value.role)
        o.insert(u"role"_s, wireName(*value.role));
    return o;
}

// Read on the client: an unknown event name is Kind::Unknown (a newer server); wrong types or an
// unknown role are an error.
template <> Result<GroupEvent> fromJson<GroupEvent>(const QJsonObject &object)
{
    FieldReader r(object);
    GroupEvent value;
    const QString event = r.string("event");
    for (const auto &[kind, name] : kGroupEvents) {
        if (event == name)
            value.kind = kind;
    }
    value.by = r.optionalString("by").value_or(QString());
    if (r.has("users")) {
        const QJsonArray users = r.array("users");
        for (const QJsonValue &user : users) {
            r.require(user.isString() || !r.ok(), "users", u"must hold strings"_s);
            value.users << user.toString();
        }
    }
    value.name = r.optionalString("name").value_or(QString());
    if (const std::optional<QString> role = r.optionalString("role")) {
        value.role = fromWireName<Role>(*role);
        r.require(value.role.has_value() || !r.ok(), "role", u"must be owner, admin or member"_s);
    }
    return r.finish(std::move(value));
}

QString encodeGroupEvent(const GroupEvent &event)
{
    return QString::fromUtf8(QJsonDocument(toJson(event)).toJson(QJsonDocument::Compact));
}

Result<GroupEvent> decodeGroupEvent(const QString &content)
{
    const QJsonDocument doc = QJsonDocument::fromJson(content.toUtf8());
    if (!doc.isObject())
        return makeError(ErrorCode::BadRequest, u"a system message's content is not an object"_s);
    return fromJson<GroupEvent>(doc.object());
}

} // namespace tern::protocol
