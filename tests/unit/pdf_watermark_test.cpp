// Vector watermark over PDF pages: the original text layer survives (pdftotext), the
// result passes `qpdf --check`, every page carries the mark, fonts are embedded subsets.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "PdfProbe.h"
#include "SampleFiles.h"
#include "TestSupport.h"
#include "dossier/core/Error.h"
#include "dossier/fonts/SubsetFont.h"
#include "dossier/watermark/PdfStamper.h"
#include "dossier/watermark/WatermarkOverlay.h"

using namespace dossier;
using namespace dossier::test;

namespace {

std::vector<watermark::PageSize> pageSizes(const std::string& pdf) {
    std::vector<watermark::PageSize> sizes;
    for (const auto& b : watermark::PdfStamper::pageBoxes(pdf))
        sizes.push_back({b.width, b.height});
    return sizes;
}

std::string stamped(const std::string& pdf) {
    auto overlay = watermark::WatermarkOverlay::render(
        pageSizes(pdf), {"仅用于2025年全国质量标杆备案审核", "2026-11-21"});
    return watermark::PdfStamper::stamp(pdf, overlay, true);
}

/// The PDF's streams uncompressed (qpdf --qdf), to look at the drawing operators.
std::string uncompressed(const TempDir& dir, const std::string& pdf) {
    writeFile(dir.path() + "/in.pdf", pdf);
    runCommand("qpdf --qdf --object-streams=disable " + dir.path() + "/in.pdf " + dir.path() +
               "/qdf.pdf 2>&1");
    return readFile(dir.path() + "/qdf.pdf");
}

/// 𠮷 (U+20BB7, in HanaMin A), 𫝀 (U+2B740, Extension D: HanaMin B only), 䶮 (U+4DAE).
const std::string kRareViewer =
    "查看人 \U00020BB7田 \u4DAE \U0002B740 · acct-42 · 2026-11-20 08:00 UTC";

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
    std::string page2 =
        runCommand("pdftotext -raw -f 2 -l 2 " + dir.path() + "/out.pdf - 2>/dev/null");
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
                           "/locked.pdf")
                              .c_str()),
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
        fonts::SubsetFont::create("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0,
                                  U"\U00020BB7野家");
        FAIL() << "a missing glyph vanished silently";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "render.glyph_missing");
        EXPECT_NE(e.message().find("U+20BB7"), std::string::npos) << e.message();
    }
    auto font = fonts::SubsetFont::create("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0,
                                          U"仅用于备案审核");
    EXPECT_GT(font.ttf().size(), 1000u);
    EXPECT_LT(font.ttf().size(), 40000u);
}

TEST(PdfWatermark, FilingStyleIsTheDefaultAndDrawsTheFilingLook) {
    TempDir dir;
    std::vector<watermark::PageSize> sizes{{595.28, 841.89}};
    std::vector<std::string> lines{"仅用于备案审核", "2026-11-21"};
    std::string byDefault = watermark::WatermarkOverlay::render(sizes, lines);
    EXPECT_EQ(byDefault, watermark::WatermarkOverlay::render(sizes, lines, {}, 0,
                                                             watermark::OverlayStyle::filing()));
    std::string qdf = uncompressed(dir, byDefault);
    EXPECT_NE(qdf.find("0.78 0.12 0.12 rg"), std::string::npos) << "filing red changed";
    EXPECT_NE(qdf.find("/ca 0.28"), std::string::npos) << "filing opacity changed";
    EXPECT_NE(qdf.find("0.86603 0.5 -0.5 0.86603 "), std::string::npos) << "filing angle changed";
    EXPECT_EQ(qdf.find("HanaMin"), std::string::npos)
        << "a fallback font for characters the main font has";

    std::string trace =
        watermark::WatermarkOverlay::render(sizes, lines, {}, 0, watermark::OverlayStyle::trace());
    std::string traceQdf = uncompressed(dir, trace);
    EXPECT_NE(traceQdf.find("0.35 0.35 0.35 rg"), std::string::npos);
    EXPECT_NE(traceQdf.find("/ca 0.22"), std::string::npos);
    EXPECT_NE(traceQdf.find("0.90631 -0.42262 0.42262 0.90631 "), std::string::npos)
        << "trace not at -25°";
    EXPECT_EQ(traceQdf.find("0.78 0.12 0.12 rg"), std::string::npos);
}

