#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "dossier/core/ByteSource.h"

namespace dossier::filing {

/// A traced copy and the SHA-256 of its bytes (its ETag and audit digest).
struct TracedCopy {
    std::string bytes;
    std::string sha256;
};

/// Reads a shared TracedCopy; keeps it alive while a response is being sent, whatever the
/// cache evicts meanwhile.
class TracedCopySource final : public ByteSource {
  public:
    explicit TracedCopySource(std::shared_ptr<const TracedCopy> copy) : copy_(std::move(copy)) {}
    std::uint64_t size() const override { return copy_->bytes.size(); }
    std::size_t readAt(std::uint64_t offset, void* out, std::size_t n) const override;

  private:
    std::shared_ptr<const TracedCopy> copy_;
};

/// Reviewers' traced copies (review copies and traced previews) held in memory until the end
/// of the hour their trace mark names, so one reviewer's repeated downloads of a document —
/// a PDF viewer's range requests, a second look — cost one stamping per hour instead of one
/// per request. A key names the viewer (account id and display name) with the source and
/// the hour, so a copy is only ever found for the viewer it names; callers look up only after
/// the viewer's access was checked. Never written to disk: identity documents marked for one
/// viewer are not kept past their hour nor past the process.
///
/// Bounded by bytes: an insert evicts expired entries, then the least recently used, until
/// the total fits `maxBytes`; a copy larger than a quarter of the bound is not kept. Two
/// requests for a key being made wait for one making (a PDF viewer fires several range
/// requests at once). Thread-safe.
class TracedCopyCache {
  public:
    using Bytes = std::shared_ptr<const TracedCopy>;

    explicit TracedCopyCache(std::size_t maxBytes) : maxBytes_(maxBytes) {}

    /// `maxBytes` 0 keeps nothing (every request makes its copy).
    /// The copy of `key` if held and not expired at `nowMicros`; else `make()`'s result, kept
    /// until `expiresMicros`. What `make` throws reaches every caller waiting for that key
    /// (and nothing is kept).
    Bytes getOrMake(const std::string& key, std::int64_t nowMicros, std::int64_t expiresMicros,
                    const std::function<TracedCopy()>& make);

    std::size_t bytes() const;
    std::size_t entries() const;

  private:
    struct Entry {
        Bytes bytes;
        std::int64_t expiresMicros = 0;
        std::list<std::string>::iterator lru;
    };

    void evict(std::int64_t nowMicros, std::size_t incoming);
    void erase(std::unordered_map<std::string, Entry>::iterator it);

    const std::size_t maxBytes_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> lru_;  // most recently used first
    std::size_t total_ = 0;
    std::unordered_map<std::string, std::shared_future<Bytes>> making_;
};

}  // namespace dossier::filing
