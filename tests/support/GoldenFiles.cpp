#include "GoldenFiles.h"

#include <Magick++.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "TestSupport.h"

namespace dossier::test {
namespace {

const std::string kGolden = std::string(DOSSIER_SOURCE_DIR) + "/tests/golden";

bool updating() { return std::getenv("DOSSIER_UPDATE_GOLDEN") != nullptr; }

void compareImages(const std::string& what, const std::string& expectedPath,
                   const std::string& actualPath) {
    static bool ready = (Magick::InitializeMagick(nullptr), true);
    (void)ready;
    Magick::Image want(expectedPath), got(actualPath);
    ASSERT_EQ(want.columns(), got.columns()) << what;
    ASSERT_EQ(want.rows(), got.rows()) << what;
    std::size_t w = want.columns(), h = want.rows();
    std::vector<unsigned char> a(w * h), b(w * h);
    want.write(0, 0, w, h, "I", MagickCore::CharPixel, a.data());
    got.write(0, 0, w, h, "I", MagickCore::CharPixel, b.data());
    std::size_t differing = 0;
    for (std::size_t i = 0; i < a.size(); ++i) differing += std::abs(int(a[i]) - int(b[i])) > 64;
    EXPECT_LT(differing, a.size() / 200) << what << ": " << differing << " of " << a.size()
                                         << " pixels differ from " << expectedPath;
}

}  // namespace

void expectMatchesGolden(const std::string& name, const std::string& pdf, int pages) {
    TempDir dir;
    std::string file = dir.path() + "/" + name + ".pdf";
    writeFile(file, pdf);
    std::string prefix = dir.path() + "/page";
    runCommand("pdftoppm -r 24 -gray -png " + file + " " + prefix);
    std::string golden = kGolden + "/" + name + ".pdf";
    if (updating()) {
        writeFile(golden, pdf);
        runCommand("rm -f " + kGolden + "/" + name + "-*.png; pdftoppm -r 24 -gray -png " + file +
                   " " + kGolden + "/" + name);
        return;
    }
    if (pdf != readFile(golden)) {
        writeFile("/tmp/" + name + ".actual.pdf", pdf);
        ADD_FAILURE()
            << name << ": PDF differs from " << golden << " (written to /tmp/" << name
            << ".actual.pdf; if the change is intended, rerun with DOSSIER_UPDATE_GOLDEN=1)";
    }
    for (int p = 1; p <= pages; ++p) {
        std::string suffix = (pages >= 10 && p < 10 ? "-0" : "-") + std::to_string(p) + ".png";
        compareImages(name + " page " + std::to_string(p), kGolden + "/" + name + suffix,
                      prefix + suffix);
    }
}

void expectImageMatchesGolden(const std::string& name, const std::string& png) {
    TempDir dir;
    std::string golden = kGolden + "/" + name + ".png";
    if (updating()) {
        writeFile(golden, png);
        return;
    }
    writeFile(dir.path() + "/actual.png", png);
    compareImages(name, golden, dir.path() + "/actual.png");
}

}  // namespace dossier::test
