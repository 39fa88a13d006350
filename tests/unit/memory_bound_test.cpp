// Memory per request is bounded (README, "Memory"): every check, preview and mark of the
// hardest inputs that get past the upload runs in a forked child, and the child's peak RSS
// (wait4's ru_maxrss) above what it had when forked must stay under the stated bound. The
// OCR engine, which a check worker keeps for its life, and the libraries' start-up are in
// the parent and so not counted: the bound is what one piece of work adds.
#include <gtest/gtest.h>
#include <jpeglib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "SampleFiles.h"
#include "TestSupport.h"
#include "dossier/core/Error.h"
#include "dossier/evidence/LicenseCheck.h"
#include "dossier/evidence/OcrEngine.h"
#include "dossier/evidence/PageImage.h"
#include "dossier/evidence/PdfDocument.h"
#include "dossier/evidence/QualityCheck.h"
#include "dossier/evidence/SealDetector.h"
#include "dossier/watermark/ImagePreviewer.h"
#include "dossier/watermark/ImageWatermarker.h"
#include "dossier/watermark/MagickRuntime.h"
#include "dossier/watermark/Marks.h"
#include "dossier/watermark/PdfStamper.h"

using namespace dossier;
using namespace dossier::test;

namespace {

// The bounds the README states. Checks and PDF pages work on at most 16 million pixels;
// images go through ImageMagick, whose pixel caches hold at most 384 MB of memory.
constexpr long kPageBoundMb = 160;    // one check; one preview or mark of a PDF page
constexpr long kMagickBoundMb = 450;  // one preview or marked copy of a JPEG or PNG

long rssKb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return 0;
}

struct Peak {
    long addedMb = 0;
    bool ok = false;
    std::string outcome;  // "ok" or the dossier::Error code the work ended with
};

/// Runs `work` in a forked child; returns the child's peak RSS above its RSS when forked.
/// The child's outcome (or a dossier::Error code: refusing an input is a fine outcome) comes
/// back through a pipe; any other exception or a crash is not ok.
Peak peakOf(const std::function<void()>& work) {
    int fds[2];
    if (::pipe(fds) != 0) return {};
    std::cout.flush();
    pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        long base = rssKb();
        std::string outcome = "ok";
        int rc = 0;
        try {
            work();
        } catch (const Error& e) {
            outcome = std::string(e.code().text());
        } catch (const std::exception& e) {
            outcome = std::string("exception: ") + e.what();
            rc = 1;
        }
        std::string msg = std::to_string(base) + " " + outcome;
        (void)!::write(fds[1], msg.data(), msg.size());
        ::_exit(rc);
    }
    ::close(fds[1]);
    std::string msg;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) msg.append(buf, std::size_t(n));
    ::close(fds[0]);
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    Peak p;
    long base = std::atol(msg.c_str());
    p.addedMb = (usage.ru_maxrss - base) / 1024;
    p.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    p.outcome = msg.substr(msg.find(' ') + 1);
    return p;
}

/// A `width` × `height` JPEG of gray paper with dark bars, written row by row so making it
/// costs no more memory than a row.
std::string bigJpeg(int width, int height, bool color) {
    jpeg_compress_struct c{};
    jpeg_error_mgr err{};
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    unsigned char* out = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&c, &out, &size);
    c.image_width = static_cast<JDIMENSION>(width);
    c.image_height = static_cast<JDIMENSION>(height);
    c.input_components = color ? 3 : 1;
    c.in_color_space = color ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 75, TRUE);
    jpeg_start_compress(&c, TRUE);
    std::vector<unsigned char> row(std::size_t(width) * c.input_components);
    for (int y = 0; y < height; ++y) {
        bool ink = (y / 40) % 7 == 3;
        for (int x = 0; x < width; ++x) {
            unsigned char v = ink && (x / 30) % 3 != 0 ? 40 : 235;
            for (int k = 0; k < c.input_components; ++k)
                row[std::size_t(x) * c.input_components + k] = v;
        }
        JSAMPROW r = row.data();
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    std::string bytes(reinterpret_cast<char*>(out), size);
    jpeg_destroy_compress(&c);
    std::free(out);
    return bytes;
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

/// An 8-bit RGB PNG; `rows` rows of data follow the header (fewer than `height` makes a
/// bomb: a small file that claims many pixels). Deflated row by row.
std::string bigPng(std::uint32_t width, std::uint32_t height, std::uint32_t rows) {
    std::string ihdr;
    putBe32(ihdr, width);
    putBe32(ihdr, height);
    ihdr += std::string("\x08\x02\x00\x00\x00", 5);
    z_stream z{};
    deflateInit(&z, 1);
    std::string idat;
    std::vector<unsigned char> row(1 + std::size_t(width) * 3), out(1 << 16);
    for (std::uint32_t y = 0; y < rows; ++y) {
        bool ink = (y / 40) % 7 == 3;
        for (std::uint32_t x = 0; x < width; ++x) {
            unsigned char v = ink && (x / 30) % 3 != 0 ? 40 : 235;
            row[1 + 3 * x] = v, row[2 + 3 * x] = v, row[3 + 3 * x] = ink ? 200 : v;
        }
        z.next_in = row.data();
        z.avail_in = static_cast<uInt>(row.size());
        int flush = y + 1 == rows ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = out.data();
            z.avail_out = static_cast<uInt>(out.size());
            deflate(&z, flush);
            idat.append(reinterpret_cast<char*>(out.data()), out.size() - z.avail_out);
        } while (z.avail_out == 0);
    }
    deflateEnd(&z);
    return std::string("\x89PNG\r\n\x1A\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", idat) +
           pngChunk("IEND", "");
}

