#include "dossier/filing/DocumentService.h"

#include "DocumentCache.h"
#include "UploadMessages.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cmath>

#include "dossier/core/CreditCode.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/FileName.h"
#include "dossier/core/IdGenerator.h"
#include "dossier/core/Utf8.h"
#include "dossier/evidence/ImageVerifier.h"
#include "dossier/evidence/PdfDocument.h"
#include "dossier/evidence/TypeSniffer.h"
#include "dossier/filing/AuditLog.h"
#include "dossier/storage/AccountRepository.h"
#include "dossier/storage/BlobStore.h"
#include "dossier/storage/DocumentRepository.h"
#include "dossier/watermark/MagickRuntime.h"
#include "dossier/watermark/PdfStamper.h"

namespace dossier::filing {
namespace {

// Document rows never change, so the TTL is long next to the session cache's; it only bounds
// how long a future deletion on another node could go unseen here.
constexpr std::int64_t kDocumentCacheMicros = 60LL * 1000 * 1000;
constexpr std::size_t kDocumentCacheEntries = 10'000;  // ~400 bytes each

std::string kindsList() {
    std::string out;
    for (DocumentKind k : kAllDocumentKinds) {
        if (!out.empty()) out += ", ";
        out += nameOf(k);
    }
    return out;
}

std::string typesList(DocumentKind kind) {
    std::string out;
    auto types = allowedTypesOf(kind);
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (i > 0) out += (i + 1 == types.size()) ? " or " : ", ";
        out += displayNameOf(types[i]);
    }
    return out;
}

DocumentKind requireKind(const std::string& name) {
    if (name.empty()) {
        throw Error(codes::kUploadKindUnknown,
                    "The form field 'kind' is required (one of: " + kindsList() + ").");
    }
    auto kind = parseDocumentKind(name);
    if (!kind) {
        throw Error(codes::kUploadKindUnknown,
                    "The document kind is not one of: " + kindsList() + ".", "kind=" + name);
    }
    return *kind;
}

/// A license is compared with what its organization registered.
CheckInputs requireCheckInputs(const UploadClaims& claims,
                               const std::optional<storage::OrganizationRow>& organization) {
    CheckInputs in;
    if (organization) {
        in.declaredCreditCode = organization->creditCode;
        in.declaredName = organization->name;
    }
    if (!claims.expectedSeals.empty()) {
        const std::string& e = claims.expectedSeals;
        if (e.size() != 1 || e[0] < '1' || e[0] > '3') {
            throw Error(codes::kUploadFieldInvalid, "expected_seals must be 1, 2 or 3.");
        }
        in.expectedSeals = e[0] - '0';
    }
    return in;
}

std::string millimetres(double points) { return std::to_string(std::lround(points / 72 * 25.4)); }

/// One decision for the whole pipeline: a PDF is accepted only if both libraries that later
/// steps use open it — qpdf (marked and review copies) and poppler (previews and checks) —
/// reading it as they will (pdfWithoutTrailingJunk), and it keeps within its kind's page
/// and image limits. What is accepted here, every later step can process; anything else is
/// refused now with a code (pdf.encrypted, pdf.corrupt, pdf.too_many_pages,
/// pdf.page_too_large, pdf.image_too_large) instead of failing a reviewer later.
/// Returns whether the PDF carries a digital signature.
/// `what` names the PDF in messages, lower-case ("a PDF of kind 'proof'").
bool requirePdfWithin(const ByteSource& source, const PdfLimits& limits, const std::string& what) {
    std::string bytes(source.size(), '\0');
    bytes.resize(source.readAt(0, bytes.data(), bytes.size()));
    std::string sentence = what;  // `what` opening a sentence
    if (!sentence.empty() && sentence[0] >= 'a' && sentence[0] <= 'z') {
        sentence[0] = static_cast<char>(sentence[0] - 'a' + 'A');
    }
    auto facts = watermark::PdfStamper::inspect(bytes, static_cast<std::size_t>(limits.maxPages));
    if (facts.pageCount > static_cast<std::size_t>(limits.maxPages)) {
        throw Error(codes::kPdfTooManyPages,
                    sentence + " may have at most " + std::to_string(limits.maxPages) +
                        (limits.maxPages == 1 ? " page" : " pages") + "; this one has " +
                        std::to_string(facts.pageCount) +
                        (limits.maxPages == 1 ? "." : ". Split it into several uploads."));
    }
    for (std::size_t i = 0; i < facts.pages.size(); ++i) {
        const auto& box = facts.pages[i];
        if (std::max(box.width, box.height) > limits.maxPageSide) {
            throw Error(codes::kPdfPageTooLarge,
                        "Page " + std::to_string(i + 1) + " is " + millimetres(box.width) + " × " +
                            millimetres(box.height) + " mm; " + what + " may have pages up to " +
                            millimetres(limits.maxPageSide) + " mm on their longer side.");
        }
    }
    if (facts.largestImagePixels > limits.maxImagePixels) {
        throw Error(
            codes::kPdfImageTooLarge,
            "The PDF holds an image of " + std::to_string(facts.largestImagePixels / 1'000'000) +
                " million pixels; at most " + std::to_string(limits.maxImagePixels / 1'000'000) +
                " million are accepted. Scan at a lower resolution.");
    }
    evidence::PdfDocument::load(bytes);
    return facts.signatures;
}

bool requireProcessablePdf(const ByteSource& source, DocumentKind kind) {
    return requirePdfWithin(source, pdfLimitsOf(kind),
                            "a PDF of kind '" + std::string(nameOf(kind)) + "'");
}

/// The same decision for images: the whole image is decoded once, row by row (bounded memory),
/// within the pixel limits every later step decodes within (ImageMagick's for previews and
/// marks; the checks' PageImage::decode uses the same 80 Mpx), so an image accepted here never
/// fails a reviewer's copy or a check with image.corrupt later. Refused: upload.image_too_large,
/// upload.truncated, upload.corrupt.
void requireDecodableImage(const ByteSource& source, MediaType type) {
    std::string bytes(source.size(), '\0');
    bytes.resize(source.readAt(0, bytes.data(), bytes.size()));
    const auto& magick = watermark::MagickRuntime::limits();
    evidence::ImageDecodeLimits limits{magick.maxWidth, magick.maxHeight, magick.maxPixels};
    evidence::ImageVerifier::requireDecodable(bytes, type, limits);
}

/// The organization a `document.delete` entry's details name ("" when none).
std::string deletedOrganization(const std::string& detailJson) {
    try {
        auto details = Poco::JSON::Parser().parse(detailJson).extract<Poco::JSON::Object::Ptr>();
        return details->optValue<std::string>("organization_id", "");
    } catch (const std::exception&) {
        return {};
    }
}

void requireIntact(const evidence::SniffResult& sniffed) {
    if (sniffed.integrity == evidence::Integrity::Truncated) {
        throw Error(codes::kUploadTruncated, sniffed.note + " Upload the complete file.");
    }
    if (sniffed.integrity == evidence::Integrity::Corrupt) {
        throw Error(codes::kUploadCorrupt, sniffed.note + " Upload an undamaged copy.");
    }
}

}  // namespace

