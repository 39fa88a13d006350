#pragma once

#include <string>
#include <vector>

#include "ScanGenerator.h"

namespace dossier::test {

struct CorpusItem {
    std::string fileName;
    LicenseScanSpec spec;
};

/// `count` deterministic license scans cycling through real credit codes (fixtures/real/uscc),
/// company names (rare characters included) and scan defects: rotation by 90/180/270°, gray,
/// grain, blur with heavy JPEG compression, a slight skew.
std::vector<CorpusItem> licenseCorpus(int count, int dpi = 150);

}  // namespace dossier::test
