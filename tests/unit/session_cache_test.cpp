// The session cache on its own: expiry, bounds, revocations and the race between a lookup
// and a revocation (AuthService's use of it: auth_service_test).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "dossier/filing/SessionCache.h"

using namespace dossier;
using dossier::filing::SessionCache;

namespace {

constexpr std::int64_t kSecond = 1000 * 1000;
constexpr std::int64_t kStart = 1'763'600'000'000'000LL;
constexpr std::int64_t kNever = kStart + 3600 * kSecond;

Viewer viewer(const std::string& account) {
    Viewer v;
    v.accountId = account;
    v.username = "user-" + account;
    v.organizationId = "org-" + account;
    return v;
}

}  // namespace

TEST(SessionCacheTest, RemembersATokenForTheTtlOnly) {
    FixedClock clock(kStart);
    SessionCache cache(clock, 5 * kSecond, 100);
    EXPECT_FALSE(cache.find("t1"));
    cache.remember("t1", viewer("a1"), kNever, cache.revocations());
    auto found = cache.find("t1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->accountId, "a1");
    EXPECT_EQ(found->organizationId, "org-a1");
    clock.set(kStart + 5 * kSecond - 1);
    EXPECT_TRUE(cache.find("t1"));
    clock.set(kStart + 5 * kSecond);
    EXPECT_FALSE(cache.find("t1"));
    EXPECT_EQ(cache.size(), 0u);  // an expired entry found is dropped
}

TEST(SessionCacheTest, NeverOutlivesTheSession) {
    FixedClock clock(kStart);
    SessionCache cache(clock, 5 * kSecond, 100);
    cache.remember("t1", viewer("a1"), kStart + 2 * kSecond, cache.revocations());
    clock.set(kStart + 2 * kSecond - 1);
    EXPECT_TRUE(cache.find("t1"));
    clock.set(kStart + 2 * kSecond);
    EXPECT_FALSE(cache.find("t1"));
    // A session already over is not remembered at all.
    cache.remember("t2", viewer("a2"), kStart + 2 * kSecond, cache.revocations());
    EXPECT_FALSE(cache.find("t2"));
    EXPECT_EQ(cache.size(), 0u);
}

TEST(SessionCacheTest, ForgetAndForgetAccountTakeEffectAtOnce) {
    FixedClock clock(kStart);
    SessionCache cache(clock, 5 * kSecond, 100);
    for (const char* t : {"a-here", "a-there", "a-third"}) {
        cache.remember(t, viewer("a"), kNever, cache.revocations());
    }
    cache.remember("b-1", viewer("b"), kNever, cache.revocations());
    cache.forget("a-third");
    EXPECT_FALSE(cache.find("a-third"));
    cache.forgetAccount("a", "a-here");  // a password change made with a-here
    EXPECT_TRUE(cache.find("a-here"));
    EXPECT_FALSE(cache.find("a-there"));
    EXPECT_TRUE(cache.find("b-1"));
    cache.forgetAccount("a");  // a lock: no token kept
    EXPECT_FALSE(cache.find("a-here"));
    EXPECT_TRUE(cache.find("b-1"));
}

TEST(SessionCacheTest, ALookupThatRacedWithARevocationIsNotRemembered) {
    FixedClock clock(kStart);
    SessionCache cache(clock, 5 * kSecond, 100);
    // A request reads the counter, then the database (the session still there) ...
    auto seen = cache.revocations();
    // ... meanwhile another request signs the token out ...
    cache.forget("t1");
    // ... and the first one's result, now stale, must not be cached over the sign-out.
    cache.remember("t1", viewer("a1"), kNever, seen);
    EXPECT_FALSE(cache.find("t1"));
    cache.remember("t1", viewer("a1"), kNever, cache.revocations());
    EXPECT_TRUE(cache.find("t1"));
}

TEST(SessionCacheTest, HoldsAtMostItsCapacityExpiredEntriesFirst) {
    FixedClock clock(kStart);
    SessionCache cache(clock, 5 * kSecond, 3);
    cache.remember("old", viewer("a"), kNever, cache.revocations());
    clock.set(kStart + 3 * kSecond);
    cache.remember("t1", viewer("a"), kNever, cache.revocations());
    cache.remember("t2", viewer("a"), kNever, cache.revocations());
    clock.set(kStart + 6 * kSecond);  // "old" has expired, t1 and t2 have not
    cache.remember("t3", viewer("a"), kNever, cache.revocations());
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_TRUE(cache.find("t1"));
    EXPECT_TRUE(cache.find("t2"));
    EXPECT_TRUE(cache.find("t3"));
    // Full of live entries: one goes, the size stays bounded.
    cache.remember("t4", viewer("a"), kNever, cache.revocations());
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_TRUE(cache.find("t4"));
}

TEST(SessionCacheTest, ZeroSecondsTurnsItOff) {
    FixedClock clock(kStart);
    SessionCache cache(clock, 0, 100);
    cache.remember("t1", viewer("a1"), kNever, cache.revocations());
    EXPECT_FALSE(cache.find("t1"));
    EXPECT_EQ(cache.size(), 0u);
}

// Readers, writers and revokers at once (meaningful under the sanitizers as well): a token
// forgotten is never found again, and the cache stays within its bound.
TEST(SessionCacheTest, ConcurrentUseKeepsRevocationsAndTheBound) {
    SystemClock clock;
    const std::int64_t never = clock.nowMicros() + 3600 * kSecond;
    SessionCache cache(clock, 5 * kSecond, 64);
    std::atomic<bool> stop{false};
    std::atomic<int> violations{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            int i = 0;
            while (!stop) {
                std::string token = "t" + std::to_string(t) + "-" + std::to_string(i++ % 200);
                auto seen = cache.revocations();
                if (!cache.find(token)) {
                    cache.remember(token, viewer("a" + std::to_string(t)), never, seen);
                }
                if (cache.size() > 64) ++violations;
            }
        });
    }
    threads.emplace_back([&] {
        for (int i = 0; i < 2000; ++i) {
            std::string token = "revoked-" + std::to_string(i);
            cache.remember(token, viewer("r"), never, cache.revocations());
            cache.forget(token);
            if (cache.find(token)) ++violations;
            if (i % 100 == 0) cache.forgetAccount("a1");
        }
        stop = true;
    });
    for (auto& t : threads) t.join();
    EXPECT_EQ(violations.load(), 0);
    EXPECT_LE(cache.size(), 64u);
}
