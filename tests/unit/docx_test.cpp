// The Word versions of the book and the experience material (issue 12, seed 004): the same
// template and binder as the PDF, written as WordprocessingML. Checked with docx2txt (every
// printed item, in reading order), Poco's DOM parser (every part well-formed; fonts, merged
// cells, page setup read from the XML), byte comparison (deterministic) and the binder's
// refusals. The LibreOffice round trip is docx_libreoffice_test (label slow).
#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>

#include "TestSupport.h"
#include "dossier/core/ValidationError.h"
#include "dossier/renderers/DocumentTemplate.h"

namespace dossier::renderers {
namespace {

using Poco::XML::Element;
using test::readFile;
using test::runCommand;
using test::TempDir;
using test::writeFile;

const std::string kTemplates = std::string(DOSSIER_SOURCE_DIR) + "/templates";
constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

std::string sample(const std::string& name) {
    return readFile(kTemplates + "/samples/" + name + ".json");
}

/// The package's entries by name (directories left out).
std::map<std::string, std::string> unzip(const std::string& docx) {
    std::istringstream in(docx);
    Poco::Zip::ZipArchive archive(in);
    std::map<std::string, std::string> parts;
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
        if (it->second.isDirectory()) continue;
        std::istringstream again(docx);
        Poco::Zip::ZipInputStream entry(again, it->second);
        std::ostringstream bytes;
        bytes << entry.rdbuf();
        parts[it->first] = bytes.str();
    }
    return parts;
}

Poco::AutoPtr<Poco::XML::Document> parse(const std::string& xml) {
    Poco::XML::DOMParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
    return parser.parseString(xml);
}

std::string attr(const Element* e, const std::string& local) {
    return e ? e->getAttributeNS(kW, local) : std::string();
}

const Element* child(const Element* e, const std::string& local) {
    return e ? e->getChildElementNS(kW, local) : nullptr;
}

std::vector<Element*> all(const Poco::XML::Node* root, const std::string& local) {
    std::vector<Element*> r;
    if (!root) return r;
    Poco::AutoPtr<Poco::XML::NodeList> list =
        static_cast<const Poco::XML::Element*>(root)->getElementsByTagNameNS(kW, local);
    for (unsigned long i = 0; i < list->length(); ++i)
        r.push_back(static_cast<Element*>(list->item(i)));
    return r;
}

/// The text of a paragraph or cell: its w:t, w:br as a line break.
std::string textOf(Element* e) {
    std::string r;
    for (auto* t : all(e, "t")) r += t->innerText();
    return r;
}

/// The document.xml of `docx` as a DOM.
Poco::AutoPtr<Poco::XML::Document> documentOf(const std::string& docx) {
    return parse(unzip(docx).at("word/document.xml"));
}

/// Text without blanks (a value may wrap, a fill-in line pads with spaces), the way
/// docx2txt writes what it converts: typographic quotes and dashes as ASCII.
std::string squeeze(std::string s) {
    static const std::vector<std::pair<std::string, std::string>> docx2txtForms = {
        {"\u201C", "\""}, {"\u201D", "\""},  {"\u2018", "`"}, {"\u2019", "'"}, {"\u2014", "--"},
        {"\u2013", "-"},  {"\u2026", "..."}, {"\u00A0", " "}, {"\u00D7", "x"}, {"\u3000", " "}};
    for (const auto& [from, to] : docx2txtForms) {
        for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
            s.replace(at, from.size(), to);
    }
    std::string r;
    for (char c : s) {
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r') r += c;
    }
    return r;
}

std::string docx2txt(const std::string& docx) {
    TempDir dir;
    writeFile(dir.path() + "/d.docx", docx);
    return runCommand("docx2txt " + dir.path() + "/d.docx - 2>&1");
}

/// Every item the template prints (title, paragraph, fill-in line, cell), in reading order,
/// in docx2txt's text of the Word version.
void expectEveryItemInOrder(const DocumentTemplate& t, const std::string& json,
                            bool draft = false) {
    std::string text = squeeze(docx2txt(t.renderDocx(json, draft)));
    ASSERT_GT(text.size(), 100u) << text;
    std::size_t at = 0;
    int checked = 0;
    for (const auto& item : t.flatten(json, draft)) {
        std::string want = squeeze(item.text);
        if (want.empty()) continue;
        std::size_t hit = text.find(want, at);
        ASSERT_NE(hit, std::string::npos) << "\"" << item.text << "\" missing after offset " << at;
        at = hit + want.size();
        ++checked;
    }
    EXPECT_GT(checked, 10);
}

TEST(Docx, SampleBookHasEveryItemInReadingOrder) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    std::string json = sample("benchmark-2022-book");
    expectEveryItemInOrder(*t, json);

