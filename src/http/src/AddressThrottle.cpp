#include "AddressThrottle.h"

#include <Poco/Net/IPAddress.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace dossier::http {
namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

/// Splits on commas (and, for the setting, spaces).
std::vector<std::string> split(const std::string& text, const std::string& separators) {
    std::vector<std::string> out;
    std::string current;
    for (char c : text) {
        if (separators.find(c) != std::string::npos) {
            if (!trim(current).empty()) out.push_back(trim(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!trim(current).empty()) out.push_back(trim(current));
    return out;
}

/// Strict: four decimal parts for IPv4 (inet_pton), not inet_aton's "1.2.3" or "0x7f.1";
/// brackets some proxies write around IPv6 are dropped.
bool parseAddress(const std::string& text, Poco::Net::IPAddress& out) {
    std::string t = text;
    if (t.size() > 2 && t.front() == '[' && t.back() == ']') t = t.substr(1, t.size() - 2);
    unsigned char buffer[sizeof(in6_addr)];
    int family = t.find(':') == std::string::npos ? AF_INET : AF_INET6;
    if (::inet_pton(family, t.c_str(), buffer) != 1) return false;
    return Poco::Net::IPAddress::tryParse(t, out);
}

/// An IPv4-mapped IPv6 peer (::ffff:10.0.0.1 on a dual-stack socket) is its IPv4 address.
Poco::Net::IPAddress unmapped(const Poco::Net::IPAddress& a) {
    if (a.family() == Poco::Net::IPAddress::IPv6 && a.isIPv4Mapped()) {
        std::string text = a.toString();
        Poco::Net::IPAddress v4;
        if (Poco::Net::IPAddress::tryParse(text.substr(text.rfind(':') + 1), v4)) return v4;
    }
    return a;
}

}  // namespace

TrustedProxies TrustedProxies::parse(const std::string& list) {
    TrustedProxies out;
    for (const auto& entry : split(list, ", \t")) {
        auto slash = entry.find('/');
        Poco::Net::IPAddress network;
        if (!parseAddress(entry.substr(0, slash), network)) {
            throw std::invalid_argument("'" + entry + "' is not an IP address or CIDR block");
        }
        network = unmapped(network);
        unsigned maxBits = network.family() == Poco::Net::IPAddress::IPv4 ? 32 : 128;
        unsigned bits = maxBits;
        if (slash != std::string::npos) {
            std::string prefix = entry.substr(slash + 1);
            if (prefix.empty() || prefix.size() > 3 ||
                !std::all_of(prefix.begin(), prefix.end(), ::isdigit) ||
                std::stoul(prefix) > maxBits) {
                throw std::invalid_argument("'" + entry + "' has an invalid prefix length");
            }
            bits = static_cast<unsigned>(std::stoul(prefix));
        }
        Poco::Net::IPAddress mask(bits, network.family());
        out.blocks_.push_back({network & mask, mask});
    }
    return out;
}

bool TrustedProxies::contains(const Poco::Net::IPAddress& address) const {
    auto a = unmapped(address);
    return std::any_of(blocks_.begin(), blocks_.end(), [&](const Block& b) {
        return b.network.family() == a.family() && (a & b.mask) == b.network;
    });
}

std::string TrustedProxies::clientOf(const Poco::Net::IPAddress& peer,
                                     const std::string& forwardedFor) const {
    auto client = unmapped(peer);
    if (!contains(client)) return client.toString();
    auto hops = split(forwardedFor, ",");
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        Poco::Net::IPAddress hop;
        if (!parseAddress(*it, hop)) break;  // garbage: trust nothing left of it
        client = unmapped(hop);
        if (!contains(client)) break;
    }
    return client.toString();
}

std::string AddressThrottle::keyOf(const std::string& address) {
    Poco::Net::IPAddress a;
    if (!Poco::Net::IPAddress::tryParse(address, a)) return address;
    a = unmapped(a);
    if (a.family() == Poco::Net::IPAddress::IPv6) {
        return (a & Poco::Net::IPAddress(64, Poco::Net::IPAddress::IPv6)).toString() + "/64";
    }
    return a.toString();
}

double AddressThrottle::refill(Bucket& bucket, Clock::time_point now) const {
    double seconds = std::chrono::duration<double>(now - bucket.updated).count();
    if (seconds > 0) {
        bucket.tokens =
            std::min<double>(options_.burst, bucket.tokens + seconds * options_.perMinute / 60.0);
        bucket.updated = now;
    }
    return bucket.tokens;
}

void AddressThrottle::makeRoom(Clock::time_point now) {
    // A full bucket is the same as none: drop those first.
    for (auto it = buckets_.begin(); it != buckets_.end();) {
        if (refill(it->second, now) >= options_.burst) {
            it = buckets_.erase(it);
        } else {
            ++it;
        }
    }
    if (buckets_.size() < options_.maxAddresses) return;
    // Still full (that many addresses busy at once): forget the one idle longest, which
    // gives it a fresh burst — the least harm when memory has to be bounded.
    auto oldest = std::min_element(buckets_.begin(), buckets_.end(), [](auto& a, auto& b) {
        return a.second.updated < b.second.updated;
    });
    buckets_.erase(oldest);
}

int AddressThrottle::take(const std::string& address, Clock::time_point now) {
    if (!enabled()) return 0;
    std::string key = keyOf(address);
    std::lock_guard lock(mutex_);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        if (buckets_.size() >= options_.maxAddresses) makeRoom(now);
        it = buckets_.emplace(key, Bucket{double(options_.burst), now}).first;
    }
    Bucket& bucket = it->second;
    if (refill(bucket, now) >= 1.0) {
        bucket.tokens -= 1.0;
        return 0;
    }
    double wait = (1.0 - bucket.tokens) * 60.0 / options_.perMinute;
    return std::max(1, static_cast<int>(std::ceil(wait)));
}

int AddressThrottle::wait(const std::string& address, Clock::time_point now) {
    if (!enabled()) return 0;
    std::string key = keyOf(address);
    std::lock_guard lock(mutex_);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) return 0;
    double tokens = refill(it->second, now);
    if (tokens >= 1.0) return 0;
    double wait = (1.0 - tokens) * 60.0 / options_.perMinute;
    return std::max(1, static_cast<int>(std::ceil(wait)));
}

std::size_t AddressThrottle::size() const {
    std::lock_guard lock(mutex_);
    return buckets_.size();
}

}  // namespace dossier::http
