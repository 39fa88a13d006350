// Organizations and members (issue 11, items 2–5 and 9): 注册查询, personal accounts, join
// requests, members, 权限转让, 注销账号 — over HTTP against a real server on port 0, on SQLite
// and on PostgreSQL (DOSSIER_TEST_BACKEND), races with threads.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "Race.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "TestWorld.h"
#include "dossier/app/Services.h"
#include "dossier/core/CreditCode.h"
#include "dossier/core/Utf8.h"
#include "dossier/http/Server.h"

using namespace dossier;
using namespace dossier::test;

namespace {

constexpr const char* kPassword = HttpTestClient::kTestPassword;
constexpr const char* kSql = "'; DROP TABLE accounts;--";
constexpr std::int64_t kSecond = 1000 * 1000;

std::string json(const Poco::JSON::Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

/// Valid credit codes (GB 32100 and GB 11714 checks) from the real-code fixture.
const std::vector<std::string>& creditCodes() {
    static const std::vector<std::string> codes = [] {
        std::vector<std::string> out;
        std::istringstream in(readFile(fixturePath("real/uscc/valid_uscc_python_stdnum.txt")));
        for (std::string line; std::getline(in, line);) {
            if (!line.empty() && line[0] != '#' && CreditCode::isValid(line)) out.push_back(line);
        }
        return out;
    }();
    return codes;
}

std::string jpeg() { return readFile(fixturePath("real/yyzz_template_generator-tools.jpg")); }

/// ASCII letters and digits as their full-width forms (U+FF10…, U+FF21…, U+FF41…).
std::string fullWidth(const std::string& ascii) {
    std::string out;
    for (char c : ascii) {
        char32_t cp = static_cast<unsigned char>(c);
        if (std::isalnum(static_cast<unsigned char>(c))) cp += 0xFEE0;
        utf8::append(out, cp);
    }
    return out;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string encode(const std::string& s) {
    std::string out;
    Poco::URI::encode(s, "&=+?#/%", out);
    return out;
}

/// "path code" of each of a 422's errors.
std::vector<std::string> problemsOf(const HttpResult& r) {
    std::vector<std::string> out;
    auto body = r.json();
    if (!body || !body->has("errors")) return out;
    auto errors = body->getArray("errors");
    for (std::size_t i = 0; i < errors->size(); ++i) {
        auto e = errors->getObject(static_cast<unsigned>(i));
        out.push_back(e->getValue<std::string>("path") + " " + e->getValue<std::string>("code"));
    }
    return out;
}

class OrganizationTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        config.checkWorkers = 0;
        services = app::Services::open(config, nullptr, clock);
        server = startInProcessServer(*services);
        world = std::make_unique<TestWorld>(*services, server->port());
    }
    void TearDown() override {
        if (server) server->stop();
        if (services) services->checkRunner().stop();
    }

    static void expectProblem(const HttpResult& r, int status, const std::string& code) {
        EXPECT_EQ(r.status, status) << r.body;
        EXPECT_EQ(r.header("Content-Type"), "application/problem+json") << r.body;
        auto body = r.json();
        ASSERT_TRUE(body) << r.body;
        EXPECT_EQ(body->getValue<std::string>("code"), code) << r.body;
    }

    HttpResult lookup(HttpTestClient& c, const std::string& q) {
        return c.get("/api/v1/organizations/lookup?q=" + encode(q));
    }

    /// The organization's audit rows (action → details), oldest first.
    std::vector<std::pair<std::string, Poco::JSON::Object::Ptr>> audit(const std::string& target) {
        std::vector<std::pair<std::string, Poco::JSON::Object::Ptr>> out;
        auto rows = services->audit().forTarget(target, 1000);
        for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
            auto details =
                Poco::JSON::Parser().parse(it->detailJson).extract<Poco::JSON::Object::Ptr>();
            details->set("_by", it->accountId);
            out.emplace_back(it->action, details);
        }
        return out;
    }

    /// The details of the one audit row of `action` on `target` (with "_by": who); null when
    /// there is none. Rows written within one clock reading have no order among themselves.
    Poco::JSON::Object::Ptr entryOf(const std::string& target, const std::string& action) {
        Poco::JSON::Object::Ptr found;
        int n = 0;
        for (const auto& [a, details] : audit(target)) {
            if (a == action) found = details, ++n;
        }
        EXPECT_LE(n, 1) << action << " on " << target;
        return found;
    }

    void tick() { clock->set(clock->nowMicros() + 1000); }

    /// The admins the database holds for the organization (members flagged admin).
    int adminCount(const std::string& org) {
        int n = 0;
        for (const auto& m : services->organizationRows().members(org)) n += m.admin ? 1 : 0;
        return n;
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    std::shared_ptr<FixedClock> clock = std::make_shared<FixedClock>(1'763'600'000'000'000LL);
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<TestWorld> world;  // its people: admins, personal accounts, members, staff
};

// ---------------------------------------------------------------- 注册查询

TEST_F(OrganizationTest, LookupSaysWhetherAnAdminExistsAndNothingMore) {
    const std::string code = creditCodes()[0];
    std::string adminId, org;
    auto boss = world->admin("jingke01", "13800000001", "北京𠮷祥科技（集团）有限公司", code,
                             &adminId, &org);
    auto anonymous = world->client();

    auto byName = lookup(*anonymous, "北京𠮷祥科技（集团）有限公司");
    ASSERT_EQ(byName.status, 200) << byName.body;
    EXPECT_EQ(byName.body, R"({"admin_registered":true})");
    EXPECT_EQ(byName.header("Cache-Control"), "no-store");
    // What applicants type differently: surrounding spaces (ASCII, ideographic), () for （）.
    for (const std::string& typed : {std::string("  北京𠮷祥科技（集团）有限公司 "),
                                     std::string("\xE3\x80\x80北京𠮷祥科技(集团)有限公司"),
                                     std::string("北京𠮷祥科技(集团）有限公司\t")}) {
        EXPECT_EQ(lookup(*anonymous, typed).body, R"({"admin_registered":true})") << typed;
    }
    // By credit code, in any case; with the check character wrong it is not a code at all.
    EXPECT_EQ(lookup(*anonymous, lower(code)).body, R"({"admin_registered":true})");
    EXPECT_EQ(lookup(*anonymous, " " + code + " ").body, R"({"admin_registered":true})");
    EXPECT_EQ(lookup(*anonymous, creditCodes()[1]).body, R"({"admin_registered":false})");
    std::string wrongCheck = code.substr(0, 17) + (code[17] == '0' ? "1" : "0");
    auto bad = lookup(*anonymous, wrongCheck);
    expectProblem(bad, 400, "request.malformed");
    EXPECT_NE(bad.body.find("统一社会信用代码"), std::string::npos) << bad.body;
    expectProblem(lookup(*anonymous, "12345"), 400, "request.malformed");
    // Full-width letters and digits (what a Chinese input method types) are the code's own
    // characters, read as their ASCII forms: the same organization.
    EXPECT_EQ(lookup(*anonymous, fullWidth(code)).body, R"({"admin_registered":true})");
    EXPECT_EQ(lookup(*anonymous, "\xE3\x80\x80" + fullWidth(lower(code))).body,
              R"({"admin_registered":true})");
    // Full-width digits alone are a credit code too, so a wrong one is refused as such (a full
    // name always has other characters).
    expectProblem(lookup(*anonymous, fullWidth("9111")), 400, "request.malformed");
    expectProblem(lookup(*anonymous, fullWidth(wrongCheck)), 400, "request.malformed");
    // Other names, inner spaces, SQL and 生僻字 are names that simply are not registered.
    for (const std::string& other :
         {std::string("北京𠮷祥科技 （集团）有限公司"), std::string("北京𠮷祥科技有限公司"),
          std::string(kSql), std::string("𠮷"), std::string("北京%有限公司")}) {
        auto r = lookup(*anonymous, other);
        EXPECT_EQ(r.status, 200) << other << r.body;
        EXPECT_EQ(r.body, R"({"admin_registered":false})") << other;
    }
    // Never a person's data: no name, username, phone or account id of the admin.
    EXPECT_EQ(byName.body.find("jingke01"), std::string::npos);
    EXPECT_EQ(byName.body.find("13800000001"), std::string::npos);
    EXPECT_EQ(byName.body.find(adminId), std::string::npos);

    // A signed-in personal account gets the organization to ask to join; nobody else does.
    auto person = world->personal("geren001", "13800000002");
    auto asPerson = lookup(*person, "北京𠮷祥科技(集团)有限公司");
    EXPECT_EQ(asPerson.body, R"({"admin_registered":true,"organization_id":")" + org + "\"}");
    EXPECT_EQ(asPerson.header("Vary"), "Authorization");
    EXPECT_EQ(lookup(*boss, code).body, R"({"admin_registered":true})");
    auto reviewer = world->staff(Role::Reviewer, "review01", "13900000001");
    EXPECT_EQ(lookup(*reviewer, code).body, R"({"admin_registered":true})");
    // A bad or expired token is simply anonymous, not 401.
    for (const std::string& token : {std::string("dsr_forged"), person->bearer() + "x"}) {
        auto c = world->client();
        c->setBearer(token);
        auto r = lookup(*c, code);
        EXPECT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.body, R"({"admin_registered":true})");
    }
    clock->set(clock->nowMicros() + 13 * 3600 * kSecond);  // the person's session has expired
    EXPECT_EQ(lookup(*person, code).body, R"({"admin_registered":true})");
}

