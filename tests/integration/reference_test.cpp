// What forms read before they send: GET /api/v1/upload-limits (each document kind's byte limit
// as configured and the types it accepts) and GET /api/v1/lists/{name} (the reference lists the
// API checks codes against). A real server on port 0; SQLite and PostgreSQL
// (DOSSIER_TEST_BACKEND).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>
#include <string>

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

std::string codeOf(const HttpResult& r) {
    auto body = r.json();
    return body ? body->optValue<std::string>("code", "") : "";
}

class ReferenceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config = testConfig(dir.path(), testDb);
        // Not the default 5 MB: the route must say what this server was configured with.
        config.limits.setLimit(DocumentKind::License, 3 * 1024 * 1024 + 17);
        services = app::Services::open(config, nullptr, clock);
        server = startInProcessServer(*services);
        world = std::make_unique<TestWorld>(*services, server->port());
        admin = world->admin("refadmin1", "13800000001", "广州精科医学检验所有限公司",
                             "91440116MA59B21T31");
        personal = world->personal("refperson", "13800000004", nullptr, "个人");
        reviewer = world->staff(Role::Reviewer, "refreview", "13800000005");
    }

    void TearDown() override {
        if (server) server->stop();
        if (services) services->checkRunner().stop();
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    std::shared_ptr<FixedClock> clock = std::make_shared<FixedClock>(1796056200LL * 1000000);
    app::Config config;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<TestWorld> world;
    std::unique_ptr<HttpTestClient> admin, personal, reviewer;
};

TEST_F(ReferenceTest, UploadLimitsAreTheConfiguredOnesWithTheAcceptedTypes) {
    auto r = admin->get("/api/v1/upload-limits");
    ASSERT_EQ(r.status, 200) << r.body;
    auto kinds = r.json()->getArray("kinds");
    ASSERT_TRUE(kinds);
    std::map<std::string, Object::Ptr> byKind;
    for (std::size_t i = 0; i < kinds->size(); ++i) {
        auto k = kinds->getObject(static_cast<unsigned>(i));
        byKind[k->getValue<std::string>("kind")] = k;
    }
    ASSERT_EQ(byKind.size(), 6u);
    EXPECT_EQ(byKind["license"]->getValue<std::int64_t>("max_bytes"), 3 * 1024 * 1024 + 17);
    EXPECT_EQ(byKind["commitment"]->getValue<std::int64_t>("max_bytes"), 10 * 1024 * 1024);
    EXPECT_EQ(byKind["evidence"]->getValue<std::int64_t>("max_bytes"), 20 * 1024 * 1024);
    auto typesOf = [&](const std::string& kind) {
        std::set<std::string> out;
        auto types = byKind[kind]->getArray("types");
        for (std::size_t i = 0; i < types->size(); ++i) {
            out.insert(
                types->getObject(static_cast<unsigned>(i))->getValue<std::string>("media_type"));
        }
        return out;
    };
    EXPECT_EQ(typesOf("license"),
              (std::set<std::string>{"image/jpeg", "image/png", "application/pdf"}));
    EXPECT_EQ(typesOf("import"),
              (std::set<std::string>{
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}));
    auto jpeg = byKind["license"]->getArray("types")->getObject(0);
    EXPECT_EQ(jpeg->getValue<std::string>("name"), "JPEG");
    auto extensions = jpeg->getArray("extensions");
    ASSERT_EQ(extensions->size(), 2u);
    EXPECT_EQ(extensions->getElement<std::string>(0), "jpg");
    EXPECT_EQ(extensions->getElement<std::string>(1), "jpeg");

    // What the route says is what the upload does: one byte over the license limit is refused.
    std::string bytes = makePdf();
    bytes.resize(3 * 1024 * 1024 + 18, ' ');
    auto upload = admin->upload(bytes, "营业执照.pdf", "license");
    EXPECT_EQ(upload.status, 413) << upload.body;

    // Every signed-in role reads them; nobody else.
    EXPECT_EQ(personal->get("/api/v1/upload-limits").status, 200);
    EXPECT_EQ(reviewer->get("/api/v1/upload-limits").status, 200);
    auto anonymous = world->client()->get("/api/v1/upload-limits");
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(codeOf(anonymous), "auth.required");
}

TEST_F(ReferenceTest, ListsAreTheOnesTheFilingChecksCodesAgainst) {
    auto r = admin->get("/api/v1/lists/cities");
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = r.json();
    EXPECT_EQ(body->getValue<std::string>("id"), "cities");
    EXPECT_FALSE(body->getValue<std::string>("title").empty());
    auto items = body->getArray("items");
    ASSERT_GT(items->size(), 300u);
    bool guangzhou = false;
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto item = items->getObject(static_cast<unsigned>(i));
        if (item->getValue<std::string>("value") == "4401") {
            guangzhou = true;
            EXPECT_EQ(item->getValue<std::string>("label"), "广州市");
            EXPECT_EQ(item->getValue<std::string>("province"), "44");
        }
    }
    EXPECT_TRUE(guangzhou);

    // A code the list offers is one the filing takes; one it does not offer is refused.
    auto industries = admin->get("/api/v1/lists/industries-gbt4754-2017").json()->getArray("items");
    std::string division;
    for (std::size_t i = 0; i < industries->size() && division.empty(); ++i) {
        auto value =
            industries->getObject(static_cast<unsigned>(i))->getValue<std::string>("value");
        if (value.size() == 2 && std::isdigit(static_cast<unsigned char>(value[0])))
            division = value;
    }
    ASSERT_EQ(division, "01");
    auto me = admin->get("/api/v1/me").json();
    std::string org = me->getObject("account")->getValue<std::string>("organization_id");
    auto saved =
        admin->request("PUT", "/api/v1/organizations/" + org + "/filing", {}, "application/json",
                       "{\"province\":\"44\",\"city\":\"4401\",\"industry\":\"" + division + "\"}");
    EXPECT_EQ(saved.status, 200) << saved.body;
    auto refused = admin->request("PUT", "/api/v1/organizations/" + org + "/filing", {},
                                  "application/json", "{\"industry\":\"00\"}");
    EXPECT_EQ(refused.status, 422) << refused.body;

    for (const char* name : {"provinces", "enterprise-types", "organization-sizes",
                             "ip-right-categories", "filing-rejection-reasons"}) {
        EXPECT_EQ(reviewer->get(std::string("/api/v1/lists/") + name).status, 200) << name;
    }
    EXPECT_EQ(personal->get("/api/v1/lists/provinces").status, 200);
}

TEST_F(ReferenceTest, AnUnknownOrUnsafeNameIsNotFound) {
    for (const char* name :
         {"no-such-list", "..%2F..%2Fetc%2Fpasswd", "Provinces", "provinces.json", "%E7%9C%81"}) {
        auto r = admin->get(std::string("/api/v1/lists/") + name);
        EXPECT_EQ(r.status, 404) << name << " " << r.body;
        EXPECT_EQ(codeOf(r), "list.not_found") << name;
    }
    auto anonymous = world->client()->get("/api/v1/lists/provinces");
    EXPECT_EQ(anonymous.status, 401);
}

}  // namespace
