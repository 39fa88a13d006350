// Leader certificates (企标领跑者, issue 14 scope 4–8, seed 003): 对标, candidates, the 14-day
// public notice in Beijing days, objections, unstamped then stamped certificates, public
// verification with an Ed25519-signed QR code checked offline by `openssl pkeyutl`,
// revocation, expiry, enumeration throttling, labels and 追加型号, evidence. Runs on SQLite and
// PostgreSQL with an injected clock.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "CreditCodes.h"
#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "Race.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "TestWorld.h"
#include "dossier/app/Services.h"
#include "dossier/core/Clock.h"
#include "dossier/filing/CertificateSigner.h"
#include "dossier/http/Server.h"
#include "dossier/storage/Sha256.h"

using namespace dossier;
using namespace dossier::test;
using Poco::JSON::Object;

namespace {

constexpr std::int64_t kSecond = 1000000;
// 2026-03-01 09:00 in Beijing: the evaluator approves, the notice runs 03-01 … 03-14.
constexpr std::int64_t kApproval = 1772326800LL * kSecond;
constexpr std::int64_t kNoticeLastSecond = 1773503999LL * kSecond;  // 03-14 23:59:59 +08:00
constexpr std::int64_t kFifteenthDay = 1773504000LL * kSecond;      // 03-15 00:00:00 +08:00
constexpr std::int64_t kLastValidHour = 1805036400LL * kSecond;     // 2027-03-14 23:00 +08:00
constexpr std::int64_t kExpiredDay = 1805040000LL * kSecond;        // 2027-03-15 00:00 +08:00
constexpr const char* kCreditCode = "91440116MA59B21T31";
constexpr const char* kProduct = "miniature-circuit-breaker";
constexpr const char* kFiveStars =
    R"({"mechanical_life":20000,"electrical_life":8000,"terminal_temperature_rise":50,)"
    R"("breaking_capacity":10})";
constexpr const char* kThreeStars =
    R"({"mechanical_life":25000,"electrical_life":9000,"terminal_temperature_rise":56,)"
    R"("breaking_capacity":12.5})";

constexpr const char* kFourStars =
    R"({"mechanical_life":15000,"electrical_life":6000,"terminal_temperature_rise":55,)"
    R"("breaking_capacity":8})";

std::string codeOf(const HttpResult& r) {
    auto body = r.json();
    return body ? body->optValue<std::string>("code", "") : "";
}

std::set<std::string> problemsOf(const HttpResult& r) {
    std::set<std::string> out;
    auto body = r.json();
    if (!body || !body->has("errors")) return out;
    auto errors = body->getArray("errors");
    for (std::size_t i = 0; i < errors->size(); ++i) {
        auto e = errors->getObject(static_cast<unsigned>(i));
        out.insert(e->getValue<std::string>("path") + " " + e->getValue<std::string>("code"));
    }
    return out;
}

std::string declaration(const std::string& values, const std::string& standard = "Q/GZJK 001-2025",
                        const std::string& extra = "") {
    return std::string(R"({"product":")") + kProduct +
           R"(","product_name":" 小型断路器（家用）𠮷","standard_number":")" + standard +
           R"(","standard_name":"小型断路器企业标准","models":["DZ47-63 C16","DZ47-63 C32"],)"
           R"("values":)" +
           values + extra + "}";
}

std::string writeTemp(const std::string& dir, const std::string& name, const std::string& bytes) {
    std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

/// A value of the QR code's URL query.
std::string queryValue(const std::string& url, const std::string& name) {
    std::smatch m;
    if (!std::regex_search(url, m, std::regex("[?&]" + name + "=([^&]*)"))) return {};
    return m[1];
}

class LeaderCertificateTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        config.checkWorkers = 0;
        config.publicUrl = "https://lp.example.cn";
        config.auth.sessionHours = 24 * 365 * 2;  // the clock moves past a year
        services = app::Services::open(config, nullptr, clock);
        server = startInProcessServer(*services);
        world = std::make_unique<TestWorld>(*services, server->port());
        admin = world->admin("lpadmin01", "13900000001", "广州精科电器有限公司", kCreditCode,
                             nullptr, &orgId);
        member = world->member(*admin, orgId, "lpmember01", "13900000002");
        other = world->admin("lpother01", "13900000003", "深圳另一电器有限公司", makeCreditCode(77),
                             nullptr, &otherOrgId);
        evaluator = world->staff(Role::Evaluator, "evaluate01", "13900000004");
        reviewer = world->staff(Role::Reviewer, "review01", "13900000005");
        anonymous = world->client();
    }
    void TearDown() override { server->stop(); }

    /// A submitted leader candidate of the organization; returns its id.
    std::string declare(const std::string& standard = "Q/GZJK 001-2025") {
        auto r = member->postJson("/api/v1/leader-candidates", declaration(kFiveStars, standard));
        EXPECT_EQ(r.status, 201) << r.body;
        return TestWorld::idOf(r);
    }

    /// Declared and approved at kApproval: in notice 03-01 … 03-14.
    std::string inNotice(const std::string& standard = "Q/GZJK 001-2025") {
        clock->set(kApproval);
        std::string id = declare(standard);
        auto r = evaluator->postJson("/api/v1/leader-candidates/" + id + "/decision",
                                     R"({"decision":"approve"})");
        EXPECT_EQ(r.status, 200) << r.body;
        return id;
    }

    /// In notice, then the 15th day: the certificate is issued by its first download.
    std::string issued(std::string* number = nullptr, std::string* pdf = nullptr) {
        std::string id = inNotice();
        clock->set(kFifteenthDay);
        auto r = member->get("/api/v1/leader-candidates/" + id + "/certificate.pdf");
        EXPECT_EQ(r.status, 200) << r.body;
        if (number) *number = r.header("Dossier-Certificate-Number");
        if (pdf) *pdf = r.body;
        return id;
    }

    HttpResult verify(const std::string& number, const std::string& query = "") {
        return anonymous->get("/api/v1/certificates/" + number + "/verify" + query);
    }

    std::shared_ptr<FixedClock> clock = std::make_shared<FixedClock>(kApproval);
    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<TestWorld> world;
    std::unique_ptr<HttpTestClient> admin, member, other, evaluator, reviewer, anonymous;
    std::string orgId, otherOrgId;
};

