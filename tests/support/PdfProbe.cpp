#include "PdfProbe.h"

#include <poppler-document.h>
#include <poppler-page.h>

#include <algorithm>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "TestSupport.h"

namespace dossier::test {

MarkCoverage filingMarkCoverage(const std::string& pdf, int page, int dpi) {
    TempDir dir;
    writeFile(dir.path() + "/in.pdf", pdf);
    std::string p = std::to_string(page);
    std::string ppm = runCommand("pdftoppm -cropbox -r " + std::to_string(dpi) + " -f " + p +
                                 " -l " + p + " -singlefile " + dir.path() + "/in.pdf 2>/dev/null");
    std::istringstream in(ppm);
    std::string magic;
    int w = 0, h = 0, max = 0;
    in >> magic >> w >> h >> max;
    in.get();
    if (magic != "P6" || w <= 0 || h <= 0 || max != 255) throw std::runtime_error("no PPM");
    std::string pixels(std::size_t(w) * h * 3, '\0');
    in.read(pixels.data(), static_cast<std::streamsize>(pixels.size()));
    int minX = w, maxX = -1, minY = h, maxY = -1;
    bool quadrant[2][2] = {};
    std::vector<bool> mask(std::size_t(w) * h, false);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const auto* px = reinterpret_cast<const unsigned char*>(pixels.data() +
                                                                    (std::size_t(y) * w + x) * 3);
            // The filing mark is translucent red over the page: red well above green and blue.
            if (px[0] > 150 && px[0] - px[1] > 25 && px[0] - px[2] > 25) {
                mask[std::size_t(y) * w + x] = true;
                minX = std::min(minX, x);
                maxX = std::max(maxX, x);
                minY = std::min(minY, y);
                maxY = std::max(maxY, y);
                quadrant[y * 2 / h][x * 2 / w] = true;
            }
        }
    }
    MarkCoverage c;
    c.width = w;
    c.height = h;
    c.mask = std::move(mask);
    if (maxX < 0) return c;
    c.spanX = double(maxX - minX + 1) / w;
    c.spanY = double(maxY - minY + 1) / h;
    c.allQuadrants = quadrant[0][0] && quadrant[0][1] && quadrant[1][0] && quadrant[1][1];
    return c;
}

double maskOverlap(const MarkCoverage& a, const MarkCoverage& b) {
    if (a.width != b.width || a.height != b.height || a.mask.empty()) return 0;
    std::size_t both = 0, either = 0;
    for (std::size_t i = 0; i < a.mask.size(); ++i) {
        both += a.mask[i] && b.mask[i];
        either += a.mask[i] || b.mask[i];
    }
    return either == 0 ? 0 : double(both) / double(either);
}

std::vector<int> textRotations(const std::string& pdf, int page, const std::string& needle) {
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
    if (!doc) throw std::runtime_error("poppler cannot open the PDF");
    std::unique_ptr<poppler::page> p(doc->create_page(page - 1));
    if (!p) throw std::runtime_error("no such page");
    std::vector<int> out;
    for (auto& box : p->text_list()) {
        auto utf8 = box.text().to_utf8();
        std::string text(utf8.begin(), utf8.end());
        if (text.find(needle) != std::string::npos) out.push_back(box.rotation());
    }
    return out;
}

}  // namespace dossier::test
