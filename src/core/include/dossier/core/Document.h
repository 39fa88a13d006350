#pragma once

#include <cstdint>
#include <string>

#include "dossier/core/DocumentKind.h"
#include "dossier/core/MediaType.h"

namespace dossier {

/// Metadata of one uploaded document. The bytes live in the blob store under `sha256`.
struct Document {
    std::string id;
    std::string sha256;  // lower-case hex
    std::uint64_t size = 0;
    MediaType mediaType = MediaType::Unknown;
    DocumentKind kind = DocumentKind::Evidence;
    std::string originalName;  // sanitized; metadata only, never a path
    std::int64_t createdAtMicros = 0;
    std::string organizationId;  // the owner; empty for documents from before accounts
    std::string uploadedBy;      // account id; empty likewise
    /// A PDF carrying a digital signature (found at upload). Only the original keeps it:
    /// every marked copy drops the signature and says it is a copy.
    bool signedPdf = false;
};

}  // namespace dossier