TEST_F(LeaderCertificateTest, BenchmarkAnswersEachIndicatorAndAFailedOneCannotGoOn) {
    auto products = anonymous->get("/api/v1/key-field-products");
    ASSERT_EQ(products.status, 200) << products.body;
    EXPECT_NE(products.body.find(kProduct), std::string::npos);
    EXPECT_EQ(anonymous->get("/api/v1/key-field-products/none").status, 404);

    std::string path = std::string("/api/v1/key-field-products/") + kProduct + "/benchmark";
    auto five = member->postJson(path, std::string(R"({"values":)") + kFiveStars + "}");
    ASSERT_EQ(five.status, 200) << five.body;
    EXPECT_EQ(five.json()->getValue<int>("level"), 5);

    // 56 K of temperature rise: within 3 stars (≤ 60), not 4 (≤ 55): the whole is 3 stars.
    auto three = member->postJson(path, std::string(R"({"values":)") + kThreeStars + "}");
    ASSERT_EQ(three.status, 200) << three.body;
    auto body = three.json();
    EXPECT_EQ(body->getValue<int>("level"), 3);
    auto lines = body->getArray("lines");
    ASSERT_EQ(lines->size(), 4u);
    auto rise = lines->getObject(2);
    EXPECT_EQ(rise->getValue<std::string>("key"), "terminal_temperature_rise");
    EXPECT_EQ(rise->getValue<std::string>("direction"), "<=");
    EXPECT_TRUE(rise->getObject("meets")->getValue<bool>("3"));
    EXPECT_FALSE(rise->getObject("meets")->getValue<bool>("4"));
    EXPECT_EQ(rise->getValue<int>("level"), 3);
    EXPECT_EQ(lines->getObject(3)->getValue<int>("level"), 5);

    // Every problem at once: a missing value, an unknown one, a string.
    auto bad = member->postJson(
        path,
        R"({"values":{"mechanical_life":"many","electrical_life":1,"terminal_temperature_rise":1,"colour":2}})");
    ASSERT_EQ(bad.status, 422) << bad.body;
    EXPECT_EQ(problemsOf(bad), (std::set<std::string>{"values.mechanical_life field.type",
                                                      "values.breaking_capacity field.required",
                                                      "values.colour field.unknown"}));

    // A leader candidate at 3 stars is refused with its 对标, and nothing is stored.
    auto refused = member->postJson("/api/v1/leader-candidates", declaration(kThreeStars));
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(codeOf(refused), "benchmark.failed");
    EXPECT_EQ(refused.json()->getObject("benchmark")->getValue<int>("level"), 3);
    EXPECT_EQ(testDb.queryTexts("SELECT id FROM leader_candidates").size(), 0u);

    // The same values declare a 3-star product (自我声明), not a 4-star one.
    auto four = member->postJson(
        "/api/v1/leader-candidates",
        declaration(kThreeStars, "Q/GZJK 002-2025", R"(,"kind":"self_declared","star_level":4)"));
    EXPECT_EQ(codeOf(four), "benchmark.failed") << four.body;
    auto declared = member->postJson(
        "/api/v1/leader-candidates",
        declaration(kThreeStars, "Q/GZJK 002-2025", R"(,"kind":"self_declared","star_level":3)"));
    ASSERT_EQ(declared.status, 201) << declared.body;
    EXPECT_EQ(declared.json()->getValue<std::string>("state"), "declared");
    EXPECT_EQ(declared.json()->getValue<int>("star_level"), 3);
    // Declared products never enter the notice.
    auto approve =
        evaluator->postJson("/api/v1/leader-candidates/" + TestWorld::idOf(declared) + "/decision",
                            R"({"decision":"approve"})");
    EXPECT_EQ(codeOf(approve), "certificate.candidate_state") << approve.body;

    // One live declaration per product and standard.
    declare();
    auto twice = member->postJson("/api/v1/leader-candidates", declaration(kFiveStars));
    EXPECT_EQ(codeOf(twice), "certificate.candidate_taken") << twice.body;
    // The same standard written with blanks around it or full-width (NFKC) is the same
    // standard: texts are stored as imported QC cells are, normalized and trimmed.
    for (const char* same : {" Q/GZJK 001-2025 ", "Q／GZJK　001-2025", "Ｑ/GZJK 001-2025"}) {
        auto again = member->postJson("/api/v1/leader-candidates", declaration(kFiveStars, same));
        EXPECT_EQ(codeOf(again), "certificate.candidate_taken") << same << ": " << again.body;
    }
    auto spaced = member->postJson("/api/v1/leader-candidates",
                                   declaration(kFiveStars, "  Q/GZJK 007-2025\u3000"));
    ASSERT_EQ(spaced.status, 201) << spaced.body;
    EXPECT_EQ(spaced.json()->getValue<std::string>("standard_number"), "Q/GZJK 007-2025");
    auto model =
        member->postJson("/api/v1/leader-candidates/" + TestWorld::idOf(spaced) + "/models",
                         R"({"model":" DZ47-63 C16 "})");
    EXPECT_EQ(codeOf(model), "certificate.model_taken") << model.body;
}

