#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "dossier/core/Clock.h"
#include "dossier/filing/DocumentService.h"

namespace dossier::storage {
class BlobStore;
class DerivativeRepository;
}  // namespace dossier::storage

namespace dossier::filing {

class AuditLog;
class TracedCopyCache;

/// Watermarked copies and page previews. Each is generated once per source blob and
/// variant, stored in the blob store and indexed, and served from there afterwards; the
/// original is never modified. Thread-safe (two requests racing for the same new
/// derivative both generate it; the index keeps one, the bytes are identical).
class DerivativeService {
  public:
    static constexpr std::size_t kDefaultTracedCacheBytes = 128u << 20;

    /// `filingText`: the first line of the filing watermark, e.g. "仅用于备案审核".
    /// `tracedCacheBytes`: memory for reviewers' traced copies (0 = make each per request).
    DerivativeService(DocumentService& documents, storage::BlobStore& blobs,
                      storage::DerivativeRepository& index, AuditLog& audit, const Clock& clock,
                      std::string filingText,
                      std::size_t tracedCacheBytes = kDefaultTracedCacheBytes);
    ~DerivativeService();

    /// What `viewer` may download of a document, by variant:
    /// - "original": the uploaded bytes; the owning organization only.
    /// - "watermarked": the filing mark and the upload date (Beijing time), cached; the
    ///   owning organization only.
    /// - "review": the watermarked copy plus a trace mark naming the viewer, their account
    ///   and the hour (Beijing time, "2026-11-21 10:00–11:00 北京时间"). Made once per viewer,
    ///   document and hour, held in memory until the hour ends (TracedCopyCache: bounded by
    ///   `tracedCacheBytes`, least recently used evicted first), never written to disk and
    ///   never served to another viewer. The audit entry of each download names the exact
    ///   time and the digest of the bytes, so a leaked copy leads to its downloads. Files that
    ///   cannot be marked (DOCX, XLSX; never identity documents) are served as uploaded.
    /// - "" (none given): "original" for the owner, "review" for a reviewer.
    /// Nothing is written to the audit log here: the caller calls recordSent() for the bytes
    /// it actually sends. The returned document describes the bytes served. Throws
    /// document.not_found (not readable), variant.forbidden (403), variant.unknown (400) or
    /// variant.not_available (409).
    DocumentContent content(const Viewer& viewer, const std::string& id,
                            const std::string& variant);
    /// PNG preview of page `page` (1-based), `width` pixels wide, cached. Licenses are
    /// previewed from their watermarked copy; a reviewer's preview also carries their trace
    /// mark, made and held as review copies are. A reviewer's preview is audited (recordSent), the
    /// owner's is not. Throws page.not_found.
    DocumentContent preview(const Viewer& viewer, const std::string& id, int page, int width);
    /// Appends the audit entry of `content` (from content() or preview()) for bytes about to
    /// be sent: `length` bytes from `first`; `partial` when they answer a Range request (the
    /// entry then names the range). Called only when bytes go out — not for HEAD, 304 or an
    /// error — and before the body is written, so a download whose entry cannot be written is
    /// answered 500 and sends nothing. A client that disconnects mid-body is still recorded
    /// with the length that was due. Throws what AuditLog::record throws.
    void recordSent(const Viewer& viewer, const DocumentContent& content, std::uint64_t first,
                    std::uint64_t length, bool partial);
    /// Whether content() for this viewer and variant is made per request (not cacheable).
    static bool isPersonal(const Viewer& viewer, const Document& document,
                           const std::string& variant);

  private:
    DocumentContent derived(const Document& source, const std::string& variant,
                            const std::function<std::string(const std::string&)>& make,
                            MediaType type, const std::string& nameSuffix);
    std::string readAll(const Document& doc);
    DocumentContent watermarked(const Document& doc);
    DocumentContent review(const Viewer& viewer, const Document& doc);
    DocumentContent previewOf(const Document& doc, int page, int width);

    DocumentService& documents_;
    storage::BlobStore& blobs_;
    storage::DerivativeRepository& index_;
    AuditLog& audit_;
    const Clock& clock_;
    std::string filingText_;
    std::unique_ptr<TracedCopyCache> traced_;
};

}  // namespace dossier::filing
