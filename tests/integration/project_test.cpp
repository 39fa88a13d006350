// Projects (申报主体, seed 000 section 4) and the organization's documents (listing, deletion),
// over HTTP against the real server on port 0. Runs on SQLite and on PostgreSQL
// (DOSSIER_TEST_BACKEND).
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "TestWorld.h"
#include "dossier/app/Services.h"
#include "dossier/http/Server.h"

using namespace dossier;
using namespace dossier::test;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

// 2026-11-30 16:30 UTC is 2026-12-01 00:30 in Beijing: "today" for the date rules is 12-01.
constexpr std::int64_t kNow = 1796056200LL * 1000000;
constexpr const char* kToday = "2026-12-01";
constexpr const char* kTomorrow = "2026-12-02";
// Text a careless server would run as SQL or cut at a surrogate pair.
constexpr const char* kNasty = "𠮷野家'); DROP TABLE projects; -- \" % _ \\ 𠮷";

std::string json(const Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

Object::Ptr parse(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

/// A complete project body with both tables; documents as given ("" = none).
Object::Ptr fullProject(const std::string& ipDocument = "", const std::string& honourDocument = "",
                        const std::vector<std::string>& others = {}) {
    Object::Ptr p = new Object;
    p->set("name", "通鼎互联信息股份有限公司实施光纤生产线设备集中监控及产品追溯系统的经验");
    Array::Ptr keywords = new Array;
    keywords->add("质量追溯");
    keywords->add("互联网+");
    p->set("keywords", keywords);
    p->set("summary", "第一段。\n第二段：集中监控与追溯。");
    Object::Ptr ip = new Object;
    ip->set("category", "发明专利");
    ip->set("name", "一种光纤生产线集中监控方法");
    ip->set("country", "中国");
    ip->set("granted_on", "2023-05-16");
    ip->set("certificate_number", "第6012345号");
    ip->set("holder", "通鼎互联信息股份有限公司");
    ip->set("inventors", "张三、李四");
    ip->set("validity_years", 20);
    ip->set("application_number", "202110123456.7");
    ip->set("grant_number", "ZL202110123456.7");
    if (!ipDocument.empty()) ip->set("document_id", ipDocument);
    Array::Ptr ips = new Array;
    ips->add(ip);
    p->set("ip_rights", ips);
    Object::Ptr honour = new Object;
    honour->set("name", "江苏省质量奖");
    honour->set("level", "省部级");
    honour->set("issuer", "江苏省人民政府");
    honour->set("awarded_on", "2022-12-20");
    honour->set("description", "表彰在质量管理方面的突出成绩。\n第二行。");
    if (!honourDocument.empty()) honour->set("document_id", honourDocument);
    Array::Ptr honours = new Array;
    honours->add(honour);
    p->set("honours", honours);
    Array::Ptr otherDocs = new Array;
    for (const auto& d : others) otherDocs->add(d);
    p->set("other_documents", otherDocs);
    return p;
}

Object::Ptr minimalProject(const std::string& name = "项目甲") {
    Object::Ptr p = new Object;
    p->set("name", name);
    Array::Ptr keywords = new Array;
    keywords->add("质量追溯");
    p->set("keywords", keywords);
    return p;
}

/// The "path code" pairs of a 422's errors[].
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

std::string codeOf(const HttpResult& r) {
    auto body = r.json();
    return body ? body->optValue<std::string>("code", "") : "";
}

class ProjectTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        services = app::Services::open(config, nullptr, clock);
        server = startInProcessServer(*services);
        world = std::make_unique<TestWorld>(*services, server->port());
        admin = world->admin("tongding01", "13800000001", "通鼎互联信息股份有限公司",
                             "91440116MA59B21T31", &adminId, &organizationId, "李明");
        // A plain member of the same organization (not its admin): a personal account whose
        // request to join the admin approved.
        member =
            world->member(*admin, organizationId, "tongding02", "13800000002", &memberId, "个人");
        other = world->admin("other001", "13800000003", "广州其他有限公司", "91110000600037341L");
        // A personal account: an applicant of no organization.
        personal = world->personal("personal1", "13800000004", nullptr, "个人");
    }

    void TearDown() override {
        if (server) server->stop();
        if (services) services->checkRunner().stop();
    }

    /// Uploads a document of `kind` (DOCX unless `bytes`) and returns its id.
    static std::string upload(HttpTestClient& c, const std::string& kind = "evidence",
                              const std::string& bytes = makeDocx(),
                              const std::string& name = "证书.docx") {
        return TestWorld::upload(c, bytes, name, kind);
    }

    HttpResult post(HttpTestClient& c, const Object::Ptr& body) {
        return c.postJson("/api/v1/projects", json(*body));
    }

    HttpResult put(HttpTestClient& c, const std::string& id, const Object::Ptr& body,
                   const std::string& ifMatch = "") {
        std::map<std::string, std::string> headers;
        if (!ifMatch.empty()) headers["If-Match"] = ifMatch;
        return c.request("PUT", "/api/v1/projects/" + id, headers, "application/json", json(*body));
    }

    std::string create(HttpTestClient& c, const Object::Ptr& body) {
        auto r = post(c, body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? r.json()->getValue<std::string>("id") : "";
    }

    /// Runs `sql` as a console session would, with SQLite's foreign keys on as Dossier's own
    /// sessions have them (PostgreSQL always enforces them).
    void execConsole(const std::string& sql) {
        if (testDb.url().rfind("sqlite:", 0) == 0) {
            Poco::Data::SQLite::Connector::registerConnector();
            Poco::Data::Session session("sqlite", testDb.url().substr(7));
            session << "PRAGMA foreign_keys = ON", Poco::Data::Keywords::now;
            session << sql, Poco::Data::Keywords::now;
            return;
        }
        testDb.exec(sql);
    }

    std::vector<storage::AuditEntry> trail(const std::string& target) {
        return services->audit().forTarget(target, 100);
    }

    /// The rows of document_uses naming `documentId`.
    std::uint64_t usesOf(const std::string& documentId) {
        auto r = admin->get("/api/v1/documents?per_page=100");
        auto items = r.json()->getArray("items");
        for (std::size_t i = 0; i < items->size(); ++i) {
            auto item = items->getObject(static_cast<unsigned>(i));
            if (item->getValue<std::string>("id") == documentId) {
                return item->getValue<bool>("in_use") ? 1 : 0;
            }
        }
        ADD_FAILURE() << "document " << documentId << " not listed";
        return 0;
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    std::shared_ptr<FixedClock> clock = std::make_shared<FixedClock>(kNow);
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<TestWorld> world;  // its people: admins, personal accounts, members, staff
    std::unique_ptr<HttpTestClient> admin, member, other, personal;
    std::string adminId, memberId, organizationId;
};

TEST_F(ProjectTest, CreateReadListUpdateDeleteByAnyMember) {
    std::string evidence = upload(*member);
    auto created = post(*admin, fullProject(evidence, evidence, {evidence}));
    ASSERT_EQ(created.status, 201) << created.body;
    auto project = created.json();
    std::string id = project->getValue<std::string>("id");
    EXPECT_EQ(created.header("Location"), "/api/v1/projects/" + id);
    EXPECT_EQ(created.header("ETag"), "\"1\"");
    EXPECT_EQ(project->getValue<std::string>("organization_id"), organizationId);
    EXPECT_EQ(project->getValue<std::string>("created_by"), adminId);
    EXPECT_TRUE(project->isNull("locked_at"));
    auto keywords = project->getArray("keywords");
    ASSERT_EQ(keywords->size(), 2u);
    EXPECT_EQ(keywords->getElement<std::string>(1), "互联网+");
    auto ip = project->getArray("ip_rights")->getObject(0);
    EXPECT_EQ(ip->getValue<std::string>("granted_on"), "2023-05-16");
    EXPECT_EQ(ip->getValue<int>("validity_years"), 20);
    EXPECT_EQ(ip->getValue<std::string>("document_id"), evidence);
    EXPECT_EQ(project->getArray("honours")->getObject(0)->getValue<std::string>("description"),
              "表彰在质量管理方面的突出成绩。\n第二行。");

    // The member reads, lists and edits the admin's project; the admin sees the edit.
    auto read = member->get("/api/v1/projects/" + id);
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(read.body, created.body);
    EXPECT_EQ(member->get("/api/v1/projects/" + id, {{"If-None-Match", "\"1\""}}).status, 304);
    auto edit = fullProject(evidence);
    edit->set("name", "改过的名称");
    auto saved = put(*member, id, edit, "\"1\"");
    ASSERT_EQ(saved.status, 200) << saved.body;
    EXPECT_EQ(saved.header("ETag"), "\"2\"");
    EXPECT_EQ(saved.json()->getValue<std::string>("updated_by"), memberId);
    EXPECT_EQ(saved.json()->getValue<std::string>("created_by"), adminId);
    EXPECT_EQ(parse(admin->get("/api/v1/projects/" + id).body)->getValue<std::string>("name"),
              "改过的名称");

    // A save from the stale version is refused and changes nothing.
    auto stale = fullProject();
    stale->set("name", "迟到的保存");
    auto refused = put(*admin, id, stale, "\"1\"");
    EXPECT_EQ(refused.status, 412);
    EXPECT_EQ(codeOf(refused), "request.precondition_failed");
    EXPECT_EQ(refused.header("ETag"), "");
    EXPECT_EQ(parse(admin->get("/api/v1/projects/" + id).body)->getValue<std::string>("name"),
              "改过的名称");
    EXPECT_EQ(put(*admin, id, stale, "W/\"2\"").status, 412);  // If-Match compares strongly
    EXPECT_EQ(put(*admin, id, stale, "\"1\", \"9\"").status, 412);
    // Any tag of a list may match; * matches whatever version is current.
    ASSERT_EQ(put(*admin, id, stale, "\"9\", \"2\"").status, 200);
    ASSERT_EQ(put(*admin, id, stale, "*").status, 200);
    // Without If-Match the last writer wins.
    ASSERT_EQ(put(*admin, id, stale).status, 200);
    EXPECT_EQ(admin->get("/api/v1/projects/" + id).header("ETag"), "\"5\"");

    // The member deletes it (a stale If-Match first).
    auto wrongVersion =
        member->request("DELETE", "/api/v1/projects/" + id, {{"If-Match", "\"2\""}});
    EXPECT_EQ(wrongVersion.status, 412);
    EXPECT_EQ(member->request("DELETE", "/api/v1/projects/" + id, {{"If-Match", "\"5\""}}).status,
              204);
    auto gone = admin->get("/api/v1/projects/" + id);
    EXPECT_EQ(gone.status, 404);
    EXPECT_EQ(codeOf(gone), "project.not_found");
    EXPECT_EQ(admin->request("DELETE", "/api/v1/projects/" + id).status, 404);
}

TEST_F(ProjectTest, ListIsTheOrganizationsNewestFirstPaginated) {
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        clock->set(kNow + i * 1000000LL);
        ids.push_back(create(i % 2 ? *member : *admin, minimalProject("项目" + std::to_string(i))));
    }
    create(*other, minimalProject("别家的项目"));
    auto first = admin->get("/api/v1/projects?per_page=2");
    ASSERT_EQ(first.status, 200) << first.body;
    auto body = first.json();
    EXPECT_EQ(body->getValue<int>("total"), 5);
    EXPECT_EQ(body->getValue<int>("page"), 1);
    EXPECT_EQ(body->getValue<int>("per_page"), 2);
    auto items = body->getArray("items");
    ASSERT_EQ(items->size(), 2u);
    EXPECT_EQ(items->getObject(0)->getValue<std::string>("id"), ids[4]);
    EXPECT_EQ(items->getObject(1)->getValue<std::string>("id"), ids[3]);
    EXPECT_EQ(items->getObject(0)->getArray("keywords")->getElement<std::string>(0), "质量追溯");
    EXPECT_FALSE(items->getObject(0)->has("ip_rights"));  // a list entry, not the whole project
    auto last = member->get("/api/v1/projects?page=3&per_page=2");
    ASSERT_EQ(last.status, 200);
    ASSERT_EQ(last.json()->getArray("items")->size(), 1u);
    EXPECT_EQ(last.json()->getArray("items")->getObject(0)->getValue<std::string>("id"), ids[0]);
    EXPECT_EQ(other->get("/api/v1/projects").json()->getValue<int>("total"), 1);
    for (const char* bad :
         {"page=0", "per_page=101", "per_page=0", "page=x", "page=-1", "per_page=1e2"}) {
        auto r = admin->get(std::string("/api/v1/projects?") + bad);
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_EQ(codeOf(r), "request.malformed") << bad;
    }
    EXPECT_EQ(admin->get("/api/v1/projects?per_page=100").status, 200);
}

TEST_F(ProjectTest, EveryRuleAtItsBoundary) {
    // Accepted at the limit, counted in characters (𠮷 is one, four bytes).
    auto atLimit = minimalProject(repeat("𠮷", 100));
    Array::Ptr keywords = new Array;
    keywords->add(repeat("质", 20));
    keywords->add("AI");
    keywords->add(" 互联网+ ");
    atLimit->set("keywords", keywords);
    atLimit->set("summary", repeat("简介\r\n", 666) + "末尾");  // CRLF counts as one: 2000
    Object::Ptr ip = new Object;
    ip->set("category", "植物新品种");
    ip->set("name", "品种");
    ip->set("granted_on", kToday);  // today in Beijing, though still 11-30 in UTC
    ip->set("validity_years", 50);
    Object::Ptr leap = new Object;
    leap->set("category", "其他");
    leap->set("name", "作品");
    leap->set("granted_on", "2024-02-29");
    leap->set("validity_years", 1);
    Array::Ptr ips = new Array;
    ips->add(ip);
    ips->add(leap);
    atLimit->set("ip_rights", ips);
    auto ok = post(*admin, atLimit);
    ASSERT_EQ(ok.status, 201) << ok.body;
    auto saved = ok.json();
    EXPECT_EQ(saved->getArray("keywords")->getElement<std::string>(2), "互联网+");  // trimmed
    EXPECT_EQ(saved->getValue<std::string>("summary"), repeat("简介\n", 666) + "末尾");

    // One past each limit, all in one body: every problem in one answer.
    auto over = minimalProject(repeat("𠮷", 101));
    Array::Ptr four = new Array;
    for (const std::string& k :
         std::vector<std::string>{"质量追溯", "ai", "ＡＩ", repeat("质", 21)}) {
        four->add(k);
    }
    over->set("keywords", four);
    over->set("summary", repeat("简", 2001));
    Object::Ptr bad = new Object;
    bad->set("category", "专利");
    bad->set("name", "");
    bad->set("granted_on", kTomorrow);
    bad->set("validity_years", 51);
    Object::Ptr feb = new Object;
    feb->set("category", "发明专利");
    feb->set("name", "二月");
    feb->set("granted_on", "2023-02-30");
    feb->set("validity_years", 0);
    Object::Ptr notLeap = new Object;
    notLeap->set("category", "商标");
    notLeap->set("name", "商标");
    notLeap->set("granted_on", "2023-02-29");
    notLeap->set("validity_years", 2.5);
    Object::Ptr shapes = new Object;
    shapes->set("category", "商标");
    shapes->set("name", "格式");
    shapes->set("granted_on", "2023/05/16");
    shapes->set("validity_years", "20");
    Array::Ptr badIps = new Array;
    for (auto& row : {bad, feb, notLeap, shapes}) badIps->add(row);
    over->set("ip_rights", badIps);
    Object::Ptr honour = new Object;
    honour->set("name", repeat("奖", 101));
    honour->set("awarded_on", "1899-12-31");
    honour->set("level", repeat("级", 51));
    honour->set("issuer", repeat("部", 101));
    honour->set("description", repeat("说", 501));
    Array::Ptr honours = new Array;
    honours->add(honour);
    over->set("honours", honours);
    auto refused = post(*admin, over);
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(codeOf(refused), "validation.failed");
    std::set<std::string> expected{
        "name field.too_long",
        "keywords field.too_many",
        "keywords[2] field.duplicate",  // ＡＩ is ai, which is keywords[1]
        "keywords[3] field.too_long",
        "summary field.too_long",
        "ip_rights[0].category field.not_in_list",
        "ip_rights[0].name field.required",
        "ip_rights[0].granted_on field.future_date",
        "ip_rights[0].validity_years field.range",
        "ip_rights[1].granted_on field.date",
        "ip_rights[1].validity_years field.range",
        "ip_rights[2].granted_on field.date",
        "ip_rights[2].validity_years field.not_an_integer",
        "ip_rights[3].granted_on field.date",
        "ip_rights[3].validity_years field.type",
        "honours[0].name field.too_long",
        "honours[0].awarded_on field.date",
        "honours[0].level field.too_long",
        "honours[0].issuer field.too_long",
        "honours[0].description field.too_long",
    };
    EXPECT_EQ(problemsOf(refused), expected) << refused.body;
    EXPECT_EQ(admin->get("/api/v1/projects").json()->getValue<int>("total"), 1);  // nothing saved

    // Keywords: none, an empty list, a blank one, two typed as one, a duplicate ignoring
    // surrounding spaces; a line break in a single-line field.
    auto none = minimalProject();
    none->remove("keywords");
    EXPECT_EQ(problemsOf(post(*admin, none)), std::set<std::string>{"keywords field.required"});
    none->set("keywords", Array::Ptr(new Array));
    EXPECT_EQ(problemsOf(post(*admin, none)), std::set<std::string>{"keywords field.too_few"});
    Array::Ptr odd = new Array;
    for (const char* k : {"　", "质量追溯、互联网+", "质量", " 质量"}) odd->add(k);
    auto oddBody = minimalProject("第一行\n第二行");
    oddBody->set("keywords", odd);
    EXPECT_EQ(problemsOf(post(*admin, oddBody)),
              (std::set<std::string>{"name field.line_break", "keywords field.too_many",
                                     "keywords[0] field.required", "keywords[1] field.separator",
                                     "keywords[3] field.duplicate"}));
    // Control characters: refused even in multi-line text (a tab and a line break are fine).
    auto control = minimalProject("名称\x01");
    control->set("summary", std::string("第一行\t制表\n第二行\x1b"));
    EXPECT_EQ(
        problemsOf(post(*admin, control)),
        (std::set<std::string>{"name field.control_character", "summary field.control_character"}));
    // Required: name missing or blank.
    auto blank = minimalProject("  ");
    EXPECT_EQ(problemsOf(post(*admin, blank)), std::set<std::string>{"name field.required"});
    blank->remove("name");
    EXPECT_EQ(problemsOf(post(*admin, blank)), std::set<std::string>{"name field.required"});
}

TEST_F(ProjectTest, TableCaps) {
    auto p = minimalProject();
    Array::Ptr ips = new Array;
    Array::Ptr honours = new Array;
    Array::Ptr others = new Array;
    std::vector<std::string> docs;  // each listed once: 21 documents
    for (int i = 0; i < 21; ++i) docs.push_back(upload(*admin));
    for (int i = 0; i < 50; ++i) {
        Object::Ptr ip = new Object;
        ip->set("category", "商标");
        ip->set("name", "商标" + std::to_string(i));
        ips->add(ip);
        Object::Ptr h = new Object;
        h->set("name", "奖" + std::to_string(i));
        honours->add(h);
    }
    for (int i = 0; i < 20; ++i) others->add(docs[i]);
    p->set("ip_rights", ips);
    p->set("honours", honours);
    p->set("other_documents", others);
    ASSERT_EQ(post(*admin, p).status, 201);
    ips->add(ips->get(0));
    honours->add(honours->get(0));
    others->add(docs[20]);
    EXPECT_EQ(problemsOf(post(*admin, p)),
              (std::set<std::string>{"ip_rights field.too_many", "honours field.too_many",
                                     "other_documents field.too_many"}));
}

TEST_F(ProjectTest, RareCharactersAndSqlMetacharactersInEveryTextField) {
    std::string doc = upload(*admin);
    auto p = minimalProject(kNasty);
    Array::Ptr keywords = new Array;
    keywords->add("𠮷'--");
    keywords->add("%_\\");
    p->set("keywords", keywords);
    p->set("summary", std::string(kNasty) + "\n" + kNasty);
    Object::Ptr ip = new Object;
    ip->set("category", "其他");
    for (const char* f : {"name", "country", "certificate_number", "holder", "inventors",
                          "application_number", "grant_number"}) {
        ip->set(f, std::string("𠮷'") + f);
    }
    ip->set("document_id", doc);
    Array::Ptr ips = new Array;
    ips->add(ip);
    p->set("ip_rights", ips);
    Object::Ptr h = new Object;
    for (const char* f : {"name", "level", "issuer", "description"}) {
        h->set(f, std::string("𠮷\"; DELETE FROM documents; ") + f);
    }
    Array::Ptr honours = new Array;
    honours->add(h);
    p->set("honours", honours);
    auto r = post(*admin, p);
    ASSERT_EQ(r.status, 201) << r.body;
    auto back = parse(admin->get("/api/v1/projects/" + r.json()->getValue<std::string>("id")).body);
    EXPECT_EQ(back->getValue<std::string>("name"), kNasty);
    EXPECT_EQ(back->getValue<std::string>("summary"), std::string(kNasty) + "\n" + kNasty);
    EXPECT_EQ(back->getArray("keywords")->getElement<std::string>(0), "𠮷'--");
    EXPECT_EQ(back->getArray("keywords")->getElement<std::string>(1), "%_\\");
    auto ipBack = back->getArray("ip_rights")->getObject(0);
    for (const char* f : {"name", "country", "certificate_number", "holder", "inventors",
                          "application_number", "grant_number"}) {
        EXPECT_EQ(ipBack->getValue<std::string>(f), std::string("𠮷'") + f) << f;
    }
    auto hBack = back->getArray("honours")->getObject(0);
    for (const char* f : {"name", "level", "issuer", "description"}) {
        EXPECT_EQ(hBack->getValue<std::string>(f),
                  std::string("𠮷\"; DELETE FROM documents; ") + f);
    }
    // The list shows the name and keywords as stored.
    auto listed = admin->get("/api/v1/projects").json()->getArray("items")->getObject(0);
    EXPECT_EQ(listed->getValue<std::string>("name"), kNasty);
    EXPECT_EQ(admin->get("/api/v1/documents/" + doc).status, 200);
    // Invalid UTF-8 is a field problem, not a 500.
    std::string broken = "{\"name\":\"\xff\xfe\",\"keywords\":[\"a\"]}";
    auto r2 = admin->postJson("/api/v1/projects", broken);
    EXPECT_TRUE(r2.status == 422 || r2.status == 400) << r2.status << r2.body;
}

TEST_F(ProjectTest, UnknownFieldsWrongTypesAndBodies) {
    auto p = minimalProject();
    p->set("colour", "red");
    p->set("version", 3);
    Object::Ptr ip = new Object;
    ip->set("category", "商标");
    ip->set("name", "商标");
    ip->set("expires", "2030-01-01");
    Array::Ptr ips = new Array;
    ips->add(ip);
    ips->add("not a row");
    p->set("ip_rights", ips);
    p->set("honours", "none");
    Array::Ptr others = new Array;
    others->add(42);
    p->set("other_documents", others);
    p->set("summary", 7);
    EXPECT_EQ(problemsOf(post(*admin, p)),
              (std::set<std::string>{"colour field.unknown", "version field.unknown",
                                     "ip_rights[0].expires field.unknown",
                                     "ip_rights[1] field.type", "honours field.type",
                                     "other_documents[0] field.type", "summary field.type"}));
    auto q = minimalProject();
    q->set("name", 5);
    q->set("keywords", "质量追溯");
    EXPECT_EQ(problemsOf(post(*admin, q)),
              (std::set<std::string>{"name field.type", "keywords field.type"}));
    Array::Ptr mixed = new Array;
    mixed->add("质量");
    mixed->add(true);
    q->set("name", "名称");
    q->set("keywords", mixed);
    EXPECT_EQ(problemsOf(post(*admin, q)), std::set<std::string>{"keywords[1] field.type"});

    // Not JSON, not an object, not JSON's media type, a number beyond 64 bits, too large.
    auto notJson = admin->postJson("/api/v1/projects", "{\"name\":");
    EXPECT_EQ(notJson.status, 400);
    EXPECT_EQ(codeOf(notJson), "request.malformed");
    EXPECT_EQ(admin->postJson("/api/v1/projects", "[1]").status, 400);
    EXPECT_EQ(admin->request("POST", "/api/v1/projects", {}, "text/plain", "{}").status, 415);
    auto huge =
        admin->postJson("/api/v1/projects",
                        "{\"name\":\"a\",\"keywords\":[\"a\"],\"ip_rights\":[{\"category\":"
                        "\"商标\",\"name\":\"b\",\"validity_years\":99999999999999999999}]}");
    EXPECT_EQ(huge.status, 422);
    EXPECT_EQ(codeOf(huge), "request.number_out_of_range");
    std::string big = "{\"name\":\"" + std::string((1 << 20) + 1, 'a') + "\"}";
    auto tooLarge = admin->postJson("/api/v1/projects", big);
    EXPECT_EQ(tooLarge.status, 413);
    EXPECT_EQ(codeOf(tooLarge), "request.too_large");
    std::string id = create(*admin, minimalProject());
    auto member2 = world->client();
    member2->setBearer(admin->bearer());
    auto tooLargePut =
        member2->request("PUT", "/api/v1/projects/" + id, {}, "application/json", big);
    EXPECT_EQ(tooLargePut.status, 413);
    EXPECT_EQ(admin->get("/api/v1/projects").json()->getValue<int>("total"), 1);
}

// null where a list is asked for is a wrong type (a list of nothing is []); absent is none.
TEST_F(ProjectTest, NullForAListIsAWrongType) {
    auto p = minimalProject();
    for (const char* list : {"ip_rights", "honours", "other_documents"})
        p->set(list, Poco::Dynamic::Var());
    EXPECT_EQ(problemsOf(post(*admin, p)),
              (std::set<std::string>{"ip_rights field.type", "honours field.type",
                                     "other_documents field.type"}));
    auto q = minimalProject();
    q->set("keywords", Poco::Dynamic::Var());
    EXPECT_EQ(problemsOf(post(*admin, q)), std::set<std::string>{"keywords field.type"});
    q->remove("keywords");
    EXPECT_EQ(problemsOf(post(*admin, q)), std::set<std::string>{"keywords field.required"});
    auto r = post(*admin, minimalProject());  // no lists at all
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()->getArray("ip_rights")->size(), 0u);
    EXPECT_EQ(admin->get("/api/v1/projects").json()->getValue<int>("total"), 1);
}

