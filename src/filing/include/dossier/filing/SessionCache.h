#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "dossier/core/Account.h"
#include "dossier/core/Clock.h"

namespace dossier::filing {

/// Bearer tokens this node authenticated in the last few seconds, with their viewer, so a
/// request does not cost a database round-trip (and a SHA-256) for its session.
///
/// An entry lives at most `ttlMicros` and never past its session's expiry. Revocations made
/// on this node take effect at once: AuthService calls forget() on sign-out and
/// forgetAccount() on a password change or an account lock. A revocation made on another
/// node (the session row deleted there) is honoured here within `ttlMicros`: that is the
/// bound the TTL sets, and why it is seconds, not minutes. A lookup that raced with a
/// revocation is not remembered (see revocations()); a session made with a password that has
/// changed since is refused by the database lookup (credential version) and so never
/// remembered. At most `capacity` entries: when full,
/// expired entries go first, then arbitrary ones. Thread-safe; the tokens stay in memory only.
class SessionCache {
  public:
    /// `ttlMicros` <= 0 or `capacity` 0 turns the cache off (every lookup misses).
    SessionCache(const Clock& clock, std::int64_t ttlMicros, std::size_t capacity);
    ~SessionCache();
    SessionCache(const SessionCache&) = delete;
    SessionCache& operator=(const SessionCache&) = delete;

    /// The viewer of `token` if it was remembered and has not expired.
    std::optional<Viewer> find(const std::string& token);
    /// Remembers `token` until now + TTL or `sessionExpiresMicros`, whichever is first,
    /// unless a revocation happened since `revocationsSeen` (read before the database was).
    void remember(const std::string& token, const Viewer& viewer, std::int64_t sessionExpiresMicros,
                  std::uint64_t revocationsSeen);
    /// How many revocations so far: read it before looking the session up in the database.
    std::uint64_t revocations() const;

    void forget(const std::string& token);
    /// Forgets every token of `accountId` except `keepToken` (the one that changed the
    /// password keeps its session).
    void forgetAccount(const std::string& accountId, const std::string& keepToken = {});

    std::size_t size() const;
    std::int64_t ttlMicros() const { return ttlMicros_; }

  private:
    struct Entries;

    const Clock& clock_;
    const std::int64_t ttlMicros_;
    mutable std::mutex mutex_;
    std::unique_ptr<Entries> entries_;  // guarded by mutex_
    std::uint64_t revocations_ = 0;     // guarded by mutex_
};

}  // namespace dossier::filing