struct Input {
    std::string name;
    std::string bytes;
    bool pdf;
};

class MemoryBound : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        watermark::MagickRuntime::initialize();
        ocr_ = new evidence::OcrEngine();  // a worker's engine: not counted
        // The hardest inputs the upload lets through, and some it does not.
        std::string jpeg12000 = bigJpeg(12000, 12000, true);
        inputs_ = new std::vector<Input>{
            // 144 million pixels on an A4 page (the upload takes up to 150 million).
            {"12000x12000 JPEG on A4", makeScannedPdf({jpeg12000}, 12000 / 8.27), true},
            // The same as a scan: over 80 million pixels, refused from its header.
            {"12000x12000 JPEG", jpeg12000, false},
            {"200-inch page", readFile(fixturePath("pdf/giant-page.pdf")), true},
            {"80 MP JPEG", bigJpeg(10000, 8000, true), false},
            {"80 MP PNG", bigPng(10000, 8000, 8000), false},
            {"30000x30000 PNG bomb", bigPng(30000, 30000, 4), false},
        };
    }
    static void TearDownTestSuite() {
        delete ocr_;
        delete inputs_;
    }

    static evidence::PageImage firstPage(const Input& in, double dpi) {
        return in.pdf ? evidence::PdfDocument::load(in.bytes).renderGray(0, dpi)
                      : evidence::PageImage::decode(in.bytes);
    }

    void expectWithin(const char* what, long pdfBoundMb, long imageBoundMb,
                      const std::function<void(const Input&)>& work) {
        for (const auto& in : *inputs_) {
            long boundMb = in.pdf ? pdfBoundMb : imageBoundMb;
            Peak p = peakOf([&] { work(in); });
            std::printf("  %-8s %-24s +%4ld MB  %s\n", what, in.name.c_str(), p.addedMb,
                        p.outcome.c_str());
            EXPECT_TRUE(p.ok) << what << " " << in.name << ": " << p.outcome;
            EXPECT_LE(p.addedMb, boundMb) << what << " of " << in.name;
        }
    }

    static evidence::OcrEngine* ocr_;
    static std::vector<Input>* inputs_;
};

evidence::OcrEngine* MemoryBound::ocr_ = nullptr;
std::vector<Input>* MemoryBound::inputs_ = nullptr;

}  // namespace

// The checks as the check runner runs them: page 1 at 150 dpi (quality) and 200 dpi
// (license, text), every page at 100 dpi for seals (an image as it is).
TEST_F(MemoryBound, Checks) {
    expectWithin("quality", kPageBoundMb, kPageBoundMb,
                 [](const Input& in) { evidence::checkQuality(firstPage(in, 150)); });
    expectWithin("license", kPageBoundMb, kPageBoundMb, [](const Input& in) {
        evidence::LicenseCheck(*ocr_).run(firstPage(in, 200),
                                          {"91440116MA59B21T31", "广州精科医学检验所有限公司"});
    });
    expectWithin("seals", kPageBoundMb, kPageBoundMb, [](const Input& in) {
        std::vector<std::string> pages;
        if (in.pdf) {
            pages.push_back(evidence::PdfDocument::load(in.bytes).renderPng(0, 100));
        } else {
            pages.push_back(in.bytes);
        }
        evidence::checkSeals(pages, 1);
    });
}

TEST_F(MemoryBound, Previews) {
    expectWithin("preview", kPageBoundMb, kMagickBoundMb, [](const Input& in) {
        int width = watermark::ImagePreviewer::kMaxWidth;
        if (in.pdf) {
            evidence::PdfDocument::load(in.bytes).renderPng(0, 0, width);
        } else {
            watermark::ImagePreviewer::render(in.bytes, width);
        }
    });
}

TEST_F(MemoryBound, Marks) {
    expectWithin("mark", kPageBoundMb, kMagickBoundMb, [](const Input& in) {
        if (in.pdf) {
            watermark::PdfStamper::mark(in.bytes, {"仅供质量奖申报使用"},
                                        watermark::OverlayStyle::filing());
        } else {
            watermark::ImageWatermarker().apply(in.bytes, {"仅供质量奖申报使用", "2026-11-29"});
        }
    });
}
