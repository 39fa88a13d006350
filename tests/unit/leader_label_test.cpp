// 领跑者标识 (seed 003, one label per model): validation lists every problem at once, the PDF
// is a 60 × 40 mm page with the fields extractable and fonts embedded as subsets, long values
// stay inside the label, output is deterministic, and the PNG is the label at the given dpi.
#include <gtest/gtest.h>

#include <Magick++.h>
#include <qrencode.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

#include "GoldenFiles.h"
#include "TestSupport.h"
#include "dossier/core/Utf8.h"
#include "dossier/core/ValidationError.h"
#include "dossier/renderers/LeaderLabel.h"
#include "dossier/watermark/MagickRuntime.h"

using namespace dossier;
using namespace dossier::renderers;
using namespace dossier::test;

namespace {

std::string sampleJson() {
    return readFile(std::string(DOSSIER_SOURCE_DIR) + "/templates/samples/leader-label.json");
}

LeaderLabel sample() { return LeaderLabel::fromJson(sampleJson()); }

constexpr std::int64_t kFixedTime = 1'751'241'600'000'000;  // 2025-06-30

std::string squeeze(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c != ' ' && c != '\n' && c != '\f') out += c;
    }
    return out;
}

std::vector<FieldProblem> problemsOf(const std::string& json) {
    try {
        LeaderLabel::fromJson(json);
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.code(), "validation.failed");
        return e.problems();
    }
    ADD_FAILURE() << "no ValidationError for " << json;
    return {};
}

const FieldProblem* find(const std::vector<FieldProblem>& problems, const std::string& path) {
    auto it = std::find_if(problems.begin(), problems.end(),
                           [&](const FieldProblem& p) { return p.path == path; });
    return it == problems.end() ? nullptr : &*it;
}

/// Width and height in pixels from a PNG's IHDR.
std::pair<std::uint32_t, std::uint32_t> pngSize(const std::string& png) {
    auto u32 = [&](std::size_t at) {
        return std::uint32_t(static_cast<unsigned char>(png[at])) << 24 |
               std::uint32_t(static_cast<unsigned char>(png[at + 1])) << 16 |
               std::uint32_t(static_cast<unsigned char>(png[at + 2])) << 8 |
               std::uint32_t(static_cast<unsigned char>(png[at + 3]));
    };
    EXPECT_GE(png.size(), 33u);
    EXPECT_EQ(png.substr(12, 4), "IHDR");
    return {u32(16), u32(20)};
}

struct WordBox {
    double xMin, yMin, xMax, yMax;
    std::string word;
};

/// Every word's box (points, origin top-left) from `pdftotext -bbox`, and the page size.
std::vector<WordBox> wordBoxes(const std::string& pdfPath, double& pageW, double& pageH) {
    std::string html = runCommand("pdftotext -bbox " + pdfPath + " - 2>/dev/null");
    std::smatch m;
    std::regex pageRe(R"re(<page width="([0-9.]+)" height="([0-9.]+)")re");
    EXPECT_TRUE(std::regex_search(html, m, pageRe)) << html;
    pageW = std::stod(m[1]);
    pageH = std::stod(m[2]);
    std::vector<WordBox> words;
    std::regex wordRe(
        R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), wordRe);
         it != std::sregex_iterator(); ++it) {
        words.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]),
                         std::stod((*it)[4]), (*it)[5]});
    }
    return words;
}

}  // namespace

TEST(LeaderLabel, SampleParses) {
    auto l = sample();
    EXPECT_EQ(l.certificateNumber, "LPZ-2025-000123");
    EXPECT_EQ(l.enterpriseName, "浙江示例电器股份有限公司");
    EXPECT_EQ(l.productName, "小型断路器");
    EXPECT_EQ(l.model, "ZT7-63 C32 1P");
    EXPECT_EQ(l.standardNumber, "Q/ZT 001-2024");
    EXPECT_EQ(l.starLevel, 5);
    EXPECT_EQ(l.verifyUrl.rfind("https://", 0), 0u);
    EXPECT_NO_THROW(l.validate());
}

TEST(LeaderLabel, EmptyObjectListsEveryRequiredField) {
    auto problems = problemsOf("{}");
    std::set<std::string> paths;
    for (const auto& p : problems) {
        paths.insert(p.path);
        EXPECT_EQ(p.code, "field.required") << p.path;
        EXPECT_FALSE(p.message.empty());
    }
    EXPECT_EQ(problems.size(), 7u);
    EXPECT_EQ(paths,
              (std::set<std::string>{"certificate_number", "enterprise_name", "product_name",
                                     "model", "standard_number", "star_level", "verify_url"}));
}

