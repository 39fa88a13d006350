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
};

/// Pixel dimensions from a JPEG's SOF marker or a PNG's IHDR, read without decoding, so a
/// decompression bomb is measured before any decoder allocates for it. nullopt when the
/// bytes are not a JPEG/PNG or the header is cut off.
std::optional<ImageHeader> readImageHeader(std::string_view bytes);

}  // namespace dossier
