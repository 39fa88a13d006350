#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace dossier::filing {

/// String keys to values that expire at a given time, at most `capacity` of them: when full,
/// expired entries go first, then an arbitrary one (it costs its owner one more lookup).
/// Not thread-safe: the caches that use it hold their own mutex around every call.
template <typename Value>
class ExpiringMap {
  public:
    explicit ExpiringMap(std::size_t capacity) : capacity_(capacity) {}

    /// The value of `key` if present and not expired at `now` (an expired one is dropped).
    /// The pointer is valid until the next call.
    const Value* find(const std::string& key, std::int64_t now) {
        auto it = entries_.find(key);
        if (it == entries_.end()) return nullptr;
        if (it->second.expiresMicros <= now) {
            entries_.erase(it);
            return nullptr;
        }
        return &it->second.value;
    }

    /// Stores `value` until `expiresMicros` (nothing when that is not after `now`).
    void put(const std::string& key, Value value, std::int64_t expiresMicros, std::int64_t now) {
        if (capacity_ == 0 || expiresMicros <= now) return;
        auto it = entries_.find(key);
        if (it != entries_.end()) {
            it->second = Entry{std::move(value), expiresMicros};
            return;
        }
        if (entries_.size() >= capacity_) makeRoom(now);
        entries_.emplace(key, Entry{std::move(value), expiresMicros});
    }

    void erase(const std::string& key) { entries_.erase(key); }

    /// Drops every entry for which `drop(key, value)` is true.
    template <typename Predicate>
    void eraseIf(Predicate drop) {
        for (auto it = entries_.begin(); it != entries_.end();) {
            it = drop(it->first, it->second.value) ? entries_.erase(it) : std::next(it);
        }
    }

    std::size_t size() const { return entries_.size(); }

  private:
    struct Entry {
        Value value;
        std::int64_t expiresMicros = 0;
    };

    void makeRoom(std::int64_t now) {
        for (auto it = entries_.begin(); it != entries_.end();) {
            it = it->second.expiresMicros <= now ? entries_.erase(it) : std::next(it);
        }
        if (entries_.size() >= capacity_) entries_.erase(entries_.begin());
    }

    std::size_t capacity_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace dossier::filing