bool ownsDocument(const Viewer& viewer, const Document& document) {
    return viewer.role == Role::Applicant && !viewer.organizationId.empty() &&
           viewer.organizationId == document.organizationId;
}

bool mayRead(const Viewer& viewer, const Document& document) {
    return viewer.role == Role::Reviewer || ownsDocument(viewer, document);
}

DocumentService::DocumentService(storage::BlobStore& blobs, storage::DocumentRepository& documents,
                                 storage::CheckRepository& checks,
                                 storage::AccountRepository& accounts, AuditLog& audit,
                                 const Clock& clock, const IdGenerator& ids, KindLimits limits)
    : blobs_(blobs),
      documents_(documents),
      checks_(checks),
      accounts_(accounts),
      audit_(audit),
      clock_(clock),
      ids_(ids),
      limits_(limits),
      cache_(std::make_unique<DocumentCache>(clock, kDocumentCacheMicros, kDocumentCacheEntries)) {}

DocumentService::~DocumentService() = default;

void DocumentService::requireUploader(const Viewer& viewer) const {
    if (viewer.role != Role::Applicant) {
        throw Error(codes::kAuthForbidden,
                    "Only an organization's applicant accounts upload documents.");
    }
    if (viewer.organizationId.empty()) {
        throw Error(codes::kOrganizationMembershipRequired,
                    "Documents belong to an organization, and this personal account belongs to "
                    "none: join one first (POST /api/v1/organizations/{id}/join-requests).");
    }
}

