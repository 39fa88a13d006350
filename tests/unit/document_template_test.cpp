// Templates as data: the 2022 全国质量标杆申报书 and the forms, rendered from templates/ with
// the sample data of templates/samples. Golden files live in tests/golden; regenerate them
// after an intended layout change with DOSSIER_UPDATE_GOLDEN=1 and look at the PNGs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>

#include "GoldenFiles.h"
#include "TestSupport.h"
#include "dossier/core/Error.h"
#include "dossier/core/ValidationError.h"
#include "dossier/renderers/DocumentTemplate.h"
#include "dossier/renderers/ReferenceList.h"

namespace dossier::renderers {
namespace {

using test::expectMatchesGolden;
using test::readFile;
using test::runCommand;
using test::TempDir;
using test::writeFile;

constexpr std::int64_t kFixedTime = 1655683200000000;  // 2022-06-20T00:00:00Z
const std::string kTemplates = std::string(DOSSIER_SOURCE_DIR) + "/templates";

std::string sample(const std::string& name) {
    return readFile(kTemplates + "/samples/" + name + ".json");
}

std::string squeeze(std::string s) {
    for (std::size_t at; (at = s.find("\u3000")) != std::string::npos;) s.erase(at, 3);  // 全角空格
    std::string r;
    for (char c : s) {
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f') r += c;
    }
    return r;
}

std::vector<FieldProblem> problemsOf(const DocumentTemplate& t, const std::string& json,
                                     bool draft = false) {
    try {
        t.validate(json, draft);
    } catch (const ValidationError& e) {
        return e.problems();
    }
    return {};
}

bool hasProblem(const std::vector<FieldProblem>& problems, const std::string& path,
                const std::string& code) {
    for (const auto& p : problems) {
        if (p.path == path && p.code == code) return true;
    }
    return false;
}

std::string describe(const std::vector<FieldProblem>& problems) {
    std::string r;
    for (const auto& p : problems) r += p.path + " " + p.code + ": " + p.message + "\n";
    return r;
}

/// Replaces `key`'s value in the sample by `replacement` (a JSON fragment), by text.
std::string withField(std::string json, const std::string& pattern,
                      const std::string& replacement) {
    std::regex re(pattern);
    EXPECT_TRUE(std::regex_search(json, re)) << pattern;
    return std::regex_replace(json, re, replacement, std::regex_constants::format_first_only);
}

// Checks that hold for every rendered document: fonts embedded and subset, qpdf clean,
// the printed items in reading order in pdftotext's output, page count, golden bytes and
// page images.
void checkRendered(const DocumentTemplate& t, const std::string& json, const std::string& name,
                   int pages, bool draft = false) {
    TempDir dir;
    std::string pdf = t.render(json, kFixedTime, draft);
    ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
    EXPECT_EQ(pdf, t.render(json, kFixedTime, draft)) << "not deterministic";
    std::string file = dir.path() + "/" + name + ".pdf";
    writeFile(file, pdf);

    std::string fonts = runCommand("pdffonts " + file + " 2>/dev/null");
    std::istringstream lines(fonts);
    std::string line;
    int fontCount = 0;
    while (std::getline(lines, line)) {
        if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.empty()) continue;
        ++fontCount;
        EXPECT_NE(line.find("+"), std::string::npos) << "not a subset: " << line;
        EXPECT_NE(line.find(" yes yes "), std::string::npos) << "not embedded: " << line;
    }
    EXPECT_GE(fontCount, 2) << fonts;

    // Readers accept the fonts' ToUnicode maps (libharu's own is an encoding CMap that poppler
    // rejects with "Invalid 'begincidrange' operator").
    EXPECT_EQ(runCommand("pdftotext " + file + " /dev/null 2>&1"), "") << name;
    std::string check = runCommand("qpdf --check " + file + " 2>&1");
    EXPECT_NE(check.find("No syntax or stream encoding errors"), std::string::npos) << check;