TEST_F(LeaderCertificateTest, TheCertificateIssuesOnTheFifteenthBeijingDayAndNotBefore) {
    std::string id = declare();
    auto early = member->get("/api/v1/leader-candidates/" + id + "/certificate.pdf");
    EXPECT_EQ(codeOf(early), "certificate.candidate_state") << early.body;

    auto approved = evaluator->postJson("/api/v1/leader-candidates/" + id + "/decision",
                                        R"({"decision":"approve","comment":"符合先进水平"})");
    ASSERT_EQ(approved.status, 200) << approved.body;
    auto notice = approved.json()->getObject("notice");
    EXPECT_EQ(notice->getValue<std::string>("starts_on"), "2026-03-01");
    EXPECT_EQ(notice->getValue<std::string>("ends_on"), "2026-03-14");
    EXPECT_EQ(notice->getValue<std::string>("certificate_from"), "2026-03-15");
    auto again = evaluator->postJson("/api/v1/leader-candidates/" + id + "/decision",
                                     R"({"decision":"refuse","comment":"x"})");
    EXPECT_EQ(codeOf(again), "certificate.candidate_state");

    // Public while it runs: whose standard it is (the enterprise as on the certificate), what
    // it declares and until when; nothing internal (no organization id, no evaluator comment).
    auto notices = anonymous->get("/api/v1/leader-notices");
    ASSERT_EQ(notices.status, 200);
    auto entry = notices.json()->getArray("items")->getObject(0);
    EXPECT_EQ(entry->getValue<std::string>("id"), id);
    EXPECT_EQ(entry->getObject("enterprise")->getValue<std::string>("name"),
              "广州精科电器有限公司");
    EXPECT_EQ(entry->getObject("enterprise")->getValue<std::string>("credit_code"), kCreditCode);
    EXPECT_EQ(entry->getValue<std::string>("standard_number"), "Q/GZJK 001-2025");
    EXPECT_EQ(entry->getObject("notice")->getValue<std::string>("ends_on"), "2026-03-14");
    EXPECT_FALSE(entry->has("organization_id")) << notices.body;
    EXPECT_FALSE(entry->has("decision_comment")) << notices.body;
    EXPECT_EQ(notices.body.find("符合先进水平"), std::string::npos) << notices.body;

    // The last second of the 14th day in Beijing (15:59:59 UTC): still running.
    clock->set(kNoticeLastSecond);
    auto before = member->get("/api/v1/leader-candidates/" + id + "/certificate.pdf");
    ASSERT_EQ(before.status, 409) << before.body;
    EXPECT_EQ(codeOf(before), "certificate.notice_running");
    EXPECT_EQ(before.json()->getValue<std::string>("notice_ends_on"), "2026-03-14");
    EXPECT_EQ(before.json()->getValue<std::string>("available_from"), "2026-03-15");
    EXPECT_TRUE(testDb.queryTexts("SELECT number FROM certificates").empty());

    // On the 15th day (00:00 Beijing): issued, dated that day, valid a year.
    clock->set(kFifteenthDay);
    auto on = member->get("/api/v1/leader-candidates/" + id + "/certificate.pdf");
    ASSERT_EQ(on.status, 200) << on.body;
    EXPECT_EQ(on.header("Content-Type"), "application/pdf");
    std::string number = on.header("Dossier-Certificate-Number");
    EXPECT_TRUE(std::regex_match(number, std::regex("LP2026-[0-9A-HJKMNP-TV-Z]{12}"))) << number;
    EXPECT_NE(on.header("Content-Disposition").find("%E6%97%A0%E7%AB%A0"), std::string::npos)
        << on.header("Content-Disposition");  // 无章: the unstamped variant

    // After: the same certificate, the same bytes, whoever asks (the evaluator too).
    clock->set(kFifteenthDay + 40 * 86400 * kSecond);
    auto after = evaluator->get("/api/v1/leader-candidates/" + id + "/certificate.pdf");
    ASSERT_EQ(after.status, 200) << after.body;
    EXPECT_EQ(after.header("Dossier-Certificate-Number"), number);
    EXPECT_TRUE(after.body == on.body);
    EXPECT_EQ(testDb.queryTexts("SELECT number FROM certificates"),
              std::vector<std::string>{number});

    auto v = verify(number);
    ASSERT_EQ(v.status, 200) << v.body;
    auto body = v.json();
    EXPECT_EQ(body->getValue<std::string>("status"), "valid");
    EXPECT_EQ(body->getObject("enterprise")->getValue<std::string>("credit_code"), kCreditCode);
    EXPECT_EQ(body->getObject("enterprise")->getValue<std::string>("name"), "广州精科电器有限公司");
    // Trimmed, and printed as written: NFKC would turn the full-width （） into ASCII.
    EXPECT_EQ(body->getObject("product")->getValue<std::string>("name"), "小型断路器（家用）𠮷");
    EXPECT_EQ(body->getValue<int>("star_level"), 5);
    EXPECT_EQ(body->getValue<std::string>("issued_on"), "2026-03-15");
    EXPECT_EQ(body->getValue<std::string>("valid_until"), "2027-03-14");
    EXPECT_TRUE(body->get("revoked").isEmpty());
    EXPECT_EQ(body->getValue<std::string>("pdf_sha256"), storage::Sha256::of(on.body));
    EXPECT_EQ(v.header("Cache-Control"), "no-store");

    // The issue and the approval are in the audit log with their state change.
    EXPECT_EQ(
        testDb.queryTexts("SELECT action FROM audit_log WHERE action LIKE 'certificate.issue' "
                          "OR action = 'leader_candidate.approve' ORDER BY at_us"),
        (std::vector<std::string>{"leader_candidate.approve", "certificate.issue"}));
}

TEST_F(LeaderCertificateTest, AnOpenObjectionBlocksTheCertificateUntilResolved) {
    std::string id = inNotice();
    // Anyone may object during the notice; the objection's contact is for the evaluator only.
    auto bad = anonymous->postJson("/api/v1/leader-candidates/" + id + "/objections",
                                   R"({"text":"","extra":1})");
    EXPECT_EQ(problemsOf(bad),
              (std::set<std::string>{"text field.required", "contact field.required",
                                     "extra field.unknown"}))
        << bad.body;
    auto lodged = anonymous->postJson("/api/v1/leader-candidates/" + id + "/objections",
                                      R"({"text":"该企标温升指标与实测不符 '); DROP TABLE x; --",)"
                                      R"("contact":"13800001111"})");
    ASSERT_EQ(lodged.status, 201) << lodged.body;
    std::string objection = TestWorld::idOf(lodged);
    EXPECT_FALSE(lodged.json()->has("contact"));

    clock->set(kFifteenthDay);
    // Too late for another objection.
    auto late = anonymous->postJson("/api/v1/leader-candidates/" + id + "/objections",
                                    R"({"text":"晚了","contact":"x"})");
    EXPECT_EQ(codeOf(late), "certificate.candidate_state") << late.body;
    auto blocked = member->get("/api/v1/leader-candidates/" + id + "/certificate.pdf");
    EXPECT_EQ(blocked.status, 409);
    EXPECT_EQ(codeOf(blocked), "certificate.objection_open") << blocked.body;

    // The database refuses a certificate while the objection is open, whoever inserts it.
    EXPECT_ANY_THROW(testDb.exec(
        "INSERT INTO certificates (number, candidate_id, organization_id, enterprise_name, "
        "credit_code, product_id, product_name, domain, standard_number, standard_name, "
        "evaluation_body, star_level, issued_on, valid_until, issued_at_us, key_id, signature, "
        "unstamped_sha256) SELECT 'LP2026-FORGED', id, organization_id, 'x', 'x', 'x', 'x', "
        "'x', 'x', 'x', 'x', 5, '2026-03-15', '2027-03-14', 0, 'k', 's', 'h' "
        "FROM leader_candidates WHERE id = '" +
        id + "'"));

    // Members read the objection without the contact; the evaluator with it.
    auto seen = member->get("/api/v1/leader-candidates/" + id + "/objections");
    ASSERT_EQ(seen.status, 200);
    EXPECT_EQ(seen.body.find("13800001111"), std::string::npos);
    EXPECT_NE(
        evaluator->get("/api/v1/leader-candidates/" + id + "/objections").body.find("13800001111"),
        std::string::npos);

    std::string resolve =
        "/api/v1/leader-candidates/" + id + "/objections/" + objection + "/resolve";
    EXPECT_EQ(member->postJson(resolve, R"({"outcome":"dismissed","resolution":"x"})").status, 403);
    auto dismissed =
        evaluator->postJson(resolve, R"({"outcome":"dismissed","resolution":"经复核，指标属实"})");
    ASSERT_EQ(dismissed.status, 200) << dismissed.body;
    EXPECT_EQ(dismissed.json()->getValue<std::string>("state"), "dismissed");
    EXPECT_EQ(codeOf(evaluator->postJson(resolve, R"({"outcome":"upheld","resolution":"x"})")),
              "certificate.objection_resolved");
    EXPECT_EQ(member->get("/api/v1/leader-candidates/" + id + "/certificate.pdf").status, 200);
}

