// The flow layout: text extracts in reading order, fonts are embedded subsets, the file
// checks clean, output is deterministic, long text flows over pages, missing glyphs fall
// back or fail loudly.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <regex>
#include <set>

#include "TestSupport.h"
#include "dossier/core/Error.h"
#include "dossier/fonts/SubsetFont.h"
#include "dossier/renderers/PdfComposer.h"

using namespace dossier;
using namespace dossier::renderers;
using dossier::test::runCommand;
using dossier::test::TempDir;
using dossier::test::writeFile;

namespace {

std::string squeeze(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c != ' ' && c != '\n' && c != '\f') out += c;
    }
    return out;
}

const DocumentInfo kInfo{"2022年全国质量标杆申报书", "Dossier", 1'700'000'000'000'000};

std::string sample() {
    PdfComposer pdf({}, kInfo);
    TextStyle title{Face::Hei, 18, 1.5, TextStyle::Align::Center, 0};
    pdf.paragraph("全国质量标杆申报书", title);
    pdf.space(12);
    TextStyle body{Face::Song, 14, 1.5, TextStyle::Align::Left, 2};
    pdf.paragraph("企业名称（盖章）：中山市旭日商贸有限公司，统一社会信用代码91440116MA59B21T31。",
                  body);
    pdf.paragraph("执行标准GB/T 19580-2012《卓越绩效评价准则》。", body);
    return pdf.finish();
}

}  // namespace

TEST(PdfComposer, TextExtractsInOrderWithEmbeddedSubsetFonts) {
    TempDir dir;
    std::string bytes = sample();
    writeFile(dir.path() + "/a.pdf", bytes);
    std::string text = squeeze(runCommand("pdftotext " + dir.path() + "/a.pdf - 2>/dev/null"));
    auto title = text.find("全国质量标杆申报书");
    auto name = text.find("中山市旭日商贸有限公司");
    auto code = text.find("91440116MA59B21T31");
    auto standard = text.find("GB/T19580-2012");
    ASSERT_NE(title, std::string::npos) << text;
    ASSERT_NE(name, std::string::npos) << text;
    ASSERT_NE(code, std::string::npos) << text;
    ASSERT_NE(standard, std::string::npos) << text;
    EXPECT_LT(title, name);
    EXPECT_LT(name, standard);
    std::string fonts = runCommand("pdffonts " + dir.path() + "/a.pdf 2>/dev/null");
    EXPECT_NE(fonts.find("WenQuanYiZenHei"), std::string::npos) << fonts;  // 黑体 title
    EXPECT_NE(fonts.find("UMing"), std::string::npos) << fonts;  // 宋体 body (AR PL UMing)
    for (const char* line : {"WenQuanYiZenHei", "UMing"}) {
        auto at = fonts.find(line);
        auto end = fonts.find('\n', at);
        std::string row = fonts.substr(at, end - at);
        EXPECT_NE(row.find("yes yes"), std::string::npos) << "not embedded+subset: " << row;
    }
    std::string check = runCommand("qpdf --check " + dir.path() + "/a.pdf 2>&1");
    EXPECT_NE(check.find("No syntax or stream encoding errors"), std::string::npos) << check;
    std::string info = runCommand("pdfinfo " + dir.path() + "/a.pdf 2>/dev/null");
    EXPECT_NE(info.find("2022年全国质量标杆申报书"), std::string::npos) << info;
    EXPECT_LT(bytes.size(), 60'000u) << "fonts not subset";
}

TEST(PdfComposer, SameInputSameBytes) { EXPECT_EQ(sample(), sample()); }

TEST(PdfComposer, LongTextFlowsOverPagesWithPageNumbers) {
    PdfComposer pdf({}, kInfo);
    // 实施过程 may run to 8000 characters: at 四号 on A4 that is about 7 pages.
    std::string process;
    for (int i = 0; i < 400; ++i)
        process += "围绕卓越绩效模式建立质量管理体系并持续改进，";  // 20 × 400
    pdf.paragraph(process, {Face::Song, 14, 1.5, TextStyle::Align::Left, 2});
    EXPECT_GE(pdf.pageCount(), 6);
    EXPECT_LE(pdf.pageCount(), 9);
    TempDir dir;
    writeFile(dir.path() + "/long.pdf", pdf.finish());
    std::string info = runCommand("pdfinfo " + dir.path() + "/long.pdf 2>/dev/null");
    auto at = info.find("Pages:");
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(std::stoi(info.substr(at + 6)), pdf.pageCount()) << info;
    std::string last =
        runCommand("pdftotext -f " + std::to_string(pdf.pageCount()) + " -l " +
                   std::to_string(pdf.pageCount()) + " " + dir.path() + "/long.pdf - 2>/dev/null");
    EXPECT_NE(last.find("— " + std::to_string(pdf.pageCount()) + " —"), std::string::npos) << last;
}

TEST(PdfComposer, MissingGlyphsFallBackOrFailNamingTheCharacter) {
    // 㐀 (U+3400) is not in AR PL UMing but is in WenQuanYi Zen Hei: drawn with Hei.
    PdfComposer fallback({}, kInfo);
    fallback.paragraph("罕见字㐀在正文中");
    TempDir dir;
    writeFile(dir.path() + "/f.pdf", fallback.finish());
    EXPECT_NE(squeeze(runCommand("pdftotext " + dir.path() + "/f.pdf - 2>/dev/null"))
                  .find("罕见字㐀在正文中"),
              std::string::npos);
    // 𠮷 (U+20BB7, outside the BMP, in real company names such as 𠮷野家) is in neither
    // document face: drawn with the rare-character face (HanaMin), and it copies back out.
    PdfComposer rare({}, kInfo);
    rare.paragraph("\xF0\xA0\xAE\xB7野家（上海）餐饮管理有限公司");
    writeFile(dir.path() + "/r.pdf", rare.finish());
    EXPECT_NE(squeeze(runCommand("pdftotext " + dir.path() + "/r.pdf - 2>/dev/null"))
                  .find("\xF0\xA0\xAE\xB7野家（上海）餐饮管理有限公司"),
              std::string::npos);
    EXPECT_NE(runCommand("pdffonts " + dir.path() + "/r.pdf 2>/dev/null").find("HanaMin"),
              std::string::npos);
    // A character no font has (U+0378, unassigned): a clear error naming it, nothing vanishes.
    PdfComposer missing({}, kInfo);
    try {
        missing.paragraph("名称\xCD\xB8有限公司");
        FAIL() << "the character vanished silently";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "render.glyph_missing");
        EXPECT_NE(e.message().find("U+0378"), std::string::npos) << e.message();
    }
}

