// License check on the generated corpus (tests/support/LicenseCorpus: rotations, photographs,
// seals over the name, wrong names and codes, negatives, skews, 150-300 dpi), side by side
// with the tesseract CLI doing a full-page OCR of the same files. Targets: >= 98 % of
// outcomes right, 0 false matches, <= 1.2 s mean per check on one core at 300 dpi.
//   OMP_THREAD_LIMIT=1 taskset -c 0 build/bench/tests/bench/license_bench [COUNT] [--seed N]
//       [--dpi N] [--only I] [--no-cli] [--smoke]
// --dpi fixes the resolution (300: the A4 300-dpi timing); --only I checks scan I of the corpus
// (with DOSSIER_DEBUG_OCR=1 to see why); --smoke checks one scan (the
// test command runs it).
// Exit status 1 when a target on accuracy or false matches is missed.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "LicenseCorpus.h"
#include "ScanGenerator.h"
#include "TestSupport.h"
#include "dossier/core/CreditCode.h"
#include "dossier/evidence/LicenseCheck.h"

using Clock = std::chrono::steady_clock;

namespace {

/// CPU seconds this thread has used: what a check costs on its core, whatever else the
/// machine runs at the time (wall time is also reported).
double threadCpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
    int count = 48;
    std::uint32_t seed = dossier::test::kLicenseCorpusSeed;
    int dpi = 0;
    bool cli = true;
    int only = -1;  // one scan of the corpus, to look at (with DOSSIER_DEBUG_OCR=1)
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--no-cli") {
            cli = false;
        } else if (a == "--smoke") {
            count = 1, cli = false;  // seconds, for the test command
        } else if (a == "--seed" && i + 1 < argc) {
            seed = static_cast<std::uint32_t>(std::strtoul(argv[++i], nullptr, 10));
        } else if (a == "--only" && i + 1 < argc) {
            only = std::atoi(argv[++i]);
        } else if (a == "--dpi" && i + 1 < argc) {
            dpi = std::atoi(argv[++i]);
        } else if (!a.empty() && a.find_first_not_of("0123456789") == std::string::npos &&
                   a.size() < 6 && std::atoi(a.c_str()) > 0) {
            count = std::atoi(a.c_str());
        } else {
            std::fprintf(stderr,
                         "usage: license_bench [COUNT] [--seed N] [--dpi N] [--only I] [--no-cli] "
                         "[--smoke]\n");
            return 2;
        }
    }
    if (!std::getenv("OMP_THREAD_LIMIT")) {
        std::fprintf(stderr, "set OMP_THREAD_LIMIT=1 (Tesseract is 3-5x slower without it)\n");
    }
    dossier::test::TempDir dir;
    dossier::evidence::OcrEngine ocr;
    int right = 0, codeExact = 0, falseMatch = 0, cliFound = 0;
    double ours = 0, theirs = 0, worst = 0, oursCpu = 0, worstCpu = 0;
    std::map<std::string, std::pair<int, int>> byKind;  // right, total
    auto corpus = dossier::test::licenseCorpus(count, seed, dpi);
    if (only >= 0) {
        if (only >= count) {
            std::fprintf(stderr, "--only %d: the corpus has %d scans\n", only, count);
            return 2;
        }
        corpus = {corpus[std::size_t(only)]};
        count = 1;
    }
    for (const auto& item : corpus) {
        std::string bytes = dossier::test::renderLicenseScan(item.spec);
        std::string path = dir.path() + "/" + item.fileName;
        dossier::test::writeFile(path, bytes);

        auto t0 = Clock::now();
        double cpu0 = threadCpuSeconds();
        auto page = dossier::evidence::PageImage::decode(bytes);
        auto r =
            dossier::evidence::LicenseCheck(ocr).run(page, {item.declaredCode, item.declaredName});
        double s = std::chrono::duration<double>(Clock::now() - t0).count();
        double cpu = threadCpuSeconds() - cpu0;
        ours += s;
        oursCpu += cpu;
        worstCpu = std::max(worstCpu, cpu);
        worst = std::max(worst, s);
        bool ok = item.isRight(r);
        right += ok;
        const std::string outcome(r.code.text());
        const std::string read = r.details.count("code_read") ? r.details["code_read"].text() : "";
        codeExact += read == item.spec.code;
        falseMatch += item.isFalseMatch(r);
        auto& k = byKind[item.kind];
        k.first += ok, k.second += 1;

        double c = 0;
        bool found = false;
        if (cli) {
            auto t1 = Clock::now();
            std::string cmd = "tesseract " + path + " " + path + " -l chi_sim >/dev/null 2>&1";
            if (std::system(cmd.c_str()) == 0) {
                std::string text = dossier::test::readFile(path + ".txt");
                found =
                    dossier::CreditCode::normalize(text).find(item.spec.code) != std::string::npos;
            }
            c = std::chrono::duration<double>(Clock::now() - t1).count();
            theirs += c;
            cliFound += found;
        }
        std::printf(
            "%-34s %3d dpi ours %.2f s (cpu %.2f) %-22s %-5s read %-18s | CLI %.2f s code %s\n",
            item.fileName.c_str(), item.spec.dpi, s, cpu, outcome.c_str(), ok ? "right" : "WRONG",
            read.c_str(), c, cli ? (found ? "found" : "not found") : "-");
        if (!ok) {
            const std::string name =
                r.details.count("name_read") ? r.details["name_read"].text() : "";
            std::printf("    %s: name read '%s', declared '%s' (printed '%s'), code printed %s\n",
                        item.kind.c_str(), name.c_str(), item.declaredName.c_str(),
                        item.spec.name.c_str(), item.spec.code.c_str());
        }
    }
    std::printf("\ncorpus: %d scans, seed %u, %s\n", count, seed,
                dpi ? (std::to_string(dpi) + " dpi").c_str() : "150-300 dpi");
    for (const auto& [kind, n] : byKind) {
        std::printf("  %-16s %d/%d right\n", kind.c_str(), n.first, n.second);
    }
    std::printf(
        "ours: %d/%d right (%.1f%%), code read exactly %d/%d, false matches %d, mean %.2f s, "
        "worst %.2f s (CPU: mean %.2f s, worst %.2f s)\n",
        right, count, 100.0 * right / count, codeExact, count, falseMatch, ours / count, worst,
        oursCpu / count, worstCpu);
    if (cli) {
        std::printf(
            "tesseract CLI full page (chi_sim): code found in %d/%d (%.1f%%), mean %.2f s\n",
            cliFound, count, 100.0 * cliFound / count, theirs / count);
    }
    bool missed = falseMatch > 0 || right * 100 < 98 * count;
    return missed ? 1 : 0;
}
