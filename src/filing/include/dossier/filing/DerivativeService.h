#pragma once

#include <string>

#include "dossier/core/Clock.h"
#include "dossier/filing/DocumentService.h"

namespace dossier::storage {
class BlobStore;
class DerivativeRepository;
}  // namespace dossier::storage

namespace dossier::filing {

/// Watermarked copies and page previews. Each is generated once per source blob and
/// variant, stored in the blob store and indexed, and served from there afterwards; the
/// original is never modified. Thread-safe (two requests racing for the same new
/// derivative both generate it; the index keeps one, the bytes are identical).
class DerivativeService {
public:
    /// `filingText`: the first line of the filing watermark, e.g. "仅用于备案审核".
    DerivativeService(DocumentService& documents, storage::BlobStore& blobs,
                      storage::DerivativeRepository& index, const Clock& clock,
                      std::string filingText);

    /// variant: "original" or "watermarked" (the filing mark and the upload date, Beijing
    /// time). The returned document describes the bytes served (their digest, size, type).
    /// Throws variant.unknown (400) or variant.not_available (409) for types it cannot mark.
    DocumentContent content(const std::string& id, const std::string& variant);
    /// PNG preview of page `page` (1-based), `width` pixels wide. Licenses are previewed
    /// from their watermarked copy. Throws page.not_found.
    DocumentContent preview(const std::string& id, int page, int width);

private:
    DocumentContent derived(const Document& source, const std::string& variant,
                            const std::function<std::string(const std::string&)>& make,
                            MediaType type, const std::string& nameSuffix);
    std::string readAll(const Document& doc);

    DocumentService& documents_;
    storage::BlobStore& blobs_;
    storage::DerivativeRepository& index_;
    const Clock& clock_;
    std::string filingText_;
};

}  // namespace dossier::filing