// A document is listed once among the other documents.
TEST_F(ProjectTest, ADocumentListedTwiceIsADuplicate) {
    std::string a = upload(*admin), b = upload(*member);
    auto r = post(*admin, fullProject("", "", {a, b, a, b, a}));
    EXPECT_EQ(problemsOf(r), (std::set<std::string>{"other_documents[2] field.duplicate",
                                                    "other_documents[3] field.duplicate",
                                                    "other_documents[4] field.duplicate"}));
    EXPECT_NE(r.body.find("other_documents[0]"), std::string::npos) << r.body;
    // The same document as evidence of a row and among the others is fine.
    EXPECT_EQ(post(*admin, fullProject(a, a, {a, b})).status, 201);
}

// validity_years is a whole number as the filing's are: 20.0 and 2e1 are 20; 20.5 and
// 20.000000000000001 (a double reads 20) are not whole.
TEST_F(ProjectTest, WholeNumbersAgreeWithTheFiling) {
    auto body = [](const std::string& years) {
        return R"({"name":"项目","keywords":["质量"],"ip_rights":[{"category":"商标","name":"b",)"
               R"("validity_years":)" +
               years + "}]}";
    };
    for (const char* years : {"20.0", "2e1", "20", "200e-1"}) {
        auto r = admin->postJson("/api/v1/projects", body(years));
        ASSERT_EQ(r.status, 201) << years << " " << r.body;
        EXPECT_EQ(r.json()->getArray("ip_rights")->getObject(0)->getValue<int>("validity_years"),
                  20);
    }
    for (const char* years : {"20.5", "20.000000000000001", "2.05e1"}) {
        EXPECT_EQ(problemsOf(admin->postJson("/api/v1/projects", body(years))),
                  std::set<std::string>{"ip_rights[0].validity_years field.not_an_integer"})
            << years;
    }
    // A key given twice is refused, not read last-wins.
    auto twice = admin->postJson("/api/v1/projects",
                                 R"({"name":"项目","keywords":["质量"],"name":"另一个"})");
    EXPECT_EQ(twice.status, 400) << twice.body;
    EXPECT_EQ(codeOf(twice), "request.malformed");
    EXPECT_EQ(admin->get("/api/v1/projects").json()->getValue<int>("total"), 4);
}

