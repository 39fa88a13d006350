// Images get the one accept-or-refuse decision PDFs have: what the upload accepts, previews,
// marks and checks can process (the whole image decodes within the pixel limits), else the
// upload refuses it with a code and keeps nothing. The real server on port 0; runs on SQLite
// and on PostgreSQL (DOSSIER_TEST_BACKEND), see tests/CMakeLists.txt.
#include <sys/resource.h>
#include <zlib.h>

#include <Magick++.h>
#include <gtest/gtest.h>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/filing/AuthService.h"
#include "dossier/filing/CheckRunner.h"
#include "dossier/http/Server.h"
#include "dossier/storage/DocumentRepository.h"
#include "dossier/watermark/MagickRuntime.h"

using namespace dossier;
using namespace dossier::test;

namespace {

std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

/// A PNG chunk with its length and a correct CRC.
std::string chunk(const std::string& type, const std::string& data) {
    std::string body = type + data;
    auto crc =
        crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
    return be32(static_cast<std::uint32_t>(data.size())) + body +
           be32(static_cast<std::uint32_t>(crc));
}

/// A grey PNG of width × height, 1 bit per pixel, all black: rows of zeros that deflate
/// about a thousandfold, streamed so the test never holds the raw image either.
std::string bombPng(std::uint32_t width, std::uint32_t height) {
    std::string ihdr = be32(width) + be32(height) + std::string("\x01\x00\x00\x00\x00", 5);
    z_stream z{};
    deflateInit(&z, 9);
    std::string row((width + 7) / 8 + 1, '\0');  // filter byte 0 + the packed pixels
    std::string idat;
    std::vector<unsigned char> out(1 << 16);
    for (std::uint32_t y = 0; y <= height; ++y) {
        bool last = y == height;
        z.next_in = reinterpret_cast<Bytef*>(row.data());
        z.avail_in = last ? 0 : static_cast<uInt>(row.size());
        do {
            z.next_out = out.data();
            z.avail_out = static_cast<uInt>(out.size());
            deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
            idat.append(reinterpret_cast<char*>(out.data()), out.size() - z.avail_out);
        } while (z.avail_out == 0 || (last && z.avail_in == 0 && z.avail_out == 0));
    }
    deflateEnd(&z);
    return std::string("\x89PNG\r\n\x1A\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", idat) +
           chunk("IEND", "");
}

/// A small photo-like PNG or JPEG made by ImageMagick (`interlace`: Adam7 / progressive).
std::string picture(const std::string& magick, bool interlace = false) {
    watermark::MagickRuntime::initialize();
    Magick::Image image(Magick::Geometry(640, 480), Magick::Color("#e8e4da"));
    image.addNoise(MagickCore::GaussianNoise);
    image.magick(magick);
    if (interlace) image.interlaceType(MagickCore::PlaneInterlace);
    Magick::Blob blob;
    image.write(&blob);
    return {static_cast<const char*>(blob.data()), blob.length()};
}

/// The PNG with bytes in the middle of its IDAT data changed and the chunk's CRC made right
/// again: the chunk structure is intact, the compressed stream is not.
std::string brokenIdat(std::string png) {
    std::size_t at = png.find("IDAT");
    EXPECT_NE(at, std::string::npos);
    std::uint32_t length = (std::uint8_t(png[at - 4]) << 24) | (std::uint8_t(png[at - 3]) << 16) |
                           (std::uint8_t(png[at - 2]) << 8) | std::uint8_t(png[at - 1]);
    for (std::size_t i = length / 2; i < length / 2 + 16; ++i) png[at + 4 + i] ^= 0x5A;
    auto crc = crc32(0, reinterpret_cast<const Bytef*>(png.data() + at), length + 4);
    png.replace(at + 4 + length, 4, be32(static_cast<std::uint32_t>(crc)));
    return png;
}

long peakRssMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

class ImageUploadTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        services = app::Services::open(config);
        server = startInProcessServer(*services);
        owner = std::make_unique<HttpTestClient>(server->port());
        owner->signUp("jingke01", "13800000001", "广州精科医学检验所有限公司", "91440116MA59B21T31",
                      "李明");
        services->auth().createStaff(
            {"review01", HttpTestClient::kTestPassword, "13900000001", "审查员", Role::Reviewer});
        reviewer = std::make_unique<HttpTestClient>(server->port());
        EXPECT_EQ(reviewer->signIn("review01").status, 201);
    }
    void TearDown() override {
        server->stop();
        services->checkRunner().stop();
    }

    /// Refused with `code` (as a license and as evidence), and nothing of it is kept.
    void expectRefused(const std::string& bytes, const std::string& name, int status,
                       const std::string& code) {
        std::size_t files = listFilesRecursive(config.blobDirectory()).size();
        std::uint64_t rows = services->documentRows().countDocuments();
        for (const char* kind : {"license", "evidence"}) {
            auto r = owner->upload(bytes, name, kind);
            EXPECT_EQ(r.status, status) << kind << ": " << r.body;
            if (r.status >= 400) {
                EXPECT_EQ(r.json()->getValue<std::string>("code"), code) << r.body;
                EXPECT_FALSE(r.json()->getValue<std::string>("detail").empty());
            }
        }
        EXPECT_EQ(listFilesRecursive(config.blobDirectory()).size(), files);
        EXPECT_EQ(services->documentRows().countDocuments(), rows);
    }

    /// Accepted, and every later step processes it: the marked copy, the reviewer's copy and
    /// a preview.
    void expectProcessable(const std::string& bytes, const std::string& name) {
        auto up = owner->upload(bytes, name, "license");
        ASSERT_EQ(up.status, 201) << up.body;
        std::string base = "/api/v1/documents/" + up.json()->getValue<std::string>("id");
        EXPECT_EQ(owner->get(base + "/content?variant=watermarked").status, 200);
        EXPECT_EQ(reviewer->get(base + "/content").status, 200);
        EXPECT_EQ(reviewer->get(base + "/pages/1.png?width=320").status, 200);
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<HttpTestClient> owner, reviewer;
};

}  // namespace

