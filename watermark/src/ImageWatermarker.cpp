#include "dossier/watermark/ImageWatermarker.h"

#include <Magick++.h>

#include <algorithm>
#include <cmath>
#include <list>
#include <memory>
#include <utility>
#include <vector>

#include "GuardedDecode.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/ImageHeader.h"
#include "dossier/core/Utf8.h"
#include "dossier/fonts/FontFace.h"
#include "dossier/watermark/FontLocator.h"
#include "dossier/watermark/MagickRuntime.h"
#include "dossier/watermark/WatermarkOverlay.h"

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

/// The stamp's tile size for text of `tw` × `th` pixels.
std::pair<std::size_t, std::size_t> tileSize(double tw, double th, const TileStyle& s) {
    double a = std::abs(s.angleDegrees) * kPi / 180.0;
    double gap = th * s.gapFactor;
    return {static_cast<std::size_t>(tw * std::cos(a) + th * std::sin(a) + gap),
            static_cast<std::size_t>(tw * std::sin(a) + th * std::cos(a) + gap)};
}

Magick::Image blankTile(std::size_t w, std::size_t h, const std::string& fontPath,
                        const TileStyle& s) {
    Magick::Image tile(Magick::Geometry(w, h), Magick::Color("transparent"));
    tile.matte(true);
    tile.font(fontPath);
    tile.fontPointsize(s.pointSize);
    tile.fillColor(Magick::Color("white"));
    tile.strokeColor(Magick::Color("transparent"));
    tile.antiAlias(true);
    return tile;
}

/// The text in one face: one annotate() of the whole (possibly multi-line) text.
Magick::Image renderSingleFace(const std::string& fontPath, const std::string& text,
                               const TileStyle& s) {
    Magick::Image measure(Magick::Geometry(8, 8), Magick::Color("transparent"));
    measure.font(fontPath);
    measure.fontPointsize(s.pointSize);
    Magick::TypeMetric metrics;
    measure.fontTypeMetricsMultiline(text, &metrics);
    auto [w, h] = tileSize(metrics.textWidth(), metrics.textHeight(), s);
    Magick::Image tile = blankTile(w, h, fontPath, s);
    tile.annotate(text, Magick::Geometry(w, h), MagickCore::CenterGravity, s.angleDegrees);
    return tile;
}

struct PlacedRun {
    std::string fontPath;
    std::string text;  // UTF-8
    double width = 0;
};

/// Text whose characters need more than one face (rare characters in a viewer's name): each
/// run measured in its own face and drawn after the previous one along the rotated
/// baseline, lines centred as annotate() centres them.
Magick::Image renderRuns(const std::string& fontPath, std::vector<std::vector<PlacedRun>> runs,
                         const TileStyle& s) {
    Magick::Image measure(Magick::Geometry(8, 8), Magick::Color("transparent"));
    measure.fontPointsize(s.pointSize);
    double ascent = 0, descent = 0, textWidth = 0;
    std::vector<double> lineWidths;
    for (auto& line : runs) {
        double lineWidth = 0;
        for (auto& run : line) {
            measure.font(run.fontPath);
            Magick::TypeMetric m;
            measure.fontTypeMetrics(run.text, &m);
            run.width = m.textWidth();
            ascent = std::max(ascent, m.ascent());
            descent = std::min(descent, m.descent());
            lineWidth += run.width;
        }
        lineWidths.push_back(lineWidth);
        textWidth = std::max(textWidth, lineWidth);
    }
    double lineHeight = std::floor(ascent - descent + 0.5);
    double n = static_cast<double>(runs.size());
    auto [w, h] = tileSize(textWidth, lineHeight * n, s);
    Magick::Image tile = blankTile(w, h, fontPath, s);
    std::list<Magick::Drawable> draw;
    draw.push_back(Magick::DrawableTranslation(w / 2.0, h / 2.0));
    draw.push_back(Magick::DrawableRotation(s.angleDegrees));
    for (std::size_t i = 0; i < runs.size(); ++i) {
        double x = -lineWidths[i] / 2;
        double y =
            static_cast<double>(i) * lineHeight + (ascent + descent) / 2 - (n - 1) * lineHeight / 2;
        for (const auto& run : runs[i]) {
            draw.push_back(Magick::DrawableFont(run.fontPath));
            draw.push_back(Magick::DrawableText(x, y, run.text));
            x += run.width;
        }
    }
    tile.draw(draw);
    return tile;
}

