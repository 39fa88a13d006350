// The quality check of a scanned page: a negative (light text on dark) is recognized.
#include <gtest/gtest.h>

#include "ScanGenerator.h"
#include "TestSupport.h"
#include "dossier/evidence/QualityCheck.h"

using namespace dossier::evidence;
using namespace dossier::test;

TEST(QualityCheck, NegativeScanIsInverted) {
    auto page =
        PageImage::decode(readFile(fixturePath("cases/inverted-scan/license-negative.jpg")));
    EXPECT_TRUE(page.looksNegative());
    auto r = checkQuality(page);
    EXPECT_EQ(r.code, "quality.inverted") << r.message;
    EXPECT_EQ(r.status, CheckStatus::Warn);
    // Ink is measured on the page turned back: a few percent, not the whole dark ground.
    EXPECT_LT(r.details["ink_ratio"].measure(), 0.3);
}

TEST(QualityCheck, GeneratedNegativesAreInvertedAndPositivesAreNot) {
    for (int layout : {0, 1}) {
        LicenseScanSpec spec;
        spec.layout = layout;
        spec.inverted = true;
        spec.noise = layout == 1;
        auto negative = checkQuality(PageImage::decode(renderLicenseScan(spec)));
        EXPECT_EQ(negative.code, "quality.inverted") << "layout " << layout;
        spec.inverted = false;
        spec.unevenLight = 0.5;  // a dim photograph is dark, not a negative
        auto positive = checkQuality(PageImage::decode(renderLicenseScan(spec)));
        EXPECT_EQ(positive.code, "quality.ok") << "layout " << layout << ": " << positive.message;
        EXPECT_FALSE(positive.details["inverted"].flag());
    }
}

TEST(QualityCheck, PhotocopyWithDarkBordersIsNotANegative) {
    auto page = PageImage::decode(
        readFile(fixturePath("real/license_photocopy_91440116MA59B21T31_astragen.png")));
    EXPECT_FALSE(page.looksNegative());
    EXPECT_NE(checkQuality(page).code, "quality.inverted");
}