// q is a query parameter: its problems are the request's, 400 request.malformed, as on every
// route (README, "Query parameters").
TEST_F(OrganizationTest, LookupRefusesWhatIsNeitherANameNorACode) {
    auto c = world->client();
    auto refused = [&](const HttpResult& r, const std::string& words) {
        expectProblem(r, 400, "request.malformed");
        EXPECT_NE(r.body.find(words), std::string::npos) << r.body;
    };
    refused(c->get("/api/v1/organizations/lookup"), "q");
    refused(lookup(*c, ""), "q");
    refused(lookup(*c, " \xE3\x80\x80 "), "q");
    std::string name100;
    for (int i = 0; i < 99; ++i) name100 += "国";
    name100 += "𠮷";
    EXPECT_EQ(lookup(*c, name100).status, 200);
    refused(lookup(*c, name100 + "司"), "100");
    refused(lookup(*c, "某公司\x01"), "control");
    refused(c->get("/api/v1/organizations/lookup?q=%FF%FE"), "UTF-8");
    refused(c->get("/api/v1/organizations/lookup?q=%E6%9F%90%00"), "control");
    // Given twice, q is refused (not read first- or last-wins); an unknown parameter is ignored.
    refused(c->get("/api/v1/organizations/lookup?q=x%E5%85%AC&q=y%E5%85%AC"), "twice");
    EXPECT_EQ(c->get("/api/v1/organizations/lookup?q=x%E5%85%AC&name=y").status, 200);
}

// ---------------------------------------------------------------- personal accounts

TEST_F(OrganizationTest, PersonalAccountsFollowTheAccountRulesAndNeedAnOrganization) {
    auto boss =
        world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司", creditCodes()[0]);
    auto c = world->client();
    auto created = world->registerPersonal(*c, "geren001", "13800000002", "王𠮷");
    ASSERT_EQ(created.status, 201) << created.body;
    auto account = created.json()->getObject("account");
    EXPECT_EQ(account->getValue<std::string>("role"), "applicant");
    EXPECT_FALSE(account->has("organization_id"));
    EXPECT_FALSE(created.json()->has("organization"));
    EXPECT_EQ(account->getValue<std::string>("display_name"), "王𠮷");
    ASSERT_EQ(c->signIn("geren001").status, 201);
    auto me = c->get("/api/v1/me");
    EXPECT_FALSE(me.json()->has("organization"));
    EXPECT_FALSE(me.json()->getObject("account")->has("organization_admin"));
    // Personal accounts act for no organization.
    expectProblem(c->upload(jpeg(), "证明.jpg", "evidence"), 403,
                  "organization.membership_required");
    auto created1 = entryOf("account:" + account->getValue<std::string>("id"), "account.create");
    ASSERT_TRUE(created1);
    EXPECT_EQ(created1->getValue<std::string>("personal"), "true");

    // One account per phone and per username, across both kinds.
    expectProblem(world->registerPersonal(*c, "geren002", "13800000001"), 409,
                  "account.phone_taken");
    expectProblem(world->registerPersonal(*c, "JINGKE01", "13800000003"), 409,
                  "account.username_taken");
    auto again = world->client();
    Poco::JSON::Object org;
    org.set("name", "北京某某科技有限公司");
    org.set("credit_code", creditCodes()[1]);
    Poco::JSON::Object body;
    body.set("username", "other001");
    body.set("password", kPassword);
    body.set("phone", "13800000002");
    body.set("display_name", "李四");
    body.set("organization", org);
    expectProblem(again->postJson("/api/v1/accounts", json(body)), 409, "account.phone_taken");

    // Boundaries: username 4–16 letters or digits, display name ≤ 32 characters.
    EXPECT_EQ(problemsOf(world->registerPersonal(*c, "abc", "13800000010")),
              std::vector<std::string>{"username field.username"});
    EXPECT_EQ(world->registerPersonal(*c, "abcd", "13800000011").status, 201);
    EXPECT_EQ(world->registerPersonal(*c, std::string(16, 'p'), "13800000012").status, 201);
    EXPECT_EQ(problemsOf(world->registerPersonal(*c, std::string(17, 'q'), "13800000013")),
              std::vector<std::string>{"username field.username"});
    std::string name32;
    for (int i = 0; i < 31; ++i) name32 += "名";
    name32 += "𠮷";
    EXPECT_EQ(world->registerPersonal(*c, "name0032", "13800000014", name32).status, 201);
    EXPECT_EQ(problemsOf(world->registerPersonal(*c, "name0033", "13800000015", name32 + "x")),
              std::vector<std::string>{"display_name field.too_long"});
    // SQL metacharacters are text (kept as given) or a refused username, never SQL.
    auto sqlName = world->registerPersonal(*c, "sqlname1", "13800000016", kSql);
    ASSERT_EQ(sqlName.status, 201) << sqlName.body;
    EXPECT_EQ(sqlName.json()->getObject("account")->getValue<std::string>("display_name"), kSql);
    EXPECT_EQ(problemsOf(world->registerPersonal(*c, kSql, "13800000017")),
              std::vector<std::string>{"username field.username"});
    // Unknown fields, a non-object organization, oversized bodies.
    Poco::JSON::Object extra;
    extra.set("username", "extra001");
    extra.set("password", kPassword);
    extra.set("phone", "13800000018");
    extra.set("display_name", "赵六");
    extra.set("admin", true);
    EXPECT_EQ(problemsOf(c->postJson("/api/v1/accounts", json(extra))),
              std::vector<std::string>{"admin field.unknown"});
    extra.remove("admin");
    extra.set("organization", "北京某某科技有限公司");
    EXPECT_EQ(problemsOf(c->postJson("/api/v1/accounts", json(extra))),
              std::vector<std::string>{"organization field.type"});
    extra.remove("organization");
    extra.set("display_name", std::string(17 * 1024, 'x'));
    expectProblem(c->postJson("/api/v1/accounts", json(extra)), 413, "request.too_large");
    EXPECT_EQ(services->accountRows().countAccounts(), 6u);
}

