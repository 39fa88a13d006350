#include "dossier/evidence/SealDetector.h"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "BoundedDecode.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/ImageHeader.h"
#include "dossier/evidence/PageImage.h"

namespace dossier::evidence {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kWorkLongSide = 1600;
constexpr int kAngles = 120;

struct PixDeleter {
    void operator()(Pix* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

/// Red in HSV terms, hue wrapping around 0°: strong or faded (pink) red, and dark red.
bool isRed(l_int32 r, l_int32 g, l_int32 b) {
    int mx = std::max({r, g, b}), mn = std::min({r, g, b});
    if (mx != r || mx < 70) return false;  // red must dominate and not be near-black
    int chroma = mx - mn;
    if (chroma < 35) return false;  // grays, paper
    double saturation = double(chroma) / mx;
    if (saturation < 0.22) return false;
    double hue = 60.0 * double(g - b) / chroma;  // -60..60 around red
    return hue > -25.0 && hue < 18.0;            // magenta-red .. orange-red
}

PixPtr redMask(Pix* rgb) {
    int w = pixGetWidth(rgb), h = pixGetHeight(rgb);
    PixPtr mask(pixCreate(w, h, 1));
    l_uint32* src = pixGetData(rgb);
    l_uint32* dst = pixGetData(mask.get());
    int wpls = pixGetWpl(rgb), wpld = pixGetWpl(mask.get());
    for (int y = 0; y < h; ++y) {
        l_uint32* s = src + y * wpls;
        l_uint32* d = dst + y * wpld;
        for (int x = 0; x < w; ++x) {
            l_int32 r, g, b;
            extractRGBValues(s[x], &r, &g, &b);
            if (isRed(r, g, b)) SET_DATA_BIT(d, x);
        }
    }
    return mask;
}

bool redNear(Pix* mask, int x, int y) {
    l_uint32 v = 0;
    if (x < 0 || y < 0 || x >= static_cast<int>(pixGetWidth(mask)) ||
        y >= static_cast<int>(pixGetHeight(mask))) {
        return false;
    }
    pixGetPixel(mask, x, y, &v);
    return v != 0;
}

/// Share of directions from the box centre along which the outer band of an inscribed
/// ellipse holds red.
double ellipseCoverage(Pix* mask, const PixelRect& b) {
    double cx = b.x + b.width / 2.0, cy = b.y + b.height / 2.0;
    double rx = b.width / 2.0, ry = b.height / 2.0;
    int hits = 0;
    for (int i = 0; i < kAngles; ++i) {
        double a = 2 * kPi * i / kAngles, c = std::cos(a), s = std::sin(a);
        for (double f = 0.78; f <= 1.02; f += 0.02) {
            if (redNear(mask, static_cast<int>(cx + c * rx * f),
                        static_cast<int>(cy + s * ry * f))) {
                ++hits;
                break;
            }
        }
    }
    return double(hits) / kAngles;
}

/// The same for a square outline: points along the box edge, searched inwards.
double squareCoverage(Pix* mask, const PixelRect& b) {
    int hits = 0;
    int depth = std::max(3, std::min(b.width, b.height) / 8);
    for (int i = 0; i < kAngles; ++i) {
        double t = double(i) / kAngles * 4;
        int side = static_cast<int>(t);
        double u = t - side;
        int x = 0, y = 0, dx = 0, dy = 0;
        switch (side) {
            case 0:
                x = b.x + int(u * b.width), y = b.y, dy = 1;
                break;
            case 1:
                x = b.x + b.width - 1, y = b.y + int(u * b.height), dx = -1;
                break;
            case 2:
                x = b.x + b.width - 1 - int(u * b.width), y = b.y + b.height - 1, dy = -1;
                break;
            default:
                x = b.x, y = b.y + b.height - 1 - int(u * b.height), dx = 1;
                break;
        }
        for (int k = 0; k < depth; ++k) {
            if (redNear(mask, x + dx * k, y + dy * k)) {
                ++hits;
                break;
            }
        }
    }
    return double(hits) / kAngles;
}

/// The page in 32-bit RGB, upright by its EXIF orientation, at most PageImage::kMaxPixels
/// (shrunk while decoded); bombs refused from the header.
PixPtr uprightRgb(std::string_view bytes) {
    auto header = readImageHeader(bytes);
    if (!header) throw Error(codes::kImageCorrupt, "The page is not a readable JPEG or PNG image.");
    PixPtr rgb(decodeBounded(bytes, *header, PageImage::kMaxPixels, false));
    int q = header->uprightQuarterTurns();
    if (q != 0) rgb.reset(pixRotateOrth(rgb.get(), q));
    return rgb;
}

}  // namespace

std::vector<Seal> SealDetector::detect(std::string_view bytes, PixelRect* page) {
    PixPtr rgb = uprightRgb(bytes);
    int w0 = pixGetWidth(rgb.get()), h0 = pixGetHeight(rgb.get());
    if (page) *page = {0, 0, w0, h0};
    double scale = std::min(1.0, double(kWorkLongSide) / std::max(w0, h0));
    if (scale < 1.0) rgb.reset(pixScale(rgb.get(), float(scale), float(scale)));

    PixPtr mask = redMask(rgb.get());
    int w = pixGetWidth(mask.get()), h = pixGetHeight(mask.get());
    int shortSide = std::min(w, h);
    // Join ring, star and arc text of one seal; thin gaps in faded ink too.
    int k = std::max(3, shortSide / 120) | 1;
    PixPtr joined(pixCloseBrick(nullptr, mask.get(), k, k));
    PixPtr fat(pixDilateBrick(nullptr, mask.get(), 3, 3));

    Boxa* boxes = pixConnComp(joined.get(), nullptr, 8);
    std::vector<Seal> seals;
    int n = boxaGetCount(boxes);
    for (int i = 0; i < n; ++i) {
        l_int32 bx, by, bw, bh;
        boxaGetBoxGeometry(boxes, i, &bx, &by, &bw, &bh);
        PixelRect b{bx, by, bw, bh};
        int minSide = std::max(24, shortSide / 30);
        if (bw < minSide || bh < minSide) continue;  // specks, small red characters
        double aspect = double(bw) / bh;
        if (aspect < 0.55 || aspect > 1.8) continue;  // text lines, underlines
        // Fill: a seal is mostly empty paper inside its ring; a red block or logo is not.
        Box* box = boxCreate(bx, by, bw, bh);
        l_int32 count = 0;
        pixCountPixelsInRect(mask.get(), box, &count, nullptr);
        boxDestroy(&box);
        double fill = double(count) / (double(bw) * bh);
        if (fill < 0.04 || fill > 0.60) continue;
        double round = ellipseCoverage(fat.get(), b);
        double square = squareCoverage(fat.get(), b);
        double coverage = std::max(round, square);
        if (coverage < 0.72) continue;
        Seal seal;
        seal.shape = round >= square ? SealShape::Round : SealShape::Square;
        seal.ringCoverage = coverage;
        seal.box = {int(bx / scale), int(by / scale), int(bw / scale), int(bh / scale)};
        seals.push_back(seal);
    }
    boxaDestroy(&boxes);
    // A star or an arc character the close did not join is its own component inside the
    // ring: keep only seals not lying mostly inside a larger one.
    std::sort(seals.begin(), seals.end(), [](const Seal& a, const Seal& b) {
        return a.box.width * a.box.height > b.box.width * b.box.height;
    });
    std::vector<Seal> kept;
    for (const auto& s : seals) {
        bool inside = false;
        for (const auto& k : kept) {
            int ix = std::max(0, std::min(s.box.x + s.box.width, k.box.x + k.box.width) -
                                     std::max(s.box.x, k.box.x));
            int iy = std::max(0, std::min(s.box.y + s.box.height, k.box.y + k.box.height) -
                                     std::max(s.box.y, k.box.y));
            inside = inside || ix * iy * 10 >= s.box.width * s.box.height * 7;
        }
        if (!inside) kept.push_back(s);
    }
    seals = std::move(kept);
    std::sort(seals.begin(), seals.end(), [](const Seal& a, const Seal& b) {
        return a.box.y != b.box.y ? a.box.y < b.box.y : a.box.x < b.box.x;
    });
    return seals;
}

std::string extractSealPng(std::string_view bytes) {
    auto seals = SealDetector::detect(bytes);
    if (seals.empty()) {
        throw Error(codes::kSealNotFound,
                    "No red seal was found on the scan; upload a stamped page or a seal PNG.");
    }
    const Seal* largest = &seals.front();
    for (const auto& seal : seals) {
        if (seal.box.width * seal.box.height > largest->box.width * largest->box.height)
            largest = &seal;
    }
    PixPtr rgb = uprightRgb(bytes);
    int w = pixGetWidth(rgb.get()), h = pixGetHeight(rgb.get());
    int margin = std::max(largest->box.width, largest->box.height) / 25 + 2;
    int x0 = std::max(0, largest->box.x - margin), y0 = std::max(0, largest->box.y - margin);
    int x1 = std::min(w, largest->box.x + largest->box.width + margin);
    int y1 = std::min(h, largest->box.y + largest->box.height + margin);
    Box* box = boxCreate(x0, y0, x1 - x0, y1 - y0);
    PixPtr crop(pixClipRectangle(rgb.get(), box, nullptr));
    boxDestroy(&box);
    if (!crop) throw Error(codes::kImageCorrupt, "The seal could not be cut out of the scan.");
    // 500 pixels across is a 42 mm seal at 300 dpi: sharp in print, small in the PDF.
    constexpr int kMaxSide = 500;
    int side = std::max(x1 - x0, y1 - y0);
    if (side > kMaxSide) {
        float f = float(kMaxSide) / float(side);
        crop.reset(pixScale(crop.get(), f, f));
    }
    int cw = pixGetWidth(crop.get()), ch = pixGetHeight(crop.get());
    PixPtr out(pixCreate(cw, ch, 32));
    pixSetSpp(out.get(), 4);
    l_uint32* src = pixGetData(crop.get());
    l_uint32* dst = pixGetData(out.get());
    int wpls = pixGetWpl(crop.get()), wpld = pixGetWpl(out.get());
    for (int y = 0; y < ch; ++y) {
        for (int x = 0; x < cw; ++x) {
            l_int32 r, g, b;
            extractRGBValues(src[y * wpls + x], &r, &g, &b);
            // Ink keeps its colour; paper, black text and signatures become transparent, with a
            // soft edge so the seal does not look cut out.
            int alpha = 0;
            int mx = std::max({r, g, b}), mn = std::min({r, g, b});
            if (mx == r && mx - mn > 0) {
                double hue = 60.0 * double(g - b) / (mx - mn);
                double saturation = double(mx - mn) / mx;
                if (hue > -25.0 && hue < 18.0 && mx >= 70) {
                    alpha =
                        static_cast<int>(std::clamp((saturation - 0.12) / 0.25, 0.0, 1.0) * 255.0);
                }
            }
            l_uint32 pixel = 0;
            composeRGBAPixel(r, g, b, alpha, &pixel);
            dst[y * wpld + x] = pixel;
        }
    }
    // One ink colour (the mean of the solid ink) with the shape in the alpha channel: the
    // scan's paper grain and JPEG noise do not travel with the seal, and it compresses well.
    double sr = 0, sg = 0, sb = 0;
    long solid = 0;
    for (int y = 0; y < ch; ++y) {
        for (int x = 0; x < cw; ++x) {
            l_int32 r, g, b, a;
            extractRGBAValues(dst[y * wpld + x], &r, &g, &b, &a);
            if (a < 230) continue;
            sr += r;
            sg += g;
            sb += b;
            ++solid;
        }
    }
    l_int32 inkR = solid ? l_int32(sr / solid) : 200, inkG = solid ? l_int32(sg / solid) : 30,
            inkB = solid ? l_int32(sb / solid) : 40;
    for (int y = 0; y < ch; ++y) {
        for (int x = 0; x < cw; ++x) {
            l_int32 r, g, b, a;
            extractRGBAValues(dst[y * wpld + x], &r, &g, &b, &a);
            l_uint32 pixel = 0;
            composeRGBAPixel(inkR, inkG, inkB, a, &pixel);
            dst[y * wpld + x] = pixel;
        }
    }
    l_uint8* data = nullptr;
    size_t size = 0;
    if (pixWriteMemPng(&data, &size, out.get(), 0.0f) != 0 || data == nullptr) {
        throw Error(codes::kImageCorrupt, "The seal could not be cut out of the scan.");
    }
    std::string png(reinterpret_cast<const char*>(data), size);
    lept_free(data);
    return png;
}

CheckResult checkSeals(const std::vector<std::string>& pages, int expected) {
    CheckResult r;
    r.check = "seals";
    int round = 0, count = 0;
    for (std::size_t page = 0; page < pages.size(); ++page) {
        PixelRect size;
        for (const auto& s : SealDetector::detect(pages[page], &size)) {
            ++count;
            round += s.shape == SealShape::Round;
            r.regions.push_back({static_cast<int>(page + 1), s.box.x, s.box.y, s.box.width,
                                 s.box.height,
                                 s.shape == SealShape::Round ? "seal_round" : "seal_square",
                                 size.width, size.height});
        }
    }
    r.details["count"] = count;
    r.details["round"] = round;
    r.details["square"] = count - round;
    r.details["expected"] = expected;
    if (count >= expected) {
        r.status = CheckStatus::Pass;
        r.code = codes::kSealsPresent;
        r.message = "Found " + std::to_string(count) + " red seal(s); " + std::to_string(expected) +
                    " expected.";
    } else {
        r.status = CheckStatus::Fail;
        r.code = codes::kSealsMissing;
        r.message = "Found " + std::to_string(count) + " red seal(s) but " +
                    std::to_string(expected) +
                    " expected (one per completing unit). Upload the stamped original.";
    }
    return r;
}

}  // namespace dossier::evidence
