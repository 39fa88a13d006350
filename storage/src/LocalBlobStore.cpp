#include "dossier/storage/LocalBlobStore.h"

#include <ctime>
#include <vector>

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/storage/Sha256.h"

namespace dossier::storage {
namespace {

void requireDigest(const std::string& sha256) {
    if (!Sha256::isHexDigest(sha256)) {
        throw Error(codes::kBlobMissing, "The stored file is missing.", "bad digest " + sha256);
    }
}

}  // namespace

LocalBlobStore::LocalBlobStore(FileSystem& fs, std::string root) : fs_(fs), root_(std::move(root)) {
    while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
    fs_.createDirectories(stagingDirectory());
}

std::string LocalBlobStore::pathOf(const std::string& sha256) const {
    return root_ + "/" + sha256.substr(0, 2) + "/" + sha256.substr(2, 2) + "/" + sha256;
}

std::unique_ptr<StagedBlob> LocalBlobStore::stage() {
    return std::make_unique<StagedBlob>(fs_, fs_.createTemp(stagingDirectory(), "upload-"));
}

void LocalBlobStore::ensureDirectory(const std::string& dir, const std::string& parent) {
    if (fs_.exists(dir)) return;
    fs_.createDirectories(dir);
    fs_.syncDirectory(parent);  // make the new directory entry itself durable
}

StoredBlob LocalBlobStore::commit(StagedBlob& staged) {
    staged.finish();
    const std::string& digest = staged.sha256();
    StoredBlob result{digest, staged.size(), false};
    std::string target = pathOf(digest);
    if (fs_.exists(target)) {
        // Identical bytes are already durable; the staged copy is dropped by its destructor.
        return result;
    }
    std::string level1 = root_ + "/" + digest.substr(0, 2);
    std::string level2 = level1 + "/" + digest.substr(2, 2);
    ensureDirectory(level1, root_);
    ensureDirectory(level2, level1);
    staged.syncAndClose();
    fs_.rename(staged.tempPath(), target);
    staged.markConsumed();
    fs_.syncDirectory(level2);
    result.newlyStored = true;
    return result;
}

std::unique_ptr<ByteSource> LocalBlobStore::open(const std::string& sha256) {
    requireDigest(sha256);
    std::string path = pathOf(sha256);
    if (!fs_.exists(path)) {
        throw Error(codes::kBlobMissing, "The stored file is missing.", "no blob " + path);
    }
    return fs_.openRead(path);
}

void LocalBlobStore::verify(const std::string& sha256) {
    auto source = open(sha256);
    Sha256 hash;
    std::vector<char> buf(1 << 16);
    std::uint64_t offset = 0;
    for (;;) {
        std::size_t n = source->readAt(offset, buf.data(), buf.size());
        if (n == 0) break;
        hash.update(buf.data(), n);
        offset += n;
    }
    std::string actual = hash.hexDigest();
    if (actual != sha256) {
        throw Error(codes::kBlobCorrupt, "The stored file is damaged and cannot be served.",
                    "blob " + sha256 + " hashes to " + actual);
    }
}

bool LocalBlobStore::contains(const std::string& sha256) {
    return Sha256::isHexDigest(sha256) && fs_.exists(pathOf(sha256));
}

std::size_t LocalBlobStore::sweepStaging(std::int64_t maxAgeSeconds) {
    std::size_t removed = 0;
    std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    for (const auto& name : fs_.listFiles(stagingDirectory())) {
        std::string path = stagingDirectory() + "/" + name;
        try {
            if (now - fs_.modifiedAt(path) >= maxAgeSeconds) {
                fs_.remove(path);
                ++removed;
            }
        } catch (const Error&) {
            // Raced with its owner finishing; nothing to sweep.
        }
    }
    return removed;
}

std::size_t LocalBlobStore::sweepOrphans(
    const std::function<bool(const std::string&)>& isRecorded) {
    static const char* kHex = "0123456789abcdef";
    std::size_t removed = 0;
    for (int a = 0; a < 256; ++a) {
        std::string first{kHex[a >> 4], kHex[a & 15]};
        if (!fs_.exists(root_ + "/" + first)) continue;
        for (int b = 0; b < 256; ++b) {
            std::string second{kHex[b >> 4], kHex[b & 15]};
            std::string dir = root_ + "/" + first + "/" + second;
            for (const auto& name : fs_.listFiles(dir)) {
                // Only names of the store's own shape; anything else is not ours to judge.
                bool blobName = name.size() == 64 && name.compare(0, 2, first) == 0 &&
                                name.compare(2, 2, second) == 0 &&
                                name.find_first_not_of(kHex) == std::string::npos;
                if (blobName && !isRecorded(name)) {
                    fs_.remove(dir + "/" + name);
                    ++removed;
                }
            }
        }
    }
    return removed;
}

}  // namespace dossier::storage
