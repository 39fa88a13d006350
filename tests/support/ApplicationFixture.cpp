#include "ApplicationFixture.h"

#include <Poco/JSON/Parser.h>

#include <sstream>

#include "InProcessServer.h"
#include "SampleFiles.h"

using Poco::JSON::Array;
using Poco::JSON::Object;

namespace dossier::test {

Object::Ptr parseObject(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string toJson(const Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
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

std::string codeOf(const HttpResult& r) {
    auto body = r.json();
    return body ? body->optValue<std::string>("code", "") : "";
}

std::string activityBody(const std::string& code, const std::string& templateId) {
    return R"({"code":")" + code + R"(","title":"2025年全国质量标杆","kind":"benchmark",)" +
           R"("template_id":")" + templateId + R"(",)" +
           R"("opens_at":"2025-04-01T09:00:00+08:00","closes_at":"2025-04-29T17:00:00+08:00",)"
           R"("review_until":"2025-05-23T17:00:00+08:00","required_evidence":[{"kind":)"
           R"("application-year","label":"技术应用满一年的证实性材料","min_count":1,)"
           R"("check":"quality"}],"completing_units":2,"recommending_units":)"
           R"("recommending-units-2022","allow_return":true})";
}

void ApplicationFixture::SetUp() {
    config = testConfig(dir.path(), testDb);
    if (!templatesDir.empty()) config.templatesDir = templatesDir;
    config.auth.sessionHours = 24 * 365;  // the clock moves weeks
    config.checkWorkers = 0;              // tests settle the checks themselves
    services = app::Services::open(config, nullptr, clock);
    server = startInProcessServer(*services);
    admin = client();
    auto account = admin->signUp("jingke01", "13800000001", organizationName, kCreditCode, "李明");
    ASSERT_TRUE(account);
    adminId = account->getValue<std::string>("id");
    orgId = account->getValue<std::string>("organization_id");
    reviewer = staff(Role::Reviewer, "review01", "13900000001", reviewerName);
    organizer = staff(Role::Organizer, "organ01", "13900000002");
    approveFiling(*admin, orgId, organizationName, kCreditCode);
    openActivities();
    clock->set(kOpens);
}

void ApplicationFixture::TearDown() {
    if (server) server->stop();
}

void ApplicationFixture::openActivities() {
    auto created = organizer->postJson("/api/v1/activities", activityBody(kActivity));
    ASSERT_EQ(created.status, 201) << created.body;
}

std::unique_ptr<HttpTestClient> ApplicationFixture::client() const {
    return std::make_unique<HttpTestClient>(server->port());
}

std::unique_ptr<HttpTestClient> ApplicationFixture::member(const std::string& username,
                                                           const std::string& phone,
                                                           std::string* accountId) {
    auto c = client();
    auto r = c->postJson("/api/v1/accounts", R"({"username":")" + username + R"(","password":")" +
                                                 HttpTestClient::kTestPassword + R"(","phone":")" +
                                                 phone + R"(","display_name":"王芳"})");
    EXPECT_EQ(r.status, 201) << r.body;
    *accountId = r.json()->getObject("account")->getValue<std::string>("id");
    EXPECT_EQ(c->signIn(username).status, 201);
    auto asked = c->postJson("/api/v1/organizations/" + orgId + "/join-requests", "");
    EXPECT_EQ(asked.status, 201) << asked.body;
    auto approved = admin->postJson("/api/v1/organizations/" + orgId + "/join-requests/" +
                                        asked.json()->getValue<std::string>("id") + "/approve",
                                    "");
    EXPECT_EQ(approved.status, 200) << approved.body;
    return c;
}

std::unique_ptr<HttpTestClient> ApplicationFixture::staff(Role role, const std::string& username,
                                                          const std::string& phone,
                                                          const std::string& displayName) {
    services->auth().createStaff(
        {username, HttpTestClient::kTestPassword, phone, displayName, role});
    auto c = client();
    EXPECT_EQ(c->signIn(username).status, 201);
    return c;
}

std::string ApplicationFixture::upload(HttpTestClient& c, const std::string& bytes,
                                       const std::string& name, const std::string& kind) {
    auto r = c.upload(bytes, name, kind);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json()->getValue<std::string>("id") : "";
}

void ApplicationFixture::approveFiling(HttpTestClient& c, const std::string& organization,
                                       const std::string& name, const std::string& code) {
    std::string license = upload(c, makePdf(), "营业执照.pdf", "license");
    std::string rows;
    for (int i = 0; i < 3; ++i) {
        std::string evidence = upload(c, makeTextPdf(2 + i), "审计报告.pdf", "evidence");
        rows += std::string(i ? "," : "") + R"({"year":)" + std::to_string(2022 + i) +
                R"(,"total_assets":100,"revenue":90,"other_revenue":0,"profit":-1.5,"tax":2,)"
                R"("employees":10,"evidence_document_id":")" +
                evidence + "\"}";
    }
    auto filed = c.postJson(
        "/api/v1/organizations/" + organization + "/filing",
        R"({"name":")" + name + R"(","credit_code":")" + code +
            R"(","economic_type":"有限责任公司","province":"44","city":"4401",)"
            R"("address":"广州国际生物岛","industry":"84","quality_manager":{"name":"王芳",)"
            R"("phone":"020-12345678"},"organization_size":"中型","license_document_id":")" +
            license + R"(","economics":[)" + rows + "]}",
        "PUT");
    ASSERT_EQ(filed.status, 200) << filed.body;
    auto submitted = c.postJson("/api/v1/organizations/" + organization + "/filing/submit", "");
    ASSERT_EQ(submitted.status, 200) << submitted.body;
    auto approved = reviewer->postJson(
        "/api/v1/filings/" + submitted.json()->getValue<std::string>("id") + "/approve", "{}");
    ASSERT_EQ(approved.status, 200) << approved.body;
}