TEST(LeaderLabel, EveryProblemIsListedAtOnce) {
    std::string bad =
        R"({"certificate_number": "LPZ-1", "enterprise_name": "示例", "product_name": "断路器",
                          "model": "ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJX", "standard_number": "",
                          "star_level": 7, "verify_url": "ftp://x"})";
    auto problems = problemsOf(bad);
    ASSERT_EQ(problems.size(), 4u);
    ASSERT_NE(find(problems, "star_level"), nullptr);
    EXPECT_EQ(find(problems, "star_level")->code, "field.range");
    ASSERT_NE(find(problems, "verify_url"), nullptr);
    EXPECT_EQ(find(problems, "verify_url")->code, "field.url");
    ASSERT_NE(find(problems, "standard_number"), nullptr);
    EXPECT_EQ(find(problems, "standard_number")->code, "field.required");
    ASSERT_NE(find(problems, "model"), nullptr);
    EXPECT_EQ(find(problems, "model")->code, "field.too_long");

    // Plain http is refused too: the label promises a secure verification page.
    auto l = sample();
    l.verifyUrl = "http://dossier.example/verify/1";
    l.starLevel = 2;
    try {
        l.validate();
        FAIL();
    } catch (const ValidationError& e) {
        ASSERT_EQ(e.problems().size(), 2u);
        EXPECT_EQ(e.problems()[0].code, "field.range");
        EXPECT_EQ(e.problems()[1].code, "field.url");
    }
    // Text is not a number (the schema's code for every number field), whatever it reads.
    EXPECT_EQ(find(problemsOf(R"({"star_level": "5"})"), "star_level")->code, "field.not_a_number");
    EXPECT_EQ(find(problemsOf(R"({"star_level": 3})"), "star_level"), nullptr);
}

TEST(LeaderLabel, BadJsonIsMalformedRequest) {
    for (const char* json : {"{not json", "[1, 2]", ""}) {
        try {
            LeaderLabel::fromJson(json);
            FAIL() << json;
        } catch (const ValidationError&) {
            FAIL() << "not a validation problem: " << json;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "request.malformed") << json;
        }
    }
}

TEST(LeaderLabel, PdfIsALabelWithEveryFieldAndSubsetFonts) {
    auto l = sample();
    std::string pdf = renderLeaderLabelPdf(l, kFixedTime);
    EXPECT_LT(pdf.size(), 60u * 1024) << "fonts not subset?";
    TempDir dir;
    writeFile(dir.path() + "/l.pdf", pdf);
    std::string text = squeeze(runCommand("pdftotext " + dir.path() + "/l.pdf - 2>/dev/null"));
    for (const std::string& v :
         {l.model, l.certificateNumber, l.productName, l.standardNumber, l.enterpriseName,
          std::string("企业标准领跑者"), std::string("★★★★★")}) {
        EXPECT_NE(text.find(squeeze(v)), std::string::npos) << v << " missing from:\n" << text;
    }
    std::string info = runCommand("pdfinfo " + dir.path() + "/l.pdf 2>/dev/null");
    EXPECT_NE(info.find("Pages:           1"), std::string::npos) << info;
    EXPECT_NE(info.find("170.079 x 113.386 pts"), std::string::npos) << info;  // 60 × 40 mm
    std::string check = runCommand("qpdf --check " + dir.path() + "/l.pdf 2>&1");
    EXPECT_NE(check.find("No syntax or stream encoding errors"), std::string::npos) << check;

    std::string fonts = runCommand("pdffonts " + dir.path() + "/l.pdf 2>/dev/null");
    EXPECT_NE(fonts.find("WenQuanYiZenHei"), std::string::npos) << fonts;  // 黑体 title
    EXPECT_NE(fonts.find("UMing"), std::string::npos) << fonts;            // 宋体 values
    int rows = 0;
    std::size_t at = fonts.find('\n', fonts.find("----"));
    while (at != std::string::npos && at + 1 < fonts.size()) {
        std::size_t end = fonts.find('\n', at + 1);
        std::string row =
            fonts.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
        at = end;
        if (row.empty()) continue;
        ++rows;
        EXPECT_NE(row.find("yes yes"), std::string::npos) << "not embedded+subset: " << row;
        auto plus = row.find('+');
        EXPECT_EQ(plus, 6u) << "no subset prefix ABCDEF+: " << row;
    }
    EXPECT_GE(rows, 2) << fonts;
}

