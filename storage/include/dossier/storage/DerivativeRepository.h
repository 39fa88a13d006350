#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dossier/storage/Database.h"

namespace dossier::storage {

struct DerivativeRow {
    std::string sourceSha256;
    std::string variant;  // e.g. "watermarked|v1|仅用于备案审核|2026-11-20", "preview|p1|w800|..."
    std::string derivativeSha256;
    std::string mediaType;
};

/// Index of generated derivatives (the bytes are blobs). Thread-safe.
class DerivativeRepository {
  public:
    explicit DerivativeRepository(Database& db) : db_(db) {}
    std::optional<DerivativeRow> find(const std::string& sourceSha256, const std::string& variant);
    /// Records the derivative blob (once per digest) and the index entry; a concurrent
    /// insert of the same entry wins silently (both produced the same thing).
    void insert(const DerivativeRow& row, std::uint64_t size, std::int64_t nowMicros);

  private:
    Database& db_;
};

}  // namespace dossier::storage
