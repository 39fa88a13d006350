#pragma once

#include <memory>
#include <string>

#include "dossier/core/Account.h"
#include "dossier/core/ByteSource.h"
#include "dossier/core/Clock.h"
#include "dossier/core/Document.h"
#include "dossier/core/DocumentKind.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/filing/CheckRunner.h"
#include "dossier/filing/Upload.h"
#include "dossier/storage/AuditRepository.h"
#include "dossier/storage/BlobStore.h"
#include "dossier/storage/CheckRepository.h"
#include "dossier/storage/DocumentRepository.h"

#include <functional>
#include <map>
#include <vector>

namespace dossier::storage {
class BlobStore;
class DocumentRepository;
class CheckRepository;
class AccountRepository;
}  // namespace dossier::storage

namespace dossier::filing {

class AuditLog;

/// What the client said about an upload. None of it is trusted: `kind` is validated, the
/// name is sanitized and kept as metadata only, and the type is judged on the bytes alone
/// (a name or declared type that says otherwise is not an error: downloads get the
/// extension of the content, see downloadFileName). The
/// credit code and name a license is checked against are the uploader's organization's.
struct UploadClaims {
    std::string kind;
    std::string fileName;
    std::string declaredType;   // the part's Content-Type, may be empty
    std::string expectedSeals;  // "1".."3", empty = 1
};

/// Who may see a document: its organization's accounts (the owner) and reviewers.
bool ownsDocument(const Viewer& viewer, const Document& document);
bool mayRead(const Viewer& viewer, const Document& document);

struct DocumentContent {
    Document document;
    std::unique_ptr<ByteSource> bytes;  // verified against document.sha256 before returning
    /// What a download of these bytes is saved as: the document's name with the extension
    /// of the content, and a derivative's suffix; at most 255 bytes of UTF-8.
    std::string fileName;
    /// The audit entry that sending these bytes writes (DerivativeService::recordSent); an
    /// empty action means none (the owner's own previews).
    std::string auditAction;
    std::map<std::string, std::string> auditDetails;
};

/// Ingest and retrieval of documents: the one place that combines sniffing, limits, the
/// blob store and the document rows. Thread-safe.
class DocumentCache;

class DocumentService {
  public:
    /// All references must outlive the service.
    DocumentService(storage::BlobStore& blobs, storage::DocumentRepository& documents,
                    storage::CheckRepository& checks, storage::AccountRepository& accounts,
                    AuditLog& audit, const Clock& clock, const IdGenerator& ids, KindLimits limits);
    ~DocumentService();
    DocumentService(const DocumentService&) = delete;
    DocumentService& operator=(const DocumentService&) = delete;

    /// Called after a document with checks commits (wakes the check workers).
    void onChecksScheduled(std::function<void()> callback) {
        checksScheduled_ = std::move(callback);
    }

    /// Throws auth.forbidden unless `viewer` is an applicant, and
    /// organization.membership_required for an applicant of no organization: documents
    /// belong to an organization. Called before an upload's body is read.
    void requireUploader(const Viewer& viewer) const;
    /// Starts an upload whose kind is not known yet: capped at the largest kind limit.
    std::unique_ptr<Upload> beginUpload();
    /// Validates kind, size and sniffed type; then makes the blob durable and commits the
    /// row (owned by the viewer's organization), in that order. Throws dossier::Error
    /// (upload.*) for a refused upload, which then leaves no blob, no temp file and no row.
    Document completeUpload(const Viewer& viewer, std::unique_ptr<Upload> upload,
                            const UploadClaims& claims);

    /// The upload pipeline for a PDF that is no organization's document (the evaluator's
    /// stamped certificate): 1 to `maxBytes` bytes, sniffed as an intact PDF that qpdf and
    /// poppler both open within `limits`; otherwise throws dossier::Error (upload.empty,
    /// upload.too_large, upload.type_not_allowed, upload.truncated, upload.corrupt,
    /// pdf.encrypted, pdf.corrupt, pdf.too_many_pages, pdf.page_too_large,
    /// pdf.image_too_large; `what` names the file in messages) and stores nothing. Then makes
    /// the blob durable (fsynced) and returns its digest: the caller's row must name it (the
    /// start-up sweep removes a blob no row names). Consumes `upload`.
    storage::StoredBlob storeCheckedPdf(std::unique_ptr<Upload> upload, std::uint64_t maxBytes,
                                        const PdfLimits& limits, const std::string& what);

    /// The document if `viewer` may read it; document.not_found otherwise (another
    /// organization's documents do not exist for the viewer).
    Document get(const Viewer& viewer, const std::string& id);
    /// The document's checks (pending ones included), under the same rule.
    std::vector<storage::CheckRow> checksOf(const Viewer& viewer, const std::string& id);

    /// The document's audit trail (upload, every download and reviewer preview), newest
    /// first, at most `limit` entries; under the same rule. The trail outlives the document:
    /// once deleted, its organization and reviewers still read it (the `document.delete`
    /// entry names the organization).
    std::vector<storage::AuditEntry> trailOf(const Viewer& viewer, const std::string& id,
                                             int limit = 200);

    /// The documents of the viewer's organization (every member's uploads), newest first,
    /// of `kind` unless empty (upload.kind_unknown for a kind Dossier does not know); `page`
    /// from 1, `perPage` 1–100 (the caller checks the ranges). Staff: auth.forbidden.
    storage::DocumentPage list(const Viewer& viewer, const std::string& kind, std::uint64_t page,
                               std::uint64_t perPage);
    /// Deletes a document of the viewer's organization (any member may): its row, checks and
    /// OCR text, with a `document.delete` audit entry, in one transaction; the blob's bytes
    /// go at the next start-up sweep once no row names its digest. document.in_use (409)
    /// while a filing or project uses it; document.not_found for another organization's;
    /// staff: auth.forbidden. This node forgets the row at once; other nodes within their
    /// cache's minute.
    void remove(const Viewer& viewer, const std::string& id);

    /// For other use cases, which apply their own access rules: no viewer check. Rows found
    /// (and rows this service committed) are kept in memory for a minute, at most 10,000 of
    /// them: a document row never changes once committed (see DocumentCache).
    Document find(const std::string& id);
    /// The metadata and the bytes, re-hashed first: a damaged blob throws
    /// storage.blob_corrupt rather than being served. No viewer check.
    DocumentContent openContent(const Document& document);

    const KindLimits& limits() const { return limits_; }

  private:
    storage::BlobStore& blobs_;
    storage::DocumentRepository& documents_;
    storage::CheckRepository& checks_;
    storage::AccountRepository& accounts_;
    AuditLog& audit_;
    std::function<void()> checksScheduled_;
    const Clock& clock_;
    const IdGenerator& ids_;
    KindLimits limits_;
    std::unique_ptr<DocumentCache> cache_;
};

}  // namespace dossier::filing
