#include "dossier/storage/StagedBlob.h"

#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"

namespace dossier::storage {

StagedBlob::StagedBlob(FileSystem& fs, std::unique_ptr<WritableFile> file)
    : fs_(fs), file_(std::move(file)), path_(file_->path()) {}

StagedBlob::~StagedBlob() {
    if (consumed_) return;
    reader_.reset();
    file_.reset();
    try {
        fs_.remove(path_);
    } catch (...) {
        // Best effort: a leftover temp file is swept by BlobStore::sweepStaging().
    }
}

void StagedBlob::write(const void* data, std::size_t n) {
    if (finished_) throw Error(codes::kInternal, "Internal error.", "write after finish");
    file_->append(data, n);
    hash_.update(data, n);
    size_ += n;
}

void StagedBlob::finish() {
    if (finished_) return;
    sha256_ = hash_.hexDigest();
    finished_ = true;
}

void StagedBlob::syncAndClose() {
    file_->sync();
    file_->close();
}

const std::string& StagedBlob::sha256() const {
    if (!finished_) throw Error(codes::kInternal, "Internal error.", "digest before finish");
    return sha256_;
}

const ByteSource& StagedBlob::contents() {
    if (!finished_) throw Error(codes::kInternal, "Internal error.", "read before finish");
    if (!reader_) reader_ = fs_.openRead(path_);
    return *reader_;
}

}  // namespace dossier::storage
