// The organization filing (组织备案, seed 000) and its review, over HTTP against the real
// server on port 0. Runs on SQLite and on PostgreSQL (DOSSIER_TEST_BACKEND).
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "CreditCodes.h"
#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "Race.h"
#include "SampleFiles.h"
#include "ScanGenerator.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "TestWorld.h"
#include "dossier/app/Services.h"
#include "dossier/filing/FilingService.h"
#include "dossier/http/Server.h"

using namespace dossier;
using namespace dossier::test;

namespace {

/// A fixed time that moves on by a microsecond each time it is read, so the audit entries of
/// one test are ordered as they were written (their ids, made in the same millisecond, are
/// not). Thread-safe.
class SteppingClock final : public Clock {
  public:
    explicit SteppingClock(std::int64_t micros) : now_(micros) {}
    std::int64_t nowMicros() const override { return now_.fetch_add(1); }
    void set(std::int64_t micros) { now_.store(micros); }

  private:
    mutable std::atomic<std::int64_t> now_;
};

/// Microseconds of a UTC time.
std::int64_t utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return static_cast<std::int64_t>(timegm(&tm)) * 1'000'000;
}

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

std::string quote(const std::string& s) {
    Poco::JSON::Object o;
    o.set("v", s);
    std::ostringstream out;
    o.stringify(out);
    std::string text = out.str();
    return text.substr(5, text.size() - 6);
}

/// One year of the economic table, amounts written as given.
struct Year {
    std::string year, totalAssets = "1000.5", revenue = "800", otherRevenue = "20.25",
                      profit = "-12.5", tax = "30", employees = "120", evidence;
    std::string json() const {
        std::string o = "{\"year\":" + year + ",\"total_assets\":" + totalAssets +
                        ",\"revenue\":" + revenue + ",\"other_revenue\":" + otherRevenue +
                        ",\"profit\":" + profit + ",\"tax\":" + tax + ",\"employees\":" + employees;
        if (!evidence.empty()) o += ",\"evidence_document_id\":" + quote(evidence);
        return o + "}";
    }
};

class FilingTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        clock = std::make_shared<SteppingClock>(utc(2026, 6, 15, 2));  // Shanghai 2026-06-15
        services = app::Services::open(config, nullptr, clock);
        server = startInProcessServer(*services);
        world = std::make_unique<TestWorld>(*services, server->port());
        admin = world->admin("jingke01", "13800000001", kOrganization, kCreditCode, &adminId,
                             &orgId, "李明");
        ASSERT_FALSE(orgId.empty());
    }
    void TearDown() override {
        server->stop();
        services->checkRunner().stop();
    }

    static constexpr const char* kOrganization = "广州精科医学检验所有限公司";
    static constexpr const char* kCreditCode = "91440116MA59B21T31";

    std::string filingPath() const { return "/api/v1/organizations/" + orgId + "/filing"; }

    std::unique_ptr<HttpTestClient> staff(Role role, const std::string& username,
                                          const std::string& phone) {
        return world->staff(role, username, phone, "审核员");
    }
    /// Another organization's admin.
    std::unique_ptr<HttpTestClient> otherAdmin(int n, std::string* organizationId = nullptr) {
        return world->admin("other" + std::to_string(n), "1370000000" + std::to_string(n),
                            "其他公司" + std::to_string(n), makeCreditCode(n), nullptr,
                            organizationId);
    }
    /// A plain member of the organization (`organization` is the fixture admin's: a personal
    /// account whose join request that admin approved), or, with `organization` empty, a
    /// personal account of none.
    std::unique_ptr<HttpTestClient> memberOf(const std::string& organization, int n) {
        const std::string username = "member" + std::to_string(n),
                          phone = "1360000000" + std::to_string(n),
                          name = "成员" + std::to_string(n);
        if (organization.empty()) return world->personal(username, phone, nullptr, name);
        return world->member(*admin, organization, username, phone, nullptr, name);
    }

    std::string upload(HttpTestClient& c, const std::string& kind, const std::string& name) {
        return TestWorld::upload(
            c,
            kind == "license" ? readFile(fixturePath("real/yyzz_template_generator-tools.jpg"))
                              : makeTextPdf(1),
            name, kind);
    }

    /// Uploads a license and three evidence documents.
    void uploadDocuments() {
        license = upload(*admin, "license", "营业执照.jpg");
        for (int y = 0; y < 3; ++y) {
            evidence.push_back(upload(*admin, "evidence", "审计报告" + std::to_string(y) + ".pdf"));
        }
    }

    std::vector<Year> years(const std::vector<std::string>& list) {
        std::vector<Year> out;
        for (std::size_t i = 0; i < list.size(); ++i) {
            Year y;
            y.year = list[i];
            y.evidence = evidence.empty() ? "" : evidence[i % evidence.size()];
            out.push_back(y);
        }
        return out;
    }

    /// A complete filing body with `rows` and optional extra members (",\"k\":v").
    std::string draft(const std::vector<Year>& rows, const std::string& name = kOrganization,
                      const std::string& extra = "") {
        std::string economics;
        for (const auto& r : rows) economics += (economics.empty() ? "" : ",") + r.json();
        return "{\"name\":" + quote(name) + ",\"credit_code\":\"" + kCreditCode +
               "\",\"economic_type\":\"有限责任公司\",\"province\":\"44\",\"city\":\"4401\","
               "\"address\":\"广州国际生物岛螺旋四路7号第6层602单元\",\"industry\":\"84\","
               "\"quality_manager\":{\"name\":\"王芳\",\"phone\":\"020-12345678\"},"
               "\"organization_size\":\"中型\"," +
               (license.empty() ? "" : "\"license_document_id\":" + quote(license) + ",") +
               "\"economics\":[" + economics + "]" + extra + "}";
    }
    std::string fullDraft() { return draft(years({"2023", "2024", "2025"})); }

    HttpResult put(HttpTestClient& c, const std::string& body,
                   const std::map<std::string, std::string>& headers = {}) {
        return c.request("PUT", filingPath(), headers, "application/json", body);
    }
    HttpResult submit(HttpTestClient& c) { return c.request("POST", filingPath() + "/submit"); }

    static void expectProblem(const HttpResult& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.header("Content-Type"), "application/problem+json") << r.body;
        if (r.status == status) {
            EXPECT_EQ(r.json()->getValue<std::string>("code"), code) << r.body;
        }
    }
    /// The {path → codes} of a validation.failed answer.
    static std::multimap<std::string, std::string> problems(const HttpResult& r) {
        std::multimap<std::string, std::string> out;
        EXPECT_EQ(r.status, 422) << r.body;
        if (r.status != 422) return out;
        EXPECT_EQ(r.json()->getValue<std::string>("code"), "validation.failed");
        auto errors = r.json()->getArray("errors");
        for (std::size_t i = 0; errors && i < errors->size(); ++i) {
            auto e = errors->getObject(static_cast<unsigned>(i));
            EXPECT_FALSE(e->getValue<std::string>("message").empty());
            out.emplace(e->getValue<std::string>("path"), e->getValue<std::string>("code"));
        }
        return out;
    }
    static bool has(const std::multimap<std::string, std::string>& p, const std::string& path,
                    const std::string& code) {
        auto [a, b] = p.equal_range(path);
        for (auto it = a; it != b; ++it) {
            if (it->second == code) return true;
        }
        return false;
    }
    static std::string describe(const std::multimap<std::string, std::string>& p) {
        std::string out;
        for (const auto& [k, v] : p) out += k + "=" + v + " ";
        return out;
    }

    /// Saves the complete draft and submits it; returns the filing id.
    std::string submitted() {
        if (license.empty()) uploadDocuments();
        auto saved = put(*admin, fullDraft());
        EXPECT_EQ(saved.status, 200) << saved.body;
        auto r = submit(*admin);
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json()->getValue<std::string>("id");
    }

    /// Waits (60 s at most) until no check is pending or running.
    void waitForChecks() {
        for (int i = 0; i < 600; ++i) {
            if (testDb
                    .queryTexts("SELECT check_name FROM checks WHERE state IN ('pending', "
                                "'running')")
                    .empty()) {
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ADD_FAILURE() << "checks still pending after 60 s";
    }

    std::vector<std::string> auditActions(const std::string& filingId) {
        return testDb.queryTexts("SELECT action FROM audit_log WHERE target = 'filing:" + filingId +
                                 "' ORDER BY at_us, id");
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::shared_ptr<SteppingClock> clock;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<TestWorld> world;  // its people: admins, personal accounts, members, staff
    std::unique_ptr<HttpTestClient> admin;
    std::string orgId, adminId, license;
    std::vector<std::string> evidence;
};

TEST_F(FilingTest, BeforeAnythingIsSavedTheRegisteredNameAndCodeArePrefilled) {
    auto r = admin->get(filingPath());
    ASSERT_EQ(r.status, 200) << r.body;
    auto o = r.json();
    EXPECT_EQ(o->getValue<std::string>("state"), "none");
    EXPECT_EQ(o->getObject("data")->getValue<std::string>("name"), kOrganization);
    EXPECT_EQ(o->getObject("data")->getValue<std::string>("credit_code"), kCreditCode);
    EXPECT_TRUE(o->isNull("approved"));
    EXPECT_EQ(r.header("ETag"), "");
}

TEST_F(FilingTest, DraftsTakePartialDataAndKeepAmountsExact) {
    auto r = put(*admin, R"({"name":"精科","economics":[{"year":2024,"revenue":0.3,
        "total_assets":0.1,"other_revenue":1234567890.12,"profit":-12.5,"tax":7}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getValue<std::string>("state"), "draft");
    EXPECT_EQ(r.json()->getValue<int>("version"), 1);
    EXPECT_FALSE(r.header("ETag").empty());
    // Read back as the same decimals: never 0.30000000000000004 or 0.29999999999999999.
    auto back = admin->get(filingPath());
    ASSERT_EQ(back.status, 200);
    EXPECT_NE(back.body.find("\"revenue\":0.3,"), std::string::npos) << back.body;
    EXPECT_NE(back.body.find("\"total_assets\":0.1,"), std::string::npos) << back.body;
    EXPECT_NE(back.body.find("\"other_revenue\":1234567890.12,"), std::string::npos) << back.body;
    EXPECT_NE(back.body.find("\"profit\":-12.5,"), std::string::npos) << back.body;
    EXPECT_NE(back.body.find("\"tax\":7,"), std::string::npos) << back.body;
    EXPECT_EQ(back.json()->getObject("data")->getValue<std::string>("credit_code"), kCreditCode);
    EXPECT_TRUE(back.json()->getObject("data")->isNull("province"));
    EXPECT_EQ(back.header("ETag"), r.header("ETag"));
    EXPECT_EQ(back.header("Cache-Control"), "no-store");
}

TEST_F(FilingTest, DraftRefusesEveryBadValueAtOnceAndStoresNothing) {
    std::string otherOrg;
    auto other = otherAdmin(1, &otherOrg);
    std::string foreign = upload(*other, "evidence", "别人的.pdf");
    std::string proof = upload(*admin, "evidence", "不是执照.pdf");
    auto r = put(*admin, "{\"name\":" + quote(repeat("𠮷", 101)) + ",\"credit_code\":\"" +
                             makeCreditCode(7) +
                             "\",\"economic_type\":\"国营\",\"province\":\"99\","
                             "\"city\":\"1101\",\"address\":123,\"industry\":\"B\","
                             "\"quality_manager\":{\"name\":\"王\\u0007芳\",\"phone\":\"12345\","
                             "\"email\":\"x@y.cn\"},\"organization_size\":\"巨型\","
                             "\"license_document_id\":" +
                             quote(proof) +
                             ",\"economics\":[{\"year\":\"2024\",\"revenue\":-1,"
                             "\"total_assets\":1.234,\"profit\":10000000000.01,\"tax\":\"3\","
                             "\"employees\":1.5,\"evidence_document_id\":" +
                             quote(foreign) + ",\"extra\":1},7],\"seal\":true}");
    auto p = problems(r);
    for (auto [path, code] : std::vector<std::pair<std::string, std::string>>{
             {"name", "field.too_long"},
             {"credit_code", "field.read_only"},
             {"economic_type", "field.not_in_list"},
             {"province", "field.not_in_list"},
             {"address", "field.type"},
             {"industry", "field.not_in_list"},  // a section, not a division
             {"quality_manager.name", "field.control_character"},
             {"quality_manager.phone", "field.telephone"},
             {"quality_manager.email", "field.unknown"},
             {"organization_size", "field.not_in_list"},
             {"license_document_id", "field.document_kind"},
             {"economics[0].year", "field.type"},
             {"economics[0].revenue", "field.range"},
             {"economics[0].total_assets", "field.decimals"},
             {"economics[0].profit", "field.range"},
             {"economics[0].tax", "field.type"},
             {"economics[0].employees", "field.not_an_integer"},
             {"economics[0].evidence_document_id", "field.document_not_found"},
             {"economics[0].extra", "field.unknown"},
             {"economics[1]", "field.type"},
             {"seal", "field.unknown"},
         }) {
        EXPECT_TRUE(has(p, path, code)) << path << " " << code << ": " << describe(p);
    }
    EXPECT_EQ(admin->get(filingPath()).json()->getValue<std::string>("state"), "none");
    EXPECT_TRUE(testDb.queryTexts("SELECT id FROM filings").empty());
}

TEST_F(FilingTest, BoundariesOfLengthsDecimalsAndSigns) {
    // 100 characters (400 bytes of 𠮷) pass, 101 do not; blanks around are not counted.
    EXPECT_EQ(put(*admin, "{\"name\":" + quote("  " + repeat("𠮷", 100) + "　") + "}").status, 200);
    EXPECT_TRUE(has(problems(put(*admin, "{\"name\":" + quote(repeat("𠮷", 101)) + "}")), "name",
                    "field.too_long"));
    EXPECT_EQ(put(*admin, "{\"address\":" + quote(repeat("址", 200)) + "}").status, 200);
    EXPECT_TRUE(has(problems(put(*admin, "{\"address\":" + quote(repeat("址", 201)) + "}")),
                    "address", "field.too_long"));
    // Two decimals pass, three do not; a loss is a negative profit, never a negative revenue.
    EXPECT_EQ(put(*admin, R"({"economics":[{"year":2024,"revenue":12.34,"profit":-0.01}]})").status,
              200);
    auto p = problems(put(*admin, R"({"economics":[{"year":2024,"revenue":12.345,"profit":-1,
        "tax":-0.01,"employees":-1}]})"));
    EXPECT_TRUE(has(p, "economics[0].revenue", "field.decimals")) << describe(p);
    EXPECT_TRUE(has(p, "economics[0].tax", "field.range")) << describe(p);
    EXPECT_TRUE(has(p, "economics[0].employees", "field.range")) << describe(p);
    EXPECT_FALSE(p.count("economics[0].profit")) << describe(p);
    // The upper bound: 100 万亿元 (10,000,000,000 万元) is the most, one hundredth more is not.
    EXPECT_EQ(put(*admin, R"({"economics":[{"year":2024,"total_assets":10000000000}]})").status,
              200);
    EXPECT_TRUE(
        has(problems(put(*admin, R"({"economics":[{"year":2024,"total_assets":10000000000.01}]})")),
            "economics[0].total_assets", "field.range"));
    EXPECT_TRUE(has(
        problems(put(*admin, R"({"economics":[{"year":2024,"revenue":18446744073709551615}]})")),
        "economics[0].revenue", "field.range"));
    // A whole number written 4.0 is whole; the city lies in its province.
    EXPECT_EQ(
        put(*admin, R"({"province":"44","city":"4403","economics":[{"employees":4.0}]})").status,
        200);
    EXPECT_TRUE(has(problems(put(*admin, R"({"province":"11","city":"4403"})")), "city",
                    "field.not_in_province"));
    EXPECT_TRUE(has(problems(put(*admin, R"({"quality_manager":"王芳"})")), "quality_manager",
                    "field.type"));
    std::string eleven = "[" + repeat(R"({"year":2020},)", 10) + R"({"year":2020}])";
    EXPECT_TRUE(has(problems(put(*admin, "{\"economics\":" + eleven + "}")), "economics",
                    "field.too_many"));
    for (const char* phone : {"13812345678", "020-12345678", "(0755)1234567", "0755-1234567-8001",
                              "400-123-4567", "12345678"}) {
        EXPECT_EQ(
            put(*admin, "{\"quality_manager\":{\"phone\":\"" + std::string(phone) + "\"}}").status,
            200)
            << phone;
    }
    for (const char* phone : {"1381234567", "020-1234", "电话", "+86 138 1234 5678x"}) {
        EXPECT_TRUE(
            has(problems(put(*admin, "{\"quality_manager\":{\"phone\":" + quote(phone) + "}}")),
                "quality_manager.phone", "field.telephone"))
            << phone;
    }
}

