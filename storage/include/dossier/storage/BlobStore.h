#pragma once

#include <functional>

#include <cstdint>
#include <memory>
#include <string>

#include "dossier/core/ByteSource.h"
#include "dossier/storage/StagedBlob.h"

namespace dossier::storage {

struct StoredBlob {
    std::string sha256;
    std::uint64_t size = 0;
    bool newlyStored = false;  // false when identical bytes were already stored
};

/// Content-addressed, immutable blobs. Implementations are thread-safe; a local directory
/// today, S3-compatible object storage later. Errors are dossier::Error.
class BlobStore {
  public:
    virtual ~BlobStore() = default;
    /// Starts receiving a new blob.
    virtual std::unique_ptr<StagedBlob> stage() = 0;
    /// Makes finished, staged bytes durable under their digest. When this returns, the blob
    /// survives a crash; identical bytes are kept once. Consumes the staged temp file.
    virtual StoredBlob commit(StagedBlob& staged) = 0;
    /// Opens a stored blob; storage.blob_missing if absent.
    virtual std::unique_ptr<ByteSource> open(const std::string& sha256) = 0;
    /// Re-hashes the stored bytes; throws storage.blob_corrupt if they no longer match.
    virtual void verify(const std::string& sha256) = 0;
    virtual bool contains(const std::string& sha256) = 0;
    /// Removes staged temp files older than `maxAgeSeconds` (left by a crashed process).
    /// Returns how many were removed.
    virtual std::size_t sweepStaging(std::int64_t maxAgeSeconds) = 0;
    /// Removes stored blobs that `isRecorded` says no row points at: left by a crash between
    /// the blob's rename and its row's commit. Only safe while nothing else writes to the
    /// store (the server runs it at start-up, holding the data directory's lock).
    virtual std::size_t sweepOrphans(const std::function<bool(const std::string&)>& isRecorded) = 0;
};

}  // namespace dossier::storage
