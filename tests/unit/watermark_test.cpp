#include <Magick++.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include "SampleFiles.h"
#include "TestSupport.h"
#include "dossier/core/Error.h"
#include "dossier/core/Utf8.h"
#include "dossier/watermark/ImageWatermarker.h"
#include "dossier/watermark/MagickRuntime.h"

using namespace dossier;
using namespace dossier::test;
using watermark::FilingMark;
using watermark::ImageWatermarker;

namespace {

const FilingMark kMark = FilingMark::forActivity("2025年全国质量标杆", "2026-11-20");

Magick::Image decode(const std::string& bytes) {
    Magick::Image img;
    img.read(Magick::Blob(bytes.data(), bytes.size()));
    return img;
}

std::string encode(Magick::Image img, const std::string& magick) {
    img.magick(magick);
    Magick::Blob blob;
    img.write(&blob);
    return std::string(static_cast<const char*>(blob.data()), blob.length());
}

/// Fraction of pixels whose colour differs noticeably between two same-size images.
double changedFraction(const Magick::Image& a, const Magick::Image& b) {
    std::size_t w = a.columns(), h = a.rows(), changed = 0, total = 0;
    for (std::size_t y = 0; y < h; y += 3) {
        for (std::size_t x = 0; x < w; x += 3) {
            Magick::ColorRGB p = a.pixelColor(x, y), q = b.pixelColor(x, y);
            double d = std::abs(p.red() - q.red()) + std::abs(p.green() - q.green()) +
                       std::abs(p.blue() - q.blue());
            changed += d > 0.12 ? 1 : 0;
            ++total;
        }
    }
    return static_cast<double>(changed) / static_cast<double>(total);
}

/// Count of clearly coloured (non-gray) pixels.
std::size_t colouredPixels(const Magick::Image& img) {
    std::size_t n = 0;
    for (std::size_t y = 0; y < img.rows(); y += 2) {
        for (std::size_t x = 0; x < img.columns(); x += 2) {
            Magick::ColorRGB c = img.pixelColor(x, y);
            if (c.red() - c.blue() > 0.15 && c.red() - c.green() > 0.15) ++n;
        }
    }
    return n;
}

void putBe32(std::string& s, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xFF);
}

std::string pngChunk(const std::string& type, const std::string& data) {
    std::string out;
    putBe32(out, static_cast<std::uint32_t>(data.size()));
    std::string body = type + data;
    out += body;
    putBe32(out, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()),
                                                  static_cast<uInt>(body.size()))));
    return out;
}

/// A PNG of ~1 KB claiming 30000 × 30000 pixels: a decompression bomb.
std::string pngBomb() {
    std::string ihdr;
    putBe32(ihdr, 30000);
    putBe32(ihdr, 30000);
    ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB
    std::string raw(30001 * 3 * 4, '\0');            // a few rows of zeros
    uLongf len = compressBound(static_cast<uLong>(raw.size()));
    std::string z(len, '\0');
    compress(reinterpret_cast<Bytef*>(z.data()), &len, reinterpret_cast<const Bytef*>(raw.data()),
             static_cast<uLong>(raw.size()));
    z.resize(len);
    return std::string("\x89PNG\r\n\x1A\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", z) +
           pngChunk("IEND", "");
}

/// The real JPEG with its SOF0 dimensions patched to 60000 × 60000.
std::string jpegBomb() {
    std::string jpeg = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    for (std::size_t i = 2; i + 9 < jpeg.size(); ++i) {
        if (static_cast<unsigned char>(jpeg[i]) == 0xFF &&
            (static_cast<unsigned char>(jpeg[i + 1]) & 0xF0) == 0xC0 &&
            static_cast<unsigned char>(jpeg[i + 1]) != 0xC4) {
            jpeg[i + 5] = '\xEA', jpeg[i + 6] = '\x60';  // height 60000
            jpeg[i + 7] = '\xEA', jpeg[i + 8] = '\x60';  // width 60000
            return jpeg;
        }
    }
    return {};
}

/// Minimal EXIF (TIFF little-endian, one IFD entry: Orientation = 6, "rotate 90° CW").
std::string exifOrientation6() {
    std::string e("Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0", 32);
    return e;
}

/// A plain white PNG.
std::string whitePng(std::size_t width, std::size_t height) {
    return encode(Magick::Image(Magick::Geometry(width, height), Magick::Color("white")), "PNG");
}

