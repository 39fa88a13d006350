// QC groups and teams (issue 14, scope 1-3; seed 001): the import template, the streaming
// import and its rules, records filed one by one, the yearly counts and the summary table,
// over HTTP against the real server on port 0. Runs on SQLite and on PostgreSQL
// (DOSSIER_TEST_BACKEND).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "TestWorld.h"
#include "XlsxFiles.h"
#include "dossier/app/Services.h"
#include "dossier/core/MemorySource.h"
#include "dossier/http/Server.h"
#include "dossier/sheets/XlsxReader.h"

using namespace dossier;
using namespace dossier::test;
using Poco::JSON::Object;

namespace {

// 2026-11-30 16:30 UTC is 2026-12-01 00:30 in Beijing.
constexpr std::int64_t kNow = 1796056200LL * 1000000;

std::string codeOf(const HttpResult& r) {
    auto body = r.json();
    return body ? body->optValue<std::string>("code", "") : "";
}

/// The rejections of a report as "row column code".
std::set<std::string> rejections(const Object::Ptr& report) {
    std::set<std::string> out;
    auto list = report->getArray("rejected");
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto e = list->getObject(static_cast<unsigned>(i));
        out.insert(std::to_string(e->getValue<int>("row")) + " " +
                   e->getValue<std::string>("column") + " " + e->getValue<std::string>("code"));
    }
    return out;
}

std::vector<int> skipped(const Object::Ptr& report) {
    std::vector<int> out;
    auto list = report->getArray("skipped_duplicates");
    for (std::size_t i = 0; i < list->size(); ++i)
        out.push_back(list->getElement<int>(static_cast<unsigned>(i)));
    return out;
}

/// The peak resident set of this process (the in-process server included), KiB.
long peakRssKb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

class QcTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        config.qcImportMaxRows = 12'000;
        services = app::Services::open(config, nullptr, clock);
        server = startInProcessServer(*services);
        world = std::make_unique<TestWorld>(*services, server->port());
        admin = world->admin("qcadmin01", "13800000001", "中国石化某某分公司", "91440116MA59B21T31",
                             nullptr, &organizationId, "李明");
        member = world->member(*admin, organizationId, "qcmember1", "13800000002");
        other = world->admin("qcother01", "13800000003", "广州其他有限公司", "91110000600037341L");
        personal = world->personal("qcperson1", "13800000004");
    }
    void TearDown() override {
        if (server) server->stop();
        if (services) services->checkRunner().stop();
    }

    static HttpResult import(HttpTestClient& c, const std::string& bytes,
                             const std::string& type = "group", const std::string& year = "2026",
                             const std::string& name = "小组.xlsx") {
        auto [contentType, body] =
            multipartBody({{"type", type, std::nullopt, ""},
                           {"year", year, std::nullopt, ""},
                           {"file", bytes, name,
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}});
        return c.request("POST", "/api/v1/qc/imports", {}, contentType, body);
    }

    /// The organization's records as "title|group|enterprise|members|leader|founded".
    static std::vector<std::string> records(HttpTestClient& c, const std::string& query = "") {
        std::vector<std::string> out;
        for (int page = 1;; ++page) {
            auto r = c.get("/api/v1/qc/records?per_page=100&page=" + std::to_string(page) + query);
            EXPECT_EQ(r.status, 200) << r.body;
            auto items = r.json()->getArray("items");
            for (std::size_t i = 0; i < items->size(); ++i) {
                auto o = items->getObject(static_cast<unsigned>(i));
                out.push_back(o->getValue<std::string>("title") + "|" +
                              o->getValue<std::string>("group_name") + "|" +
                              o->getValue<std::string>("enterprise") + "|" +
                              std::to_string(o->getValue<int>("member_count")) + "|" +
                              o->getValue<std::string>("leader") + "|" +
                              o->optValue<std::string>("founded_on", ""));
            }
            if (items->size() < 100) break;
        }
        return out;
    }

    std::size_t total(HttpTestClient& c) {
        auto r = c.get("/api/v1/qc/records");
        return r.status == 200 ? r.json()->getValue<std::size_t>("total") : 0;
    }

    std::shared_ptr<FixedClock> clock = std::make_shared<FixedClock>(kNow);
    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<TestWorld> world;
    std::unique_ptr<HttpTestClient> admin, member, other, personal;
    std::string organizationId;
};

