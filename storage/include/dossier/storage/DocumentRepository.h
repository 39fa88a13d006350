#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dossier/core/Document.h"
#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/CheckRepository.h"
#include "dossier/storage/Database.h"

namespace dossier::storage {

/// A page of an organization's documents, newest first.
struct DocumentPage {
    struct Item {
        Document document;
        bool inUse = false;  // a document_uses row names it (a filing or project uses it)
    };
    std::vector<Item> items;
    std::uint64_t total = 0;
};

/// What deleting a document did.
struct DocumentDeletion {
    enum class Outcome { Deleted, NotFound, InUse };
    Outcome outcome = Outcome::Deleted;
    std::vector<std::string> usedBy;  // InUse: the document_uses rows ("project:<id>")
    /// Deleted: no other document had the same bytes, so the `blobs` row (and the rows of
    /// its derivatives) went too; the file itself is left to the start-up orphan sweep
    /// (Services::collectOrphanBlobs), since an upload of the same bytes may be writing it.
    bool blobReleased = false;
};

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
    /// The documents of `organizationId` (of `kind` unless empty), newest first: `offset`
    /// skipped, at most `limit`.
    DocumentPage list(const std::string& organizationId, const std::string& kind,
                      std::uint64_t offset, std::uint64_t limit);
    /// Deletes the document of `organizationId` with its checks and OCR text, and its blob
    /// row when no other document has the same digest, in one transaction with the audit
    /// entry `audit(deletion)` makes — unless a document_uses row names it (InUse: nothing
    /// changes). On PostgreSQL the row is locked for update first, so a filing or project
    /// save naming it at the same moment (which holds a key-share lock) either commits first
    /// and this sees its use, or waits and then finds the document gone; SQLite's writer lock
    /// serializes the two. The foreign key from document_uses refuses the delete as well.
    DocumentDeletion remove(const std::string& id, const std::string& organizationId,
                            const std::function<AuditEntry(const DocumentDeletion&)>& audit);
    std::uint64_t countDocuments();
    std::uint64_t countBlobs();
    /// Whether a `blobs` row records this digest.
    bool hasBlob(const std::string& sha256);

  private:
    Database& db_;
};

}  // namespace dossier::storage