std::unique_ptr<Upload> DocumentService::beginUpload() {
    return std::make_unique<Upload>(blobs_.stage(), limits_.largest());
}

Document DocumentService::completeUpload(const Viewer& viewer, std::unique_ptr<Upload> upload,
                                         const UploadClaims& claims) {
    requireUploader(viewer);
    DocumentKind kind = requireKind(claims.kind);
    CheckInputs inputs = requireCheckInputs(claims, accounts_.organization(viewer.organizationId));
    std::uint64_t size = upload->size();
    if (size == 0) throw Error(codes::kUploadEmpty, "The uploaded file is empty.");
    std::uint64_t limit = limits_.limitOf(kind);
    if (size > limit) {
        throw Error(codes::kUploadTooLarge, "A document of kind '" + std::string(nameOf(kind)) +
                                                "' may be at most " + formatBytes(limit) +
                                                "; this file is " + formatBytes(size) + ".");
    }
    auto& staged = upload->staged();
    staged.finish();
    auto sniffed = evidence::TypeSniffer::sniff(staged.contents());
    if (sniffed.type == MediaType::Unknown) {
        std::string what =
            sniffed.note.empty() ? "not a JPEG, PNG, PDF, DOCX or XLSX file" : sniffed.note;
        throw Error(codes::kUploadTypeNotAllowed, "The file is " + what + ". Kind '" +
                                                      std::string(nameOf(kind)) + "' accepts " +
                                                      typesList(kind) + ".");
    }
    requireIntact(sniffed);
    if (!isAllowed(kind, sniffed.type)) {
        std::string what = std::string(displayNameOf(sniffed.type)) +
                           (sniffed.note.empty() ? "" : " (" + sniffed.note + ")");
        throw Error(codes::kUploadTypeNotAllowed, "Kind '" + std::string(nameOf(kind)) +
                                                      "' accepts " + typesList(kind) +
                                                      "; this file is " + what + ".");
    }
    if (sniffed.type == MediaType::Jpeg || sniffed.type == MediaType::Png) {
        requireDecodableImage(staged.contents(), sniffed.type);
    }
    bool signedPdf =
        sniffed.type == MediaType::Pdf && requireProcessablePdf(staged.contents(), kind);
    // The content decides the type; the name and the declared Content-Type are claims
    // (phones and chat apps save JPEGs as .png). The name is kept, and downloads carry the
    // extension of the content (downloadFileName).
    std::string safeName = sanitizeFileName(claims.fileName);
    if (safeName.empty()) safeName = "document." + std::string(extensionOf(sniffed.type));
    std::string downloadName = downloadFileName(safeName, sniffed.type);

    auto stored = blobs_.commit(staged);  // durable before the row that points at it
    Document doc;
    doc.id = ids_.next();
    doc.sha256 = stored.sha256;
    doc.size = stored.size;
    doc.mediaType = sniffed.type;
    doc.kind = kind;
    doc.originalName = safeName;
    doc.createdAtMicros = clock_.nowMicros();
    doc.organizationId = viewer.organizationId;
    doc.uploadedBy = viewer.accountId;
    doc.signedPdf = signedPdf;
    auto planned = plannedChecks(kind, sniffed.type, inputs);
    // The check jobs and the audit entry commit with the document, or none of them does.
    documents_.insert(
        doc, planned,
        audit_.entry(viewer.accountId, "document.upload", "document:" + doc.id,
                     {{"kind", std::string(nameOf(kind))},
                      {"sha256", doc.sha256},
                      {"download_name", downloadName},
                      {"name_corrected", downloadName != safeName ? "true" : "false"}}));
    cache_->remember(doc);
    if (!planned.empty() && checksScheduled_) checksScheduled_();
    return doc;
}

storage::StoredBlob DocumentService::storeCheckedPdf(std::unique_ptr<Upload> upload,
                                                     std::uint64_t maxBytes,
                                                     const PdfLimits& limits,
                                                     const std::string& what) {
    std::uint64_t size = upload->size();
    if (size == 0) throw Error(codes::kUploadEmpty, "The uploaded file is empty.");
    if (size > maxBytes) {
        throw Error(codes::kUploadTooLarge, "The " + what + " may be at most " +
                                                formatBytes(maxBytes) + "; this file is " +
                                                formatBytes(size) + ".");
    }
    auto& staged = upload->staged();
    staged.finish();
    auto sniffed = evidence::TypeSniffer::sniff(staged.contents());
    if (sniffed.type != MediaType::Pdf) {
        std::string is = sniffed.type == MediaType::Unknown
                             ? (sniffed.note.empty() ? "not a PDF" : sniffed.note)
                             : std::string(displayNameOf(sniffed.type));
        throw Error(codes::kUploadTypeNotAllowed,
                    "The " + what + " must be a PDF; this file is " + is + ".");
    }
    requireIntact(sniffed);
    requirePdfWithin(staged.contents(), limits, "the " + what);
    return blobs_.commit(staged);  // durable before the caller's row points at it
}