namespace {

/// The economic-indicator shape of seed 004's tables: a two-row header with merged cells.
Table indicatorTable(int rows) {
    Table t;
    t.columns = {3, 1.5, 1.5, 1.5, 1.5, 1.5, 1};
    t.headerRows = 2;
    t.rows.push_back({{"指标", 1, 2, true}, {"企业数据", 3, 1, true}, {"行业数据", 3, 1, true}});
    t.rows.push_back({{"2019年", 1, 1, true},
                      {"2020年", 1, 1, true},
                      {"2021年", 1, 1, true},
                      {"平均值", 1, 1, true},
                      {"最好值", 1, 1, true},
                      {"排名", 1, 1, true}});
    for (int i = 0; i < rows; ++i) {
        t.rows.push_back({{"营业收入（万元）第" + std::to_string(i + 1) + "项，名称较长需要换行"},
                          {"12345.6"},
                          {"13456.7"},
                          {"14567.8"},
                          {"9000"},
                          {"20000"},
                          {"3"}});
    }
    t.rows.push_back(
        {{"跨两行的合并单元格", 1, 2}, {"A1"}, {"B1"}, {"C1"}, {"D1"}, {"E1"}, {"F1"}});
    t.rows.push_back({{"A2"}, {"B2"}, {"C2"}, {"D2"}, {"E2"}, {"F2"}});
    return t;
}

std::vector<std::string> pagesText(const std::string& path, int pages) {
    std::vector<std::string> out;
    for (int p = 1; p <= pages; ++p) {
        out.push_back(squeeze(runCommand("pdftotext -f " + std::to_string(p) + " -l " +
                                         std::to_string(p) + " " + path + " - 2>/dev/null")));
    }
    return out;
}

}  // namespace

