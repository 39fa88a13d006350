#pragma once

#include <cstdint>
#include <memory>

namespace dossier::storage {
class StagedBlob;
}

namespace dossier::filing {

/// An upload being streamed in. Bytes go straight to a staged temp file; memory stays
/// bounded. Writing past `cap` throws upload.too_large at once, so an oversized body is
/// cut off instead of filling the disk. Destroying an uncompleted Upload deletes its bytes.
class Upload {
  public:
    Upload(std::unique_ptr<storage::StagedBlob> staged, std::uint64_t cap);
    ~Upload();
    Upload(const Upload&) = delete;
    Upload& operator=(const Upload&) = delete;

    void write(const void* data, std::size_t n);
    std::uint64_t size() const;
    std::uint64_t cap() const { return cap_; }
    /// Tightens the cap once the kind is known (never raises it).
    void lowerCap(std::uint64_t cap) {
        if (cap < cap_) cap_ = cap;
    }
    storage::StagedBlob& staged() { return *staged_; }

  private:
    std::unique_ptr<storage::StagedBlob> staged_;
    std::uint64_t cap_;
};

}  // namespace dossier::filing