    std::string info = runCommand("pdfinfo " + file + " 2>/dev/null");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))"))) << info;
    EXPECT_EQ(std::stoi(m[1]), pages) << name;

    // Every printed item, in reading order (content-stream order, whitespace ignored: a
    // value may wrap inside its cell).
    // Page numbers ("— 2 —") close each page's content, inside a paragraph that runs on.
    std::string text = squeeze(std::regex_replace(
        runCommand("pdftotext -raw " + file + " - 2>/dev/null"), std::regex("— [0-9]+ —"), ""));
    std::size_t at = 0;
    for (const auto& item : t.flatten(json, draft)) {
        std::string want = squeeze(item.text);
        if (want.empty()) continue;
        std::size_t hit = text.find(want, at);
        ASSERT_NE(hit, std::string::npos) << "\"" << item.text << "\" missing after offset " << at;
        at = hit + want.size();
    }

    expectMatchesGolden(name, pdf, pages);
}

TEST(DocumentTemplate, SampleBookRendersEveryTableOfTheSeed) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    EXPECT_EQ(t->title(), "2022 年全国质量标杆申报书");
    std::string json = sample("benchmark-2022-book");
    checkRendered(*t, json, "benchmark-2022-book", 8);

    std::string all;
    for (const auto& item : t->flatten(json)) all += item.text + "\n";
    for (const char* title :
         {"填 报 说 明", "全国质量标杆申报承诺书", "全国质量标杆申报表", "管理效益统计表",
          "经济效益统计表", "社会效益统计表", "主要竞争对手和标杆名录", "全国质量标杆推荐表"}) {
        EXPECT_NE(all.find(title), std::string::npos) << title;
    }
    // Lists print their labels; checkboxes show what was chosen; the ten indicators are there.
    EXPECT_NE(all.find("C38 电气机械和器材制造业"), std::string::npos);
    EXPECT_NE(all.find("☐质量管理体系  ☑质量管理数字化  ☐可靠性提升  ☑过程控制"),
              std::string::npos);
    EXPECT_NE(all.find("☐自评  ☑第三方调查 调查机构名称：中国质量协会用户委员会"),
              std::string::npos);
    for (const char* indicator :
         {"资产总额", "主营业务收入", "利润总额", "流动资产周转率", "全员劳动生产率",
          "设备综合效率", "质量损失率", "产品合格率", "产品返修率", "万元总产值综合能耗"}) {
        EXPECT_NE(all.find(indicator), std::string::npos) << indicator;
    }
    EXPECT_NE(all.find("2021 年行业平均水平"), std::string::npos);
    EXPECT_NE(all.find("2022 年 6 月 20 日"), std::string::npos);  // dates the Chinese way
    EXPECT_NE(all.find("\n11\n新产品产值率"),
              std::string::npos);  // an added indicator continues the numbering
}

// Every value of the sample data is printed somewhere (numbers as written, lists by label).
TEST(DocumentTemplate, EveryValueOfTheSampleIsPrinted) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    std::string json = sample("benchmark-2022-book");
    std::string all;
    for (const auto& item : t->flatten(json)) all += item.text + "\n";
    std::regex leaf(R"re("([a-z_0-9]+)":\s*("([^"]*)"|-?[0-9.]+))re");
    int checked = 0;
    for (auto it = std::sregex_iterator(json.begin(), json.end(), leaf);
         it != std::sregex_iterator(); ++it) {
        std::string key = (*it)[1], value = (*it)[3].matched ? (*it)[3].str() : (*it)[2].str();
        if (!(*it)[3].matched)
            value = std::regex_replace(value, std::regex(R"(\.0+$)"), "");  // 89.0 prints 89
        if (key == "industry" || key == "method" || key == "filled_on" || key == "signed_on")
            continue;  // printed as labels/dates
        EXPECT_NE(all.find(value), std::string::npos) << key << " = " << value;
        ++checked;
    }
    EXPECT_GT(checked, 170);
}

TEST(DocumentTemplate, BlankDraftPrintsBlankLinesToFillByHand) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    // Not a draft: every required field is listed at once.
    auto problems = problemsOf(*t, "{}");
    EXPECT_TRUE(hasProblem(problems, "recommending_unit", "field.required")) << describe(problems);
    EXPECT_TRUE(hasProblem(problems, "enterprise", "field.required"));
    EXPECT_TRUE(hasProblem(problems, "experience_name", "field.required"));
    EXPECT_TRUE(hasProblem(problems, "revenue", "field.required"));
    EXPECT_GE(problems.size(), 7u);
    // A draft prints: blank cells, blank lines, 年 月 日 to fill in, every checkbox empty.
    checkRendered(*t, "{}", "benchmark-2022-blank", 8, true);
    std::string all;
    for (const auto& item : t->flatten("{}", true)) all += item.text + "\n";
    EXPECT_NE(all.find("填表日期：        年      月      日"), std::string::npos);
    EXPECT_NE(all.find("☐质量管理体系  ☐质量管理数字化"), std::string::npos);
    EXPECT_EQ(all.find("☑"), std::string::npos);
}