    // Every value of the sample, numbers as written, lists by label (as the PDF test checks).
    std::string text = squeeze(docx2txt(t->renderDocx(json)));
    std::regex leaf(R"re("([a-z_0-9]+)":\s*("([^"]*)"|-?[0-9.]+))re");
    int checked = 0;
    for (auto it = std::sregex_iterator(json.begin(), json.end(), leaf);
         it != std::sregex_iterator(); ++it) {
        std::string key = (*it)[1], value = (*it)[3].matched ? (*it)[3].str() : (*it)[2].str();
        if (!(*it)[3].matched) value = std::regex_replace(value, std::regex(R"(\.0+$)"), "");
        if (key == "industry" || key == "method" || key == "filled_on" || key == "signed_on" ||
            key == "recommending_unit" || key == "type" || key == "size")
            continue;  // printed as labels and dates (checked below)
        EXPECT_NE(text.find(squeeze(value)), std::string::npos) << key << " = " << value;
        ++checked;
    }
    EXPECT_GT(checked, 170);
    for (const char* printed : {"C38电气机械和器材制造业", "2022年6月20日", "浙江省经济和信息化厅",
                                "☐质量管理体系☑质量管理数字化", "股份有限公司", "中型企业"})
        EXPECT_NE(text.find(printed), std::string::npos) << printed;
}

TEST(Docx, ExperienceMaterialKeepsTheWritingRules) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022-experience");
    std::string json = sample("benchmark-2022-experience");
    expectEveryItemInOrder(*t, json);

    // Seed 004: title 黑体 小二 (18 pt = 36 half-points) centred; body 宋体 四号 (28), its
    // paragraphs indented two characters; headings "一、…" in 黑体.
    auto doc = documentOf(t->renderDocx(json));
    auto paragraphs = all(doc->documentElement(), "p");
    ASSERT_GT(paragraphs.size(), 10u);
    const Element* first = paragraphs.front();
    EXPECT_EQ(textOf(paragraphs.front()), "实施基于大数据的关键过程质量管控的经验");
    EXPECT_EQ(attr(child(child(first, "pPr"), "pStyle"), "val"), "Title");
    EXPECT_EQ(attr(child(child(first, "pPr"), "jc"), "val"), "center");
    const Element* titleRun = all(paragraphs.front(), "r").front();
    EXPECT_EQ(attr(child(child(titleRun, "rPr"), "rFonts"), "eastAsia"), "黑体");
    EXPECT_EQ(attr(child(child(titleRun, "rPr"), "sz"), "val"), "36");
    int body = 0, headings = 0;
    for (auto* p : paragraphs) {
        std::string text = textOf(p);
        auto runs = all(p, "r");
        if (runs.empty()) continue;
        const Element* rPr = child(runs.front(), "rPr");
        bool heading = false;
        for (const char* number : {"一、", "二、", "三、", "四、"})
            heading |= text.rfind(number, 0) == 0;
        if (heading) {
            ++headings;
            EXPECT_EQ(attr(child(rPr, "rFonts"), "eastAsia"), "黑体") << text;
            EXPECT_EQ(attr(child(child(p, "pPr"), "pStyle"), "val"), "Heading1");
        }
        const Element* ind = child(child(p, "pPr"), "ind");
        if (ind) {
            ++body;
            EXPECT_EQ(attr(ind, "firstLineChars"), "200") << text;
            EXPECT_EQ(attr(ind, "firstLine"), "560") << text;  // 2 × 14 pt in twips
            EXPECT_EQ(attr(child(rPr, "rFonts"), "eastAsia"), "宋体") << text;
            EXPECT_EQ(attr(child(rPr, "rFonts"), "ascii"), "宋体") << text;
            EXPECT_EQ(attr(child(rPr, "rFonts"), "hAnsi"), "宋体") << text;
            EXPECT_EQ(attr(child(rPr, "sz"), "val"), "28") << text;
        }
    }
    EXPECT_EQ(headings, 4);
    // One indented paragraph per line of the four texts: every paragraph flatten() lists
    // but the enterprise name under the title.
    int lines = 0;
    for (const auto& item : t->flatten(json))
        lines += item.kind == DocumentTemplate::Item::Kind::Paragraph;
    EXPECT_EQ(body, lines - 1);
    EXPECT_GE(body, 8);
}

