// License OCR check on real and generated scans. Assertions are on outcomes: the exact code
// read, match / mismatch / invalid / not found.
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <fstream>

#include "LicenseCorpus.h"
#include "ScanGenerator.h"
#include "TestSupport.h"
#include "dossier/core/CreditCode.h"
#include "dossier/core/Error.h"
#include "dossier/evidence/LicenseCheck.h"

using namespace dossier;
using namespace dossier::evidence;
using namespace dossier::test;

namespace {

class LicenseCheckTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { ocr = new OcrEngine(); }
    static void TearDownTestSuite() {
        delete ocr;
        ocr = nullptr;
    }
    CheckResult check(const std::string& bytes, const DeclaredOrganization& declared) {
        return LicenseCheck(*ocr).run(PageImage::decode(bytes), declared);
    }
    static OcrEngine* ocr;
};
OcrEngine* LicenseCheckTest::ocr = nullptr;

const std::string kAstragen = "real/license_photocopy_91440116MA59B21T31_astragen.png";

/// Tesseract behind a reader that gets the credit code wrong in a known way: wherever the
/// code's glyphs are under `belowPx` pixels tall (small print is what OCR misreads), it
/// gives `misread` instead. Counts the readings it spoiled and the ones it let through.
class MisreadingOcr : public OcrEngine {
  public:
    MisreadingOcr(std::string code, std::string misread, int belowPx)
        : code_(std::move(code)), misread_(std::move(misread)), belowPx_(belowPx) {}
    std::vector<OcrLine> readCodeRegion(const PageImage& region) override {
        return spoiled(OcrEngine::readCodeRegion(region));
    }
    // The page text holds the code too.
    std::vector<OcrLine> readLines(const PageImage& page, bool sparse) override {
        return spoiled(OcrEngine::readLines(page, sparse));
    }
    int misread = 0;
    int readRight = 0;

  private:
    std::vector<OcrLine> spoiled(std::vector<OcrLine> lines) {
        for (auto& line : lines) {
            std::string squeezed;
            for (char c : line.text) {
                if (c != ' ') squeezed += c;
            }
            auto at = squeezed.find(code_);
            if (at == std::string::npos) continue;
            std::vector<int> heights;
            for (const auto& symbol : line.symbols) heights.push_back(symbol.box.height);
            std::sort(heights.begin(), heights.end());
            const int glyph = heights.empty() ? 0 : heights[heights.size() / 2];
            if (glyph >= belowPx_) {
                ++readRight;
                continue;
            }
            line.text = squeezed.replace(at, code_.size(), misread_);
            ++misread;
        }
        return lines;
    }
    std::string code_, misread_;
    int belowPx_;
};

}  // namespace

// At 150 dpi the code's capitals are some 19 px tall; the second reading enlarges the line
// twice. A first reading two characters off (more than the check characters can settle)
// must be read again, not reported as code_invalid.
TEST(LicenseCheckRereading, SecondReadingRepairsAFirstReadingThatFailsItsCheck) {
    LicenseScanSpec spec;  // 91440116MA59B21T31, 150 dpi
    const std::string misread = "91440116MK53B21T31";
    ASSERT_FALSE(CreditCode::isValid(misread));
    ASSERT_EQ(resolveConfusables({misread}), std::nullopt);
    MisreadingOcr ocr(spec.code, misread, 30);
    auto r =
        LicenseCheck(ocr).run(PageImage::decode(renderLicenseScan(spec)), {spec.code, spec.name});
    EXPECT_GT(ocr.misread, 0) << "the first reading was not spoiled: the test proves nothing";
    EXPECT_GT(ocr.readRight, 0);
    EXPECT_EQ(r.code, "license.match") << r.message;
    EXPECT_EQ(r.details["code_read"], spec.code);
    EXPECT_EQ(r.details["code_read_by"], "second_reading");
}

// Read wrong at every scale, by a lookalike (0 as D) where only a digit may stand: the check
// characters alone settle it, and the reading as it was is kept in the details.
TEST(LicenseCheckRereading, ConfusableMisreadAtEveryScaleIsSettledByTheCheckCharacters) {
    LicenseScanSpec spec;
    const std::string misread = "9144D116MA59B21T31";
    MisreadingOcr ocr(spec.code, misread, INT_MAX);
    auto r =
        LicenseCheck(ocr).run(PageImage::decode(renderLicenseScan(spec)), {spec.code, spec.name});
    EXPECT_GT(ocr.misread, 0);
    EXPECT_EQ(ocr.readRight, 0);
    EXPECT_EQ(r.code, "license.match") << r.message;
    EXPECT_EQ(r.details["code_read_by"], "confusables");
    EXPECT_EQ(r.details["code_as_read"], misread);
    // Declared differently, the repaired code is compared like any other reading.
    auto other = LicenseCheck(ocr).run(PageImage::decode(renderLicenseScan(spec)),
                                       {"91110000600037341L", spec.name});
    EXPECT_EQ(other.code, "license.code_mismatch") << other.message;
}

