// Seal detection on real seals and generated commitment letters. Assertions are on counts
// and positions, including pages whose only red is text and lines.
#include <gtest/gtest.h>

#include "ScanGenerator.h"
#include "TestSupport.h"
#include "dossier/core/Error.h"
#include "dossier/evidence/SealDetector.h"

using namespace dossier;
using namespace dossier::evidence;
using namespace dossier::test;

TEST(SealDetector, RealSeals) {
    struct Case {
        const char* file;
        std::size_t seals;
    } cases[] = {
        {"real/getseal_source_beijing_zhongdao.png", 1},
        {"real/sealhacker_test_photo.jpg", 1},
        {"real/paddlex_seal_text_det.png", 1},
        {"real/getseal_three_seals_baidu_screenshot.png", 3},
        // One red company seal; the registration authority's seal is grey, not red.
        {"real/license_photocopy_91440116MA59B21T31_astragen.png", 1},
        {"real/yyzz_template_generator-tools.jpg", 1},
    };
    for (const auto& c : cases) {
        auto seals = SealDetector::detect(readFile(fixturePath(c.file)));
        EXPECT_EQ(seals.size(), c.seals) << c.file;
    }
    auto three = SealDetector::detect(readFile(fixturePath("real/getseal_three_seals_baidu_screenshot.png")));
    ASSERT_EQ(three.size(), 3u);
    int square = 0;
    for (const auto& s : three) square += s.shape == SealShape::Square;
    EXPECT_EQ(square, 1);  // 李国庆印
}

TEST(SealDetector, GeneratedCommitmentLettersAreCountedExactly) {
    int exact = 0, total = 0;
    const char* colours[] = {"#d0282e", "#e59a9a", "#8e1b1f"};  // normal, faded, dark
    for (int seals = 0; seals <= 3; ++seals) {
        for (int variant = 0; variant < 3; ++variant) {
            CommitmentScanSpec spec;
            spec.seals = seals;
            spec.sealColour = colours[variant];
            spec.quarterTurns = variant == 2 ? 1 : 0;
            spec.noise = variant == 1;
            spec.squareSeal = seals == 3 && variant == 0;
            spec.redParagraph = variant == 2;
            auto found = SealDetector::detect(renderCommitmentScan(spec));
            ++total;
            exact += found.size() == static_cast<std::size_t>(seals);
            EXPECT_EQ(found.size(), static_cast<std::size_t>(seals))
                << "seals " << seals << " colour " << spec.sealColour;
        }
    }
    EXPECT_GE(exact * 10, total * 9);  // >= 90% exact
}

TEST(SealDetector, RedTextAndLinesAreNotSeals) {
    CommitmentScanSpec spec;
    spec.seals = 0;
    spec.redTitle = true;
    spec.redUnderline = true;
    spec.redParagraph = true;
    EXPECT_TRUE(SealDetector::detect(renderCommitmentScan(spec)).empty());
}

TEST(SealCheck, ExpectedCountPerCompletingUnit) {
    CommitmentScanSpec spec;
    spec.seals = 2;
    auto bytes = renderCommitmentScan(spec);
    auto ok = checkSeals(bytes, 2);
    EXPECT_EQ(ok.code, "seals.present");
    EXPECT_EQ(ok.status, CheckStatus::Pass);
    EXPECT_EQ(ok.details["count"], "2");
    EXPECT_EQ(ok.regions.size(), 2u);
    auto missing = checkSeals(bytes, 3);
    EXPECT_EQ(missing.code, "seals.missing");
    EXPECT_EQ(missing.status, CheckStatus::Fail);
    EXPECT_NE(missing.toJson().find("\"count\":\"2\""), std::string::npos);
}

TEST(SealCheck, BadInput) {
    EXPECT_THROW(checkSeals("garbage", 1), Error);
    std::string jpeg = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    try {
        checkSeals(jpeg.substr(0, 100), 1);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "image.corrupt");
    }
}
