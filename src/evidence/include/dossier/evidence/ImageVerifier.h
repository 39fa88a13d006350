#pragma once

#include <cstdint>
#include <string_view>

#include "dossier/core/MediaType.h"

namespace dossier::evidence {

/// The pixel bounds every later step decodes an image within (previews and marks:
/// watermark::ImageLimits; checks: PageImage::decode).
struct ImageDecodeLimits {
    std::uint64_t maxWidth = 20000;
    std::uint64_t maxHeight = 20000;
    std::uint64_t maxPixels = 80'000'000;
};

/// The upload's one accept-or-refuse decision for a JPEG or PNG: the whole image is decoded
/// once, as every later step (ImageMagick for previews and marks, Leptonica for checks) will
/// decode it, so what is accepted here those steps can process. Decoding goes row by row and
/// keeps no pixels: memory is one row (plus, for a progressive JPEG, libjpeg's coefficient
/// buffer, bounded by the limits), whatever the compression ratio. Thread-safe.
class ImageVerifier {
  public:
    /// Refuses, with a code: dimensions past `limits` (upload.image_too_large, read from the
    /// header before anything is decompressed), data that ends early (upload.truncated) or
    /// does not decode (upload.corrupt: a broken IDAT stream or CRC of a PNG; any libjpeg
    /// warning, since ImageMagick turns those into errors). libpng's warnings and benign errors
    /// (an unknown ancillary chunk, trailing data after the image) are accepted, as both
    /// decoders accept them. `type` must be Jpeg or Png.
    static void requireDecodable(std::string_view bytes, MediaType type,
                                 const ImageDecodeLimits& limits);
};

}  // namespace dossier::evidence
