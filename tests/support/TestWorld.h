#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "HttpTestClient.h"
#include "dossier/core/Account.h"

namespace dossier::app {
class Services;
}

namespace dossier::test {

/// The people of an integration test, made through the API as users make them: an
/// organization registered with its admin (组织管理员), personal accounts (个人账号), members
/// (a personal account whose join request the admin approved), staff (made as
/// `dossier account create` does), and their uploads. Each client comes signed in. A step the
/// server refuses fails the running test (gtest) and yields "" for its ids. The clients are
/// each for one thread; the world itself is not thread-safe.
class TestWorld {
  public:
    /// `services` and the server on `port` must outlive the world.
    TestWorld(app::Services& services, std::uint16_t port);

    /// A client of no account.
    std::unique_ptr<HttpTestClient> client() const;
    /// Registers an organization and its admin (POST /api/v1/accounts with `organization`).
    std::unique_ptr<HttpTestClient> admin(const std::string& username, const std::string& phone,
                                          const std::string& organization,
                                          const std::string& creditCode,
                                          std::string* accountId = nullptr,
                                          std::string* organizationId = nullptr,
                                          const std::string& displayName = "测试员") const;
    /// POST /api/v1/accounts without an organization, on `c`; the answer as it came.
    static HttpResult registerPersonal(HttpTestClient& c, const std::string& username,
                                       const std::string& phone,
                                       const std::string& displayName = "张三");
    /// A personal account of no organization.
    std::unique_ptr<HttpTestClient> personal(const std::string& username, const std::string& phone,
                                             std::string* accountId = nullptr,
                                             const std::string& displayName = "张三") const;
    /// `member` asks to join `organizationId` and its admin `admin` approves; returns the
    /// request's id.
    static std::string join(HttpTestClient& member, HttpTestClient& admin,
                            const std::string& organizationId);
    /// A personal account that joined `organizationId`, approved by its `admin`.
    std::unique_ptr<HttpTestClient> member(HttpTestClient& admin, const std::string& organizationId,
                                           const std::string& username, const std::string& phone,
                                           std::string* accountId = nullptr,
                                           const std::string& displayName = "成员") const;
    /// A staff account of `role`.
    std::unique_ptr<HttpTestClient> staff(Role role, const std::string& username,
                                          const std::string& phone,
                                          const std::string& displayName = "职员") const;
    /// Uploads `bytes` as a document of `kind` named `name`; returns its id.
    static std::string upload(HttpTestClient& c, const std::string& bytes, const std::string& name,
                              const std::string& kind);
    /// The `id` of a 2xx answer's body, "" otherwise.
    static std::string idOf(const HttpResult& r);

  private:
    app::Services& services_;
    std::uint16_t port_;
};

}  // namespace dossier::test