TEST_F(QcTest, TheTemplateHasSheet1TheTitleRowADateColumnAndImportsBackCleanly) {
    for (std::string type : {"group", "team"}) {
        auto t = admin->get("/api/v1/qc/template.xlsx?type=" + type);
        ASSERT_EQ(t.status, 200) << t.body;
        EXPECT_EQ(t.header("Content-Type"),
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        MemorySource bytes(t.body);
        sheets::XlsxReader reader(bytes, {});
        EXPECT_EQ(reader.firstSheetName(), "sheet1");
        std::vector<sheets::SheetRow> rows;
        reader.readFirstSheet([&](const sheets::SheetRow& r) {
            rows.push_back(r);
            return true;
        });
        ASSERT_EQ(rows.size(), 2u);
        std::vector<std::string> titles;
        for (const auto& c : rows[0].cells) titles.push_back(c.text);
        EXPECT_EQ(titles, (std::vector<std::string>{"序号", "成果名称", "小组名称", "所属企业",
                                                    "小组人数", "组长", "小组成立日期"}));
        // The example's date is a real date cell (a serial), not text.
        ASSERT_EQ(rows[1].cells.size(), 7u);
        EXPECT_EQ(rows[1].cells[6].kind, sheets::Cell::Kind::Number);
        EXPECT_EQ(rows[1].cells[6].number, 45052);  // 2023-05-06
        // The notes sheet comes after sheet1.
        EXPECT_NE(t.body.find("xl/worksheets/sheet2.xml"), std::string::npos);

        auto r = import(*admin, t.body, type);
        ASSERT_EQ(r.status, 200) << r.body;
        auto report = r.json();
        EXPECT_EQ(report->getValue<int>("imported"), 1) << r.body;
        EXPECT_EQ(report->getArray("rejected")->size(), 0u) << r.body;
        EXPECT_EQ(report->getArray("skipped_duplicates")->size(), 0u) << r.body;
    }
    auto list = records(*admin, "&type=group");
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0],
              "降低合成氨装置吨氨综合能耗|节能降耗QC小组|某某化工有限公司|6|张三|2023-05-06");
    EXPECT_EQ(admin->get("/api/v1/qc/template.xlsx?type=x").status, 422);
    EXPECT_EQ(world->client()->get("/api/v1/qc/template.xlsx?type=group").status, 401);
}

TEST_F(QcTest, GoodRowsAreTakenDuplicatesSkippedAndEachBadRowRefusedWithItsExcelRow) {
    std::string file = xlsxOf({
        {"#1", "降低能耗", "攻关小组", "某某公司", "#6", "张三", "@2023-05-06"},  // 2
        {"#2", "降低能耗", "攻关小组", "另一公司", "#9", "李四", ""},             // 3 dup of 2
        {"#3", "提高收率", "一组", "某某公司", "#5", "", ""},                     // 4 leader
        {"#4", "提高收率二", "二组", "某某公司", "#0", "王五", ""},               // 5 range
        {"#5", "提高收率三", "三组", "某某公司", "五", "王五", ""},               // 6 text
        {"#6", "提高收率四", "四组", "某某公司", "#5.5", "王五", ""},             // 7 fraction
        {},                                                                       // 8 blank
        {"#8", "", "", "", "", "", ""},                                           // 9 numbered only
        {"#9", "\xE3\x80\x80全角标题\xE3\x80\x80", "五组", "某某公司", "６", "赵六",
         "2023年5月6日"},                                               // 10
        {"#10", "提高收率六", "六组", "", "#7", "钱七", "2023/5/6"},    // 11
        {"#11", "提高收率七", "七组", "", "#7", "钱七", "2023-02-30"},  // 12 date
        {"#12", "提高收率八", "八组", "", "#7", "钱七", "2027-01-01"},  // 13 future
        {"#13", std::string(101, 'x'), "九组", "", "#7", "钱七", ""},   // 14 long
        {"#14", "提高收率九", "十组", "", "-3", "", ""},                // 15 two problems
    });
    auto r = import(*admin, file);
    ASSERT_EQ(r.status, 200) << r.body;
    auto report = r.json();
    EXPECT_EQ(report->getValue<int>("imported"), 3) << r.body;
    EXPECT_EQ(skipped(report), std::vector<int>{3});
    EXPECT_EQ(report->getValue<int>("ignored_blank_rows"), 1)
        << r.body;  // row 9; row 8 has no cells
    EXPECT_EQ(rejections(report),
              (std::set<std::string>{
                  "4 F field.required", "5 E field.range", "6 E field.not_an_integer",
                  "7 E field.not_an_integer", "12 G field.date", "13 G field.future_date",
                  "14 B field.too_long", "15 E field.range", "15 F field.required"}))
        << r.body;
    // The first row's values survive; full-width digits and U+3000 normalized.
    auto list = records(*admin);
    EXPECT_EQ(list, (std::vector<std::string>{"降低能耗|攻关小组|某某公司|6|张三|2023-05-06",
                                              "全角标题|五组|某某公司|6|赵六|2023-05-06",
                                              "提高收率六|六组||7|钱七|2023-05-06"}));

    // Again: every good row is now a duplicate of a stored record, nothing is overwritten.
    auto again = import(*member, file);
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json()->getValue<int>("imported"), 0);
    EXPECT_EQ(skipped(again.json()), (std::vector<int>{2, 3, 10, 11}));
    EXPECT_EQ(records(*admin), list);
    // The other organization has none of them, and may import the same rows.
    EXPECT_EQ(total(*other), 0u);
    EXPECT_EQ(import(*other, file).json()->getValue<int>("imported"), 3);
}