TEST_F(ProjectTest, DocumentsMustBeTheOrganizations) {
    std::string ours = upload(*member);
    std::string theirs = upload(*other);
    std::string summary = upload(*admin, "summary");
    auto p = fullProject(theirs, summary, {ours, "01JNOSUCHDOCUMENT000000000", "../etc/passwd"});
    auto r = post(*admin, p);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(problemsOf(r),
              (std::set<std::string>{"ip_rights[0].document_id field.document_not_found",
                                     "honours[0].document_id field.document_kind",
                                     "other_documents[1] field.document_not_found",
                                     "other_documents[2] field.document_not_found"}));
    // Another organization's document reads exactly like one that does not exist.
    auto errors = r.json()->getArray("errors");
    std::map<std::string, std::string> messages;
    for (std::size_t i = 0; i < errors->size(); ++i) {
        auto e = errors->getObject(static_cast<unsigned>(i));
        messages[e->getValue<std::string>("path")] = e->getValue<std::string>("message");
    }
    EXPECT_EQ(messages["ip_rights[0].document_id"], messages["other_documents[1]"]);
    EXPECT_EQ(r.body.find(theirs), std::string::npos);
    EXPECT_NE(messages["honours[0].document_id"].find("summary"), std::string::npos);
    // Proofs are evidence too.
    std::string proof = upload(*admin, "proof", makePdf(), "证明.pdf");
    EXPECT_EQ(post(*admin, fullProject(ours, proof, {ours})).status, 201);
}

