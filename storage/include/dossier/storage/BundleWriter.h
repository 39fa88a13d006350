#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/core/ByteSource.h"

namespace dossier::storage {

class BlobStore;

/// One file to put in a bundle.
struct BundleEntry {
    /// The name the applicant knows it by (an upload's name, "申报书.pdf"); made safe and
    /// unique by ZipEntryNames, so any client-supplied name will do.
    std::string name;
    /// IANA media type: decides store or deflate, and is listed in the manifest.
    std::string mediaType;
    /// The bytes: a stored blob by its SHA-256 (checked while streaming), or, when empty,
    /// what `open` returns (a rendered book, a watermarked copy). `open` is called when the
    /// entry's turn comes, so one source at a time is open.
    std::string blobSha256;
    std::function<std::unique_ptr<ByteSource>()> open;
};

/// What a finished bundle holds, as its manifest lists it.
struct BundleFile {
    std::string name;  // in the archive
    std::string mediaType;
    std::uint64_t size = 0;
    std::string sha256;
};

struct BundleSummary {
    std::vector<BundleFile> files;  // in archive order, manifest.json not included
    std::uint64_t bytes = 0;        // of the whole archive
};

/// Streams an application's bundle (issue 12: the ZIP named after the organization that
/// replaces the RAR applicants e-mailed): every entry in the order given, then
/// `manifest.json` listing each entry's name, media type, size and SHA-256 (hashed while
/// its bytes go out, so the manifest describes exactly what was sent). Nothing is held
/// whole in memory; see ZipStreamWriter for the archive's form and memory. The same entries
/// and instant give the same bytes. Thread-safe (no state between calls).
class BundleWriter {
  public:
    /// `blobs` is not owned and must outlive the writer.
    explicit BundleWriter(BlobStore& blobs);

    /// The archive's file name: the organization's full name as a safe file name plus
    /// ".zip" (seed 004: "以申报企业全称命名"), '/' and '\' in it as '_' (a name, not a
    /// path), NFC; "bundle.zip" if the name leaves nothing.
    static std::string archiveName(std::string_view organizationName);

    /// Writes the bundle to `out` (not owned; not seekable is fine). `modifiedUnixSeconds`
    /// (UTC) is every entry's time, shown in Beijing time, and the manifest's `created`.
    /// Throws what ZipStreamWriter throws, storage.blob_missing for a blob not stored,
    /// storage.blob_corrupt for a blob whose bytes no longer match its digest (found at its
    /// end: bytes already sent stay sent, and the archive is left without its central
    /// directory so no reader takes it as whole).
    BundleSummary write(std::ostream& out, std::string_view archiveName,
                        const std::vector<BundleEntry>& entries,
                        std::int64_t modifiedUnixSeconds) const;

  private:
    BlobStore& blobs_;
};

}  // namespace dossier::storage
