// toJson/fromJson of the media HTTP API's answers. toJson runs on the server and writes exactly
// the keys it always wrote (the bytes are Qt's compact JSON with sorted keys, so the same keys and
// types give the same bytes); fromJson runs in the app and is strict, naming the field.

#include "HttpAnswers.h"

#include <utility>

#include <QJsonDocument>
#include <QJsonParseError>

#include "shared/protocol/FieldReader.h"

using namespace Qt::StringLiterals;

namespace tern::protocol {

namespace {

void insertStoredMedia(QJsonObject &o, const StoredMedia &value)
{
    o.insert(u"media_id"_s, value.mediaId);
    o.insert(u"name"_s, value.name);
    o.insert(u"mime"_s, value.mime);
    o.insert(u"size"_s, value.size);
    o.insert(u"sha256"_s, value.sha256);
}

StoredMedia readStoredMedia(FieldReader &r)
{
    StoredMedia value;
    value.mediaId = r.opaqueId("media_id");
    value.name = r.string("name");
    value.mime = r.string("mime");
    value.size = r.integer("size");
    value.sha256 = r.string("sha256");
    return value;
}

void insertIfGiven(QJsonObject &o, const QString &key, const std::optional<qint64> &value)
{
    if (value)
        o.insert(key, *value);
}

} // namespace

Result<QJsonObject> parseHttpBody(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return makeError(ErrorCode::BadRequest,
                         u"the answer is not JSON: "_s + error.errorString());
    if (!document.isObject())
        return makeError(ErrorCode::BadRequest, u"the answer is not a JSON object"_s);
    return document.object();
}

template <> QJsonObject toJson<HealthAnswer>(const HealthAnswer &value)
{
    return {{u"status"_s, value.status}, {u"version"_s, value.version}};
}

template <> Result<HealthAnswer> fromJson<HealthAnswer>(const QJsonObject &object)
{
    FieldReader r(object);
    HealthAnswer value;
    value.status = r.string("status");
    value.version = r.string("version");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<StoredMedia>(const StoredMedia &value)
{
    QJsonObject o;
    insertStoredMedia(o, value);
    return o;
}

template <> Result<StoredMedia> fromJson<StoredMedia>(const QJsonObject &object)
{
    FieldReader r(object);
    StoredMedia value = readStoredMedia(r);
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<UploadCreatedAnswer>(const UploadCreatedAnswer &value)
{
    QJsonObject o{{u"offset"_s, value.offset}};
    insertStoredMedia(o, value.media);
    return o;
}

template <> Result<UploadCreatedAnswer> fromJson<UploadCreatedAnswer>(const QJsonObject &object)
{
    FieldReader r(object);
    UploadCreatedAnswer value;
    value.media = readStoredMedia(r);
    value.offset = r.integer("offset");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<UploadOffsetAnswer>(const UploadOffsetAnswer &value)
{
    return {{u"offset"_s, value.offset}};
}

template <> Result<UploadOffsetAnswer> fromJson<UploadOffsetAnswer>(const QJsonObject &object)
{
    FieldReader r(object);
    UploadOffsetAnswer value;
    value.offset = r.integer("offset");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<UploadStateAnswer>(const UploadStateAnswer &value)
{
    return {{u"offset"_s, value.offset}, {u"size"_s, value.size}, {u"complete"_s, value.complete}};
}

template <> Result<UploadStateAnswer> fromJson<UploadStateAnswer>(const QJsonObject &object)
{
    FieldReader r(object);
    UploadStateAnswer value;
    value.offset = r.integer("offset");
    value.size = r.integer("size");
    value.complete = r.boolean("complete");
    return r.finish(std::move(value));
}

template <> QJsonObject toJson<HttpErrorAnswer>(const HttpErrorAnswer &value)
{
    QJsonObject o{{u"code"_s, value.code}, {u"message"_s, value.message}};
    insertIfGiven(o, u"offset"_s, value.offset);
    insertIfGiven(o, u"limit"_s, value.limit);
    insertIfGiven(o, u"quota"_s, value.quota);
    return o;
}

template <> Result<HttpErrorAnswer> fromJson<HttpErrorAnswer>(const QJsonObject &object)
{
    FieldReader r(object);
    HttpErrorAnswer value;
    value.code = r.string("code");
    value.message = r.string("message");
    value.offset = r.optionalInteger("offset");
    value.limit = r.optionalInteger("limit");
    value.quota = r.optionalInteger("quota");
    return r.finish(std::move(value));
}

} // namespace tern::protocol