TEST_F(ProjectTest, AnotherOrganizationsProjectIsNotFound) {
    std::string id = create(*admin, minimalProject());
    for (auto* c : {other.get()}) {
        auto get = c->get("/api/v1/projects/" + id);
        EXPECT_EQ(get.status, 404);
        EXPECT_EQ(codeOf(get), "project.not_found");
        auto put = this->put(*c, id, minimalProject("抢来的"));
        EXPECT_EQ(put.status, 404);
        EXPECT_EQ(codeOf(put), "project.not_found");
        auto del = c->request("DELETE", "/api/v1/projects/" + id);
        EXPECT_EQ(del.status, 404);
        EXPECT_EQ(codeOf(del), "project.not_found");
        // The same answer as an id that never existed, and one that is not an id at all.
        auto none = c->get("/api/v1/projects/01JNOSUCHPROJECT0000000000");
        EXPECT_EQ(none.status, 404);
        EXPECT_EQ(c->get("/api/v1/projects/..%2F..").status, 404);
    }
    EXPECT_EQ(parse(admin->get("/api/v1/projects/" + id).body)->getValue<std::string>("name"),
              "项目甲");
}

TEST_F(ProjectTest, WhoMayCallWhat) {
    std::string id = create(*admin, minimalProject());
    std::string doc = upload(*admin);
    auto anonymous = world->client();
    auto reviewer = world->staff(Role::Reviewer, "review01", "13900000001");
    auto organizer = world->staff(Role::Organizer, "organize01", "13900000002");
    auto evaluator = world->staff(Role::Evaluator, "evaluate01", "13900000003");
    auto operatorClient = world->staff(Role::Operator, "operate01", "13900000004");
    struct Call {
        std::string method, path;
        bool body;
    };
    std::vector<Call> calls{
        {"POST", "/api/v1/projects", true},           {"GET", "/api/v1/projects", false},
        {"GET", "/api/v1/projects/" + id, false},     {"PUT", "/api/v1/projects/" + id, true},
        {"DELETE", "/api/v1/projects/" + id, false},  {"GET", "/api/v1/documents", false},
        {"DELETE", "/api/v1/documents/" + doc, false}};
    std::string body = json(*minimalProject());
    auto call = [&](HttpTestClient& c, const Call& k) {
        return k.body ? c.request(k.method, k.path, {}, "application/json", body)
                      : c.request(k.method, k.path);
    };
    for (const auto& k : calls) {
        auto a = call(*anonymous, k);
        EXPECT_EQ(a.status, 401) << k.method << " " << k.path;
        auto p = call(*personal, k);
        EXPECT_EQ(p.status, 403) << k.method << " " << k.path;
        EXPECT_EQ(codeOf(p), "organization.membership_required") << k.method << " " << k.path;
        for (auto* s : {reviewer.get(), organizer.get(), evaluator.get(), operatorClient.get()}) {
            auto r = call(*s, k);
            EXPECT_EQ(r.status, 403) << k.method << " " << k.path;
            EXPECT_EQ(codeOf(r), "auth.forbidden") << k.method << " " << k.path;
        }
    }
    // Nothing changed.
    EXPECT_EQ(admin->get("/api/v1/projects/" + id).status, 200);
    EXPECT_EQ(admin->get("/api/v1/documents/" + doc).status, 200);
    EXPECT_EQ(admin->get("/api/v1/projects").json()->getValue<int>("total"), 1);
    // Uploads by a personal account get the same membership answer.
    auto up = personal->upload(makeDocx(), "a.docx", "evidence");
    EXPECT_EQ(up.status, 403);
    EXPECT_EQ(codeOf(up), "organization.membership_required");
}

