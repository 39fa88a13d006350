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
    /// 0: the 副本 layout above (code in a Hei face under its label, top left); 1: a later
    /// layout (label over a monospaced code, 副本编号 under it, the registration seal round
    /// the 登记机关 block), as other generators and printers lay it out.
    int layout = 0;
    /// Face of the code: 0 Hei, 1 DejaVu Sans Mono, 2 DejaVu Sans, 3 Song.
    int codeFont = 0;
    /// A company seal (red, translucent ink) stamped over the 名称 line: `sealOverName` > 0
    /// is its radius in units of the name's character height; `sealAt` (0-1) where along the
    /// name its centre falls.
    double sealOverName = 0;
    double sealAt = 0.5;
    /// A photograph under a lamp: brightness falling off by this share (0-1) across the
    /// sheet, from the corner `lightFrom` (0-3).
    double unevenLight = 0;
    int lightFrom = 0;
    bool inverted = false;  // a negative: light text on dark
};

/// JPEG bytes of the scan.
std::string renderLicenseScan(const LicenseScanSpec& spec);

/// A stamped commitment letter (承诺书): body text, optional red title and red underline
/// (red marks that are not seals), and `seals` round seals (ring, star, arc of text).
struct CommitmentScanSpec {
    int seals = 1;
    bool redTitle = true;
    bool redUnderline = true;
    bool redParagraph = false;           // a red block of text, not a seal
    std::string sealColour = "#d0282e";  // faded "#e59a9a", dark "#8e1b1f"
    bool squareSeal = false;             // the last seal square (a personal name seal)
    int quarterTurns = 0;
    bool noise = false;
    double blurSigma = 0;
    int dpi = 150;  // A4 portrait
};

std::string renderCommitmentScan(const CommitmentScanSpec& spec);

}  // namespace dossier::test
