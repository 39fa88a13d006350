#include "dossier/watermark/WatermarkOverlay.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>
#include <vector>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"
#include "dossier/fonts/HaruSupport.h"
#include "dossier/fonts/SubsetFont.h"

namespace dossier::watermark {
namespace {

using fonts::FontFace;
using fonts::HaruDocument;
using fonts::SubsetFont;
using fonts::TempFontFile;

constexpr double kPi = 3.14159265358979323846;
constexpr const char* kDefaultFont = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

bool drawable(char32_t cp) { return cp >= 0x20 && cp != 0xFEFF; }

/// The first face of the chain that has `cp`, or null.
std::shared_ptr<const FontFace> faceFor(char32_t cp, const std::shared_ptr<const FontFace>& main) {
    if (main->hasGlyph(cp)) return main;
    for (auto rare : {FontFace::rareA(), FontFace::rareB()}) {
        if (rare && rare->hasGlyph(cp)) return rare;
    }
    return nullptr;
}

/// "U+20BB7" (at least four hex digits).
std::u32string notation(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return utf8::decode(buf);
}

/// One font of an overlay: the subset of exactly the characters drawn with it.
struct OverlayFont {
    const FontFace* face;
    std::u32string chars;
    std::unique_ptr<SubsetFont> subset;
    std::unique_ptr<TempFontFile> file;  // live until the document is saved
    HPDF_Font haru = nullptr;
};

}  // namespace

PageSize WatermarkOverlay::drawableSize(PageSize page) {
    double w = std::isfinite(page.width) ? std::abs(page.width) : 0;
    double h = std::isfinite(page.height) ? std::abs(page.height) : 0;
    double longest = std::max(w, h);
    if (longest > kMaxPageSide) {
        w *= kMaxPageSide / longest;
        h *= kMaxPageSide / longest;
    }
    return {std::clamp(w, kMinPageSide, kMaxPageSide), std::clamp(h, kMinPageSide, kMaxPageSide)};
}

OverlayStyle OverlayStyle::filing() { return OverlayStyle{}; }

OverlayStyle OverlayStyle::trace() {
    OverlayStyle s;
    s.alpha = 0.22f;
    s.red = s.green = s.blue = 0.35f;
    s.sizeFactor = 0.5;
    s.angleDegrees = -25.0;
    s.measuredWidth = true;
    return s;
}

std::vector<MarkRun> WatermarkOverlay::fontRuns(std::u32string_view line,
                                                const std::shared_ptr<const FontFace>& main) {
    std::vector<MarkRun> runs;
    auto add = [&](const std::shared_ptr<const FontFace>& face, char32_t cp) {
        if (runs.empty() || runs.back().face != face) runs.push_back(MarkRun{face, {}});
        runs.back().text += cp;
    };
    for (char32_t cp : line) {
        if (!drawable(cp)) continue;
        if (auto face = faceFor(cp, main)) {
            add(face, cp);
            continue;
        }
        // In no face: its notation, in whichever face has those (ASCII) characters.
        for (char32_t c : notation(cp)) {
            if (auto face = faceFor(c, main)) add(face, c);
        }
    }
    return runs;
}

std::string WatermarkOverlay::render(const std::vector<PageSize>& pages,
                                     const std::vector<std::string>& lines,
                                     const std::string& fontPath, unsigned face,
                                     const OverlayStyle& style) {
    auto mainFace = FontFace::load(fontPath.empty() ? kDefaultFont : fontPath, face);
    std::vector<std::vector<MarkRun>> runLines;
    std::vector<OverlayFont> fonts;  // in order of first use
    auto fontIndex = [&](const FontFace* f) {
        for (std::size_t i = 0; i < fonts.size(); ++i) {
            if (fonts[i].face == f) return i;
        }
        fonts.push_back(OverlayFont{f, {}, nullptr, nullptr});
        return fonts.size() - 1;
    };
    double longest = 1;  // ems
    for (const auto& l : lines) {
        runLines.push_back(fontRuns(utf8::decode(l), mainFace));
        double length = 0;
        for (const auto& run : runLines.back()) {
            fonts[fontIndex(run.face.get())].chars += run.text;
            if (!style.measuredWidth) {
                length += static_cast<double>(run.text.size());
                continue;
            }
            for (char32_t cp : run.text) length += run.face->advance(cp, 1.0);
        }
        longest = std::max(longest, length);
    }

    HaruDocument doc = fonts::newHaruDocument();
    HPDF_Doc pdf = doc.get();
    for (auto& f : fonts) {
        f.subset = std::make_unique<SubsetFont>(
            SubsetFont::createSequential(f.face->path(), f.face->faceIndex(), f.chars));
        f.file = std::make_unique<TempFontFile>(f.subset->ttf());
        const char* name = HPDF_LoadTTFontFromFile(pdf, f.file->path().c_str(), HPDF_TRUE);
        f.haru = HPDF_GetFont(pdf, name, "UTF-8");
        fonts::writeToUnicode(f.haru, f.subset->codes());
    }
    // Each line as (font, text in that subset's codes) pieces.
    std::vector<std::vector<std::pair<HPDF_Font, std::string>>> coded;
    for (const auto& runs : runLines) {
        auto& pieces = coded.emplace_back();
        for (const auto& run : runs) {
            const OverlayFont& f = fonts[fontIndex(run.face.get())];
            std::u32string codes;
            for (char32_t cp : run.text) codes += f.subset->codeFor(cp);
            pieces.emplace_back(f.haru, utf8::encode(codes));
        }
    }
    HPDF_ExtGState translucent = HPDF_CreateExtGState(pdf);
    HPDF_ExtGState_SetAlphaFill(translucent, style.alpha);

    for (const auto& wanted : pages) {
        PageSize size = drawableSize(wanted);
        HPDF_Page page = HPDF_AddPage(pdf);
        HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(size.width));
        HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(size.height));
        if (fonts.empty()) continue;  // nothing to draw
        HPDF_Page_SetExtGState(page, translucent);
        HPDF_Page_SetRGBFill(page, style.red, style.green, style.blue);
        double pt = std::max(12.0, std::min(size.width, size.height) / 20.0) * style.sizeFactor;
        pt = std::min(pt, kMaxFontPoints);
        double textWidth = longest * pt, lineGap = pt * 1.3;
        double angle = style.angleDegrees * kPi / 180, c = std::cos(angle), s = std::sin(angle);
        double stepX = textWidth * c + pt * 4,
               stepY = textWidth * std::abs(s) + lineGap * lines.size() + pt * 3;
        HPDF_Page_BeginText(page);
        HPDF_Font current = fonts.front().haru;
        HPDF_Page_SetFontAndSize(page, current, static_cast<HPDF_REAL>(pt));
        int row = 0;
        for (double y = -stepY; y < size.height + stepY; y += stepY, ++row) {
            for (double x = -stepX + (row % 2) * stepX / 2; x < size.width + stepX; x += stepX) {
                for (std::size_t i = 0; i < lines.size(); ++i) {
                    // Lines stack perpendicular to the text direction.
                    double ox = x + i * lineGap * s, oy = y - i * lineGap * c;
                    HPDF_Page_SetTextMatrix(page, static_cast<HPDF_REAL>(c),
                                            static_cast<HPDF_REAL>(s), static_cast<HPDF_REAL>(-s),
                                            static_cast<HPDF_REAL>(c), static_cast<HPDF_REAL>(ox),
                                            static_cast<HPDF_REAL>(oy));
                    // Each piece continues where the previous one ended (Tj advances the pen).
                    for (const auto& [font, text] : coded[i]) {
                        if (font != current) {
                            HPDF_Page_SetFontAndSize(page, font, static_cast<HPDF_REAL>(pt));
                            current = font;
                        }
                        HPDF_Page_ShowText(page, text.c_str());
                    }
                }
            }
        }
        HPDF_Page_EndText(page);
    }
    return fonts::saveHaruDocument(pdf);
}

}  // namespace dossier::watermark
