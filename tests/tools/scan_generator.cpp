// Writes the generated license corpus (tests/support/LicenseCorpus) to a directory, to look
// at or to feed other tools; one line per scan: path, kind, code, name, declared code and name.
//   build/test/tests/scan_generator OUT_DIR [COUNT] [DPI] [SEED]     (DPI 0: 150-300 varied)
#include <cstdio>
#include <string>

#include "LicenseCorpus.h"
#include "ScanGenerator.h"
#include "TestSupport.h"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: scan_generator OUT_DIR [COUNT] [DPI] [SEED]\n");
        return 2;
    }
    std::string dir = argv[1];
    int count = argc > 2 ? std::stoi(argv[2]) : 48;
    int dpi = argc > 3 ? std::stoi(argv[3]) : 0;
    auto seed = argc > 4 ? static_cast<std::uint32_t>(std::stoul(argv[4]))
                         : dossier::test::kLicenseCorpusSeed;
    for (const auto& item : dossier::test::licenseCorpus(count, seed, dpi)) {
        std::string path = dir + "/" + item.fileName;
        dossier::test::writeFile(path, dossier::test::renderLicenseScan(item.spec));
        std::printf("%s %s %s %s | declared %s %s\n", path.c_str(), item.kind.c_str(),
                    item.spec.code.c_str(), item.spec.name.c_str(), item.declaredCode.c_str(),
                    item.declaredName.c_str());
    }
    return 0;
}