// The printable forms, pre-filled from one organization profile
// (templates/samples/organization.json).
TEST(DocumentTemplate, FormsArePrefilledFromTheOrganization) {
    std::string org = sample("organization");
    auto commitment = DocumentTemplate::load(kTemplates, "form-commitment");
    checkRendered(*commitment, org, "form-commitment", 3);  // one page per completing unit
    std::string all;
    for (const auto& item : commitment->flatten(org)) all += item.text + "\n";
    EXPECT_NE(all.find("作为“低压断路器关键过程质量数字化管控技术”项目的第 3 完成单位"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("完成单位：杭州澈明检测技术有限公司（盖章）"), std::string::npos) << all;
    // The second unit gave no credit code: a blank to fill in, not "undefined".
    EXPECT_NE(all.find("（杭州澈明检测技术有限公司，统一社会信用代码：__________）"),
              std::string::npos)
        << all;

    checkRendered(*DocumentTemplate::load(kTemplates, "form-recommendation"), org,
                  "form-recommendation", 1);
    auto proof = DocumentTemplate::load(kTemplates, "form-proof");
    checkRendered(*proof, org, "form-proof", 1);
    all.clear();
    for (const auto& item : proof->flatten(org)) all += item.text + "\n";
    EXPECT_NE(all.find("兹证明 赵嘉懿（手机号码：13905712345）"), std::string::npos) << all;
    EXPECT_NE(all.find("统一社会信用代码：91330000MA2H7K3R9M"), std::string::npos) << all;

    // A blank commitment letter prints one page with blanks; more than three units is refused.
    EXPECT_EQ(commitment->flatten("{}").size(),
              commitment->flatten(R"({"units": [{"name": "甲"}]})").size());
    auto problems = problemsOf(
        *commitment,
        R"({"units": [{"name": "甲"}, {"name": "乙"}, {"name": "丙"}, {"name": "丁"}]})");
    EXPECT_TRUE(hasProblem(problems, "units", "field.too_many")) << describe(problems);
    // Forms ignore profile fields they do not print, but still check the ones they do.
    problems = problemsOf(*proof, R"({"admin": {"mobile": "12345"}, "units": "whatever"})");
    EXPECT_TRUE(hasProblem(problems, "admin.mobile", "field.mobile")) << describe(problems);
    EXPECT_EQ(problems.size(), 1u) << describe(problems);
}

// The 典型经验材料 under the writing rules of seed 004: word limits per section, one indented
// paragraph per line of text.
TEST(DocumentTemplate, ExperienceMaterialKeepsTheWritingRules) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022-experience");
    std::string json = sample("benchmark-2022-experience");
    checkRendered(*t, json, "benchmark-2022-experience", 2);
    int paragraphs = 0;
    for (const auto& item : t->flatten(json))
        paragraphs += item.kind == DocumentTemplate::Item::Kind::Paragraph;
    EXPECT_EQ(paragraphs,
              1 + 1 + 1 + 5 + 1);  // enterprise line, 概况, 背景, five 过程 paragraphs, 成效

    std::string longProcess;
    for (int i = 0; i < 8001; ++i) longProcess += "质";
    auto problems = problemsOf(
        *t, withField(json, R"("process": "[^"]*")", "\"process\": \"" + longProcess + "\""));
    EXPECT_TRUE(hasProblem(problems, "process", "field.too_long")) << describe(problems);
    std::string exactly(longProcess.begin(), longProcess.end() - 3);  // 8000 characters
    EXPECT_TRUE(
        problemsOf(*t, withField(json, R"("process": "[^"]*")", "\"process\": \"" + exactly + "\""))
            .empty());
}

