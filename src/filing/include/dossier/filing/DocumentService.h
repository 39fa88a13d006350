#pragma once

#include <memory>
#include <string>

#include "dossier/core/ByteSource.h"
#include "dossier/core/Clock.h"
#include "dossier/core/Document.h"
#include "dossier/core/DocumentKind.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/CheckRunner.h"
#include "dossier/filing/Upload.h"
#include "dossier/storage/CheckRepository.h"

#include <functional>
#include <vector>

namespace dossier::storage {
class BlobStore;
class DocumentRepository;
class CheckRepository;
}  // namespace dossier::storage

namespace dossier::filing {

/// What the client said about an upload. None of it is trusted: `kind` is validated, the
/// name is sanitized and kept as metadata only, and the type is judged on the bytes.
struct UploadClaims {
    std::string kind;
    std::string fileName;
    std::string declaredType;  // the part's Content-Type, may be empty
    /// Optional form fields the evidence checks compare with (until organizations exist).
    std::string declaredCreditCode;
    std::string declaredName;
    std::string expectedSeals;  // "1".."3", empty = 1
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
                    storage::CheckRepository& checks, const Clock& clock, const IdGenerator& ids,
                    KindLimits limits);

    /// Called after a document with checks commits (wakes the check workers).
    void onChecksScheduled(std::function<void()> callback) { checksScheduled_ = std::move(callback); }

    /// Starts an upload whose kind is not known yet: capped at the largest kind limit.
    std::unique_ptr<Upload> beginUpload();
    /// Validates kind, size and sniffed type; then makes the blob durable and commits the
    /// row, in that order. Throws dossier::Error (upload.*) for a refused upload, which then
    /// leaves no blob, no temp file and no row.
    Document completeUpload(std::unique_ptr<Upload> upload, const UploadClaims& claims);

    /// Throws document.not_found.
    Document get(const std::string& id);
    /// The document's checks (pending ones included); throws document.not_found.
    std::vector<storage::CheckRow> checksOf(const std::string& id);
    /// The metadata and the bytes, re-hashed first: a damaged blob throws
    /// storage.blob_corrupt rather than being served.
    DocumentContent openContent(const std::string& id);

    const KindLimits& limits() const { return limits_; }

private:
    storage::BlobStore& blobs_;
    storage::DocumentRepository& documents_;
    storage::CheckRepository& checks_;
    std::function<void()> checksScheduled_;
    const Clock& clock_;
    const IdGenerator& ids_;
    KindLimits limits_;
};

}  // namespace dossier::filing
