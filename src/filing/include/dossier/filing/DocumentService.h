#pragma once

#include <memory>
#include <string>

#include "dossier/core/ByteSource.h"
#include "dossier/core/Clock.h"
#include "dossier/core/Document.h"
#include "dossier/core/DocumentKind.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/Upload.h"

namespace dossier::storage {
class BlobStore;
class DocumentRepository;
}  // namespace dossier::storage

namespace dossier::filing {

/// What the client said about an upload. None of it is trusted: `kind` is validated, the
/// name is sanitized and kept as metadata only, and the type is judged on the bytes.
struct UploadClaims {
    std::string kind;
    std::string fileName;
    std::string declaredType;  // the part's Content-Type, may be empty
};

struct DocumentContent {
    Document document;
    std::unique_ptr<ByteSource> bytes;  // verified against document.sha256 before returning
};

/// Ingest and retrieval of documents: the one place that combines sniffing, limits, the
/// blob store and the document rows. Thread-safe.
class DocumentService {
public:
    /// All references must outlive the service.
    DocumentService(storage::BlobStore& blobs, storage::DocumentRepository& documents,
                    const Clock& clock, const IdGenerator& ids, KindLimits limits);

    /// Starts an upload whose kind is not known yet: capped at the largest kind limit.
    std::unique_ptr<Upload> beginUpload();
    /// Validates kind, size and sniffed type; then makes the blob durable and commits the
    /// row, in that order. Throws dossier::Error (upload.*) for a refused upload, which then
    /// leaves no blob, no temp file and no row.
    Document completeUpload(std::unique_ptr<Upload> upload, const UploadClaims& claims);

    /// Throws document.not_found.
    Document get(const std::string& id);
    /// The metadata and the bytes, re-hashed first: a damaged blob throws
    /// storage.blob_corrupt rather than being served.
    DocumentContent openContent(const std::string& id);

    const KindLimits& limits() const { return limits_; }

private:
    storage::BlobStore& blobs_;
    storage::DocumentRepository& documents_;
    const Clock& clock_;
    const IdGenerator& ids_;
    KindLimits limits_;
};

}  // namespace dossier::filing
