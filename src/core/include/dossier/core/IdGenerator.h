#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "dossier/core/Clock.h"

namespace dossier {

/// ULID-style identifiers: 48-bit millisecond time + 80 random bits, 26 Crockford base-32
/// characters, so ids sort by creation time. Monotonic as the ULID specification's variant
/// is: within one millisecond (or while the clock stands still or steps back) each id is the
/// previous one plus one, so the rows a request writes in one instant — a state change and
/// its audit entries — keep their order when sorted by id. Thread-safe. Not a secret: never
/// use as a token.
class IdGenerator {
  public:
    explicit IdGenerator(const Clock& clock) : clock_(clock) {}
    std::string next() const;
    /// True if `id` has the shape of an id we generate (26 chars of the alphabet).
    static bool isWellFormed(const std::string& id);

  private:
    const Clock& clock_;
    mutable std::mutex mutex_;
    mutable std::uint64_t lastMillis_ = 0;
    mutable std::uint64_t lastHi_ = 0;  // the 16 high random bits
    mutable std::uint64_t lastLo_ = 0;  // the 64 low random bits
};

}  // namespace dossier
