#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dossier/core/ByteSource.h"

namespace dossier::storage {

/// A file being written. Closed (not synced) on destruction. Not thread-safe.
class WritableFile {
  public:
    virtual ~WritableFile() = default;
    virtual const std::string& path() const = 0;
    virtual void append(const void* data, std::size_t n) = 0;
    /// Flushes file data and metadata to stable storage (fsync).
    virtual void sync() = 0;
    virtual void close() = 0;
};

/// A file opened for random-access reads.
class ReadableFile : public ByteSource {};

/// The filesystem behind an interface (LevelDB's Env) so tests can inject faults between
/// any two steps of a write. All methods throw dossier::Error (storage.io / storage.full).
/// Implementations are thread-safe.
class FileSystem {
  public:
    virtual ~FileSystem() = default;
    /// Creates and opens a new, uniquely named file in `dir` (O_EXCL, mode 0600).
    virtual std::unique_ptr<WritableFile> createTemp(const std::string& dir,
                                                     const std::string& prefix) = 0;
    virtual std::unique_ptr<ReadableFile> openRead(const std::string& path) = 0;
    /// Atomic replace within one filesystem.
    virtual void rename(const std::string& from, const std::string& to) = 0;
    /// fsync of a directory, making renames and creations in it durable.
    virtual void syncDirectory(const std::string& dir) = 0;
    /// Removes a file; a missing file is not an error.
    virtual void remove(const std::string& path) = 0;
    virtual bool exists(const std::string& path) = 0;
    virtual void createDirectories(const std::string& dir) = 0;
    /// Names (not paths) of the regular files in `dir`; empty if `dir` does not exist.
    virtual std::vector<std::string> listFiles(const std::string& dir) = 0;
    /// Seconds since the epoch of the last modification.
    virtual std::int64_t modifiedAt(const std::string& path) = 0;
};

/// The real thing: POSIX calls, EINTR handled, errno mapped to dossier::Error.
class PosixFileSystem final : public FileSystem {
  public:
    std::unique_ptr<WritableFile> createTemp(const std::string& dir,
                                             const std::string& prefix) override;
    std::unique_ptr<ReadableFile> openRead(const std::string& path) override;
    void rename(const std::string& from, const std::string& to) override;
    void syncDirectory(const std::string& dir) override;
    void remove(const std::string& path) override;
    bool exists(const std::string& path) override;
    void createDirectories(const std::string& dir) override;
    std::vector<std::string> listFiles(const std::string& dir) override;
    std::int64_t modifiedAt(const std::string& path) override;
};

}  // namespace dossier::storage
