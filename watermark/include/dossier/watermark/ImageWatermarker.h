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
    /// The trace mark alone (lighter gray, smaller, at another angle than the filing mark),
    /// for a copy that already carries the filing mark: per viewer, per request. Same guarded
    /// decode, orientation, colour, metadata stripping and output format as apply(), and the
    /// same errors. Characters of the viewer's name that the font lacks are drawn with the
    /// HanaMin faces; one no font has is written as U+XXXX, never an error.
    EncodedImage applyTrace(std::string_view bytes, const TraceMark& trace) const;

  private:
    std::string fontPath_;
};

}  // namespace dossier::watermark
