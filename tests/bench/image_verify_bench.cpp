// The upload's decode of an image (evidence::ImageVerifier): what the one accept-or-refuse
// decision adds to a JPEG or PNG upload, and what a refused bomb costs.
//   build/bench/tests/bench/image_verify_bench [--smoke] [--benchmark_* flags]
#include <Magick++.h>
#include <zlib.h>

#include "BenchMain.h"

#include "dossier/core/Error.h"
#include "dossier/evidence/ImageVerifier.h"
#include "dossier/watermark/MagickRuntime.h"

namespace {

using dossier::MediaType;
using dossier::evidence::ImageVerifier;

/// A 2480 × 3508 (A4 at 300 dpi) noisy colour page in `magick` (JPEG quality 85, or PNG).
std::string a4Page(const std::string& magick) {
    dossier::watermark::MagickRuntime::initialize();
    Magick::Image page(Magick::Geometry(2480, 3508), Magick::Color("#f4f1ea"));
    page.addNoise(MagickCore::GaussianNoise);
    page.blur(0, 0.9);
    page.quality(85);
    page.magick(magick);
    Magick::Blob blob;
    page.write(&blob);
    return std::string(static_cast<const char*>(blob.data()), blob.length());
}

void verify(benchmark::State& state, const std::string& bytes, MediaType type) {
    for (auto _ : state) ImageVerifier::requireDecodable(bytes, type, {});
    state.counters["input_MB"] = static_cast<double>(bytes.size()) / (1 << 20);
}

void BM_VerifyA4Jpeg(benchmark::State& state) {
    static const std::string jpeg = a4Page("JPEG");
    verify(state, jpeg, MediaType::Jpeg);
}

void BM_VerifyA4Png(benchmark::State& state) {
    static const std::string png = a4Page("PNG");
    verify(state, png, MediaType::Png);
}

/// A 30000 × 30000 PNG header: refused from the header, nothing inflated.
void BM_RefuseBombPng(benchmark::State& state) {
    Magick::Image small(Magick::Geometry(8, 8), Magick::Color("black"));
    small.magick("PNG");
    Magick::Blob blob;
    small.write(&blob);
    std::string png(static_cast<const char*>(blob.data()), blob.length());
    // IHDR's width and height (bytes 16..23), and its CRC made right again.
    for (int i : {16, 20}) {
        png[i] = 0;
        png[i + 1] = 0;
        png[i + 2] = static_cast<char>(30000 >> 8);
        png[i + 3] = static_cast<char>(30000 & 0xFF);
    }
    auto crc = crc32(0, reinterpret_cast<const Bytef*>(png.data() + 12), 17);
    for (int k = 0; k < 4; ++k) png[29 + k] = static_cast<char>(crc >> (24 - 8 * k));
    for (auto _ : state) {
        try {
            ImageVerifier::requireDecodable(png, MediaType::Png, {});
            state.SkipWithError("the bomb was accepted");
        } catch (const dossier::Error&) {
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    using dossier::bench::add;
    return dossier::bench::runBenchmarks(argc, argv, [] {
        add("BM_VerifyA4Jpeg", BM_VerifyA4Jpeg, 3.0)->Unit(benchmark::kMillisecond);
        add("BM_VerifyA4Png", BM_VerifyA4Png, 3.0)->Unit(benchmark::kMillisecond);
        add("BM_RefuseBombPng", BM_RefuseBombPng)->Unit(benchmark::kMicrosecond);
    });
}
