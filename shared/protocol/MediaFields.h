#pragma once

//! Bounds on what a message's media declares (its fields are protocol::Media, in Media.h).

#include <QByteArray>

#include <optional>
#include <utility>

namespace tern::protocol {

//! A thumbnail may declare at most this many pixels a side (real ones are a few hundred).
constexpr int kMaxThumbnailSide = 4096;

//! The (width, height) a JPEG's frame header declares, read without decoding anything;
//! nullopt when `jpeg` is not a JPEG with a frame header.
std::optional<std::pair<int, int>> declaredJpegSize(const QByteArray &jpeg);

} // namespace tern::protocol
