#pragma once

//! The JSON bodies of the media HTTP API's answers (docs/protocol.md, "Media"), one struct each.

#include "shared/protocol/Codec.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <variant>

namespace tern::protocol {

//! `GET /api/v1/health`: what a monitor, and the app's server check, look for.
struct HealthAnswer
{
    QString status = QStringLiteral("ok"); // the only status the contract has
    QString version;
};

//! The media object of `POST /api/v1/media/{id}/finish`: the upload as the server stored it.
//! Unlike a message's Media, every field is always written and required.
struct StoredMedia
{
    QString mediaId;
    QString name; // as stored (sanitised)
    QString mime;
    qint64 size = 0;
    QString sha256;
};

//! `201` of `POST /api/v1/media`: the new upload's media object and `"offset":0`.
struct UploadCreatedAnswer
{
    StoredMedia media;
    qint64 offset = 0;
};

//! `200` of `PUT /api/v1/media/{id}?offset=N`: the stored length after the chunk.
struct UploadOffsetAnswer
{
    qint64 offset = 0;
};

//! `GET /api/v1/media/{id}/upload`: the resume point.
struct UploadStateAnswer
{
    qint64 offset = 0;
    qint64 size = 0;
    bool complete = false;
};

//! Every error answer: `{"code","message"}`, plus the number that says what to do next where
//! there is one (`offset` with a 409, `limit` with a 413 or 429, `quota` with a 507).
struct HttpErrorAnswer
{
    QString code; // a protocol error code, or the HTTP reason in snake case
    QString message;
    std::optional<qint64> offset = {};
    std::optional<qint64> limit = {};
    std::optional<qint64> quota = {};
};

//! Every HTTP answer type (tests check that each has codec rows).
using AnyHttpAnswer = std::variant<HealthAnswer, StoredMedia, UploadCreatedAnswer,
                                   UploadOffsetAnswer, UploadStateAnswer, HttpErrorAnswer>;

template <> QJsonObject toJson<HealthAnswer>(const HealthAnswer &value);
template <> Result<HealthAnswer> fromJson<HealthAnswer>(const QJsonObject &object);
template <> QJsonObject toJson<StoredMedia>(const StoredMedia &value);
template <> Result<StoredMedia> fromJson<StoredMedia>(const QJsonObject &object);
template <> QJsonObject toJson<UploadCreatedAnswer>(const UploadCreatedAnswer &value);
template <> Result<UploadCreatedAnswer> fromJson<UploadCreatedAnswer>(const QJsonObject &object);
template <> QJsonObject toJson<UploadOffsetAnswer>(const UploadOffsetAnswer &value);
template <> Result<UploadOffsetAnswer> fromJson<UploadOffsetAnswer>(const QJsonObject &object);
template <> QJsonObject toJson<UploadStateAnswer>(const UploadStateAnswer &value);
template <> Result<UploadStateAnswer> fromJson<UploadStateAnswer>(const QJsonObject &object);
template <> QJsonObject toJson<HttpErrorAnswer>(const HttpErrorAnswer &value);
template <> Result<HttpErrorAnswer> fromJson<HttpErrorAnswer>(const QJsonObject &object);

//! Server side: an answer's body bytes (compact JSON, keys in Qt's sorted order).
template <typename T> QByteArray encodeHttpAnswer(const T &answer)
{
    return serialize(toJson(answer));
}

//! Client side: a body that is not a JSON object is an error (BadRequest), as is a field of the
//! wrong type or a required one missing (the message names the field).
Result<QJsonObject> parseHttpBody(const QByteArray &body);

template <typename T> Result<T> decodeHttpAnswer(const QByteArray &body)
{
    const Result<QJsonObject> object = parseHttpBody(body);
    if (!object)
        return object.error();
    return fromJson<T>(*object);
}

} // namespace tern::protocol
