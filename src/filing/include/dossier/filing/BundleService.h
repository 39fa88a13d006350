#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/core/Account.h"
#include "dossier/filing/DocumentService.h"
#include "dossier/storage/BundleWriter.h"

namespace dossier::storage {
class BlobStore;
}

namespace dossier::filing {

class DerivativeService;

/// A file made for the bundle rather than uploaded (the book, its Word version), held in
/// memory: rendered documents are small.
struct MadeFile {
    std::string name;       // e.g. "申报书.pdf"
    std::string mediaType;  // IANA
    std::string bytes;
};

/// A bundle with everything that can be refused already decided, ready to stream.
struct PreparedBundle {
    std::string archiveName;  // "{organization full name}.zip"
    std::vector<storage::BundleEntry> entries;
    /// The documents' downloads, audited when the bundle goes out (bytes closed: each entry
    /// is opened again by digest when its turn comes).
    std::vector<DocumentContent> documents;
    std::int64_t modifiedUnixSeconds = 0;
};

/// An organization's files as one ZIP named after it (issue 12, bundle.zip): the files made
/// for it first, then the documents in the order given — for its own members each as they
/// download it, licenses as their watermarked copy (the filing mark applicants used to add by
/// hand); for a reviewer each as their review copy, trace-marked with their name (never an
/// original) — and manifest.json (storage::BundleWriter). Thread-safe.
class BundleService {
  public:
    /// References must outlive the service.
    BundleService(DocumentService& documents, DerivativeService& derivatives,
                  storage::BlobStore& blobs);

    /// Everything that can fail before the first byte is sent: each document must be
    /// readable by the viewer (document.not_found otherwise, as for a download: the
    /// viewer's organization's, or any for a reviewer — who decides which application they
    /// may bundle is the caller), a license's watermarked copy is made if it is not yet (its
    /// cost is paid once), a reviewer's review copies are made (held in memory for the hour,
    /// see DerivativeService), every stored file is verified against its digest
    /// (storage.blob_corrupt).
    /// `modifiedUnixSeconds` is every entry's time (the submission instant for a submitted
    /// application: the same bundle bytes every time).
    PreparedBundle prepare(const Viewer& viewer, std::string_view organizationName,
                           std::vector<MadeFile> made, const std::vector<std::string>& documentIds,
                           std::int64_t modifiedUnixSeconds);

    /// Records each document's download in the audit log (before any of its bytes go out,
    /// as a single download does: the owner's all at the start, a reviewer's copy when its
    /// turn comes, with its digest), then streams the bundle into `out`. Throws what
    /// DerivativeService::recordSent and storage::BundleWriter::write throw.
    storage::BundleSummary write(const Viewer& viewer, PreparedBundle& bundle, std::ostream& out);

  private:
    DocumentService& documents_;
    DerivativeService& derivatives_;
    storage::BlobStore& blobs_;
};

}  // namespace dossier::filing