TEST(DocumentTemplate, ValidationListsEveryProblemAtOnce) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    std::string json = sample("benchmark-2022-book");
    json = withField(
        json, R"("experience_name": "[^"]*")",
        R"("experience_name": "实施基于大数据与人工智能的关键过程质量管控和持续改进的质量管理经验")");
    json = withField(json, R"("credit_code": "[^"]*")", R"("credit_code": "91330000MA2H7K3R9N")");
    json = withField(json, R"("recommending_unit": "[^"]*")",
                     R"("recommending_unit": "某某市质量协会")");
    json = withField(json, R"("revenue": \{"2019": 86530.5, "2020": 91277.2, )",
                     R"("revenue": {"2018": 80000, "2019": 86530.5, )");
    json = withField(json, R"("profit": \{"2019": 7120.3, )", R"("profit": {"2019": "7120.3", )");
    json = withField(json, R"("mobile": "13905712345")", R"("mobile": "0571-1234")");
    json = withField(json, R"("name": "赵嘉懿")",
                     "\"name\": \"赵\xCD\xB8\"");  // U+0378: no font has it
    json = withField(json, R"("rank": 6)", R"("rank": 2.5)");
    json = withField(json, R"("directions": \[[^\]]*\])",
                     R"("directions": ["过程控制", "过程控制", "六西格玛"])");
    json = withField(json, R"("filled_on": "2022-06-20")",
                     R"("filled_on": "2022-02-30", "filed_by": "x")");
    auto problems = problemsOf(*t, json);
    std::string all = describe(problems);
    EXPECT_TRUE(hasProblem(problems, "experience_name", "field.too_long")) << all;
    EXPECT_TRUE(hasProblem(problems, "enterprise.credit_code", "field.credit_code")) << all;
    EXPECT_TRUE(hasProblem(problems, "recommending_unit", "field.not_in_list")) << all;
    EXPECT_TRUE(hasProblem(problems, "revenue.2018", "field.year")) << all;
    EXPECT_TRUE(hasProblem(problems, "revenue.2020", "field.year_missing")) << all;
    EXPECT_TRUE(hasProblem(problems, "profit.2019", "field.not_a_number")) << all;
    EXPECT_TRUE(hasProblem(problems, "contact.mobile", "field.mobile")) << all;
    EXPECT_TRUE(hasProblem(problems, "contact.name", "field.glyph_missing")) << all;
    EXPECT_TRUE(
        hasProblem(problems, "economic.indicators.total_assets.rank", "field.not_an_integer"))
        << all;
    EXPECT_TRUE(hasProblem(problems, "directions.1", "field.duplicate")) << all;
    EXPECT_TRUE(hasProblem(problems, "directions.2", "field.not_in_list")) << all;
    EXPECT_TRUE(hasProblem(problems, "filled_on", "field.date")) << all;
    EXPECT_TRUE(hasProblem(problems, "filed_by", "field.unknown")) << all;
    EXPECT_EQ(problems.size(), 13u) << all;
    // The message names the field and the limit.
    for (const auto& p : problems) {
        if (p.code == "field.too_long") {
            EXPECT_NE(p.message.find("经验名称"), std::string::npos);
            EXPECT_NE(p.message.find("at most 30"), std::string::npos);
        }
    }
    // Rendering refuses the same data: nothing half-made.
    EXPECT_THROW(t->render(json, kFixedTime), ValidationError);
    // A draft still refuses wrong values.
    EXPECT_FALSE(problemsOf(*t, json, true).empty());
}

// 生僻字 in names print (with the rare-character face) and copy back out.
TEST(DocumentTemplate, RareCharactersInNamesPrint) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    std::string json =
        withField(sample("benchmark-2022-book"), R"("name": "浙江明澈精密电气股份有限公司")",
                  R"("name": "𠮷野家（上海）餐饮管理有限公司")");
    json = withField(json, R"("name": "赵嘉懿")", R"("name": "赵𠮷䶮")");  // 䶮 U+4DAE, Extension A
    EXPECT_TRUE(problemsOf(*t, json).empty()) << describe(problemsOf(*t, json));
    TempDir dir;
    writeFile(dir.path() + "/b.pdf", t->render(json, kFixedTime));
    std::string text = squeeze(runCommand("pdftotext " + dir.path() + "/b.pdf - 2>/dev/null"));
    EXPECT_NE(text.find("𠮷野家（上海）餐饮管理有限公司"), std::string::npos);
    EXPECT_NE(text.find("赵𠮷䶮"), std::string::npos);
    EXPECT_EQ(runCommand("pdftotext " + dir.path() + "/b.pdf /dev/null 2>&1"), "");
}