// Amounts and whole numbers are judged on the number's text, not on the double a parser
// makes of it: 0.10000000000000001 reads as 0.1 and 1e-400 as 0, but neither has two decimals.
TEST_F(FilingTest, AmountsAndWholeNumbersAreJudgedOnTheNumbersText) {
    auto row = [](const std::string& member) {
        return R"({"economics":[{"year":2024,)" + member + "}]}";
    };
    for (const char* amount : {"0.10000000000000001", "1e-400", "0.125", "1.5e-2", "-1e-3"}) {
        auto p = problems(put(*admin, row(std::string("\"profit\":") + amount)));
        EXPECT_TRUE(has(p, "economics[0].profit", "field.decimals"))
            << amount << " " << describe(p);
    }
    EXPECT_TRUE(has(problems(put(*admin, row("\"revenue\":1e-400"))), "economics[0].revenue",
                    "field.decimals"));
    // Other spellings of two decimals or fewer are the amounts they stand for.
    for (const auto& [amount, stored] :
         std::vector<std::pair<std::string, std::string>>{{"100.0", "100"},
                                                          {"1.230", "1.23"},
                                                          {"1.5e1", "15"},
                                                          {"12345e-2", "123.45"},
                                                          {"0e-400", "0"}}) {
        auto r = put(*admin, row("\"revenue\":" + amount));
        ASSERT_EQ(r.status, 200) << amount << " " << r.body;
        EXPECT_NE(r.body.find("\"revenue\":" + stored + ","), std::string::npos)
            << amount << " " << r.body;
    }
    // Whole numbers: 120.0 and 1.2e2 are 120; 120.5 and 120.00000000000001 (a double reads
    // 120) are not whole.
    for (const char* employees : {"120.0", "1.2e2", "120"}) {
        auto r = put(*admin, row(std::string("\"employees\":") + employees));
        ASSERT_EQ(r.status, 200) << employees << " " << r.body;
        EXPECT_NE(r.body.find("\"employees\":120"), std::string::npos) << r.body;
    }
    for (const char* employees : {"120.5", "120.00000000000001", "1.205e2"}) {
        auto p = problems(put(*admin, row(std::string("\"employees\":") + employees)));
        EXPECT_TRUE(has(p, "economics[0].employees", "field.not_an_integer"))
            << employees << " " << describe(p);
    }
    EXPECT_TRUE(has(problems(put(*admin, R"({"economics":[{"year":2024.0000000000001}]})")),
                    "economics[0].year", "field.not_an_integer"));
}

// A member named twice in one object is refused, wherever it is: the parser would keep the
// last one silently.
TEST_F(FilingTest, AMemberNamedTwiceIsRefused) {
    auto r = put(*admin, R"({"name":"甲公司","address":"x","name":"乙公司"})");
    expectProblem(r, 400, "request.malformed");
    EXPECT_NE(r.body.find("name"), std::string::npos) << r.body;
    r = put(*admin, R"({"economics":[{"year":2024,"revenue":1,"revenue":2}]})");
    expectProblem(r, 400, "request.malformed");
    EXPECT_NE(r.body.find("economics[0]"), std::string::npos) << r.body;
    // Escapes are read first: "\u006eame" is name.
    expectProblem(put(*admin, R"({"name":"甲","\u006eame":"乙"})"), 400, "request.malformed");
    EXPECT_TRUE(testDb.queryTexts("SELECT id FROM filings").empty());
    // A reviewer's decision body too.
    std::string id = submitted();
    auto reviewer = staff(Role::Reviewer, "review01", "13900000001");
    expectProblem(reviewer->postJson("/api/v1/filings/" + id + "/reject",
                                     R"({"reasons":["license_unreadable"],"reasons":[]})"),
                  400, "request.malformed");
    EXPECT_EQ(testDb.queryTexts("SELECT state FROM filings"),
              std::vector<std::string>{"submitted"});
}

