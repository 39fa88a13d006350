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

    /// The most pixels a check works on: an A4 page at 400 dpi. A larger scan is shrunk
    /// while it is decoded (JPEG by DCT scaling, PNG row by row), so a check's memory follows
    /// this number, not the file (README, "Memory").
    static constexpr std::uint64_t kMaxPixels = 16'000'000;

    /// JPEG or PNG bytes, turned upright by their EXIF orientation, decoded into at most
    /// `maxPixels` pixels. A source of more than 80 million pixels (or with a zero side) is
    /// refused from its header (upload.image_too_large); undecodable data is image.corrupt.
    static PageImage decode(std::string_view bytes, std::uint64_t maxPixels = kMaxPixels);
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
    /// The negative: light text on dark turned into dark on light.
    PageImage inverted() const;
    /// True when the page is a negative (a license scanned or exported inverted): its
    /// background, the median gray of a reduced copy, is dark and more of its ink is lighter
    /// than the background than darker. ~5 ms on an A4 300-dpi page.
    bool looksNegative() const;

    /// How unevenly the page is lit: the brightest paper over the darkest (the 95th over the
    /// 5th percentile of the background map of a reduced copy), 1 for an even scan; a lamp
    /// to one side of a photographed sheet gives 1.3-1.7. ~2 ms on an A4 300-dpi page.
    double lightFalloff() const;
    /// The page with its background flattened to even paper and the ink kept gray: what a
    /// global threshold (Tesseract's own Otsu) needs on a photograph lit from one side, whose
    /// darker half it otherwise turns black or drops. ~40 ms on an A4 300-dpi page.
    PageImage evenlyLit() const;

    /// Ways to turn a page black and white before OCR, for a second reading of a line the
    /// first reading got wrong; each gives an 8-bit page of pure black and white.
    enum class Binarization {
        Otsu,        // Otsu's threshold per tile (uneven scans)
        Sauvola,     // local mean and deviation (photographs, faint print)
        Normalized,  // background flattened first (a lamp to one side), then a fixed threshold
    };
    PageImage binarized(Binarization how) const;

    Impl& impl() const { return *impl_; }

  private:
    explicit PageImage(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
    std::shared_ptr<Impl> impl_;
};

}  // namespace dossier::evidence
