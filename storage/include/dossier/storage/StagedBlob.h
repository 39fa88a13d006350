#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "dossier/core/ByteSource.h"
#include "dossier/storage/FileSystem.h"
#include "dossier/storage/Sha256.h"

namespace dossier::storage {

/// Bytes being received, written to a temp file beside the store and hashed as they arrive.
/// Lifecycle: write()* → finish() → (inspect contents()) → BlobStore::commit(), which calls
/// syncAndClose() before the rename; a refused upload never pays for an fsync. The temp file is
/// deleted on destruction unless it was committed, so an abandoned or refused upload leaves
/// nothing. Not thread-safe.
class StagedBlob {
  public:
    StagedBlob(FileSystem& fs, std::unique_ptr<WritableFile> file);
    ~StagedBlob();
    StagedBlob(const StagedBlob&) = delete;
    StagedBlob& operator=(const StagedBlob&) = delete;

    void write(const void* data, std::size_t n);
    std::uint64_t size() const { return size_; }
    /// Ends writing and fixes the digest; then contents() may be read.
    void finish();
    /// fsync + close of the temp file: its bytes are on stable storage when this returns.
    void syncAndClose();
    bool finished() const { return finished_; }
    const std::string& sha256() const;
    /// The staged bytes, for sniffing before commit (opened on first use).
    const ByteSource& contents();
    const std::string& tempPath() const { return path_; }

    /// Called by the blob store once the temp file has been renamed or removed.
    void markConsumed() { consumed_ = true; }

  private:
    FileSystem& fs_;
    std::unique_ptr<WritableFile> file_;
    std::unique_ptr<ReadableFile> reader_;
    std::string path_;
    Sha256 hash_;
    std::string sha256_;
    std::uint64_t size_ = 0;
    bool finished_ = false;
    bool consumed_ = false;
};

}  // namespace dossier::storage
