#include "dossier/evidence/PageImage.h"

#include <algorithm>

#include "BoundedDecode.h"
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
    Pix* gray = decodeBounded(bytes, *header, maxPixels, true);
    // As a viewer shows it: turned by the EXIF orientation (phone photos of licenses).
    return PageImage(own(gray, "decodeBounded")).rotated(header->uprightQuarterTurns());
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

PageImage PageImage::inverted() const {
    return PageImage(own(pixInvert(nullptr, impl_->pix), "pixInvert"));
}

bool PageImage::looksNegative() const {
    // On a copy about 400 px across: enough to weigh paper against ink.
    int longSide = std::max(width(), height());
    int factor = std::max(1, longSide / 400);
    Pix* small = factor > 1 ? pixScaleByIntSampling(impl_->pix, factor) : pixClone(impl_->pix);
    if (small == nullptr) return false;
    NUMA* hist = pixGetGrayHistogram(small, 1);
    pixDestroy(&small);
    if (hist == nullptr) return false;
    l_float32 total = 0;
    numaGetSum(hist, &total);
    double median = 0, seen = 0;
    for (int v = 0; v < 256; ++v) {
        l_float32 n = 0;
        numaGetFValue(hist, v, &n);
        seen += n;
        if (seen >= total / 2) {
            median = v;
            break;
        }
    }
    // Ink is what differs clearly from the background, in either direction.
    double lighter = 0, darker = 0;
    for (int v = 0; v < 256; ++v) {
        l_float32 n = 0;
        numaGetFValue(hist, v, &n);
        if (v > median + 60) lighter += n;
        if (v < median - 60) darker += n;
    }
    numaDestroy(&hist);
    return median < 110 && lighter > 2 * darker && lighter > total * 0.002;
}

double PageImage::lightFalloff() const {
    int factor = std::max(1, std::max(width(), height()) / 400);
    Pix* small = factor > 1 ? pixScaleByIntSampling(impl_->pix, factor) : pixClone(impl_->pix);
    if (small == nullptr) return 1.0;
    Pix* map = nullptr;
    // Tiles of some 16 px of the reduced copy: several lines of text, so each holds paper.
    pixGetBackgroundGrayMap(small, nullptr, 16, 16, 60, 40, &map);
    pixDestroy(&small);
    if (map == nullptr) return 1.0;
    l_uint32 dark = 0, light = 0;
    pixGetRankValue(map, 1, 0.05f, &dark);
    pixGetRankValue(map, 1, 0.95f, &light);
    pixDestroy(&map);
    return double(light) / double(std::max<l_uint32>(dark, 1));
}

PageImage PageImage::evenlyLit() const {
    Pix* flat = pixBackgroundNormSimple(impl_->pix, nullptr, nullptr);
    if (flat == nullptr) return *this;  // too small to tile: as it is
    return PageImage(own(flat, "pixBackgroundNormSimple"));
}

PageImage PageImage::binarized(Binarization how) const {
    Pix* binary = nullptr;
    Pix* src = impl_->pix;
    int w = width(), h = height();
    switch (how) {
        case Binarization::Otsu: {
            // Tiles about a line of text high and a few characters wide.
            int tx = std::max(16, w / 8), ty = std::max(16, h / 2);
            pixOtsuAdaptiveThreshold(src, tx, ty, 0, 0, 0.1f, nullptr, &binary);
            break;
        }
        case Binarization::Sauvola: {
            int half = std::clamp(std::min(w, h) / 3, 8, 64);
            pixSauvolaBinarize(src, half, 0.34f, 1, nullptr, nullptr, nullptr, &binary);
            break;
        }
        case Binarization::Normalized: {
            Pix* flat = pixBackgroundNormSimple(src, nullptr, nullptr);
            if (flat != nullptr) binary = pixThresholdToBinary(flat, 160);
            pixDestroy(&flat);
            break;
        }
    }
    if (binary == nullptr) return *this;  // a region too small to tile: read it as it is
    Pix* gray = pixConvert1To8(nullptr, binary, 255, 0);
    pixDestroy(&binary);
    return PageImage(own(gray, "pixConvert1To8"));
}

}  // namespace dossier::evidence