TEST(Docx, EveryPartIsWellFormedAndDeclared) {
    for (const char* id : {"benchmark-2022", "benchmark-2022-experience"}) {
        auto t = DocumentTemplate::load(kTemplates, id);
        std::string docx = t->renderDocx(sample(std::string(id) == "benchmark-2022"
                                                    ? "benchmark-2022-book"
                                                    : "benchmark-2022-experience"));
        ASSERT_EQ(docx.substr(0, 2), "PK");
        auto parts = unzip(docx);
        for (const char* name :
             {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
              "word/settings.xml", "word/fontTable.xml", "word/_rels/document.xml.rels",
              "word/footer1.xml", "docProps/core.xml", "docProps/app.xml"}) {
            EXPECT_EQ(parts.count(name), 1u) << id << " lacks " << name;
        }
        for (const auto& [name, xml] : parts) {
            EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u) << name;
            EXPECT_NO_THROW(parse(xml)) << id << ": " << name << " is not well-formed";
            // Every part but the content types and relationships has a content type.
            if (name.find(".rels") == std::string::npos && name != "[Content_Types].xml") {
                EXPECT_NE(parts["[Content_Types].xml"].find("PartName=\"/" + name + "\""),
                          std::string::npos)
                    << name;
            }
        }
        // Every relationship of the main part points at a part that is there.
        std::regex target(R"re(Target="([^"]+)")re");
        const std::string& rels = parts["word/_rels/document.xml.rels"];
        for (auto it = std::sregex_iterator(rels.begin(), rels.end(), target);
             it != std::sregex_iterator(); ++it) {
            EXPECT_EQ(parts.count("word/" + (*it)[1].str()), 1u) << (*it)[1];
        }
        // docx2txt reads it (it exits 0 and writes text).
        EXPECT_FALSE(docx2txt(docx).empty());
    }
}

TEST(Docx, A4WithTheTemplatesMarginsAndPageNumbers) {
    auto book = DocumentTemplate::load(kTemplates, "benchmark-2022");
    auto parts = unzip(book->renderDocx(sample("benchmark-2022-book")));
    auto doc = parse(parts["word/document.xml"]);
    auto sections = all(doc->documentElement(), "sectPr");
    ASSERT_EQ(sections.size(), 1u);
    const Element* pgSz = child(sections[0], "pgSz");
    EXPECT_EQ(attr(pgSz, "w"), "11906");
    EXPECT_EQ(attr(pgSz, "h"), "16838");
    const Element* pgMar = child(sections[0], "pgMar");
    EXPECT_EQ(attr(pgMar, "top"), "1440");   // 72 pt
    EXPECT_EQ(attr(pgMar, "left"), "1588");  // 79.4 pt
    EXPECT_EQ(attr(pgMar, "right"), "1588");
    EXPECT_EQ(attr(pgMar, "bottom"), "1440");
    // The book numbers pages from 2: the cover's footer is blank.
    EXPECT_NE(child(sections[0], "titlePg"), nullptr);
    EXPECT_EQ(all(sections[0], "footerReference").size(), 2u);
    EXPECT_NE(parts["word/footer1.xml"].find("w:instr=\" PAGE \""), std::string::npos);
    EXPECT_EQ(parts["word/footer2.xml"].find("PAGE"), std::string::npos);
    // A page starts where the PDF starts one: 7 breaks give its 8 pages.
    int breaks = 0;
    for (const auto& item : book->flatten(sample("benchmark-2022-book")))
        breaks += item.kind == DocumentTemplate::Item::Kind::PageBreak;
    EXPECT_EQ(breaks, 7);
    EXPECT_EQ(all(doc->documentElement(), "pageBreakBefore").size(),
              static_cast<std::size_t>(breaks));

    // The experience material numbers every page.
    auto experience = DocumentTemplate::load(kTemplates, "benchmark-2022-experience");
    auto expParts = unzip(experience->renderDocx(sample("benchmark-2022-experience")));
    auto expDoc = parse(expParts["word/document.xml"]);
    auto expSection = all(expDoc->documentElement(), "sectPr").at(0);
    EXPECT_EQ(child(expSection, "titlePg"), nullptr);
    EXPECT_EQ(all(expSection, "footerReference").size(), 1u);
    EXPECT_EQ(expParts.count("word/footer2.xml"), 0u);
}

TEST(Docx, TitlesInHeiBodyAndCellsInSongByName) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    auto doc = documentOf(t->renderDocx(sample("benchmark-2022-book")));
    int titles = 0, cells = 0;
    for (auto* p : all(doc->documentElement(), "p")) {
        std::string style = attr(child(child(p, "pPr"), "pStyle"), "val");
        titles += style == "Title" || style == "Heading1";
        for (auto* r : all(p, "r")) {
            const Element* fonts = child(child(r, "rPr"), "rFonts");
            ASSERT_NE(fonts, nullptr) << textOf(p);
            // Every run names its face for East Asian and Latin text alike.
            EXPECT_EQ(attr(fonts, "eastAsia"), attr(fonts, "ascii"));
            EXPECT_EQ(attr(fonts, "eastAsia"), attr(fonts, "hAnsi"));
            if (style == "Title" || style == "Heading1") {
                EXPECT_EQ(attr(fonts, "eastAsia"), "黑体") << textOf(p);
            }
        }
    }
    int printedTitles = 0;
    for (const auto& item : t->flatten(sample("benchmark-2022-book"))) {
        printedTitles += item.kind == DocumentTemplate::Item::Kind::Title ||
                         item.kind == DocumentTemplate::Item::Kind::Heading;
    }
    EXPECT_EQ(titles, printedTitles);
    EXPECT_EQ(titles, 9);  // the cover, 填报说明, 承诺书 and the six tables
    // Header cells in 黑体, values in 宋体, 12 pt (24 half-points) in the 申报表.
    for (auto* tc : all(doc->documentElement(), "tc")) {
        std::string text = textOf(tc);
        auto runs = all(tc, "r");
        if (runs.empty()) continue;
        std::string face = attr(child(child(runs[0], "rPr"), "rFonts"), "eastAsia");
        if (text == "统一社会信用代码") {
            EXPECT_EQ(face, "黑体");
            EXPECT_EQ(attr(child(child(runs[0], "rPr"), "sz"), "val"), "24");
            ++cells;
        }
        if (text == "91330000MA2H7K3R9M") {
            EXPECT_EQ(face, "宋体");
            ++cells;
        }
    }
    EXPECT_EQ(cells, 2);
    // The cover title at the template's 26 pt.
    auto paragraphs = all(doc->documentElement(), "p");
    for (auto* p : paragraphs) {
        if (textOf(p) != "2022 年全国质量标杆申报书") continue;
        EXPECT_EQ(attr(child(child(all(p, "r")[0], "rPr"), "sz"), "val"), "52");
    }
    // The fonts are declared with their Latin names for Word's substitution.
    auto fonts = unzip(t->renderDocx(sample("benchmark-2022-book")))["word/fontTable.xml"];
    EXPECT_NE(fonts.find("SimSun"), std::string::npos);
    EXPECT_NE(fonts.find("SimHei"), std::string::npos);
}