TEST_F(OrganizationTest, OrganizationNamesAreTrimmedAndBoundedAtRegistration) {
    std::string name100;
    for (int i = 0; i < 99; ++i) name100 += "国";
    name100 += "𠮷";
    auto c = world->client();
    auto ok =
        c->signUp("jingke01", "13800000001", " " + name100 + "\xE3\x80\x80", creditCodes()[0]);
    ASSERT_TRUE(ok);
    auto me = c->get("/api/v1/me");
    EXPECT_EQ(me.json()->getObject("organization")->getValue<std::string>("name"), name100);
    Poco::JSON::Object org;
    org.set("name", name100 + "司");
    org.set("credit_code", creditCodes()[1]);
    Poco::JSON::Object body;
    body.set("username", "jingke02");
    body.set("password", kPassword);
    body.set("phone", "13800000002");
    body.set("display_name", "李四");
    body.set("organization", org);
    EXPECT_EQ(problemsOf(c->postJson("/api/v1/accounts", json(body))),
              std::vector<std::string>{"organization.name field.too_long"});
    org.set("name", kSql);
    body.set("organization", org);
    auto sql = c->postJson("/api/v1/accounts", json(body));
    ASSERT_EQ(sql.status, 201) << sql.body;
    EXPECT_EQ(sql.json()->getObject("organization")->getValue<std::string>("name"), kSql);
    EXPECT_EQ(lookup(*c, kSql).body, R"({"admin_registered":true})");
}

// ---------------------------------------------------------------- membership

TEST_F(OrganizationTest, JoinRequestsAreApprovedOrRefusedByTheAdminOnly) {
    std::string adminId, org, otherOrg, personId, person2Id;
    auto boss = world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司",
                             creditCodes()[0], &adminId, &org);
    auto rival = world->admin("rival001", "13800000009", "北京某某科技有限公司", creditCodes()[1],
                              nullptr, &otherOrg);
    auto person = world->personal("geren001", "13800000002", &personId, "王𠮷");
    auto person2 = world->personal("geren002", "13800000003", &person2Id, kSql);
    auto reviewer = world->staff(Role::Reviewer, "review01", "13900000001");
    const std::string base = "/api/v1/organizations/" + org;

    // Personal accounts see no organization yet.
    expectProblem(person->get(base), 403, "organization.membership_required");
    expectProblem(person->get(base + "/members"), 403, "organization.membership_required");

    auto asked = person->postJson(base + "/join-requests", "");
    ASSERT_EQ(asked.status, 201) << asked.body;
    std::string requestId = asked.json()->getValue<std::string>("id");
    EXPECT_EQ(asked.json()->getValue<std::string>("state"), "pending");
    expectProblem(person->postJson(base + "/join-requests", "{}"), 409, "join_request.pending");
    expectProblem(person->postJson("/api/v1/organizations/" + otherOrg + "/join-requests", ""), 409,
                  "join_request.pending");
    expectProblem(person2->postJson(base + "/join-requests", R"({"message":"hi"})"), 422,
                  "validation.failed");
    expectProblem(person2->postJson("/api/v1/organizations/nope/join-requests", ""), 404,
                  "organization.not_found");
    expectProblem(person2->postJson("/api/v1/organizations/" + encode(kSql) + "/join-requests", ""),
                  404, "organization.not_found");
    expectProblem(rival->postJson(base + "/join-requests", ""), 409, "account.already_member");
    expectProblem(boss->postJson(base + "/join-requests", ""), 409, "account.already_member");
    expectProblem(reviewer->postJson(base + "/join-requests", ""), 403, "auth.forbidden");
    expectProblem(reviewer->postJson(base + "/join-requests", R"({"x":1})"), 403, "auth.forbidden");
    tick();
    auto second = person2->postJson(base + "/join-requests", "");
    ASSERT_EQ(second.status, 201);
    std::string secondId = second.json()->getValue<std::string>("id");

    // The admin's list: who asks (no phone), oldest first.
    auto pending = boss->get(base + "/join-requests?state=pending");
    ASSERT_EQ(pending.status, 200) << pending.body;
    auto items = pending.json()->getArray("items");
    ASSERT_EQ(items->size(), 2u);
    EXPECT_EQ(items->getObject(0)->getObject("account")->getValue<std::string>("display_name"),
              "王𠮷");
    EXPECT_EQ(items->getObject(1)->getObject("account")->getValue<std::string>("display_name"),
              kSql);
    EXPECT_EQ(pending.body.find("13800000002"), std::string::npos);
    // The query rules of every route: a value outside its list or given twice is 400; a
    // parameter the route does not define (it is not paginated) is ignored.
    expectProblem(boss->get(base + "/join-requests?state=done"), 400, "request.malformed");
    expectProblem(boss->get(base + "/join-requests?state=pending&state=refused"), 400,
                  "request.malformed");
    expectProblem(boss->get(base + "/join-requests?state=%00"), 400, "request.malformed");
    auto paged = boss->get(base + "/join-requests?state=pending&page=abc&per_page=0");
    ASSERT_EQ(paged.status, 200) << paged.body;
    EXPECT_EQ(paged.json()->getArray("items")->size(), 2u);
    expectProblem(rival->get(base + "/join-requests"), 404, "organization.not_found");
    expectProblem(person->get(base + "/join-requests"), 403, "organization.membership_required");
    expectProblem(reviewer->get(base + "/join-requests"), 403, "auth.forbidden");
    expectProblem(rival->get(base + "/join-requests?page=2"), 404, "organization.not_found");
    expectProblem(rival->postJson(base + "/join-requests/" + requestId + "/approve", ""), 404,
                  "organization.not_found");
    expectProblem(
        rival->postJson(
            "/api/v1/organizations/" + otherOrg + "/join-requests/" + requestId + "/approve", ""),
        404, "join_request.not_found");
    expectProblem(boss->postJson(base + "/join-requests/" + encode(kSql) + "/approve", ""), 404,
                  "join_request.not_found");
    expectProblem(
        boss->postJson(base + "/join-requests/" + requestId + "/approve", R"({"note":"ok"})"), 422,
        "validation.failed");

    EXPECT_EQ(person->get("/api/v1/me").status, 200);  // its session is in this node's cache
    auto approved = boss->postJson(base + "/join-requests/" + requestId + "/approve", "");
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(approved.json()->getValue<std::string>("state"), "approved");
    EXPECT_EQ(approved.json()->getValue<std::string>("decided_by"), adminId);
    expectProblem(boss->postJson(base + "/join-requests/" + requestId + "/refuse", ""), 409,
                  "join_request.decided");
    // At once on this node: the member acts for the organization.
    auto me = person->get("/api/v1/me");
    EXPECT_EQ(me.json()->getObject("account")->getValue<std::string>("organization_id"), org);
    EXPECT_FALSE(me.json()->getObject("account")->getValue<bool>("organization_admin"));
    auto summary = person->get(base);
    ASSERT_EQ(summary.status, 200) << summary.body;
    EXPECT_EQ(summary.json()->getValue<std::string>("admin_account_id"), adminId);
    EXPECT_EQ(summary.json()->getValue<int>("member_count"), 2);
    auto members = person->get(base + "/members");
    ASSERT_EQ(members.status, 200);
    auto list = members.json()->getArray("items");
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ(list->getObject(0)->getValue<std::string>("id"), adminId);
    EXPECT_TRUE(list->getObject(0)->getValue<bool>("admin"));
    EXPECT_EQ(list->getObject(1)->getValue<std::string>("id"), personId);
    EXPECT_FALSE(list->getObject(1)->getValue<bool>("admin"));
    EXPECT_EQ(members.body.find("1380000000"), std::string::npos);
    expectProblem(rival->get(base), 404, "organization.not_found");
    expectProblem(rival->get(base + "/members"), 404, "organization.not_found");
    expectProblem(reviewer->get(base), 403, "auth.forbidden");
    // Members upload for the organization and see each other's documents.
    auto upload = person->upload(jpeg(), "证明.jpg", "evidence");
    ASSERT_EQ(upload.status, 201) << upload.body;
    EXPECT_EQ(upload.json()->getValue<std::string>("organization_id"), org);
    EXPECT_EQ(boss->get("/api/v1/documents/" + upload.json()->getValue<std::string>("id")).status,
              200);
    // A member manages nothing.
    expectProblem(person->get(base + "/join-requests"), 403, "auth.forbidden");
    expectProblem(person->postJson(base + "/join-requests/" + secondId + "/approve", ""), 403,
                  "auth.forbidden");
    expectProblem(person->postJson(base + "/join-requests/" + secondId + "/refuse", R"({"x":1})"),
                  403, "auth.forbidden");
    expectProblem(person->request("DELETE", base + "/members/" + adminId), 403, "auth.forbidden");
    Poco::JSON::Object transfer;
    transfer.set("account_id", personId);
    transfer.set("password", kPassword);
    expectProblem(person->postJson(base + "/admin-transfer", json(transfer)), 403,
                  "auth.forbidden");
    expectProblem(person->postJson(base + "/join-requests", ""), 409, "account.already_member");

    auto refused = boss->postJson(base + "/join-requests/" + secondId + "/refuse", "{}");
    ASSERT_EQ(refused.status, 200) << refused.body;
    EXPECT_EQ(refused.json()->getValue<std::string>("state"), "refused");
    expectProblem(person2->get(base), 403, "organization.membership_required");
    // Refused, it may ask again (one pending request at a time, not one ever).
    EXPECT_EQ(person2->postJson(base + "/join-requests", "").status, 201);
    auto all = boss->get(base + "/join-requests");
    EXPECT_EQ(all.json()->getArray("items")->size(), 3u);

    // The trail: who did what, before and after.
    std::multiset<std::string> actions;
    for (const auto& [action, details] : audit("organization:" + org)) {
        actions.insert(action);
        if (action == "organization.join_request.create") {
            EXPECT_EQ(details->getValue<std::string>("_by"),
                      details->getValue<std::string>("account_id"));
        }
    }
    EXPECT_EQ(actions,
              (std::multiset<std::string>{
                  "organization.join_request.create", "organization.join_request.create",
                  "organization.join_request.approved", "organization.join_request.refused",
                  "organization.join_request.create"}));
    auto approval = entryOf("organization:" + org, "organization.join_request.approved");
    ASSERT_TRUE(approval);
    EXPECT_EQ(approval->getValue<std::string>("_by"), adminId);
    EXPECT_EQ(approval->getValue<std::string>("account_id"), personId);
    EXPECT_EQ(approval->getValue<std::string>("request_id"), requestId);
    EXPECT_EQ(approval->getValue<std::string>("before"), "pending");
    EXPECT_EQ(approval->getValue<std::string>("after"), "approved");
}