// Two characters off at every scale: nothing settles it, and the declared code (the right
// one) never stands in for the reading.
TEST(LicenseCheckRereading, UnsettledMisreadIsInvalidNeverAMatch) {
    LicenseScanSpec spec;
    const std::string misread = "91440116MK53B21T31";
    MisreadingOcr ocr(spec.code, misread, INT_MAX);
    auto r =
        LicenseCheck(ocr).run(PageImage::decode(renderLicenseScan(spec)), {spec.code, spec.name});
    EXPECT_GT(ocr.misread, 0);
    EXPECT_EQ(r.code, "license.code_invalid") << r.message;
    EXPECT_EQ(r.status, CheckStatus::Fail);
    EXPECT_EQ(r.details["code_read"], misread);
}

TEST_F(LicenseCheckTest, RealPhotocopyRotatedWithSealOverTheName) {
    auto bytes = readFile(fixturePath(kAstragen));
    auto r = check(bytes, {"91440116MA59B21T31", "广州精科医学检验所有限公司"});
    // The seal hides part of the name: said so, never a mismatch.
    EXPECT_TRUE(r.code == "license.name_obscured" || r.code == "license.match")
        << r.code << ": " << r.message;
    EXPECT_NE(r.status, CheckStatus::Fail);
    EXPECT_TRUE(r.details["rotation"].isCount());
    EXPECT_EQ(r.details["code_read"], "91440116MA59B21T31");
    ASSERT_FALSE(r.regions.empty());
    EXPECT_GT(r.regions.back().width, 0);
    // The photo is stored sideways with an EXIF orientation: its regions are on the page
    // upright by it (as the previews show it), with that page's size; the code's line runs
    // across it.
    auto scan = PageImage::decode(bytes);
    EXPECT_GT(scan.width(), scan.height());
    for (const auto& region : r.regions) {
        EXPECT_EQ(region.pageWidth, scan.width()) << region.label;
        EXPECT_EQ(region.pageHeight, scan.height()) << region.label;
        EXPECT_GE(region.x, 0) << region.label;
        EXPECT_GE(region.y, 0) << region.label;
        EXPECT_LE(region.x + region.width, scan.width()) << region.label;
        EXPECT_LE(region.y + region.height, scan.height()) << region.label;
    }
    EXPECT_EQ(r.regions.back().label, "credit_code");
    EXPECT_GT(r.regions.back().width, 5 * r.regions.back().height);
    EXPECT_NE(r.toJson().find("\"page_width\":" + std::to_string(scan.width())), std::string::npos);

    auto wrong = check(bytes, {"91110000600037341L", ""});
    EXPECT_EQ(wrong.code, "license.code_mismatch");
    EXPECT_EQ(wrong.status, CheckStatus::Fail);
}

TEST_F(LicenseCheckTest, RealLicenseWithErasedCodeIsNotFound) {
    auto r = check(readFile(fixturePath("real/yyzz_template_generator-tools.jpg")),
                   {"91440116MA59B21T31", ""});
    EXPECT_EQ(r.code, "license.code_not_found") << r.details["code_read"];
    EXPECT_EQ(r.status, CheckStatus::Fail);
}

TEST_F(LicenseCheckTest, NegativeScanIsReadAsItsPositive) {
    auto bytes = readFile(fixturePath("cases/inverted-scan/license-negative.jpg"));
    auto r = check(bytes, {"91320506MA1XK7Q29G", ""});
    EXPECT_EQ(r.code, "license.match") << r.message;
    EXPECT_EQ(r.details["code_read"], "91320506MA1XK7Q29G");
    EXPECT_TRUE(r.details["inverted"].flag());
    // Turned a quarter too: the negative is still found.
    LicenseScanSpec spec;
    spec.layout = 1;
    spec.codeFont = 1;
    spec.inverted = true;
    spec.quarterTurns = 3;
    auto turned = check(renderLicenseScan(spec), {spec.code, spec.name});
    EXPECT_EQ(turned.code, "license.match") << turned.message;
}

TEST_F(LicenseCheckTest, SealOverTheNameIsObscuredNotAMismatch) {
    for (int layout : {0, 1}) {
        LicenseScanSpec spec;
        spec.layout = layout;
        spec.sealOverName = 3.2;
        spec.sealAt = 0.55;
        auto r = check(renderLicenseScan(spec), {spec.code, spec.name});
        EXPECT_TRUE(r.code == "license.name_obscured" || r.code == "license.match")
            << "layout " << layout << ": " << r.code << " " << r.message << " ["
            << r.details["name_read"] << "]";
        EXPECT_NE(r.status, CheckStatus::Fail);
    }
}

