#include "FaultInjectingFileSystem.h"

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::test {
namespace {

[[noreturn]] void injected(const char* what) {
    throw Error(codes::kStorageIo, "The server could not access its storage.",
                std::string("injected fault: ") + what);
}

class FaultyFile final : public storage::WritableFile {
  public:
    FaultyFile(std::unique_ptr<storage::WritableFile> real, const FaultInjectingFileSystem& fs)
        : real_(std::move(real)), fs_(fs) {}
    const std::string& path() const override { return real_->path(); }
    void append(const void* data, std::size_t n) override {
        if (fs_.fault() == FaultInjectingFileSystem::Fault::Write) {
            // Half the bytes reach the file, then the disk is full.
            real_->append(data, n / 2);
            throw Error(codes::kStorageFull, "The server has no space left to store the file.",
                        "injected fault: write");
        }
        real_->append(data, n);
    }
    void sync() override {
        if (fs_.fault() == FaultInjectingFileSystem::Fault::Sync) injected("fsync");
        real_->sync();
    }
    void close() override { real_->close(); }

  private:
    std::unique_ptr<storage::WritableFile> real_;
    const FaultInjectingFileSystem& fs_;
};

}  // namespace

std::unique_ptr<storage::WritableFile> FaultInjectingFileSystem::createTemp(
    const std::string& dir, const std::string& prefix) {
    return std::make_unique<FaultyFile>(real_.createTemp(dir, prefix), *this);
}

void FaultInjectingFileSystem::rename(const std::string& from, const std::string& to) {
    if (fault_ == Fault::Rename) injected("rename");
    real_.rename(from, to);
    ++renames_;
}

void FaultInjectingFileSystem::syncDirectory(const std::string& dir) {
    if (fault_ == Fault::SyncDirectory) injected("fsync directory");
    real_.syncDirectory(dir);
}

}  // namespace dossier::test
