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
    std::uint64_t hi = randomBits() & ((1ULL << 16) - 1);  // 16 random bits
    std::uint64_t lo = randomBits();                       // 64 random bits
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
