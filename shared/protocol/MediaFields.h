#pragma once

//! The media object of a message as the contract documents it, and nothing else.

#include <QJsonObject>

namespace tern::protocol {

//! `media` with only the documented fields (media_id, name, mime, size, sha256, thumbnail,
//! width, height) of the documented types; anything else is dropped. Device state such as a
//! local path or an upload id never crosses the wire, in either direction.
QJsonObject documentedMediaFields(const QJsonObject &media);

} // namespace tern::protocol