// The reviewers' list: a control character in a filter is refused, never a filter that
// matches every name; a parameter given twice is refused, not read first-wins.
TEST_F(FilingTest, TheReviewerListRefusesControlCharactersAndRepeatedParameters) {
    submitted();
    auto reviewer = staff(Role::Reviewer, "review01", "13900000001");
    auto total = [&](const std::string& query) {
        auto r = reviewer->get("/api/v1/filings" + query);
        EXPECT_EQ(r.status, 200) << query << " " << r.body;
        return r.status == 200 ? r.json()->getValue<int>("total") : -1;
    };
    EXPECT_EQ(total(""), 1);
    EXPECT_EQ(total("?name=%E7%B2%BE%E7%A7%91"), 1);  // 精科
    EXPECT_EQ(total("?name=%E4%B9%99"), 0);           // 乙
    for (const char* query : {"?name=%00", "?name=%E7%B2%BE%00", "?name=%0A", "?name=%1F",
                              "?name=%7F", "?name=%C2%85", "?province=%00", "?state=%09"}) {
        expectProblem(reviewer->get(std::string("/api/v1/filings") + query), 400,
                      "request.malformed");
    }
    for (const char* query : {"?page=1&page=2", "?name=a&name=b", "?state=submitted&state=approved",
                              "?per_page=10&per_page=10"}) {
        auto r = reviewer->get(std::string("/api/v1/filings") + query);
        expectProblem(r, 400, "request.malformed");
        EXPECT_NE(r.body.find("twice"), std::string::npos) << r.body;
    }
    // Parameters the route does not define are ignored (a cache-buster, say).
    EXPECT_EQ(total("?_=1700000000&unknown=x"), 1);
}

