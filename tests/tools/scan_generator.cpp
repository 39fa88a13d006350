// Writes the synthetic license scans used by the tests and benchmarks:
//   build/tests/scan_generator OUT_DIR [COUNT] [DPI]
#include <cstdio>
#include <string>

#include "LicenseCorpus.h"
#include "ScanGenerator.h"
#include "TestSupport.h"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: scan_generator OUT_DIR [COUNT]\n");
        return 2;
    }
    std::string dir = argv[1];
    int count = argc > 2 ? std::stoi(argv[2]) : 40;
    int dpi = argc > 3 ? std::stoi(argv[3]) : 150;
    for (const auto& item : dossier::test::licenseCorpus(count, dpi)) {
        std::string path = dir + "/" + item.fileName;
        dossier::test::writeFile(path, dossier::test::renderLicenseScan(item.spec));
        std::printf("%s %s %s\n", path.c_str(), item.spec.code.c_str(), item.spec.name.c_str());
    }
    return 0;
}