TEST_F(LeaderCertificateTest, AnObjectionKeepsItsLinesAndRefusesOtherControlCharacters) {
    std::string id = inNotice();
    std::string path = "/api/v1/leader-candidates/" + id + "/objections";
    auto lodge = [&](const std::string& text) {
        Object body;
        body.set("text", text);
        body.set("contact", "13800001111");
        std::ostringstream out;
        body.stringify(out);
        return anonymous->postJson(path, out.str());
    };
    for (const char* text : {"第一行\r第二行", "\u0001x", "a\u2028b", "a\u202Eb"}) {
        auto refused = lodge(text);
        EXPECT_EQ(problemsOf(refused), std::set<std::string>{"text field.control_character"})
            << refused.body;
    }
    EXPECT_EQ(problemsOf(lodge("\n\r\n \t\n")), std::set<std::string>{"text field.required"});
    // 2000 characters, a break counting one; CRLF is kept as one LF.
    std::string longest = std::string(999, 'x') + "\r\n" + std::string(1000, 'y');
    EXPECT_EQ(lodge(longest).status, 201);
    EXPECT_EQ(problemsOf(lodge(longest + "z")), std::set<std::string>{"text field.too_long"});

    // Line breaks and tabs are kept, as in every note (BodyReader::note).
    std::string sent = "温升实测值：\n\t1. 56 K（企标写 50 K）\r\n\t2. 见附件𠮷\n";
    std::string kept = "温升实测值：\n\t1. 56 K（企标写 50 K）\n\t2. 见附件𠮷\n";
    auto lodged = lodge(sent);
    ASSERT_EQ(lodged.status, 201) << lodged.body;
    EXPECT_EQ(lodged.json()->getValue<std::string>("text"), kept);
    for (auto* reader : {member.get(), evaluator.get()}) {
        auto items = reader->get(path).json()->getArray("items");
        ASSERT_EQ(items->size(), 2u);
        EXPECT_EQ(items->getObject(1)->getValue<std::string>("text"), kept);
    }
    // The resolution is several lines too.
    auto resolved = evaluator->postJson(
        path + "/" + TestWorld::idOf(lodged) + "/resolve",
        R"({"outcome":"dismissed","resolution":"经复核：\r\n温升指标属实。\n驳回。"})");
    ASSERT_EQ(resolved.status, 200) << resolved.body;
    EXPECT_EQ(resolved.json()->getValue<std::string>("resolution"),
              "经复核：\n温升指标属实。\n驳回。");
}

TEST_F(LeaderCertificateTest, TheNoticesArePaginatedAndEndWithTheNotice) {
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        clock->set(kApproval + i * kSecond);  // newest first, in a known order
        ids.push_back(declare("Q/GZJK 20" + std::to_string(i) + "-2025"));
        EXPECT_EQ(evaluator
                      ->postJson("/api/v1/leader-candidates/" + ids.back() + "/decision",
                                 R"({"decision":"approve"})")
                      .status,
                  200);
    }
    auto first = anonymous->get("/api/v1/leader-notices?per_page=2");
    ASSERT_EQ(first.status, 200) << first.body;
    auto page1 = first.json();
    EXPECT_EQ(page1->getValue<int>("total"), 3);
    EXPECT_EQ(page1->getValue<int>("page"), 1);
    EXPECT_EQ(page1->getValue<int>("per_page"), 2);
    ASSERT_EQ(page1->getArray("items")->size(), 2u);
    EXPECT_EQ(page1->getArray("items")->getObject(0)->getValue<std::string>("id"), ids[2]);
    EXPECT_EQ(page1->getArray("items")->getObject(1)->getValue<std::string>("id"), ids[1]);
    auto page2 = anonymous->get("/api/v1/leader-notices?per_page=2&page=2").json();
    ASSERT_EQ(page2->getArray("items")->size(), 1u);
    EXPECT_EQ(page2->getArray("items")->getObject(0)->getValue<std::string>("id"), ids[0]);
    EXPECT_EQ(anonymous->get("/api/v1/leader-notices?per_page=2&page=3")
                  .json()
                  ->getArray("items")
                  ->size(),
              0u);
    EXPECT_EQ(anonymous->get("/api/v1/leader-notices").json()->getValue<int>("per_page"), 20);
    for (const char* bad : {"page=0", "per_page=101", "per_page=x", "page=-1"}) {
        auto r = anonymous->get(std::string("/api/v1/leader-notices?") + bad);
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_EQ(codeOf(r), "request.malformed") << bad;
    }
    // From the 15th day the notice is over: none is listed, nor counted.
    clock->set(kFifteenthDay);
    auto after = anonymous->get("/api/v1/leader-notices").json();
    EXPECT_EQ(after->getValue<int>("total"), 0);
    EXPECT_EQ(after->getArray("items")->size(), 0u);
}

TEST_F(LeaderCertificateTest, AnUpheldObjectionRefusesTheCandidate) {
    std::string id = inNotice();
    auto lodged = anonymous->postJson("/api/v1/leader-candidates/" + id + "/objections",
                                      R"({"text":"数据造假","contact":"匿名"})");
    ASSERT_EQ(lodged.status, 201) << lodged.body;
    auto upheld = evaluator->postJson(
        "/api/v1/leader-candidates/" + id + "/objections/" + TestWorld::idOf(lodged) + "/resolve",
        R"({"outcome":"upheld","resolution":"异议成立"})");
    ASSERT_EQ(upheld.status, 200) << upheld.body;
    EXPECT_EQ(member->get("/api/v1/leader-candidates/" + id).json()->getValue<std::string>("state"),
              "refused");
    clock->set(kFifteenthDay);
    EXPECT_EQ(codeOf(member->get("/api/v1/leader-candidates/" + id + "/certificate.pdf")),
              "certificate.not_issued");
    // A refused candidate is no longer public.
    EXPECT_EQ(anonymous->get("/api/v1/leader-notices").body.find(id), std::string::npos);
}

TEST_F(LeaderCertificateTest, TheStampedCertificateReplacesTheUnstampedOne) {
    std::string number, unstamped;
    std::string id = issued(&number, &unstamped);
    std::string seal = readFile(fixturePath("real/getseal_source_beijing_zhongdao.png"));
    std::string path = "/api/v1/certificates/" + number + "/seal";
    EXPECT_EQ(member->request("PUT", path, {}, "image/png", seal).status, 403);
    auto notPng = evaluator->request("PUT", path, {}, "image/png", makePdf());
    EXPECT_EQ(codeOf(notPng), "certificate.seal_invalid") << notPng.body;
    EXPECT_EQ(
        evaluator->request("PUT", "/api/v1/certificates/LP2026-NONE/seal", {}, "image/png", seal)
            .status,
        404);
    EXPECT_EQ(verify(number).json()->getValue<bool>("stamped"), false);

    auto stamped = evaluator->request("PUT", path, {}, "image/png", seal);
    ASSERT_EQ(stamped.status, 200) << stamped.body;
    auto pdf = member->get("/api/v1/leader-candidates/" + id + "/certificate.pdf");
    ASSERT_EQ(pdf.status, 200);
    EXPECT_TRUE(pdf.body != unstamped);
    EXPECT_GT(pdf.body.size(), unstamped.size());  // the seal image is in it
    EXPECT_EQ(pdf.header("Content-Disposition").find("%E6%97%A0%E7%AB%A0"), std::string::npos);
    EXPECT_EQ(pdf.header("Dossier-Certificate-Number"), number);
    auto v = verify(number).json();
    EXPECT_TRUE(v->getValue<bool>("stamped"));
    EXPECT_EQ(v->getValue<std::string>("pdf_sha256"), storage::Sha256::of(pdf.body));
    EXPECT_EQ(v->getValue<std::string>("unstamped_pdf_sha256"), storage::Sha256::of(unstamped));
}

