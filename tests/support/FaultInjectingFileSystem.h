#pragma once

#include <atomic>
#include <string>

#include "dossier/storage/FileSystem.h"

namespace dossier::test {

/// PosixFileSystem with one armed fault (LevelDB's FaultInjectionTestEnv in spirit): the
/// chosen operation throws storage.io — or storage.full for Write — as a failing disk would.
class FaultInjectingFileSystem final : public storage::FileSystem {
  public:
    enum class Fault { None, Write, Sync, Rename, SyncDirectory };

    void arm(Fault fault) { fault_ = fault; }
    int renames() const { return renames_; }

    std::unique_ptr<storage::WritableFile> createTemp(const std::string& dir,
                                                      const std::string& prefix) override;
    std::unique_ptr<storage::ReadableFile> openRead(const std::string& path) override {
        return real_.openRead(path);
    }
    void rename(const std::string& from, const std::string& to) override;
    void syncDirectory(const std::string& dir) override;
    void remove(const std::string& path) override { real_.remove(path); }
    bool exists(const std::string& path) override { return real_.exists(path); }
    void createDirectories(const std::string& dir) override { real_.createDirectories(dir); }
    std::vector<std::string> listFiles(const std::string& dir) override {
        return real_.listFiles(dir);
    }
    std::int64_t modifiedAt(const std::string& path) override { return real_.modifiedAt(path); }

    Fault fault() const { return fault_; }

  private:
    storage::PosixFileSystem real_;
    std::atomic<Fault> fault_{Fault::None};
    std::atomic<int> renames_{0};
};

}  // namespace dossier::test