TEST(DocumentTemplate, ThirtyCharactersIsTheLimitNotThirtyOne) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    std::string thirty = "实施基于大数据的关键过程质量管控的经验一二三四五六七八九十一";  // 30
    std::string json = withField(sample("benchmark-2022-book"), R"("experience_name": "[^"]*")",
                                 "\"experience_name\": \"" + thirty + "\"");
    EXPECT_TRUE(problemsOf(*t, json).empty()) << describe(problemsOf(*t, json));
    json = withField(json, R"("experience_name": "[^"]*")",
                     "\"experience_name\": \"" + thirty + "二\"");
    EXPECT_TRUE(hasProblem(problemsOf(*t, json), "experience_name", "field.too_long"));
}

TEST(DocumentTemplate, MalformedDataIsRefused) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    for (const std::string bad : {"", "[1,2]", "{\"enterprise\": ", "null", "\"x\""}) {
        try {
            t->validate(bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "request.malformed") << bad;
        }
    }
    // SQL metacharacters and quotes are just text.
    std::string json = withField(sample("benchmark-2022-book"), R"("department": "[^"]*")",
                                 R"("department": "质量部'; DROP TABLE documents; --")");
    EXPECT_NO_THROW(t->render(json, kFixedTime));
}

TEST(DocumentTemplate, UnknownOrUnsafeTemplateNames) {
    for (const std::string id :
         {"benchmark-1999", "../templates/benchmark-2022", "Benchmark-2022", "", "a/b"}) {
        try {
            DocumentTemplate::load(kTemplates, id);
            ADD_FAILURE() << "loaded " << id;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "render.unknown_document") << id;
        }
    }
}

TEST(DocumentTemplate, MalformedTemplatesAreCaughtWhenLoaded) {
    TempDir dir;
    runCommand("mkdir -p " + dir.path() + "/lists");
    auto parse = [&](const std::string& body, const std::string& fields = "{}") {
        return DocumentTemplate::parse(
            R"({"format": "dossier-template/1", "id": "t", "title": "T", "years": [2019, 2020, 2021],
                                         "fields": )" +
                fields + R"(, "body": )" + body + "}",
            dir.path() + "/lists");
    };
    auto codeOf = [&](const std::string& body, const std::string& fields = "{}") -> std::string {
        try {
            parse(body, fields);
        } catch (const Error& e) {
            return std::string(e.code().text());
        }
        return "accepted";
    };
    EXPECT_EQ(codeOf(R"([{"type": "paragraph", "text": "好"}])"), "accepted");
    EXPECT_EQ(codeOf(R"([{"type": "poem"}])"), "render.template");
    // A field the schema does not declare: a typo caught now, not a blank on paper later.
    EXPECT_EQ(
        codeOf(R"([{"type": "line", "label": "名称：", "field": "enterprise.nmae"}])",
               R"({"enterprise": {"type": "object", "fields": {"name": {"type": "string"}}}})"),
        "render.template");
    EXPECT_EQ(codeOf(R"([{"type": "paragraph", "text": "{nope}"}])"), "render.template");
    EXPECT_EQ(codeOf(R"([])", R"({"unit": {"type": "choice", "list": "no-such-list"}})"),
              "render.template");
    EXPECT_EQ(codeOf(R"([])", R"({"x": {"type": "rainbow"}})"), "render.template");
    EXPECT_EQ(
        codeOf(R"([{"type": "table", "columns": [1], "rows": [[{"text": "a"}, {"text": "b"}]]}])"),
        "render.template");
    try {
        DocumentTemplate::parse(R"({"format": "dossier-template/9", "body": []})", dir.path());
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "render.template");
    }
}

TEST(DocumentTemplate, YearsComeFromTheTemplate) {
    TempDir dir;
    auto t = DocumentTemplate::parse(
        R"({"format": "dossier-template/1", "id": "t", "title": "T", "years": [2022, 2023, 2024],
        "fields": {"sales": {"type": "yearly", "required": true, "of": {"type": "number"}}},
        "body": [{"type": "table", "columns": [1, 1], "rows": [{"each": "years", "cells": [{"text": "{year} 年"}, {"field": "sales.{year}"}]}]}]})",
        dir.path());
    EXPECT_TRUE(problemsOf(*t, R"({"sales": {"2022": 1, "2023": 2.5, "2024": 3}})").empty());
    auto problems = problemsOf(*t, R"({"sales": {"2021": 1, "2022": 1, "2024": 3}})");
    EXPECT_TRUE(hasProblem(problems, "sales.2021", "field.year")) << describe(problems);
    EXPECT_TRUE(hasProblem(problems, "sales.2023", "field.year_missing")) << describe(problems);
    std::string all;
    for (const auto& item : t->flatten(R"({"sales": {"2022": 1, "2023": 2.5, "2024": 3}})"))
        all += item.text + "|";
    EXPECT_NE(all.find("|2023 年|2.5||2024 年|3|"), std::string::npos) << all;
    // Years must be consecutive in the template itself.
    EXPECT_THROW(
        DocumentTemplate::parse(
            R"({"format": "dossier-template/1", "years": [2019, 2021], "fields": {}, "body": []})",
            dir.path()),
        Error);
}