TEST(PdfComposerTable, LongTablesRepeatTheirHeaderAndKeepEveryRowOnce) {
    PdfComposer pdf({}, kInfo);
    pdf.paragraph("经济效益统计表", {Face::Hei, 15, 1.5, TextStyle::Align::Center, 0});
    pdf.table(indicatorTable(40));
    ASSERT_GE(pdf.pageCount(), 3);
    TempDir dir;
    writeFile(dir.path() + "/t.pdf", pdf.finish());
    auto pages = pagesText(dir.path() + "/t.pdf", pdf.pageCount());
    for (std::size_t p = 0; p < pages.size(); ++p) {
        EXPECT_NE(pages[p].find("企业数据"), std::string::npos) << "no header on page " << p + 1;
        EXPECT_NE(pages[p].find("2021年"), std::string::npos) << "no header on page " << p + 1;
    }
    std::string all;
    for (const auto& p : pages) all += p;
    for (int i = 1; i <= 40; ++i) {
        std::string row = "第" + std::to_string(i) + "项";
        auto first = all.find(row);
        ASSERT_NE(first, std::string::npos) << row;
        EXPECT_EQ(all.find(row, first + 1), std::string::npos) << row << " twice";
    }
}

TEST(PdfComposerTable, RowsJoinedByARowSpanStayOnOnePage) {
    for (int rows = 30; rows <= 40; ++rows) {  // moves the spanning pair across the page end
        PdfComposer pdf({}, kInfo);
        pdf.table(indicatorTable(rows));
        TempDir dir;
        writeFile(dir.path() + "/s.pdf", pdf.finish());
        auto pages = pagesText(dir.path() + "/s.pdf", pdf.pageCount());
        int spanPage = -1, secondRowPage = -1;
        for (std::size_t p = 0; p < pages.size(); ++p) {
            if (pages[p].find("跨两行的合并单元格") != std::string::npos)
                spanPage = static_cast<int>(p);
            if (pages[p].find("F2") != std::string::npos) secondRowPage = static_cast<int>(p);
        }
        ASSERT_GE(spanPage, 0);
        EXPECT_EQ(spanPage, secondRowPage) << rows << " rows: a row span was split across pages";
    }
}

TEST(PdfComposerTable, MoreCellsThanColumnsIsAnError) {
    PdfComposer pdf({}, kInfo);
    Table t;
    t.columns = {1, 1};
    t.rows.push_back({{"a"}, {"b"}, {"c"}});
    try {
        pdf.table(t);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "render.failed");
    }
}

// The fonts handed to libharu: characters on sequential codes (one cmap segment), a ToUnicode
// map back, and a 'prep' table even where the font has none (libharu's empty-table bug).
TEST(SubsetFontSequential, CodesMapToTheSameGlyphsAndBack) {
    using dossier::fonts::SubsetFont;
    const std::string hei = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";
    std::u32string text = U"全国质量标杆申报书 2022";
    auto plain = SubsetFont::create(hei, 0, text);
    auto sequential = SubsetFont::createSequential(hei, 0, text);
    std::set<char32_t> codes;
    for (char32_t cp : text) {
        char32_t code = sequential.codeFor(cp);
        EXPECT_GE(code, 0x100u) << std::hex << unsigned(cp);
        EXPECT_LT(code, 0x100u + 64) << "codes stay small";
        EXPECT_EQ(sequential.codes().at(code), cp);
        codes.insert(code);
    }
    EXPECT_EQ(codes.size(), std::set<char32_t>(text.begin(), text.end()).size());
    // The rebuilt font still parses and draws: render it and extract the text.
    auto hasTable = [](const std::string& ttf, const char* tag) {
        unsigned n = (std::uint8_t(ttf[4]) << 8) | std::uint8_t(ttf[5]);
        for (unsigned i = 0; i < n; ++i) {
            if (ttf.compare(12 + 16 * i, 4, tag) == 0) return true;
        }
        return false;
    };
    EXPECT_FALSE(hasTable(plain.ttf(), "prep"))
        << "WenQuanYi Zen Hei has no prep: the case the fix is for";
    EXPECT_TRUE(hasTable(sequential.ttf(), "prep"));
    EXPECT_TRUE(hasTable(sequential.ttf(), "cmap"));
    EXPECT_TRUE(hasTable(sequential.ttf(), "glyf"));
    EXPECT_LT(sequential.ttf().size(), plain.ttf().size() + 64);
}