/// The grid of one w:tbl: per row, the cells as (grid column, span, vMerge) in order.
struct GridCell {
    std::size_t column, span;
    std::string vMerge;  // "restart", "continue" or ""
    std::string text;
};

std::vector<std::vector<GridCell>> gridOf(Element* table) {
    std::vector<std::vector<GridCell>> rows;
    for (auto* n = table->firstChild(); n; n = n->nextSibling()) {
        auto* tr = dynamic_cast<Element*>(n);
        if (!tr || tr->localName() != "tr") continue;
        rows.emplace_back();
        std::size_t column = 0;
        for (auto* m = tr->firstChild(); m; m = m->nextSibling()) {
            auto* tc = dynamic_cast<Element*>(m);
            if (!tc || tc->localName() != "tc") continue;
            const Element* tcPr = child(tc, "tcPr");
            std::string span = attr(child(tcPr, "gridSpan"), "val");
            const Element* vMerge = child(tcPr, "vMerge");
            std::string merge;
            if (vMerge) merge = attr(vMerge, "val") == "restart" ? "restart" : "continue";
            GridCell cell{column, span.empty() ? 1 : std::stoul(span), merge, textOf(tc)};
            column += cell.span;
            rows.back().push_back(cell);
        }
    }
    return rows;
}

TEST(Docx, MergedCellsAsTheTemplateSpansThem) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    std::string json = sample("benchmark-2022-book");
    auto doc = documentOf(t->renderDocx(json));
    auto tables = all(doc->documentElement(), "tbl");
    // The seal box of the 承诺书 and the six tables of the seed.
    ASSERT_EQ(tables.size(), 7u);

    // What the template spans, from flatten(): cells with a colspan, with a rowspan, and how
    // many rows the row spans cover below their first.
    std::size_t colspans = 0, rowspans = 0, covered = 0;
    for (const auto& item : t->flatten(json)) {
        if (item.kind != DocumentTemplate::Item::Kind::Cell) continue;
        colspans += item.colspan > 1;
        rowspans += item.rowspan > 1;
        covered += static_cast<std::size_t>(item.rowspan - 1);
    }
    ASSERT_GT(colspans, 5u);
    ASSERT_GT(rowspans, 2u);
    std::size_t spans = 0, restarts = 0, continues = 0;
    for (auto* table : tables) {
        auto grid = gridOf(table);
        std::size_t columns = all(child(table, "tblGrid"), "gridCol").size();
        for (std::size_t r = 0; r < grid.size(); ++r) {
            std::size_t width = 0;
            for (const auto& cell : grid[r]) {
                width += cell.span;
                spans += cell.span > 1 && cell.vMerge != "continue";
                restarts += cell.vMerge == "restart";
                continues += cell.vMerge == "continue";
                // A merged cell goes on in the same grid columns in the rows below.
                if (cell.vMerge == "continue") {
                    ASSERT_GT(r, 0u);
                    bool above = false;
                    for (const auto& up : grid[r - 1])
                        above |=
                            up.column == cell.column && up.span == cell.span && !up.vMerge.empty();
                    EXPECT_TRUE(above) << "row " << r << " column " << cell.column;
                }
            }
            EXPECT_EQ(width, columns) << "every row fills the grid, row " << r;
        }
    }
    EXPECT_EQ(spans, colspans);
    EXPECT_EQ(restarts, rowspans);
    EXPECT_EQ(continues, covered);

    // The 管理效益统计表 as the seed draws it: 市场占有率（%） spans its header row and three
    // years in the first column; 主导产品/服务 two columns.
    for (auto* table : tables) {
        auto grid = gridOf(table);
        if (grid.empty() || grid[0].empty() || grid[0][0].text != "主导产品/服务") continue;
        EXPECT_EQ(grid[0][0].span, 2u);
        EXPECT_EQ(grid[1][0].text, "市场占有率（%）");
        EXPECT_EQ(grid[1][0].vMerge, "restart");
        for (std::size_t r = 2; r <= 4; ++r) {
            EXPECT_EQ(grid[r][0].vMerge, "continue") << r;
            EXPECT_EQ(grid[r][0].column, 0u);
        }
        EXPECT_EQ(grid[5][0].text, "顾客满意度");
        EXPECT_EQ(grid[5][0].vMerge, "restart");
        return;
    }
    ADD_FAILURE() << "no 管理效益统计表";
}

