// The whole application journey of issue 12 over HTTP, as its users live it, with real files:
// an organization files itself with a real license photocopy and is approved; a member keeps
// a project and starts an application for 2025年全国质量标杆, saves drafts over days, attaches
// two commitment letters — real seal images, one per completing unit — and is refused while
// one letter shows no seal; submits once; cannot edit any more; downloads the book and the
// bundle named after the enterprise (unzip lists the Chinese names, the manifest's digests
// match the files). A reviewer
// finds it in the queue, sees every pre-check rule judged by the real checks, fails it with
// reasons, and the applicant reads those reasons. A second application is returned for
// correction, corrected, resubmitted and passed. Real server on port 0, the real checks
// (OCR, seals) run by this thread, the clock injected (seed 002's dates); SQLite and
// PostgreSQL.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "TestWorld.h"
#include "dossier/app/Services.h"
#include "dossier/evidence/OcrEngine.h"
#include "dossier/http/Server.h"

using namespace dossier;
using namespace dossier::test;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

constexpr std::int64_t kSecond = 1000000;
constexpr std::int64_t kHour = 3600 * kSecond;
constexpr std::int64_t kDay = 24 * kHour;
// Seed 002: the window 2025-04-01 09:00 to 04-29 17:00, formal review until 05-23 17:00.
constexpr std::int64_t kOpens = 1743469200LL * kSecond;
constexpr const char* kName = "广州精科医学检验所有限公司";  // as on the license photocopy
constexpr const char* kCode = "91440116MA59B21T31";

Object::Ptr parse(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
}

std::string text(const Object& o) {
    std::ostringstream out;
    o.stringify(out);
    return out.str();
}

std::string str(const Object::Ptr& o, const std::string& key) {
    return o ? o->optValue<std::string>(key, "") : "";
}

std::string codeOf(const HttpResult& r) { return str(r.json(), "code"); }

/// The "path code" pairs of a 422's errors[].
std::set<std::string> problemsOf(const HttpResult& r) {
    std::set<std::string> out;
    auto body = r.json();
    if (!body || !body->has("errors")) return out;
    auto errors = body->getArray("errors");
    for (std::size_t i = 0; i < errors->size(); ++i) {
        auto e = errors->getObject(static_cast<unsigned>(i));
        out.insert(str(e, "path") + " " + str(e, "code"));
    }
    return out;
}

std::vector<std::string> codesOf(const Array::Ptr& reasons) {
    std::vector<std::string> out;
    for (std::size_t i = 0; reasons && i < reasons->size(); ++i) {
        out.push_back(str(reasons->getObject(static_cast<unsigned>(i)), "code"));
    }
    return out;
}

/// The text of a PDF, without spaces and line breaks (pdftotext).
std::string pdfText(const std::string& pdf) {
    TempDir d;
    writeFile(d.path() + "/a.pdf", pdf);
    std::string out;
    for (char c : runCommand("pdftotext " + d.path() + "/a.pdf - 2>/dev/null")) {
        if (c != ' ' && c != '\n' && c != '\f') out += c;
    }
    return out;
}

class ApplicationJourney : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        config.auth.sessionHours = 24 * 365;  // the clock moves weeks
        config.checkWorkers = 0;              // this thread runs the real checks (runChecks)
        clock->set(kOpens - kDay);            // 2025-03-31 09:00 in Beijing
        services = app::Services::open(config, nullptr, clock);
        server = startInProcessServer(*services);
        world = std::make_unique<TestWorld>(*services, server->port());
    }
    void TearDown() override { server->stop(); }

    /// Runs every pending check (OCR, seals, quality) as the server's workers would.
    void runChecks() {
        while (services->checkRunner().runOne(ocr)) {
        }
    }

    /// A client that is `c` on a connection of its own: after the checks' OCR the old
    /// keep-alive connection may have been closed by the server.
    std::unique_ptr<HttpTestClient> fresh(const HttpTestClient& c) {
        auto f = world->client();
        f->setBearer(c.bearer());
        return f;
    }

    std::shared_ptr<FixedClock> clock = std::make_shared<FixedClock>(kOpens);
    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<TestWorld> world;
    std::unique_ptr<evidence::OcrEngine> ocr;
};