TEST_F(LicenseCheckTest, NameDifferingInFourCharactersIsAMismatch) {
    LicenseScanSpec spec;
    spec.name = "广州精科医学检验所有限公司";
    auto r = check(renderLicenseScan(spec), {spec.code, "广州星辰电子检验所有限公司"});
    EXPECT_EQ(r.code, "license.name_mismatch") << r.message;
    // With a seal on the name's end, the four differing characters in plain sight.
    spec.sealOverName = 3.0;
    spec.sealAt = 0.85;
    auto sealed = check(renderLicenseScan(spec), {spec.code, "广州星辰电子检验所有限公司"});
    EXPECT_EQ(sealed.code, "license.name_mismatch")
        << sealed.message << " [" << sealed.details["name_read"] << "]";
}

TEST_F(LicenseCheckTest, InvalidCodeIsNeverAMatch) {
    LicenseScanSpec spec;
    spec.code = "91440116MA59B21T32";  // check character wrong (T31 is valid)
    ASSERT_FALSE(CreditCode::isValid(spec.code));
    auto r = check(renderLicenseScan(spec), {spec.code, spec.name});
    EXPECT_EQ(r.code, "license.code_invalid") << r.details["code_read"];
    EXPECT_EQ(r.status, CheckStatus::Fail);
}

TEST_F(LicenseCheckTest, DifferentNameIsAMismatch) {
    LicenseScanSpec spec;
    auto r = check(renderLicenseScan(spec), {spec.code, "上海星辰电子科技有限公司"});
    EXPECT_EQ(r.code, "license.name_mismatch") << r.message;
    // Brackets and blanks written differently still match.
    spec.name = "青岛海尔（集团）有限公司";
    auto same = check(renderLicenseScan(spec), {spec.code, "青岛海尔(集团) 有限公司"});
    EXPECT_NE(same.code, "license.name_mismatch") << same.message;
    EXPECT_NE(same.status, CheckStatus::Fail) << same.code << ": " << same.message;
}

TEST_F(LicenseCheckTest, NothingDeclaredStillReadsTheCode) {
    LicenseScanSpec spec;
    auto r = check(renderLicenseScan(spec), {});
    EXPECT_EQ(r.code, "license.code_read");
    EXPECT_EQ(r.details["code_read"], spec.code);
}

TEST_F(LicenseCheckTest, BombsAndDamagedImagesAreRefusedClearly) {
    try {
        PageImage::decode("not an image");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "image.corrupt");
    }
    std::string jpeg = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    EXPECT_THROW(PageImage::decode(jpeg, 1000), Error);  // over the pixel budget
}

TEST(OrganizationName, Normalization) {
    EXPECT_EQ(normalizeOrganizationName("青岛海尔（集团） 有限公司"), "青岛海尔(集团)有限公司");
    EXPECT_TRUE(approximatelyContains(U"名称广州精科医学检验所有限公司类型",
                                      U"广州精科医学检验所有限公司", 0));
    EXPECT_TRUE(
        approximatelyContains(U"名称广州精科医学捡验所有限公司", U"广州精科医学检验所有限公司", 1));
    EXPECT_FALSE(
        approximatelyContains(U"名称上海星辰电子科技有限公司", U"广州精科医学检验所有限公司", 2));
}

TEST(CreditCodeConfusables, OneMisreadCharacterIsSettledByTheCheckCharacters) {
    // 91440116MA59B21T31 read with B as 8, 1 as 7, T as 1, 0 as D (a letter where a digit
    // must stand).
    EXPECT_EQ(resolveConfusables({"91440116MA5985121T31"}), std::nullopt);  // 19: not a reading
    EXPECT_EQ(resolveConfusables({"91440116MA59821T31"}), "91440116MA59B21T31");
    EXPECT_EQ(resolveConfusables({"9144D116MA59B21T31"}), "91440116MA59B21T31");
    EXPECT_EQ(resolveConfusables({"91440116MA59B21131"}), "91440116MA59B21T31");
    // Valid codes have no repair to make; nothing that passes is invented.
    EXPECT_EQ(resolveConfusables({"91440116MA59B21T32"}), std::nullopt);
    EXPECT_EQ(resolveConfusables({}), std::nullopt);
}