TEST_F(OrganizationTest, TheAdminRemovesMembersButNotItself) {
    std::string adminId, org, memberId;
    auto boss = world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司",
                             creditCodes()[0], &adminId, &org);
    auto member = world->personal("geren001", "13800000002", &memberId);
    world->join(*member, *boss, org);
    const std::string base = "/api/v1/organizations/" + org;
    auto upload = member->upload(jpeg(), "证明.jpg", "evidence");
    ASSERT_EQ(upload.status, 201);
    std::string documentId = upload.json()->getValue<std::string>("id");

    expectProblem(boss->request("DELETE", base + "/members/" + adminId), 409, "member.is_admin");
    expectProblem(boss->request("DELETE", base + "/members/" + encode(kSql)), 404,
                  "member.not_found");
    auto removed = boss->request("DELETE", base + "/members/" + memberId);
    EXPECT_EQ(removed.status, 204) << removed.body;
    // At once on this node: a personal account again. What it uploaded stays the
    // organization's.
    expectProblem(member->get(base), 403, "organization.membership_required");
    expectProblem(member->get("/api/v1/documents/" + documentId), 404, "document.not_found");
    EXPECT_EQ(boss->get("/api/v1/documents/" + documentId).status, 200);
    expectProblem(boss->request("DELETE", base + "/members/" + memberId), 404, "member.not_found");
    auto removal = entryOf("organization:" + org, "organization.member.remove");
    ASSERT_TRUE(removal);
    EXPECT_EQ(removal->getValue<std::string>("account_id"), memberId);
    EXPECT_EQ(removal->getValue<std::string>("_by"), adminId);
    EXPECT_EQ(removal->getValue<std::string>("before"), "member:" + org);
    EXPECT_EQ(removal->getValue<std::string>("after"), "personal");
    // It may ask to join again.
    world->join(*member, *boss, org);
    EXPECT_EQ(member->get(base).status, 200);
}

// A membership change is honoured at once on the node that makes it and, through the
// session cache, within auth.session_cache_seconds on every other node.
TEST_F(OrganizationTest, OtherNodesHonourMembershipChangesWithinTheCacheTime) {
    std::string adminId, org, memberId;
    auto boss = world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司",
                             creditCodes()[0], &adminId, &org);
    auto member = world->personal("geren001", "13800000002", &memberId);
    app::Config other = config;
    other.dataDir = dir.path() + "/node2";
    auto services2 = app::Services::open(other, nullptr, clock);
    auto server2 = startInProcessServer(*services2);
    HttpTestClient onNode2(server2->port());
    onNode2.setBearer(member->bearer());
    const std::string base = "/api/v1/organizations/" + org;

    expectProblem(onNode2.get(base), 403, "organization.membership_required");  // cached there
    world->join(*member, *boss, org);
    EXPECT_EQ(member->get(base).status, 200);  // this node: at once
    clock->set(clock->nowMicros() + 5 * kSecond - 1);
    expectProblem(onNode2.get(base), 403, "organization.membership_required");
    clock->set(clock->nowMicros() + 1);
    EXPECT_EQ(onNode2.get(base).status, 200);  // node 2: within the cache time

    EXPECT_EQ(boss->request("DELETE", base + "/members/" + memberId).status, 204);
    expectProblem(member->get(base), 403, "organization.membership_required");
    EXPECT_EQ(onNode2.get(base).status, 200);
    clock->set(clock->nowMicros() + 5 * kSecond);
    expectProblem(onNode2.get(base), 403, "organization.membership_required");
    server2->stop();
    services2->checkRunner().stop();
}