TEST(Docx, TablesHaveBordersHeaderRowsAndTheTemplatesColumns) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    auto doc = documentOf(t->renderDocx(sample("benchmark-2022-book")));
    auto tables = all(doc->documentElement(), "tbl");
    ASSERT_FALSE(tables.empty());
    for (auto* table : tables) {
        const Element* borders = child(child(table, "tblPr"), "tblBorders");
        ASSERT_NE(borders, nullptr);
        for (const char* side : {"top", "left", "bottom", "right", "insideH", "insideV"}) {
            EXPECT_EQ(attr(child(borders, side), "val"), "single") << side;
            EXPECT_EQ(attr(child(borders, side), "sz"), "4") << side;  // 0.5 pt
        }
    }
    // The 申报表 fills the text width (595.28 - 2 × 79.4 pt = 8730 twips) in the template's
    // proportions 1.35 : 1.6 : 1.35 : 1.6.
    auto cols = all(child(tables[1], "tblGrid"), "gridCol");
    ASSERT_EQ(cols.size(), 4u);
    long total = 0;
    for (auto* c : cols) total += std::stol(attr(c, "w"));
    EXPECT_EQ(total, 8730);
    EXPECT_EQ(attr(cols[0], "w"), "1998");
    // The 经济效益统计表 repeats its header row on each page (header_rows: 1).
    int headers = 0;
    for (auto* table : tables) headers += static_cast<int>(all(table, "tblHeader").size());
    EXPECT_EQ(headers, 3);  // 经济, 社会, 竞争对手
}