TEST_F(ProjectTest, DocumentUsesFollowTheProject) {
    std::string a = upload(*admin), b = upload(*member, "evidence", makePdf(), "b.pdf"),
                c = upload(*admin, "proof", makeTextPdf(1), "c.pdf");
    std::string id = create(*admin, fullProject(a, b, {c}));
    EXPECT_EQ(usesOf(a), 1u);
    EXPECT_EQ(usesOf(b), 1u);
    EXPECT_EQ(usesOf(c), 1u);
    for (const auto& d : {a, b, c}) {
        auto r = member->request("DELETE", "/api/v1/documents/" + d);
        EXPECT_EQ(r.status, 409) << d;
        EXPECT_EQ(codeOf(r), "document.in_use");
        EXPECT_NE(r.json()->getValue<std::string>("detail").find("project:" + id),
                  std::string::npos)
            << r.body;
    }
    // The database refuses it too, whatever the code does.
    EXPECT_ANY_THROW(execConsole("DELETE FROM documents WHERE id = '" + a + "'"));

    // The project stops using a: a may go; b and c still may not.
    ASSERT_EQ(put(*member, id, fullProject("", b, {c})).status, 200);
    EXPECT_EQ(usesOf(a), 0u);
    EXPECT_EQ(member->request("DELETE", "/api/v1/documents/" + a).status, 204);
    EXPECT_EQ(member->request("DELETE", "/api/v1/documents/" + b).status, 409);
    // A failed save changes no use either.
    auto refused = put(*member, id, fullProject("", "", {"01JNOSUCHDOCUMENT000000000"}));
    EXPECT_EQ(refused.status, 422);
    EXPECT_EQ(usesOf(b), 1u);
    // The project goes: its documents are free.
    ASSERT_EQ(admin->request("DELETE", "/api/v1/projects/" + id).status, 204);
    EXPECT_EQ(usesOf(b), 0u);
    EXPECT_EQ(admin->request("DELETE", "/api/v1/documents/" + b).status, 204);
    EXPECT_EQ(admin->request("DELETE", "/api/v1/documents/" + c).status, 204);
}

