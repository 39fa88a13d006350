#pragma once

#include <Poco/Net/IPAddress.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace dossier::http {

/// Proxies whose `X-Forwarded-For` Dossier believes (`trusted_proxies`): single addresses or
/// CIDR blocks, IPv4 or IPv6. Built once, then read-only (thread-safe).
class TrustedProxies {
  public:
    TrustedProxies() = default;
    /// "127.0.0.1, 10.0.0.0/8, ::1" (commas or spaces). Throws std::invalid_argument naming
    /// the entry that is not an address or a block.
    static TrustedProxies parse(const std::string& list);

    bool empty() const { return blocks_.empty(); }
    bool contains(const Poco::Net::IPAddress& address) const;

    /// The client a request comes from: the socket's peer, unless the peer is a trusted proxy;
    /// then the rightmost `X-Forwarded-For` entry that is not itself a trusted proxy (entries
    /// left of it were written by the client and prove nothing). A malformed entry stops the
    /// walk at the last address known good (the proxy that appended it). `forwardedFor` holds
    /// every X-Forwarded-For field's value, joined with commas.
    std::string clientOf(const Poco::Net::IPAddress& peer, const std::string& forwardedFor) const;

  private:
    struct Block {
        Poco::Net::IPAddress network;
        Poco::Net::IPAddress mask;
    };
    std::vector<Block> blocks_;
};

/// A token bucket per client address for the routes that cost the server or reveal
/// something per attempt (sign-in: a PBKDF2 hash, ~0.3 s of a core; registration; the
/// registration query). Each address may send `burst` such requests at once, then one per
/// `60 / perMinute` seconds. IPv6 addresses are keyed by their /64 (one subscriber's
/// allocation, RFC 6177), so a client cannot mint fresh addresses to escape it.
/// Thread-safe; memory bounded by `maxAddresses` buckets.
class AddressThrottle {
  public:
    struct Options {
        int burst = 20;
        int perMinute = 20;  // 0 = no throttling
        std::size_t maxAddresses = 100'000;
    };
    using Clock = std::chrono::steady_clock;

    explicit AddressThrottle(Options options) : options_(options) {}

    /// Takes a token for `address`: 0 when the request may go on, else the whole seconds
    /// (≥ 1) until the next token (for Retry-After). `now` is injectable for tests.
    int take(const std::string& address, Clock::time_point now = Clock::now());
    /// The seconds until `address` has a token (0: it has one now), taking none: for routes
    /// that charge only some answers (a verification of an unknown certificate number) but
    /// must refuse every request of an address that spent its budget.
    int wait(const std::string& address, Clock::time_point now = Clock::now());
    bool enabled() const { return options_.perMinute > 0; }
    std::size_t size() const;

    /// The key an address is counted under: IPv4 as is, IPv6 by its /64 prefix.
    static std::string keyOf(const std::string& address);

  private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point updated;
    };
    double refill(Bucket& bucket, Clock::time_point now) const;
    void makeRoom(Clock::time_point now);

    Options options_;
    mutable std::mutex mutex_;
    std::map<std::string, Bucket> buckets_;
};

}  // namespace dossier::http