TEST(CreditCodeConfusables, RealCodesWithOneLookalikeMisreadAreRepairedOrLeftAlone) {
    // Every real code, every position, every lookalike: a repair is the true code, never
    // another one; most are repaired.
    std::ifstream in(fixturePath("real/uscc/valid_uscc_python_stdnum.txt"));
    std::string code;
    int repaired = 0, left = 0, wrong = 0;
    const std::string lookalikes[][2] = {{"8", "B"}, {"B", "8"}, {"0", "D"}, {"D", "0"},
                                         {"1", "7"}, {"7", "1"}, {"T", "1"}, {"6", "G"},
                                         {"G", "6"}, {"5", "6"}, {"A", "4"}, {"M", "N"}};
    while (std::getline(in, code)) {
        if (code.empty() || code[0] == '#') continue;
        for (std::size_t i = 0; i < code.size(); ++i) {
            for (const auto& pair : lookalikes) {
                if (code.substr(i, 1) != pair[0]) continue;
                std::string read = code;
                read[i] = pair[1][0];
                if (CreditCode::isValid(read)) continue;
                auto r = resolveConfusables({read});
                if (!r) {
                    ++left;
                } else if (*r == code) {
                    ++repaired;
                } else {
                    ++wrong;
                }
            }
        }
    }
    EXPECT_GT(repaired, 2000);
    EXPECT_GT(repaired, 10 * left);
    EXPECT_LE(wrong * 1000, repaired) << wrong << " repaired to another valid code";
}

// A scan stored a quarter turned (no EXIF to right it) is read turned back; its regions are
// on the scan as stored: the upright scan's boxes, turned with it.
TEST_F(LicenseCheckTest, RegionsOfATurnedScanAreOnTheScanAsStored) {
    LicenseScanSpec upright;
    auto codeBox = [](const CheckResult& r) {
        auto it = std::find_if(r.regions.begin(), r.regions.end(),
                               [](const Region& g) { return g.label == "credit_code"; });
        return it == r.regions.end() ? Region{} : *it;
    };
    auto uprightBytes = renderLicenseScan(upright);
    auto uprightPage = PageImage::decode(uprightBytes);
    auto first = check(uprightBytes, {upright.code, upright.name});
    ASSERT_EQ(first.details["code_read"], upright.code);
    Region base = codeBox(first);
    ASSERT_GT(base.width, base.height);
    for (int q : {1, 3}) {
        SCOPED_TRACE(q);
        LicenseScanSpec spec;
        spec.quarterTurns = q;
        auto bytes = renderLicenseScan(spec);
        auto page = PageImage::decode(bytes);
        auto r = check(bytes, {spec.code, spec.name});
        EXPECT_EQ(r.details["code_read"], spec.code);
        EXPECT_EQ(r.details["rotation"].count(), (4 - q) * 90);
        Region got = codeBox(r);
        EXPECT_EQ(got.pageWidth, page.width());
        EXPECT_EQ(got.pageHeight, page.height());
        // The upright box turned q quarters clockwise with its page.
        Region want = base;
        int w = uprightPage.width(), h = uprightPage.height();
        for (int i = 0; i < q; ++i) {
            want = Region{want.page, h - want.y - want.height, want.x, want.height, want.width,
                          want.label};
            std::swap(w, h);
        }
        EXPECT_EQ(w, page.width());
        EXPECT_NEAR(got.x, want.x, 12);
        EXPECT_NEAR(got.y, want.y, 12);
        EXPECT_NEAR(got.width, want.width, 12);
        EXPECT_NEAR(got.height, want.height, 12);
        EXPECT_GT(got.height, got.width);
    }
}

// A box found on the page turned clockwise by 0, 90, 180 or 270 degrees, back on the page as
// stored (200 × 100 pixels): each corner lands where the turn took it from.
TEST(RegionUnturned, EachQuarterTurnInverted) {
    const int w = 200, h = 100;
    Region onTurned{1, 10, 20, 30, 40, "credit_code"};
    auto same = unturned(onTurned, 0, w, h);
    EXPECT_EQ(same.x, 10);
    EXPECT_EQ(same.y, 20);
    EXPECT_EQ(same.pageWidth, w);
    EXPECT_EQ(same.pageHeight, h);
    // Turned 90° clockwise the page is 100 × 200; its (x', y') was the stored (y', h - 1 - x').
    auto quarter = unturned(onTurned, 90, w, h);
    EXPECT_EQ(quarter.x, 20);
    EXPECT_EQ(quarter.y, h - 10 - 30);
    EXPECT_EQ(quarter.width, 40);
    EXPECT_EQ(quarter.height, 30);
    auto half = unturned(onTurned, 180, w, h);
    EXPECT_EQ(half.x, w - 10 - 30);
    EXPECT_EQ(half.y, h - 20 - 40);
    EXPECT_EQ(half.width, 30);
    EXPECT_EQ(half.height, 40);
    auto three = unturned(onTurned, 270, w, h);
    EXPECT_EQ(three.x, w - 20 - 40);
    EXPECT_EQ(three.y, 10);
    EXPECT_EQ(three.width, 40);
    EXPECT_EQ(three.height, 30);
    EXPECT_EQ(three.label, "credit_code");
}