// ---------------------------------------------------------------- 权限转让

TEST_F(OrganizationTest, AdminTransferNeedsThePasswordAndSwapsTheRoles) {
    std::string adminId, org, memberId, rivalId, rivalOrg;
    auto boss = world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司",
                             creditCodes()[0], &adminId, &org);
    auto member = world->personal("geren001", "13800000002", &memberId);
    auto rival = world->admin("rival001", "13800000009", "北京某某科技有限公司", creditCodes()[1],
                              &rivalId, &rivalOrg);
    world->join(*member, *boss, org);
    const std::string url = "/api/v1/organizations/" + org + "/admin-transfer";
    auto body = [](const std::string& account, const std::string& password) {
        Poco::JSON::Object o;
        o.set("account_id", account);
        o.set("password", password);
        return json(o);
    };

    EXPECT_EQ(problemsOf(boss->postJson(url, "{}")),
              (std::vector<std::string>{"account_id field.required", "password field.required"}));
    EXPECT_EQ(problemsOf(boss->postJson(url, R"({"account_id":5,"password":"x","force":true})")),
              (std::vector<std::string>{"account_id field.type", "force field.unknown"}));
    expectProblem(boss->postJson(url, "{\"account_id\":\"" + std::string(20000, 'x') + "\"}"), 413,
                  "request.too_large");
    expectProblem(boss->postJson(url, body(adminId, kPassword)), 409, "member.is_admin");
    expectProblem(boss->postJson(url, body(rivalId, kPassword)), 404, "member.not_found");
    expectProblem(boss->postJson(url, body(kSql, kPassword)), 404, "member.not_found");
    expectProblem(boss->postJson(url, body("𠮷", kPassword)), 404, "member.not_found");
    expectProblem(rival->postJson(url, body(memberId, kPassword)), 404, "organization.not_found");
    // Access is settled before the body is looked at.
    expectProblem(rival->postJson(url, "{}"), 404, "organization.not_found");
    expectProblem(member->postJson(url, R"({"force":true})"), 403, "auth.forbidden");
    // A wrong password is an attempt like a wrong sign-in: audited, counted toward the lock.
    expectProblem(boss->postJson(url, body(memberId, kSql)), 401, "auth.invalid_credentials");
    auto refusal = entryOf("account:" + adminId, "organization.admin.transfer_refused");
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->getValue<std::string>("reason"), "wrong_password");
    EXPECT_EQ(adminCount(org), 1);
    EXPECT_EQ(services->organizationRows().find(org)->adminAccountId, adminId);

    auto done = boss->postJson(url, body(memberId, kPassword));
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(done.json()->getValue<std::string>("admin_account_id"), memberId);
    // At once on this node: the old admin is a member, the member the admin.
    EXPECT_FALSE(
        boss->get("/api/v1/me").json()->getObject("account")->getValue<bool>("organization_admin"));
    EXPECT_TRUE(member->get("/api/v1/me")
                    .json()
                    ->getObject("account")
                    ->getValue<bool>("organization_admin"));
    expectProblem(boss->get("/api/v1/organizations/" + org + "/join-requests"), 403,
                  "auth.forbidden");
    EXPECT_EQ(member->get("/api/v1/organizations/" + org + "/join-requests").status, 200);
    expectProblem(boss->postJson(url, body(memberId, kPassword)), 403, "auth.forbidden");
    EXPECT_EQ(adminCount(org), 1);
    auto transferred = entryOf("organization:" + org, "organization.admin.transfer");
    ASSERT_TRUE(transferred);
    EXPECT_EQ(transferred->getValue<std::string>("_by"), adminId);
    EXPECT_EQ(transferred->getValue<std::string>("before"), adminId);
    EXPECT_EQ(transferred->getValue<std::string>("after"), memberId);
    // And back: the new admin may hand it on.
    EXPECT_EQ(member->postJson(url, body(adminId, kPassword)).status, 200);
    EXPECT_EQ(services->organizationRows().find(org)->adminAccountId, adminId);

    // Five wrong passwords lock the account, here as at sign-in.
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(boss->postJson(url, body(memberId, "Wrong-2025")).status, 401);
    }
    expectProblem(boss->postJson(url, body(memberId, kPassword)), 429, "auth.locked");
    EXPECT_EQ(services->organizationRows().find(org)->adminAccountId, adminId);
}

// Transfers A→B, A→C and B→A sent at once, round after round: afterwards exactly one admin,
// and every loser a 409 (the role moved under it) or a 403 (it was not the admin when it
// asked) — never a 500 or two admins.
TEST_F(OrganizationTest, RacingTransfersLeaveExactlyOneAdmin) {
    std::string a, b, c, org;
    auto clientA = world->admin("admin001", "13800000001", "广州精科医学检验所有限公司",
                                creditCodes()[0], &a, &org);
    auto clientB = world->personal("member01", "13800000002", &b);
    auto clientC = world->personal("member02", "13800000003", &c);
    world->join(*clientB, *clientA, org);
    world->join(*clientC, *clientA, org);
    const std::string url = "/api/v1/organizations/" + org + "/admin-transfer";
    std::map<std::string, std::string> tokens{
        {a, clientA->bearer()}, {b, clientB->bearer()}, {c, clientC->bearer()}};
    auto body = [](const std::string& account) {
        Poco::JSON::Object o;
        o.set("account_id", account);
        o.set("password", kPassword);
        return json(o);
    };
    std::map<int, int> statuses;
    int rounds = 0, wins = 0;
    for (int round = 0; round < 12; ++round) {
        std::vector<std::pair<std::string, std::string>> moves{{a, b}, {a, c}, {b, a}};
        std::vector<int> got(moves.size(), 0);
        std::vector<std::unique_ptr<HttpTestClient>> clients;
        for (const auto& move : moves) {
            clients.push_back(world->client());
            clients.back()->setBearer(tokens[move.first]);
        }
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < moves.size(); ++i) {
            threads.emplace_back([&, i] {
                while (!go) std::this_thread::yield();
                got[i] = clients[i]->postJson(url, body(moves[i].second)).status;
            });
        }
        go = true;
        for (auto& t : threads) t.join();
        for (int s : got) ++statuses[s];
        ++rounds;
        // A hands the role on twice only if B handed it back in between.
        EXPECT_TRUE(!(got[0] == 200 && got[1] == 200) || got[2] == 200)
            << "A handed the role on twice without having it back";
        EXPECT_TRUE(got[0] == 200 || got[1] == 200) << "A was the admin: one of its moves wins";
        wins += (got[0] == 200) + (got[1] == 200) + (got[2] == 200);
        ASSERT_EQ(adminCount(org), 1) << "round " << round;
        // Hand the role back to A for the next round.
        std::string now = services->organizationRows().find(org)->adminAccountId;
        if (now != a) {
            auto back = world->client();
            back->setBearer(tokens[now]);
            ASSERT_EQ(back->postJson(url, body(a)).status, 200);
        }
    }
    for (const auto& [status, n] : statuses) {
        EXPECT_TRUE(status == 200 || status == 403 || status == 409)
            << n << " answers of " << status;
    }
    EXPECT_GE(statuses[409], 1) << "no transfer ever lost a race to another";
    EXPECT_EQ(statuses[200], wins);
    EXPECT_EQ(adminCount(org), 1);
}

