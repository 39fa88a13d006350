#pragma once

#include <Magick++.h>

#include <string_view>

#include "dossier/watermark/ImageWatermarker.h"

namespace dossier::watermark {

/// Header checks (our own JPEG/PNG header reading, then ImageMagick's ping) against
/// MagickRuntime's limits; throws upload.image_too_large / image.corrupt /
/// upload.type_not_allowed.
ImageInfo pingGuarded(const Magick::Blob& blob);
/// pingGuarded, then a decode that treats ImageMagick's "corrupt image" warnings as errors.
/// `atLeastWidth` > 0 lets a JPEG be decoded smaller (libjpeg's DCT scaling, 1/2 to 1/8),
/// but never narrower than that: for previews, which need no more.
Magick::Image decodeGuarded(std::string_view bytes, ImageInfo& info, std::size_t atLeastWidth = 0);
/// Writes the image in its set format (magick) and describes the result.
EncodedImage encode(Magick::Image& image, MediaType type);

}  // namespace dossier::watermark
