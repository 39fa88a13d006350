#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dossier/core/MediaType.h"
#include "dossier/watermark/Marks.h"

namespace dossier::watermark {

struct EncodedImage {
    std::string bytes;
    MediaType type = MediaType::Unknown;
    std::uint64_t width = 0;
    std::uint64_t height = 0;
};

struct ImageInfo {
    MediaType type = MediaType::Unknown;
    std::uint64_t width = 0;
    std::uint64_t height = 0;
};

/// Watermarks JPEG and PNG scans with Magick++. Every decode is guarded: the header is
/// pinged first and images past MagickRuntime's limits are refused with
/// upload.image_too_large before a pixel is allocated; damaged images give image.corrupt.
/// Output keeps the input's format and dimensions, is auto-oriented by EXIF, always colour
/// (a grayscale scan becomes sRGB so the red mark shows), and carries no EXIF/GPS metadata.
/// Thread-safe (no shared mutable state).
class ImageWatermarker {
public:
    /// `fontPath` empty = FontLocator::heiFont().
    explicit ImageWatermarker(std::string fontPath = {});

    /// Header only: type and size, after the limit checks. Throws like apply().
    ImageInfo inspect(std::string_view bytes) const;
    /// The filing mark, plus the trace mark when `trace` is given.
    EncodedImage apply(std::string_view bytes, const FilingMark& filing,
                       const TraceMark* trace = nullptr) const;

private:
    std::string fontPath_;
};

}  // namespace dossier::watermark