TEST_F(LeaderCertificateTest, TheEvaluatorUploadsTheStampedCertificateAndDownloadsServeIt) {
    std::string number, unstamped;
    std::string id = issued(&number, &unstamped);
    std::string path = "/api/v1/certificates/" + number + "/stamped.pdf";
    std::string download = "/api/v1/leader-candidates/" + id + "/certificate.pdf";
    std::string stamped = makeTextPdf(1);
    auto put = [&](HttpTestClient& c, const std::string& bytes,
                   const std::string& type = "application/pdf") {
        return c.request("PUT", path, {}, type, bytes);
    };
    auto unchanged = [&](const std::string& why) {
        auto v = verify(number).json();
        EXPECT_FALSE(v->getValue<bool>("stamped")) << why;
        EXPECT_EQ(v->getValue<std::string>("pdf_sha256"), storage::Sha256::of(unstamped)) << why;
        EXPECT_EQ(member->get(download).body, unstamped) << why;
        EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM audit_log WHERE action = "
                                    "'certificate.stamp_upload'"),
                  std::vector<std::string>{"0"})
            << why;
    };
    // Only the evaluator uploads; the others are refused before the body is read.
    EXPECT_EQ(put(*anonymous, stamped).status, 401);
    for (auto* c : {member.get(), admin.get(), other.get(), reviewer.get()}) {
        auto r = put(*c, stamped);
        EXPECT_EQ(r.status, 403) << r.body;
        EXPECT_EQ(codeOf(r), "auth.forbidden");
    }
    unchanged("not the evaluator");
    auto png = put(*evaluator, readFile(fixturePath("real/getseal_source_beijing_zhongdao.png")));
    EXPECT_EQ(png.status, 415) << png.body;
    EXPECT_EQ(codeOf(png), "upload.type_not_allowed");
    EXPECT_EQ(codeOf(put(*evaluator, stamped, "image/png")), "request.unsupported_media_type");
    EXPECT_EQ(codeOf(put(*evaluator, "")), "upload.empty");
    // Damaged: without its startxref poppler rebuilds the file, qpdf cannot (hard_pdf_test).
    std::string damaged = readFile(fixturePath("pdf/xref-stream-trailing-junk.pdf"));
    auto at = damaged.rfind("startxref");
    damaged.erase(at, damaged.find("%%EOF", at) - at);
    auto corrupt = put(*evaluator, damaged);
    EXPECT_EQ(corrupt.status, 422) << corrupt.body;
    EXPECT_EQ(codeOf(corrupt), "pdf.corrupt");
    auto truncated = put(*evaluator, stamped.substr(0, stamped.size() / 2));
    EXPECT_EQ(truncated.status / 100, 4) << truncated.body;
    EXPECT_EQ(codeOf(put(*evaluator, makeTextPdf(2))), "pdf.too_many_pages");
    auto unknown = evaluator->request("PUT", "/api/v1/certificates/LP2026-NONE/stamped.pdf", {},
                                      "application/pdf", stamped);
    EXPECT_EQ(codeOf(unknown), "certificate.not_found");
    unchanged("refused uploads");

    auto uploaded = put(*evaluator, stamped);
    ASSERT_EQ(uploaded.status, 200) << uploaded.body;
    EXPECT_EQ(uploaded.json()->getValue<std::string>("stamped_by"), "upload");
    auto served = member->get(download);
    ASSERT_EQ(served.status, 200);
    EXPECT_EQ(served.body, stamped);  // the evaluator's file, byte for byte
    EXPECT_EQ(served.header("Content-Disposition").find("%E6%97%A0%E7%AB%A0"), std::string::npos);
    auto v = verify(number).json();
    EXPECT_TRUE(v->getValue<bool>("stamped"));
    EXPECT_EQ(v->getValue<std::string>("pdf_sha256"), storage::Sha256::of(stamped));
    EXPECT_EQ(v->getValue<std::string>("unstamped_pdf_sha256"), storage::Sha256::of(unstamped));
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM audit_log WHERE action = "
                                "'certificate.stamp_upload' AND target = 'certificate:" +
                                number + "'"),
              std::vector<std::string>{"1"});
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM blobs WHERE sha256 = '" +
                                storage::Sha256::of(stamped) + "'"),
              std::vector<std::string>{"1"});

    // Laying the seal afterwards makes the rendering with the seal the stamped certificate.
    std::string seal = readFile(fixturePath("real/getseal_source_beijing_zhongdao.png"));
    ASSERT_EQ(
        evaluator->request("PUT", "/api/v1/certificates/" + number + "/seal", {}, "image/png", seal)
            .status,
        200);
    auto sealed = member->get(download);
    EXPECT_NE(sealed.body, stamped);
    EXPECT_EQ(verify(number).json()->getValue<std::string>("pdf_sha256"),
              storage::Sha256::of(sealed.body));
    EXPECT_EQ(verify(number).json()->getValue<std::string>("stamped_by"), "seal");

    ASSERT_EQ(
        evaluator
            ->postJson("/api/v1/certificates/" + number + "/revoke", R"({"reason":"证书作废"})")
            .status,
        200);
    EXPECT_EQ(codeOf(put(*evaluator, stamped)), "certificate.revoked");
}

