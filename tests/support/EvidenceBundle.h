#pragma once

#include <cstdint>
#include <vector>

#include "dossier/storage/BlobStore.h"
#include "dossier/storage/BundleWriter.h"

namespace dossier::test {

/// Bundle entries of about `bytes` bytes of evidence, as an application's bundle holds
/// them: one scanned-size PDF of `bigPdfBytes` (pseudo-random image data, incompressible
/// as scans are), then the real JPEG, PNG and PDF fixtures of tests/fixtures, repeated
/// under their own names (which then clash and are numbered) until the total is reached.
/// Every file is committed to `blobs`; each entry names its blob. Made in chunks by the
/// blob store; the large PDF is held in memory once while it is stored.
std::vector<storage::BundleEntry> storeEvidence(storage::BlobStore& blobs, std::uint64_t bytes,
                                                std::uint64_t bigPdfBytes);

/// Total size of the entries' blobs.
std::uint64_t evidenceBytes(storage::BlobStore& blobs,
                            const std::vector<storage::BundleEntry>& entries);

}  // namespace dossier::test