// A right password never counts as a failure, even when the transfer it confirms loses the
// race: eight transfers at once with the right password (one wins, the others 409, or 429
// while five are being checked) leave the account unlocked.
TEST_F(OrganizationTest, RacingTransfersWithTheRightPasswordDoNotLockTheAdmin) {
    std::string a, b, org;
    auto clientA = world->admin("admin001", "13800000001", "广州精科医学检验所有限公司",
                                creditCodes()[0], &a, &org);
    auto clientB = world->personal("member01", "13800000002", &b);
    world->join(*clientB, *clientA, org);
    Poco::JSON::Object o;
    o.set("account_id", b);
    o.set("password", kPassword);
    const std::string body = json(o);
    std::vector<int> got(8, 0);
    std::vector<std::unique_ptr<HttpTestClient>> clients;
    for (std::size_t i = 0; i < got.size(); ++i) {
        clients.push_back(world->client());
        clients.back()->setBearer(clientA->bearer());
    }
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < got.size(); ++i) {
        threads.emplace_back([&, i] {
            while (!go) std::this_thread::yield();
            got[i] = clients[i]
                         ->postJson("/api/v1/organizations/" + org + "/admin-transfer", body)
                         .status;
        });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(std::count(got.begin(), got.end(), 200), 1);
    // A loser whose request is read after the winner committed comes from a plain member by
    // then: 403 auth.forbidden (seen under the test command's load on PostgreSQL).
    for (int s : got) EXPECT_TRUE(s == 200 || s == 409 || s == 429 || s == 403) << s;
    auto again = world->client();
    EXPECT_EQ(again->signIn("admin001").status, 201) << "the right password locked the account";
}

TEST_F(OrganizationTest, RacingJoinsAndApprovalsHaveOneWinner) {
    std::string adminId, org, rivalOrg;
    auto boss = world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司",
                             creditCodes()[0], &adminId, &org);
    auto rival = world->admin("rival001", "13800000009", "北京某某科技有限公司", creditCodes()[1],
                              nullptr, &rivalOrg);
    for (int round = 0; round < 8; ++round) {
        std::string id;
        std::string username = "racer" + std::to_string(100 + round);
        auto person = world->personal(username, "1370000" + std::to_string(1000 + round), &id);
        // One account asks two organizations at once: one pending request at most.
        std::vector<int> asked(2, 0);
        std::vector<std::string> requestIds(2);
        {
            std::vector<std::unique_ptr<HttpTestClient>> cs;
            for (int i = 0; i < 2; ++i) {
                cs.push_back(world->client());
                cs.back()->setBearer(person->bearer());
            }
            std::atomic<bool> go{false};
            std::vector<std::thread> threads;
            for (int i = 0; i < 2; ++i) {
                threads.emplace_back([&, i] {
                    while (!go) std::this_thread::yield();
                    auto r = cs[i]->postJson(
                        "/api/v1/organizations/" + (i == 0 ? org : rivalOrg) + "/join-requests",
                        "");
                    asked[i] = r.status;
                    if (r.status == 201) requestIds[i] = r.json()->getValue<std::string>("id");
                });
            }
            go = true;
            for (auto& t : threads) t.join();
        }
        std::multiset<int> got(asked.begin(), asked.end());
        ASSERT_EQ(got, (std::multiset<int>{201, 409})) << "round " << round;
        int winner = asked[0] == 201 ? 0 : 1;
        auto& approver = winner == 0 ? *boss : *rival;
        std::string base = "/api/v1/organizations/" + (winner == 0 ? org : rivalOrg);
        // Its admin approves it twice at once (two sessions): one approval.
        std::vector<int> approvals(2, 0);
        {
            std::vector<std::unique_ptr<HttpTestClient>> cs;
            for (int i = 0; i < 2; ++i) {
                cs.push_back(world->client());
                cs.back()->setBearer(approver.bearer());
            }
            std::atomic<bool> go{false};
            std::vector<std::thread> threads;
            for (int i = 0; i < 2; ++i) {
                threads.emplace_back([&, i] {
                    while (!go) std::this_thread::yield();
                    approvals[i] =
                        cs[i]
                            ->postJson(base + "/join-requests/" + requestIds[winner] + "/approve",
                                       "")
                            .status;
                });
            }
            go = true;
            for (auto& t : threads) t.join();
        }
        EXPECT_EQ(std::multiset<int>(approvals.begin(), approvals.end()),
                  (std::multiset<int>{200, 409}));
        auto row = services->accountRows().findById(id);
        EXPECT_EQ(row->organizationId, winner == 0 ? org : rivalOrg);
    }
}

// What the database itself refuses, whatever the code does: a console session, a bug.
TEST_F(OrganizationTest, TheDatabaseKeepsOneAdminWhoIsAMemberAndOnePendingRequest) {
    std::string adminId, org, memberId, personId, rivalOrg;
    auto boss = world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司",
                             creditCodes()[0], &adminId, &org);
    auto rival = world->admin("rival001", "13800000009", "北京某某科技有限公司", creditCodes()[1],
                              nullptr, &rivalOrg);
    auto member = world->personal("geren001", "13800000002", &memberId);
    auto person = world->personal("geren002", "13800000003", &personId);
    world->join(*member, *boss, org);
    EXPECT_EQ(person->postJson("/api/v1/organizations/" + org + "/join-requests", "").status, 201);
    auto q = [](const std::string& s) { return "'" + s + "'"; };

    // The admin must be a member: not a personal account, not another organization's.
    EXPECT_ANY_THROW(testDb.exec("UPDATE organizations SET admin_account_id = " + q(personId) +
                                 " WHERE id = " + q(org)));
    EXPECT_ANY_THROW(testDb.exec("UPDATE organizations SET admin_account_id = " + q(adminId) +
                                 " WHERE id = " + q(rivalOrg)));
    // Nor can it leave while it is the admin.
    EXPECT_ANY_THROW(
        testDb.exec("UPDATE accounts SET organization_id = NULL WHERE id = " + q(adminId)));
    EXPECT_ANY_THROW(testDb.exec("UPDATE accounts SET organization_id = " + q(rivalOrg) +
                                 " WHERE id = " + q(adminId)));
    // Never zero admins while there are members.
    EXPECT_ANY_THROW(
        testDb.exec("UPDATE organizations SET admin_account_id = NULL WHERE id = " + q(org)));
    // One pending request per account.
    EXPECT_ANY_THROW(testDb.exec(
        "INSERT INTO join_requests (id, organization_id, account_id, state, created_at_us) "
        "VALUES ('x1', " +
        q(rivalOrg) + ", " + q(personId) + ", 'pending', 1)"));
    EXPECT_EQ(adminCount(org), 1);
    EXPECT_EQ(services->organizationRows().find(org)->adminAccountId, adminId);
    // What is allowed: the role moves to a member in one statement.
    testDb.exec("UPDATE organizations SET admin_account_id = " + q(memberId) +
                " WHERE id = " + q(org));
    EXPECT_EQ(adminCount(org), 1);
    EXPECT_EQ(services->organizationRows().find(org)->adminAccountId, memberId);
}

