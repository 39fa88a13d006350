#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "dossier/core/ByteSource.h"

namespace dossier::test {

/// Path of a file under tests/fixtures.
std::string fixturePath(const std::string& relative);
std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& bytes);
/// Regular files under `dir`, recursively (paths relative to dir), sorted.
std::vector<std::string> listFilesRecursive(const std::string& dir);

/// Runs a shell command and returns what it wrote to stdout.
std::string runCommand(const std::string& command);

/// A fresh directory under /tmp, removed with its contents on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

class MemorySource final : public ByteSource {
public:
    explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
    std::uint64_t size() const override { return bytes_.size(); }
    std::size_t readAt(std::uint64_t offset, void* out, std::size_t n) const override {
        if (offset >= bytes_.size()) return 0;
        std::size_t k = std::min<std::size_t>(n, bytes_.size() - offset);
        std::memcpy(out, bytes_.data() + offset, k);
        return k;
    }

private:
    std::string bytes_;
};

}  // namespace dossier::test
