#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dossier/core/Document.h"
#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/CheckRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// Rows of `documents` and the `blobs` they point at. Thread-safe (sessions from the pool).
class DocumentRepository {
  public:
    explicit DocumentRepository(Database& db) : db_(db) {}

    /// Records the blob (once per digest), the document, its pending checks and (when given)
    /// the audit entry of the upload in one transaction. Call only after the blob is durable
    /// in the blob store. Throws storage.database; nothing is recorded then.
    void insert(const Document& document, const std::vector<CheckRow>& checks = {},
                const std::optional<AuditEntry>& audit = std::nullopt);
    std::optional<Document> find(const std::string& id);
    std::uint64_t countDocuments();
    std::uint64_t countBlobs();
    /// Whether a `blobs` row records this digest.
    bool hasBlob(const std::string& sha256);

  private:
    Database& db_;
};

}  // namespace dossier::storage
