#include "dossier/storage/BundleWriter.h"

#include <ctime>
#include <stdexcept>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/core/FileName.h"
#include "dossier/core/JsonString.h"
#include "dossier/core/MediaType.h"
#include "dossier/core/MemorySource.h"
#include "dossier/storage/BlobStore.h"
#include "dossier/storage/Sha256.h"
#include "dossier/storage/ZipEntryNames.h"
#include "dossier/storage/ZipStreamWriter.h"

namespace dossier::storage {
namespace {

constexpr std::string_view kManifestName = "manifest.json";
constexpr std::int32_t kBeijingOffsetSeconds = 8 * 3600;  // no daylight saving since 1991

std::string utcInstant(std::int64_t unixSeconds) {
    std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/// The manifest, one entry per line so it reads in a text editor and diffs line by line.
std::string manifestJson(std::string_view archive, std::int64_t created,
                         const std::vector<BundleFile>& files) {
    std::string out = "{\n  \"archive\": ";
    appendJsonString(out, archive);
    out += ",\n  \"created\": ";
    appendJsonString(out, utcInstant(created));
    out += ",\n  \"entries\": [";
    for (std::size_t i = 0; i < files.size(); ++i) {
        const BundleFile& f = files[i];
        out += i == 0 ? "\n    {\"name\": " : ",\n    {\"name\": ";
        appendJsonString(out, f.name);
        out += ", \"media_type\": ";
        appendJsonString(out, f.mediaType);
        out += ", \"size\": " + std::to_string(f.size) + ", \"sha256\": ";
        appendJsonString(out, f.sha256);
        out += "}";
    }
    out += files.empty() ? "]\n}\n" : "\n  ]\n}\n";
    return out;
}

/// The name an entry gets when nothing of its own name is usable: 未命名 with its type's
/// extension.
std::string fallbackName(std::string_view mediaType) {
    std::string_view ext = extensionOf(mediaTypeFromMime(mediaType));
    return ext.empty() ? std::string("未命名") : "未命名." + std::string(ext);
}

}  // namespace

BundleWriter::BundleWriter(BlobStore& blobs) : blobs_(blobs) {}

std::string BundleWriter::archiveName(std::string_view organizationName) {
    // A name is not a path: a '/' in it is kept as a character, not taken as a folder.
    std::string whole(organizationName);
    for (char& c : whole) {
        if (c == '/' || c == '\\') c = '_';
    }
    std::string name = ZipEntryNames::safeName(whole);
    if (name.empty()) return "bundle.zip";
    return fitFileName(name, "", ".zip");
}

BundleSummary BundleWriter::write(std::ostream& out, std::string_view archiveName,
                                  const std::vector<BundleEntry>& entries,
                                  std::int64_t modifiedUnixSeconds) const {
    ZipStreamWriter zip(
        out, zip::DosDateTime::fromUnixSeconds(modifiedUnixSeconds, kBeijingOffsetSeconds));
    ZipEntryNames names;
    names.reserve(kManifestName);
    BundleSummary summary;
    summary.files.reserve(entries.size());
    for (const BundleEntry& entry : entries) {
        if (entry.blobSha256.empty() && !entry.open) {
            throw std::invalid_argument("bundle entry without bytes: " + entry.name);
        }
        std::unique_ptr<ByteSource> source =
            entry.blobSha256.empty() ? entry.open() : blobs_.open(entry.blobSha256);
        if (!source) throw std::invalid_argument("bundle entry without bytes: " + entry.name);
        BundleFile file;
        file.name = names.assign(entry.name, fallbackName(entry.mediaType));
        file.mediaType = entry.mediaType;
        Sha256 digest;
        const auto& info =
            zip.addEntry(file.name, ZipStreamWriter::methodFor(entry.mediaType), *source,
                         [&](const void* data, std::size_t n) { digest.update(data, n); });
        file.size = info.size;
        file.sha256 = digest.hexDigest();
        if (!entry.blobSha256.empty() && file.sha256 != entry.blobSha256) {
            throw Error(codes::kBlobCorrupt, "A stored file no longer matches its digest.",
                        "blob " + entry.blobSha256 + " read as " + file.sha256 +
                            " while streaming a bundle");
        }
        summary.files.push_back(std::move(file));
    }
    MemorySource manifest(manifestJson(archiveName, modifiedUnixSeconds, summary.files));
    zip.addEntry(std::string(kManifestName), zip::Method::Deflate, manifest);
    zip.finish();
    summary.bytes = zip.bytesWritten();
    return summary;
}

}  // namespace dossier::storage