// The submission receipt (templates/receipt.json): the facts, every file with its size in
// bytes and in binary units, and its SHA-256 on a line of its own where all 64 digits fit.
TEST(DocumentTemplate, ReceiptListsEveryFileWithItsDigest) {
    auto t = DocumentTemplate::load(kTemplates, "receipt");
    std::string json = sample("receipt");
    checkRendered(*t, json, "receipt", 1);
    TempDir dir;
    writeFile(dir.path() + "/r.pdf", t->render(json, kFixedTime));
    std::string text = runCommand("pdftotext " + dir.path() + "/r.pdf - 2>/dev/null");
    std::regex digest("[0-9a-f]{64}");
    std::size_t count = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), digest), end; it != end; ++it) {
        ++count;
        EXPECT_NE(json.find((*it)[0].str()), std::string::npos) << (*it)[0];
    }
    EXPECT_EQ(count, 5u) << text;
    std::string flat = squeeze(text);
    for (const char* want : {"1,834,567字节（1.7MB）", "5,242,880字节（5.0MB）", "731字节",
                             "286,720字节（280KB）", "8,268,109字节（7.9MB）", "5个文件",
                             "𠮷祥物流合作协议扫描件.jpg", "2025-04-1510:23:45（北京时间）"}) {
        EXPECT_NE(flat.find(want), std::string::npos) << want << "\n" << text;
    }
}

// Rows per list item ("rows": a group under "each_item"), the rows of a group kept together
// by a row span; integers printed as file sizes ("format": "bytes").
TEST(DocumentTemplate, GroupsOfRowsPerItemAndFileSizes) {
    TempDir dir;
    auto t = DocumentTemplate::parse(
        R"({"format": "dossier-template/1", "id": "t", "title": "T",
        "fields": {"files": {"type": "array", "items": {"type": "object", "fields": {
            "name": {"type": "string"}, "size": {"type": "integer", "format": "bytes"}}}}},
        "body": [{"type": "table", "columns": [1, 3], "rows": [{"each_item": "files", "rows": [
            [{"text": "{#}", "rowspan": 2}, {"field": "@.name"}],
            [{"field": "@.size"}]]}]}]})",
        dir.path());
    std::string all;
    for (const auto& item : t->flatten(R"({"files": [{"name": "甲", "size": 0},
        {"name": "乙", "size": 1023}, {"name": "丙", "size": 1024},
        {"name": "丁", "size": 104857600}, {"name": "戊", "size": 1099511627776}]})")) {
        if (item.kind == DocumentTemplate::Item::Kind::Row) all += "/";
        if (item.kind == DocumentTemplate::Item::Kind::Cell) all += item.text + "|";
    }
    EXPECT_EQ(all,
              "/1|甲|/0 字节|/2|乙|/1,023 字节|/3|丙|/1,024 字节（1.0 KB）|/4|丁|"
              "/104,857,600 字节（100 MB）|/5|戊|/1,099,511,627,776 字节（1.0 TB）|");
    // "format" is for integers only, and "rows" replaces "cells".
    EXPECT_THROW(DocumentTemplate::parse(R"({"format": "dossier-template/1", "fields": {"x":
                     {"type": "string", "format": "bytes"}}, "body": []})",
                                         dir.path()),
                 Error);
    EXPECT_THROW(DocumentTemplate::parse(R"({"format": "dossier-template/1", "fields": {"x":
                     {"type": "integer", "format": "money"}}, "body": []})",
                                         dir.path()),
                 Error);
    EXPECT_THROW(DocumentTemplate::parse(
                     R"({"format": "dossier-template/1", "fields": {"l": {"type": "array",
                     "items": {"type": "string"}}}, "body": [{"type": "table", "columns": [1],
                     "rows": [{"each_item": "l", "cells": [{"field": "@"}],
                     "rows": [[{"field": "@"}]]}]}]})",
                     dir.path()),
                 Error);
}