/// Total ink (darkness) of an image: Σ (1 − luminance) over its pixels.
double ink(const Magick::Image& img) {
    double total = 0;
    const Magick::PixelPacket* px = img.getConstPixels(0, 0, img.columns(), img.rows());
    for (std::size_t i = 0; i < img.columns() * img.rows(); ++i) {
        total += 1.0 - (px[i].red + px[i].green + px[i].blue) / (3.0 * 65535.0);  // Q16
    }
    return total;
}

/// Pixels clearly darker / lighter in `b` than in `a` (same size).
std::pair<std::size_t, std::size_t> darkerAndLighter(const Magick::Image& a,
                                                     const Magick::Image& b) {
    const Magick::PixelPacket* p = a.getConstPixels(0, 0, a.columns(), a.rows());
    const Magick::PixelPacket* q = b.getConstPixels(0, 0, b.columns(), b.rows());
    std::size_t darker = 0, lighter = 0;
    for (std::size_t i = 0; i < a.columns() * a.rows(); ++i) {
        // Sum of the three channels in 8-bit levels; > 0: darker in b.
        int delta = (int(p[i].red) + int(p[i].green) + int(p[i].blue) - int(q[i].red) -
                     int(q[i].green) - int(q[i].blue)) /
                    257;
        darker += delta > 24 ? 1 : 0;
        lighter += delta < -24 ? 1 : 0;
    }
    return {darker, lighter};
}

const watermark::TraceMark kTrace{"张三", "acct-42", "2026-11-20 08:00 UTC"};

class WatermarkTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { watermark::MagickRuntime::initialize(); }
    ImageWatermarker marker;
};

}  // namespace

TEST_F(WatermarkTest, ColourJpegKeepsSizeAndFormatAndShowsTheMark) {
    std::string in = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    auto out = marker.apply(in, kMark);
    EXPECT_EQ(out.type, MediaType::Jpeg);
    Magick::Image a = decode(in), b = decode(out.bytes);
    EXPECT_EQ(b.columns(), a.columns());
    EXPECT_EQ(b.rows(), a.rows());
    EXPECT_EQ(b.magick(), "JPEG");
    double changed = changedFraction(a, b);
    EXPECT_GT(changed, 0.015) << "the mark is not visible";
    EXPECT_LT(changed, 0.40) << "the mark hides the document";
    EXPECT_GT(colouredPixels(b), colouredPixels(a));
}

TEST_F(WatermarkTest, GrayscaleScanBecomesColourSoTheRedMarkShows) {
    Magick::Image gray = decode(readFile(fixturePath("real/yyzz_template_generator-tools.jpg")));
    gray.type(MagickCore::GrayscaleType);
    std::string in = encode(gray, "JPEG");
    ASSERT_EQ(decode(in).colorSpace(), MagickCore::GRAYColorspace);
    auto out = marker.apply(in, kMark);
    Magick::Image b = decode(out.bytes);
    EXPECT_EQ(b.colorSpace(), MagickCore::sRGBColorspace);
    EXPECT_GT(colouredPixels(b), 500u);
}

TEST_F(WatermarkTest, PngStaysPng) {
    std::string in = readFile(fixturePath("real/paddlex_table_recognition.png"));
    auto out = marker.apply(in, kMark);
    EXPECT_EQ(out.type, MediaType::Png);
    Magick::Image a = decode(in), b = decode(out.bytes);
    EXPECT_EQ(b.magick(), "PNG");
    EXPECT_EQ(b.columns(), a.columns());
    EXPECT_GT(changedFraction(a, b), 0.01);
}

TEST_F(WatermarkTest, TraceMarkAddsToTheFilingMark) {
    std::string in = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    watermark::TraceMark trace{"张三", "acct-42", "2026-11-20 08:00 UTC"};
    auto filingOnly = decode(marker.apply(in, kMark).bytes);
    auto both = decode(marker.apply(in, kMark, &trace).bytes);
    EXPECT_GT(changedFraction(filingOnly, both), 0.01);
}

TEST_F(WatermarkTest, ExifIsAppliedThenStripped) {
    Magick::Image img(Magick::Geometry(300, 150), Magick::Color("white"));
    std::string exif = exifOrientation6();
    img.profile("EXIF", Magick::Blob(exif.data(), exif.size()));
    img.orientation(MagickCore::RightTopOrientation);  // kept in sync with the profile on write
    std::string in = encode(img, "JPEG");
    ASSERT_GT(decode(in).profile("EXIF").length(), 0u);
    auto out = marker.apply(in, kMark);
    Magick::Image b = decode(out.bytes);
    EXPECT_EQ(b.columns(), 150u);  // rotated upright by the EXIF orientation
    EXPECT_EQ(b.rows(), 300u);
    EXPECT_EQ(b.profile("EXIF").length(), 0u);
}

