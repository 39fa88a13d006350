#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "HttpTestClient.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/core/Account.h"
#include "dossier/core/Clock.h"
#include "dossier/http/Server.h"

namespace dossier::test {

/// Microseconds, as dossier::Clock counts.
inline constexpr std::int64_t kSecond = 1000000;
inline constexpr std::int64_t kDay = 86400 * kSecond;
/// Seed 002's window: 2025-04-01 09:00 to 04-29 17:00, formal review until 05-23 17:00
/// (Beijing), as instants.
inline constexpr std::int64_t kOpens = 1743469200LL * kSecond;
inline constexpr std::int64_t kCloses = 1745917200LL * kSecond;
inline constexpr std::int64_t kReviewUntil = 1747990800LL * kSecond;
inline constexpr const char* kOrganization = "广州精科医学检验所有限公司";
inline constexpr const char* kCreditCode = "91440116MA59B21T31";
inline constexpr const char* kActivity = "benchmark-2025";
/// Text a careless server would run as SQL or cut at a surrogate pair.
inline constexpr const char* kNasty = "𠮷'); DROP TABLE x; --";

Poco::JSON::Object::Ptr parseObject(const std::string& text);
std::string toJson(const Poco::JSON::Object& o);
/// The "path code" pairs of a 422's errors[].
std::set<std::string> problemsOf(const HttpResult& r);
/// The problem's `code`, "" when the body has none.
std::string codeOf(const HttpResult& r);
/// POST /api/v1/activities' body for seed 002's window: a benchmark activity of `templateId`
/// with one required evidence kind (application-year), two completing units and the
/// 2022 recommending units.
std::string activityBody(const std::string& code, const std::string& templateId = "benchmark-2022");

/// The world of the application tests (issue 12), through the API on a real server on port 0
/// with a clock the test moves: an organization whose filing a reviewer approved, its admin,
/// a reviewer and an organizer, and the activity kActivity opened by the organizer; the clock
/// stands at kOpens when a test starts. Checks are not run by workers: a test settles them
/// (settleChecks) as a worker would. Runs on the backend DOSSIER_TEST_BACKEND names.
///
/// A derived fixture sets `organizationName`, `reviewerName` or `templatesDir` before SetUp
/// and opens more activities by overriding openActivities().
class ApplicationFixture : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    /// Opens the activities the tests use (the clock stands one day before kOpens).
    virtual void openActivities();

    std::unique_ptr<HttpTestClient> client() const;
    /// A staff account of `role`, signed in.
    std::unique_ptr<HttpTestClient> staff(Role role, const std::string& username,
                                          const std::string& phone,
                                          const std::string& displayName = "员工");
    /// A personal account that joined the admin's organization (a plain member).
    std::unique_ptr<HttpTestClient> member(const std::string& username, const std::string& phone,
                                           std::string* accountId);
    /// Uploads as `c`; the document's id ("" and a test failure when refused).
    static std::string upload(HttpTestClient& c, const std::string& bytes, const std::string& name,
                              const std::string& kind);
    /// Files `organization` (three years of economics before the clock's) as `c`, its admin,
    /// and has the reviewer approve.
    void approveFiling(HttpTestClient& c, const std::string& organization, const std::string& name,
                       const std::string& code);
    /// A project of the admin's organization; with `summary` it is complete enough to submit.
    std::string project(const std::string& name, bool summary = true);
    HttpResult create(HttpTestClient& c, const std::string& projectId,
                      const std::string& activity = kActivity);
    std::string createId(const std::string& projectId);

    /// The sample book's form without what the application fills in itself.
    static Poco::JSON::Object::Ptr sampleForm();
    static Poco::JSON::Object::Ptr contact();

    struct Documents {
        std::string summary, commitment1, commitment2, evidence;
    };
    /// A summary, two commitment letters and a piece of evidence, uploaded as `c`.
    static Documents uploadDocuments(HttpTestClient& c);
    static Poco::JSON::Array::Ptr links(const Documents& d);
    /// A PUT body that makes an application complete with `d`.
    static std::string completeBody(const Documents& d);

    /// Finishes every pending check as a worker would: seals fail for the documents in
    /// `unsealed`, all else passes.
    void settleChecks(const std::set<std::string>& unsealed = {});
    /// A complete application (documents uploaded, checks settled), not yet submitted.
    std::string completeApplication(const std::string& projectName);
    static HttpResult submit(HttpTestClient& c, const std::string& id);

    std::shared_ptr<FixedClock> clock = std::make_shared<FixedClock>(kOpens - kDay);
    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::string organizationName = kOrganization;
    std::string reviewerName = "员工";
    /// Empty: the repository's templates.
    std::string templatesDir;
    std::unique_ptr<app::Services> services;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<HttpTestClient> admin, reviewer, organizer;
    std::string adminId, orgId;
};

}  // namespace dossier::test
