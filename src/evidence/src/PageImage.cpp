#include "dossier/evidence/PageImage.h"

#include <algorithm>

#include "PageImageImpl.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/ImageHeader.h"

namespace dossier::evidence {
namespace {

std::shared_ptr<PageImage::Impl> own(Pix* pix, const char* what) {
    if (pix == nullptr) throw Error(codes::kInternal, "Image processing failed.", what);
    return std::make_shared<PageImage::Impl>(pix);
}

}  // namespace

PageImage PageImage::decode(std::string_view bytes, std::uint64_t maxPixels) {
    auto header = readImageHeader(bytes);
    if (!header) {
        throw Error(codes::kImageCorrupt, "The page is not a readable JPEG or PNG image.");
    }
    if (std::uint64_t(header->width) * header->height > maxPixels || header->width == 0 ||
        header->height == 0) {
        throw Error(codes::kImageTooLarge, "The image is " + std::to_string(header->width) + " × " +
                                               std::to_string(header->height) +
                                               " pixels, more than a scan may have.");
    }
    setMsgSeverity(L_SEVERITY_NONE);  // Leptonica would print to stderr
    Pix* raw = pixReadMem(reinterpret_cast<const l_uint8*>(bytes.data()), bytes.size());
    if (raw == nullptr) {
        throw Error(codes::kImageCorrupt, "The image cannot be decoded; it may be damaged.");
    }
    Pix* gray = pixConvertTo8(raw, 0);
    pixDestroy(&raw);
    // As a viewer shows it: turned by the EXIF orientation (phone photos of licenses).
    return PageImage(own(gray, "pixConvertTo8")).rotated(header->uprightQuarterTurns());
}

PageImage PageImage::adopt(void* pix8) { return PageImage(own(static_cast<Pix*>(pix8), "adopt")); }

int PageImage::width() const { return static_cast<int>(pixGetWidth(impl_->pix)); }
int PageImage::height() const { return static_cast<int>(pixGetHeight(impl_->pix)); }

PageImage PageImage::rotated(int quarterTurns) const {
    int q = ((quarterTurns % 4) + 4) % 4;
    if (q == 0) return *this;
    return PageImage(own(pixRotateOrth(impl_->pix, q), "pixRotateOrth"));
}

PageImage PageImage::scaled(double factor) const {
    if (factor == 1.0) return *this;
    auto f = static_cast<l_float32>(factor);
    return PageImage(own(pixScale(impl_->pix, f, f), "pixScale"));
}

PageImage PageImage::cropped(const PixelRect& r) const {
    int x = std::clamp(r.x, 0, width() - 1), y = std::clamp(r.y, 0, height() - 1);
    int w = std::clamp(r.width, 1, width() - x), h = std::clamp(r.height, 1, height() - y);
    Box* box = boxCreate(x, y, w, h);
    Pix* out = pixClipRectangle(impl_->pix, box, nullptr);
    boxDestroy(&box);
    return PageImage(own(out, "pixClipRectangle"));
}

}  // namespace dossier::evidence
