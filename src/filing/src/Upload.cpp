#include "dossier/filing/Upload.h"

#include "UploadMessages.h"
#include "dossier/core/Error.h"
#include "dossier/core/ErrorCodes.h"
#include "dossier/storage/StagedBlob.h"

namespace dossier::filing {

Upload::Upload(std::unique_ptr<storage::StagedBlob> staged, std::uint64_t cap)
    : staged_(std::move(staged)), cap_(cap) {}

Upload::~Upload() = default;

void Upload::write(const void* data, std::size_t n) {
    if (staged_->size() + n > cap_) {
        throw Error(codes::kUploadTooLarge, "The file is larger than the " + formatBytes(cap_) +
                                                " allowed for this upload.");
    }
    staged_->write(data, n);
}

std::uint64_t Upload::size() const { return staged_->size(); }

}  // namespace dossier::filing
