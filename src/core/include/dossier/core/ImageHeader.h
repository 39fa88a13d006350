#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "dossier/core/MediaType.h"

namespace dossier {

struct ImageHeader {
    MediaType type = MediaType::Unknown;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    /// EXIF orientation (1-8; 1 = upright, 6 = turn 90° clockwise to view, 3 = 180°,
    /// 8 = turn 90° counter-clockwise). 1 when absent.
    int orientation = 1;
    /// Clockwise quarter turns that make the stored pixels upright (mirrored EXIF variants
    /// are treated as their unmirrored rotation).
    int uprightQuarterTurns() const;
};

/// Pixel dimensions from a JPEG's SOF marker or a PNG's IHDR, read without decoding, so a
/// decompression bomb is measured before any decoder allocates for it. nullopt when the
/// bytes are not a JPEG/PNG or the header is cut off.
std::optional<ImageHeader> readImageHeader(std::string_view bytes);

}  // namespace dossier
