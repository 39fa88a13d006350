#pragma once

#include <string_view>

#include "dossier/watermark/ImageWatermarker.h"

namespace dossier::watermark {

/// Page previews of JPEG/PNG scans: guarded decode, EXIF orientation, scaled to `width`
/// (never enlarged), metadata stripped, PNG out. Thread-safe.
class ImagePreviewer {
  public:
    static constexpr int kMinWidth = 64;
    static constexpr int kMaxWidth = 2400;
    static EncodedImage render(std::string_view bytes, int width);
};

}  // namespace dossier::watermark
