// License check on generated A4 300-dpi scans, side by side with the tesseract CLI doing a
// full-page OCR of the same files. Targets: <= 1.5 s per check on one core, code read exactly
// on >= 95% of scans, never license.match for a wrong code.
//   OMP_THREAD_LIMIT=1 taskset -c 0 build/bench/tests/bench/license_bench [COUNT] [--no-cli]
// --smoke: one scan (for the test command). Exits 1 on a false match.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "LicenseCorpus.h"
#include "ScanGenerator.h"
#include "TestSupport.h"
#include "dossier/core/CreditCode.h"
#include "dossier/evidence/LicenseCheck.h"

using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    int count = 40;
    bool cli = true;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--no-cli") {
            cli = false;
        } else if (a == "--smoke") {
            count = 1;
        } else if (!a.empty() && a.find_first_not_of("0123456789") == std::string::npos &&
                   a.size() < 6 && std::atoi(a.c_str()) > 0) {
            count = std::atoi(a.c_str());
        } else {
            std::fprintf(stderr, "usage: license_bench [COUNT] [--no-cli] [--smoke]\n");
            return 2;
        }
    }
    if (!std::getenv("OMP_THREAD_LIMIT")) {
        std::fprintf(stderr, "set OMP_THREAD_LIMIT=1 (Tesseract is 3-5x slower without it)\n");
    }
    dossier::test::TempDir dir;
    dossier::evidence::OcrEngine ocr;
    int exact = 0, falseMatch = 0, cliFound = 0;
    double ours = 0, theirs = 0, worst = 0;
    for (const auto& item : dossier::test::licenseCorpus(count, 300)) {
        std::string bytes = dossier::test::renderLicenseScan(item.spec);
        std::string path = dir.path() + "/" + item.fileName;
        dossier::test::writeFile(path, bytes);

        auto t0 = Clock::now();
        auto page = dossier::evidence::PageImage::decode(bytes);
        auto r = dossier::evidence::LicenseCheck(ocr).run(page, {item.spec.code, item.spec.name});
        double s = std::chrono::duration<double>(Clock::now() - t0).count();
        ours += s;
        worst = std::max(worst, s);
        bool ok = r.details["code_read"] == item.spec.code;
        exact += ok;
        // A wrong declared code must never match: check the same page against another code.
        auto other = dossier::evidence::LicenseCheck(ocr).run(page, {"91110000600037341L", ""});
        falseMatch += other.code == "license.match";

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
        std::printf("%-16s ours %.2f s %-22s %s | tesseract CLI %.2f s code %s\n",
                    item.fileName.c_str(), s, std::string(r.code.text()).c_str(),
                    ok ? "exact" : "MISSED", c, cli ? (found ? "found" : "not found") : "-");
    }
    std::printf("\nours: %d/%d exact (%.1f%%), mean %.2f s, worst %.2f s, false matches %d\n",
                exact, count, 100.0 * exact / count, ours / count, worst, falseMatch);
    if (cli) {
        std::printf(
            "tesseract CLI full page (chi_sim): code found in %d/%d (%.1f%%), mean %.2f s\n",
            cliFound, count, 100.0 * cliFound / count, theirs / count);
    }
    return falseMatch > 0 ? 1 : 0;
}
