// License OCR check on real and generated scans. Assertions are on outcomes: the exact code
// read, match / mismatch / invalid / not found.
#include <gtest/gtest.h>

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

}  // namespace

TEST_F(LicenseCheckTest, RealPhotocopyRotatedWithSealOverTheName) {
    auto bytes = readFile(fixturePath(kAstragen));
    auto r = check(bytes, {"91440116MA59B21T31", "广州精科医学检验所有限公司"});
    // The seal hides the name: a warn with its own code, never license.match (which is a pass).
    EXPECT_EQ(r.code, "license.name_uncertain") << r.message;
    EXPECT_EQ(r.status, CheckStatus::Warn);
    EXPECT_TRUE(r.details["rotation"].isCount());
    EXPECT_EQ(r.details["code_read"], "91440116MA59B21T31");
    ASSERT_FALSE(r.regions.empty());
    EXPECT_GT(r.regions.back().width, 0);

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

TEST_F(LicenseCheckTest, GeneratedScansAreReadExactly) {
    int exact = 0, total = 0;
    for (const auto& item : licenseCorpus(7)) {  // one of each defect
        auto r = check(renderLicenseScan(item.spec), {item.spec.code, item.spec.name});
        ++total;
        bool ok = r.details["code_read"] == item.spec.code;
        exact += ok;
        EXPECT_TRUE(ok) << item.fileName << ": read '" << r.details["code_read"] << "' want "
                        << item.spec.code << " (" << r.code << ")";
        if (ok) {
            // The code matched; the name may not have been read with certainty (a warn with
            // its own code: license.match is only ever a pass).
            EXPECT_TRUE(r.code == "license.match" || r.code == "license.name_uncertain")
                << item.fileName << ": " << r.code << " " << r.message;
            EXPECT_EQ(r.status == CheckStatus::Pass, r.code == "license.match") << item.fileName;
        }
        // Never a match for anything but the declared code.
        if (r.code == "license.match") {
            EXPECT_EQ(r.details["code_read"], item.spec.code);
        }
    }
    EXPECT_EQ(exact, total);
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