TEST_F(FilingTest, RareCharactersAndSqlMetacharactersAreJustText) {
    const std::string tricky = "𠮷'; DROP TABLE filings;-- %_!\\\"";
    auto r = put(*admin, "{\"name\":" + quote(tricky) + ",\"address\":" + quote(tricky) +
                             ",\"quality_manager\":{\"name\":" + quote(tricky) + "}}");
    ASSERT_EQ(r.status, 200) << r.body;
    auto data = admin->get(filingPath()).json()->getObject("data");
    EXPECT_EQ(data->getValue<std::string>("name"), tricky);
    EXPECT_EQ(data->getValue<std::string>("address"), tricky);
    EXPECT_EQ(data->getObject("quality_manager")->getValue<std::string>("name"), tricky);
    // Codes and document ids with SQL in them are refused as values, not run.
    auto p = problems(
        put(*admin, R"({"province":"44' OR '1'='1","license_document_id":"x' OR 1=1--"})"));
    EXPECT_TRUE(has(p, "province", "field.not_in_list")) << describe(p);
    EXPECT_TRUE(has(p, "license_document_id", "field.document_not_found")) << describe(p);
    EXPECT_EQ(testDb.queryTexts("SELECT name FROM filings"), std::vector<std::string>{tricky});
}

TEST_F(FilingTest, OversizedAndMalformedBodiesAreRefused) {
    // 64 KB is the limit.
    std::string big = "{\"name\":\"" + std::string(70 * 1024, 'a') + "\"}";
    expectProblem(put(*admin, big), 413, "request.too_large");
    expectProblem(put(*admin, "[1,2]"), 400, "request.malformed");
    expectProblem(put(*admin, "{\"name\":"), 400, "request.malformed");
    expectProblem(admin->request("PUT", filingPath(), {}, "text/plain", "{}"), 415,
                  "request.unsupported_media_type");
    expectProblem(put(*admin, R"({"economics":[{"revenue":1e400}]})"), 422,
                  "request.number_out_of_range");
    // A 16 KB draft (the benchmark's: every character \u-escaped, indented) fits.
    std::string padded = "{\"name\":\"" + repeat("\\u7cbe", 100) + "\"," +
                         std::string(16 * 1024, ' ') + "\"address\":\"x\"}";
    EXPECT_EQ(put(*admin, padded).status, 200);
}

TEST_F(FilingTest, WhoMayReadAndWhoMayFile) {
    uploadDocuments();
    ASSERT_EQ(put(*admin, fullDraft()).status, 200);
    auto member = memberOf(orgId, 1);
    auto personal = memberOf("", 2);
    std::string otherOrg;
    auto other = otherAdmin(3, &otherOrg);
    auto reviewer = staff(Role::Reviewer, "review01", "13900000001");
    auto operatorClient = staff(Role::Operator, "operate01", "13900000002");
    HttpTestClient anonymous(server->port());

    EXPECT_EQ(member->get(filingPath()).status, 200);
    expectProblem(put(*member, fullDraft()), 403, "auth.forbidden");
    expectProblem(submit(*member), 403, "auth.forbidden");
    expectProblem(other->get(filingPath()), 404, "organization.not_found");
    expectProblem(put(*other, "{}"), 404, "organization.not_found");
    expectProblem(submit(*other), 404, "organization.not_found");
    // An organization id that does not exist answers the same as another's.
    expectProblem(admin->get("/api/v1/organizations/01J0000000000000000000000/filing"), 404,
                  "organization.not_found");
    expectProblem(personal->get(filingPath()), 403, "organization.membership_required");
    expectProblem(put(*personal, "{}"), 403, "organization.membership_required");
    expectProblem(reviewer->get(filingPath()), 403, "auth.forbidden");
    expectProblem(put(*operatorClient, "{}"), 403, "auth.forbidden");
    expectProblem(anonymous.get(filingPath()), 401, "auth.required");
    // The reviewers' routes refuse applicants and other staff.
    for (auto* c : {admin.get(), member.get(), operatorClient.get()}) {
        expectProblem(c->get("/api/v1/filings"), 403, "auth.forbidden");
    }
    expectProblem(anonymous.get("/api/v1/filings"), 401, "auth.required");
    EXPECT_EQ(admin->get(filingPath()).json()->getObject("data")->getValue<std::string>("name"),
              kOrganization);
}

TEST_F(FilingTest, IfMatchKeepsTwoTabsFromOverwritingEachOther) {
    auto first = put(*admin, R"({"name":"第一版"})");
    ASSERT_EQ(first.status, 200);
    std::string tag = first.header("ETag");
    auto second = put(*admin, R"({"name":"第二版"})", {{"If-Match", tag}});
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_NE(second.header("ETag"), tag);
    // The other tab still holds the first tag.
    expectProblem(put(*admin, R"({"name":"旧标签"})", {{"If-Match", tag}}), 412,
                  "request.precondition_failed");
    EXPECT_EQ(admin->get(filingPath()).json()->getObject("data")->getValue<std::string>("name"),
              "第二版");
    expectProblem(admin->request("POST", filingPath() + "/submit", {{"If-Match", tag}}), 412,
                  "request.precondition_failed");
}

TEST_F(FilingTest, SubmitListsEveryMissingPieceAtOnce) {
    expectProblem(submit(*admin), 404, "filing.not_found");
    ASSERT_EQ(put(*admin, R"({"name":"精科","economics":[{"year":2024}]})").status, 200);
    auto p = problems(submit(*admin));
    for (auto [path, code] : std::vector<std::pair<std::string, std::string>>{
             {"economic_type", "field.required"},
             {"province", "field.required"},
             {"address", "field.required"},
             {"industry", "field.required"},
             {"quality_manager.name", "field.required"},
             {"quality_manager.phone", "field.required"},
             {"organization_size", "field.required"},
             {"license_document_id", "field.required"},
             {"economics", "field.too_few"},
             {"economics", "field.year_missing"},
             {"economics[0].revenue", "field.required"},
             {"economics[0].employees", "field.required"},
             {"economics[0].evidence_document_id", "field.required"},
         }) {
        EXPECT_TRUE(has(p, path, code)) << path << " " << code << ": " << describe(p);
    }
    EXPECT_FALSE(p.count("name"));
    EXPECT_EQ(admin->get(filingPath()).json()->getValue<std::string>("state"), "draft");
}

TEST_F(FilingTest, SubmitNeedsExactlyTheThreeYearsBeforeIt) {
    uploadDocuments();
    // The clock says 2026 in Shanghai: 2023, 2024 and 2025.
    auto check = [&](const std::vector<std::string>& list) {
        EXPECT_EQ(put(*admin, draft(years(list))).status, 200);
        return problems(submit(*admin));
    };
    auto two = check({"2024", "2025"});
    EXPECT_TRUE(has(two, "economics", "field.too_few")) << describe(two);
    EXPECT_TRUE(has(two, "economics", "field.year_missing")) << describe(two);
    auto four = check({"2022", "2023", "2024", "2025"});
    EXPECT_TRUE(has(four, "economics", "field.too_many")) << describe(four);
    EXPECT_TRUE(has(four, "economics[0].year", "field.year")) << describe(four);
    auto gap = check({"2022", "2024", "2025"});
    EXPECT_TRUE(has(gap, "economics[0].year", "field.year")) << describe(gap);
    EXPECT_TRUE(has(gap, "economics", "field.year_missing")) << describe(gap);
    auto twice = check({"2023", "2024", "2024"});
    EXPECT_TRUE(has(twice, "economics[2].year", "field.duplicate")) << describe(twice);
    EXPECT_TRUE(has(twice, "economics", "field.year_missing")) << describe(twice);
    // Any order is fine.
    EXPECT_EQ(put(*admin, draft(years({"2025", "2023", "2024"}))).status, 200);
    EXPECT_EQ(submit(*admin).status, 200);
}

TEST_F(FilingTest, TheYearsTurnAtShanghaiMidnightNotUtc) {
    uploadDocuments();
    ASSERT_EQ(put(*admin, draft(years({"2022", "2023", "2024"}))).status, 200);
    // 16:00 UTC on 31 December is 00:00 on 1 January in Shanghai: 2025 has ended there.
    clock->set(utc(2025, 12, 31, 16));
    auto p = problems(submit(*admin));
    EXPECT_TRUE(has(p, "economics[0].year", "field.year")) << describe(p);
    EXPECT_TRUE(has(p, "economics", "field.year_missing")) << describe(p);
    // A millisecond earlier it is still 2025 in Shanghai: 2022–2024 are the years.
    clock->set(utc(2025, 12, 31, 15, 59, 59) + 999'000);
    auto r = submit(*admin);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()->getValue<std::string>("state"), "submitted");
}

TEST_F(FilingTest, SubmissionRecordsTheAccountAndTheDocumentsInUse) {
    uploadDocuments();
    EXPECT_EQ(testDb.queryTexts("SELECT COALESCE(CAST(first_submission_us AS TEXT), 'none') FROM "
                                "accounts WHERE id = '" +
                                adminId + "'"),
              std::vector<std::string>{"none"});
    std::int64_t before = clock->nowMicros();
    std::string id = submitted();
    auto stored = testDb.queryTexts(
        "SELECT CAST(first_submission_us AS TEXT) FROM accounts WHERE id = '" + adminId + "'");
    ASSERT_EQ(stored.size(), 1u);
    std::int64_t first = std::stoll(stored[0]);
    EXPECT_GT(first, before);
    EXPECT_LT(first, clock->nowMicros());
    auto uses =
        testDb.queryTexts("SELECT document_id FROM document_uses WHERE used_by = 'filing:" + id +
                          "' ORDER BY document_id");
    std::vector<std::string> expected{license, evidence[0], evidence[1], evidence[2]};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(uses, expected);
    // The database itself refuses to delete a document in use (SQLite: with the foreign keys
    // Dossier's connections turn on).
    EXPECT_ANY_THROW(testDb.exec(
        std::string(testDb.url().rfind("sqlite", 0) == 0 ? "PRAGMA foreign_keys = ON; " : "") +
        "DELETE FROM documents WHERE id = '" + license + "'"));
    // A second submission (after a rejection) keeps the first time.
    auto reviewer = staff(Role::Reviewer, "review01", "13900000001");
    ASSERT_EQ(reviewer
                  ->postJson("/api/v1/filings/" + id + "/reject",
                             R"({"reasons":["economic_data_incomplete"]})")
                  .status,
              200);
    clock->set(first + 3'600'000'000LL);
    ASSERT_EQ(submit(*admin).status, 200);
    EXPECT_EQ(
        testDb.queryTexts("SELECT CAST(first_submission_us AS TEXT) FROM accounts WHERE id = '" +
                          adminId + "'"),
        stored);
}

// A submit that passed authentication before its account deregistered (the sole admin of an
// organization without members may) records nothing: the database refuses to mark a
// deregistered account as having submitted, and the whole submit rolls back.
TEST_F(FilingTest, ASubmitByADeregisteredAccountChangesNothing) {
    uploadDocuments();
    ASSERT_EQ(put(*admin, fullDraft()).status, 200);
    Viewer viewer;  // what the server knew of the admin when its request was authenticated
    viewer.accountId = adminId;
    viewer.username = "jingke01";
    viewer.organizationId = orgId;
    viewer.organizationAdmin = true;
    const std::string password =
        std::string(R"({"password":")") + HttpTestClient::kTestPassword + "\"}";
    ASSERT_EQ(admin->postJson("/api/v1/me/deregister", password).status, 204);
    try {
        services->filings().submit(viewer, orgId, "");
        ADD_FAILURE() << "a deregistered account submitted the filing";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), codes::kAuthRequired) << e.message();
    }
    EXPECT_EQ(testDb.queryTexts("SELECT state FROM filings"), std::vector<std::string>{"draft"});
    EXPECT_EQ(testDb.queryTexts("SELECT COALESCE(CAST(first_submission_us AS TEXT), 'none') "
                                "FROM accounts WHERE id = '" +
                                adminId + "'"),
              std::vector<std::string>{"none"});
    EXPECT_TRUE(
        testDb.queryTexts("SELECT id FROM audit_log WHERE action = 'filing.submitted'").empty());
}

// The same over HTTP, with threads: either the submit comes first (200; the deregistration is
// refused, 409 account.has_history) or the deregistration does (204; the submit is refused,
// 401, by the session check or by the database), never both.
TEST_F(FilingTest, ASubmitRacingItsAccountsDeregistrationHasOneWinner) {
    const std::string password =
        std::string(R"({"password":")") + HttpTestClient::kTestPassword + "\"}";
    std::map<std::string, int> outcomes;
    for (int round = 0; round < 8; ++round) {
        std::string code = makeCreditCode(40 + round), org, id;
        auto c = world->admin("racer" + std::to_string(10 + round),
                              "1350000000" + std::to_string(round), kOrganization, code, &id, &org);
        ASSERT_FALSE(org.empty());
        license = upload(*c, "license", "营业执照.jpg");
        evidence.clear();
        for (int y = 0; y < 3; ++y) evidence.push_back(upload(*c, "evidence", "审计报告.pdf"));
        std::string body = fullDraft();
        body.replace(body.find(kCreditCode), std::string(kCreditCode).size(), code);
        const std::string path = "/api/v1/organizations/" + org + "/filing";
        ASSERT_EQ(c->request("PUT", path, {}, "application/json", body).status, 200);
        // A second connection of the same session: the two requests run side by side.
        auto c2 = world->client();
        c2->setBearer(c->bearer());
        int submitted = 0, deregistered = 0;
        raceInTurns(
            round, [&] { submitted = c2->request("POST", path + "/submit").status; },
            [&] { deregistered = c->postJson("/api/v1/me/deregister", password).status; });
        ++outcomes[std::to_string(submitted) + "/" + std::to_string(deregistered)];
        auto state =
            testDb.queryTexts("SELECT state FROM filings WHERE organization_id = '" + org + "'");
        auto first = testDb.queryTexts(
            "SELECT COALESCE(CAST(first_submission_us AS TEXT), 'none') FROM accounts "
            "WHERE id = '" +
            id + "'");
        if (submitted == 200) {
            EXPECT_EQ(deregistered, 409) << "round " << round;
            EXPECT_EQ(state, std::vector<std::string>{"submitted"});
            EXPECT_NE(first, std::vector<std::string>{"none"});
        } else {
            EXPECT_EQ(submitted, 401) << "round " << round;
            EXPECT_EQ(deregistered, 204) << "round " << round;
            EXPECT_EQ(state, std::vector<std::string>{"draft"});
            EXPECT_EQ(first, std::vector<std::string>{"none"});
        }
    }
    for (const auto& [pair, n] : outcomes) std::cout << pair << ": " << n << " rounds\n";
}

TEST_F(FilingTest, DraftsHoldTheirDocumentsInUseAndLetThemGo) {
    uploadDocuments();
    ASSERT_EQ(put(*admin, fullDraft()).status, 200);
    auto uses = [&] {
        return testDb.queryTexts("SELECT document_id FROM document_uses ORDER BY document_id");
    };
    EXPECT_EQ(uses().size(), 4u);
    // A save that no longer names a document lets it go (it may be deleted again).
    ASSERT_EQ(put(*admin, R"({"name":"精科"})").status, 200);
    EXPECT_TRUE(uses().empty());
}

TEST_F(FilingTest, ReviewersRejectWithReasonsAndTheApplicantResubmits) {
    std::string id = submitted();
    auto reviewer = staff(Role::Reviewer, "review01", "13900000001");
    expectProblem(put(*admin, fullDraft()), 409, "filing.not_editable");
    expectProblem(submit(*admin), 409, "filing.state_conflict");

    auto list = reviewer->get("/api/v1/filings?state=submitted");
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.json()->getValue<int>("total"), 1);
    EXPECT_EQ(list.json()->getArray("items")->getObject(0)->getValue<std::string>("id"), id);
    EXPECT_FALSE(list.header("Server-Timing").empty());

    // Reasons are codes of the list, at least one.
    auto p = problems(reviewer->postJson("/api/v1/filings/" + id + "/reject", R"({"reasons":[]})"));
    EXPECT_TRUE(has(p, "reasons", "field.too_few")) << describe(p);
    p = problems(reviewer->postJson("/api/v1/filings/" + id + "/reject",
                                    R"({"reasons":["no_such_reason",7],"why":"x"})"));
    EXPECT_TRUE(has(p, "reasons[0]", "field.not_in_list")) << describe(p);
    EXPECT_TRUE(has(p, "reasons[1]", "field.type")) << describe(p);
    EXPECT_TRUE(has(p, "why", "field.unknown")) << describe(p);
    // A reason twice, a bell in the comment, a comment over 2000 characters; an approval
    // names no reasons.
    p = problems(reviewer->postJson("/api/v1/filings/" + id + "/reject",
                                    R"({"reasons":["other","other"],"comment":"看\u0007"})"));
    EXPECT_TRUE(has(p, "reasons[1]", "field.duplicate")) << describe(p);
    EXPECT_TRUE(has(p, "comment", "field.control_character")) << describe(p);
    p = problems(
        reviewer->postJson("/api/v1/filings/" + id + "/reject",
                           R"({"reasons":["other"],"comment":")" + std::string(2001, 'y') + "\"}"));
    EXPECT_TRUE(has(p, "comment", "field.too_long")) << describe(p);
    p = problems(
        reviewer->postJson("/api/v1/filings/" + id + "/approve", R"({"reasons":["other"]})"));
    EXPECT_TRUE(has(p, "reasons", "field.unknown")) << describe(p);
    expectProblem(admin->postJson("/api/v1/filings/" + id + "/reject", R"({"reasons":["other"]})"),
                  403, "auth.forbidden");

    // Line breaks are kept in a comment (CRLF read as LF).
    const std::string comment = "请补充2023年审计报告；\n名称与执照不符 𠮷'--";
    auto rejected = reviewer->postJson(
        "/api/v1/filings/" + id + "/reject",
        R"({"reasons":["name_differs_from_license","evidence_missing_for_year"],"comment":)" +
            quote("请补充2023年审计报告；\r\n名称与执照不符 𠮷'--") + "}");
    ASSERT_EQ(rejected.status, 200) << rejected.body;
    EXPECT_EQ(rejected.json()->getValue<std::string>("state"), "rejected");
    expectProblem(reviewer->postJson("/api/v1/filings/" + id + "/approve", "{}"), 409,
                  "filing.state_conflict");

    // The applicant sees the state, the reasons with their labels, and the history.
    auto mine = admin->get(filingPath()).json();
    EXPECT_EQ(mine->getValue<std::string>("state"), "rejected");
    auto reasons = mine->getObject("review")->getArray("reasons");
    ASSERT_EQ(reasons->size(), 2u);
    EXPECT_EQ(reasons->getObject(0)->getValue<std::string>("code"), "name_differs_from_license");
    EXPECT_EQ(reasons->getObject(0)->getValue<std::string>("label"), "组织名称与营业执照不一致");
    EXPECT_EQ(mine->getObject("review")->getValue<std::string>("comment"), comment);
    auto history = mine->getArray("history");
    ASSERT_EQ(history->size(), 3u) << mine->getArray("history")->size();
    EXPECT_EQ(history->getObject(0)->getValue<std::string>("action"), "filing.draft_created");
    EXPECT_EQ(history->getObject(1)->getValue<std::string>("action"), "filing.submitted");
    auto decision = history->getObject(2);
    EXPECT_EQ(decision->getValue<std::string>("action"), "filing.rejected");
    EXPECT_EQ(decision->getObject("details")->getValue<std::string>("before"), "submitted");
    EXPECT_EQ(decision->getObject("details")->getValue<std::string>("after"), "rejected");
    EXPECT_EQ(decision->getObject("details")->getArray("reasons")->size(), 2u);

    // Edited (a draft again) and resubmitted: the same version, decided anew.
    auto edited = put(*admin, draft(years({"2023", "2024", "2025"}), "广州精科医学检验所有限公司"));
    ASSERT_EQ(edited.status, 200);
    EXPECT_EQ(edited.json()->getValue<std::string>("state"), "draft");
    EXPECT_EQ(edited.json()->getValue<int>("version"), 1);
    ASSERT_EQ(submit(*admin).status, 200);
    auto approved = reviewer->postJson("/api/v1/filings/" + id + "/approve", "{}");
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(approved.json()->getValue<std::string>("state"), "approved");
    EXPECT_EQ(services->filings().approvedFiling(orgId)->id, id);

    EXPECT_EQ(auditActions(id), (std::vector<std::string>{
                                    "filing.draft_created", "filing.submitted", "filing.rejected",
                                    "filing.reopened", "filing.submitted", "filing.approved"}));
    auto reviewerId =
        reviewer->get("/api/v1/me").json()->getObject("account")->getValue<std::string>("id");
    EXPECT_EQ(
        testDb.queryTexts("SELECT account_id FROM audit_log WHERE action = 'filing.approved'"),
        std::vector<std::string>{reviewerId});
}

