#include "dossier/renderers/WatermarkOverlay.h"

#include "HaruSupport.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/Utf8.h"
#include "dossier/renderers/SubsetFont.h"

namespace dossier::renderers {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr const char* kDefaultFont = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

}  // namespace

std::string WatermarkOverlay::render(const std::vector<PageSize>& pages,
                                     const std::vector<std::string>& lines,
                                     const std::string& fontPath, unsigned face) {
    std::u32string all;
    for (const auto& l : lines) all += utf8::decode(l);
    SubsetFont font = SubsetFont::createSequential(fontPath.empty() ? kDefaultFont : fontPath, face, all);
    TempFontFile file(font.ttf());

    HaruDocument doc = newHaruDocument();
    HPDF_Doc pdf = doc.get();
    const char* name = HPDF_LoadTTFontFromFile(pdf, file.path().c_str(), HPDF_TRUE);
    HPDF_Font hfont = HPDF_GetFont(pdf, name, "UTF-8");
    writeToUnicode(hfont, font.codes());
    std::vector<std::string> coded;  // the lines in the subset's codes
    for (const auto& l : lines) {
        std::u32string codes;
        for (char32_t cp : utf8::decode(l)) {
            if (cp >= 0x20 && cp != 0xFEFF) codes += font.codeFor(cp);
        }
        coded.push_back(utf8::encode(codes));
    }
    HPDF_ExtGState translucent = HPDF_CreateExtGState(pdf);
    HPDF_ExtGState_SetAlphaFill(translucent, 0.28f);

    for (const auto& size : pages) {
        HPDF_Page page = HPDF_AddPage(pdf);
        HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(size.width));
        HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(size.height));
        HPDF_Page_SetExtGState(page, translucent);
        HPDF_Page_SetRGBFill(page, 0.78f, 0.12f, 0.12f);
        double pt = std::max(12.0, std::min(size.width, size.height) / 20.0);
        std::size_t longest = 1;
        for (const auto& l : lines) longest = std::max(longest, utf8::decode(l).size());
        double textWidth = longest * pt, lineGap = pt * 1.3;
        double angle = 30 * kPi / 180, c = std::cos(angle), s = std::sin(angle);
        double stepX = textWidth * c + pt * 4, stepY = textWidth * s + lineGap * lines.size() + pt * 3;
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, hfont, static_cast<HPDF_REAL>(pt));
        int row = 0;
        for (double y = -stepY; y < size.height + stepY; y += stepY, ++row) {
            for (double x = -stepX + (row % 2) * stepX / 2; x < size.width + stepX; x += stepX) {
                for (std::size_t i = 0; i < lines.size(); ++i) {
                    // Lines stack perpendicular to the text direction.
                    double ox = x + i * lineGap * s, oy = y - i * lineGap * c;
                    HPDF_Page_SetTextMatrix(page, static_cast<HPDF_REAL>(c), static_cast<HPDF_REAL>(s),
                                            static_cast<HPDF_REAL>(-s), static_cast<HPDF_REAL>(c),
                                            static_cast<HPDF_REAL>(ox), static_cast<HPDF_REAL>(oy));
                    HPDF_Page_ShowText(page, coded[i].c_str());
                }
            }
        }
        HPDF_Page_EndText(page);
    }
    return saveHaruDocument(pdf);
}

}  // namespace dossier::renderers
