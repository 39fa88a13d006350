#include "dossier/watermark/ImageWatermarker.h"

#include <Magick++.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/ImageHeader.h"
#include "dossier/watermark/FontLocator.h"
#include "dossier/watermark/MagickRuntime.h"
#include "GuardedDecode.h"

namespace dossier::watermark {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr unsigned kQuantumRange = 65535;  // Q16 build (pkg-config Magick++)

struct TileStyle {
    double pointSize;
    double angleDegrees;
    int red, green, blue;  // 0-255
    double alpha;          // opacity of fully covered pixels
    double gapFactor;      // space between tiles, in multiples of the text height
};

/// One rotated text tile as 8-bit glyph coverage. Rendered once per mark with FreeType
/// (through annotate), then stamped over the page by applyStamp(): compositing whole tiles
/// would touch every pixel of every (mostly transparent) tile, which costs more than the
/// JPEG decode on an A4 scan.
struct Stamp {
    std::vector<std::uint8_t> coverage;
    long width = 0;
    long height = 0;
    TileStyle style;
};

Stamp makeStamp(const std::string& fontPath, const std::string& text, const TileStyle& s) {
    Magick::Image measure(Magick::Geometry(8, 8), Magick::Color("transparent"));
    measure.font(fontPath);
    measure.fontPointsize(s.pointSize);
    Magick::TypeMetric metrics;
    measure.fontTypeMetricsMultiline(text, &metrics);
    double tw = metrics.textWidth(), th = metrics.textHeight();
    double a = std::abs(s.angleDegrees) * kPi / 180.0;
    double gap = th * s.gapFactor;
    auto w = static_cast<std::size_t>(tw * std::cos(a) + th * std::sin(a) + gap);
    auto h = static_cast<std::size_t>(tw * std::sin(a) + th * std::cos(a) + gap);
    Magick::Image tile(Magick::Geometry(w, h), Magick::Color("transparent"));
    tile.matte(true);
    tile.font(fontPath);
    tile.fontPointsize(s.pointSize);
    tile.fillColor(Magick::Color("white"));
    tile.strokeColor(Magick::Color("transparent"));
    tile.antiAlias(true);
    tile.annotate(text, Magick::Geometry(w, h), MagickCore::CenterGravity, s.angleDegrees);
    Stamp stamp;
    stamp.width = static_cast<long>(tile.columns());
    stamp.height = static_cast<long>(tile.rows());
    stamp.style = s;
    stamp.coverage.resize(static_cast<std::size_t>(stamp.width * stamp.height));
    const Magick::PixelPacket* px = tile.getConstPixels(0, 0, tile.columns(), tile.rows());
    for (std::size_t i = 0; i < stamp.coverage.size(); ++i) {
        // IM6 stores opacity (0 = opaque).
        stamp.coverage[i] = static_cast<std::uint8_t>(
            255 - (static_cast<unsigned>(px[i].opacity) * 255u + kQuantumRange / 2) / kQuantumRange);
    }
    return stamp;
}

/// Blends the stamp, tiled with every other row shifted by half a tile, into the page.
void applyStamp(Magick::Image& image, const Stamp& stamp) {
    const long w = static_cast<long>(image.columns()), h = static_cast<long>(image.rows());
    const long tw = stamp.width, th = stamp.height;
    if (tw <= 0 || th <= 0) return;
    const auto& st = stamp.style;
    const double q = kQuantumRange / 255.0;
    const double cr = st.red * q, cg = st.green * q, cb = st.blue * q;
    Magick::Pixels view(image);
    for (long y = 0; y < h; ++y) {
        long shifted = y + th / 2;
        long rowIndex = shifted / th;
        long ty = shifted % th;
        long xOffset = (rowIndex % 2 ? tw / 2 : 0) + tw / 4;
        const std::uint8_t* mask = stamp.coverage.data() + ty * tw;
        Magick::PixelPacket* row = view.get(0, y, static_cast<std::size_t>(w), 1);
        long tx = xOffset % tw;
        for (long x = 0; x < w; ++x, ++tx) {
            if (tx == tw) tx = 0;
            std::uint8_t c = mask[tx];
            if (c == 0) continue;
            double a = st.alpha * c / 255.0;
            Magick::PixelPacket& p = row[x];
            p.red = static_cast<Magick::Quantum>(p.red + (cr - p.red) * a);
            p.green = static_cast<Magick::Quantum>(p.green + (cg - p.green) * a);
            p.blue = static_cast<Magick::Quantum>(p.blue + (cb - p.blue) * a);
        }
        view.sync();
    }
}

}  // namespace

ImageWatermarker::ImageWatermarker(std::string fontPath)
    : fontPath_(fontPath.empty() ? FontLocator::heiFont() : std::move(fontPath)) {
    MagickRuntime::initialize();
}

ImageInfo ImageWatermarker::inspect(std::string_view bytes) const {
    Magick::Blob blob(bytes.data(), bytes.size());
    return pingGuarded(blob);
}

EncodedImage ImageWatermarker::apply(std::string_view bytes, const FilingMark& filing,
                                     const TraceMark* trace) const {
    ImageInfo info;
    Magick::Image image = decodeGuarded(bytes, info);
    try {
        image.autoOrient();
        // Grayscale and palette scans would turn a coloured mark gray.
        if (image.colorSpace() != MagickCore::sRGBColorspace) {
            image.colorSpace(MagickCore::sRGBColorspace);
        }
        image.type(image.matte() ? MagickCore::TrueColorMatteType : MagickCore::TrueColorType);

        // Scale text with the page: about 1/24 of the shorter side (≈ 100 px at 300 dpi A4).
        double shorter = static_cast<double>(std::min(image.columns(), image.rows()));
        double pt = std::max(14.0, shorter / 24.0);
        std::string text = filing.text + (filing.date.empty() ? "" : "\n" + filing.date);
        applyStamp(image, makeStamp(fontPath_, text, {pt, -30.0, 200, 30, 30, 0.30, 1.4}));
        if (trace != nullptr) {
            applyStamp(image, makeStamp(fontPath_, trace->text(),
                                        {pt * 0.45, 25.0, 60, 60, 60, 0.16, 4.0}));
        }
        image.strip();  // EXIF (GPS included), ICC, comments
        if (info.type == MediaType::Jpeg) {
            // 4:2:0 chroma at quality 90: ImageMagick would pick 4:4:4 at 90, twice the size
            // and time for no visible gain on a scan.
            image.quality(90);
            image.defineValue("jpeg", "sampling-factor", "2x2,1x1,1x1");
            image.magick("JPEG");
        } else {
            image.magick("PNG");
        }
        return encode(image, info.type);
    } catch (const Magick::Exception& e) {
        throw Error(codes::kInternal, "The watermark could not be applied.", e.what());
    }
}

}  // namespace dossier::watermark
