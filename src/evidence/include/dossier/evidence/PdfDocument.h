#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "dossier/evidence/PageImage.h"

namespace dossier::evidence {

/// A PDF opened with poppler, for OCR, seal detection and previews (ImageMagick never
/// decodes PDF). Encrypted documents give pdf.encrypted, unparseable ones pdf.corrupt.
/// Rendering is bounded: a page is rendered at most at `kMaxPixels` pixels whatever its
/// MediaBox claims (the resolution is lowered to fit), so a render's memory follows that
/// number (README, "Memory"). NOT thread-safe; one per thread.
class PdfDocument {
  public:
    static constexpr std::uint64_t kMaxPixels = PageImage::kMaxPixels;

    static PdfDocument load(std::string_view bytes);
    ~PdfDocument();
    PdfDocument(PdfDocument&&) noexcept;
    PdfDocument& operator=(PdfDocument&&) noexcept;

    int pageCount() const;
    /// The page's own text layer (UTF-8), empty for a scanned page.
    std::string pageText(int index) const;
    /// Page `index` (0-based) in 8-bit gray at `dpi` (lowered if the page would exceed the
    /// pixel budget), rendered in gray: no colour copy of the page is ever made.
    PageImage renderGray(int index, double dpi) const;
    /// Page `index` as PNG bytes: colour at `dpi`, or `width` pixels wide when width > 0.
    std::string renderPng(int index, double dpi, int width = 0) const;

  private:
    struct Impl;
    explicit PdfDocument(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::evidence
