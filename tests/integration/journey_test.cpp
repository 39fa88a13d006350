// The whole filing journey of issue 11 over HTTP, as its users live it: an organization's admin
// registers and files the organization with a real license photocopy whose code and name
// match; a reviewer sees the license check pass, rejects with two reasons; the admin corrects
// and resubmits; the reviewer approves; a colleague registers a personal account, finds the
// organization by the registration query, asks to join and is approved, and keeps a project
// with both its tables; the admin hands the admin role to that member; the old admin, who
// submitted the filing, cannot deregister. Real server on port 0 with a check worker (OCR);
// SQLite and PostgreSQL.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "HttpTestClient.h"
#include "InProcessServer.h"
#include "SampleFiles.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "TestWorld.h"
#include "dossier/app/Services.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/filing/FilingService.h"
#include "dossier/http/Server.h"

using namespace dossier;
using namespace dossier::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kName = "广州精科医学检验所有限公司";  // as on the license fixture
constexpr const char* kCode = "91440116MA59B21T31";

/// The calendar year now in Beijing: the filing asks for the three before it.
int yearInShanghai() {
    std::time_t t = std::time(nullptr) + 8 * 3600;
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

/// The license agrees with the filing: the code matches, and the name does, or shows beside
/// the seal stamped over it (this photocopy's seal covers part of the name: a warning for the
/// reviewer to look, not a failure).
bool codeAgrees(const std::string& code) {
    return code == "license.match" || code == "license.name_obscured";
}

std::string str(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    return o ? o->optValue<std::string>(key, "") : "";
}

class Journey : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        config.checkWorkers = 1;
        services = app::Services::open(config);
        services->checkRunner().start();
        server = startInProcessServer(*services);
        world = std::make_unique<TestWorld>(*services, server->port());
    }
    void TearDown() override {
        server->stop();
        services->checkRunner().stop();
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<TestWorld> world;  // its people: admins, personal accounts, members, staff
};

