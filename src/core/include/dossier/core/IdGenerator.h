#pragma once

#include <string>

#include "dossier/core/Clock.h"

namespace dossier {

/// ULID-style identifiers: 48-bit millisecond time + 80 random bits, 26 Crockford base-32
/// characters, so ids sort by creation time. Thread-safe. Not a secret: never use as a token.
class IdGenerator {
  public:
    explicit IdGenerator(const Clock& clock) : clock_(clock) {}
    std::string next() const;
    /// True if `id` has the shape of an id we generate (26 chars of the alphabet).
    static bool isWellFormed(const std::string& id);

  private:
    const Clock& clock_;
};

}  // namespace dossier
