#include "dossier/filing/TracedCopyCache.h"

#include <algorithm>
#include <cstring>

namespace dossier::filing {

std::size_t TracedCopySource::readAt(std::uint64_t offset, void* out, std::size_t n) const {
    const std::string& bytes = copy_->bytes;
    if (offset >= bytes.size()) return 0;
    std::size_t k = std::min<std::size_t>(n, bytes.size() - offset);
    std::memcpy(out, bytes.data() + offset, k);
    return k;
}

TracedCopyCache::Bytes TracedCopyCache::getOrMake(const std::string& key, std::int64_t nowMicros,
                                                  std::int64_t expiresMicros,
                                                  const std::function<TracedCopy()>& make) {
    std::promise<Bytes> promise;
    {
        std::unique_lock lock(mutex_);
        auto it = entries_.find(key);
        if (it != entries_.end()) {
            if (it->second.expiresMicros > nowMicros) {
                lru_.splice(lru_.begin(), lru_, it->second.lru);
                return it->second.bytes;
            }
            erase(it);
        }
        auto pending = making_.find(key);
        if (pending != making_.end()) {
            auto future = pending->second;
            lock.unlock();
            return future.get();
        }
        making_.emplace(key, promise.get_future().share());
    }
    Bytes made;
    try {
        made = std::make_shared<const TracedCopy>(make());
    } catch (...) {
        promise.set_exception(std::current_exception());
        std::lock_guard lock(mutex_);
        making_.erase(key);
        throw;
    }
    promise.set_value(made);
    std::lock_guard lock(mutex_);
    making_.erase(key);
    std::size_t size = made->bytes.size();
    if (expiresMicros > nowMicros && size <= maxBytes_ / 4) {
        if (auto old = entries_.find(key); old != entries_.end()) erase(old);
        evict(nowMicros, size);
        lru_.push_front(key);
        entries_.emplace(key, Entry{made, expiresMicros, lru_.begin()});
        total_ += size;
    }
    return made;
}

void TracedCopyCache::erase(std::unordered_map<std::string, Entry>::iterator it) {
    total_ -= it->second.bytes->bytes.size();
    lru_.erase(it->second.lru);
    entries_.erase(it);
}

void TracedCopyCache::evict(std::int64_t nowMicros, std::size_t incoming) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        auto next = std::next(it);
        if (it->second.expiresMicros <= nowMicros) erase(it);
        it = next;
    }
    while (!lru_.empty() && total_ + incoming > maxBytes_) erase(entries_.find(lru_.back()));
}

std::size_t TracedCopyCache::bytes() const {
    std::lock_guard lock(mutex_);
    return total_;
}

std::size_t TracedCopyCache::entries() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace dossier::filing
