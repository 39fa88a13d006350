#include "dossier/filing/BundleService.h"

#include <memory>

#include "dossier/core/MediaType.h"
#include "dossier/core/MemorySource.h"
#include "dossier/filing/DerivativeService.h"

namespace dossier::filing {

BundleService::BundleService(DocumentService& documents, DerivativeService& derivatives,
                             storage::BlobStore& blobs)
    : documents_(documents), derivatives_(derivatives), blobs_(blobs) {}

PreparedBundle BundleService::prepare(const Viewer& viewer, std::string_view organizationName,
                                      std::vector<MadeFile> made,
                                      const std::vector<std::string>& documentIds,
                                      std::int64_t modifiedUnixSeconds) {
    PreparedBundle bundle;
    bundle.archiveName = storage::BundleWriter::archiveName(organizationName);
    bundle.modifiedUnixSeconds = modifiedUnixSeconds;
    for (MadeFile& file : made) {
        auto bytes = std::make_shared<const std::string>(std::move(file.bytes));
        bundle.entries.push_back({std::move(file.name), std::move(file.mediaType), "",
                                  [bytes] { return std::make_unique<MemorySource>(*bytes); }});
    }
    for (const std::string& id : documentIds) {
        Document doc = documents_.get(viewer, id);
        if (!ownsDocument(viewer, doc)) {
            // A reviewer's copy: the review variant, marked with their name (a license also
            // with the filing mark; never an original). Made now, so a refusal comes before
            // the first byte; held in memory for the hour (TracedCopyCache), so it is opened
            // again — one at a time — when its turn comes, and its download recorded then,
            // with the digest of exactly the bytes that go out.
            DocumentContent probe = derivatives_.content(viewer, id, "review");
            Viewer reader = viewer;
            bundle.entries.push_back(
                {probe.fileName, std::string(mimeOf(probe.document.mediaType)), "",
                 [this, reader, id]() -> std::unique_ptr<ByteSource> {
                     DocumentContent c = derivatives_.content(reader, id, "review");
                     derivatives_.recordSent(reader, c, 0, c.document.size, false);
                     return std::move(c.bytes);
                 }});
            continue;
        }
        // The owner's two variants: a license goes out with the filing mark, as every copy
        // of it leaving Dossier does; the rest as uploaded.
        bool license = doc.kind == DocumentKind::License;
        DocumentContent content =
            derivatives_.content(viewer, id, license ? "watermarked" : "original");
        content.bytes.reset();  // opened again by digest when its turn comes
        bundle.entries.push_back({content.fileName,
                                  std::string(mimeOf(content.document.mediaType)),
                                  content.document.sha256,
                                  {}});
        bundle.documents.push_back(std::move(content));
    }
    return bundle;
}

storage::BundleSummary BundleService::write(const Viewer& viewer, PreparedBundle& bundle,
                                            std::ostream& out) {
    for (const DocumentContent& content : bundle.documents) {
        derivatives_.recordSent(viewer, content, 0, content.document.size, false);
    }
    return storage::BundleWriter(blobs_).write(out, bundle.archiveName, bundle.entries,
                                               bundle.modifiedUnixSeconds);
}

}  // namespace dossier::filing