TEST_F(LeaderCertificateTest, SelfDeclaredProductsGetLabelsWithTheirStarLevel) {
    for (int stars : {3, 4}) {
        auto declared = member->postJson(
            "/api/v1/leader-candidates",
            declaration(stars == 3 ? kThreeStars : kFourStars,
                        "Q/GZJK 30" + std::to_string(stars) + "-2025",
                        R"(,"kind":"self_declared","star_level":)" + std::to_string(stars)));
        ASSERT_EQ(declared.status, 201) << declared.body;
        std::string id = TestWorld::idOf(declared);
        std::string base = "/api/v1/leader-candidates/" + id;
        // No certificate, no notice: labels at once.
        EXPECT_EQ(codeOf(member->get(base + "/certificate.pdf")), "certificate.self_declared");
        auto label = member->get(base + "/labels/2.pdf");
        ASSERT_EQ(label.status, 200) << label.body;
        std::string number = label.header("Dossier-Certificate-Number");
        EXPECT_EQ(number.rfind("SD2026-", 0), 0u) << number;
        std::string pdfPath =
            writeTemp(dir.path(), "label" + std::to_string(stars) + ".pdf", label.body);
        std::string text = runCommand("pdftotext " + pdfPath + " - 2>/dev/null");
        text.erase(
            std::remove_if(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\n'; }),
            text.end());
        EXPECT_NE(text.find("自我声明星级产品"), std::string::npos) << text;
        EXPECT_NE(text.find(number), std::string::npos) << text;
        EXPECT_NE(text.find("DZ47-63C32"), std::string::npos) << text;
        std::string row;
        for (int i = 0; i < stars; ++i) row += "★";
        EXPECT_NE(text.find(row), std::string::npos) << text;
        EXPECT_EQ(text.find(row + "★"), std::string::npos) << text;
        // One record per declaration, whichever label; the candidate stays declared.
        EXPECT_EQ(evaluator->get(base + "/labels/1.pdf").header("Dossier-Certificate-Number"),
                  number);
        auto candidate = member->get(base).json();
        EXPECT_EQ(candidate->getValue<std::string>("state"), "declared");
        EXPECT_EQ(candidate->getObject("certificate")->getValue<std::string>("kind"),
                  "self_declared");
        auto v = verify(number).json();
        EXPECT_EQ(v->getValue<std::string>("kind"), "self_declared");
        EXPECT_EQ(v->getValue<int>("star_level"), stars);
        EXPECT_EQ(v->getValue<std::string>("status"), "valid");
        EXPECT_TRUE(v->isNull("pdf_sha256"));
        EXPECT_TRUE(v->isNull("evaluation_body"));
        EXPECT_EQ(
            codeOf(evaluator->request("PUT", "/api/v1/certificates/" + number + "/stamped.pdf", {},
                                      "application/pdf", makeTextPdf(1))),
            "certificate.self_declared");
        // Revoking the self-declaration revokes the candidate and its labels.
        ASSERT_EQ(evaluator
                      ->postJson("/api/v1/certificates/" + number + "/revoke",
                                 R"({"reason":"抽检不符合3星"})")
                      .status,
                  200);
        EXPECT_EQ(member->get(base).json()->getValue<std::string>("state"), "revoked");
        EXPECT_EQ(codeOf(member->get(base + "/labels/1.pdf")), "certificate.not_issued");
        EXPECT_EQ(verify(number).json()->getValue<std::string>("status"), "revoked");
    }
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM certificates WHERE kind = 'self_declared'"),
              std::vector<std::string>{"2"});
}

TEST_F(LeaderCertificateTest, RevokedAndExpiredCertificatesNeverVerifyAsValid) {
    std::string number;
    std::string id = issued(&number);
    clock->set(kLastValidHour);
    EXPECT_EQ(verify(number).json()->getValue<std::string>("status"), "valid");
    clock->set(kExpiredDay);
    EXPECT_EQ(verify(number).json()->getValue<std::string>("status"), "expired");

    clock->set(kFifteenthDay + 100 * 86400 * kSecond);  // 2026-06-23
    std::string revoke = "/api/v1/certificates/" + number + "/revoke";
    EXPECT_EQ(member->postJson(revoke, R"({"reason":"x"})").status, 403);
    EXPECT_EQ(problemsOf(evaluator->postJson(revoke, "{}")),
              std::set<std::string>{"reason field.required"});
    auto revoked = evaluator->postJson(revoke, R"({"reason":"抽检不合格"})");
    ASSERT_EQ(revoked.status, 200) << revoked.body;
    auto v = verify(number);
    ASSERT_EQ(v.status, 200);
    auto body = v.json();
    EXPECT_EQ(body->getValue<std::string>("status"), "revoked");
    EXPECT_EQ(body->getObject("revoked")->getValue<std::string>("on"), "2026-06-23");
    EXPECT_EQ(body->getObject("revoked")->getValue<std::string>("reason"), "抽检不合格");
    // Revoked outranks expired, forever after.
    clock->set(kExpiredDay);
    EXPECT_EQ(verify(number).json()->getValue<std::string>("status"), "revoked");
    EXPECT_EQ(codeOf(evaluator->postJson(revoke, R"({"reason":"again"})")), "certificate.revoked");
    EXPECT_EQ(codeOf(member->get("/api/v1/leader-candidates/" + id + "/certificate.pdf")),
              "certificate.not_issued");
    EXPECT_EQ(codeOf(member->get("/api/v1/leader-candidates/" + id + "/labels/1.pdf")),
              "certificate.not_issued");
    EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM certificates"),
              std::vector<std::string>{"1"});
}