std::string ApplicationFixture::project(const std::string& name, bool summary) {
    std::string body = R"({"name":")" + name + R"(","keywords":["质量追溯"])" +
                       (summary ? R"(,"summary":"以LIMS为核心的检验全过程质量追溯。")" : "") + "}";
    auto r = admin->postJson("/api/v1/projects", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json()->getValue<std::string>("id") : "";
}

HttpResult ApplicationFixture::create(HttpTestClient& c, const std::string& projectId,
                                      const std::string& activity) {
    return c.postJson("/api/v1/applications",
                      R"({"activity":")" + activity + R"(","project_id":")" + projectId + R"("})");
}

std::string ApplicationFixture::createId(const std::string& projectId) {
    auto r = create(*admin, projectId);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json()->getValue<std::string>("id") : "";
}

Object::Ptr ApplicationFixture::sampleForm() {
    auto form = parseObject(
        readFile(std::string(DOSSIER_SOURCE_DIR) + "/templates/samples/benchmark-2022-book.json"));
    form->remove("recommending_unit");
    form->remove("contact");
    form->remove("enterprise");
    return form;
}

Object::Ptr ApplicationFixture::contact() {
    Object::Ptr c = new Object;
    c->set("department", "质量管理部");
    c->set("name", "𠮷田");
    c->set("title", "部长");
    c->set("mobile", "13905712345");
    c->set("telephone", "020-12345678");
    c->set("email", "quality@jingke.example.cn");
    c->set("postcode", "510000");
    c->set("address", "广州国际生物岛螺旋四路7号");
    return c;
}

ApplicationFixture::Documents ApplicationFixture::uploadDocuments(HttpTestClient& c) {
    Documents d;
    d.summary = upload(c, makeTextPdf(3), "总结材料.pdf", "summary");
    d.commitment1 = upload(c, makeTextPdf(4), "承诺书（第一完成单位）.pdf", "commitment");
    d.commitment2 = upload(c, makeTextPdf(5), "承诺书（第二完成单位）.pdf", "commitment");
    d.evidence = upload(c, makeTextPdf(6), "应用证明.pdf", "evidence");
    return d;
}

Array::Ptr ApplicationFixture::links(const Documents& d) {
    Array::Ptr a = new Array;
    auto add = [&a](const std::string& id, const std::string& role, const std::string& kind) {
        Object::Ptr o = new Object;
        o->set("document_id", id);
        o->set("role", role);
        if (!kind.empty()) o->set("evidence_kind", kind);
        a->add(o);
    };
    add(d.summary, "summary", "");
    add(d.commitment1, "commitment", "");
    add(d.commitment2, "commitment", "");
    add(d.evidence, "evidence", "application-year");
    return a;
}

std::string ApplicationFixture::completeBody(const Documents& d) {
    Object body;
    body.set("form", sampleForm());
    body.set("recommending_unit", "广东省工业和信息化厅");
    body.set("contact", contact());
    body.set("commitment_accepted", true);
    body.set("documents", links(d));
    return toJson(body);
}

void ApplicationFixture::settleChecks(const std::set<std::string>& unsealed) {
    auto& checks = services->checkRows();
    std::int64_t now = clock->nowMicros();
    while (auto row = checks.claimNext(now, now - kDay, 3)) {
        bool fail = row->checkName == "seals" && unsealed.count(row->documentId);
        ErrorCode code = row->checkName == "seals"
                             ? (fail ? codes::kSealsMissing : codes::kSealsPresent)
                         : row->checkName == "quality" ? codes::kQualityOk
                         : row->checkName == "license" ? codes::kLicenseCodeRead
                                                       : codes::kTextExtracted;
        checks.complete(*row, fail ? "fail" : "pass", code,
                        fail ? R"({"message":"Found 0 red seal(s) but 1 expected."})" : "{}", now);
    }
}

std::string ApplicationFixture::completeApplication(const std::string& projectName) {
    std::string id = createId(project(projectName));
    auto docs = uploadDocuments(*admin);
    settleChecks();
    auto saved = admin->postJson("/api/v1/applications/" + id, completeBody(docs), "PUT");
    EXPECT_EQ(saved.status, 200) << saved.body;
    return id;
}

HttpResult ApplicationFixture::submit(HttpTestClient& c, const std::string& id) {
    return c.postJson("/api/v1/applications/" + id + "/submit", "");
}

}  // namespace dossier::test
