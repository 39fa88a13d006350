// License check accuracy on a generated corpus (tests/support/LicenseCorpus): every kind of
// scan defect and wrong declaration at least twice. The full corpus runs in license_bench.
#include <gtest/gtest.h>

#include "LicenseCorpus.h"
#include "ScanGenerator.h"
#include "dossier/evidence/LicenseCheck.h"

using namespace dossier::evidence;
using namespace dossier::test;

namespace {

// Distinct from the bench's default seed: the test does not tune on the same scans.
constexpr std::uint32_t kSeed = 7;
constexpr int kCount = 24;

}  // namespace

TEST(LicenseCorpus, IsDeterministicForASeed) {
    auto a = licenseCorpus(12, kSeed, 100), b = licenseCorpus(12, kSeed, 100);
    ASSERT_EQ(a.size(), 12u);
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].spec.code, b[i].spec.code);
        EXPECT_EQ(a[i].declaredName, b[i].declaredName);
        EXPECT_EQ(a[i].spec.skewDegrees, b[i].spec.skewDegrees);
        // The same bytes, grain and all (the photographs carry the most randomness).
        if (a[i].spec.noise && a[i].spec.blurSigma > 0) {
            EXPECT_TRUE(renderLicenseScan(a[i].spec) == renderLicenseScan(b[i].spec))
                << a[i].fileName;
        }
    }
    EXPECT_NE(
        licenseCorpus(1, kSeed)[0].spec.code + licenseCorpus(1, kSeed)[0].declaredName,
        licenseCorpus(1, kSeed + 1)[0].spec.code + licenseCorpus(1, kSeed + 1)[0].declaredName);
}

TEST(LicenseCorpus, AtLeast98PercentRightAndNoFalseMatch) {
    OcrEngine ocr;
    int right = 0, falseMatches = 0;
    for (const auto& item : licenseCorpus(kCount, kSeed)) {
        auto r = LicenseCheck(ocr).run(PageImage::decode(renderLicenseScan(item.spec)),
                                       {item.declaredCode, item.declaredName});
        bool ok = item.isRight(r);
        right += ok;
        falseMatches += item.isFalseMatch(r);
        EXPECT_FALSE(item.isFalseMatch(r)) << item.fileName << ": " << r.message;
        if (!ok) {
            ADD_FAILURE() << item.fileName << " (" << item.kind << ", " << item.spec.dpi
                          << " dpi): " << r.code << " — " << r.message << " [read '"
                          << r.details["code_read"] << "', name '" << r.details["name_read"]
                          << "']";
        }
    }
    EXPECT_EQ(falseMatches, 0);
    EXPECT_GE(right * 100, 98 * kCount) << right << "/" << kCount << " right";
}
