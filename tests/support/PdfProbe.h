#pragma once

#include <string>
#include <vector>

namespace dossier::test {

/// Where a red filing mark lies on a page as displayed (rendered by pdftoppm -cropbox, which
/// applies /Rotate and shows the CropBox as readers do): the fraction of the page's width and
/// height spanned by its reddish pixels, and whether each quadrant has some.
struct MarkCoverage {
    double spanX = 0, spanY = 0;  // 0..1
    bool allQuadrants = false;
    int width = 0, height = 0;  // of the rendering, pixels
    std::vector<bool> mask;     // reddish pixels, row by row
};
MarkCoverage filingMarkCoverage(const std::string& pdf, int page, int dpi = 20);
/// Intersection over union of two masks of the same size (0 when the sizes differ).
double maskOverlap(const MarkCoverage& a, const MarkCoverage& b);

/// The reading directions of the text boxes on a displayed page (poppler's text layer)
/// whose text contains `needle`: 0 = upright, 1/2/3 = turned 90°/180°/270° clockwise.
std::vector<int> textRotations(const std::string& pdf, int page, const std::string& needle);

}  // namespace dossier::test