TEST_F(ProjectTest, ProjectLockedBySubmissionCannotBeDeleted) {
    std::string doc = upload(*admin);
    std::string id = create(*admin, fullProject(doc));
    auto& rows = services->projectRows();
    auto audit = services->audit().entry(adminId, "project.lock", "project:" + id,
                                         {{"application", "test"}});
    EXPECT_FALSE(rows.lock(id, "01JNOSUCHORGANIZATION00000", kNow, audit).has_value());
    auto locked = rows.lock(id, organizationId, kNow + 5, audit);
    ASSERT_TRUE(locked.has_value());
    EXPECT_EQ(locked->lockedAtMicros, kNow + 5);
    EXPECT_EQ(locked->version, 2);  // the representation changed (locked_at)
    EXPECT_NE(locked->contentJson.find("一种光纤生产线集中监控方法"), std::string::npos);
    // A second lock keeps the first time.
    auto again = rows.lock(id, organizationId, kNow + 99,
                           services->audit().entry(adminId, "project.lock", "project:" + id, {}));
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->lockedAtMicros, kNow + 5);

    auto r = member->request("DELETE", "/api/v1/projects/" + id);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(codeOf(r), "project.in_use");
    auto read = admin->get("/api/v1/projects/" + id);
    ASSERT_EQ(read.status, 200);
    EXPECT_FALSE(read.json()->isNull("locked_at"));
    EXPECT_EQ(read.header("ETag"), "\"2\"");
    // Editing stays allowed: an application keeps the snapshot it was submitted with.
    EXPECT_EQ(put(*admin, id, minimalProject("锁定后仍可编辑"), "\"2\"").status, 200);
    // The database holds the lock too: a console session can neither delete the project nor
    // lift its lock.
    EXPECT_ANY_THROW(execConsole("DELETE FROM projects WHERE id = '" + id + "'"));
    EXPECT_ANY_THROW(
        execConsole("UPDATE projects SET locked_at_us = NULL WHERE id = '" + id + "'"));
    EXPECT_EQ(admin->get("/api/v1/projects/" + id).status, 200);
    // An unlocked project of the same organization still goes.
    std::string free = create(*admin, minimalProject("未使用"));
    EXPECT_EQ(admin->request("DELETE", "/api/v1/projects/" + free).status, 204);
}

