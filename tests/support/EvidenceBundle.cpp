#include "EvidenceBundle.h"

#include <string>
#include <utility>

#include "SampleFiles.h"
#include "TestSupport.h"

namespace dossier::test {
namespace {

std::string put(storage::BlobStore& blobs, const std::string& bytes) {
    auto staged = blobs.stage();
    for (std::size_t i = 0; i < bytes.size(); i += 65536) {
        staged->write(bytes.data() + i, std::min<std::size_t>(65536, bytes.size() - i));
    }
    staged->finish();
    return blobs.commit(*staged).sha256;
}

}  // namespace

std::vector<storage::BundleEntry> storeEvidence(storage::BlobStore& blobs, std::uint64_t bytes,
                                                std::uint64_t bigPdfBytes) {
    std::vector<storage::BundleEntry> entries;
    std::uint64_t total = 0;
    if (bigPdfBytes > 0) {
        std::string sha;
        {
            std::string pdf = makeSizedPdf(static_cast<std::size_t>(bigPdfBytes), 7);
            total += pdf.size();
            sha = put(blobs, pdf);
        }
        entries.push_back({"证实性材料（扫描件）.pdf", "application/pdf", sha, {}});
    }
    const std::pair<const char*, const char*> fixtures[] = {
        {"real/yyzz_template_generator-tools.jpg", "image/jpeg"},
        {"real/license_photocopy_91440116MA59B21T31_astragen.png", "image/png"},
        {"real/getseal_three_seals_baidu_screenshot.png", "image/png"},
        {"real/sealhacker_test_photo.jpg", "image/jpeg"},
        {"pdf/huge-image-on-a4.pdf", "application/pdf"},
        {"pdf/signed_commitment.pdf", "application/pdf"},
    };
    const char* names[] = {"营业执照.jpg", "营业执照复印件.png", "承诺书盖章页.png",
                           "现场照片.jpg", "检测报告.pdf",       "承诺书.pdf"};
    std::vector<std::pair<std::string, std::uint64_t>> stored;
    for (const auto& [path, type] : fixtures) {
        std::string data = readFile(fixturePath(path));
        stored.emplace_back(put(blobs, data), data.size());
    }
    for (std::size_t i = 0; total < bytes; i = (i + 1) % stored.size()) {
        entries.push_back({names[i], fixtures[i].second, stored[i].first, {}});
        total += stored[i].second;
    }
    return entries;
}

std::uint64_t evidenceBytes(storage::BlobStore& blobs,
                            const std::vector<storage::BundleEntry>& entries) {
    std::uint64_t total = 0;
    for (const auto& e : entries) total += blobs.open(e.blobSha256)->size();
    return total;
}

}  // namespace dossier::test