TEST(Docx, SameDataSameBytes) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    std::string json = sample("benchmark-2022-book");
    std::string a = t->renderDocx(json), b = t->renderDocx(json);
    EXPECT_EQ(a, b);
    // Other data, other bytes (the comparison can fail).
    std::string other = std::regex_replace(json, std::regex("赵嘉懿"), "钱嘉懿");
    EXPECT_NE(t->renderDocx(other), a);
    // No time in the package: entries dated 1980-01-01, no creation date in the properties.
    TempDir dir;
    writeFile(dir.path() + "/b.docx", a);
    std::string listing = runCommand("unzip -l " + dir.path() + "/b.docx");
    EXPECT_NE(listing.find("word/document.xml"), std::string::npos) << listing;
    EXPECT_EQ(std::regex_search(listing, std::regex(R"(20[0-9][0-9]-[0-9][0-9]-[0-9][0-9])")),
              false)
        << listing;
    EXPECT_EQ(unzip(a)["docProps/core.xml"].find("created"), std::string::npos);
}

TEST(Docx, RareCharactersAndXmlSpecialsRoundTrip) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    const std::string name = "𠮷野家<&>\"'（上海）餐饮有限公司";
    std::string json = std::regex_replace(sample("benchmark-2022-book"),
                                          std::regex("浙江明澈精密电气股份有限公司"),
                                          "𠮷野家<&>\\\"'（上海）餐饮有限公司");
    json = std::regex_replace(json, std::regex("赵嘉懿"), "赵𠮷䶮");
    std::string docx = t->renderDocx(json);
    auto parts = unzip(docx);
    const std::string& xml = parts["word/document.xml"];
    // Escaped in the XML, the 4-byte UTF-8 of U+20BB7 written as it is.
    EXPECT_NE(xml.find("𠮷野家&lt;&amp;&gt;"), std::string::npos);
    EXPECT_EQ(xml.find("<&>"), std::string::npos);
    // Parsed back, the same characters.
    auto doc = parse(xml);
    std::string text;
    for (auto* e : all(doc->documentElement(), "t")) text += e->innerText();
    EXPECT_NE(text.find(name), std::string::npos);
    EXPECT_NE(text.find("赵𠮷䶮"), std::string::npos);
    // The author (dc:creator) too.
    EXPECT_NE(parse(parts["docProps/core.xml"])->documentElement()->innerText().find(name),
              std::string::npos);
    // And docx2txt reads them.
    std::string converted = docx2txt(docx);
    EXPECT_NE(converted.find(name), std::string::npos) << converted;
}