TEST_F(Journey, FileReviewJoinProjectTransferDeregister) {
    // 1. The admin registers the organization and uploads the license and the evidence.
    std::string org, adminId;
    auto admin = world->admin("jingke01", "13800000001", kName, kCode, &adminId, &org, "李明");
    ASSERT_FALSE(org.empty());
    std::string license = TestWorld::upload(
        *admin, readFile(fixturePath("real/license_photocopy_91440116MA59B21T31_astragen.png")),
        "营业执照副本.png", "license");
    int year = yearInShanghai();
    std::string evidence[3];
    for (int i = 0; i < 3; ++i) {
        evidence[i] =
            TestWorld::upload(*admin, makeTextPdf(i + 1),
                              std::to_string(year - 3 + i) + "年审计报告.pdf", "evidence");
    }

    // 2. The draft, then the submission.
    auto economics = [&](int skipEvidence) {
        std::string rows;
        for (int i = 0; i < 3; ++i) {
            if (i) rows += ",";
            rows += R"({"year":)" + std::to_string(year - 3 + i) +
                    R"(,"total_assets":1200.5,"revenue":980.25,"other_revenue":12,"profit":)" +
                    (i == 0 ? "-35.75" : "88.1") + R"(,"tax":40.2,"employees":)" +
                    std::to_string(120 + i) +
                    (i == skipEvidence ? "" : R"(,"evidence_document_id":")" + evidence[i] + "\"") +
                    "}";
        }
        return "[" + rows + "]";
    };
    auto filingBody = [&](const std::string& address, int skipEvidence) {
        return std::string(R"({"name":")") + kName +
               R"(","economic_type":"有限责任公司","province":"44","city":"4401","address":")" +
               address +
               R"(","industry":"84","quality_manager":{"name":"王芳𠮷","phone":"020-12345678"},)"
               R"("organization_size":"中型","license_document_id":")" +
               license + R"(","economics":)" + economics(skipEvidence) + "}";
    };
    const std::string filingPath = "/api/v1/organizations/" + org + "/filing";
    auto saved = admin->postJson(filingPath, filingBody("广州国际生物岛螺旋四路7号", 2), "PUT");
    ASSERT_EQ(saved.status, 200) << saved.body;
    // Incomplete: the third year has no evidence; every problem at once, nothing submitted.
    auto incomplete = admin->postJson(filingPath + "/submit", "");
    ASSERT_EQ(incomplete.status, 422) << incomplete.body;
    EXPECT_NE(incomplete.body.find("economics[2].evidence_document_id"), std::string::npos)
        << incomplete.body;
    saved = admin->postJson(filingPath, filingBody("广州国际生物岛螺旋四路7号", -1), "PUT");
    ASSERT_EQ(saved.status, 200) << saved.body;
    auto submitted = admin->postJson(filingPath + "/submit", "");
    ASSERT_EQ(submitted.status, 200) << submitted.body;
    EXPECT_EQ(str(submitted.json(), "state"), "submitted");
    const std::string filingId = str(submitted.json(), "id");
    ASSERT_FALSE(filingId.empty()) << submitted.body;

    // 3. A reviewer finds it, waits for the license check, sees it pass against the filed
    //    name and code, and rejects it with two reasons.
    auto reviewer = world->staff(Role::Reviewer, "review01", "13900000001", "审查员");
    auto list =
        reviewer->get("/api/v1/filings?state=submitted&province=44&name=%E7%B2%BE%E7%A7%91");
    ASSERT_EQ(list.status, 200) << list.body;
    ASSERT_EQ(list.json()->getValue<int>("total"), 1) << list.body;
    Poco::JSON::Object::Ptr opened;
    std::string openedBody;
    auto deadline = std::chrono::steady_clock::now() + 180s;
    for (;;) {
        auto r = reviewer->get("/api/v1/filings/" + filingId);
        ASSERT_EQ(r.status, 200) << r.body;
        opened = r.json();
        openedBody = r.body;
        bool pending = false;
        auto items = opened->getArray("evidence");
        for (std::size_t i = 0; i < items->size(); ++i) {
            pending =
                pending || str(items->getObject(static_cast<unsigned>(i)), "state") == "pending";
        }
        if (!pending) break;
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "checks still pending: " << r.body;
        std::this_thread::sleep_for(500ms);
    }
    bool licenseSeen = false;
    auto items = opened->getArray("evidence");
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto item = items->getObject(static_cast<unsigned>(i));
        if (str(item, "document_id") != license) continue;
        licenseSeen = true;
        auto checks = item->getArray("checks");
        bool matched = false;
        for (std::size_t k = 0; k < checks->size(); ++k) {
            auto c = checks->getObject(static_cast<unsigned>(k));
            if (str(c, "check") == "license") matched = codeAgrees(str(c, "code"));
        }
        EXPECT_TRUE(matched) << opened->getArray("evidence")->size();
        ASSERT_TRUE(item->has("filed_comparison"));
        EXPECT_TRUE(codeAgrees(str(item->getObject("filed_comparison"), "code")));
    }
    EXPECT_TRUE(licenseSeen);
    // Every reviewer view is traced; the history lists the journey's steps, not the views.
    const std::string reviewerId =
        str(reviewer->get("/api/v1/me").json()->getObject("account"), "id");
    int views = 0;
    for (const auto& e : services->audit().forTarget("filing:" + filingId)) {
        if (e.action == "filing.viewed" && e.accountId == reviewerId) ++views;
    }
    EXPECT_GE(views, 1);
    EXPECT_EQ(openedBody.find("filing.viewed"), std::string::npos);
    auto rejected = reviewer->postJson(
        "/api/v1/filings/" + filingId + "/reject",
        R"({"reasons":["name_differs_from_license","evidence_missing_for_year"],)"
        R"("comment":"请核对名称并补充审计报告"})");
    ASSERT_EQ(rejected.status, 200) << rejected.body;

    // 4. The admin reads both reasons, corrects and submits again; the reviewer approves.
    auto mine = admin->get(filingPath);
    ASSERT_EQ(mine.status, 200);
    EXPECT_EQ(str(mine.json(), "state"), "rejected");
    EXPECT_NE(mine.body.find("name_differs_from_license"), std::string::npos) << mine.body;
    EXPECT_NE(mine.body.find("evidence_missing_for_year"), std::string::npos) << mine.body;
    saved =
        admin->postJson(filingPath, filingBody("广州国际生物岛螺旋四路7号第6层602单元", -1), "PUT");
    ASSERT_EQ(saved.status, 200) << saved.body;
    submitted = admin->postJson(filingPath + "/submit", "");
    ASSERT_EQ(submitted.status, 200) << submitted.body;
    auto approved = reviewer->postJson("/api/v1/filings/" + filingId + "/approve", "{}");
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(str(admin->get(filingPath).json(), "state"), "approved");
    EXPECT_TRUE(services->filings().approvedFiling(org).has_value());

    // 5. A colleague registers a personal account, finds the organization and joins.
    std::string memberId;
    auto colleague = world->personal("wangfang", "13800000002", &memberId, "王芳𠮷");
    ASSERT_FALSE(memberId.empty());
    auto found = colleague->get("/api/v1/organizations/lookup?q=" + std::string(kCode));
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_TRUE(found.json()->getValue<bool>("admin_registered"));
    EXPECT_EQ(str(found.json(), "organization_id"), org);
    ASSERT_FALSE(TestWorld::join(*colleague, *admin, org).empty());
    EXPECT_EQ(str(colleague->get("/api/v1/me").json()->getObject("account"), "organization_id"),
              org);

    // 6. The member keeps a project with both tables, citing its own evidence uploads.
    std::string patent = TestWorld::upload(*colleague, makeTextPdf(1), "专利证书.pdf", "evidence");
    std::string award = TestWorld::upload(*colleague, makeTextPdf(2), "获奖证书.pdf", "evidence");
    auto project = colleague->postJson(
        "/api/v1/projects",
        R"({"name":"精科医学检验质量追溯系统的经验","keywords":["质量追溯","互联网+"],)"
        R"("summary":"以LIMS为核心的检验全过程质量追溯。","ip_rights":[{"category":"发明专利",)"
        R"("name":"一种检验样本追溯方法","country":"中国","granted_on":"2023-05-06",)"
        R"("certificate_number":"第1234567号","holder":"广州精科医学检验所有限公司",)"
        R"("inventors":"王芳𠮷","validity_years":20,"application_number":"CN202110000000.1",)"
        R"("grant_number":"ZL202110000000.1","document_id":")" +
            patent +
            R"("}],"honours":[{"name":"广东省科学技术奖","level":"省部级","issuer":"广东省人民政府",)"
            R"("awarded_on":"2024-01-15","description":"二等奖","document_id":")" +
            award + R"("}]})");
    ASSERT_EQ(project.status, 201) << project.body;
    auto read = admin->get("/api/v1/projects/" + str(project.json(), "id"));
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(read.json()->getArray("ip_rights")->size(), 1u);
    EXPECT_EQ(read.json()->getArray("honours")->size(), 1u);
    // The admin sees the member's uploads; neither can delete one the project names.
    EXPECT_EQ(admin->request("DELETE", "/api/v1/documents/" + patent).status, 409);

    // 7. The admin hands the admin role to the member; the old admin is a member now.
    auto transferred =
        admin->postJson("/api/v1/organizations/" + org + "/admin-transfer",
                        R"({"account_id":")" + memberId + R"(","password":"Secret-2025"})");
    ASSERT_EQ(transferred.status, 200) << transferred.body;
    auto me = admin->get("/api/v1/me").json()->getObject("account");
    EXPECT_FALSE(me->getValue<bool>("organization_admin"));
    EXPECT_TRUE(colleague->get("/api/v1/me")
                    .json()
                    ->getObject("account")
                    ->getValue<bool>("organization_admin"));
    // Only the new admin files the organization now.
    EXPECT_EQ(admin->postJson(filingPath, filingBody("x", -1), "PUT").status, 403);

    // 8. The old admin submitted the filing: it cannot deregister.
    auto refused = admin->postJson("/api/v1/me/deregister", R"({"password":"Secret-2025"})");
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(str(refused.json(), "code"), "account.has_history");
    EXPECT_EQ(admin->get("/api/v1/me").status, 200) << "still signed in, nothing changed";
    (void)adminId;
}

}  // namespace
