#include "dossier/evidence/PdfDocument.h"

#include <leptonica/allheaders.h>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <mutex>

#include "PageImageImpl.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/PdfBytes.h"

namespace dossier::evidence {
namespace {

void silencePoppler() {
    static std::once_flag once;
    std::call_once(
        once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

/// RGB24 rows from poppler → a Leptonica 32-bpp RGB Pix.
Pix* toPix(const poppler::image& img) {
    int w = img.width(), h = img.height();
    Pix* pix = pixCreate(w, h, 32);
    if (pix == nullptr) return nullptr;
    const char* src = img.const_data();
    int stride = img.bytes_per_row();
    l_uint32* dst = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int y = 0; y < h; ++y) {
        const auto* row = reinterpret_cast<const unsigned char*>(src + std::size_t(y) * stride);
        for (int x = 0; x < w; ++x) {
            composeRGBPixel(row[3 * x], row[3 * x + 1], row[3 * x + 2], dst + y * wpl + x);
        }
    }
    return pix;
}

}  // namespace

struct PdfDocument::Impl {
    std::string bytes;  // poppler keeps pointers into the data
    std::unique_ptr<poppler::document> doc;

    poppler::image render(int index, double dpi, int width,
                          poppler::image::format_enum format) const {
        std::unique_ptr<poppler::page> page(doc->create_page(index));
        if (!page)
            throw Error(codes::kPageNotFound,
                        "The PDF has no page " + std::to_string(index + 1) + ".");
        auto rect = page->page_rect();
        double wIn = std::max(rect.width(), 1.0) / 72.0, hIn = std::max(rect.height(), 1.0) / 72.0;
        if (page->orientation() == poppler::page::landscape ||
            page->orientation() == poppler::page::seascape) {
            std::swap(wIn, hIn);
        }
        if (width > 0) dpi = width / wIn;
        double pixels = wIn * dpi * hIn * dpi;
        if (pixels > double(kMaxPixels)) dpi *= std::sqrt(double(kMaxPixels) / pixels);
        poppler::page_renderer renderer;
        renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
        renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
        renderer.set_image_format(format);
        poppler::image img = renderer.render_page(page.get(), dpi, dpi);
        if (!img.is_valid()) {
            throw Error(codes::kPdfCorrupt,
                        "A page of the PDF cannot be rendered; the file may be damaged.");
        }
        return img;
    }
};

PdfDocument::PdfDocument(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfDocument::~PdfDocument() = default;
PdfDocument::PdfDocument(PdfDocument&&) noexcept = default;
PdfDocument& PdfDocument::operator=(PdfDocument&&) noexcept = default;

PdfDocument PdfDocument::load(std::string_view bytes) {
    silencePoppler();
    auto impl = std::make_unique<Impl>();
    std::string repaired;
    auto readable = pdfWithoutTrailingJunk(bytes, repaired);
    if (readable.data() == repaired.data()) {
        impl->bytes = std::move(repaired);
    } else {
        impl->bytes.assign(readable);
    }
    if (impl->bytes.size() > 0x7FFFFFFF) throw Error(codes::kPdfCorrupt, "The PDF is too large.");
    impl->doc.reset(poppler::document::load_from_raw_data(impl->bytes.data(),
                                                          static_cast<int>(impl->bytes.size())));
    if (!impl->doc) {
        throw Error(codes::kPdfCorrupt, "The PDF cannot be read; it may be damaged.");
    }
    if (impl->doc->is_locked() || impl->doc->is_encrypted()) {
        throw Error(codes::kPdfEncrypted,
                    "The PDF is password-protected or encrypted; upload an unprotected copy.");
    }
    if (impl->doc->pages() < 1) throw Error(codes::kPdfCorrupt, "The PDF has no pages.");
    return PdfDocument(std::move(impl));
}

int PdfDocument::pageCount() const { return impl_->doc->pages(); }

std::string PdfDocument::pageText(int index) const {
    std::unique_ptr<poppler::page> page(impl_->doc->create_page(index));
    if (!page) return {};
    auto utf8 = page->text().to_utf8();
    return std::string(utf8.begin(), utf8.end());
}

PageImage PdfDocument::renderGray(int index, double dpi) const {
    poppler::image img = impl_->render(index, dpi, 0, poppler::image::format_gray8);
    Pix* gray = pixCreate(img.width(), img.height(), 8);
    if (gray == nullptr) throw Error(codes::kInternal, "Out of memory rendering a PDF page.");
    const char* src = img.const_data();
    l_uint32* dst = pixGetData(gray);
    int wpl = pixGetWpl(gray);
    for (int y = 0; y < img.height(); ++y) {
        const auto* row =
            reinterpret_cast<const unsigned char*>(src + std::size_t(y) * img.bytes_per_row());
        l_uint32* line = dst + std::size_t(y) * wpl;
        for (int x = 0; x < img.width(); ++x) SET_DATA_BYTE(line, x, row[x]);
    }
    return PageImage::adopt(gray);
}

std::string PdfDocument::renderPng(int index, double dpi, int width) const {
    Pix* rgb = nullptr;
    {
        // Three bytes a pixel while poppler holds two copies (its bitmap and the image);
        // freed before the PNG is encoded.
        poppler::image img = impl_->render(index, dpi, width, poppler::image::format_rgb24);
        rgb = toPix(img);
    }
    if (rgb == nullptr) throw Error(codes::kInternal, "Out of memory rendering a PDF page.");
    l_uint8* data = nullptr;
    size_t size = 0;
    int rc = pixWriteMemPng(&data, &size, rgb, 0.0f);
    pixDestroy(&rgb);
    if (rc != 0 || data == nullptr)
        throw Error(codes::kInternal, "A PDF page could not be encoded.");
    std::string png(reinterpret_cast<const char*>(data), size);
    lept_free(data);
    return png;
}

}  // namespace dossier::evidence