namespace {

/// A page rasterized in grey by pdftoppm: one byte per pixel, 0 black … 255 white.
struct GrayPage {
    int width = 0, height = 0;
    std::string pixels;
};

GrayPage rasterize(const std::string& pdfPath, int page, int dpi) {
    std::string pgm =
        runCommand("pdftoppm -gray -r " + std::to_string(dpi) + " -f " + std::to_string(page) +
                   " -l " + std::to_string(page) + " " + pdfPath + " 2>/dev/null");
    GrayPage g;
    int maxval = 0, consumed = 0;
    // "P5\n<w> <h>\n255\n" then the pixels.
    if (std::sscanf(pgm.c_str(), "P5 %d %d %d%n", &g.width, &g.height, &maxval, &consumed) != 3)
        return g;
    g.pixels = pgm.substr(static_cast<std::size_t>(consumed) + 1);
    return g;
}

std::string threePages(const PageMarks& marks) {
    PdfComposer pdf({}, kInfo);
    pdf.setMarks(marks);
    std::string process;
    for (int i = 0; i < 120; ++i) process += "围绕卓越绩效模式建立质量管理体系并持续改进，";
    pdf.paragraph(process, {Face::Song, 14, 1.5, TextStyle::Align::Left, 2});
    EXPECT_EQ(pdf.pageCount(), 3);
    return pdf.finish();
}

}  // namespace

// A draft's book: 草稿 on every page, in the header (it extracts) and large across the page
// in light grey (what the eye sees) — drawn under the text, so no stroke of it is lost.
TEST(PdfComposerMarks, DraftMarkOnEveryPageUnderTheText) {
    TempDir dir;
    writeFile(dir.path() + "/plain.pdf", threePages({}));
    writeFile(dir.path() + "/draft.pdf", threePages({true, ""}));
    auto pages = pagesText(dir.path() + "/draft.pdf", 3);
    for (int p = 0; p < 3; ++p) {
        EXPECT_NE(pages[p].find("草稿"), std::string::npos) << "page " << p + 1 << ": " << pages[p];
        EXPECT_EQ(pagesText(dir.path() + "/plain.pdf", 3)[p].find("草稿"), std::string::npos);
        GrayPage plain = rasterize(dir.path() + "/plain.pdf", p + 1, 30);
        GrayPage draft = rasterize(dir.path() + "/draft.pdf", p + 1, 30);
        ASSERT_GT(plain.width, 0);
        ASSERT_EQ(plain.pixels.size(), draft.pixels.size());
        std::size_t lighter = 0, gray = 0, inkKept = 0, ink = 0;
        for (std::size_t i = 0; i < plain.pixels.size(); ++i) {
            auto a = static_cast<unsigned char>(plain.pixels[i]);
            auto b = static_cast<unsigned char>(draft.pixels[i]);
            lighter += b > a + 8;  // the stamp over the text would lighten its strokes
            gray += a > 250 && b >= 180 && b <= 240;
            if (a < 100) {
                ++ink;
                inkKept += b < 100;
            }
        }
        // The 150 pt stamp's strokes cover over 1 % of the page where it is blank; the text
        // keeps its ink.
        EXPECT_GT(gray, plain.pixels.size() / 200) << "page " << p + 1 << ": no visible stamp";
        EXPECT_EQ(lighter, 0u) << "page " << p + 1 << ": the stamp hides text";
        EXPECT_EQ(inkKept, ink) << "page " << p + 1;
    }
}

