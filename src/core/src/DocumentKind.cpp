#include "dossier/core/DocumentKind.h"

#include <algorithm>

namespace dossier {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

constexpr std::array<MediaType, 3> kImageOrPdf{MediaType::Jpeg, MediaType::Png, MediaType::Pdf};
constexpr std::array<MediaType, 5> kEvidenceTypes{MediaType::Jpeg, MediaType::Png, MediaType::Pdf,
                                                  MediaType::Docx, MediaType::Xlsx};
constexpr std::array<MediaType, 2> kSummaryTypes{MediaType::Docx, MediaType::Pdf};
constexpr std::array<MediaType, 1> kImportTypes{MediaType::Xlsx};

std::size_t indexOf(DocumentKind kind) { return static_cast<std::size_t>(kind); }

}  // namespace

std::string_view nameOf(DocumentKind kind) {
    switch (kind) {
        case DocumentKind::License:
            return "license";
        case DocumentKind::Commitment:
            return "commitment";
        case DocumentKind::Proof:
            return "proof";
        case DocumentKind::Evidence:
            return "evidence";
        case DocumentKind::Summary:
            return "summary";
        case DocumentKind::Import:
            return "import";
    }
    return "evidence";
}

std::optional<DocumentKind> parseDocumentKind(std::string_view name) {
    for (DocumentKind kind : kAllDocumentKinds) {
        if (nameOf(kind) == name) return kind;
    }
    return std::nullopt;
}

std::uint64_t defaultLimitOf(DocumentKind kind) {
    switch (kind) {
        case DocumentKind::License:
            return 5 * kMiB;
        case DocumentKind::Commitment:
        case DocumentKind::Proof:
            return 10 * kMiB;
        default:
            return 20 * kMiB;
    }
}

std::span<const MediaType> allowedTypesOf(DocumentKind kind) {
    switch (kind) {
        case DocumentKind::License:
        case DocumentKind::Commitment:
        case DocumentKind::Proof:
            return kImageOrPdf;
        case DocumentKind::Evidence:
            return kEvidenceTypes;
        case DocumentKind::Summary:
            return kSummaryTypes;
        case DocumentKind::Import:
            return kImportTypes;
    }
    return {};
}

bool isAllowed(DocumentKind kind, MediaType type) {
    auto allowed = allowedTypesOf(kind);
    return std::find(allowed.begin(), allowed.end(), type) != allowed.end();
}

KindLimits::KindLimits() {
    for (DocumentKind kind : kAllDocumentKinds) limits_[indexOf(kind)] = defaultLimitOf(kind);
}

std::uint64_t KindLimits::limitOf(DocumentKind kind) const { return limits_[indexOf(kind)]; }

void KindLimits::setLimit(DocumentKind kind, std::uint64_t bytes) {
    limits_[indexOf(kind)] = bytes;
}

std::uint64_t KindLimits::largest() const {
    return *std::max_element(limits_.begin(), limits_.end());
}

PdfLimits pdfLimitsOf(DocumentKind kind) {
    constexpr std::uint64_t kImagePixels = 150'000'000;
    switch (kind) {
        case DocumentKind::License:
            return {10, 2384, kImagePixels};
        case DocumentKind::Commitment:
            return {20, 2384, kImagePixels};
        case DocumentKind::Proof:
            return {200, 2384, kImagePixels};
        case DocumentKind::Evidence:
        case DocumentKind::Summary:
        case DocumentKind::Import:
            break;
    }
    return {2000, 7200, kImagePixels};
}

}  // namespace dossier
