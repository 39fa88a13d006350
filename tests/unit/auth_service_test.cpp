// Accounts, passwords and sessions on a real database (SQLite or PostgreSQL), with a fixed
// clock so lockouts and expiry can be stepped through.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <tuple>
#include <vector>

#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/core/Error.h"
#include "dossier/storage/Sha256.h"

using namespace dossier;
using namespace dossier::test;

namespace {

constexpr std::int64_t kMinute = 60LL * 1000 * 1000;

class AuthServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config.dataDir = dir.path() + "/data";
        config.database = testDb.url();
        config.auth.passwordIterations = 1000;
        services = app::Services::open(config, nullptr, clock);
    }

    filing::AuthService& auth() { return services->auth(); }

    static filing::Registration registration(const std::string& username, const std::string& phone,
                                             const std::string& code = "91440116MA59B21T31") {
        return {username, "Secret-2025", phone, "李明", "广州精科医学检验所有限公司", code};
    }

    static std::string codeOf(const std::function<void()>& f) {
        try {
            f();
        } catch (const Error& e) {
            return std::string(e.code().text());
        }
        return "none";
    }

    static std::vector<std::string> problemPaths(const std::function<void()>& f) {
        std::vector<std::string> paths;
        try {
            f();
        } catch (const ValidationError& e) {
            for (const auto& p : e.problems()) paths.push_back(p.path + " " + p.code);
        }
        return paths;
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    std::shared_ptr<FixedClock> clock = std::make_shared<FixedClock>(1'763'600'000'000'000LL);
    app::Config config;
    std::unique_ptr<app::Services> services;
};

}  // namespace

TEST_F(AuthServiceTest, RegistrationCreatesTheOrganizationAndItsAdmin) {
    Viewer v = auth().registerApplicant(registration("Jingke01", "13800000001"));
    EXPECT_EQ(v.role, Role::Applicant);
    EXPECT_TRUE(v.organizationAdmin);
    auto org = auth().organizationOf(v);
    ASSERT_TRUE(org);
    EXPECT_EQ(org->creditCode, "91440116MA59B21T31");
    EXPECT_EQ(org->name, "广州精科医学检验所有限公司");
    // The stored hash is PBKDF2 with its cost, never the password.
    auto row = services->accountRows().findById(v.accountId);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->passwordHash.rfind("pbkdf2-sha256$1000$", 0), 0u) << row->passwordHash;
    EXPECT_EQ(row->passwordHash.find("Secret-2025"), std::string::npos);
}

TEST_F(AuthServiceTest, EveryFieldProblemIsListedAtOnce) {
    filing::Registration bad{"ab", "12345", "2380000000", "", "", "91440116MA59B21T32"};
    auto paths = problemPaths([&] { auth().registerApplicant(bad); });
    std::vector<std::string> expected{"username field.username",
                                      "password field.password",
                                      "phone field.mobile",
                                      "display_name field.required",
                                      "organization.name field.required",
                                      "organization.credit_code field.credit_code"};
    EXPECT_EQ(paths, expected);
    // SQL metacharacters are just refused characters.
    EXPECT_EQ(
        problemPaths([&] {
            auth().registerApplicant(registration("x'; DROP TABLE accounts;--", "13800000001"));
        }),
        std::vector<std::string>{"username field.username"});
    EXPECT_EQ(problemPaths([&] {
                  auto r = registration("jingke01", "13800000001");
                  r.password = "JingKe01";  // the username, in other case
                  auth().registerApplicant(r);
              }),
              std::vector<std::string>{"password field.password"});
    EXPECT_EQ(services->accountRows().countAccounts(), 0u);
}

TEST_F(AuthServiceTest, UniqueRulesUsernamePhoneAndOneAdminPerOrganization) {
    auth().registerApplicant(registration("jingke01", "13800000001"));
    EXPECT_EQ(
        codeOf([&] {
            auth().registerApplicant(registration("JINGKE01", "13800000002", "91110000600037341L"));
        }),
        "account.username_taken");
    EXPECT_EQ(
        codeOf([&] {
            auth().registerApplicant(registration("other01", "13800000001", "91110000600037341L"));
        }),
        "account.phone_taken");
    EXPECT_EQ(codeOf([&] { auth().registerApplicant(registration("other01", "13800000002")); }),
              "account.organization_registered");
    EXPECT_EQ(services->accountRows().countAccounts(), 1u);
}