TEST(PdfWatermark, TraceMarkPrintsRareCharactersWithFallbackFonts) {
    TempDir dir;
    std::string pdf = makeTextPdf();
    auto overlay = watermark::WatermarkOverlay::render(pageSizes(pdf), {kRareViewer}, {}, 0,
                                                       watermark::OverlayStyle::trace());
    std::string out = watermark::PdfStamper::stamp(pdf, overlay, true);
    writeFile(dir.path() + "/out.pdf", out);
    std::string text = runCommand("pdftotext -raw " + dir.path() + "/out.pdf - 2>/dev/null");
    EXPECT_NE(text.find("Dossier page one"), std::string::npos) << text;
    // The ToUnicode maps of the fallback subsets give the characters back, 𠮷 as a surrogate pair.
    EXPECT_NE(text.find("\U00020BB7田"), std::string::npos) << text;
    EXPECT_NE(text.find("\u4DAE"), std::string::npos) << text;
    EXPECT_NE(text.find("\U0002B740"), std::string::npos) << text;
    EXPECT_NE(text.find("acct-42"), std::string::npos) << text;
    std::string check = runCommand("qpdf --check " + dir.path() + "/out.pdf 2>&1");
    EXPECT_NE(check.find("No syntax or stream encoding errors"), std::string::npos) << check;
    EXPECT_EQ(check.find("WARNING"), std::string::npos) << check;
    std::string fonts = runCommand("pdffonts " + dir.path() + "/out.pdf 2>/dev/null");
    EXPECT_NE(fonts.find("HanaMinA"), std::string::npos) << fonts;
    EXPECT_NE(fonts.find("HanaMinB"), std::string::npos) << fonts;
    EXPECT_LT(out.size(), pdf.size() + 80'000) << "fallback fonts not subset";
}

TEST(PdfWatermark, TraceStampedOverTheFilingCopyKeepsBothMarks) {
    // Per request: the trace overlay laid over the stored filing-watermarked copy.
    TempDir dir;
    std::string filed = stamped(makeTextPdf());
    auto trace = watermark::WatermarkOverlay::render(pageSizes(filed), {kRareViewer}, {}, 0,
                                                     watermark::OverlayStyle::trace());
    std::string out = watermark::PdfStamper::stamp(filed, trace, true);
    writeFile(dir.path() + "/out.pdf", out);
    for (int page : {1, 2}) {
        std::string text =
            runCommand("pdftotext -raw -f " + std::to_string(page) + " -l " + std::to_string(page) +
                       " " + dir.path() + "/out.pdf - 2>/dev/null");
        EXPECT_NE(text.find("备案审核"), std::string::npos)
            << "filing mark lost on page " << page << ": " << text;
        EXPECT_NE(text.find("acct-42"), std::string::npos)
            << "no trace mark on page " << page << ": " << text;
    }
    std::string check = runCommand("qpdf --check " + dir.path() + "/out.pdf 2>&1");
    EXPECT_NE(check.find("No syntax or stream encoding errors"), std::string::npos) << check;
}

TEST(PdfWatermark, CharacterInNoFontIsWrittenAsItsCodePoint) {
    // U+30EDD (CJK Extension G) is in none of the installed faces: the mark still renders.
    TempDir dir;
    std::string pdf = makeTextPdf(1);
    std::string overlay;
    ASSERT_NO_THROW(overlay = watermark::WatermarkOverlay::render(
                        pageSizes(pdf), {"查看人 \U00030EDD\U00020BB7 · acct-7"}, {}, 0,
                        watermark::OverlayStyle::trace()));
    writeFile(dir.path() + "/out.pdf", watermark::PdfStamper::stamp(pdf, overlay, true));
    std::string text = runCommand("pdftotext -raw " + dir.path() + "/out.pdf - 2>/dev/null");
    EXPECT_NE(text.find("U+30EDD\U00020BB7"), std::string::npos) << text;
}

TEST(PdfWatermark, FilingOverlayWithAViewerLineNoLongerFailsOnRareCharacters) {
    // The CLI's three-line PDF mark (filing style): 𠮷 used to throw render.glyph_missing.
    std::vector<watermark::PageSize> sizes{{595.28, 841.89}};
    EXPECT_NO_THROW(watermark::WatermarkOverlay::render(
        sizes, {"仅用于备案审核", "2026-11-21", "查看人 \U00020BB7田 · acct-42"}));
}

TEST(WatermarkOverlay, FontRunsFallBackPerCharacter) {
    auto hei = fonts::FontFace::hei();
    auto runs =
        watermark::WatermarkOverlay::fontRuns(U"查看\U00020BB7田\U0002B740\U00030EDD\n", hei);
    ASSERT_EQ(runs.size(), 5u);
    EXPECT_EQ(runs[0].face, hei);
    EXPECT_EQ(runs[0].text, U"查看");
    EXPECT_EQ(runs[1].face, fonts::FontFace::rareA());
    EXPECT_EQ(runs[1].text, U"\U00020BB7");
    EXPECT_EQ(runs[2].face, hei);
    EXPECT_EQ(runs[2].text, U"田");
    EXPECT_EQ(runs[3].face, fonts::FontFace::rareB());
    EXPECT_EQ(runs[3].text, U"\U0002B740");
    EXPECT_EQ(runs[4].face, hei);
    EXPECT_EQ(runs[4].text, U"U+30EDD");  // the control character is dropped
}

TEST(PdfWatermark, MarkReadsUprightAndCoversEveryRotatedPage) {
    // Pages with /Rotate 0, 90, 270, -90, 90 inherited from the page tree, 180, and 90 on a
    // portrait box (displayed landscape). /Rotate -90 used to get its mark sideways and
    // shrunk to a middle band.
    std::string pdf = readFile(fixturePath("pdf/rotated_pages.pdf"));
    std::vector<std::string> lines{"仅用于备案审核", "2026-11-21"};
    std::string out = watermark::PdfStamper::mark(pdf, lines);
    auto before = watermark::PdfStamper::pageBoxes(pdf);
    auto after = watermark::PdfStamper::pageBoxes(out);
    ASSERT_EQ(after.size(), 7u);
    for (int page = 1; page <= 7; ++page) {
        SCOPED_TRACE("page " + std::to_string(page));
        EXPECT_NEAR(after[page - 1].width, before[page - 1].width, 0.01);
        // The mark as displayed is the mark drawn on a plain page of the displayed size.
        auto coverage = filingMarkCoverage(out, page);
        auto reference =
            filingMarkCoverage(watermark::WatermarkOverlay::render(
                                   {{after[page - 1].width, after[page - 1].height}}, lines),
                               1);
        EXPECT_GT(maskOverlap(coverage, reference), 0.85);
        EXPECT_GT(coverage.spanX, 0.7);
        EXPECT_GT(coverage.spanY, 0.7);
        EXPECT_TRUE(coverage.allQuadrants);
        auto rotations = textRotations(out, page, "审");
        ASSERT_FALSE(rotations.empty());
        for (int r : rotations) EXPECT_EQ(r, 0) << "the mark does not read upright";
    }
    // Page 7 is displayed landscape; the rendering is wider than tall.
    auto landscape = filingMarkCoverage(out, 7);
    EXPECT_GT(landscape.width, landscape.height);
}

TEST(PdfWatermark, MarkFollowsTheCropBoxAndAnyMultipleOf90) {
    // An A4 page cropped to part of its box and turned -450° (= 270°): the mark covers the
    // crop box as displayed.
    std::string pdf = readFile(fixturePath("pdf/rotated_pages.pdf"));
    TempDir dir;
    writeFile(dir.path() + "/in.pdf", pdf);
    runCommand("qpdf --pages " + dir.path() + "/in.pdf 1 -- " + dir.path() + "/in.pdf " +
               dir.path() + "/one.pdf 2>&1");
    std::string qdf =
        runCommand("qpdf --qdf --object-streams=disable " + dir.path() + "/one.pdf - 2>/dev/null");
    // Crop to the right half and the top 60 %, then turn it -450°.
    auto at = qdf.find("/Rotate 0");
    ASSERT_NE(at, std::string::npos);
    qdf.replace(at, 9, "/CropBox [297.64 336.76 595.28 841.89] /Rotate -450");
    writeFile(dir.path() + "/edited.pdf", qdf);
    std::string edited = runCommand("fix-qdf " + dir.path() + "/edited.pdf 2>/dev/null");
    ASSERT_FALSE(edited.empty());
    auto boxes = watermark::PdfStamper::pageBoxes(edited);
    ASSERT_EQ(boxes.size(), 1u);
    EXPECT_NEAR(boxes[0].width, 841.89 - 336.76, 0.01);  // turned: height becomes width
    EXPECT_NEAR(boxes[0].height, 595 - 297.64, 0.01);    // the MediaBox is 595 wide
    std::string out = watermark::PdfStamper::mark(edited, {"仅用于备案审核", "2026-11-21"});
    auto coverage = filingMarkCoverage(out, 1, 40);
    EXPECT_GT(coverage.width, coverage.height);
    auto reference =
        filingMarkCoverage(watermark::WatermarkOverlay::render({{boxes[0].width, boxes[0].height}},
                                                               {"仅用于备案审核", "2026-11-21"}),
                           1, 40);
    EXPECT_GT(maskOverlap(coverage, reference), 0.85);
    EXPECT_TRUE(coverage.allQuadrants);
    for (int r : textRotations(out, 1, "审")) EXPECT_EQ(r, 0);
}

TEST(PdfWatermark, GiantPageGetsAClampedMarkNotAnError) {
    // A 200-inch page: the mark's font size used to exceed libharu's limit (render.failed,
    // a 500 on marked copies).
    std::string pdf = readFile(fixturePath("pdf/giant-page.pdf"));
    std::string out;
    ASSERT_NO_THROW(out = watermark::PdfStamper::mark(pdf, {"仅用于备案审核", "2026-11-21"}));
    auto boxes = watermark::PdfStamper::pageBoxes(out);
    ASSERT_EQ(boxes.size(), 1u);
    EXPECT_NEAR(boxes[0].width, 14400, 0.5);
    auto coverage = filingMarkCoverage(out, 1, 1);
    EXPECT_GT(coverage.spanX, 0.8);
    EXPECT_GT(coverage.spanY, 0.8);
    // Pages past libharu's own page limit are drawn smaller and scaled up: still covered.
    for (auto size : {watermark::PageSize{40000, 30}, watermark::PageSize{1, 1},
                      watermark::PageSize{14400, 14400}}) {
        auto drawn = watermark::WatermarkOverlay::drawableSize(size);
        EXPECT_LE(std::max(drawn.width, drawn.height), 14400);
        EXPECT_GE(std::min(drawn.width, drawn.height), 3);
        EXPECT_NO_THROW(watermark::WatermarkOverlay::render({size}, {"仅用于备案审核"}));
    }
}

TEST(PdfWatermark, PagesOfOneSizeShareOneDrawingOfTheMark) {
    // A review copy of a long PDF used to draw and embed the mark once per page.
    TempDir dir;
    std::string pdf = makeTextPdf(60);  // page 2 landscape, the rest portrait A4
    std::string out = watermark::PdfStamper::mark(pdf, {"仅用于备案审核", "2026-11-21"});
    std::string qdf = uncompressed(dir, out);
    std::size_t forms = 0;
    for (auto at = qdf.find("/Subtype /Form"); at != std::string::npos;
         at = qdf.find("/Subtype /Form", at + 1)) {
        ++forms;
    }
    EXPECT_EQ(forms, 2u);
    EXPECT_EQ(watermark::PdfStamper::pageBoxes(out).size(), 60u);
    writeFile(dir.path() + "/out.pdf", out);
    for (int page : {1, 2, 60}) {
        std::string p = std::to_string(page);
        std::string text = runCommand("pdftotext -raw -f " + p + " -l " + p + " " + dir.path() +
                                      "/out.pdf - 2>/dev/null");
        EXPECT_NE(text.find("备案审核"), std::string::npos) << "page " << page;
    }
}
