// Filing watermark on an A4 300-dpi scan (target <= 400 ms end to end: decode, mark, encode).
//   build/bench/tests/bench/watermark_bench [--smoke] [--benchmark_* flags]
#include <Magick++.h>

#include <stdexcept>

#include "BenchMain.h"

#include "SampleFiles.h"
#include "dossier/watermark/FontLocator.h"
#include "dossier/watermark/ImageWatermarker.h"
#include "dossier/watermark/MagickRuntime.h"
#include "dossier/watermark/PdfStamper.h"
#include "dossier/watermark/WatermarkOverlay.h"

namespace {

/// A benchmark whose output is not the expected kind of file has measured nothing: fail it.
void requireOutput(const std::string& bytes, const char* magic) {
    if (bytes.rfind(magic, 0) != 0) {
        throw std::runtime_error("the watermarker did not produce the expected file");
    }
}

/// A synthetic 2480 × 3508 (A4 at 300 dpi) colour scan: paper tone, lines of text, noise.
std::string makeA4Scan() {
    dossier::watermark::MagickRuntime::initialize();
    Magick::Image page(Magick::Geometry(2480, 3508), Magick::Color("#f4f1ea"));
    page.font(dossier::watermark::FontLocator::songFont());
    page.fontPointsize(42);
    page.fillColor(Magick::Color("#202020"));
    for (int line = 0; line < 40; ++line) {
        page.annotate(
            "全国质量标杆申报承诺书 本单位承诺所提交的材料真实、准确、完整 " + std::to_string(line),
            Magick::Geometry(2200, 80, 140, 200 + line * 80), MagickCore::NorthWestGravity);
    }
    // Scanner grain, softened as a scanner's optics do (plain Gaussian noise on every pixel
    // would make a 4 MB JPEG no scanner produces).
    page.addNoise(MagickCore::GaussianNoise);
    page.blur(0, 0.9);
    page.quality(85);
    page.magick("JPEG");
    Magick::Blob blob;
    page.write(&blob);
    return std::string(static_cast<const char*>(blob.data()), blob.length());
}

/// Made once (a second or two) and shared by the benchmarks.
const std::string& a4Scan() {
    static const std::string scan = makeA4Scan();
    return scan;
}

void BM_FilingWatermarkA4Jpeg(benchmark::State& state) {
    const std::string& scan = a4Scan();
    dossier::watermark::ImageWatermarker marker;
    auto mark = dossier::watermark::FilingMark::forActivity("2025年全国质量标杆", "2026-11-20");
    for (auto _ : state) {
        auto out = marker.apply(scan, mark);
        benchmark::DoNotOptimize(out.bytes.data());
        requireOutput(out.bytes, "\xFF\xD8");
    }
    state.counters["input_MB"] = static_cast<double>(scan.size()) / (1 << 20);
}

void BM_FilingPlusTraceWatermarkA4Jpeg(benchmark::State& state) {
    const std::string& scan = a4Scan();
    dossier::watermark::ImageWatermarker marker;
    auto mark = dossier::watermark::FilingMark::forActivity("2025年全国质量标杆", "2026-11-20");
    dossier::watermark::TraceMark trace{"张三", "acct-42", "2026-11-20 08:00 UTC"};
    for (auto _ : state) {
        auto out = marker.apply(scan, mark, &trace);
        benchmark::DoNotOptimize(out.bytes.data());
        requireOutput(out.bytes, "\xFF\xD8");
    }
}

/// A reviewer's copy of a scan: the trace mark over the cached filing copy, per request.
void BM_ReviewCopyA4Jpeg(benchmark::State& state) {
    const std::string& scan = a4Scan();
    dossier::watermark::ImageWatermarker marker;
    auto mark = dossier::watermark::FilingMark::forActivity("2025年全国质量标杆", "2026-11-20");
    static const std::string filed = marker.apply(scan, mark).bytes;
    dossier::watermark::TraceMark trace{"审查员𠮷田", "01KAB7Q3M4X9R2T5V8W1Y6Z0C3",
                                        "2026-11-21 10:07 北京时间"};
    for (auto _ : state) {
        auto out = marker.applyTrace(filed, trace);
        benchmark::DoNotOptimize(out.bytes.data());
        requireOutput(out.bytes, "\xFF\xD8");
    }
}

/// The PDF filing mark: overlay rendering (libharu, subset font) + qpdf stamping, per page.
void BM_PdfOverlay(benchmark::State& state) {
    const int pages = static_cast<int>(state.range(0));
    const std::string pdf = dossier::test::makeTextPdf(pages);
    for (auto _ : state) {
        auto out = dossier::watermark::PdfStamper::mark(
            pdf, {"仅用于2025年全国质量标杆备案审核", "2026-11-21"});
        benchmark::DoNotOptimize(out.data());
        requireOutput(out, "%PDF-");
    }
    // Seconds per page (shown with an SI prefix: 1.07m = 1.07 ms).
    state.counters["s_per_page"] = benchmark::Counter(
        pages, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

/// A reviewer's copy of a PDF: the trace overlay stamped over the filing-marked copy.
void BM_ReviewCopyPdf(benchmark::State& state) {
    const int pages = static_cast<int>(state.range(0));
    const std::string filed = dossier::watermark::PdfStamper::mark(
        dossier::test::makeTextPdf(pages), {"仅用于2025年全国质量标杆备案审核", "2026-11-21"});
    dossier::watermark::TraceMark trace{"审查员𠮷田", "01KAB7Q3M4X9R2T5V8W1Y6Z0C3",
                                        "2026-11-21 10:07 北京时间"};
    for (auto _ : state) {
        auto out = dossier::watermark::PdfStamper::mark(filed, {trace.text()},
                                                        dossier::watermark::OverlayStyle::trace());
        benchmark::DoNotOptimize(out.data());
        requireOutput(out, "%PDF-");
    }
    state.counters["s_per_page"] = benchmark::Counter(
        pages, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

}  // namespace

int main(int argc, char** argv) {
    using dossier::bench::add;
    return dossier::bench::runBenchmarks(argc, argv, [] {
        add("BM_FilingWatermarkA4Jpeg", BM_FilingWatermarkA4Jpeg, 3.0)
            ->Unit(benchmark::kMillisecond);
        add("BM_FilingPlusTraceWatermarkA4Jpeg", BM_FilingPlusTraceWatermarkA4Jpeg, 3.0)
            ->Unit(benchmark::kMillisecond);
        add("BM_ReviewCopyA4Jpeg", BM_ReviewCopyA4Jpeg, 3.0)->Unit(benchmark::kMillisecond);
        add("BM_PdfOverlay", BM_PdfOverlay)
            ->Arg(1)
            ->Arg(10)
            ->Arg(50)
            ->Unit(benchmark::kMillisecond);
        add("BM_ReviewCopyPdf", BM_ReviewCopyPdf)->Arg(1)->Arg(10)->Unit(benchmark::kMillisecond);
    });
}
