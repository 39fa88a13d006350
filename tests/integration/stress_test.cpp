// Many threads at once through the code every request runs: hashing, authentication and the
// database session pool. Built a second time with AddressSanitizer + UBSan by scripts/test.sh
// (build/asan), where a use-after-free or a torn-down library state is reported, not just
// survived.
//
// Regressions these guard against: a per-call Poco::Crypto initializer whose reference count
// reached zero on one thread tore down OpenSSL state that others used (SIGSEGV in
// pthread_mutex_destroy); and a session pool smaller than the number of request threads threw
// "No more sessions available" (503) instead of making the caller wait.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "TestDatabase.h"
#include "TestSupport.h"
#include "dossier/app/Services.h"
#include "dossier/core/Error.h"
#include "dossier/storage/Database.h"
#include "dossier/storage/Sha256.h"

using namespace dossier;
using namespace dossier::test;

namespace {

constexpr int kThreads = 32;

/// Runs `body(thread index)` on kThreads threads released at the same moment; collects the
/// first failure message of each thread.
std::vector<std::string> onManyThreads(const std::function<void(int)>& body) {
    std::atomic<bool> go{false};
    std::vector<std::string> failures(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            while (!go.load()) std::this_thread::yield();
            try {
                body(t);
            } catch (const Error& e) {
                failures[t] =
                    std::string(e.code().text()) + ": " + e.message() + " (" + e.detail() + ")";
            } catch (const std::exception& e) {
                failures[t] = e.what();
            }
        });
    }
    go = true;
    for (auto& t : threads) t.join();
    std::vector<std::string> out;
    for (auto& f : failures) {
        if (!f.empty()) out.push_back(f);
    }
    return out;
}

class StressTest : public ::testing::Test {
  protected:
    void open(int poolSize) {
        config.dataDir = dir.path() + "/data";
        config.database = testDb.url();
        config.dbPoolSize = poolSize;
        config.auth.passwordIterations = 1000;
        services = app::Services::open(config);
    }

    TempDir dir;
    TestDatabase testDb{TestDatabase::backendFromEnvironment(), dir.path()};
    app::Config config;
    std::unique_ptr<app::Services> services;
};

}  // namespace

TEST(Sha256Stress, ManyThreadsHashingAgreeWithOneThread) {
    std::vector<std::string> inputs, expected;
    for (int i = 0; i < 64; ++i) {
        inputs.push_back(std::string(static_cast<std::size_t>(i * 37 + 1), static_cast<char>(i)));
        expected.push_back(storage::Sha256::of(inputs.back()));
    }
    EXPECT_EQ(storage::Sha256::of("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    auto failures = onManyThreads([&](int t) {
        for (int round = 0; round < 3000; ++round) {
            std::size_t i = static_cast<std::size_t>(round + t) % inputs.size();
            if (storage::Sha256::of(inputs[i]) != expected[i]) {
                throw std::runtime_error("wrong digest for input " + std::to_string(i));
            }
        }
    });
    EXPECT_TRUE(failures.empty()) << failures.front();
}

TEST_F(StressTest, ManyThreadsAuthenticatingAtOnceAllSucceed) {
    open(32);
    auto& auth = services->auth();
    auth.registerApplicant({"stress01", "Secret-2025", "13800000001", "𠮷田", "压力测试有限公司",
                            "91440116MA59B21T31"});
    std::vector<std::string> tokens;
    for (int i = 0; i < 4; ++i) tokens.push_back(auth.login("stress01", "Secret-2025").token);
    std::atomic<int> ok{0};
    auto failures = onManyThreads([&](int t) {
        for (int round = 0; round < 150; ++round) {
            Viewer v = auth.authenticate(tokens[static_cast<std::size_t>(round + t) % 4]);
            if (v.displayName != "𠮷田") throw std::runtime_error("wrong account");
            ++ok;
        }
    });
    EXPECT_TRUE(failures.empty()) << failures.size()
                                  << " threads failed, first: " << failures.front();
    EXPECT_EQ(ok.load(), kThreads * 150);
}

TEST_F(StressTest, PoolSmallerThanThreadsMakesCallersWaitNotFail) {
    open(2);  // 32 threads on 2 sessions: every request has to queue
    auto& auth = services->auth();
    auth.registerApplicant({"stress02", "Secret-2025", "13800000002", "李明", "排队测试有限公司",
                            "91440116MA59B21T31"});
    std::string token = auth.login("stress02", "Secret-2025").token;
    auto failures = onManyThreads([&](int) {
        for (int round = 0; round < 60; ++round) {
            auth.authenticate(token);
            services->documentRows().countDocuments();
        }
    });
    EXPECT_TRUE(failures.empty()) << failures.size()
                                  << " threads failed, first: " << failures.front();
}
