#pragma once

#include <string>

namespace dossier::test {

/// Synthetic business-license scans (营业执照 副本 layout: credit code top left under its
/// label, title, fields, a red registration seal), for OCR tests and the license benchmark.
/// Deterministic for a given spec. Regenerate files with the `scan_generator` tool.
struct LicenseScanSpec {
    std::string code = "91440116MA59B21T31";
    std::string name = "广州精科医学检验所有限公司";
    int dpi = 150;           // page is A4 landscape at this resolution
    int quarterTurns = 0;    // clockwise turns applied to the finished scan
    double blurSigma = 0;    // optics
    bool noise = false;      // scanner grain
    bool grayscale = false;  // a gray scanner
    int jpegQuality = 88;
    double skewDegrees = 0;  // a sheet fed slightly askew
};

/// JPEG bytes of the scan.
std::string renderLicenseScan(const LicenseScanSpec& spec);

}  // namespace dossier::test
