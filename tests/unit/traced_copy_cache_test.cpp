#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "dossier/filing/TracedCopyCache.h"

using dossier::filing::TracedCopy;
using dossier::filing::TracedCopyCache;

namespace {

constexpr std::int64_t kHour = 3600LL * 1000000;

/// A maker that counts its calls.
struct Maker {
    std::atomic<int> calls{0};
    std::function<TracedCopy()> of(std::string bytes) {
        return [this, bytes] {
            ++calls;
            return TracedCopy{bytes, "sha-" + bytes.substr(0, 8)};
        };
    }
};

}  // namespace

TEST(TracedCopyCacheTest, AKeyIsMadeOnceUntilItsHourEnds) {
    TracedCopyCache cache(1 << 20);
    Maker maker;
    auto a = cache.getOrMake("viewer-a|doc|10:00", 10, kHour, maker.of("copy for a"));
    auto again = cache.getOrMake("viewer-a|doc|10:00", kHour - 1, kHour, maker.of("other"));
    EXPECT_EQ(maker.calls, 1);
    EXPECT_EQ(again->bytes, "copy for a");
    EXPECT_EQ(again.get(), a.get());
    // At the end of its hour the entry is gone: made again.
    auto later = cache.getOrMake("viewer-a|doc|10:00", kHour, 2 * kHour, maker.of("remade"));
    EXPECT_EQ(maker.calls, 2);
    EXPECT_EQ(later->bytes, "remade");
}

TEST(TracedCopyCacheTest, AnotherKeyNeverGetsTheCopy) {
    TracedCopyCache cache(1 << 20);
    Maker maker;
    cache.getOrMake("viewer-a|doc", 0, kHour, maker.of("copy for a"));
    auto b = cache.getOrMake("viewer-b|doc", 0, kHour, maker.of("copy for b"));
    EXPECT_EQ(maker.calls, 2);
    EXPECT_EQ(b->bytes, "copy for b");
}

TEST(TracedCopyCacheTest, BytesStayWithinTheBoundLeastRecentlyUsedFirst) {
    TracedCopyCache cache(4000);
    Maker maker;
    std::string kb(1000, 'x');
    cache.getOrMake("1", 0, kHour, maker.of(kb));
    cache.getOrMake("2", 0, kHour, maker.of(kb));
    cache.getOrMake("3", 0, kHour, maker.of(kb));
    cache.getOrMake("1", 0, kHour, maker.of(kb));  // used again: "2" is now the oldest
    EXPECT_EQ(maker.calls, 3);
    cache.getOrMake("4", 0, kHour, maker.of(kb));
    cache.getOrMake("5", 0, kHour, maker.of(kb));
    EXPECT_LE(cache.bytes(), 4000u);
    EXPECT_EQ(cache.entries(), 4u);
    int before = maker.calls;
    cache.getOrMake("1", 0, kHour, maker.of(kb));
    EXPECT_EQ(maker.calls, before) << "the recently used entry was evicted";
    cache.getOrMake("2", 0, kHour, maker.of(kb));
    EXPECT_EQ(maker.calls, before + 1) << "the least recently used entry was kept";
    // A copy over a quarter of the bound is served but not kept.
    auto big = cache.getOrMake("big", 0, kHour, maker.of(std::string(1001, 'y')));
    EXPECT_EQ(big->bytes.size(), 1001u);
    cache.getOrMake("big", 0, kHour, maker.of(std::string(1001, 'y')));
    EXPECT_EQ(maker.calls, before + 3);
    EXPECT_LE(cache.bytes(), 4000u);
    // Expired entries leave room first, whatever their recency.
    TracedCopyCache hourly(4000);
    hourly.getOrMake("old", 0, kHour, maker.of(kb));
    hourly.getOrMake("new", kHour, 2 * kHour, maker.of(kb));
    EXPECT_EQ(hourly.entries(), 1u);
    EXPECT_EQ(hourly.bytes(), 1000u);
}

TEST(TracedCopyCacheTest, ABoundOfZeroKeepsNothing) {
    TracedCopyCache cache(0);
    Maker maker;
    cache.getOrMake("k", 0, kHour, maker.of("copy"));
    cache.getOrMake("k", 0, kHour, maker.of("copy"));
    EXPECT_EQ(maker.calls, 2);
    EXPECT_EQ(cache.bytes(), 0u);
}

TEST(TracedCopyCacheTest, ConcurrentRequestsForOneKeyWaitForOneMaking) {
    TracedCopyCache cache(1 << 20);
    std::atomic<int> calls{0};
    std::vector<std::thread> threads;
    std::vector<std::string> seen(8);
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&, i] {
            auto copy = cache.getOrMake("viewer|doc", 0, kHour, [&] {
                ++calls;
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                return TracedCopy{"made", "sha"};
            });
            seen[i] = copy->bytes;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(calls, 1);
    for (const auto& s : seen) EXPECT_EQ(s, "made");
}

TEST(TracedCopyCacheTest, AFailedMakingReachesItsCallerAndKeepsNothing) {
    TracedCopyCache cache(1 << 20);
    EXPECT_THROW(cache.getOrMake("k", 0, kHour,
                                 []() -> TracedCopy { throw std::runtime_error("stamp failed"); }),
                 std::runtime_error);
    EXPECT_EQ(cache.entries(), 0u);
    Maker maker;
    EXPECT_EQ(cache.getOrMake("k", 0, kHour, maker.of("ok"))->bytes, "ok");
}