TEST(Docx, InvalidDataIsRefusedExactlyLikeThePdf) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    std::string json = sample("benchmark-2022-book");
    json = std::regex_replace(json, std::regex("赵嘉懿"), "赵\\u0007嘉懿");  // a control char
    json = std::regex_replace(json, std::regex(R"("experience_name": "[^"]*")"),
                              "\"experience_name\": \"" + std::string(31 * 3, 'x') + "\"");
    json = std::regex_replace(json, std::regex(R"("credit_code": "[^"]*")"),
                              R"("credit_code": "91330000MA2H7K3R9X")");
    std::vector<FieldProblem> pdf, docx;
    try {
        t->render(json);
        ADD_FAILURE() << "the PDF accepted it";
    } catch (const ValidationError& e) {
        pdf = e.problems();
    }
    try {
        t->renderDocx(json);
        ADD_FAILURE() << "the Word version accepted it";
    } catch (const ValidationError& e) {
        docx = e.problems();
    }
    ASSERT_EQ(docx.size(), 3u);  // every problem at once
    ASSERT_EQ(docx.size(), pdf.size());
    for (std::size_t i = 0; i < docx.size(); ++i) {
        EXPECT_EQ(docx[i].path, pdf[i].path);
        EXPECT_EQ(docx[i].code, pdf[i].code);
        EXPECT_EQ(docx[i].message, pdf[i].message);
    }
    std::map<std::string, std::string> codes;
    for (const auto& p : docx) codes[p.path] = std::string(p.code.text());
    EXPECT_EQ(codes["contact.name"], "field.control_character");
    EXPECT_EQ(codes["experience_name"], "field.too_long");
    EXPECT_EQ(codes["enterprise.credit_code"], "field.credit_code");
    // Thirty characters is the limit, not thirty-one: the same word-limit rule.
    std::string thirty = "实施基于大数据的关键过程质量管控的经验一二三四五六七八九十一";
    std::string ok = std::regex_replace(sample("benchmark-2022-book"),
                                        std::regex(R"("experience_name": "[^"]*")"),
                                        "\"experience_name\": \"" + thirty + "\"");
    EXPECT_NO_THROW(t->renderDocx(ok));
    std::string over = std::regex_replace(ok, std::regex(thirty), thirty + "二");
    EXPECT_THROW(t->renderDocx(over), ValidationError);
    // Not JSON, not an object: malformed, as for the PDF.
    for (const std::string bad : {"", "[1]", "{\"enterprise\": "}) {
        try {
            t->renderDocx(bad);
            ADD_FAILURE() << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), codes::kRequestMalformed) << bad;
        }
    }
}

TEST(Docx, BlankDraftHasTheFormToFillByHand) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    EXPECT_THROW(t->renderDocx("{}"), ValidationError);
    std::string docx = t->renderDocx("{}", true);
    expectEveryItemInOrder(*t, "{}", true);
    // The blank lines are underlined: the 企业名称 line on the cover has an underlined run.
    auto doc = documentOf(docx);
    bool underlined = false;
    for (auto* p : all(doc->documentElement(), "p")) {
        if (textOf(p).rfind("企业名称：", 0) != 0) continue;
        for (auto* r : all(p, "r")) underlined |= child(child(r, "rPr"), "u") != nullptr;
        break;
    }
    EXPECT_TRUE(underlined);
}

TEST(Docx, FormsComeAsWordToo) {
    auto commitment = DocumentTemplate::load(kTemplates, "form-commitment");
    std::string org = sample("organization");
    std::string text = squeeze(docx2txt(commitment->renderDocx(org)));
    for (const auto& item : commitment->flatten(org)) {
        std::string want = squeeze(item.text);
        if (!want.empty()) {
            EXPECT_NE(text.find(want), std::string::npos) << item.text;
        }
    }
}

}  // namespace
}  // namespace dossier::renderers