TEST_F(AuthServiceTest, RacingRegistrationsCreateExactlyOneAccount) {
    std::atomic<int> created{0}, taken{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&, i] {
            try {
                auth().registerApplicant(registration("racer01", "1380000001" + std::to_string(i)));
                ++created;
            } catch (const Error& e) {
                if (e.code() == "account.username_taken" ||
                    e.code() == "account.organization_registered") {
                    ++taken;
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(created.load(), 1);
    EXPECT_EQ(taken.load(), 5);
    EXPECT_EQ(services->accountRows().countAccounts(), 1u);
}

TEST_F(AuthServiceTest, SessionsAreOpaqueStoredHashedAndExpire) {
    auth().registerApplicant(registration("jingke01", "13800000001"));
    auto session = auth().login("JingKe01", "Secret-2025");  // usernames ignore case
    EXPECT_EQ(session.token.rfind("dsr_", 0), 0u);
    EXPECT_GE(session.token.size(), 40u);
    EXPECT_EQ(auth().authenticate(session.token).username, "jingke01");
    // Only the digest is stored: the token itself finds nothing.
    auto now = clock->nowMicros();
    EXPECT_FALSE(services->accountRows().accountForSession(session.token, now));
    EXPECT_TRUE(services->accountRows().accountForSession(storage::Sha256::of(session.token), now));
    EXPECT_NE(auth().login("jingke01", "Secret-2025").token, session.token);

    clock->set(now + 12 * 60 * kMinute - 1);
    EXPECT_NO_THROW(auth().authenticate(session.token));
    clock->set(now + 12 * 60 * kMinute);
    EXPECT_EQ(codeOf([&] { auth().authenticate(session.token); }), "auth.required");
    EXPECT_EQ(codeOf([&] { auth().authenticate(""); }), "auth.required");
    EXPECT_EQ(codeOf([&] { auth().authenticate(std::string(5000, 'a')); }), "auth.required");
    // Expired sessions do not pile up: signing in again removes them.
    EXPECT_EQ(services->accountRows().countSessions(session.viewer.accountId), 2u);
    auth().login("jingke01", "Secret-2025");
    EXPECT_EQ(services->accountRows().countSessions(session.viewer.accountId), 1u);
}

TEST_F(AuthServiceTest, WrongPasswordsLockTheAccountForAWhile) {
    auth().registerApplicant(registration("jingke01", "13800000001"));
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(codeOf([&] { auth().login("jingke01", "wrong-pass"); }),
                  "auth.invalid_credentials");
    }
    EXPECT_NO_THROW(auth().login("jingke01", "Secret-2025"));  // resets the count
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(codeOf([&] { auth().login("jingke01", "wrong-pass"); }),
                  "auth.invalid_credentials");
    }
    // Locked: even the right password is refused, and says for how long.
    EXPECT_EQ(codeOf([&] { auth().login("jingke01", "Secret-2025"); }), "auth.locked");
    clock->set(clock->nowMicros() + 15 * kMinute);
    EXPECT_NO_THROW(auth().login("jingke01", "Secret-2025"));
    // An unknown name gets the same answer as a wrong password.
    EXPECT_EQ(codeOf([&] { auth().login("nobody01", "Secret-2025"); }), "auth.invalid_credentials");
    EXPECT_EQ(codeOf([&] { auth().login("x' OR '1'='1", "x' OR '1'='1"); }),
              "auth.invalid_credentials");
    // Not UTF-8 at all: still a plain refusal, not a database error.
    EXPECT_EQ(codeOf([&] {
                  auth().login(
                      "\xff\xfe\x80"
                      "abc",
                      "Secret-2025");
              }),
              "auth.invalid_credentials");
    auto refusals = services->audit().forTarget("username:nobody01");
    ASSERT_EQ(refusals.size(), 1u);
    EXPECT_EQ(refusals[0].action, "session.refused");
}

TEST_F(AuthServiceTest, AHashBelowTheConfiguredCostIsRaisedAtLogin) {
    Viewer v = auth().registerApplicant(registration("jingke01", "13800000001"));
    services.reset();
    config.auth.passwordIterations = 2000;
    services = app::Services::open(config, nullptr, clock);
    auth().login("jingke01", "Secret-2025");
    auto row = services->accountRows().findById(v.accountId);
    EXPECT_EQ(row->passwordHash.rfind("pbkdf2-sha256$2000$", 0), 0u) << row->passwordHash;
    EXPECT_NO_THROW(auth().login("jingke01", "Secret-2025"));
}

TEST_F(AuthServiceTest, PasswordChangeEndsTheOtherSessions) {
    auth().registerApplicant(registration("jingke01", "13800000001"));
    auto here = auth().login("jingke01", "Secret-2025");
    auto elsewhere = auth().login("jingke01", "Secret-2025");
    EXPECT_EQ(codeOf([&] {
                  auth().changePassword(here.viewer, here.token, "wrong-pass", "NewSecret-1");
              }),
              "auth.invalid_credentials");
    EXPECT_EQ(
        codeOf([&] { auth().changePassword(here.viewer, here.token, "Secret-2025", "short"); }),
        "validation.failed");
    auth().changePassword(here.viewer, here.token, "Secret-2025", "NewSecret-1");
    EXPECT_NO_THROW(auth().authenticate(here.token));
    EXPECT_EQ(codeOf([&] { auth().authenticate(elsewhere.token); }), "auth.required");
    EXPECT_EQ(codeOf([&] { auth().login("jingke01", "Secret-2025"); }), "auth.invalid_credentials");
    EXPECT_NO_THROW(auth().login("jingke01", "NewSecret-1"));
    auth().logout(here.token);
    EXPECT_EQ(codeOf([&] { auth().authenticate(here.token); }), "auth.required");
}

// The session cache (auth.session_cache_seconds): each way a session ends on this node is
// refused at once, though the token was cached a moment before.
TEST_F(AuthServiceTest, SignOutRefusesACachedTokenAtOnce) {
    auth().registerApplicant(registration("jingke01", "13800000001"));
    auto session = auth().login("jingke01", "Secret-2025");
    EXPECT_NO_THROW(auth().authenticate(session.token));  // now cached
    auth().logout(session.token);
    EXPECT_EQ(codeOf([&] { auth().authenticate(session.token); }), "auth.required");
}

TEST_F(AuthServiceTest, PasswordChangeRefusesTheOtherCachedSessionsAtOnce) {
    auth().registerApplicant(registration("jingke01", "13800000001"));
    auto here = auth().login("jingke01", "Secret-2025");
    auto elsewhere = auth().login("jingke01", "Secret-2025");
    EXPECT_NO_THROW(auth().authenticate(here.token));
    EXPECT_NO_THROW(auth().authenticate(elsewhere.token));
    auth().changePassword(here.viewer, here.token, "Secret-2025", "NewSecret-1");
    EXPECT_EQ(codeOf([&] { auth().authenticate(elsewhere.token); }), "auth.required");
    EXPECT_NO_THROW(auth().authenticate(here.token));
}

TEST_F(AuthServiceTest, ASessionEndedElsewhereIsRefusedWithinTheCacheSeconds) {
    Viewer v = auth().registerApplicant(registration("jingke01", "13800000001"));
    auto session = auth().login("jingke01", "Secret-2025");
    EXPECT_NO_THROW(auth().authenticate(session.token));
    // Another node signs it out: the row goes, this node's cache does not hear of it.
    services->accountRows().deleteSession(storage::Sha256::of(session.token));
    auto now = clock->nowMicros();
    const std::int64_t ttl = auth().settings().sessionCacheSeconds * 1000LL * 1000;
    ASSERT_GT(ttl, 0);
    clock->set(now + ttl - 1);
    EXPECT_EQ(auth().authenticate(session.token).accountId, v.accountId);  // still trusted
    clock->set(now + ttl);
    EXPECT_EQ(codeOf([&] { auth().authenticate(session.token); }), "auth.required");
}

TEST_F(AuthServiceTest, ALockDropsTheAccountsCachedSessions) {
    auth().registerApplicant(registration("jingke01", "13800000001"));
    auth().registerApplicant(registration("other001", "13800000002", "91110000600037341L"));
    auto session = auth().login("jingke01", "Secret-2025");
    auto other = auth().login("other001", "Secret-2025");
    EXPECT_NO_THROW(auth().authenticate(session.token));
    EXPECT_NO_THROW(auth().authenticate(other.token));
    // Both rows go behind the cache (as another node would); then this node locks jingke01.
    services->accountRows().deleteSession(storage::Sha256::of(session.token));
    services->accountRows().deleteSession(storage::Sha256::of(other.token));
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(codeOf([&] { auth().login("jingke01", "wrong-pass"); }),
                  "auth.invalid_credentials");
    }
    ASSERT_EQ(codeOf([&] { auth().login("jingke01", "Secret-2025"); }), "auth.locked");
    // The locked account's token is looked up afresh (and is gone); the other account's
    // cached token is untouched.
    EXPECT_EQ(codeOf([&] { auth().authenticate(session.token); }), "auth.required");
    EXPECT_NO_THROW(auth().authenticate(other.token));
}

