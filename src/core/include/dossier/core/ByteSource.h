#pragma once

#include <cstddef>
#include <cstdint>

namespace dossier {

/// Random-access read-only bytes (a staged upload, a blob, a buffer in a test).
/// Implementations are not required to be thread-safe.
class ByteSource {
  public:
    virtual ~ByteSource() = default;
    virtual std::uint64_t size() const = 0;
    /// Reads up to `n` bytes at `offset` into `out`; returns the count read (short only at
    /// the end). Throws dossier::Error on I/O failure.
    virtual std::size_t readAt(std::uint64_t offset, void* out, std::size_t n) const = 0;
};

}  // namespace dossier