Document DocumentService::find(const std::string& id) {
    std::optional<Document> doc;
    if (IdGenerator::isWellFormed(id)) {
        doc = cache_->find(id);
        if (!doc) {
            doc = documents_.find(id);
            if (doc) cache_->remember(*doc);
        }
    }
    if (!doc) throw Error(codes::kDocumentNotFound, "No document has this id.", "id=" + id);
    return std::move(*doc);
}

Document DocumentService::get(const Viewer& viewer, const std::string& id) {
    Document doc = find(id);
    if (!mayRead(viewer, doc)) {
        throw Error(codes::kDocumentNotFound, "No document has this id.",
                    "id=" + id + " hidden from account " + viewer.accountId);
    }
    return doc;
}

std::vector<storage::CheckRow> DocumentService::checksOf(const Viewer& viewer,
                                                         const std::string& id) {
    get(viewer, id);
    return checks_.forDocument(id);
}

std::vector<storage::AuditEntry> DocumentService::trailOf(const Viewer& viewer,
                                                          const std::string& id, int limit) {
    try {
        get(viewer, id);
    } catch (const Error& e) {
        if (e.code() != codes::kDocumentNotFound || !IdGenerator::isWellFormed(id)) throw;
        // A deleted document's trail stays readable to whom the document was: its
        // organization (named by the deletion's entry) and reviewers.
        auto entries = audit_.forTarget("document:" + id, limit);
        for (const auto& entry : entries) {
            if (entry.action != "document.delete") continue;
            Document gone;
            gone.organizationId = deletedOrganization(entry.detailJson);
            if (!gone.organizationId.empty() && mayRead(viewer, gone)) return entries;
        }
        throw;
    }
    return audit_.forTarget("document:" + id, limit);
}

storage::DocumentPage DocumentService::list(const Viewer& viewer, const std::string& kind,
                                            std::uint64_t page, std::uint64_t perPage) {
    requireUploader(viewer);
    if (!kind.empty() && !parseDocumentKind(kind)) {
        throw Error(codes::kRequestMalformed, "kind must be one of: " + kindsList() + ".",
                    "kind=" + kind);
    }
    return documents_.list(viewer.organizationId, kind, (page - 1) * perPage, perPage);
}

void DocumentService::remove(const Viewer& viewer, const std::string& id) {
    requireUploader(viewer);
    Document doc = get(viewer, id);
    auto result = documents_.remove(
        id, viewer.organizationId, [&](const storage::DocumentDeletion& deletion) {
            return audit_.entry(viewer.accountId, "document.delete", "document:" + id,
                                {{"organization_id", doc.organizationId},
                                 {"kind", std::string(nameOf(doc.kind))},
                                 {"sha256", doc.sha256},
                                 {"original_name", doc.originalName},
                                 {"uploaded_by", doc.uploadedBy},
                                 {"blob_released", deletion.blobReleased ? "true" : "false"}});
        });
    using Outcome = storage::DocumentDeletion::Outcome;
    if (result.outcome == Outcome::InUse) {
        std::string users;
        for (const auto& u : result.usedBy) users += (users.empty() ? "" : ", ") + u;
        throw Error(codes::kDocumentInUse,
                    users.empty() ? "The document is in use and cannot be deleted."
                                  : "The document is used by " + users +
                                        "; remove it there first, then delete it.",
                    "id=" + id);
    }
    cache_->forget(id);
    if (result.outcome == Outcome::NotFound) {
        throw Error(codes::kDocumentNotFound, "No document has this id.", "id=" + id);
    }
}

DocumentContent DocumentService::openContent(const Document& doc) {
    blobs_.verify(doc.sha256);
    return DocumentContent{
        doc, blobs_.open(doc.sha256), downloadFileName(doc.originalName, doc.mediaType), {}, {}};
}

}  // namespace dossier::filing
