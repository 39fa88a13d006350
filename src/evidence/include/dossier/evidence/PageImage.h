#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace dossier::evidence {

struct PixelRect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
};

/// A decoded page as 8-bit grayscale (Leptonica behind a pimpl), for OCR. Decoding checks
/// the header dimensions first (upload.image_too_large) and refuses damaged data
/// (image.corrupt). Immutable; copies share pixels.
class PageImage {
  public:
    struct Impl;

    /// JPEG or PNG bytes, turned upright by their EXIF orientation. `maxPixels` bounds the
    /// decode.
    static PageImage decode(std::string_view bytes, std::uint64_t maxPixels = 80'000'000);
    /// Takes ownership of an 8-bpp Leptonica Pix (as `void*` to keep Leptonica out of this
    /// header). Throws if it is null.
    static PageImage adopt(void* pix8);
    int width() const;
    int height() const;
    /// Turned clockwise by 90° × quarterTurns.
    PageImage rotated(int quarterTurns) const;
    /// Scaled by `factor` (< 1 shrinks), smoothly.
    PageImage scaled(double factor) const;
    PageImage cropped(const PixelRect& rect) const;

    Impl& impl() const { return *impl_; }

  private:
    explicit PageImage(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
    std::shared_ptr<Impl> impl_;
};

}  // namespace dossier::evidence
