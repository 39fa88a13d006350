#include "TestWorld.h"

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <sstream>

#include "dossier/app/Services.h"
#include "dossier/filing/AuthService.h"

namespace dossier::test {

TestWorld::TestWorld(app::Services& services, std::uint16_t port)
    : services_(services), port_(port) {}

std::unique_ptr<HttpTestClient> TestWorld::client() const {
    return std::make_unique<HttpTestClient>(port_);
}

std::unique_ptr<HttpTestClient> TestWorld::admin(
    const std::string& username, const std::string& phone, const std::string& organization,
    const std::string& creditCode, std::string* accountId, std::string* organizationId,
    const std::string& displayName) const {
    auto c = client();
    auto account = c->signUp(username, phone, organization, creditCode, displayName);
    if (account && accountId) *accountId = account->getValue<std::string>("id");
    if (account && organizationId) {
        *organizationId = account->getValue<std::string>("organization_id");
    }
    return c;
}

HttpResult TestWorld::registerPersonal(HttpTestClient& c, const std::string& username,
                                       const std::string& phone, const std::string& displayName) {
    Poco::JSON::Object body;
    body.set("username", username);
    body.set("password", HttpTestClient::kTestPassword);
    body.set("phone", phone);
    body.set("display_name", displayName);
    std::ostringstream text;
    body.stringify(text);
    return c.postJson("/api/v1/accounts", text.str());
}

std::unique_ptr<HttpTestClient> TestWorld::personal(const std::string& username,
                                                    const std::string& phone,
                                                    std::string* accountId,
                                                    const std::string& displayName) const {
    auto c = client();
    auto r = registerPersonal(*c, username, phone, displayName);
    EXPECT_EQ(r.status, 201) << r.body;
    if (accountId && r.status == 201) {
        *accountId = r.json()->getObject("account")->getValue<std::string>("id");
    }
    auto signedIn = c->signIn(username);
    EXPECT_EQ(signedIn.status, 201) << signedIn.body;
    return c;
}

std::string TestWorld::join(HttpTestClient& member, HttpTestClient& admin,
                            const std::string& organizationId) {
    const std::string base = "/api/v1/organizations/" + organizationId + "/join-requests";
    auto asked = member.postJson(base, "");
    EXPECT_EQ(asked.status, 201) << asked.body;
    std::string id = idOf(asked);
    auto approved = admin.postJson(base + "/" + id + "/approve", "");
    EXPECT_EQ(approved.status, 200) << approved.body;
    return id;
}

std::unique_ptr<HttpTestClient> TestWorld::member(HttpTestClient& admin,
                                                  const std::string& organizationId,
                                                  const std::string& username,
                                                  const std::string& phone, std::string* accountId,
                                                  const std::string& displayName) const {
    auto c = personal(username, phone, accountId, displayName);
    join(*c, admin, organizationId);
    return c;
}

std::unique_ptr<HttpTestClient> TestWorld::staff(Role role, const std::string& username,
                                                 const std::string& phone,
                                                 const std::string& displayName) const {
    services_.auth().createStaff(
        {username, HttpTestClient::kTestPassword, phone, displayName, role});
    auto c = client();
    auto signedIn = c->signIn(username);
    EXPECT_EQ(signedIn.status, 201) << signedIn.body;
    return c;
}

std::string TestWorld::upload(HttpTestClient& c, const std::string& bytes, const std::string& name,
                              const std::string& kind) {
    auto r = c.upload(bytes, name, kind);
    EXPECT_EQ(r.status, 201) << r.body;
    return idOf(r);
}

std::string TestWorld::idOf(const HttpResult& r) {
    return r.status / 100 == 2 ? r.json()->getValue<std::string>("id") : "";
}

}  // namespace dossier::test
