#include "MediaFields.h"

namespace tern::protocol {

std::optional<std::pair<int, int>> declaredJpegSize(const QByteArray &jpeg)
{
    const auto byte = [&jpeg](qsizetype i) { return quint8(jpeg.at(i)); };
    if (jpeg.size() < 4 || byte(0) != 0xff || byte(1) != 0xd8)
        return std::nullopt;
    qsizetype at = 2;
    // Segments: FF, marker, 2-byte length (counting itself), payload. Bounded by the size.
    while (at + 4 <= jpeg.size()) {
        if (byte(at) != 0xff)
            return std::nullopt;
        const quint8 marker = byte(at + 1);
        if (marker == 0xff) { // fill byte
            ++at;
            continue;
        }
        if (marker == 0xd9 || marker == 0xda) // end of image, start of scan: no frame header
            return std::nullopt;
        const int length = (byte(at + 2) << 8) | byte(at + 3);
        if (length < 2)
            return std::nullopt;
        const bool frame =
            marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
        if (frame) {
            if (length < 7 || at + 9 > jpeg.size())
                return std::nullopt;
            const int height = (byte(at + 5) << 8) | byte(at + 6);
            const int width = (byte(at + 7) << 8) | byte(at + 8);
            return std::make_pair(width, height);
        }
        at += 2 + length;
    }
    return std::nullopt;
}

} // namespace tern::protocol