TEST_F(QcTest, ARefusedFileChangesNothingAndSaysWhy) {
    ASSERT_EQ(import(*admin, xlsxOf({{"#1", "甲", "乙", "", "#3", "丙", ""}})).status, 200);
    ASSERT_EQ(total(*admin), 1u);
    struct Case {
        std::string name;
        std::string bytes;
        int status;
        std::string code;
        std::string says;
    };
    std::vector<std::vector<std::string>> good{{"#1", "新成果", "新小组", "", "#3", "丙", ""}};
    std::string swapped =
        zipOf(workbookParts(inlineRow(1, {"序号", "小组名称", "成果名称", "所属企业", "小组人数",
                                          "组长", "小组成立日期"}) +
                            inlineRow(2, {"1", "新小组", "新成果", "", "3", "丙", ""})));
    std::string missing = zipOf(workbookParts(
        inlineRow(1, {"序号", "成果名称", "小组名称", "所属企业", "组长", "小组成立日期"}) +
        inlineRow(2, {"1", "新成果", "新小组", "", "丙", ""})));
    std::string noTitle =
        zipOf(workbookParts(inlineRow(2, {"1", "新成果", "新小组", "", "3", "丙", ""})));
    std::string notXlsx = zipOf({{"readme.txt", "hello"}, {"data.csv", "a,b"}});
    std::vector<Case> cases{
        {"wrong sheet name", xlsxOf(good, "小组"), 422, "import.sheet_name", "sheet1"},
        {"misplaced column", swapped, 422, "import.header",
         "成果名称 in column C; it must be in column B"},
        {"missing column", missing, 422, "import.header", "no column 小组人数"},
        {"no title row", noTitle, 422, "import.header", "title row"},
        {"a ZIP that is not an XLSX", notXlsx, 422, "import.not_xlsx", "ZIP"},
        {"a PDF", "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", 422, "import.not_xlsx",
         "PDF"},
        {"text", "序号,成果名称\n1,x\n", 422, "import.not_xlsx", ""},
    };
    for (const auto& c : cases) {
        auto r = import(*admin, c.bytes);
        EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
        EXPECT_EQ(codeOf(r), c.code) << c.name << ": " << r.body;
        EXPECT_NE(r.body.find(c.says), std::string::npos) << c.name << ": " << r.body;
    }
    // "Sheet1" is sheet1: Excel compares sheet names case-insensitively.
    EXPECT_EQ(import(*admin, xlsxOf(good, "Sheet1")).json()->getValue<int>("imported"), 1);
    EXPECT_EQ(total(*admin), 2u);
    // Over the row limit (12,000 here): refused whole, nothing stored.
    std::vector<std::vector<std::string>> many;
    for (int i = 0; i < 12'001; ++i)
        many.push_back({"", "成果" + std::to_string(i), "组", "", "#3", "甲", ""});
    auto tooMany = import(*admin, xlsxOf(many));
    EXPECT_EQ(tooMany.status, 413) << tooMany.body;
    EXPECT_EQ(codeOf(tooMany), "import.too_many_rows");
    EXPECT_EQ(total(*admin), 2u);
    // Bad form fields.
    EXPECT_EQ(codeOf(import(*admin, xlsxOf(good), "club")), "validation.failed");
    EXPECT_EQ(codeOf(import(*admin, xlsxOf(good), "group", "1999")), "validation.failed");
    EXPECT_EQ(total(*admin), 2u);
}

TEST_F(QcTest, InlineStringsRichRunsAndPhoneticsReadAsSharedStringsDo) {
    // Shared strings (libxlsxwriter) in one organization …
    ASSERT_EQ(
        import(*admin,
               xlsxOf({{"#1", "降低能耗", "攻关小组", "某某公司", "#6", "张三", "@2023-05-06"}}))
            .json()
            ->getValue<int>("imported"),
        1);
    // … hand-written inline strings with rich runs and a phonetic run in the other, and a
    // shared-string table with the same.
    std::string sheet =
        titleRow() +
        R"(<row r="2"><c r="A2"><v>1</v></c>)"
        R"(<c r="B2" t="inlineStr"><is><r><rPr><b/></rPr><t>降低</t></r><r><t>能耗</t></r><rPh sb="0" eb="2"><t>ジャン</t></rPh></is></c>)"
        R"(<c r="C2" t="s"><v>0</v></c>)"
        R"(<c r="D2" t="inlineStr"><is><t xml:space="preserve"> 某某公司 </t></is></c>)"
        R"(<c r="E2"><v>6</v></c><c r="F2" t="str"><f>"张"&amp;"三"</f><v>张三</v></c>)"
        R"(<c r="G2"><v>45052</v></c></row>)";
    std::string sst =
        R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">)"
        R"(<si><r><t>攻关</t></r><r><rPr><i/></rPr><t>小组</t></r><rPh sb="0" eb="2"><t>コウカン</t></rPh></si></sst>)";
    auto r = import(*other, zipOf(workbookParts(sheet, "sheet1", sst)));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getValue<int>("imported"), 1) << r.body;
    EXPECT_EQ(records(*other), records(*admin));
    EXPECT_EQ(records(*other)[0], "降低能耗|攻关小组|某某公司|6|张三|2023-05-06");
}

