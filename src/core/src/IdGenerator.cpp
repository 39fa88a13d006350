#include "dossier/core/IdGenerator.h"

#include <random>

namespace dossier {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::uint64_t randomBits() {
    thread_local std::mt19937_64 engine{[] {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd()};
        return std::mt19937_64(seq);
    }()};
    return engine();
}

}  // namespace

std::string IdGenerator::next() const {
    auto ms = static_cast<std::uint64_t>(clock_.nowMicros() / 1000) & ((1ULL << 48) - 1);
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
    {
        std::lock_guard lock(mutex_);
        if (ms > lastMillis_ || (lastHi_ == 0xFFFF && lastLo_ == ~0ULL)) {
            // A new millisecond (or, after 2^80 ids in one, a fresh draw: never reached).
            lastHi_ = randomBits() & ((1ULL << 16) - 1);  // 16 random bits
            lastLo_ = randomBits();                       // 64 random bits
        } else {
            ms = lastMillis_;
            if (++lastLo_ == 0) ++lastHi_;
        }
        lastMillis_ = ms;
        hi = lastHi_;
        lo = lastLo_;
    }
    std::string id(26, '0');
    // 128 bits = 48 time | 16 hi | 64 lo, written as 26 base-32 digits (130 bits, top 2 zero).
    for (int i = 25; i >= 0; --i) {
        id[i] = kAlphabet[lo & 31];
        lo = (lo >> 5) | ((hi & 31) << 59);
        hi = (hi >> 5) | ((ms & 31) << 11);
        ms >>= 5;
    }
    return id;
}

bool IdGenerator::isWellFormed(const std::string& id) {
    if (id.size() != 26) return false;
    for (char c : id) {
        bool ok = false;
        for (const char* p = kAlphabet; *p; ++p) ok = ok || (*p == c);
        if (!ok) return false;
    }
    return true;
}

}  // namespace dossier