TEST_F(FilingTest, EditingAnApprovedFilingOpensANewVersion) {
    std::string first = submitted();
    auto reviewer = staff(Role::Reviewer, "review01", "13900000001");
    ASSERT_EQ(reviewer->request("POST", "/api/v1/filings/" + first + "/approve").status, 200);
    auto approvedTag = admin->get(filingPath()).header("ETag");

    // The edit opens version 2; version 1 stays in force.
    auto v2 = put(*admin, draft(years({"2023", "2024", "2025"}), "广州精科医学检验所（新名）"),
                  {{"If-Match", approvedTag}});
    ASSERT_EQ(v2.status, 200) << v2.body;
    EXPECT_EQ(v2.json()->getValue<int>("version"), 2);
    EXPECT_EQ(v2.json()->getValue<std::string>("state"), "draft");
    EXPECT_EQ(v2.json()->getObject("approved")->getValue<std::string>("id"), first);
    std::string second = v2.json()->getValue<std::string>("id");
    EXPECT_NE(second, first);
    EXPECT_EQ(services->filings().approvedFiling(orgId)->id, first);
    EXPECT_EQ(services->filings().approvedFiling(orgId)->name, kOrganization);

    // The database holds one open and one approved version, whatever the code does.
    EXPECT_ANY_THROW(testDb.exec(
        "INSERT INTO filings (id, organization_id, version, state, revision, name, name_key, "
        "province, data_json, created_at_us, updated_at_us) VALUES ('x', '" +
        orgId + "', 9, 'draft', 1, '', '', '', '{}', 0, 0)"));
    EXPECT_ANY_THROW(
        testDb.exec("UPDATE filings SET state = 'approved' WHERE id = '" + second + "'"));

    ASSERT_EQ(submit(*admin).status, 200);
    ASSERT_EQ(reviewer->request("POST", "/api/v1/filings/" + second + "/approve").status, 200);
    EXPECT_EQ(services->filings().approvedFiling(orgId)->id, second);
    auto mine = admin->get(filingPath()).json();
    auto versions = mine->getArray("versions");
    ASSERT_EQ(versions->size(), 2u);
    EXPECT_EQ(versions->getObject(0)->getValue<std::string>("state"), "approved");
    EXPECT_EQ(versions->getObject(1)->getValue<std::string>("state"), "superseded");
    EXPECT_EQ(auditActions(first).back(), "filing.superseded");
    auto superseded = reviewer->get("/api/v1/filings?state=superseded").json();
    EXPECT_EQ(superseded->getValue<int>("total"), 1);
}

