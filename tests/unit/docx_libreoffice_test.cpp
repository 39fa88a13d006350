// The Word versions opened by another program: LibreOffice headless converts the book and the
// experience material to PDF (a fresh private profile, as a reviewer's machine would) and the
// pages come out as many as ours, give or take one, with the values in them. Label slow
// (~5-10 s: LibreOffice starts twice); needs libreoffice-writer-nogui (scripts/install-deps.sh).
#include <gtest/gtest.h>

#include <regex>

#include "TestSupport.h"
#include "dossier/renderers/DocumentTemplate.h"

namespace dossier::renderers {
namespace {

using test::readFile;
using test::runCommand;
using test::TempDir;
using test::writeFile;

const std::string kTemplates = std::string(DOSSIER_SOURCE_DIR) + "/templates";

int pagesOf(const std::string& pdf) {
    std::string info = runCommand("pdfinfo " + pdf + " 2>/dev/null");
    std::smatch m;
    if (!std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))"))) return -1;
    return std::stoi(m[1]);
}

std::string squeeze(const std::string& s) {
    std::string r;
    for (char c : s) {
        if (c != ' ' && c != '\n' && c != '\t' && c != '\f' && c != '\r') r += c;
    }
    return r;
}

TEST(DocxLibreOffice, ConvertsToAboutAsManyPagesAsOurPdf) {
    TempDir dir;
    struct Case {
        const char* id;
        const char* sample;
        std::vector<const char*> values;
    };
    const std::vector<Case> cases = {
        {"benchmark-2022",
         "benchmark-2022-book",
         {"浙江明澈精密电气股份有限公司", "赵嘉懿", "全国质量标杆推荐表", "108642.9"}},
        {"benchmark-2022-experience",
         "benchmark-2022-experience",
         {"实施基于大数据的关键过程质量管控的经验", "四、实施成效"}},
    };
    std::string docxFiles;
    for (const auto& c : cases) {
        auto t = DocumentTemplate::load(kTemplates, c.id);
        std::string json = readFile(kTemplates + "/samples/" + c.sample + ".json");
        writeFile(dir.path() + "/" + c.id + ".docx", t->renderDocx(json));
        writeFile(dir.path() + "/" + c.id + "-ours.pdf", t->render(json));
        docxFiles += " " + dir.path() + "/" + c.id + ".docx";
    }
    // One soffice run converts both; its profile lives in the temporary directory.
    std::string log =
        runCommand("timeout -k 10 240 soffice -env:UserInstallation=file://" + dir.path() +
                   "/profile --headless --norestore --convert-to pdf "
                   "--outdir " +
                   dir.path() + "/lo" + docxFiles + " 2>&1");
    for (const auto& c : cases) {
        std::string lo = dir.path() + "/lo/" + c.id + ".pdf";
        int ours = pagesOf(dir.path() + "/" + c.id + "-ours.pdf");
        int theirs = pagesOf(lo);
        ASSERT_GT(theirs, 0) << c.id << ": LibreOffice wrote no PDF:\n" << log;
        // Word processors lay out with their own font metrics: a page more or less is fine,
        // a document that lost its page breaks or its tables is not.
        EXPECT_LE(std::abs(theirs - ours), 1)
            << c.id << ": ours " << ours << ", LibreOffice " << theirs;
        std::string text = squeeze(runCommand("pdftotext " + lo + " - 2>/dev/null"));
        for (const char* value : c.values)
            EXPECT_NE(text.find(value), std::string::npos) << c.id << ": " << value;
    }
}

}  // namespace
}  // namespace dossier::renderers
