#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "ExpiringMap.h"
#include "dossier/core/Clock.h"
#include "dossier/core/Document.h"

namespace dossier::filing {

/// Document rows by id, as read from or written to the database, so that the metadata of a
/// document read again and again (the most frequent request) costs no database round-trip.
/// A document row never changes once committed; it can only be deleted, which this node
/// forgets at once (forget) and another node within the TTL. Ids not found are not
/// remembered (a document committed on another node is found at once). Bounded; thread-safe.
class DocumentCache {
  public:
    DocumentCache(const Clock& clock, std::int64_t ttlMicros, std::size_t capacity)
        : clock_(clock), ttlMicros_(ttlMicros), entries_(capacity) {}

    std::optional<Document> find(const std::string& id) {
        std::int64_t now = clock_.nowMicros();
        std::lock_guard lock(mutex_);
        if (const Document* d = entries_.find(id, now)) return *d;
        return std::nullopt;
    }

    void remember(const Document& document) {
        std::int64_t now = clock_.nowMicros();
        std::lock_guard lock(mutex_);
        entries_.put(document.id, document, now + ttlMicros_, now);
    }

    void forget(const std::string& id) {
        std::lock_guard lock(mutex_);
        entries_.erase(id);
    }

    std::size_t size() {
        std::lock_guard lock(mutex_);
        return entries_.size();
    }

  private:
    const Clock& clock_;
    const std::int64_t ttlMicros_;
    std::mutex mutex_;
    ExpiringMap<Document> entries_;  // guarded by mutex_
};

}  // namespace dossier::filing
