#pragma once

//! The media object of a message as the contract documents it, and nothing else.

#include <QByteArray>
#include <QJsonObject>

#include <optional>
#include <utility>

namespace tern::protocol {

//! `media` with only the documented fields (media_id, name, mime, size, sha256, thumbnail,
//! width, height) of the documented types; anything else is dropped. Device state such as a
//! local path or an upload id never crosses the wire, in either direction.
QJsonObject documentedMediaFields(const QJsonObject &media);

//! A thumbnail may declare at most this many pixels a side (real ones are a few hundred).
constexpr int kMaxThumbnailSide = 4096;

//! The (width, height) a JPEG's frame header declares, read without decoding anything;
//! nullopt when `jpeg` is not a JPEG with a frame header.
std::optional<std::pair<int, int>> declaredJpegSize(const QByteArray &jpeg);

} // namespace tern::protocol
