#pragma once

#include <leptonica/allheaders.h>

#include <cstdint>
#include <string_view>

#include "dossier/core/ImageHeader.h"

namespace dossier::evidence {

/// The most pixels any source image may claim before a check decodes it (a 600-dpi A4 scan
/// is 35 million; the 80 million matches the marks' ImageLimits).
constexpr std::uint64_t kMaxSourcePixels = 80'000'000;

/// Decodes a JPEG or PNG into at most `maxPixels` pixels, shrinking while decoding, so the
/// memory a decode takes follows `maxPixels`, not the source: a JPEG by libjpeg's DCT scaling
/// (1/2, 1/4, 1/8), a PNG row by row through libpng with an area average. `gray` gives an
/// 8-bpp luminance Pix, otherwise 32-bpp RGB; the EXIF orientation is not applied. The
/// caller owns the returned Pix (never null). Throws dossier::Error upload.image_too_large
/// (more than kMaxSourcePixels, an interlaced PNG too large to decode whole, a zero side)
/// and image.corrupt (undecodable data).
Pix* decodeBounded(std::string_view bytes, const ImageHeader& header, std::uint64_t maxPixels,
                   bool gray);

}  // namespace dossier::evidence
