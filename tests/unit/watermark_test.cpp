#include <Magick++.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include "SampleFiles.h"
#include "TestSupport.h"
#include "dossier/core/Error.h"
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
    putBe32(out, static_cast<std::uint32_t>(
                     crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
    return out;
}

/// A PNG of ~1 KB claiming 30000 × 30000 pixels: a decompression bomb.
std::string pngBomb() {
    std::string ihdr;
    putBe32(ihdr, 30000);
    putBe32(ihdr, 30000);
    ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB
    std::string raw(30001 * 3 * 4, '\0');              // a few rows of zeros
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
