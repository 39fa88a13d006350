#pragma once

#include <string>

#include "dossier/storage/BlobStore.h"
#include "dossier/storage/FileSystem.h"

namespace dossier::storage {

/// Blobs in a local directory: `<root>/ab/cd/<sha256>`, staged in `<root>/.staging` (same
/// filesystem, so the final rename is atomic). Write protocol: temp file → fsync → rename →
/// fsync of the target directory (and of any directory it had to create).
class LocalBlobStore final : public BlobStore {
  public:
    /// `fs` must outlive the store. Creates `root` and its staging directory.
    LocalBlobStore(FileSystem& fs, std::string root);

    std::unique_ptr<StagedBlob> stage() override;
    StoredBlob commit(StagedBlob& staged) override;
    std::unique_ptr<ByteSource> open(const std::string& sha256) override;
    void verify(const std::string& sha256) override;
    bool contains(const std::string& sha256) override;
    std::size_t sweepStaging(std::int64_t maxAgeSeconds) override;
    std::size_t sweepOrphans(const std::function<bool(const std::string&)>& isRecorded) override;

    const std::string& root() const { return root_; }
    std::string pathOf(const std::string& sha256) const;
    std::string stagingDirectory() const { return root_ + "/.staging"; }

  private:
    void ensureDirectory(const std::string& dir, const std::string& parent);

    FileSystem& fs_;
    std::string root_;
};

}  // namespace dossier::storage