// ---------------------------------------------------------------- 注销账号

TEST_F(OrganizationTest, DeregistrationAnonymisesTheAccountAndFreesItsNameAndPhone) {
    std::string adminId, org, personId;
    auto boss = world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司",
                             creditCodes()[0], &adminId, &org);
    auto person = world->personal("geren001", "13800000002", &personId, "王𠮷");
    EXPECT_EQ(person->postJson("/api/v1/organizations/" + org + "/join-requests", "").status, 201);
    auto otherSession = world->client();
    ASSERT_EQ(otherSession->signIn("geren001").status, 201);
    EXPECT_EQ(otherSession->get("/api/v1/me").status, 200);

    const std::string url = "/api/v1/me/deregister";
    EXPECT_EQ(problemsOf(person->postJson(url, "{}")),
              std::vector<std::string>{"password field.required"});
    EXPECT_EQ(problemsOf(person->postJson(url, R"({"password":"x","reason":"y"})")),
              std::vector<std::string>{"reason field.unknown"});
    expectProblem(person->postJson(url, "{\"password\":\"" + std::string(20000, 'x') + "\"}"), 413,
                  "request.too_large");
    expectProblem(person->postJson(url, "{\"password\":\"" + std::string(kSql) + "\"}"), 401,
                  "auth.invalid_credentials");
    expectProblem(person->postJson(url, R"({"password":"𠮷"})"), 401, "auth.invalid_credentials");
    EXPECT_EQ(person->get("/api/v1/me").status, 200);  // nothing changed

    EXPECT_EQ(person->postJson(url, std::string(R"({"password":")") + kPassword + "\"}").status,
              204);
    // Every session ends at once on this node.
    expectProblem(person->get("/api/v1/me"), 401, "auth.required");
    expectProblem(otherSession->get("/api/v1/me"), 401, "auth.required");
    expectProblem(world->client()->signIn("geren001"), 401, "auth.invalid_credentials");
    EXPECT_EQ(services->accountRows().countSessions(personId), 0u);
    // The row stays for the audit trail, anonymised.
    auto row = services->accountRows().findById(personId);
    ASSERT_TRUE(row);
    EXPECT_NE(row->username, "geren001");
    EXPECT_NE(row->phone, "13800000002");
    EXPECT_EQ(row->displayName, "");
    EXPECT_EQ(row->passwordHash, "");
    EXPECT_EQ(row->organizationId, "");
    EXPECT_TRUE(entryOf("account:" + personId, "account.create"));
    auto gone = entryOf("account:" + personId, "account.deregister");
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->getValue<std::string>("_by"), personId);
    EXPECT_EQ(gone->getValue<std::string>("before"), "active");
    EXPECT_EQ(gone->getValue<std::string>("after"), "deregistered");
    EXPECT_FALSE(gone->has("organization_id"));
    // Its pending request is withdrawn.
    auto requests = boss->get("/api/v1/organizations/" + org + "/join-requests");
    ASSERT_EQ(requests.json()->getArray("items")->size(), 1u);
    EXPECT_EQ(requests.json()->getArray("items")->getObject(0)->getValue<std::string>("state"),
              "cancelled");
    // Username and phone are free again.
    auto again = world->client();
    EXPECT_EQ(world->registerPersonal(*again, "geren001", "13800000002").status, 201);
    EXPECT_EQ(again->signIn("geren001").status, 201);

    // Staff accounts are not deregistered this way.
    auto reviewer = world->staff(Role::Reviewer, "review01", "13900000001");
    expectProblem(reviewer->postJson(url, std::string(R"({"password":")") + kPassword + "\"}"), 403,
                  "auth.forbidden");
    expectProblem(reviewer->postJson(url, "{}"), 403, "auth.forbidden");
}

TEST_F(OrganizationTest, DeregistrationIsRefusedWithHistoryOrMembers) {
    std::string adminId, org, memberId;
    auto boss = world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司",
                             creditCodes()[0], &adminId, &org);
    auto member = world->personal("geren001", "13800000002", &memberId);
    world->join(*member, *boss, org);
    const std::string url = "/api/v1/me/deregister";
    const std::string password = std::string(R"({"password":")") + kPassword + "\"}";

    expectProblem(boss->postJson(url, password), 409, "account.admin_has_members");
    // A member that has submitted something keeps its account.
    services->accountRows().markSubmitted(memberId, clock->nowMicros());
    expectProblem(member->postJson(url, password), 409, "account.has_history");
    EXPECT_EQ(member->get("/api/v1/organizations/" + org).status, 200);
    EXPECT_EQ(services->accountRows().findById(memberId)->username, "geren001");
    // A member without history leaves its organization as it goes.
    std::string otherId;
    auto other = world->personal("geren002", "13800000003", &otherId);
    world->join(*other, *boss, org);
    EXPECT_EQ(other->postJson(url, password).status, 204);
    EXPECT_EQ(services->organizationRows().find(org)->memberCount, 2u);
    // The admin with history is refused for that first, even with members.
    services->accountRows().markSubmitted(adminId, clock->nowMicros());
    expectProblem(boss->postJson(url, password), 409, "account.has_history");
    EXPECT_EQ(adminCount(org), 1);
}

// A first submission racing a deregistration: the deregistration's one conditional UPDATE
// either sees the submission (409, the account intact) or is seen first (204, anonymised).
TEST_F(OrganizationTest, ASubmissionRacingADeregistrationNeverSlipsPast) {
    const std::string password = std::string(R"({"password":")") + kPassword + "\"}";
    std::map<int, int> outcomes;
    for (int round = 0; round < 10; ++round) {
        std::string id;
        auto person = world->personal("racer" + std::to_string(100 + round),
                                      "1370000" + std::to_string(2000 + round), &id);
        std::atomic<bool> go{false};
        int status = 0;
        bool marked = false;
        std::thread deregister([&] {
            while (!go) std::this_thread::yield();
            status = person->postJson("/api/v1/me/deregister", password).status;
        });
        std::thread submit([&] {
            while (!go) std::this_thread::yield();
            std::this_thread::sleep_for(std::chrono::microseconds(round * 300));
            marked = services->accountRows().markSubmitted(id, clock->nowMicros());
        });
        go = true;
        deregister.join();
        submit.join();
        ++outcomes[status];
        auto row = services->accountRows().findById(id);
        ASSERT_TRUE(row);
        // Exactly one of them took effect: a deregistered account records no submission.
        EXPECT_EQ(marked, status != 204) << "round " << round;
        if (status == 204) {
            EXPECT_EQ(row->passwordHash, "") << "round " << round;
            EXPECT_EQ(services->accountRows().countSessions(id), 0u);
        } else {
            EXPECT_EQ(status, 409) << "round " << round;
            EXPECT_EQ(row->username, "racer" + std::to_string(100 + round));
            EXPECT_NE(row->passwordHash, "");
            EXPECT_EQ(person->get("/api/v1/me").status, 200);
        }
    }
    for (const auto& [status, n] : outcomes) {
        EXPECT_TRUE(status == 204 || status == 409) << n << " answers of " << status;
    }
}