/// An application's body: the sample book's form (without what the application fills in
/// itself), the contact, the 承诺书 accepted, the recommending unit and `documents`.
std::string completeBody(const Array::Ptr& documents) {
    std::ifstream in(std::string(DOSSIER_SOURCE_DIR) +
                     "/templates/samples/benchmark-2022-book.json");
    std::stringstream sample;
    sample << in.rdbuf();
    auto form = parse(sample.str());
    for (const char* own : {"recommending_unit", "contact", "enterprise"}) form->remove(own);
    Object::Ptr contact = new Object;
    contact->set("department", "质量管理部");
    contact->set("name", "王芳𠮷");
    contact->set("title", "部长");
    contact->set("mobile", "13800000002");
    contact->set("email", "wangfang@jingke.example.cn");
    contact->set("address", "广州国际生物岛螺旋四路7号");
    Object body;
    body.set("form", form);
    body.set("recommending_unit", "广东省工业和信息化厅");
    body.set("contact", contact);
    body.set("commitment_accepted", true);
    body.set("documents", documents);
    return text(body);
}

Array::Ptr links(const std::vector<std::pair<std::string, std::string>>& roles) {
    Array::Ptr a = new Array;
    for (const auto& [id, role] : roles) {
        Object::Ptr o = new Object;
        o->set("document_id", id);
        o->set("role", role);
        if (role == "evidence") o->set("evidence_kind", "application-year");
        a->add(o);
    }
    return a;
}