TEST_F(ProjectTest, EverySaveIsAudited) {
    std::string doc = upload(*admin);
    std::string id = create(*admin, fullProject(doc));
    auto edit = fullProject(doc);
    edit->set("name", "新名称");
    clock->set(kNow + 1000000);  // the trail is ordered by time
    ASSERT_EQ(put(*member, id, edit).status, 200);
    clock->set(kNow + 2000000);
    ASSERT_EQ(put(*member, id, edit).status, 200);  // nothing changed: audited, changes none
    clock->set(kNow + 3000000);
    ASSERT_EQ(member->request("DELETE", "/api/v1/projects/" + id).status, 204);
    auto entries = trail("project:" + id);  // newest first
    ASSERT_EQ(entries.size(), 4u);
    EXPECT_EQ(entries[3].action, "project.create");
    EXPECT_EQ(entries[3].accountId, adminId);
    auto created = parse(entries[3].detailJson);
    EXPECT_EQ(created->getValue<std::string>("organization_id"), organizationId);
    EXPECT_EQ(parse(created->getValue<std::string>("after"))->getValue<std::string>("name"),
              "通鼎互联信息股份有限公司实施光纤生产线设备集中监控及产品追溯系统的经验");
    EXPECT_EQ(entries[2].action, "project.update");
    EXPECT_EQ(entries[2].accountId, memberId);
    auto updated = parse(entries[2].detailJson);
    EXPECT_EQ(updated->getValue<std::string>("changed"), "name");
    EXPECT_EQ(updated->getValue<std::string>("after.name"), "\"新名称\"");
    EXPECT_EQ(updated->getValue<std::string>("before.name"),
              "\"通鼎互联信息股份有限公司实施光纤生产线设备集中监控及产品追溯系统的经验\"");
    EXPECT_FALSE(updated->has("before.summary"));
    EXPECT_EQ(updated->getValue<std::string>("version"), "2");
    EXPECT_EQ(parse(entries[1].detailJson)->getValue<std::string>("changed"), "");
    EXPECT_EQ(entries[0].action, "project.delete");
    EXPECT_EQ(entries[0].accountId, memberId);
    EXPECT_EQ(parse(parse(entries[0].detailJson)->getValue<std::string>("before"))
                  ->getValue<std::string>("name"),
              "新名称");
    // A refused save writes nothing.
    auto before = trail("project:" + id).size();
    EXPECT_EQ(put(*member, id, edit).status, 404);
    EXPECT_EQ(trail("project:" + id).size(), before);
}

TEST_F(ProjectTest, ConcurrentSavesWithTheSameVersionOneWins) {
    std::string id = create(*admin, minimalProject());
    constexpr int kWriters = 8;
    std::vector<std::unique_ptr<HttpTestClient>> clients;
    for (int i = 0; i < kWriters; ++i) {
        clients.push_back(world->client());
        clients.back()->setBearer(i % 2 ? member->bearer() : admin->bearer());
    }
    std::vector<int> statuses(kWriters);
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kWriters; ++i) {
        threads.emplace_back([&, i] {
            while (!go) std::this_thread::yield();
            statuses[i] =
                put(*clients[i], id, minimalProject("写者" + std::to_string(i)), "\"1\"").status;
        });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 1);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 412), kWriters - 1);
    EXPECT_EQ(admin->get("/api/v1/projects/" + id).header("ETag"), "\"2\"");
    EXPECT_EQ(trail("project:" + id).size(), 2u);
}

// A project save naming a document and the document's deletion, at the same moment: exactly
// one wins, and what is stored agrees with it.
TEST_F(ProjectTest, SaveAndDocumentDeletionRaceOneWins) {
    int saves = 0, deletions = 0;
    auto saver = world->client();
    saver->setBearer(member->bearer());
    auto deleter = world->client();
    deleter->setBearer(admin->bearer());
    for (int round = 0; round < 24; ++round) {
        std::string doc = upload(*admin);
        std::string id = round % 3 == 0 ? "" : create(*admin, minimalProject());
        std::atomic<bool> go{false};
        int saveStatus = 0, deleteStatus = 0;
        std::string projectId = id;
        std::thread save([&] {
            while (!go) std::this_thread::yield();
            auto body = fullProject(doc);
            auto r = id.empty() ? post(*saver, body) : put(*saver, id, body);
            saveStatus = r.status;
            if (id.empty() && r.status == 201) projectId = r.json()->getValue<std::string>("id");
        });
        std::thread remove([&] {
            while (!go) std::this_thread::yield();
            deleteStatus = deleter->request("DELETE", "/api/v1/documents/" + doc).status;
        });
        go = true;
        save.join();
        remove.join();
        bool saved = saveStatus == 200 || saveStatus == 201;
        ASSERT_TRUE((saved && deleteStatus == 409) || (saveStatus == 422 && deleteStatus == 204))
            << "round " << round << ": save " << saveStatus << ", delete " << deleteStatus;
        if (saved) {
            ++saves;
            EXPECT_EQ(admin->get("/api/v1/documents/" + doc).status, 200);
            EXPECT_EQ(usesOf(doc), 1u);
            auto project = parse(admin->get("/api/v1/projects/" + projectId).body);
            EXPECT_EQ(
                project->getArray("ip_rights")->getObject(0)->getValue<std::string>("document_id"),
                doc);
        } else {
            ++deletions;
            EXPECT_EQ(admin->get("/api/v1/documents/" + doc).status, 404);
        }
    }
    // Both outcomes happen over the rounds on a loaded machine; neither is required.
    EXPECT_EQ(saves + deletions, 24);
    RecordProperty("saves_won", saves);
    RecordProperty("deletions_won", deletions);
    std::cout << "race: " << saves << " saves won, " << deletions << " deletions won\n";
}