TEST_F(WatermarkTest, DecompressionBombsAreRefusedBeforeDecoding) {
    for (const std::string& bomb : {pngBomb(), jpegBomb()}) {
        ASSERT_FALSE(bomb.empty());
        ASSERT_LT(bomb.size(), 1u << 20);
        try {
            marker.apply(bomb, kMark);
            FAIL() << "bomb accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "upload.image_too_large") << e.message() << " / " << e.detail();
            EXPECT_NE(e.message().find("pixels"), std::string::npos) << e.message();
        }
    }
}

TEST_F(WatermarkTest, TruncatedAndForeignInputsAreRefused) {
    std::string jpeg = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    try {
        marker.apply(jpeg.substr(0, jpeg.size() / 3), kMark);
        FAIL() << "truncated JPEG accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "image.corrupt") << e.detail();
    }
    EXPECT_THROW(marker.apply("not an image at all", kMark), Error);
    try {
        marker.apply(makePdf(), kMark);
        FAIL() << "ImageMagick decoded a PDF";
    } catch (const Error& e) {
        EXPECT_NE(e.code(), "internal") << e.detail();
    }
}

TEST_F(WatermarkTest, ApplyTraceMarksGrayAndKeepsSizeAndFormat) {
    std::string in = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    auto out = marker.applyTrace(in, kTrace);
    EXPECT_EQ(out.type, MediaType::Jpeg);
    Magick::Image a = decode(in), b = decode(out.bytes);
    EXPECT_EQ(b.magick(), "JPEG");
    EXPECT_EQ(b.columns(), a.columns());
    EXPECT_EQ(b.rows(), a.rows());
    EXPECT_EQ(out.width, a.columns());
    EXPECT_EQ(out.height, a.rows());
    double changed = changedFraction(a, b);
    EXPECT_GT(changed, 0.002) << "the trace mark is not visible";
    EXPECT_LT(changed, 0.15) << "the trace mark hides the document";
    // Gray, not the filing mark's red.
    EXPECT_LE(colouredPixels(b), colouredPixels(a) + colouredPixels(a) / 20 + 20);

    std::string png = readFile(fixturePath("real/paddlex_table_recognition.png"));
    auto pngOut = marker.applyTrace(png, kTrace);
    EXPECT_EQ(pngOut.type, MediaType::Png);
    Magick::Image p = decode(png), q = decode(pngOut.bytes);
    EXPECT_EQ(q.magick(), "PNG");
    EXPECT_EQ(q.columns(), p.columns());
    EXPECT_EQ(q.rows(), p.rows());
    EXPECT_GT(changedFraction(p, q), 0.002);
}

TEST_F(WatermarkTest, ApplyTraceOverTheFilingCopyMatchesBothMarksAtOnce) {
    // The per-request path (trace over the stored filing copy) looks like apply() with both.
    std::string in = readFile(fixturePath("real/paddlex_table_recognition.png"));
    auto layered = decode(marker.applyTrace(marker.apply(in, kMark).bytes, kTrace).bytes);
    auto together = decode(marker.apply(in, kMark, &kTrace).bytes);
    auto filingOnly = decode(marker.apply(in, kMark).bytes);
    EXPECT_LT(changedFraction(layered, together), 0.0005);
    EXPECT_GT(changedFraction(layered, filingOnly), 0.002);
}

TEST_F(WatermarkTest, ApplyTraceOrientsByExifThenStripsIt) {
    Magick::Image img(Magick::Geometry(300, 150), Magick::Color("white"));
    std::string exif = exifOrientation6();
    img.profile("EXIF", Magick::Blob(exif.data(), exif.size()));
    img.orientation(MagickCore::RightTopOrientation);
    std::string in = encode(img, "JPEG");
    ASSERT_GT(decode(in).profile("EXIF").length(), 0u);
    auto out = marker.applyTrace(in, kTrace);
    Magick::Image b = decode(out.bytes);
    EXPECT_EQ(b.columns(), 150u);
    EXPECT_EQ(b.rows(), 300u);
    EXPECT_EQ(b.profile("EXIF").length(), 0u);
}