TEST_F(LeaderCertificateTest, TheQrSignatureVerifiesOfflineAndATamperedOneFails) {
    std::string number, pdf;
    issued(&number, &pdf);
    auto keys = anonymous->get("/api/v1/certificates/keys");
    ASSERT_EQ(keys.status, 200) << keys.body;
    auto key = keys.json()->getArray("keys")->getObject(0);
    EXPECT_EQ(key->getValue<std::string>("algorithm"), "Ed25519");
    std::string pem =
        writeTemp(dir.path(), "public.pem", key->getValue<std::string>("public_key_pem"));

    // What a phone reads off the printed certificate (the page at 300 dpi, zbarimg): the URL
    // with the signed fields, as verification states it.
    std::string url = verify(number).json()->getValue<std::string>("qr_url");
    writeTemp(dir.path(), "certificate.pdf", pdf);
    std::string scan = "pdftoppm -r 300 -png -singlefile " + dir.path() + "/certificate.pdf " +
                       dir.path() + "/page && zbarimg -q --raw " + dir.path() + "/page.png > " +
                       dir.path() + "/qr.txt 2>/dev/null";
    ASSERT_EQ(std::system(scan.c_str()), 0) << scan;
    std::string printed = readFile(dir.path() + "/qr.txt");
    while (!printed.empty() && printed.back() == '\n') printed.pop_back();
    EXPECT_EQ(printed, url);
    EXPECT_EQ(url.rfind("https://lp.example.cn/api/v1/certificates/" + number + "/verify?", 0), 0u)
        << url;
    // The message as the README documents it, rebuilt from the QR code alone.
    std::string message = "dossier-leader-certificate/1\n" + number + "\n" + queryValue(url, "cc") +
                          "\n" + queryValue(url, "star") + "\n" + queryValue(url, "from") + "\n" +
                          queryValue(url, "until");
    EXPECT_EQ(queryValue(url, "cc"), kCreditCode);
    std::string signature = filing::CertificateSigner::fromBase64url(queryValue(url, "sig"));
    ASSERT_EQ(signature.size(), 64u);

    auto openssl = [&](const std::string& msg, const std::string& sig) {
        std::string m = writeTemp(dir.path(), "message", msg);
        std::string s = writeTemp(dir.path(), "signature", sig);
        std::string command = "openssl pkeyutl -verify -pubin -inkey " + pem + " -rawin -in " + m +
                              " -sigfile " + s + " >/dev/null 2>&1";
        return std::system(command.c_str());
    };
    EXPECT_EQ(openssl(message, signature), 0) << "an independent verifier accepts it";
    std::string tampered = signature;
    tampered[10] = static_cast<char>(tampered[10] ^ 0x01);
    EXPECT_NE(openssl(message, tampered), 0) << "a tampered signature fails";
    std::string fourStars = message;
    fourStars.replace(fourStars.find("\n5\n"), 3, "\n4\n");
    EXPECT_NE(openssl(fourStars, signature), 0) << "a tampered star level fails";

    // Online, the signature given is checked too.
    std::string good = queryValue(url, "sig");
    EXPECT_EQ(verify(number, "?sig=" + good).json()->getValue<std::string>("qr_signature"),
              "valid");
    std::string bad = filing::CertificateSigner::base64url(tampered);
    EXPECT_EQ(verify(number, "?sig=" + bad).json()->getValue<std::string>("qr_signature"),
              "invalid");

    // The key stays the server's: mode 0600, the same after a restart.
    struct stat st {};
    ASSERT_EQ(::stat((config.dataDir + "/certificate-signing-key.pem").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto reopened =
        filing::CertificateSigner::openOrCreate(config.dataDir + "/certificate-signing-key.pem");
    EXPECT_EQ(reopened->keyId(), key->getValue<std::string>("key_id"));
    EXPECT_TRUE(reopened->verify(message, good));
    // A key others can read is refused.
    ::chmod((config.dataDir + "/certificate-signing-key.pem").c_str(), 0644);
    EXPECT_THROW(
        filing::CertificateSigner::openOrCreate(config.dataDir + "/certificate-signing-key.pem"),
        Error);
}

TEST_F(LeaderCertificateTest, GuessingNumbersIsRateLimited) {
    std::string number;
    issued(&number);
    http::ServerOptions options;
    options.throttleBurst = 3;
    options.throttlePerMinute = 1;
    auto limited = startInProcessServer(*services, options);
    HttpTestClient c(limited->port());
    // Known numbers cost nothing.
    for (int i = 0; i < 10; ++i) {
        ASSERT_EQ(c.get("/api/v1/certificates/" + number + "/verify").status, 200);
    }
    for (int i = 0; i < 3; ++i) {
        auto miss = c.get("/api/v1/certificates/LP2026-GUESS" + std::to_string(i) + "/verify");
        EXPECT_EQ(miss.status, 404);
        EXPECT_EQ(codeOf(miss), "certificate.not_found");
    }
    auto refused = c.get("/api/v1/certificates/LP2026-GUESS9/verify");
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_EQ(codeOf(refused), "client.rate_limited");
    EXPECT_FALSE(refused.header("Retry-After").empty());
    // Past its budget the address learns nothing, not even that a number exists.
    EXPECT_EQ(c.get("/api/v1/certificates/" + number + "/verify").status, 429);
    limited->stop();
}

TEST_F(LeaderCertificateTest, LabelsPerModelAndAnAddedModelGetsALabelWithoutANewCertificate) {
    std::string id = inNotice();
    auto early = member->get("/api/v1/leader-candidates/" + id + "/labels/1.pdf");
    EXPECT_EQ(codeOf(early), "certificate.notice_running") << early.body;
    clock->set(kFifteenthDay);
    auto first = member->get("/api/v1/leader-candidates/" + id + "/labels/1.pdf");
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.header("Content-Type"), "application/pdf");
    std::string number = first.header("Dossier-Certificate-Number");
    auto second = member->get("/api/v1/leader-candidates/" + id + "/labels/2.pdf");
    ASSERT_EQ(second.status, 200);
    EXPECT_TRUE(second.body != first.body);
    EXPECT_EQ(codeOf(member->get("/api/v1/leader-candidates/" + id + "/labels/3.pdf")),
              "certificate.model_not_found");

    // 追加规格/型号 after publication.
    auto added = member->postJson("/api/v1/leader-candidates/" + id + "/models",
                                  R"({"model":"DZ47-63 D63/3P"})");
    ASSERT_EQ(added.status, 201) << added.body;
    auto models = added.json()->getArray("models");
    ASSERT_EQ(models->size(), 3u);
    EXPECT_TRUE(models->getObject(2)->getValue<bool>("added_after_issue"));
    EXPECT_FALSE(models->getObject(0)->getValue<bool>("added_after_issue"));
    EXPECT_EQ(codeOf(member->postJson("/api/v1/leader-candidates/" + id + "/models",
                                      R"({"model":"DZ47-63 C16"})")),
              "certificate.model_taken");
    auto third = member->get("/api/v1/leader-candidates/" + id + "/labels/3.pdf");
    ASSERT_EQ(third.status, 200) << third.body;
    EXPECT_EQ(third.header("Dossier-Certificate-Number"), number);
    EXPECT_EQ(testDb.queryTexts("SELECT number FROM certificates"),
              std::vector<std::string>{number});
}

TEST_F(LeaderCertificateTest, EvidenceIsTheOrganizationsDocumentsAndStaysWhileLinked) {
    std::string id = declare();
    std::string document = TestWorld::upload(*member, makeTextPdf(1), "检测报告.pdf", "evidence");
    std::string foreign = TestWorld::upload(*other, makeTextPdf(1), "别家的.pdf", "evidence");
    std::string path = "/api/v1/leader-candidates/" + id + "/evidence";
    auto theirs = member->postJson(path, R"({"document_id":")" + foreign + R"("})");
    EXPECT_EQ(problemsOf(theirs), std::set<std::string>{"document_id field.not_in_list"});
    auto linked = member->postJson(path, R"({"document_id":")" + document + R"("})");
    ASSERT_EQ(linked.status, 201) << linked.body;
    EXPECT_NE(evaluator->get(path).body.find(document), std::string::npos);
    EXPECT_EQ(other->postJson(path, R"({"document_id":")" + foreign + R"("})").status, 404);
    auto removed = member->request("DELETE", "/api/v1/documents/" + document);
    EXPECT_EQ(removed.status, 409) << removed.body;
    EXPECT_EQ(codeOf(removed), "document.in_use");
}

TEST_F(LeaderCertificateTest, OthersDoNotSeeTheCandidate) {
    std::string id = declare();
    EXPECT_EQ(member->get("/api/v1/leader-candidates/" + id).status, 200);
    EXPECT_EQ(admin->get("/api/v1/leader-candidates/" + id).status, 200);
    EXPECT_EQ(codeOf(other->get("/api/v1/leader-candidates/" + id)),
              "certificate.candidate_not_found");
    EXPECT_EQ(reviewer->get("/api/v1/leader-candidates/" + id).status, 403);
    EXPECT_EQ(evaluator->get("/api/v1/leader-candidates/" + id).status, 200);
    EXPECT_EQ(other->get("/api/v1/leader-candidates").json()->getArray("items")->size(), 0u);
    EXPECT_EQ(evaluator->get("/api/v1/leader-candidates?state=submitted")
                  .json()
                  ->getArray("items")
                  ->size(),
              1u);
    // Not in notice: not public, so no objection can name it.
    EXPECT_EQ(anonymous
                  ->postJson("/api/v1/leader-candidates/" + id + "/objections",
                             R"({"text":"x","contact":"y"})")
                  .status,
              404);
}

TEST_F(LeaderCertificateTest, RacingFirstDownloadsIssueOneCertificate) {
    for (int round = 0; round < 4; ++round) {
        std::string id = inNotice("Q/GZJK 10" + std::to_string(round) + "-2025");
        clock->set(kFifteenthDay);
        std::string a, b;
        raceInTurns(
            round,
            [&] {
                HttpTestClient c(server->port());
                c.setBearer(member->bearer());
                a = c.get("/api/v1/leader-candidates/" + id + "/certificate.pdf")
                        .header("Dossier-Certificate-Number");
            },
            [&] {
                HttpTestClient c(server->port());
                c.setBearer(evaluator->bearer());
                b = c.get("/api/v1/leader-candidates/" + id + "/certificate.pdf")
                        .header("Dossier-Certificate-Number");
            });
        EXPECT_FALSE(a.empty());
        EXPECT_EQ(a, b);
        EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM certificates WHERE candidate_id = '" +
                                    id + "'"),
                  std::vector<std::string>{"1"});
        // The winner certified the candidate with its one audit row; the loser wrote none.
        EXPECT_EQ(testDb.queryTexts("SELECT state FROM leader_candidates WHERE id = '" + id + "'"),
                  std::vector<std::string>{"certified"});
        EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM audit_log WHERE action = "
                                    "'certificate.issue' AND target = 'certificate:" +
                                    a + "'"),
                  std::vector<std::string>{"1"});
    }
}