TEST_F(AuthServiceTest, ZeroCacheSecondsAsksTheDatabaseEveryTime) {
    services.reset();
    config.auth.sessionCacheSeconds = 0;
    services = app::Services::open(config, nullptr, clock);
    auth().registerApplicant(registration("jingke01", "13800000001"));
    auto session = auth().login("jingke01", "Secret-2025");
    EXPECT_NO_THROW(auth().authenticate(session.token));
    services->accountRows().deleteSession(storage::Sha256::of(session.token));
    EXPECT_EQ(codeOf([&] { auth().authenticate(session.token); }), "auth.required");
    EXPECT_EQ(auth().sessionCache().size(), 0u);
}

// Many threads authenticating while sessions are signed out: once logout() returns, no
// thread is let in with that token again.
TEST_F(AuthServiceTest, ConcurrentAuthenticationHonoursSignOut) {
    auth().registerApplicant(registration("jingke01", "13800000001"));
    std::vector<std::string> tokens;
    for (int i = 0; i < 8; ++i) tokens.push_back(auth().login("jingke01", "Secret-2025").token);
    std::vector<std::atomic<bool>> ended(tokens.size());
    std::atomic<bool> stop{false};
    std::atomic<int> letInAfterSignOut{0}, errors{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t) {
        readers.emplace_back([&, t] {
            for (std::size_t i = static_cast<std::size_t>(t); !stop; ++i) {
                std::size_t k = i % tokens.size();
                bool endedBefore = ended[k];
                try {
                    auth().authenticate(tokens[k]);
                    if (endedBefore) ++letInAfterSignOut;
                } catch (const Error& e) {
                    if (e.code() != "auth.required") ++errors;
                }
            }
        });
    }
    for (std::size_t k = 0; k < tokens.size(); ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        auth().logout(tokens[k]);
        ended[k] = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    stop = true;
    for (auto& r : readers) r.join();
    EXPECT_EQ(letInAfterSignOut.load(), 0);
    EXPECT_EQ(errors.load(), 0);
}

TEST_F(AuthServiceTest, StaffAccountsHaveNoOrganization) {
    Viewer r = auth().createStaff(
        {"review01", "Secret-2025", "13900000001", "审查员𠮷田", Role::Reviewer});
    EXPECT_EQ(r.role, Role::Reviewer);
    EXPECT_TRUE(r.organizationId.empty());
    EXPECT_EQ(auth().login("review01", "Secret-2025").viewer.displayName, "审查员𠮷田");
    EXPECT_EQ(
        codeOf([&] {
            auth().createStaff({"review02", "Secret-2025", "13900000002", "x", Role::Applicant});
        }),
        "validation.failed");
}

// Organizers open activities (issue 12) and evaluators issue leader certificates (issue 14);
// like reviewers they are created by the CLI only and belong to no organization.
TEST_F(AuthServiceTest, OrganizersAndEvaluatorsAreStaff) {
    for (auto [role, name, phone] : {std::tuple{Role::Organizer, "organize1", "13900000003"},
                                     std::tuple{Role::Evaluator, "evaluate1", "13900000004"}}) {
        Viewer v = auth().createStaff({name, "Secret-2025", phone, "组织方𠮷", role});
        EXPECT_EQ(v.role, role);
        EXPECT_TRUE(v.isStaff());
        EXPECT_TRUE(v.organizationId.empty());
        EXPECT_EQ(auth().login(name, "Secret-2025").viewer.role, role);
    }
    EXPECT_EQ(nameOf(Role::Organizer), "organizer");
    EXPECT_EQ(parseRole("evaluator"), Role::Evaluator);
    EXPECT_EQ(parseRole("Evaluator"), std::nullopt);
}

// The credential version, step by step: a sign-in that checked the password before a change
// commits neither its session nor its re-hash (which would put the old password back), and a
// session made before the change is refused even if its row survived.
TEST_F(AuthServiceTest, ASignInThatCheckedTheOldPasswordOpensNoSession) {
    Viewer v = auth().registerApplicant(registration("jingke01", "13800000001"));
    auto& rows = services->accountRows();
    auto here = auth().login("jingke01", "Secret-2025");
    const std::int64_t now = clock->nowMicros();
    storage::AccountRepository::AttemptPolicy policy{5, now, now + 15 * kMinute};
    auto refusal = [&] { return services->audit().entry(v.accountId, "test", "account:x"); };
    // A sign-in reads the hash and version (and is counted) ...
    auto attempt = rows.reserveAttempt(v.accountId, policy, refusal);
    ASSERT_TRUE(attempt.granted);
    EXPECT_EQ(rows.findById(v.accountId)->failedLogins, 1);
    // ... the password changes while it hashes ...
    auth().changePassword(here.viewer, here.token, "Secret-2025", "NewSecret-1");
    EXPECT_EQ(rows.findById(v.accountId)->credentialVersion, attempt.credentialVersion + 1);
    // ... and then it would open a session and store a re-hash of the old password: refused.
    const std::string oldHash = attempt.passwordHash;
    EXPECT_FALSE(rows.openSession({v.accountId, storage::Sha256::of("dsr_late"), oldHash, now,
                                   now + kMinute, attempt.credentialVersion},
                                  services->audit().entry(v.accountId, "session.create", "x")));
    EXPECT_FALSE(rows.accountForSession(storage::Sha256::of("dsr_late"), now));
    EXPECT_NE(rows.findById(v.accountId)->passwordHash, oldHash);
    EXPECT_NO_THROW(auth().login("jingke01", "NewSecret-1"));
    // A second change that read the version before the first one committed is refused too.
    auto stale = rows.reserveAttempt(v.accountId, policy, refusal);
    auth().changePassword(here.viewer, here.token, "NewSecret-1", "NewSecret-2");
    EXPECT_FALSE(rows.changePassword(v.accountId, "pbkdf2-sha256$1$AAAA$AAAA",
                                     stale.credentialVersion, "",
                                     services->audit().entry(v.accountId, "password.change", "x")));
    EXPECT_NO_THROW(auth().login("jingke01", "NewSecret-2"));
    EXPECT_NO_THROW(auth().authenticate(here.token));  // the changing session was re-stamped
}

// The attempt that makes five in a row locks the account unless it is the right password;
// a refused attempt is not counted again.
TEST_F(AuthServiceTest, TheFifthAttemptLocksUnlessItIsRight) {
    Viewer v = auth().registerApplicant(registration("jingke01", "13800000001"));
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(codeOf([&] { auth().login("jingke01", "wrong-pass"); }),
                  "auth.invalid_credentials");
    }
    auto& rows = services->accountRows();
    const std::int64_t now = clock->nowMicros();
    auto fifth = rows.reserveAttempt(v.accountId, {5, now, now + 15 * kMinute}, [&] {
        return services->audit().entry(v.accountId, "test", "account:x");
    });
    ASSERT_TRUE(fifth.granted);
    EXPECT_TRUE(fifth.locksAccount);
    EXPECT_EQ(fifth.lockedUntilMicros, now + 15 * kMinute);
    // While it is being checked, every other attempt is refused.
    EXPECT_EQ(codeOf([&] { auth().login("jingke01", "Secret-2025"); }), "auth.locked");
    // It proves right: the lock goes with the count.
    EXPECT_TRUE(rows.openSession({v.accountId, storage::Sha256::of("dsr_fifth"), "", now,
                                  now + kMinute, fifth.credentialVersion},
                                 services->audit().entry(v.accountId, "session.create", "x")));
    EXPECT_EQ(rows.findById(v.accountId)->lockedUntilMicros, 0);
    EXPECT_EQ(rows.findById(v.accountId)->failedLogins, 0);
    EXPECT_NO_THROW(auth().login("jingke01", "Secret-2025"));
}
