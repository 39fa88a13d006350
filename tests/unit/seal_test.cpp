// Seal detection on real seals and generated commitment letters. Assertions are on counts
// and positions, including pages whose only red is text and lines.
#include <Magick++.h>
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
    auto three = SealDetector::detect(
        readFile(fixturePath("real/getseal_three_seals_baidu_screenshot.png")));
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
    // Counts are JSON numbers, not their digits.
    ASSERT_TRUE(ok.details["count"].isCount());
    EXPECT_EQ(ok.details["count"].count(), 2);
    EXPECT_EQ(ok.details["expected"].count(), 2);
    EXPECT_EQ(ok.details["round"].count() + ok.details["square"].count(), 2);
    EXPECT_EQ(ok.regions.size(), 2u);
    // Each box with the size of the page it is on, for a viewer to scale it to its image.
    auto page = PageImage::decode(bytes);
    for (const auto& region : ok.regions) {
        EXPECT_EQ(region.pageWidth, page.width());
        EXPECT_EQ(region.pageHeight, page.height());
        EXPECT_LE(region.x + region.width, page.width());
        EXPECT_LE(region.y + region.height, page.height());
    }
    EXPECT_NE(ok.toJson().find("\"page_height\":" + std::to_string(page.height())),
              std::string::npos)
        << ok.toJson();
    auto missing = checkSeals(bytes, 3);
    EXPECT_EQ(missing.code, "seals.missing");
    EXPECT_EQ(missing.status, CheckStatus::Fail);
    EXPECT_NE(missing.toJson().find("\"count\":2,"), std::string::npos) << missing.toJson();
    EXPECT_NE(missing.toJson().find("\"expected\":3"), std::string::npos) << missing.toJson();
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

// A stamped scan's seal, cut out for the certificate's stamped variant: the ink kept, the
// paper and black text transparent.
TEST(SealExtraction, CutsTheSealOutWithTransparentPaper) {
    static bool ready = (Magick::InitializeMagick(nullptr), true);
    (void)ready;
    CommitmentScanSpec spec;
    spec.seals = 1;
    std::string scan = renderCommitmentScan(spec);
    auto seals = SealDetector::detect(scan);
    ASSERT_EQ(seals.size(), 1u);
    std::string png = extractSealPng(scan);
    ASSERT_EQ(png.substr(1, 3), "PNG");
    Magick::Image image(Magick::Blob(png.data(), png.size()));
    EXPECT_TRUE(image.matte());  // IM6: has an alpha channel
    // The box of the seal, with a small margin.
    EXPECT_GE(image.columns(), static_cast<std::size_t>(seals[0].box.width));
    EXPECT_LE(image.columns(), static_cast<std::size_t>(seals[0].box.width * 1.2 + 8));
    std::size_t w = image.columns(), h = image.rows();
    std::vector<unsigned char> rgba(w * h * 4);
    image.write(0, 0, w, h, "RGBA", MagickCore::CharPixel, rgba.data());
    std::size_t opaqueRed = 0, transparent = 0;
    for (std::size_t i = 0; i < w * h; ++i) {
        unsigned char r = rgba[i * 4], g = rgba[i * 4 + 1], a = rgba[i * 4 + 3];
        if (a > 200 && r > 120 && g < 110) ++opaqueRed;
        if (a == 0) ++transparent;
    }
    EXPECT_GT(opaqueRed, w * h / 20) << "the ring and the star are ink";
    EXPECT_GT(transparent, w * h / 2) << "paper inside and around the ring is transparent";
    EXPECT_EQ(rgba[3], 0) << "a corner is paper";

    // A real seal photographed on paper.
    EXPECT_EQ(extractSealPng(readFile(fixturePath("real/getseal_source_beijing_zhongdao.png")))
                  .substr(1, 3),
              "PNG");
    // A page without a seal says so.
    CommitmentScanSpec none;
    none.seals = 0;
    try {
        extractSealPng(renderCommitmentScan(none));
        ADD_FAILURE() << "found a seal on an unstamped page";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "seal.not_found");
    }
}