TEST_F(FilingTest, RacingDecisionsHaveOneWinner) {
    std::string id = submitted();
    auto reviewer = staff(Role::Reviewer, "review01", "13900000001");
    std::string token = reviewer->bearer();
    constexpr int kThreads = 8;
    std::atomic<int> ok{0}, conflict{0}, other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            HttpTestClient c(server->port());
            c.setBearer(token);
            auto r = i % 2 ? c.postJson("/api/v1/filings/" + id + "/approve", "{}")
                           : c.postJson("/api/v1/filings/" + id + "/reject",
                                        R"({"reasons":["other"],"comment":"竞争"})");
            if (r.status == 200) {
                ++ok;
            } else if (r.status == 409 &&
                       r.json()->getValue<std::string>("code") == "filing.state_conflict") {
                ++conflict;
            } else {
                ++other;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(conflict.load(), kThreads - 1);
    EXPECT_EQ(other.load(), 0);
    auto decisions = testDb.queryTexts(
        "SELECT action FROM audit_log WHERE action IN ('filing.approved', 'filing.rejected')");
    EXPECT_EQ(decisions.size(), 1u);
}

TEST_F(FilingTest, TheReviewerListFiltersPagesAndCounts) {
    auto reviewer = staff(Role::Reviewer, "review01", "13900000001");
    // Seven organizations submit; names carry wildcards and case to search for.
    std::vector<std::string> names{"Alpha 科技", "alpha 建设", "Beta%集团", "Gamma_实业",
                                   "𠮷祥物产",   "东方 ALPHA", "Omega"};
    for (int i = 0; i < 7; ++i) {
        HttpTestClient c(server->port());
        auto account = c.signUp("list" + std::to_string(i), "1350000000" + std::to_string(i),
                                names[static_cast<std::size_t>(i)], makeCreditCode(200 + i));
        std::string org = account->getValue<std::string>("organization_id");
        std::string lic = upload(c, "license", "执照.jpg");
        std::string ev = upload(c, "evidence", "报告.pdf");
        std::string economics;
        for (const char* y : {"2023", "2024", "2025"}) {
            Year row;
            row.year = y;
            row.evidence = ev;
            economics += (economics.empty() ? "" : ",") + row.json();
        }
        std::string province = i < 4 ? "44" : "11";
        std::string city = i < 4 ? "4401" : "1101";
        std::string body = "{\"name\":" + quote(names[static_cast<std::size_t>(i)]) +
                           ",\"economic_type\":\"私营企业\",\"province\":\"" + province +
                           "\",\"city\":\"" + city +
                           "\",\"address\":\"某路1号\",\"industry\":\"06\",\"quality_manager\":"
                           "{\"name\":\"张三\",\"phone\":\"13812345678\"},\"organization_size\":"
                           "\"微型\",\"license_document_id\":" +
                           quote(lic) + ",\"economics\":[" + economics + "]}";
        ASSERT_EQ(c.request("PUT", "/api/v1/organizations/" + org + "/filing", {},
                            "application/json", body)
                      .status,
                  200);
        clock->set(clock->nowMicros() + 1'000'000);
        ASSERT_EQ(c.request("POST", "/api/v1/organizations/" + org + "/filing/submit").status, 200);
    }
    // A draft is not listed.
    ASSERT_EQ(put(*admin, R"({"name":"Alpha 草稿"})").status, 200);

    auto list = [&](const std::string& query) {
        auto r = reviewer->get("/api/v1/filings" + query);
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::string> got;
        auto items = r.json()->getArray("items");
        for (std::size_t i = 0; i < items->size(); ++i)
            got.push_back(
                items->getObject(static_cast<unsigned>(i))->getValue<std::string>("name"));
        return std::make_pair(r.json()->getValue<int>("total"), got);
    };
    auto all = list("");
    EXPECT_EQ(all.first, 7);
    EXPECT_EQ(all.second, names);  // oldest submission first
    EXPECT_EQ(list("?name=alpha").second,
              (std::vector<std::string>{"Alpha 科技", "alpha 建设", "东方 ALPHA"}));
    EXPECT_EQ(list("?name=%25").second, std::vector<std::string>{"Beta%集团"});
    EXPECT_EQ(list("?name=_").second, std::vector<std::string>{"Gamma_实业"});
    EXPECT_EQ(list("?name=%F0%A0%AE%B7").second, std::vector<std::string>{"𠮷祥物产"});
    EXPECT_EQ(list("?name=%27%3B--").first, 0);
    EXPECT_EQ(list("?province=11").first, 3);
    EXPECT_EQ(list("?province=44&name=a&state=submitted").second,
              (std::vector<std::string>{"Alpha 科技", "alpha 建设", "Beta%集团", "Gamma_实业"}));
    auto page2 = list("?per_page=3&page=2");
    EXPECT_EQ(page2.first, 7);
    EXPECT_EQ(page2.second, (std::vector<std::string>{"Gamma_实业", "𠮷祥物产", "东方 ALPHA"}));
    EXPECT_TRUE(list("?page=9").second.empty());
    EXPECT_EQ(list("?state=approved").first, 0);
    for (const char* bad : {"?state=draft", "?state=x", "?page=0", "?per_page=101", "?page=-1",
                            "?province=99", "?per_page=abc"}) {
        expectProblem(reviewer->get(std::string("/api/v1/filings") + bad), 400,
                      "request.malformed");
    }
}

TEST_F(FilingTest, ReviewersOpenAFilingWithItsEvidenceChecksAgainstTheFiledValues) {
    // The real license photocopy of the organization registered here: its code and name match.
    license =
        admin
            ->upload(
                readFile(fixturePath("real/license_photocopy_91440116MA59B21T31_astragen.png")),
                "营业执照.jpg", "license")
            .json()
            ->getValue<std::string>("id");
    for (int y = 0; y < 3; ++y) {
        evidence.push_back(upload(*admin, "evidence", "报告" + std::to_string(y) + ".pdf"));
    }
    services->checkRunner().start();
    for (int i = 0; i < 600; ++i) {
        auto pending = testDb.queryTexts(
            "SELECT check_name FROM checks WHERE state IN ('pending', 'running')");
        if (pending.empty()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::string id = submitted();
    auto reviewer = staff(Role::Reviewer, "review01", "13900000001");
    expectProblem(reviewer->get("/api/v1/filings/01J0000000000000000000000"), 404,
                  "filing.not_found");
    auto r = reviewer->get("/api/v1/filings/" + id);
    ASSERT_EQ(r.status, 200) << r.body;
    auto o = r.json();
    EXPECT_EQ(o->getValue<std::string>("state"), "submitted");
    EXPECT_EQ(o->getObject("data")->getValue<std::string>("name"), kOrganization);
    auto items = o->getArray("evidence");
    ASSERT_EQ(items->size(), 4u);
    auto lic = items->getObject(0);
    EXPECT_EQ(lic->getValue<std::string>("field"), "license_document_id");
    Poco::JSON::Object::Ptr licenseCheck;
    auto checks = lic->getArray("checks");
    std::set<std::string> names;
    for (std::size_t i = 0; i < checks->size(); ++i) {
        auto c = checks->getObject(static_cast<unsigned>(i));
        names.insert(c->getValue<std::string>("check"));
        if (c->getValue<std::string>("check") == "license") licenseCheck = c;
    }
    EXPECT_TRUE(names.count("quality"));
    ASSERT_TRUE(licenseCheck);
    // The code read is the filed one; the red seal stamped over the name makes the name a
    // warning (what shows agrees): the reviewer checks it by eye.
    EXPECT_EQ(licenseCheck->getObject("details")->getValue<std::string>("code_read"), kCreditCode);
    auto filed = lic->getObject("filed_comparison");
    ASSERT_TRUE(filed);
    EXPECT_TRUE(filed->getValue<bool>("same_as_checked"));
    EXPECT_EQ(filed->getValue<std::string>("filed_credit_code"), kCreditCode);
    EXPECT_EQ(licenseCheck->getValue<std::string>("code"), "license.name_obscured");
    EXPECT_EQ(filed->getValue<std::string>("code"), "license.name_obscured");
    EXPECT_EQ(filed->getValue<std::string>("status"), "warn") << r.body;
    EXPECT_EQ(items->getObject(1)->getValue<std::string>("field"),
              "economics[0].evidence_document_id");

    // Filed under another name than the one registered (and checked): judged against the
    // filed name, from what the check read. A clearly different name fails.
    auto rejected = reviewer->postJson("/api/v1/filings/" + id + "/reject",
                                       R"({"reasons":["name_differs_from_license"]})");
    ASSERT_EQ(rejected.status, 200);
    ASSERT_EQ(put(*admin, draft(years({"2023", "2024", "2025"}), "北京完全不同的贸易集团")).status,
              200);
    ASSERT_EQ(submit(*admin).status, 200);
    auto again = reviewer->get("/api/v1/filings/" + id).json();
    auto comparison = again->getArray("evidence")->getObject(0)->getObject("filed_comparison");
    EXPECT_FALSE(comparison->getValue<bool>("same_as_checked"));
    EXPECT_EQ(comparison->getValue<std::string>("filed_name"), "北京完全不同的贸易集团");
    EXPECT_EQ(comparison->getValue<std::string>("checked_name"), kOrganization);
    EXPECT_EQ(comparison->getValue<std::string>("status"), "fail");
    EXPECT_EQ(comparison->getValue<std::string>("code"), "license.name_mismatch");

    // A clean scan (generated: the real one has the seal over its name) of this code and name
    // passes, and the reviewer sees the pass against the filed values.
    ASSERT_EQ(reviewer
                  ->postJson("/api/v1/filings/" + id + "/reject",
                             R"({"reasons":["name_differs_from_license"]})")
                  .status,
              200);
    license = admin->upload(renderLicenseScan({}), "营业执照.jpg", "license")
                  .json()
                  ->getValue<std::string>("id");
    waitForChecks();
    ASSERT_EQ(put(*admin, fullDraft()).status, 200);
    ASSERT_EQ(submit(*admin).status, 200);
    auto clean = reviewer->get("/api/v1/filings/" + id).json();
    auto cleanLicense = clean->getArray("evidence")->getObject(0);
    EXPECT_EQ(cleanLicense->getValue<std::string>("document_id"), license);
    auto pass = cleanLicense->getObject("filed_comparison");
    EXPECT_EQ(pass->getValue<std::string>("status"), "pass");
    EXPECT_EQ(pass->getValue<std::string>("code"), "license.match");
}

}  // namespace