// A self-declared product stays declared when its record issues, so the state cannot
// serialize two first label downloads: the second must find the record, not the unique index
// (it answered 503 storage.database, "UNIQUE constraint failed: certificates.candidate_id").
TEST_F(LeaderCertificateTest, RacingFirstLabelsOfASelfDeclaredProductIssueOneRecord) {
    for (int round = 0; round < 8; ++round) {
        auto declared =
            member->postJson("/api/v1/leader-candidates",
                             declaration(kThreeStars, "Q/GZJK 20" + std::to_string(round) + "-2025",
                                         R"(,"kind":"self_declared","star_level":3)"));
        ASSERT_EQ(declared.status, 201) << declared.body;
        std::string id = TestWorld::idOf(declared);
        HttpResult a, b;
        raceInTurns(
            round,
            [&] {
                HttpTestClient c(server->port());
                c.setBearer(member->bearer());
                a = c.get("/api/v1/leader-candidates/" + id + "/labels/1.pdf");
            },
            [&] {
                HttpTestClient c(server->port());
                c.setBearer(evaluator->bearer());
                b = c.get("/api/v1/leader-candidates/" + id + "/labels/2.pdf");
            },
            std::chrono::microseconds(100));
        ASSERT_EQ(a.status, 200) << a.body;
        ASSERT_EQ(b.status, 200) << b.body;
        EXPECT_EQ(a.header("Dossier-Certificate-Number"), b.header("Dossier-Certificate-Number"));
        EXPECT_EQ(testDb.queryTexts("SELECT COUNT(*) FROM certificates WHERE candidate_id = '" +
                                    id + "'"),
                  std::vector<std::string>{"1"});
    }
}

TEST_F(LeaderCertificateTest, TheCandidateIsCertifiedWithItsCertificateAndRevokedWithIt) {
    std::string id = inNotice();
    auto path = "/api/v1/leader-candidates/" + id;
    EXPECT_EQ(member->get(path).json()->getValue<std::string>("state"), "notice");
    clock->set(kFifteenthDay);
    auto pdf = member->get(path + "/certificate.pdf");
    ASSERT_EQ(pdf.status, 200) << pdf.body;
    std::string number = pdf.header("Dossier-Certificate-Number");
    auto certified = member->get(path).json();
    EXPECT_EQ(certified->getValue<std::string>("state"), "certified");
    EXPECT_EQ(certified->getObject("certificate")->getValue<std::string>("number"), number);
    auto listed = evaluator->get("/api/v1/leader-candidates?state=certified").json();
    ASSERT_EQ(listed->getArray("items")->size(), 1u);
    EXPECT_EQ(listed->getArray("items")->getObject(0)->getValue<std::string>("id"), id);
    EXPECT_EQ(
        evaluator->get("/api/v1/leader-candidates?state=notice").json()->getArray("items")->size(),
        0u);
    // Certified is live: the same standard cannot be declared twice.
    EXPECT_EQ(codeOf(member->postJson("/api/v1/leader-candidates", declaration(kFiveStars))),
              "certificate.candidate_taken");
    // Downloading again changes nothing.
    EXPECT_EQ(member->get(path + "/certificate.pdf").status, 200);
    EXPECT_EQ(member->get(path).json()->getValue<std::string>("state"), "certified");

    // The database refuses every transition but the lifecycle's, and any other state.
    for (const char* state : {"notice", "submitted", "refused", "declared", "revoked", "bogus"}) {
        EXPECT_ANY_THROW(testDb.exec("UPDATE leader_candidates SET state = '" + std::string(state) +
                                     "' WHERE id = '" + id + "'"))
            << state;
    }
    std::string waiting = inNotice("Q/GZJK 002-2025");
    clock->set(kFifteenthDay);
    EXPECT_ANY_THROW(testDb.exec("UPDATE leader_candidates SET state = 'certified' WHERE id = '" +
                                 waiting + "'"))
        << "certified without a certificate";

    auto revoked = evaluator->postJson("/api/v1/certificates/" + number + "/revoke",
                                       R"({"reason":"抽检不合格"})");
    ASSERT_EQ(revoked.status, 200) << revoked.body;
    auto after = member->get(path).json();
    EXPECT_EQ(after->getValue<std::string>("state"), "revoked");
    EXPECT_EQ(after->getObject("certificate")->getValue<std::string>("status"), "revoked");
    auto audit =
        testDb.queryTexts("SELECT detail_json FROM audit_log WHERE action = 'certificate.revoke'");
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_NE(audit[0].find("\"after\":\"revoked\""), std::string::npos) << audit[0];
    EXPECT_ANY_THROW(
        testDb.exec("UPDATE leader_candidates SET state = 'certified' WHERE id = '" + id + "'"));
    // A revoked candidate takes no more models (追加型号 is for a live certificate).
    auto lateModel = member->postJson(path + "/models", R"({"model":"DZ47-63 D63/3P"})");
    EXPECT_EQ(codeOf(lateModel), "certificate.candidate_state") << lateModel.body;
    EXPECT_EQ(member->get(path).json()->getArray("models")->size(), 2u);
    // A revoked candidate is no longer live: the organization may declare the standard again.
    EXPECT_EQ(member->postJson("/api/v1/leader-candidates", declaration(kFiveStars)).status, 201);
}

}  // namespace