// A join request whose account was deregistered after its request was authenticated answers
// what happened (401: the account and its sessions are gone), not that it is a member.
TEST_F(OrganizationTest, AJoinRequestOfADeregisteredAccountSaysSo) {
    std::string org;
    auto boss = world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司",
                             creditCodes()[0], nullptr, &org);
    std::string id;
    auto person = world->personal("geren001", "13800000002", &id);
    Viewer viewer;  // what the server knew of the account when its request was authenticated
    viewer.accountId = id;
    viewer.username = "geren001";
    viewer.displayName = "张三";
    ASSERT_EQ(
        person
            ->postJson("/api/v1/me/deregister", std::string(R"({"password":")") + kPassword + "\"}")
            .status,
        204);
    try {
        services->organizations().requestJoin(viewer, org);
        ADD_FAILURE() << "a deregistered account asked to join";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), codes::kAuthRequired) << e.message();
    }
    EXPECT_TRUE(testDb.queryTexts("SELECT id FROM join_requests").empty());
}

// The same with threads: the request comes first (201; the deregistration then withdraws it)
// or the deregistration does (the request is refused: 401), and no pending request of a
// deregistered account is ever left for the admin.
TEST_F(OrganizationTest, AJoinRequestRacingItsAccountsDeregistration) {
    std::string org;
    auto boss = world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司",
                             creditCodes()[0], nullptr, &org);
    const std::string password = std::string(R"({"password":")") + kPassword + "\"}";
    std::map<std::string, int> outcomes;
    for (int round = 0; round < 10; ++round) {
        std::string id;
        auto person = world->personal("racer" + std::to_string(100 + round),
                                      "1370000" + std::to_string(2000 + round), &id);
        auto second = world->client();  // the same session on another connection
        second->setBearer(person->bearer());
        int asked = 0, deregistered = 0;
        raceInTurns(
            round,
            [&] {
                asked =
                    second->postJson("/api/v1/organizations/" + org + "/join-requests", "").status;
            },
            [&] { deregistered = person->postJson("/api/v1/me/deregister", password).status; });
        ++outcomes[std::to_string(asked) + "/" + std::to_string(deregistered)];
        EXPECT_EQ(deregistered, 204) << "round " << round;
        EXPECT_TRUE(asked == 201 || asked == 401) << "round " << round << ": " << asked;
        EXPECT_TRUE(testDb
                        .queryTexts("SELECT id FROM join_requests WHERE account_id = '" + id +
                                    "' AND state = 'pending'")
                        .empty())
            << "round " << round;
    }
    for (const auto& [pair, n] : outcomes) std::cout << pair << ": " << n << " rounds\n";
}

// The sole admin of an organization without members may deregister: the organization stays,
// admin-less, with its documents; the lookup says no admin, and whoever registers its credit
// code next adopts it as its admin.
TEST_F(OrganizationTest, ASoleAdminLeavesItsOrganizationToBeAdopted) {
    const std::string code = creditCodes()[0];
    std::string adminId, org;
    auto boss =
        world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司", code, &adminId, &org);
    auto upload = boss->upload(jpeg(), "营业执照.jpg", "evidence");
    ASSERT_EQ(upload.status, 201);
    std::string documentId = upload.json()->getValue<std::string>("id");
    ASSERT_EQ(
        boss->postJson("/api/v1/me/deregister", std::string(R"({"password":")") + kPassword + "\"}")
            .status,
        204);
    auto stored = services->organizationRows().find(org);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->adminAccountId, "");
    EXPECT_EQ(stored->memberCount, 0u);
    auto anonymous = world->client();
    EXPECT_EQ(lookup(*anonymous, code).body, R"({"admin_registered":false})");
    EXPECT_EQ(lookup(*anonymous, "广州精科医学检验所有限公司").body,
              R"({"admin_registered":false})");
    // Nobody can join an organization without its admin.
    auto person = world->personal("geren001", "13800000002");
    expectProblem(person->postJson("/api/v1/organizations/" + org + "/join-requests", ""), 404,
                  "organization.not_found");
    EXPECT_EQ(lookup(*person, code).body, R"({"admin_registered":false})");

    std::string newAdmin, adopted;
    auto heir = world->admin("jicheng1", "13800000003", "广州精科医学检验所有限公司", code,
                             &newAdmin, &adopted);
    EXPECT_EQ(adopted, org);
    EXPECT_EQ(heir->get("/api/v1/documents/" + documentId).status, 200);
    EXPECT_EQ(services->organizationRows().find(org)->adminAccountId, newAdmin);
    EXPECT_EQ(lookup(*anonymous, code).body, R"({"admin_registered":true})");
    auto adoption = entryOf("account:" + newAdmin, "account.create");
    ASSERT_TRUE(adoption);
    EXPECT_EQ(adoption->getValue<std::string>("adopted"), "true");
    EXPECT_EQ(adoption->getValue<std::string>("organization_id"), org);
    auto left = entryOf("account:" + adminId, "account.deregister");
    ASSERT_TRUE(left);
    EXPECT_EQ(left->getValue<std::string>("organization_id"), org);
    EXPECT_EQ(left->getValue<std::string>("organization_admin"), "true");
    // Its credit code is taken again.
    auto late = world->client();
    Poco::JSON::Object orgBody;
    orgBody.set("name", "广州精科医学检验所有限公司");
    orgBody.set("credit_code", code);
    Poco::JSON::Object body;
    body.set("username", "latecome");
    body.set("password", kPassword);
    body.set("phone", "13800000004");
    body.set("display_name", "迟到");
    body.set("organization", orgBody);
    expectProblem(late->postJson("/api/v1/accounts", json(body)), 409,
                  "account.organization_registered");
}

// Registrations racing to adopt one admin-less organization: exactly one becomes its admin.
TEST_F(OrganizationTest, RacingAdoptionsHaveOneWinner) {
    const std::string code = creditCodes()[0];
    std::string org;
    auto boss =
        world->admin("jingke01", "13800000001", "广州精科医学检验所有限公司", code, nullptr, &org);
    ASSERT_EQ(
        boss->postJson("/api/v1/me/deregister", std::string(R"({"password":")") + kPassword + "\"}")
            .status,
        204);
    std::vector<int> statuses(6, 0);
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&, i] {
            HttpTestClient c(server->port());
            Poco::JSON::Object orgBody;
            orgBody.set("name", "广州精科医学检验所有限公司");
            orgBody.set("credit_code", code);
            Poco::JSON::Object body;
            body.set("username", "heir000" + std::to_string(i));
            body.set("password", kPassword);
            body.set("phone", "1380000010" + std::to_string(i));
            body.set("display_name", "继承");
            body.set("organization", orgBody);
            while (!go) std::this_thread::yield();
            statuses[i] = c.postJson("/api/v1/accounts", json(body)).status;
        });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 409), 5);
    EXPECT_EQ(adminCount(org), 1);
    EXPECT_EQ(services->organizationRows().find(org)->memberCount, 1u);
}

}  // namespace