TEST_F(ImageUploadTest, APngWithABrokenImageStreamIsRefusedAtUpload) {
    std::string png = picture("PNG");
    expectProcessable(png, "scan.png");
    expectRefused(brokenIdat(png), "broken.png", 422, "upload.corrupt");
    // Interlaced (Adam7): decoded pass by pass, accepted whole, refused broken.
    std::string interlaced = picture("PNG", true);
    expectProcessable(interlaced, "interlaced.png");
    expectRefused(brokenIdat(interlaced), "interlaced-broken.png", 422, "upload.corrupt");
}

TEST_F(ImageUploadTest, AJpegCutShortIsRefusedEvenWithItsEndMarker) {
    std::string jpeg = readFile(fixturePath("real/yyzz_template_generator-tools.jpg"));
    expectProcessable(jpeg, "scan.jpg");
    // Cut in the middle of the scan data, then given an end marker, as a broken transfer
    // that a tool "repaired" leaves it: the structure is complete, the picture is not (libjpeg
    // meets the marker inside the data, which is damage, whatever caused it).
    std::string cut = jpeg.substr(0, jpeg.size() * 6 / 10) + "\xFF\xD9";
    expectRefused(cut, "cut.jpg", 422, "upload.corrupt");
    // Cut without an end marker: the structure check already refuses it.
    expectRefused(jpeg.substr(0, jpeg.size() / 2), "half.jpg", 422, "upload.truncated");
    // Damaged scan data: bytes overwritten in the middle.
    std::string damaged = jpeg;
    for (std::size_t i = damaged.size() / 2; i < damaged.size() / 2 + 64; ++i) damaged[i] = '\x11';
    expectRefused(damaged, "damaged.jpg", 422, "upload.corrupt");
    std::string progressive = picture("JPEG", true);
    expectProcessable(progressive, "progressive.jpg");
}

TEST_F(ImageUploadTest, ADecompressionBombIsRefusedWithoutDecodingIt) {
    // 30000 × 30000 pixels: 112 MB of rows in ~110 KB; decoded as ImageMagick holds pixels it
    // would be 7 GB.
    std::string bomb = bombPng(30000, 30000);
    ASSERT_LT(bomb.size(), 1u << 20);
    long before = peakRssMb();
    expectRefused(bomb, "bomb.png", 413, "upload.image_too_large");
    // Within the pixel limits (64 Mpx, 8 MB of rows in 8 KB): accepted, decoded row by row.
    std::string large = bombPng(8000, 8000);
    auto up = owner->upload(large, "large.png", "proof");
    EXPECT_EQ(up.status, 201) << up.body;
    EXPECT_LT(peakRssMb() - before, 64) << "peak RSS grew from " << before << " MB";
}