/// The lines of `text` split into runs by face (fontPath's face, then the HanaMin faces for
/// rare characters; a character in none as its U+XXXX notation). Empty when every
/// character is in fontPath's face.
std::vector<std::vector<PlacedRun>> fallbackRuns(const std::string& fontPath,
                                                 const std::string& text) {
    std::shared_ptr<const fonts::FontFace> main;
    try {
        main = fonts::FontFace::load(fontPath, 0);  // ImageMagick draws face 0 of a .ttc
    } catch (const Error&) {
        return {};  // not a font file harfbuzz reads: ImageMagick alone draws what it can
    }
    std::vector<std::vector<PlacedRun>> lines;
    bool fallback = false;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        auto& line = lines.emplace_back();
        std::u32string wanted = utf8::decode(std::string_view(text).substr(start, end - start)),
                       drawn;
        std::erase_if(wanted, [](char32_t cp) { return cp < 0x20 || cp == 0xFEFF; });
        for (const auto& run : WatermarkOverlay::fontRuns(wanted, main)) {
            if (run.face != main) fallback = true;
            drawn += run.text;
            line.push_back(PlacedRun{run.face->path(), utf8::encode(run.text)});
        }
        if (drawn != wanted) fallback = true;  // a character in no font, written as U+XXXX
        start = end + 1;
    }
    if (!fallback) lines.clear();
    return lines;
}

Stamp makeStamp(const std::string& fontPath, const std::string& text, const TileStyle& s) {
    auto runs = fallbackRuns(fontPath, text);
    Magick::Image tile = runs.empty() ? renderSingleFace(fontPath, text, s)
                                      : renderRuns(fontPath, std::move(runs), s);
    Stamp stamp;
    stamp.width = static_cast<long>(tile.columns());
    stamp.height = static_cast<long>(tile.rows());
    stamp.style = s;
    stamp.coverage.resize(static_cast<std::size_t>(stamp.width * stamp.height));
    const Magick::PixelPacket* px = tile.getConstPixels(0, 0, tile.columns(), tile.rows());
    for (std::size_t i = 0; i < stamp.coverage.size(); ++i) {
        // IM6 stores opacity (0 = opaque).
        stamp.coverage[i] = static_cast<std::uint8_t>(
            255 -
            (static_cast<unsigned>(px[i].opacity) * 255u + kQuantumRange / 2) / kQuantumRange);
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

namespace {

/// Decode (guarded), orient, force colour, stamp the marks given, strip, re-encode in the
/// input's format: apply() and applyTrace() differ only in the marks.
EncodedImage markImage(std::string_view bytes, const std::string& fontPath,
                       const FilingMark* filing, const TraceMark* trace) {
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
        if (filing != nullptr) {
            std::string text = filing->text + (filing->date.empty() ? "" : "\n" + filing->date);
            applyStamp(image, makeStamp(fontPath, text, {pt, -30.0, 200, 30, 30, 0.30, 1.4}));
        }
        if (trace != nullptr) {
            applyStamp(image,
                       makeStamp(fontPath, trace->text(), {pt * 0.5, 25.0, 60, 60, 60, 0.24, 1.6}));
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

}  // namespace

EncodedImage ImageWatermarker::apply(std::string_view bytes, const FilingMark& filing,
                                     const TraceMark* trace) const {
    return markImage(bytes, fontPath_, &filing, trace);
}

EncodedImage ImageWatermarker::applyTrace(std::string_view bytes, const TraceMark& trace) const {
    return markImage(bytes, fontPath_, nullptr, &trace);
}

}  // namespace dossier::watermark
