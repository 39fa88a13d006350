// Vector watermark over PDF pages: the original text layer survives (pdftotext), the
// result passes `qpdf --check`, every page carries the mark, fonts are embedded subsets.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "SampleFiles.h"
#include "TestSupport.h"
#include "dossier/core/Error.h"
#include "dossier/renderers/SubsetFont.h"
#include "dossier/renderers/WatermarkOverlay.h"
#include "dossier/watermark/PdfStamper.h"

using namespace dossier;
using namespace dossier::test;

namespace {

std::string stamped(const std::string& pdf) {
    std::vector<renderers::PageSize> sizes;
    for (const auto& b : watermark::PdfStamper::pageBoxes(pdf)) sizes.push_back({b.width, b.height});
    auto overlay = renderers::WatermarkOverlay::render(sizes, {"仅用于2025年全国质量标杆备案审核", "2026-11-21"});
    return watermark::PdfStamper::stamp(pdf, overlay, true);
}

}  // namespace

TEST(PdfWatermark, TextSurvivesAndTheFileChecksClean) {
    TempDir dir;
    std::string out = stamped(makeTextPdf());
    writeFile(dir.path() + "/out.pdf", out);
    // -raw: content-stream order (the diagonal mark would interleave a layout-ordered dump).
    std::string text = runCommand("pdftotext -raw " + dir.path() + "/out.pdf - 2>/dev/null");
    EXPECT_NE(text.find("Dossier page one"), std::string::npos) << text;
    EXPECT_NE(text.find("Dossier page two"), std::string::npos);
    // The mark itself is real, searchable text on both pages.
    std::string page2 = runCommand("pdftotext -raw -f 2 -l 2 " + dir.path() + "/out.pdf - 2>/dev/null");
    EXPECT_NE(page2.find("备案审核"), std::string::npos) << page2;
    std::string check = runCommand("qpdf --check " + dir.path() + "/out.pdf 2>&1");
    EXPECT_NE(check.find("No syntax or stream encoding errors"), std::string::npos) << check;
    std::string fonts = runCommand("pdffonts " + dir.path() + "/out.pdf 2>/dev/null");
    EXPECT_NE(fonts.find("+"), std::string::npos) << "watermark font not a subset: " << fonts;
    EXPECT_NE(fonts.find("yes"), std::string::npos) << fonts;  // embedded
    auto boxes = watermark::PdfStamper::pageBoxes(out);
    ASSERT_EQ(boxes.size(), 2u);
    EXPECT_NEAR(boxes[1].width, 842, 0.5);  // landscape page kept its size
    EXPECT_LT(out.size(), makeTextPdf().size() + 60'000) << "overlay font not subset";
}

TEST(PdfWatermark, DeterministicOutput) {
    EXPECT_EQ(stamped(makeTextPdf()), stamped(makeTextPdf()));
}

TEST(PdfWatermark, BrokenAndEncryptedInput) {
    try {
        watermark::PdfStamper::pageBoxes("%PDF-1.4\ngarbage");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "pdf.corrupt");
    }
    TempDir dir;
    writeFile(dir.path() + "/plain.pdf", makeTextPdf());
    ASSERT_EQ(std::system(("qpdf --encrypt u o 256 -- " + dir.path() + "/plain.pdf " + dir.path() +
                           "/locked.pdf").c_str()),
              0);
    try {
        watermark::PdfStamper::pageBoxes(readFile(dir.path() + "/locked.pdf"));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "pdf.encrypted");
    }
}

TEST(SubsetFont, MissingGlyphIsNamed) {
    // 𠮷 (U+20BB7) is outside the BMP and not in WenQuanYi Zen Hei.
    try {
        renderers::SubsetFont::create("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, U"\U00020BB7野家");
        FAIL() << "a missing glyph vanished silently";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "render.glyph_missing");
        EXPECT_NE(e.message().find("U+20BB7"), std::string::npos) << e.message();
    }
    auto font = renderers::SubsetFont::create("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, U"仅用于备案审核");
    EXPECT_GT(font.ttf().size(), 1000u);
    EXPECT_LT(font.ttf().size(), 40000u);
}