TEST_F(ApplicationJourney, FileApplySubmitReviewFailReturnResubmitPass) {
    // 1. The organization: its admin files it with the real license photocopy; approved.
    std::string org;
    auto admin = world->admin("jingke01", "13800000001", kName, kCode, nullptr, &org, "李明");
    ASSERT_FALSE(org.empty());
    std::string license = TestWorld::upload(
        *admin, readFile(fixturePath("real/license_photocopy_91440116MA59B21T31_astragen.png")),
        "营业执照副本.jpg", "license");
    std::string rows;
    for (int year = 2022; year <= 2024; ++year) {
        std::string evidence = TestWorld::upload(
            *admin, makeTextPdf(year - 2021), std::to_string(year) + "年审计报告.pdf", "evidence");
        rows += std::string(rows.empty() ? "" : ",") + R"({"year":)" + std::to_string(year) +
                R"(,"total_assets":1200.5,"revenue":980.25,"other_revenue":12,"profit":88.1,)"
                R"("tax":40.2,"employees":120,"evidence_document_id":")" +
                evidence + "\"}";
    }
    const std::string filing = "/api/v1/organizations/" + org + "/filing";
    auto filed =
        admin->postJson(filing,
                        std::string(R"({"name":")") + kName +
                            R"(","economic_type":"有限责任公司","province":"44","city":"4401",)"
                            R"("address":"广州国际生物岛螺旋四路7号第6层602单元","industry":"84",)"
                            R"("quality_manager":{"name":"王芳𠮷","phone":"020-12345678"},)"
                            R"("organization_size":"中型","license_document_id":")" +
                            license + R"(","economics":[)" + rows + "]}",
                        "PUT");
    ASSERT_EQ(filed.status, 200) << filed.body;
    auto submittedFiling = admin->postJson(filing + "/submit", "");
    ASSERT_EQ(submittedFiling.status, 200) << submittedFiling.body;
    auto reviewer = world->staff(Role::Reviewer, "review01", "13900000001", "审查员");
    auto organizer = world->staff(Role::Organizer, "organ01", "13900000002", "组织者");
    ASSERT_EQ(
        reviewer
            ->postJson("/api/v1/filings/" + str(submittedFiling.json(), "id") + "/approve", "{}")
            .status,
        200);

    // 2. The organizer opens seed 002's call: two completing units seal the letters.
    auto activity = organizer->postJson(
        "/api/v1/activities",
        R"({"code":"benchmark-2025","title":"2025年全国质量标杆","kind":"benchmark",)"
        R"("template_id":"benchmark-2022","opens_at":"2025-04-01T09:00:00+08:00",)"
        R"("closes_at":"2025-04-29T17:00:00+08:00","review_until":"2025-05-23T17:00:00+08:00",)"
        R"("required_evidence":[{"kind":"application-year","label":"技术应用满一年的证实性材料",)"
        R"("min_count":1,"check":"quality"}],"completing_units":2,)"
        R"("recommending_units":"recommending-units-2022","allow_return":true})");
    ASSERT_EQ(activity.status, 201) << activity.body;

    // 3. A colleague joins and keeps the project (申报主体).
    auto mate = world->member(*admin, org, "wangfang", "13800000002", nullptr, "王芳𠮷");
    auto project = [&](const std::string& name) {
        auto r = mate->postJson("/api/v1/projects",
                                R"({"name":")" + name +
                                    R"(","keywords":["质量追溯","互联网+"],)"
                                    R"("summary":"以LIMS为核心的检验全过程质量追溯。"})");
        EXPECT_EQ(r.status, 201) << r.body;
        return str(r.json(), "id");
    };
    std::string projectId = project("精科医学检验质量追溯系统的经验");

    // 4. The window opens: a draft, saved over days (暂存), partial data, a wrong value
    //    refused with every problem at once.
    clock->set(kOpens + kHour);
    auto created =
        mate->postJson("/api/v1/applications", R"({"activity":"benchmark-2025","project_id":")" +
                                                   projectId + R"(","commitment_accepted":true})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string app = str(created.json(), "id");
    const std::string path = "/api/v1/applications/" + app;
    auto draft = mate->request("PUT", path, {{"If-Match", "\"1\""}}, "application/json",
                               R"({"commitment_accepted":true,)"
                               R"("form":{"experience_name":"精科医学检验质量追溯的经验"},)"
                               R"("contact":{"name":"王芳𠮷","mobile":"13800000002"}})");
    ASSERT_EQ(draft.status, 200) << draft.body;
    clock->set(kOpens + kDay);
    auto wrong = mate->postJson(path,
                                R"({"recommending_unit":"不存在的推荐单位",)"
                                R"("contact":{"mobile":"12","email":"not-an-address"}})",
                                "PUT");
    ASSERT_EQ(wrong.status, 422) << wrong.body;
    EXPECT_EQ(problemsOf(wrong).size(), 3u) << wrong.body;
    EXPECT_EQ(str(mate->get(path).json()->getObject("form"), "experience_name"),
              "精科医学检验质量追溯的经验")
        << "the refused save changed nothing";

    // 5. The documents: the summary, the evidence, and two commitment letters — real seal
    //    images, one per completing unit — but the second "letter" is a wrong scan (a
    //    license's negative), with no red seal.
    std::string summary = TestWorld::upload(*mate, makeTextPdf(3), "总结材料.pdf", "summary");
    std::string evidence =
        TestWorld::upload(*mate, readFile(fixturePath("real/paddlex_table_recognition.png")),
                          "应用证明.png", "evidence");
    std::string letter1 =
        TestWorld::upload(*mate, readFile(fixturePath("real/getseal_source_beijing_zhongdao.png")),
                          "承诺书（第一完成单位）.png", "commitment");
    std::string unsealed =
        TestWorld::upload(*mate, readFile(fixturePath("cases/inverted-scan/license-negative.jpg")),
                          "承诺书（第二完成单位）.jpg", "commitment");
    auto saved = mate->postJson(path,
                                completeBody(links({{summary, "summary"},
                                                    {letter1, "commitment"},
                                                    {unsealed, "commitment"},
                                                    {evidence, "evidence"}})),
                                "PUT");
    ASSERT_EQ(saved.status, 200) << saved.body;
    runChecks();
    mate = fresh(*mate);
    auto refused = mate->postJson(path + "/submit", "");
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(problemsOf(refused), std::set<std::string>{"documents[2] field.check_failed"})
        << refused.body;
    EXPECT_NE(refused.body.find("red seal"), std::string::npos) << refused.body;
    // The second unit's stamped letter replaces it; the seals are counted again.
    std::string letter2 =
        TestWorld::upload(*mate, readFile(fixturePath("real/sealhacker_test_photo.jpg")),
                          "承诺书（第二完成单位）.jpg", "commitment");
    const auto finalLinks = links({{summary, "summary"},
                                   {letter1, "commitment"},
                                   {letter2, "commitment"},
                                   {evidence, "evidence"}});
    ASSERT_EQ(mate->postJson(path, completeBody(finalLinks), "PUT").status, 200);
    runChecks();
    mate = fresh(*mate);
    auto shown = mate->get(path).json()->getArray("documents");
    for (unsigned i : {1u, 2u}) {
        EXPECT_EQ(str(shown->getObject(i)->getObject("checks"), "seals"), "pass") << i;
    }

    // 6. Submit once; nothing changes after (409), in the database too.
    clock->set(kOpens + 2 * kDay);
    auto submitted = mate->postJson(path + "/submit", "");
    ASSERT_EQ(submitted.status, 200) << submitted.body;
    EXPECT_EQ(str(submitted.json(), "number"), "benchmark-2025-000001");
    auto locked = mate->postJson(path, completeBody(finalLinks), "PUT");
    EXPECT_EQ(locked.status, 409) << locked.body;
    EXPECT_EQ(codeOf(locked), "application.locked");
    EXPECT_EQ(codeOf(mate->postJson(path + "/submit", "")), "application.locked");
    EXPECT_ANY_THROW(
        testDb.exec("UPDATE applications SET form_json = '{}' WHERE id = '" + app + "'"));

    // 7. The book, with the number and the submission instant on its pages, and the bundle.
    auto book = mate->get(path + "/book.pdf");
    ASSERT_EQ(book.status, 200) << book.body;
    EXPECT_EQ(book.header("Content-Type"), "application/pdf");
    std::string bookText = pdfText(book.body);
    EXPECT_NE(bookText.find("申报编号benchmark-2025-000001提交时间2025-04-0309:00:00北京时间"),
              std::string::npos)
        << bookText.substr(0, 400);
    EXPECT_NE(bookText.find(kName), std::string::npos);

    // The bundle named after the enterprise (RFC 5987): Info-ZIP's unzip lists the Chinese
    // names, and every file's SHA-256 is the one its manifest.json entry gives.
    auto bundle = mate->get(path + "/bundle.zip");
    ASSERT_EQ(bundle.status, 200) << bundle.body.substr(0, 400);
    EXPECT_NE(bundle.header("Content-Disposition")
                  .find("filename*=UTF-8''%E5%B9%BF%E5%B7%9E%E7%B2%BE%E7%A7%91"),  // 广州精科
              std::string::npos)
        << bundle.header("Content-Disposition");
    TempDir unpacked;
    const std::string zip = unpacked.path() + "/bundle.zip";
    writeFile(zip, bundle.body);
    std::string listing = runCommand("unzip -l '" + zip + "'");
    for (const char* name : {"承诺书（第一完成单位）.png", "承诺书（第二完成单位）.jpg",
                             "应用证明.png", "总结材料.pdf", "manifest.json"}) {
        EXPECT_NE(listing.find(name), std::string::npos) << name << " in\n" << listing;
    }
    auto manifest = parse(runCommand("unzip -p '" + zip + "' manifest.json"));
    auto entries = manifest->getArray("entries");
    ASSERT_GE(entries->size(), 5u) << listing;
    for (std::size_t i = 0; i < entries->size(); ++i) {
        auto entry = entries->getObject(static_cast<unsigned>(i));
        std::string digest = runCommand("unzip -p '" + zip + "' '" + str(entry, "name") +
                                        "' | sha256sum | cut -c1-64");
        EXPECT_EQ(digest, str(entry, "sha256") + "\n") << str(entry, "name");
    }

    // 8. The reviewer finds it in the queue; the pre-check has judged every rule with the
    //    real checks, each naming the reasons of the 全国质量标杆 list it supports.
    clock->set(kOpens + 3 * kDay);
    auto queue = reviewer->get("/api/v1/reviews?activity=benchmark-2025&q=%E7%B2%BE%E7%A7%91");
    ASSERT_EQ(queue.status, 200) << queue.body;
    ASSERT_EQ(queue.json()->getValue<int>("total"), 1) << queue.body;
    EXPECT_EQ(str(queue.json()->getArray("items")->getObject(0), "id"), app);
    auto precheck = reviewer->get(path + "/precheck");
    ASSERT_EQ(precheck.status, 200) << precheck.body;
    std::map<std::string, Object::Ptr> rules;
    auto ruleItems = precheck.json()->getArray("rules");
    for (std::size_t i = 0; i < ruleItems->size(); ++i) {
        auto rule = ruleItems->getObject(static_cast<unsigned>(i));
        rules[str(rule, "rule")] = rule;
    }
    EXPECT_EQ(rules.size(), 7u) << precheck.body;
    for (const char* name : {"commitment_seals", "required_evidence", "recommendation",
                             "template_complete", "word_limits", "shared_files"}) {
        ASSERT_TRUE(rules.count(name)) << name;
        EXPECT_EQ(str(rules[name], "result"), "pass") << name << ": " << precheck.body;
    }
    // The photocopy's seal covers part of the name: the license check may warn, never fail.
    ASSERT_TRUE(rules.count("license"));
    EXPECT_TRUE(str(rules["license"], "result") == "pass" ||
                str(rules["license"], "result") == "warn")
        << precheck.body;
    EXPECT_EQ(rules["commitment_seals"]->getObject("evidence")->getValue<int>("letters"), 2);
    EXPECT_EQ(codesOf(rules["commitment_seals"]->getArray("reasons")),
              std::vector<std::string>{"commitment_not_sealed"});
    EXPECT_EQ(codesOf(rules["license"]->getArray("reasons")),
              std::vector<std::string>{"license_mismatch"});
    EXPECT_EQ(precheck.json()->getArray("suggested_reasons")->size(), 0u);

    // 9. It fails with reasons; the applicant reads them, in the list's words, with the
    //    comment, on the application, in 我的申报 and in the notification.
    auto opened = reviewer->get("/api/v1/reviews/" + app);
    ASSERT_EQ(opened.status, 200) << opened.body;
    EXPECT_EQ(str(opened.json()->getObject("application"), "state"), "under_review");
    auto failed = reviewer->postJson(path + "/review",
                                     R"({"decision":"fail","reasons":["state_secret","other"],)"
                                     R"("comment":"经验材料涉及涉密工艺参数，且未附推荐意见"})");
    ASSERT_EQ(failed.status, 200) << failed.body;
    auto mine = mate->get(path);
    ASSERT_EQ(mine.status, 200) << mine.body;
    EXPECT_EQ(str(mine.json(), "state"), "failed");
    auto review = mine.json()->getObject("review");
    ASSERT_TRUE(review) << mine.body;
    EXPECT_EQ(codesOf(review->getArray("reasons")),
              (std::vector<std::string>{"state_secret", "other"}));
    EXPECT_EQ(str(review->getArray("reasons")->getObject(0), "label"), "申报材料涉及国家秘密");
    EXPECT_EQ(str(review, "comment"), "经验材料涉及涉密工艺参数，且未附推荐意见");
    auto listed = mate->get("/api/v1/applications").json()->getArray("items")->getObject(0);
    EXPECT_EQ(codesOf(listed->getObject("review")->getArray("reasons")),
              (std::vector<std::string>{"state_secret", "other"}));
    auto notice = admin->get("/api/v1/notifications").json()->getArray("items")->getObject(0);
    EXPECT_EQ(str(notice, "state"), "failed");
    EXPECT_EQ(codesOf(notice->getObject("review")->getArray("reasons")),
              (std::vector<std::string>{"state_secret", "other"}));

    // 10. A second application, with a project of its own: returned for correction, corrected
    //     and resubmitted before the deadline, then passed.
    clock->set(kOpens + 4 * kDay);
    auto second = mate->postJson("/api/v1/applications",
                                 R"({"activity":"benchmark-2025","project_id":")" +
                                     project("精科医学检验冷链物流质量管理经验") + R"("})");
    ASSERT_EQ(second.status, 201) << second.body;
    const std::string app2 = str(second.json(), "id");
    const std::string path2 = "/api/v1/applications/" + app2;
    clock->set(kOpens + 4 * kDay + kHour);
    ASSERT_EQ(mate->postJson(path2, completeBody(finalLinks), "PUT").status, 200);
    clock->set(kOpens + 4 * kDay + 2 * kHour);
    auto submitted2 = mate->postJson(path2 + "/submit", "");
    ASSERT_EQ(submitted2.status, 200) << submitted2.body;
    EXPECT_EQ(str(submitted2.json(), "number"), "benchmark-2025-000002");
    clock->set(kOpens + 5 * kDay);
    auto returned = reviewer->postJson(
        path2 + "/review", R"({"decision":"return","reasons":["commitment_not_sealed"],)"
                           R"("comment":"请补充第一完成单位盖章的承诺书原件扫描件",)"
                           R"("return_deadline":"2025-05-16T17:00:00+08:00"})");
    ASSERT_EQ(returned.status, 200) << returned.body;
    auto toCorrect = mate->get(path2);
    EXPECT_EQ(str(toCorrect.json(), "state"), "returned");
    EXPECT_EQ(codesOf(toCorrect.json()->getObject("review")->getArray("reasons")),
              std::vector<std::string>{"commitment_not_sealed"});
    EXPECT_EQ(toCorrect.json()->getArray("actions")->size(), 2u);  // edit, submit
    // After the window closed, before the return's deadline: the correction goes in.
    clock->set(1745917200LL * kSecond + kDay);  // 2025-04-30 17:00 in Beijing
    std::string rescanned =
        TestWorld::upload(*mate, readFile(fixturePath("real/paddlex_seal_text_det.png")),
                          "承诺书（第一完成单位）.png", "commitment");
    runChecks();
    mate = fresh(*mate);
    auto corrected = mate->postJson(path2,
                                    completeBody(links({{summary, "summary"},
                                                        {rescanned, "commitment"},
                                                        {letter2, "commitment"},
                                                        {evidence, "evidence"}})),
                                    "PUT");
    ASSERT_EQ(corrected.status, 200) << corrected.body;
    auto resubmitted = mate->postJson(path2 + "/submit", "");
    ASSERT_EQ(resubmitted.status, 200) << resubmitted.body;
    EXPECT_EQ(str(resubmitted.json(), "state"), "submitted");
    EXPECT_EQ(str(resubmitted.json(), "number"), "benchmark-2025-000002") << "it keeps its number";
    EXPECT_EQ(codeOf(mate->postJson(path2, completeBody(finalLinks), "PUT")), "application.locked");
    clock->set(1745917200LL * kSecond + 2 * kDay);
    ASSERT_EQ(reviewer->get("/api/v1/reviews/" + app2).status, 200);
    clock->set(1745917200LL * kSecond + 2 * kDay + kHour);
    auto passed =
        reviewer->postJson(path2 + "/review", R"({"decision":"pass","comment":"材料齐全"})");
    ASSERT_EQ(passed.status, 200) << passed.body;
    auto done = mate->get(path2);
    EXPECT_EQ(str(done.json(), "state"), "passed");
    EXPECT_EQ(str(done.json()->getObject("review"), "decision"), "pass");
    std::vector<std::string> actions;
    auto events = mate->get(path2 + "/events").json()->getArray("items");
    for (std::size_t i = 0; i < events->size(); ++i) {
        std::string action = str(events->getObject(static_cast<unsigned>(i)), "action");
        if (action != "application.save") actions.push_back(action);
    }
    EXPECT_EQ(actions, (std::vector<std::string>{
                           "application.create", "application.submit", "application.review_started",
                           "application.returned", "application.submit",
                           "application.review_started", "application.passed"}));
}

}  // namespace