TEST(LeaderLabel, PdfIsDeterministic) {
    auto l = sample();
    std::string a = renderLeaderLabelPdf(l, kFixedTime);
    EXPECT_EQ(a, renderLeaderLabelPdf(l, kFixedTime)) << "not deterministic";
    EXPECT_NE(a, renderLeaderLabelPdf(l, kFixedTime + 86'400'000'000)) << "creation date not used";
    dossier::test::expectMatchesGolden("leader-label", a, 1);
    dossier::test::expectImageMatchesGolden("leader-label-150dpi", renderLeaderLabelPng(l, 150));
}

TEST(LeaderLabel, StarLevelChangesTheLabel) {
    auto five = sample();
    auto three = sample();
    three.starLevel = 3;
    std::string pdf5 = renderLeaderLabelPdf(five, kFixedTime),
                pdf3 = renderLeaderLabelPdf(three, kFixedTime);
    EXPECT_NE(pdf5, pdf3);
    TempDir dir;
    writeFile(dir.path() + "/3.pdf", pdf3);
    std::string text = squeeze(runCommand("pdftotext " + dir.path() + "/3.pdf - 2>/dev/null"));
    EXPECT_NE(text.find("★★★"), std::string::npos) << text;
    EXPECT_EQ(text.find("★★★★"), std::string::npos) << text;
    EXPECT_NE(renderLeaderLabelPng(five, 150), renderLeaderLabelPng(three, 150));
}

// Seed 003: a 3- or 4-star self-declared product gets its label too, titled as a
// self-declaration and numbered by it, with its own number of stars.
TEST(LeaderLabel, SelfDeclaredLabelsCarryTheirStarLevelAndDeclarationNumber) {
    TempDir dir;
    for (int stars : {3, 4}) {
        LeaderLabel l = sample();
        l.selfDeclared = true;
        l.starLevel = stars;
        l.certificateNumber = "SD2026-7K3R9M2QXW4T";
        std::string path = dir.path() + "/self" + std::to_string(stars) + ".pdf";
        writeFile(path, renderLeaderLabelPdf(l, kFixedTime));
        std::string text = squeeze(runCommand("pdftotext " + path + " - 2>/dev/null"));
        EXPECT_NE(text.find("自我声明星级产品"), std::string::npos) << text;
        EXPECT_EQ(text.find("领跑者"), std::string::npos) << text;
        EXPECT_NE(text.find("声明编号"), std::string::npos) << text;
        EXPECT_EQ(text.find("证书编号"), std::string::npos) << text;
        EXPECT_NE(text.find("SD2026-7K3R9M2QXW4T"), std::string::npos) << text;
        std::string row;
        for (int i = 0; i < stars; ++i) row += "★";
        EXPECT_NE(text.find(row), std::string::npos) << text;
        EXPECT_EQ(text.find(row + "★"), std::string::npos) << text;
        EXPECT_EQ(runCommand("pdfinfo " + path + " 2>/dev/null | grep -c '^Pages: *1$'"), "1\n");
    }
}

TEST(LeaderLabel, LongValuesShrinkOrWrapInsideTheFrame) {
    auto l = sample();
    l.enterpriseName =
        "中华人民共和国浙江省温州市乐清市柳市镇示例新能源智能电气设备制造集团股份有限公司";  // 40
                                                                                             // characters
    ASSERT_EQ(utf8::decode(l.enterpriseName).size(), 40u);
    l.productName = "智能型万能式低压断路器及其配套用电子控制器和附件组合装置产品系列";
    l.model = "ZT7-630/4300 M-AC230V 3P+N 800A DZ47LE";
    l.standardNumber = "Q/ZTDQ 00123-2024";
    ASSERT_NO_THROW(l.validate());
    std::string pdf;
    ASSERT_NO_THROW(pdf = renderLeaderLabelPdf(l, kFixedTime));
    TempDir dir;
    writeFile(dir.path() + "/long.pdf", pdf);
    std::string text = squeeze(runCommand("pdftotext " + dir.path() + "/long.pdf - 2>/dev/null"));
    for (const std::string& v : {l.enterpriseName, l.certificateNumber}) {
        EXPECT_NE(text.find(v), std::string::npos) << v << " missing from:\n" << text;
    }
    double w = 0, h = 0;
    auto words = wordBoxes(dir.path() + "/long.pdf", w, h);
    EXPECT_NEAR(w, 170.079, 0.01);
    EXPECT_NEAR(h, 113.386, 0.01);
    ASSERT_GE(words.size(), 8u);
    const double frame = 5;  // the inner frame line
    for (const auto& b : words) {
        EXPECT_GE(b.xMin, frame) << b.word;
        EXPECT_LE(b.xMax, w - frame) << b.word;
        EXPECT_GE(b.yMin, frame) << b.word;
        EXPECT_LE(b.yMax, h - frame) << b.word;
    }
    // The longest allowed values still fit.
    l.enterpriseName = std::string();
    for (int i = 0; i < 60; ++i) l.enterpriseName += "国";
    l.model.clear();
    for (int i = 0; i < 40; ++i) l.model += "型";
    l.productName = l.model;
    l.certificateNumber = std::string(40, 'W');
    l.standardNumber = std::string(40, 'M');
    ASSERT_NO_THROW(l.validate());
    ASSERT_NO_THROW(pdf = renderLeaderLabelPdf(l, kFixedTime));
    writeFile(dir.path() + "/longest.pdf", pdf);
    words = wordBoxes(dir.path() + "/longest.pdf", w, h);
    ASSERT_GE(words.size(), 8u);
    for (const auto& b : words) {
        EXPECT_GE(b.xMin, frame) << b.word;
        EXPECT_LE(b.xMax, w - frame) << b.word;
        EXPECT_GE(b.yMin, frame) << b.word;
        EXPECT_LE(b.yMax, h - frame) << b.word;
    }
}

TEST(LeaderLabel, PngHasTheLabelSizeAtTheDpiAndIsDeterministic) {
    auto l = sample();
    std::string png = renderLeaderLabelPng(l);
    ASSERT_GE(png.size(), 33u);
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1A\n", 8));
    EXPECT_EQ(pngSize(png),
              (std::pair<std::uint32_t, std::uint32_t>{709, 472}));  // 60 × 40 mm at 300 dpi
    EXPECT_EQ(png, renderLeaderLabelPng(l)) << "not deterministic";
    std::string low = renderLeaderLabelPng(l, 150);
    EXPECT_EQ(pngSize(low), (std::pair<std::uint32_t, std::uint32_t>{354, 236}));
    EXPECT_EQ(pngSize(renderLeaderLabelPng(l, 600)),
              (std::pair<std::uint32_t, std::uint32_t>{1417, 945}));
    EXPECT_THROW(renderLeaderLabelPng(l, 10), Error);

    // An independent decoder reads it: white paper outside the frame, the bold frame dark,
    // and some ink in the QR area.
    watermark::MagickRuntime::initialize();
    Magick::Image img;
    img.read(Magick::Blob(png.data(), png.size()));
    EXPECT_EQ(img.columns(), 709u);
    EXPECT_EQ(img.rows(), 472u);
    auto luma = [&](double xPt, double yPtFromTop) {
        Magick::ColorRGB c = img.pixelColor(static_cast<std::size_t>(xPt * 300 / 72),
                                            static_cast<std::size_t>(yPtFromTop * 300 / 72));
        return (c.red() + c.green() + c.blue()) / 3;
    };
    EXPECT_GT(luma(0.5, 0.5), 0.95) << "corner not white";
    EXPECT_LT(luma(2.5, 56), 0.3) << "left frame not drawn";
    EXPECT_LT(luma(85, 2.5), 0.3) << "top frame not drawn";
    EXPECT_GT(luma(85, 4), 0.7) << "gap between the frames not white";
    int dark = 0;
    for (double x = 120; x < 160; x += 1) {
        for (double y = 42; y < 82; y += 1) dark += luma(x, y) < 0.5;
    }
    EXPECT_GT(dark, 300) << "no QR code";
    EXPECT_LT(dark, 1400) << "QR area solid";
}

TEST(LeaderLabel, PngQrCodeCarriesTheVerifyUrl) {
    auto l = sample();
    std::string png = renderLeaderLabelPng(l, 300);
    watermark::MagickRuntime::initialize();
    Magick::Image img;
    img.read(Magick::Blob(png.data(), png.size()));
    auto dark = [&](long x, long y) {
        Magick::ColorRGB c =
            img.pixelColor(static_cast<std::size_t>(x), static_cast<std::size_t>(y));
        return (c.red() + c.green() + c.blue()) / 3 < 0.5;
    };
    // The QR sits right of the fields, below the rule under the stars, above its caption:
    // find the modules' bounding box there.
    const double px = 300.0 / 72;
    long x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
    for (long y = std::lround(36 * px); y < std::lround(83 * px); ++y) {
        for (long x = std::lround(117 * px); x < std::lround(163 * px); ++x) {
            if (!dark(x, y)) continue;
            x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
        }
    }
    ASSERT_GT(x1, x0);
    std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
        QRcode_encodeString(l.verifyUrl.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
    ASSERT_TRUE(qr);
    const double module = double(x1 - x0 + 1) / qr->width;
    EXPECT_NEAR(double(y1 - y0 + 1) / qr->width, module, 0.2) << "not square";
    EXPECT_GT(module, 3.5) << "modules too small to print at 300 dpi";
    int wrong = 0;
    for (int row = 0; row < qr->width; ++row) {
        for (int col = 0; col < qr->width; ++col) {
            bool want = qr->data[row * qr->width + col] & 1;
            bool got = dark(x0 + std::lround((col + 0.5) * module),
                            y0 + std::lround((row + 0.5) * module));
            wrong += want != got;
        }
    }
    EXPECT_EQ(wrong, 0) << "modules differ from the QR code of " << l.verifyUrl;
}
