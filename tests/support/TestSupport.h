#pragma once

#include "dossier/core/MemorySource.h"

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

using dossier::MemorySource;

}  // namespace dossier::test
