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
    /// The widths previews are made at. A request's width is snapped up to the next one (the
    /// largest above it), so every preview is made and cached at most once per width listed
    /// here: a client asking for each pixel width in turn costs seven renderings, not 2,000.
    static constexpr int kWidths[] = {160, 320, 480, 800, 1200, 1600, kMaxWidth};
    static int snapWidth(int requested);
    static EncodedImage render(std::string_view bytes, int width);
};

}  // namespace dossier::watermark