// A submitted book's footer: the same line at the foot of every page, under the page number.
TEST(PdfComposerMarks, FooterOnEveryPage) {
    const std::string footer = "申报编号 B2025-000123　提交时间 2025-04-15 10:23:45 北京时间";
    TempDir dir;
    writeFile(dir.path() + "/f.pdf", threePages({false, footer}));
    auto pages = pagesText(dir.path() + "/f.pdf", 3);
    for (int p = 0; p < 3; ++p) {
        const std::string& text = pages[p];
        auto number = text.find("—" + std::to_string(p + 1) + "—");
        auto at = text.find("申报编号B2025-000123");
        ASSERT_NE(at, std::string::npos) << "page " << p + 1 << ": " << text;
        EXPECT_NE(text.find("2025-04-1510:23:45北京时间", at), std::string::npos) << text;
        EXPECT_EQ(text.find("草稿"), std::string::npos);
        ASSERT_NE(number, std::string::npos) << text;
        EXPECT_LT(number, at) << "the footer goes under the page number";
    }
    // A footer too long for its line shrinks to fit between the margins.
    std::string longFooter = footer + "　" + footer;
    writeFile(dir.path() + "/long.pdf", threePages({false, longFooter}));
    std::string bbox =
        runCommand("pdftotext -bbox -f 1 -l 1 " + dir.path() + "/long.pdf - 2>/dev/null");
    std::regex word(R"re(xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)")re");
    int footerWords = 0;
    for (std::sregex_iterator it(bbox.begin(), bbox.end(), word), end; it != end; ++it) {
        if (std::stod((*it)[2]) < 800) continue;  // the foot of the page (y from the top)
        ++footerWords;
        EXPECT_GE(std::stod((*it)[1]), PageSetup{}.marginLeft - 0.5);
        EXPECT_LE(std::stod((*it)[3]), PageSetup{}.width - PageSetup{}.marginRight + 0.5);
    }
    EXPECT_GE(footerWords, 8);
}

TEST(PdfComposerMarks, AFooterCharacterNoFontHasFailsAtOnce) {
    PdfComposer pdf({}, kInfo);
    try {
        pdf.setMarks({false, "申报编号 \xCD\xB8"});  // U+0378, unassigned
        FAIL() << "accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "render.glyph_missing");
        EXPECT_NE(e.message().find("U+0378"), std::string::npos) << e.message();
    }
}

// Same document, same bytes, and nothing of the machine in them: the date is the caller's,
// the file identifier is derived from the content (PDF 32000-1 §14.4), temporary font files
// leave no name behind.
TEST(PdfComposer, FileIdentifierAndDateComeFromTheDocument) {
    std::string a = sample(), b = sample();
    ASSERT_EQ(a, b);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(
        a, m, std::regex(R"(trailer\n<<\n/ID \[<([0-9a-f]{32})> <([0-9a-f]{32})>\])")))
        << a.substr(a.size() - 200);
    EXPECT_EQ(m[1], m[2]);
    EXPECT_NE(a.find("/CreationDate (D:20231114221320Z"), std::string::npos);  // 1.7e9 s
    EXPECT_EQ(a.find("/tmp/"), std::string::npos);
    EXPECT_EQ(a.find("dossier-font"), std::string::npos);
    // Another document, another identifier.
    PdfComposer other({}, kInfo);
    other.paragraph("全国质量标杆申报书");
    std::string c = other.finish();
    std::smatch n;
    ASSERT_TRUE(std::regex_search(c, n, std::regex(R"(/ID \[<([0-9a-f]{32})>)")));
    EXPECT_NE(m[1], n[1]);
    TempDir dir;
    writeFile(dir.path() + "/a.pdf", a);
    std::string check = runCommand("qpdf --check " + dir.path() + "/a.pdf 2>&1");
    EXPECT_NE(check.find("No syntax or stream encoding errors"), std::string::npos) << check;
    std::string trailer = runCommand("qpdf --show-object=trailer " + dir.path() + "/a.pdf 2>&1");
    EXPECT_NE(trailer.find("/ID [ <" + std::string(m[1]) + ">"), std::string::npos) << trailer;
}