TEST_F(QcTest, DateSerialsFollowTheWorkbooksDateSystem) {
    // 2023-05-06 is 45052 in the 1900 system and 43590 in the 1904 one.
    std::string rows1904 =
        titleRow() +
        R"(<row r="2"><c r="B2" t="inlineStr"><is><t>甲</t></is></c>)"
        R"(<c r="C2" t="inlineStr"><is><t>乙</t></is></c><c r="E2"><v>3</v></c>)"
        R"(<c r="F2" t="inlineStr"><is><t>丙</t></is></c><c r="G2"><v>43590</v></c></row>)";
    auto r = import(*admin, zipOf(workbookParts(rows1904, "sheet1", "", true)));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getValue<int>("imported"), 1) << r.body;
    // 60 is Lotus's 1900-02-29, which does not exist.
    std::string lotus =
        titleRow() +
        R"(<row r="2"><c r="B2" t="inlineStr"><is><t>丁</t></is></c>)"
        R"(<c r="C2" t="inlineStr"><is><t>乙</t></is></c><c r="E2"><v>3</v></c>)"
        R"(<c r="F2" t="inlineStr"><is><t>丙</t></is></c><c r="G2"><v>60</v></c></row>)";
    auto bug = import(*admin, zipOf(workbookParts(lotus)));
    EXPECT_EQ(rejections(bug.json()), std::set<std::string>{"2 G field.date"}) << bug.body;
    EXPECT_EQ(records(*admin), std::vector<std::string>{"甲|乙||3|丙|2023-05-06"});
}

TEST_F(QcTest, FormulasGiveTheirCachedValueOrAreRefusedByCell) {
    std::string sheet =
        titleRow() +
        R"(<row r="2"><c r="A2"><f>ROW()-1</f></c><c r="B2" t="inlineStr"><is><t>甲</t></is></c>)"
        R"(<c r="C2" t="inlineStr"><is><t>乙</t></is></c><c r="E2"><f>1+2</f><v>3</v></c>)"
        R"(<c r="F2" t="inlineStr"><is><t>丙</t></is></c></row>)"
        R"(<row r="3"><c r="B3" t="inlineStr"><is><t>丁</t></is></c>)"
        R"(<c r="C3" t="inlineStr"><is><t>乙</t></is></c><c r="E3"><f>1+2</f></c>)"
        R"(<c r="F3" t="e"><v>#N/A</v></c></row>)";
    auto r = import(*admin, zipOf(workbookParts(sheet)));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getValue<int>("imported"), 1);
    EXPECT_EQ(rejections(r.json()),
              (std::set<std::string>{"3 E import.formula_uncached", "3 F import.cell_error"}));
}