TEST_F(ProjectTest, DocumentsListedForTheWholeOrganization) {
    clock->set(kNow);
    std::string a = upload(*admin, "evidence", makeDocx(), "甲.docx");
    clock->set(kNow + 1000000);
    std::string b = upload(*member, "proof", makePdf(), "乙.pdf");
    clock->set(kNow + 2000000);
    std::string c = upload(*member, "evidence", makeTextPdf(1), "丙.pdf");
    upload(*other);
    create(*admin, fullProject(a));
    auto r = member->get("/api/v1/documents");
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = r.json();
    EXPECT_EQ(body->getValue<int>("total"), 3);
    auto items = body->getArray("items");
    ASSERT_EQ(items->size(), 3u);
    EXPECT_EQ(items->getObject(0)->getValue<std::string>("id"), c);
    EXPECT_EQ(items->getObject(2)->getValue<std::string>("id"), a);
    EXPECT_EQ(items->getObject(2)->getValue<std::string>("uploaded_by"), adminId);
    EXPECT_EQ(items->getObject(0)->getValue<std::string>("uploaded_by"), memberId);
    EXPECT_TRUE(items->getObject(2)->getValue<bool>("in_use"));
    EXPECT_FALSE(items->getObject(1)->getValue<bool>("in_use"));
    EXPECT_EQ(items->getObject(2)->getValue<std::string>("original_name"), "甲.docx");
    auto proofs = admin->get("/api/v1/documents?kind=proof");
    EXPECT_EQ(proofs.json()->getValue<int>("total"), 1);
    EXPECT_EQ(proofs.json()->getArray("items")->getObject(0)->getValue<std::string>("id"), b);
    auto page2 = admin->get("/api/v1/documents?page=2&per_page=2");
    EXPECT_EQ(page2.json()->getArray("items")->size(), 1u);
    EXPECT_EQ(admin->get("/api/v1/documents?kind=passport").status, 400);
    EXPECT_EQ(other->get("/api/v1/documents").json()->getValue<int>("total"), 1);
    // Members read each other's uploads.
    EXPECT_EQ(admin->get("/api/v1/documents/" + c).status, 200);
    EXPECT_EQ(member->get("/api/v1/documents/" + a + "/content").status, 200);
}

TEST_F(ProjectTest, DeletingADocument) {
    // Two documents with the same bytes share one blob; a third is a PDF with pending checks.
    std::string first = upload(*admin), second = upload(*member);
    std::string pdf = upload(*admin, "evidence", makeTextPdf(3), "三页.pdf");
    auto sha = [&](const std::string& id) {
        return parse(admin->get("/api/v1/documents/" + id).body)->getValue<std::string>("sha256");
    };
    std::string docxSha = sha(first), pdfSha = sha(pdf);
    EXPECT_EQ(sha(second), docxSha);
    EXPECT_FALSE(services->checkRows().forDocument(pdf).empty());

    // Another organization's, staff, and an unknown id.
    auto hidden = other->request("DELETE", "/api/v1/documents/" + first);
    EXPECT_EQ(hidden.status, 404);
    EXPECT_EQ(codeOf(hidden), "document.not_found");
    EXPECT_EQ(other->request("DELETE", "/api/v1/documents/01JNOSUCHDOCUMENT000000000").status, 404);
    auto reviewer = world->staff(Role::Reviewer, "review01", "13900000001");
    EXPECT_EQ(reviewer->request("DELETE", "/api/v1/documents/" + first).status, 403);
    // The reviewer's read puts the row in this node's cache before the deletion.
    EXPECT_EQ(reviewer->get("/api/v1/documents/" + first).status, 200);

    // A member deletes the admin's upload: the cached row is forgotten at once.
    clock->set(kNow + 1000000);  // after the uploads, for the trail's order
    EXPECT_EQ(member->request("DELETE", "/api/v1/documents/" + first).status, 204);
    EXPECT_EQ(admin->get("/api/v1/documents/" + first).status, 404);
    EXPECT_EQ(reviewer->get("/api/v1/documents/" + first).status, 404);
    EXPECT_EQ(admin->get("/api/v1/documents/" + first + "/content").status, 404);
    EXPECT_EQ(member->request("DELETE", "/api/v1/documents/" + first).status, 404);
    EXPECT_TRUE(services->documentRows().hasBlob(docxSha));  // the second still uses it
    EXPECT_EQ(admin->get("/api/v1/documents/" + second + "/content").status, 200);

    // The PDF: its checks and text go with it, and its blob row with its last document.
    clock->set(kNow + 2000000);  // after the download of `second`, for the trail's order
    services->checkRows().saveText(pdf, 1, "第一页");
    EXPECT_EQ(admin->request("DELETE", "/api/v1/documents/" + pdf).status, 204);
    EXPECT_TRUE(services->checkRows().forDocument(pdf).empty());
    EXPECT_EQ(services->checkRows().text(pdf, 1), std::nullopt);
    EXPECT_FALSE(services->documentRows().hasBlob(pdfSha));
    EXPECT_EQ(admin->request("DELETE", "/api/v1/documents/" + second).status, 204);
    EXPECT_FALSE(services->documentRows().hasBlob(docxSha));
    // The bytes go at the next start-up sweep, which only then may run.
    auto blobFiles = [&] { return listFilesRecursive(config.blobDirectory()).size(); };
    std::size_t before = blobFiles();
    EXPECT_EQ(services->collectOrphanBlobs(), 2u);
    EXPECT_EQ(blobFiles(), before - 2);

    // The audit trail of a deleted document stays readable by its organization and by
    // reviewers, never by another organization.
    auto entries = trail("document:" + first);
    ASSERT_GE(entries.size(), 2u);
    EXPECT_EQ(entries[0].action, "document.delete");
    EXPECT_EQ(entries[0].accountId, memberId);
    auto details = parse(entries[0].detailJson);
    EXPECT_EQ(details->getValue<std::string>("organization_id"), organizationId);
    EXPECT_EQ(details->getValue<std::string>("sha256"), docxSha);
    EXPECT_EQ(details->getValue<std::string>("uploaded_by"), adminId);
    EXPECT_EQ(details->getValue<std::string>("blob_released"), "false");
    EXPECT_EQ(
        parse(trail("document:" + second)[0].detailJson)->getValue<std::string>("blob_released"),
        "true");
    auto kept = admin->get("/api/v1/documents/" + first + "/audit");
    ASSERT_EQ(kept.status, 200) << kept.body;
    EXPECT_EQ(kept.json()->getArray("entries")->getObject(0)->getValue<std::string>("action"),
              "document.delete");
    EXPECT_EQ(reviewer->get("/api/v1/documents/" + first + "/audit").status, 200);
    EXPECT_EQ(other->get("/api/v1/documents/" + first + "/audit").status, 404);
}

}  // namespace