// Data mapped from elsewhere keeps what a draft accepts and loses the rest, listed.
TEST(DocumentTemplate, FittingDropsWhatTheTemplateRefuses) {
    auto t = DocumentTemplate::load(kTemplates, "benchmark-2022");
    std::string longName;
    for (int i = 0; i < 61; ++i) longName += "长";  // 60 characters fit
    std::vector<std::string> dropped;
    std::string fitted = t->fitting(R"({"enterprise": {"name": ")" + longName +
                                        R"(", "credit_code": "91330000MA2H7K3R9M", "size": "巨型"},
            "revenue": {"2018": 1, "2019": 2, "2020": -5, "2021": 4},
            "contact": {"name": "赵𠮷", "mobile": "0571-86031234"},
            "directions": ["不存在的方向", "质量管理体系"], "colour": "blue"})",
                                    &dropped);
    EXPECT_TRUE(problemsOf(*t, fitted, true).empty()) << describe(problemsOf(*t, fitted, true));
    std::vector<std::string> want{"enterprise.name", "enterprise.size", "revenue.2018",
                                  "revenue.2020",    "contact.mobile",  "directions.0",
                                  "colour"};
    std::sort(want.begin(), want.end());
    std::sort(dropped.begin(), dropped.end());
    EXPECT_EQ(dropped, want) << fitted;
    for (const char* kept :
         {"91330000MA2H7K3R9M", "\"2019\":2", "\"2021\":4", "赵𠮷", "[\"质量管理体系\"]"}) {
        EXPECT_NE(fitted.find(kept), std::string::npos) << kept << " in " << fitted;
    }
    EXPECT_EQ(t->fitting("[1]"), "{}");
    EXPECT_EQ(t->fitting("not json"), "{}");
    // Data that fits loses nothing.
    dropped.clear();
    EXPECT_TRUE(problemsOf(*t, t->fitting(sample("benchmark-2022-book"), &dropped)).empty());
    EXPECT_TRUE(dropped.empty());
}

}  // namespace
}  // namespace dossier::renderers

namespace dossier::renderers {
namespace {
const std::string kListDir = std::string(DOSSIER_SOURCE_DIR) + "/templates/lists";
}  // namespace

// Reviewers' reasons, filings and templates name list items by value: a list that fails to
// load, or that has two items with one value, would turn into a 500 or a wrong reason on paper.
TEST(ReferenceLists, EveryListLoadsWithUniqueValuesAndLabels) {
    namespace fs = std::filesystem;
    int lists = 0;
    for (const auto& entry : fs::directory_iterator(kListDir)) {
        if (entry.path().extension() != ".json") continue;
        const std::string name = entry.path().stem().string();
        std::unique_ptr<ReferenceList> list;
        ASSERT_NO_THROW(list = ReferenceList::load(kListDir, name)) << name;
        EXPECT_EQ(list->id, name);
        EXPECT_FALSE(list->title.empty()) << name;
        ASSERT_FALSE(list->items.empty()) << name;
        std::set<std::string> values;
        for (const auto& item : list->items) {
            EXPECT_FALSE(item.value.empty()) << name;
            EXPECT_FALSE(item.label.empty()) << name << " " << item.value;
            EXPECT_TRUE(values.insert(item.value).second) << name << " repeats " << item.value;
        }
        ++lists;
    }
    EXPECT_GE(lists, 12);
}

TEST(ReferenceLists, FormalReviewReasonsFollowSeed002) {
    auto project = ReferenceList::load(kListDir, "formal-review-reasons-tech-project");
    auto individual = ReferenceList::load(kListDir, "formal-review-reasons-tech-individual");
    EXPECT_EQ(project->items.size(), 5U);
    EXPECT_EQ(individual->items.size(), 4U);
    ASSERT_NE(project->find("commitment_seals_incomplete"), nullptr);
    EXPECT_EQ(project->find("commitment_seals_incomplete")->label,
              "申报承诺书所有完成单位盖章（须公章）不齐");
    EXPECT_EQ(project->items.back().value, "other");
    EXPECT_EQ(individual->items.back().value, "other");
}

}  // namespace dossier::renderers