TEST_F(WatermarkTest, ApplyTraceRefusesWhatApplyRefusesWithTheSameCodes) {
    std::string jpeg = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    std::vector<std::string> bad{pngBomb(), jpegBomb(), jpeg.substr(0, jpeg.size() / 3),
                                 "not an image at all", makePdf()};
    for (std::size_t i = 0; i < bad.size(); ++i) {
        std::string applyCode, traceCode;
        try {
            marker.apply(bad[i], kMark);
        } catch (const Error& e) {
            applyCode = std::string(e.code().text());
        }
        try {
            marker.applyTrace(bad[i], kTrace);
        } catch (const Error& e) {
            traceCode = std::string(e.code().text());
        }
        EXPECT_FALSE(traceCode.empty()) << "input " << i << " accepted";
        EXPECT_NE(traceCode, "internal") << "input " << i;
        EXPECT_EQ(traceCode, applyCode) << "input " << i;
    }
    try {
        marker.applyTrace(pngBomb(), kTrace);
        FAIL() << "bomb accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "upload.image_too_large") << e.detail();
    }
    try {
        marker.applyTrace(jpeg.substr(0, jpeg.size() / 3), kTrace);
        FAIL() << "truncated JPEG accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "image.corrupt") << e.detail();
    }
}

TEST_F(WatermarkTest, RareCharacterInTheViewersNameIsDrawn) {
    // 𠮷 (U+20BB7) is not in WenQuanYi Zen Hei, which draws nothing for it (and advances a
    // third of an em); HanaMin A has it, one em wide like an ideographic space. So "　　　　𠮷"
    // and "𠮷𠮷𠮷𠮷𠮷" lay out alike (to a pixel of rounding) when the fallback works: the
    // second adds ink where the four extra 𠮷 stand and takes almost none away. Without the
    // fallback the two tile differently: about as many pixels get lighter as darker.
    std::string in = whitePng(1200, 900);
    auto traced = [&](const std::string& name) {
        return decode(marker.applyTrace(in, {name, "acct-42", "2026-11-20 08:00 UTC"}).bytes);
    };
    for (const std::string rare :
         {"\U00020BB7", "\U0002B740"}) {  // HanaMin A; Extension D: HanaMin B
        Magick::Image blank = traced("\u3000\u3000\u3000\u3000" + rare);
        Magick::Image drawn = traced(rare + rare + rare + rare + rare);
        ASSERT_EQ(blank.columns(), drawn.columns());
        auto [darker, lighter] = darkerAndLighter(blank, drawn);
        EXPECT_GT(darker, 1000u) << utf8::describe(utf8::decode(rare)[0]) << " drew nothing";
        EXPECT_LT(lighter, darker / 4)
            << utf8::describe(utf8::decode(rare)[0]) << " changed the layout";
        EXPECT_GT(ink(drawn) - ink(blank), 0.2 * (ink(traced("吉吉吉吉吉")) - ink(blank)));
    }
}

TEST_F(WatermarkTest, CharacterInNoFontIsWrittenAsItsCodePoint) {
    // U+30EDD (CJK Extension G) is in no installed font: the mark shows "U+30EDD" instead of
    // nothing, and never fails.
    std::string in = whitePng(1200, 900);
    auto traced = [&](const std::string& name) {
        return decode(marker.applyTrace(in, {name, "acct-42", "2026-11-20 08:00 UTC"}).bytes);
    };
    Magick::Image notation = traced("U+30EDD");
    Magick::Image missing = traced("\U00030EDD");
    EXPECT_NEAR(ink(missing), ink(notation), 0.02 * ink(notation));
    EXPECT_LT(changedFraction(missing, notation), 0.002);
}

TEST_F(WatermarkTest, RareCharacterInTheFilingTextIsDrawnToo) {
    // As for the trace mark, on the two-line filing mark (the same fallback).
    std::string in = whitePng(1200, 900);
    auto filed = [&](const std::string& activity) {
        return decode(marker.apply(in, FilingMark::forActivity(activity, "2026-11-20")).bytes);
    };
    Magick::Image blank = filed("\u3000\u3000\u3000\U00020BB7"),
                  drawn = filed("\U00020BB7\U00020BB7\U00020BB7\U00020BB7");
    ASSERT_EQ(blank.columns(), drawn.columns());
    auto [darker, lighter] = darkerAndLighter(blank, drawn);
    EXPECT_GT(darker, 1000u);
    EXPECT_LT(lighter, darker / 4);
}
