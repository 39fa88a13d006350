#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dossier/evidence/PageImage.h"

namespace dossier::evidence {

struct OcrSymbol {
    std::string text;  // UTF-8, one character as read
    PixelRect box;     // in the coordinates of the image given
    float confidence = 0;
};

struct OcrLine {
    std::string text;  // UTF-8
    PixelRect box;     // in the coordinates of the image given
    float confidence = 0;
    std::vector<OcrSymbol> symbols;  // in reading order
};

/// Tesseract 5 with chi_sim for page text and eng for credit-code lines. Costs ~200 ms and
/// ~180 MB to construct: make one per worker thread and reuse it. NOT thread-safe.
/// The process must start with OMP_THREAD_LIMIT=1 (the launch scripts set it).
/// The readings are virtual so a test can stand a reader with known faults (a misread
/// character) between the check and Tesseract.
class OcrEngine {
  public:
    OcrEngine();
    virtual ~OcrEngine();
    OcrEngine(const OcrEngine&) = delete;
    OcrEngine& operator=(const OcrEngine&) = delete;

    /// chi_sim recognition of a page's text lines. `sparse` (forms, fields scattered)
    /// finds short fields; otherwise block layout analysis gives running text in reading
    /// order.
    virtual std::vector<OcrLine> readLines(const PageImage& page, bool sparse = true);
    /// chi_sim recognition of one line of text (a field's value cut out of the page).
    virtual std::vector<OcrLine> readLine(const PageImage& line);
    /// The eng model on one region, restricted to the credit-code alphabet, without
    /// dictionaries; lines of what it read.
    virtual std::vector<OcrLine> readCodeRegion(const PageImage& region);

    /// Tesseract's orientation detection (osd model): clockwise quarter turns that make the
    /// page upright, or -1 when it cannot tell.
    virtual int uprightQuarterTurns(const PageImage& page);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dossier::evidence
