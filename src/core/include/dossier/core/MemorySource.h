#pragma once

#include <algorithm>
#include <cstring>
#include <string>

#include "dossier/core/ByteSource.h"

namespace dossier {

/// Bytes held in memory (a per-request derivative, a buffer in a test).
class MemorySource final : public ByteSource {
  public:
    explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
    std::uint64_t size() const override { return bytes_.size(); }
    std::size_t readAt(std::uint64_t offset, void* out, std::size_t n) const override {
        if (offset >= bytes_.size()) return 0;
        std::size_t k = std::min<std::size_t>(n, bytes_.size() - offset);
        std::memcpy(out, bytes_.data() + offset, k);
        return k;
    }

  private:
    std::string bytes_;
};

}  // namespace dossier