TEST_F(QcTest, DataDescriptorsAreReadFromTheDirectoryAndDtdsAreRefused) {
    // As streaming ZIP writers write it: sizes after the data, found through the directory.
    std::string sheet = titleRow() + inlineRow(2, {"1", "甲", "乙", "", "3", "丙", "2023-05-06"});
    auto r = import(*admin, zipOf(workbookParts(sheet), true, true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getValue<int>("imported"), 1) << r.body;
    // A DTD (entity expansion, "billion laughs") is refused before any entity is expanded.
    auto parts = workbookParts(titleRow() + inlineRow(2, {"1", "&lol9;", "乙", "", "3", "丙", ""}));
    std::string lol = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">)";
    for (int i = 1; i <= 9; ++i) {
        std::string prev = i == 1 ? "&lol;" : "&lol" + std::to_string(i - 1) + ";";
        lol += "<!ENTITY lol" + std::to_string(i) + " \"" + prev + prev + prev + prev + prev +
               prev + prev + prev + prev + prev + "\">";
    }
    lol += "]>";
    for (auto& [name, bytes] : parts) {
        if (name == "xl/worksheets/sheet1.xml") bytes = lol + bytes.substr(bytes.find("?>") + 2);
    }
    auto bomb = import(*admin, zipOf(parts));
    EXPECT_EQ(bomb.status, 422) << bomb.body;
    EXPECT_EQ(codeOf(bomb), "import.malformed") << bomb.body;
    // Another shape of broken XML.
    auto broken = import(*admin, zipOf(workbookParts("<row r=\"1\"><c>")));
    EXPECT_EQ(codeOf(broken), "import.malformed") << broken.body;
    EXPECT_EQ(total(*admin), 1u);
}

/// A sheet part of `spaces` blanks between the title row and the end, deflated in chunks
/// (never held whole); its central directory says `declared` uncompressed bytes.
std::string bomb(std::uint64_t spaces, std::uint64_t declared) {
    auto parts = workbookParts(titleRow());
    std::string out;
    std::string central;
    auto put16 = [](std::string& o, unsigned v) {
        o += static_cast<char>(v & 0xFF);
        o += static_cast<char>((v >> 8) & 0xFF);
    };
    auto put32 = [&](std::string& o, unsigned long v) {
        put16(o, static_cast<unsigned>(v & 0xFFFF));
        put16(o, static_cast<unsigned>((v >> 16) & 0xFFFF));
    };
    std::string head =
        R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
        titleRow();
    std::string tail = "</sheetData></worksheet>";
    auto emitEntry = [&](const std::string& name, const std::string& data, unsigned long crc,
                         std::uint64_t size) {
        bool isSheet = name == "xl/worksheets/sheet1.xml";
        unsigned long offset = out.size();
        unsigned long claimed = isSheet ? static_cast<unsigned long>(declared) : size;
        for (std::string* o : {&out, &central}) {
            bool c = o == &central;
            put32(*o, c ? 0x02014b50 : 0x04034b50);
            if (c) put16(*o, 20);
            put16(*o, 20);
            put16(*o, 0x0800);
            put16(*o, 8);
            put16(*o, 0);
            put16(*o, 0x21);
            put32(*o, crc);
            put32(*o, data.size());
            put32(*o, claimed);
            put16(*o, static_cast<unsigned>(name.size()));
            put16(*o, 0);
            if (c) {
                put16(*o, 0);
                put16(*o, 0);
                put16(*o, 0);
                put32(*o, 0);
                put32(*o, offset);
            }
            *o += name;
            if (!c) *o += data;
        }
    };
    // The sheet's deflated bytes are made once per size: the bombs differ in their directory.
    static std::map<std::uint64_t, std::tuple<std::string, unsigned long, std::uint64_t>> made;
    for (auto& [name, bytes] : parts) {
        bool isSheet = name == "xl/worksheets/sheet1.xml";
        if (isSheet && made.count(spaces)) {
            auto& [data, crc, size] = made[spaces];
            emitEntry(name, data, crc, size);
            continue;
        }
        z_stream z{};
        deflateInit2(&z, 1, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
        std::string data;
        unsigned long crc = crc32(0L, Z_NULL, 0);
        std::uint64_t size = 0;
        auto feed = [&](const std::string& chunk, bool last) {
            crc = crc32(crc, reinterpret_cast<const Bytef*>(chunk.data()),
                        static_cast<uInt>(chunk.size()));
            size += chunk.size();
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
            z.avail_in = static_cast<uInt>(chunk.size());
            char buf[65536];
            do {
                z.next_out = reinterpret_cast<Bytef*>(buf);
                z.avail_out = sizeof buf;
                deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
                data.append(buf, sizeof buf - z.avail_out);
            } while (z.avail_out == 0);
        };
        if (isSheet) {
            feed(head, false);
            std::string blanks(1 << 20, ' ');
            for (std::uint64_t i = 0; i < spaces >> 20; ++i) feed(blanks, false);
            feed(tail, true);
        } else {
            feed(bytes, true);
        }
        deflateEnd(&z);
        if (isSheet) made[spaces] = {data, crc, size};
        emitEntry(name, data, crc, size);
    }
    unsigned long cdOffset = out.size();
    out += central;
    put32(out, 0x06054b50);
    put16(out, 0);
    put16(out, 0);
    put16(out, static_cast<unsigned>(parts.size()));
    put16(out, static_cast<unsigned>(parts.size()));
    put32(out, central.size());
    put32(out, cdOffset);
    put16(out, 0);
    return out;
}

TEST_F(QcTest, AZipBombIsRefusedInBoundedTimeAndMemory) {
    // 512 MiB of blanks in ~1 MB; one says so in its directory, one claims 10 KB.
    std::string honest = bomb(512ull << 20, 512ull << 20);
    std::string liar = bomb(512ull << 20, 10'000);
    long before = peakRssKb();
    for (const auto* file : {&honest, &liar}) {
        auto start = std::chrono::steady_clock::now();
        auto r = import(*admin, *file);
        auto took = std::chrono::steady_clock::now() - start;
        EXPECT_TRUE(r.status == 413 || r.status == 422) << r.body;
        EXPECT_TRUE(codeOf(r) == "import.too_large" || codeOf(r) == "import.zip_bomb") << r.body;
        EXPECT_LT(took, std::chrono::seconds(2)) << r.body;
    }
    EXPECT_EQ(codeOf(import(*admin, liar)), "import.zip_bomb");
    // The bombs themselves are ~4 MB in this process; inflating adds a 64 KiB buffer.
    EXPECT_LT(peakRssKb() - before, 48 * 1024);
    EXPECT_EQ(total(*admin), 0u);
}

TEST_F(QcTest, TenThousandRowsImportInOneTransaction) {
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < 10'000; ++i) {
        rows.push_back({"#" + std::to_string(i + 1), "降低能耗第" + std::to_string(i) + "项",
                        "攻关小组" + std::to_string(i % 97), "某某化工有限公司",
                        "#" + std::to_string(3 + i % 9), "张三", "@2023-05-06"});
    }
    auto r = import(*admin, xlsxOf(rows));
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
    EXPECT_EQ(r.json()->getValue<int>("imported"), 10'000);
    EXPECT_EQ(total(*admin), 10'000u);
    auto counts = admin->get("/api/v1/qc/counts/2026");
    EXPECT_EQ(counts.json()->getValue<int>("filed_groups"), 10'000) << counts.body;
}

TEST_F(QcTest, ConcurrentImportsOfTheSameRowsStoreEachOnce) {
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < 300; ++i)
        rows.push_back({"", "成果" + std::to_string(i), "组", "", "#3", "甲", ""});
    std::string file = xlsxOf(rows);
    std::atomic<int> imported{0}, failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            HttpTestClient c(server->port());
            c.setBearer((t % 2 ? member : admin)->bearer());
            auto r = import(c, file);
            if (r.status != 200) {
                ++failures;
                return;
            }
            imported += r.json()->getValue<int>("imported");
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(imported.load(), 300);
    EXPECT_EQ(total(*admin), 300u);
}

// PostgreSQL receives the rows as array literals: text that means something there (quotes,
// backslashes, braces, commas, the word NULL, spaces inside) and in SQL is data all the same.
TEST_F(QcTest, TextThatArrayLiteralsAndSqlQuoteIsStoredAsWritten) {
    auto r = import(*admin, xlsxOf({
                                {"#1", "a\"b\\c", "{组}", "x,y", "#3", "NULL", ""},
                                {"#2", "NULL", "\"", "\\", "#4", "{}", ""},
                                {"#3", "'); DROP TABLE qc_records; --", "组 二", "𠮷野家", "#5",
                                 "张 三", "@2023-05-06"},
                            }));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getValue<int>("imported"), 3) << r.body;
    EXPECT_EQ(records(*admin),
              (std::vector<std::string>{
                  "a\"b\\c|{组}|x,y|3|NULL|", "NULL|\"|\\|4|{}|",
                  "'); DROP TABLE qc_records; --|组 二|𠮷野家|5|张 三|2023-05-06"}));
}

// More rows than one insert statement takes (PostgreSQL sends 1,000 at a time): the rows
// skipped as duplicates are named by their Excel rows wherever they fall, and the stored
// record keeps its values.
TEST_F(QcTest, DuplicatesAreNamedExactlyAcrossInsertBatches) {
    ASSERT_EQ(import(*admin, xlsxOf({{"", "成果10", "组", "先来公司", "#9", "甲", ""},
                                     {"", "成果1999", "组", "先来公司", "#9", "甲", ""}}))
                  .json()
                  ->getValue<int>("imported"),
              2);
    std::vector<std::vector<std::string>> rows;
    for (int i = 0; i < 2'500; ++i)
        rows.push_back({"", "成果" + std::to_string(i), "组", "后来公司", "#3", "乙", ""});
    rows.push_back({"", "成果7", "组", "重复公司", "#4", "丙", ""});     // row 2502
    rows.push_back({"", "成果2400", "组", "重复公司", "#4", "丙", ""});  // row 2503
    auto r = import(*admin, xlsxOf(rows));
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
    EXPECT_EQ(r.json()->getValue<int>("imported"), 2'498);
    // 成果10 is row 12, 成果1999 row 2001.
    EXPECT_EQ(skipped(r.json()), (std::vector<int>{12, 2001, 2502, 2503}));
    EXPECT_EQ(total(*admin), 2'500u);
    auto all = records(*admin);
    std::set<std::string> stored(all.begin(), all.end());
    EXPECT_TRUE(stored.count("成果10|组|先来公司|9|甲|"));
    EXPECT_TRUE(stored.count("成果1999|组|先来公司|9|甲|"));
    EXPECT_TRUE(stored.count("成果7|组|后来公司|3|乙|"));
    EXPECT_TRUE(stored.count("成果2400|组|后来公司|3|乙|"));
    EXPECT_EQ(stored.size(), 2'500u);
}

// Two imports share 2,400 rows, one file in the other's reverse order, over several insert
// statements each: rows are inserted in key order, so on PostgreSQL one import waits for the
// other on the unique index instead of deadlocking, and each row is stored once.
TEST_F(QcTest, ConcurrentImportsInOppositeOrdersNeitherDeadlockNorDuplicate) {
    std::vector<std::vector<std::string>> forward, backward;
    for (int i = 0; i < 2'400; ++i)
        forward.push_back({"", "共同成果" + std::to_string(i), "组", "", "#3", "甲", ""});
    backward.assign(forward.rbegin(), forward.rend());
    for (int i = 0; i < 100; ++i) {
        forward.push_back({"", "甲的成果" + std::to_string(i), "组", "", "#3", "甲", ""});
        backward.push_back({"", "乙的成果" + std::to_string(i), "组", "", "#3", "甲", ""});
    }
    std::string files[2] = {xlsxOf(forward), xlsxOf(backward)};
    std::atomic<int> imported{0}, skippedRows{0};
    std::vector<std::string> failures(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            HttpTestClient c(server->port());
            c.setBearer((t % 2 ? member : admin)->bearer());
            auto r = import(c, files[t % 2]);
            if (r.status != 200) {
                failures[static_cast<std::size_t>(t)] = r.body;
                return;
            }
            imported += r.json()->getValue<int>("imported");
            skippedRows += static_cast<int>(skipped(r.json()).size());
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& f : failures) EXPECT_EQ(f, "");
    EXPECT_EQ(imported.load(), 2'600);
    EXPECT_EQ(skippedRows.load(), 4 * 2'500 - 2'600);
    EXPECT_EQ(total(*admin), 2'600u);
}

TEST_F(QcTest, RecordsAreFiledOneByOneEditedAndListed) {
    std::string body =
        R"({"type":"team","year":2026,"title":"提升合格率𠮷'); DROP TABLE qc_records; --","group_name":"包装一班",)"
        R"("enterprise":"某某公司","member_count":12,"leader":"张三","founded_on":"2023-05-06"})";
    auto created = member->postJson("/api/v1/qc/records", body);
    ASSERT_EQ(created.status, 201) << created.body;
    std::string id = TestWorld::idOf(created);
    EXPECT_EQ(created.json()->getValue<std::string>("source"), "form");
    // The same title and group name again: 409, whoever files it.
    auto again = admin->postJson("/api/v1/qc/records", body);
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(codeOf(again), "qc.duplicate");
    // An import of the same pair is a duplicate too (of kind team).
    auto imported = import(*admin,
                           xlsxOf({{"#1", "提升合格率𠮷'); DROP TABLE qc_records; --", "包装一班",
                                    "", "#3", "李四", ""}}),
                           "team");
    EXPECT_EQ(skipped(imported.json()), std::vector<int>{2}) << imported.body;

    auto invalid = admin->postJson(
        "/api/v1/qc/records",
        R"({"type":"club","year":1999,"title":"","member_count":0,"leader":"a\u0000b","founded_on":"2023-02-30","x":1})");
    EXPECT_EQ(invalid.status, 422);
    std::set<std::string> problems;
    auto errors = invalid.json()->getArray("errors");
    for (std::size_t i = 0; i < errors->size(); ++i) {
        auto e = errors->getObject(static_cast<unsigned>(i));
        problems.insert(e->getValue<std::string>("path") + " " + e->getValue<std::string>("code"));
    }
    EXPECT_EQ(problems,
              (std::set<std::string>{"type field.choice", "year field.range",
                                     "title field.required", "group_name field.required",
                                     "member_count field.range", "leader field.control_character",
                                     "founded_on field.date", "x field.unknown"}));

    auto edited = admin->request("PUT", "/api/v1/qc/records/" + id, {{"If-Match", "\"1\""}},
                                 "application/json",
                                 R"({"year":2026,"title":"提升合格率","group_name":"包装一班",)"
                                 R"("member_count":13,"leader":"李四"})");
    ASSERT_EQ(edited.status, 200) << edited.body;
    EXPECT_EQ(edited.json()->getValue<int>("version"), 2);
    auto stale = admin->request(
        "PUT", "/api/v1/qc/records/" + id, {{"If-Match", "\"1\""}}, "application/json",
        R"({"year":2026,"title":"x","group_name":"y","member_count":1,"leader":"z"})");
    EXPECT_EQ(stale.status, 412);
    EXPECT_EQ(
        admin
            ->request(
                "PUT", "/api/v1/qc/records/" + id, {}, "application/json",
                R"({"type":"group","year":2026,"title":"x","group_name":"y","member_count":1,"leader":"z"})")
            .status,
        422);
    // Another organization's record is not found; staff and personal accounts are refused.
    EXPECT_EQ(codeOf(other->get("/api/v1/qc/records/" + id)), "qc.record_not_found");
    EXPECT_EQ(other->get("/api/v1/qc/records/" + id).status, 404);
    EXPECT_EQ(codeOf(personal->get("/api/v1/qc/records")), "organization.membership_required");
    auto list = records(*admin, "&type=team&year=2026");
    EXPECT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0], "提升合格率|包装一班||13|李四|");
}

TEST_F(QcTest, YearlyCountsAreSavedBesideWhatWasFiled) {
    auto empty = admin->get("/api/v1/qc/counts/2026");
    ASSERT_EQ(empty.status, 200) << empty.body;
    EXPECT_TRUE(empty.json()->isNull("groups"));
    auto saved = member->postJson("/api/v1/qc/counts/2026", R"({"groups":100,"teams":50})", "PUT");
    ASSERT_EQ(saved.status, 200) << saved.body;
    ASSERT_EQ(import(*admin, xlsxOf({{"#1", "甲", "乙", "", "#3", "丙", ""}})).status, 200);
    auto read = admin->get("/api/v1/qc/counts/2026");
    EXPECT_EQ(read.json()->getValue<int>("groups"), 100);
    EXPECT_EQ(read.json()->getValue<int>("teams"), 50);
    EXPECT_EQ(read.json()->getValue<int>("filed_groups"), 1);
    EXPECT_EQ(read.json()->getValue<int>("filed_teams"), 0);
    EXPECT_EQ(
        admin->postJson("/api/v1/qc/counts/2026", R"({"groups":-1,"teams":1.5})", "PUT").status,
        422);
    EXPECT_EQ(admin->get("/api/v1/qc/counts/1999").status, 422);
    EXPECT_TRUE(other->get("/api/v1/qc/counts/2026").json()->isNull("groups"));
}

TEST_F(QcTest, TheSummaryIsCsvWithBomAndInjectionSafeAndXlsx) {
    ASSERT_EQ(
        import(*admin,
               xlsxOf({{"#1", "=HYPERLINK(\"http://x\")", "-组, \"甲\"", "", "#3", "@丙", ""},
                       {"#2", "降低能耗", "攻关小组", "某某公司", "#6", "张三", "@2023-05-06"}}))
            .json()
            ->getValue<int>("imported"),
        2);
    auto csv = admin->get("/api/v1/qc/summary.csv?year=2026");
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(
        csv.body.find("序号,类型,成果名称,小组名称,所属企业,小组人数,组长,小组成立日期,来源\r\n"),
        std::string::npos);
    EXPECT_NE(
        csv.body.find(
            "1,小组,\"'=HYPERLINK(\"\"http://x\"\")\",\"'-组, \"\"甲\"\"\",,3,'@丙,,导入\r\n"),
        std::string::npos)
        << csv.body;
    EXPECT_NE(csv.body.find("2,小组,降低能耗,攻关小组,某某公司,6,张三,2023-05-06,导入\r\n"),
              std::string::npos);
    EXPECT_EQ(other->get("/api/v1/qc/summary.csv?year=2026").body.find("降低能耗"),
              std::string::npos);

    auto xlsx = admin->get("/api/v1/qc/summary.xlsx?year=2026");
    ASSERT_EQ(xlsx.status, 200);
    MemorySource bytes(xlsx.body);
    sheets::XlsxReader reader(bytes, {});
    std::size_t rows = 0;
    reader.readFirstSheet([&](const sheets::SheetRow&) { return ++rows > 0; });
    EXPECT_EQ(rows, 3u);

    // Reviewers read every organization's, with the organization's name; operators none.
    ASSERT_EQ(import(*other, xlsxOf({{"#1", "乙方成果", "乙方小组", "", "#3", "丁", ""}})).status,
              200);
    auto reviewer = world->staff(Role::Reviewer, "qcreview1", "13800000005");
    auto all = reviewer->get("/api/v1/qc/summary.csv?year=2026");
    ASSERT_EQ(all.status, 200);
    EXPECT_NE(all.body.find("申报单位,序号"), std::string::npos);
    EXPECT_NE(all.body.find("广州其他有限公司,"), std::string::npos);
    EXPECT_NE(all.body.find("中国石化某某分公司,"), std::string::npos);
    auto operatorAccount = world->staff(Role::Operator, "qcoperat1", "13800000006");
    EXPECT_EQ(operatorAccount->get("/api/v1/qc/summary.csv?year=2026").status, 403);
    EXPECT_EQ(reviewer->get("/api/v1/qc/summary.csv").status, 422);
}

}  // namespace
