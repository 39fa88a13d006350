#include "dossier/filing/SessionCache.h"

#include <algorithm>

#include "ExpiringMap.h"

namespace dossier::filing {

struct SessionCache::Entries : ExpiringMap<Viewer> {
    using ExpiringMap::ExpiringMap;
};

SessionCache::SessionCache(const Clock& clock, std::int64_t ttlMicros, std::size_t capacity)
    : clock_(clock),
      ttlMicros_(std::max<std::int64_t>(ttlMicros, 0)),
      entries_(std::make_unique<Entries>(ttlMicros_ > 0 ? capacity : 0)) {}

SessionCache::~SessionCache() = default;

std::optional<Viewer> SessionCache::find(const std::string& token) {
    if (ttlMicros_ == 0) return std::nullopt;
    std::int64_t now = clock_.nowMicros();
    std::lock_guard lock(mutex_);
    if (const Viewer* v = entries_->find(token, now)) return *v;
    return std::nullopt;
}

void SessionCache::remember(const std::string& token, const Viewer& viewer,
                            std::int64_t sessionExpiresMicros, std::uint64_t revocationsSeen) {
    if (ttlMicros_ == 0) return;
    std::int64_t now = clock_.nowMicros();
    std::lock_guard lock(mutex_);
    if (revocations_ != revocationsSeen) return;
    entries_->put(token, viewer, std::min(now + ttlMicros_, sessionExpiresMicros), now);
}

std::uint64_t SessionCache::revocations() const {
    std::lock_guard lock(mutex_);
    return revocations_;
}

void SessionCache::forget(const std::string& token) {
    std::lock_guard lock(mutex_);
    ++revocations_;
    entries_->erase(token);
}

void SessionCache::forgetAccount(const std::string& accountId, const std::string& keepToken) {
    std::lock_guard lock(mutex_);
    ++revocations_;
    entries_->eraseIf([&](const std::string& token, const Viewer& viewer) {
        return viewer.accountId == accountId && token != keepToken;
    });
}

std::size_t SessionCache::size() const {
    std::lock_guard lock(mutex_);
    return entries_->size();
}

}  // namespace dossier::filing
