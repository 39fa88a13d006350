// The per-address token bucket and the trusted-proxy rule that names the client (README,
// "Throttling"): pure, with injected time.
#include <gtest/gtest.h>

#include "AddressThrottle.h"

using namespace dossier::http;
using namespace std::chrono_literals;

namespace {

Poco::Net::IPAddress ip(const std::string& text) { return Poco::Net::IPAddress(text); }

TEST(AddressThrottle, ABurstThenOnePerIntervalWithTheWaitToRetryAfter) {
    AddressThrottle t({3, 30});  // 3 at once, then one per 2 s
    auto t0 = AddressThrottle::Clock::time_point{} + 1h;
    EXPECT_EQ(t.take("192.0.2.1", t0), 0);
    EXPECT_EQ(t.take("192.0.2.1", t0), 0);
    EXPECT_EQ(t.take("192.0.2.1", t0), 0);
    EXPECT_EQ(t.take("192.0.2.1", t0), 2);  // the next token in 2 s
    EXPECT_EQ(t.take("192.0.2.1", t0 + 1500ms), 1);
    EXPECT_EQ(t.take("192.0.2.2", t0), 0) << "another address has its own bucket";
    EXPECT_EQ(t.take("192.0.2.1", t0 + 2s), 0);
    EXPECT_EQ(t.take("192.0.2.1", t0 + 2s), 2);
    // Refilled to the burst, never beyond it, however long the address was away.
    auto later = t0 + 24h;
    for (int i = 0; i < 3; ++i) EXPECT_EQ(t.take("192.0.2.1", later), 0);
    EXPECT_GT(t.take("192.0.2.1", later), 0);
}

TEST(AddressThrottle, OffWhenThePerMinuteRateIsZero) {
    AddressThrottle t({1, 0});
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(t.take("192.0.2.1"), 0);
    EXPECT_EQ(t.size(), 0u);
}

TEST(AddressThrottle, IPv6AddressesShareTheirSlash64) {
    EXPECT_EQ(AddressThrottle::keyOf("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
    EXPECT_EQ(AddressThrottle::keyOf("2001:db8:1:2:ffff:1:2:3"), "2001:db8:1:2::/64");
    EXPECT_EQ(AddressThrottle::keyOf("::ffff:192.0.2.7"), "192.0.2.7");
    EXPECT_EQ(AddressThrottle::keyOf("192.0.2.7"), "192.0.2.7");
    AddressThrottle t({1, 1});
    auto t0 = AddressThrottle::Clock::time_point{} + 1h;
    EXPECT_EQ(t.take("2001:db8:1:2::1", t0), 0);
    EXPECT_GT(t.take("2001:db8:1:2::9999", t0), 0) << "a fresh address in the same /64";
    EXPECT_EQ(t.take("2001:db8:1:3::1", t0), 0);
}

TEST(AddressThrottle, MemoryIsBoundedWithoutFreeingAnAddressThatKeepsTrying) {
    AddressThrottle t({2, 1, 100});  // 2 at once, then one a minute; at most 100 addresses
    auto t0 = AddressThrottle::Clock::time_point{} + 1h;
    EXPECT_EQ(t.take("198.51.100.1", t0), 0);
    EXPECT_EQ(t.take("198.51.100.1", t0), 0);
    // 10,000 addresses come and go (a botnet, a big NAT pool) while one keeps trying: the
    // map stays bounded, and the one that keeps trying is never forgotten (and refilled).
    int granted = 0;
    for (int i = 0; i < 10'000; ++i) {
        auto now = t0 + std::chrono::milliseconds(i);
        t.take("172.16." + std::to_string(i / 250) + "." + std::to_string(i % 250), now);
        ASSERT_LE(t.size(), 100u);
        if (i % 10 == 0 && t.take("198.51.100.1", now) == 0) ++granted;
    }
    EXPECT_EQ(granted, 0);
    // Full buckets are the same as none: after a quiet hour they are all dropped first.
    EXPECT_EQ(t.take("203.0.113.1", t0 + 2h), 0);
    EXPECT_EQ(t.size(), 1u);
}

TEST(TrustedProxies, ParsesAddressesAndBlocksAndRefusesGarbage) {
    auto p = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8  ::1,2001:db8::/32");
    EXPECT_TRUE(p.contains(ip("127.0.0.1")));
    EXPECT_FALSE(p.contains(ip("127.0.0.2")));
    EXPECT_TRUE(p.contains(ip("10.255.1.2")));
    EXPECT_FALSE(p.contains(ip("11.0.0.1")));
    EXPECT_TRUE(p.contains(ip("::1")));
    EXPECT_TRUE(p.contains(ip("2001:db8:ffff::1")));
    EXPECT_FALSE(p.contains(ip("2001:db9::1")));
    EXPECT_TRUE(p.contains(ip("::ffff:10.1.2.3"))) << "an IPv4-mapped peer is its IPv4 address";
    EXPECT_TRUE(TrustedProxies::parse("").empty());
    for (const char* bad : {"localhost", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "::1/129",
                            "1.2.3", "10.0.0.0/8/8"}) {
        EXPECT_THROW(TrustedProxies::parse(bad), std::invalid_argument) << bad;
    }
}

TEST(TrustedProxies, XForwardedForIsBelievedOnlyFromAProxyAndOnlyFromTheRight) {
    auto none = TrustedProxies::parse("");
    EXPECT_EQ(none.clientOf(ip("203.0.113.9"), "198.51.100.1"), "203.0.113.9")
        << "a client cannot name itself someone else";
    auto p = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8");
    EXPECT_EQ(p.clientOf(ip("203.0.113.9"), "198.51.100.1"), "203.0.113.9");
    EXPECT_EQ(p.clientOf(ip("127.0.0.1"), "198.51.100.1"), "198.51.100.1");
    // The client wrote the leftmost entries; the proxies appended the rest.
    EXPECT_EQ(p.clientOf(ip("127.0.0.1"), "1.1.1.1, 198.51.100.1, 10.0.0.5"), "198.51.100.1");
    EXPECT_EQ(p.clientOf(ip("127.0.0.1"), "1.1.1.1,198.51.100.1 , 10.0.0.5"), "198.51.100.1");
    // Garbage stops the walk at the last hop a proxy vouched for.
    EXPECT_EQ(p.clientOf(ip("127.0.0.1"), "198.51.100.1, unknown"), "127.0.0.1");
    EXPECT_EQ(p.clientOf(ip("127.0.0.1"), "'; DROP TABLE accounts;--"), "127.0.0.1");
    EXPECT_EQ(p.clientOf(ip("127.0.0.1"), ""), "127.0.0.1");
    EXPECT_EQ(p.clientOf(ip("127.0.0.1"), "[2001:db8::7]"), "2001:db8::7");
    // Only proxies all the way: the leftmost one is the client as far as anyone can tell.
    EXPECT_EQ(p.clientOf(ip("127.0.0.1"), "10.0.0.1, 10.0.0.2"), "10.0.0.1");
}

}  // namespace
