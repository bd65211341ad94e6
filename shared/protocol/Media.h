#pragma once

//! The `media` object of an image or file message, exactly the fields the contract documents.

#include <QMetaType>
#include <QString>

#include <optional>

namespace tern::protocol {

//! What crosses the wire about a picture or file; device state (a local path, an upload id)
//! has no place here (the app keeps it in its outbox and download records). Empty strings and
//! a size of 0 mean "not given" and are not written.
struct Media
{
    QString mediaId;
    QString name;
    QString mime;
    qint64 size = 0;
    QString sha256;
    QString thumbnail; // base64 JPEG, as on the wire
    std::optional<int> width;
    std::optional<int> height;

    friend bool operator==(const Media &, const Media &) = default;
};

} // namespace tern::protocol

Q_DECLARE_METATYPE(tern::protocol::Media)
